"""Accessibility and page-hygiene checks that any page must pass, whatever it shows.

`audit(page, language, watcher)` runs on the page as it is now and returns a list of problems (empty = pass):

- axe-core (carried by the `axe-playwright-python` package) with the WCAG 2.0, 2.1 and 2.2 A and AA rules and
  axe's best practices (headings in order, one main landmark, one h1, landmarks unique...): zero violations;
- target size: every visible interactive element is at least 44 × 44 CSS px (DESIGN.md, stricter than WCAG
  2.5.8's 24 px). Radio buttons and checkboxes are measured by their label, which is what people press.
  The one exception is WCAG 2.5.8's "inline" one, for links in the flow of text: a link laid out inline
  (`display: inline`), whose height is the line height of the text around it. It still passes axe's
  `target-size` rule (24 px, or enough space around it). A link given a box of its own (block, inline-block,
  flex: a button-like link, a navigation link, a card) is a target like a button and must be full size;
- `<html lang>` is the expected language;
- the focus is visible: the first few stops of the Tab key each change how the element (or the label around
  it) looks, compared with the same element without the focus;
- reflow (WCAG 1.4.10): at 320 CSS px wide the page does not scroll sideways (a wide table may scroll inside
  its own container);
- nothing comes from another origin, no request fails (but `/favicon.ico`, which browsers ask for by
  themselves), no script error and no Content-Security-Policy refusal in the console.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, ConsoleMessage, JSHandle, Page, Request, Response, ViewportSize

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
MIN_TARGET_PX = 44
FOCUS_STOPS = 6
NARROW = ViewportSize(width=320, height=640)
IGNORED_FAILURES = {"/favicon.ico"}

TARGET_SIZE_JS = """
(minimum) => {
  const interactive = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], '
    + '[role="link"], [role="checkbox"], [role="radio"], [role="tab"], [role="menuitem"], [tabindex]:not([tabindex="-1"])';

  function describe(element) {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(part + '#' + node.id); break; }
      if (node.classList.length) part += '.' + Array.from(node.classList).join('.');
      parts.unshift(part);
    }
    const text = (element.innerText || element.value || element.getAttribute('aria-label') || '').trim();
    return parts.join(' > ') + (text ? ' "' + text.replace(/\\s+/g, ' ').slice(0, 50) + '"' : '');
  }

  function shown(element) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    // Nothing to press: not rendered, or visually hidden (clipped to 1 px, for screen readers or the Enter key).
    if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) return false;
    // Off the page on purpose (the skip link waits above the top until it has the focus).
    return box.bottom + window.scrollY > 0 && box.right + window.scrollX > 0;
  }

  // WCAG 2.5.8 "inline": a link in the flow of text, sized by the line height of that text.
  function inTextFlow(element) {
    return element.tagName === 'A' && getComputedStyle(element).display === 'inline';
  }

  const problems = [];
  const measured = new Set();
  for (const element of document.querySelectorAll(interactive)) {
    let target = element;
    if (element.matches('input[type="radio"], input[type="checkbox"]')) {
      target = element.closest('label') || (element.labels && element.labels[0]) || element;
    }
    if (measured.has(target)) continue;
    measured.add(target);
    if (!shown(target)) continue;
    if (inTextFlow(target)) continue;
    const box = target.getBoundingClientRect();
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      problems.push(describe(target) + ': ' + Math.round(box.width) + ' × ' + Math.round(box.height) + ' px');
    }
  }
  return problems;
}
"""

# How an element looks, as far as a focus indicator can change it; for a radio button or checkbox, its label too.
LOOK_JS = """
(element) => {
  const properties = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow', 'borderColor',
    'borderWidth', 'backgroundColor', 'color', 'textDecorationLine', 'textDecorationThickness'];
  const look = (node) => { const style = getComputedStyle(node); return properties.map((name) => style[name]).join('|'); };
  const label = element.closest('label');
  return look(element) + (label && label !== element ? '#' + look(label) : '');
}
"""

DESCRIBE_JS = """
(element) => {
  const text = (element.innerText || element.value || element.getAttribute('aria-label') || '').trim();
  return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + (text ? ' "' + text.slice(0, 40) + '"' : '');
}
"""


@dataclass
class Watch:
    """What a page did over the network and in its console since the last `clear()`."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.foreign.clear()
        self.failed.clear()
        self.console.clear()

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def on_response(self, response: Response) -> None:
        if response.request.resource_type == "document":
            return  # the page itself: its status is the caller's to check (a 404 page on purpose, a 422 form)
        if response.status >= 400 and urlsplit(response.url).path not in IGNORED_FAILURES:
            self.failed.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console.append(message.text)  # failed loads are reported with their address by on_response

    def on_page_error(self, error: Exception) -> None:
        self.console.append(f"uncaught: {error}")

    def problems(self) -> list[str]:
        return (
            [f"loaded from another origin: {url}" for url in self.foreign]
            + [f"request failed: {line}" for line in self.failed]
            + [f"console error: {text}" for text in self.console]
        )


def watch(page: Page, origin: str) -> Watch:
    watcher = Watch(origin)
    page.on("request", watcher.on_request)
    page.on("response", watcher.on_response)
    page.on("console", watcher.on_console)
    page.on("pageerror", watcher.on_page_error)
    return watcher


def with_axe(context: BrowserContext) -> None:
    """Put axe in every page of the context before the page's own scripts (the CSP does not apply to it)."""
    context.add_init_script(script=AXE_SCRIPT)


def axe_problems(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    problems = []
    for violation in results["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        more = len(violation["nodes"]) - 5
        problems.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
            + (f" and {more} more" if more > 0 else "")
        )
    return problems


def target_size_problems(page: Page) -> list[str]:
    return [f"target smaller than 44 × 44 px: {line}" for line in page.evaluate(TARGET_SIZE_JS, MIN_TARGET_PX)]


def lang_problems(page: Page, language: str) -> list[str]:
    found = page.evaluate("document.documentElement.lang")
    return [] if found == language else [f'<html lang="{found}">, expected "{language}"']


def focus_problems(page: Page, stops: int = FOCUS_STOPS) -> list[str]:
    """Tab through the first stops; each one must look different with the focus than without it."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    problems: list[str] = []
    visited: list[JSHandle] = []
    focused_look = ""
    for _ in range(stops + 1):
        page.keyboard.press("Tab")
        current = page.evaluate_handle("document.activeElement")
        if visited:
            previous = visited[-1]
            if previous.evaluate(LOOK_JS) == focused_look:  # the same look now that the focus has moved on
                problems.append(f"no visible focus on {previous.evaluate(DESCRIBE_JS)}")
        ended = page.evaluate("([now, first]) => now === document.body || now === first", [current, *visited[:1]])
        if ended:
            current.dispose()
            break  # the end of the tab order, or back at its start
        visited.append(current)
        focused_look = str(current.evaluate(LOOK_JS))
    for handle in visited:
        handle.dispose()
    return problems


def reflow_problems(page: Page) -> list[str]:
    normal = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    finally:
        if normal is not None:
            page.set_viewport_size(normal)
    if width[0] > width[1] + 1:
        return [f"at {NARROW['width']} px wide the page scrolls sideways ({width[0]} px of content)"]
    return []


def audit(page: Page, language: str, watcher: Watch) -> list[str]:
    """Every check of this module on the page as it is now, plus what `watcher` saw since it was cleared."""
    return [
        *lang_problems(page, language),
        *axe_problems(page),
        *target_size_problems(page),
        *focus_problems(page),
        *reflow_problems(page),
        *watcher.problems(),
    ]
