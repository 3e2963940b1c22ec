"""Reading the participant's pages as a browser does: the forms of a page (hidden fields, radio choices, buttons),
and the session player walked step by step, as Alice or Carl would with a mouse or a keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx2 as httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import alerts, block_logs, checkins, session_logs
from neuromotrix.bootstrap import Container
from tests.web.test_rendering import INLINE_SCRIPT, INLINE_STYLE


@dataclass
class Form:
    action: str
    classes: str
    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)  # name -> values, in page order
    checked: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, formaction)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = Form(found.get("action", ""), found.get("class", ""))
            self.forms.append(self._open)
        elif self._open is not None and tag == "input":
            kind, name, value = found.get("type", "text"), found.get("name", ""), found.get("value", "")
            if kind == "hidden":
                self._open.hidden[name] = value
            elif kind == "radio":
                self._open.radios.setdefault(name, []).append(value)
                if "checked" in found:
                    self._open.checked[name] = value
            elif kind == "checkbox" and "checked" in found:
                self._open.checked[name] = value
        elif self._open is not None and tag == "button":
            self._open.buttons.append((found.get("name", ""), found.get("value", ""), found.get("formaction", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def forms_of(html: str) -> list[Form]:
    reader = _Forms()
    reader.feed(html)
    return reader.forms


def form_of(response: httpx.Response, css_class: str) -> Form:
    found = [form for form in forms_of(response.text) if css_class in form.classes.split()]
    assert found, f"no form of class {css_class!r} in the page:\n{response.text[:3000]}"
    return found[0]


def post(client: TestClient, form: Form, data: dict[str, str], *, action: str | None = None) -> httpx.Response:
    return client.post(action or form.action, data={**form.hidden, **data}, follow_redirects=False)


Answers = Callable[[int, Form], dict[str, str]]


def done(index: int, form: Form) -> dict[str, str]:
    """A block done as planned: effort at the low end of its scale's choices, pain 1."""
    prefix = f"b{index}_"
    return {prefix + "status": "done", prefix + "effort": form.radios[prefix + "effort"][1], prefix + "pain": "1"}


def play(
    client: TestClient,
    participant_id: int,
    *,
    before: tuple[int, int, int] = (3, 3, 2),
    block: Answers = done,
) -> tuple[httpx.Response, Form]:
    """Walk today's session from the first step to the last one, without posting the last (returned, with its
    form, so a test can post it once or twice)."""
    page = client.get(f"/p/{participant_id}/session")
    assert page.status_code == 200, page.text
    form = form_of(page, "step-form")
    page = post(client, form, {"go": "next", **_ratings("before", before)})
    index = 0
    while True:
        assert page.status_code == 200, page.text
        form = form_of(page, "step-form")
        if form.hidden["step"] == "after":
            return page, form
        assert form.hidden["step"] == str(index)
        page = post(client, form, {"go": "next", **block(index, form)})
        index += 1


def finish(
    client: TestClient, form: Form, *, after: tuple[int, int, int] = (3, 3, 3), notes: str = ""
) -> httpx.Response:
    return post(client, form, {"go": "next", "notes": notes, **_ratings("after", after)})


def _ratings(step: str, values: tuple[int, int, int]) -> dict[str, str]:
    return {f"{step}_{name}": str(value) for name, value in zip(("pain", "dystonia", "fatigue"), values, strict=True)}


def logs(container: Container) -> list[sa.Row[tuple[object, ...]]]:
    with container.uow() as uow:
        return list(uow.connection.execute(sa.select(session_logs).order_by(session_logs.c.id)))


def blocks_of(container: Container, log_id: int) -> list[sa.Row[tuple[object, ...]]]:
    with container.uow() as uow:
        query = sa.select(block_logs).where(block_logs.c.session_log_id == log_id).order_by(block_logs.c.position)
        return list(uow.connection.execute(query))


def checkins_of(container: Container) -> list[sa.Row[tuple[object, ...]]]:
    with container.uow() as uow:
        return list(uow.connection.execute(sa.select(checkins).order_by(checkins.c.id)))


def alerts_of(container: Container, kind: str) -> list[sa.Row[tuple[object, ...]]]:
    with container.uow() as uow:
        return list(uow.connection.execute(sa.select(alerts).where(alerts.c.kind == kind).order_by(alerts.c.id)))


def text_of(response: httpx.Response) -> str:
    """The words of the page's main content, tags removed, spaces collapsed (non-breaking ones too)."""
    main = response.text.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    words = re.sub(r"<[^>]+>", " ", main)
    words = words.replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"').replace("&lt;", "<")
    words = words.replace("&gt;", ">").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", words).strip()


def assert_csp_clean(response: httpx.Response) -> None:
    """Nothing the Content-Security-Policy forbids: no inline script or style, no handler attribute."""
    assert not INLINE_SCRIPT.search(response.text), response.url
    assert not INLINE_STYLE.search(response.text), response.url
    assert "http://" not in response.text and "https://" not in response.text, response.url
