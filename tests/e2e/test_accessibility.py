"""Every page each demo person can reach passes the accessibility checks of tests/e2e/audit.py.

The walk follows links from the person's start page (tests/e2e/crawl.py), so a new page is checked as soon as
a link leads to it. Error pages are visited on purpose: a missing page (404) for everyone, and another role's
page (403) for signed-in people.
"""

from __future__ import annotations

import pytest

from tests.e2e.audit import watch, with_axe
from tests.e2e.conftest import Browse
from tests.e2e.crawl import walk
from tests.e2e.people import PERSONAS, sign_in
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

MISSING = "/no-such-page"
# A page of another role, to see the 403 page as each person sees it.
FORBIDDEN_FOR = {"participant": "/dashboard", "caregiver": "/today", "trainer": "/admin", "admin": "/today"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages(demo_server: DemoServer, browse: Browse, language: str) -> None:
    context = browse(demo_server, language=language)
    with_axe(context)
    page = context.new_page()
    watcher = watch(page, demo_server.base_url)
    result = walk(
        page, watcher, start=["/login", "/forgot", MISSING], language=language, expected_errors={MISSING: 404}
    )
    assert {"/login", "/forgot", MISSING} <= set(result.visited), result.report()
    assert not result.problems, result.report()


@pytest.mark.parametrize("persona_key", ["alice", "paul", "carl", "bob", "dana"])
def test_pages_of_each_person(demo_server: DemoServer, browse: Browse, persona_key: str) -> None:
    persona = PERSONAS[persona_key]
    context = browse(demo_server, language=persona.language)
    with_axe(context)
    page = context.new_page()
    sign_in(page, persona)
    watcher = watch(page, demo_server.base_url)
    forbidden = FORBIDDEN_FOR[persona.role]
    result = walk(
        page,
        watcher,
        start=["/", MISSING, forbidden],
        language=persona.language,
        expected_errors={MISSING: 404, forbidden: 403},
    )
    assert result.visited and not result.visited[0].startswith("/login"), result.report()  # "/": their start page
    assert not result.problems, result.report()
