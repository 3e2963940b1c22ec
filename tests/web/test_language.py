"""Which language a page is in: the user's setting, else the switcher's cookie, else Accept-Language, else French."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db.tables import users
from tests.web.conftest import Web, csrf_of, lang_of, post_form


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE, en;q=0.5", "en"),
        ("en;q=0.2, fr;q=0.8", "fr"),
        ("en;q=0, fr;q=0.1", "fr"),
        ("de, es", "fr"),
        ("", "fr"),
    ],
)
def test_a_visitor_gets_the_browser_language_else_french(web: Web, accept_language: str, expected: str) -> None:
    page = web.browser(language=accept_language).get("/login")
    assert lang_of(page) == expected
    assert ("Se connecter" if expected == "fr" else "Sign in") in page.text


def test_the_switcher_works_for_a_visitor_and_is_remembered(web: Web) -> None:
    browser = web.browser(language="fr-CA")
    page = browser.get("/forgot")
    assert (
        '<button type="submit" class="button button-secondary" name="language" value="fr" lang="fr" aria-current="true">Français</button>'
        in page.text
    )
    switched = browser.post("/language", data={"csrf_token": csrf_of(page), "language": "en", "next": "/forgot"})
    assert switched.status_code == 303 and switched.headers["location"] == "/forgot"
    assert "nmx_lang=en" in switched.headers["set-cookie"]
    again = browser.get("/forgot")
    assert lang_of(again) == "en", "the cookie wins over Accept-Language"
    assert "Choose a new password" in again.text


def test_the_switcher_only_goes_back_to_this_site(web: Web) -> None:
    browser = web.browser()
    switched = browser.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert switched.headers["location"] == "/"


def test_an_unknown_language_is_refused_with_a_page(web: Web) -> None:
    refused = web.browser(language="en").post("/language", data={"language": "de", "next": "/login"})
    assert refused.status_code == 422
    assert "Something in the request was not right" in refused.text


def test_the_user_setting_wins_over_the_browser(web: Web) -> None:
    alice = web.signed_in("alice", language="en")  # her account says French
    assert lang_of(alice.get("/today", follow_redirects=True)) == "fr"
    bob = web.signed_in("bob", language="fr")  # his says English
    assert lang_of(bob.get("/dashboard")) == "en"


def test_a_signed_in_switch_changes_the_account_setting(web: Web) -> None:
    bob = web.signed_in("bob", language="en")
    page = bob.get("/dashboard")
    refused = bob.post("/language", data={"language": "fr", "next": "/dashboard"})
    assert refused.status_code == 403, "a signed-in switch needs the session's CSRF token"
    switched = bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": "/dashboard"})
    assert switched.status_code == 303
    with web.container.uow() as uow:
        stored = uow.connection.execute(sa.select(users.c.language).where(users.c.email == "bob@example.org"))
        assert stored.scalar_one() == "fr"
    assert lang_of(bob.get("/dashboard")) == "fr"
    elsewhere = web.signed_in("bob", language="en")
    assert lang_of(elsewhere.get("/dashboard")) == "fr", "the setting follows Bob to his other devices"


def test_dates_follow_the_language(web: Web) -> None:
    alice = web.signed_in("alice")
    assert "lundi 23 novembre 2026" in alice.get("/today", follow_redirects=True).text
    bob = web.signed_in("bob")
    assert "November 23, 2026, 10:00\u202fa.m." in bob.get("/dashboard").text  # when Alice's draft alert was raised
    response = post_form(bob, "/language", {"language": "fr", "next": "/dashboard"}, form_page="/dashboard")
    assert "23 novembre 2026" in bob.get(response.headers["location"]).text


@pytest.mark.parametrize(
    "path",
    ["/login", "/forgot", "/reset/some-token", "/invitations/some-token", "/nowhere", "/login?notice=signed_out"],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_says_its_language(web: Web, path: str, language: str) -> None:
    page = web.browser(language=language).get(path)
    assert lang_of(page) == language
    assert page.headers["content-type"] == "text/html; charset=utf-8"
