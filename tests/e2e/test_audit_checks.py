"""The page checks themselves catch what they are meant to: a sweep that passes because a check is blind would
prove nothing. Each check runs on a small page built to fail it, and on its corrected twin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.e2e.audit import (
    axe_problems,
    focus_problems,
    lang_problems,
    reflow_problems,
    target_size_problems,
    watch,
)

pytestmark = pytest.mark.e2e

ORIGIN = "http://checks.test"
CSP = "default-src 'self'; img-src *"  # the site's policy, with images from anywhere to test the origin check
STYLE = """
body { font: 18px/1.5 sans-serif; margin: 1rem; }
button, a.button { min-width: 44px; min-height: 44px; }
:focus-visible { outline: 3px solid #b34700; }
.small { min-height: 20px; height: 20px; padding: 0; }
.bare:focus { outline: none; }
.wide { width: 600px; }
"""


def document(body: str, *, lang: str = "en") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Check</title>'
        f'<link rel="stylesheet" href="/check.css"></head><body><main><h1>Check</h1>{body}</main></body></html>'
    )


class Sandbox:
    """A page on a made-up origin whose documents the test writes; served under the site's CSP."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1024, "height": 768})
        self.context.route(f"{ORIGIN}/**", self._serve)
        self.context.route("https://elsewhere.example/**", lambda route: route.fulfill(status=200, body=""))
        self.page = self.context.new_page()
        self._html = ""

    def _serve(self, route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/check.css":
            route.fulfill(status=200, content_type="text/css", body=STYLE)
        elif path == "/":
            route.fulfill(
                status=200, content_type="text/html", body=self._html, headers={"content-security-policy": CSP}
            )
        else:
            route.fulfill(status=404, content_type="text/plain", body="missing")

    def show(self, html: str) -> Page:
        self._html = html
        self.page.goto(f"{ORIGIN}/")
        return self.page


@pytest.fixture
def sandbox(browser: Browser) -> Iterator[Sandbox]:
    built = Sandbox(browser)
    yield built
    built.context.close()


def test_axe_finds_a_field_without_a_label(sandbox: Sandbox) -> None:
    page = sandbox.show(document('<form><input id="name" type="text"></form>'))
    assert any("axe label" in problem for problem in axe_problems(page))
    page = sandbox.show(document('<form><label for="name">Name</label><input id="name" type="text"></form>'))
    assert axe_problems(page) == []


def test_target_size_finds_a_small_button_and_excuses_links_in_text(sandbox: Sandbox) -> None:
    page = sandbox.show(document('<p>Read <a href="/more">more</a> here.</p><button class="small">Go</button>'))
    problems = target_size_problems(page)
    assert len(problems) == 1 and '"Go"' in problems[0], problems
    page = sandbox.show(document('<p>Read <a href="/more">more</a> here.</p><button>Go</button>'))
    assert target_size_problems(page) == []


def test_focus_check_finds_a_control_without_a_focus_indicator(sandbox: Sandbox) -> None:
    page = sandbox.show(document('<button>One</button> <button class="bare">Two</button>'))
    problems = focus_problems(page)
    assert problems == ['no visible focus on button "Two"'], problems
    page = sandbox.show(document("<button>One</button> <button>Two</button>"))
    assert focus_problems(page) == []


def test_lang_and_reflow_checks(sandbox: Sandbox) -> None:
    page = sandbox.show(document('<div class="wide">Wide</div>', lang="fr"))
    assert lang_problems(page, "en") == ['<html lang="fr">, expected "en"']
    assert len(reflow_problems(page)) == 1
    page = sandbox.show(document("<p>Narrow</p>"))
    assert lang_problems(page, "en") == [] and reflow_problems(page) == []


def test_watch_sees_other_origins_failed_requests_and_csp_refusals(sandbox: Sandbox) -> None:
    page = sandbox.page
    watcher = watch(page, ORIGIN)
    sandbox.show(
        document(
            '<img alt="" src="https://elsewhere.example/pixel.png"><img alt="" src="/gone.png">'
            '<div style="color: red">inline style</div>'
        ),
    )
    problems = watcher.problems()
    assert any("another origin: https://elsewhere.example/pixel.png" in problem for problem in problems), problems
    assert any("request failed: 404" in problem and "/gone.png" in problem for problem in problems), problems
    assert any(problem.startswith("console error:") and "Content Security Policy" in problem for problem in problems), (
        problems
    )
