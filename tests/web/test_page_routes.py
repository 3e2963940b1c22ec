"""Every page route, found at run time, says who may use it; anonymous visitors are sent to sign in, forms
without the CSRF token are refused. A new page route fails the first test until it is classified here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.entrypoints.web.errors import API_PATHS, API_PREFIXES
from neuromotrix.settings import Settings
from tests.web.conftest import Web

PUBLIC = "public"
SIGNED_IN = "signed-in"
PAGE_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/forgot"): PUBLIC,
    ("POST", "/forgot"): PUBLIC,
    ("GET", "/reset/{token}"): PUBLIC,
    ("POST", "/reset/{token}"): PUBLIC,
    ("GET", "/invitations/{token}"): PUBLIC,
    ("POST", "/invitations/{token}"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account/two-factor"): SIGNED_IN,
    ("POST", "/account/two-factor/start"): SIGNED_IN,
    ("POST", "/account/two-factor/confirm"): SIGNED_IN,
    ("GET", "/today"): "participant",
    ("GET", "/people"): "caregiver",
    ("GET", "/dashboard"): "trainer",
    ("GET", "/admin"): "admin",
}
# Public forms that an anonymous visitor may post without a token: the language switcher only sets a cookie.
NO_TOKEN_NEEDED = {("POST", "/language")}
PERSONA_OF_ROLE = {"participant": "alice", "caregiver": "carl", "trainer": "bob", "admin": "dana"}


def page_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path is None or path.startswith(API_PREFIXES) or path in API_PATHS:
            continue
        for method in sorted(set(route.methods or ()) - {"HEAD", "OPTIONS"}):
            yield method, path


def concrete(path: str) -> str:
    return path.replace("{token}", "some-token")


def test_every_page_route_is_classified() -> None:
    app = create_app(Container(Settings(database_url="sqlite:///:memory:", jobs=False)))
    served = set(page_routes(app))
    assert served - set(PAGE_ROUTES) == set(), "classify the new page routes in PAGE_ROUTES"
    assert set(PAGE_ROUTES) - served == set(), "PAGE_ROUTES names routes the app does not serve"


@pytest.mark.parametrize(("method", "path"), sorted(route for route, who in PAGE_ROUTES.items() if who != PUBLIC))
def test_anonymous_visitors_are_sent_to_sign_in(web: Web, method: str, path: str) -> None:
    response = web.browser().request(method, concrete(path))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_forms_refuse_a_missing_token(web: Web) -> None:
    bob = web.signed_in("bob")
    for method, path in sorted(PAGE_ROUTES):
        if method != "POST":
            continue
        anonymous = web.browser()
        if PAGE_ROUTES[(method, path)] == PUBLIC and (method, path) not in NO_TOKEN_NEEDED:
            assert anonymous.post(concrete(path), data={}).status_code == 403, path
        assert bob.post(concrete(path), data={}).status_code == 403, path


def test_role_pages_answer_their_role_only(web: Web) -> None:
    browsers = {persona: web.signed_in(persona) for persona in ("alice", "carl", "bob")}
    for (method, path), who in PAGE_ROUTES.items():
        if who not in PERSONA_OF_ROLE or who == "admin":
            continue
        for persona, browser in browsers.items():
            expected = 200 if PERSONA_OF_ROLE[who] == persona else 403
            assert browser.request(method, path).status_code == expected, (persona, path)
