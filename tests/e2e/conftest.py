"""Browser tests: Playwright for Python driving Debian's Chromium against the real server (docs/web.md,
"Browser tests").

- `demo_server`: `neuromotrix serve --demo` on a free port with its own SQLite copy of the demo clinic, shared by
  the tests that only read (sign-ins, pages: no change to anyone's data or settings).
- `fresh_server()`: a server of the test's own, for a journey that changes something (logs a session, switches
  a user's language, resets a password), so tests never depend on each other's order.
- `browser`: `/usr/bin/chromium`, never a downloaded browser. Playwright gives every launch a new, empty profile
  (user-data-dir) of its own.
- `browse(server, language=..., javascript=...)`: a new browser context (cookies, language, JavaScript on or
  off), closed after the test.

The shared server, the demo database the servers copy and the browser live as long as this package's tests
(`scope="package"`): they are stopped before the rest of the suite runs. When a test fails, the report carries
the log of every server it used.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, ViewportSize, sync_playwright

from tests.e2e.server import DemoServer, DemoTemplate

CHROMIUM = Path("/usr/bin/chromium")
# As the machine notes say for Chromium as root in a closed network: no sandbox (root), no GPU, and no
# background connections (they are refused here, many at a time, and slow every start down).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALES = {"en": "en-CA", "fr": "fr-CA"}
# A step that takes longer than this is broken, not slow: fail with Playwright's message instead of waiting 30 s.
ACTION_TIMEOUT_MS = 10_000
DESKTOP = ViewportSize(width=1280, height=900)


class Browse(Protocol):
    def __call__(
        self, server: DemoServer, *, language: str = "en", javascript: bool = True, viewport: ViewportSize = ...
    ) -> BrowserContext: ...


@pytest.fixture(scope="package")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    template = DemoTemplate(tmp_path_factory.mktemp("demo-template"))
    template.seed()
    return template


@pytest.fixture(scope="package")
def demo_server(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path_factory.mktemp("demo-server"), "demo-server")
    server.start(demo_template)
    yield server
    server.stop()


class ServerFactory:
    """Starts servers of a test's own (`fresh_server()`); stops them after the test."""

    def __init__(self, template: DemoTemplate, folder: Path) -> None:
        self.template = template
        self.folder = folder
        self.started: list[DemoServer] = []

    def __call__(self) -> DemoServer:
        server = DemoServer(self.folder, f"server-{len(self.started) + 1}")
        self.started.append(server)
        server.start(self.template)
        return server

    def stop_all(self) -> None:
        """Stop every server, then report the first that did not stop cleanly."""
        failures: list[RuntimeError] = []
        for server in self.started:
            try:
                server.stop()
            except RuntimeError as failure:
                failures.append(failure)
        if failures:
            raise failures[0]


@pytest.fixture
def fresh_server(demo_template: DemoTemplate, tmp_path: Path) -> Iterator[ServerFactory]:
    factory = ServerFactory(demo_template, tmp_path)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium "
            "(`apt-get install -y --no-install-recommends chromium`, as .ci/run does). Never download a browser."
        )
    launched = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@pytest.fixture
def browse(browser: Browser) -> Iterator[Browse]:
    opened: list[BrowserContext] = []

    def open_context(
        server: DemoServer, *, language: str = "en", javascript: bool = True, viewport: ViewportSize = DESKTOP
    ) -> BrowserContext:
        context = browser.new_context(
            base_url=server.base_url,
            locale=LOCALES[language],  # also the Accept-Language header
            java_script_enabled=javascript,
            viewport=viewport,
            timezone_id="America/Montreal",
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def _servers_of(item: pytest.Item) -> list[DemoServer]:
    found: list[DemoServer] = []
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, DemoServer):
            found.append(value)
        elif isinstance(value, ServerFactory):
            found.extend(value.started)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the log of every server the test used when it fails (setup, call or teardown)."""
    report = yield
    if report.failed:
        for server in _servers_of(item):
            report.sections.append((f"server log: {server.name} ({server.base_url})", server.log_text()))
    return report
