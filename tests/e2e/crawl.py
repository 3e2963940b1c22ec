"""Breadth-first walk over the pages a person can reach by following links, auditing each one.

Only GET, only this server's pages: links to another origin, to the JSON API, to /static, to the API's
documentation pages and to downloads (`<a download>`, or an answer that is not an HTML page, or is sent as an
attachment) are not followed; sign-out is a form (POST), so the walk never signs itself out. Pages that differ
only by an identifier (`/participants/1/...` and `/participants/2/...`) are the same template: at most
`PER_SHAPE` of each are visited (one of a page's sorted or paged variants), and at most `limit` pages in all, so
the walk stays fast as pages are added; the pages left out over the limit are listed in the report.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from playwright.sync_api import Page

from tests.e2e.audit import Watch, audit

PER_SHAPE = 2
DEFAULT_LIMIT = 40
NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json", "/healthz", "/logout")
# A path segment with a digit in it (`12`, `NM04`, a token) names one thing among many of the same template.
IDENTIFIER = re.compile(r"\d")


def per_shape(path_and_query: str) -> int:
    """Two pages of a template (two participants may be in different states), but one of a sorted or paged
    variant of a page (`?sort=name`, `?offset=50`, `?version=3`): the same template with other rows."""
    return 1 if "?" in path_and_query else PER_SHAPE


def shape(path_and_query: str) -> str:
    """`/participants/12/sessions?page=2` → `/participants/{}/sessions?page`: one template, whatever the ids."""
    parts = urlsplit(path_and_query)
    segments = ["{}" if IDENTIFIER.search(segment) else segment for segment in parts.path.split("/")]
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Walk:
    origin: str
    visited: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # over the limit: reported, so a growing site is noticed

    def report(self) -> str:
        lines = [f"{len(self.visited)} pages visited: {', '.join(self.visited)}"]
        if self.skipped:
            lines.append(f"not visited (over the limit): {', '.join(self.skipped)}")
        for page, found in self.problems.items():
            lines.append(f"\n{page}:")
            lines.extend(f"  - {problem}" for problem in found)
        return "\n".join(lines)


def local_path(origin: str, href: str) -> str | None:
    """The path and query of a link to a page of this site worth visiting, or None."""
    url, _fragment = urldefrag(href)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if parts.path.startswith(NOT_PAGES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_on(page: Page) -> list[str]:
    hrefs: list[str] = page.evaluate(
        "Array.from(document.querySelectorAll('a[href]:not([download])'), (link) => link.href)"
    )
    return hrefs


def walk(
    page: Page,
    watcher: Watch,
    *,
    start: list[str],
    language: str,
    limit: int = DEFAULT_LIMIT,
    expected_errors: dict[str, int] | None = None,
) -> Walk:
    """Audit every page reachable from `start`. `expected_errors` maps a start path to its status (a 404 page)."""
    expected_errors = expected_errors or {}
    result = Walk(watcher.origin)
    queue: deque[tuple[str, str]] = deque((path, "start") for path in start)
    queued = set(start)
    shapes: dict[str, int] = {}
    while queue:
        path, found_on = queue.popleft()
        if shapes.get(shape(path), 0) >= per_shape(path):
            continue
        if len(result.visited) >= limit:
            result.skipped.append(path)
            continue
        answer = page.request.get(path, max_redirects=5)
        content_type = answer.headers.get("content-type", "")
        attachment = answer.headers.get("content-disposition", "").startswith("attachment")
        expected = expected_errors.get(path, 200)
        if answer.status != expected:
            result.problems[path] = [f"answered {answer.status}, expected {expected} (linked from {found_on})"]
            continue
        if not content_type.startswith("text/html") or attachment:
            continue  # a download: not a page
        watcher.clear()
        page.goto(path)
        landed = local_path(watcher.origin, page.url) or path
        shapes[shape(landed)] = shapes.get(shape(landed), 0) + 1
        if landed in result.visited:
            continue
        result.visited.append(landed)
        problems = audit(page, language, watcher)
        if problems:
            result.problems[landed] = problems
        for href in links_on(page):
            target = local_path(watcher.origin, href)
            if target is not None and target not in queued:
                queued.add(target)
                queue.append((target, landed))
    return result
