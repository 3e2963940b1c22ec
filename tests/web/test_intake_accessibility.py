"""Every page of the intake: nothing the Content-Security-Policy forbids, a label for every field, unique ids,
one h1 and headings in order, large targets from the shared stylesheet, and the whole wizard by keyboard alone
(plain buttons and links, no script needed). Target sizes come from app.css (`label.option`, buttons)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import httpx2 as httpx

from tests.web.conftest import Web
from tests.web.intake_helpers import (
    CERVICAL_DYSTONIA,
    PARKINSON_FOOT_DYSTONIA,
    current_step,
    enrol_story,
    press,
)
from tests.web.test_rendering import INLINE_SCRIPT, INLINE_STYLE


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.fields: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "label" and found.get("for"):
            self.labelled.add(found["for"])
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.fields.append(found.get("id", "(no id)"))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def _check(page: httpx.Response) -> None:
    assert page.status_code in (200, 422), page.status_code
    assert not INLINE_SCRIPT.search(page.text) and not INLINE_STYLE.search(page.text)
    structure = _Structure()
    structure.feed(page.text)
    duplicated = [name for name, count in Counter(structure.ids).items() if count > 1]
    assert not duplicated, duplicated
    unlabelled = [field for field in structure.fields if field not in structure.labelled]
    assert not unlabelled, unlabelled
    assert structure.headings.count(1) == 1
    for before, after in zip(structure.headings, structure.headings[1:], strict=False):
        assert after <= before + 1, structure.headings


def test_every_step_and_every_result_page(web: Web) -> None:
    bob = web.signed_in("bob")
    page = bob.get("/participants/new")
    _check(page)
    _check(press(bob, page, {"display_name": ""}))  # with the error summary
    while current_step(page) != "review":
        page = press(bob, page, CERVICAL_DYSTONIA.get(current_step(page), {}))
        _check(page)
    for story in (CERVICAL_DYSTONIA, PARKINSON_FOOT_DYSTONIA):
        participant_id = enrol_story(bob, story)
        _check(bob.get(f"/participants/{participant_id}/enrolled"))
        _check(bob.get(f"/participants/{participant_id}/clearance-letter"))


def test_choices_are_large_options_and_no_script_is_needed(web: Web) -> None:
    bob = web.signed_in("bob")
    page = press(bob, bob.get("/participants/new"), {"display_name": "Pia"})
    assert '<label class="option" for="conditions">' in page.text  # the whole label is the target
    assert "<script" not in page.text.split("</head>", 1)[1]  # the wizard runs on plain form posts
    assert ".intake-default" in bob.get("/static/intake.css").text  # the Enter key's button, out of sight
