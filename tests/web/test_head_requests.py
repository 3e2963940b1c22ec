"""HEAD is answered as the same GET without a body (app.py `HeadAsGet`): pages, the private calendar feed that
calendar apps check, the JSON API and the health check. A route that takes no GET still refuses it."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.web.conftest import Web, post_form

FEED = re.compile(r'id="new-address" type="url" value="http://127\.0\.0\.1:8000(/calendar/[A-Za-z0-9_-]+\.ics)"')
# Headers that must be the GET's: what the resource is and how long it is.
SAME_HEADERS = ("content-type", "content-length", "cache-control", "content-security-policy")


def assert_head_matches_get(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
    assert head.content == b"", f"HEAD {path} sent a body"
    for name in SAME_HEADERS:
        assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_pages_answer_head_like_get(web: Web) -> None:
    anonymous = web.browser(language="fr")
    for path in ("/login", "/privacy"):
        assert_head_matches_get(anonymous, path)
    alice = web.signed_in("alice")
    assert_head_matches_get(alice, f"/p/{web.world.alice_id}/today")
    assert_head_matches_get(alice, f"/p/{web.world.alice_id}/calendar")


def test_a_page_that_needs_sign_in_redirects_a_head_too(web: Web) -> None:
    head = web.browser().head(f"/p/{web.world.alice_id}/today")
    assert head.status_code == 303
    assert head.headers["location"].startswith("/login?next=")


def test_a_calendar_app_may_check_the_private_feed_with_head(web: Web) -> None:
    carl = web.signed_in("carl")
    made = post_form(carl, f"/p/{web.world.alice_id}/calendar", {"label": "Carl's phone"})
    found = FEED.search(made.text)
    assert found is not None, made.text
    calendar_app = web.browser()
    assert_head_matches_get(calendar_app, found.group(1))
    assert calendar_app.head(found.group(1)).headers["content-type"] == "text/calendar; charset=utf-8"
    assert calendar_app.head("/calendar/not-a-real-token.ics").status_code == 404


def test_the_api_and_the_health_check_answer_head(web: Web) -> None:
    client = web.browser()
    assert_head_matches_get(client, "/healthz")
    assert client.head("/api/v1/participants").status_code == 401, "still needs sign-in"
    bob = web.signed_in("bob")
    assert_head_matches_get(bob, "/api/v1/exercises")


def test_a_route_without_get_still_refuses_head(web: Web) -> None:
    head = web.browser().head("/logout")
    assert head.status_code == 405
    assert head.content == b""
