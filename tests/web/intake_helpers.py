"""Driving the intake wizard as a browser does: read the form's current values (hidden state, checked radios and
checkboxes, selected options, typed text), change some, and press one of its buttons."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from html.parser import HTMLParser

import httpx2 as httpx
import pyotp
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, TOTP_SECRET
from tests.web.conftest import Web, csrf_of, post_form

Changes = Mapping[str, str | list[str]]
STEP_HEADING = re.compile(r"<h1>([^<]+)</h1>")
PROGRESS = re.compile(r'class="intake-progress">[^<]*?(\d+)[^<\d]+(\d+)</p>')


class _FormValues(HTMLParser):
    """The successful controls of the intake form, in document order (buttons left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self.select: str | None = None
        self.buttons: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and "intake-form" in found.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in found:
                    self.pairs.append((name, found.get("value", "on")))
            else:
                self.pairs.append((name, found.get("value", "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select is not None and "selected" in found:
            self.pairs.append((self.select, found.get("value", "")))
        elif tag == "button" and name:
            self.buttons.append((name, found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_values(page: httpx.Response) -> list[tuple[str, str]]:
    parser = _FormValues()
    parser.feed(page.text)
    return parser.pairs


def buttons(page: httpx.Response) -> list[tuple[str, str]]:
    parser = _FormValues()
    parser.feed(page.text)
    return parser.buttons


def press(
    client: TestClient, page: httpx.Response, changes: Changes | None = None, *, action: str = "next"
) -> httpx.Response:
    """Post the wizard's form from `page` with `changes` typed in, as the button `action` would."""
    changes = changes or {}
    data: dict[str, list[str]] = {}
    for name, value in form_values(page):
        if name not in changes:
            data.setdefault(name, []).append(value)
    for name, given in changes.items():
        data[name] = [given] if isinstance(given, str) else list(given)
    assert ("action", action) in buttons(page), f"no button {action!r} on the page"
    data["action"] = [action]
    return client.post("/participants/new", data=data, follow_redirects=False)


def step_title(page: httpx.Response) -> str:
    found = STEP_HEADING.search(page.text)
    assert found is not None, page.text[:3000]
    return found.group(1)


def progress(page: httpx.Response) -> tuple[int, int]:
    found = PROGRESS.search(page.text)
    assert found is not None, page.text[:3000]
    return int(found.group(1)), int(found.group(2))


def value_of(page: httpx.Response, name: str) -> list[str]:
    return [value for field, value in form_values(page) if field == name]


Story = dict[str, dict[str, str | list[str]]]  # wizard step → the answers typed on it

# The examples of examples/*.yaml, as a trainer types them into the wizard.
CERVICAL_DYSTONIA: Story = {
    "person": {"display_name": "Gilles", "language": "en", "birth_year": "1972"},
    "conditions": {"conditions": ["dystonia"], "dystonia.distribution": "focal"},
    "dystonia": {
        "dystonia.regions": ["neck"],
        "cervical.rotation.toward": "right",
        "cervical.rotation.level": "both",
        "cervical.rotation.severity": "2",
        "cervical.tremor": "none",
        "cervical.stability": "stable",
        "cervical.confirmed_by_clinician": "yes",
    },
    "symptoms": {"symptoms.pain_nrs": "4"},
    "treatments": {"toxin.0.date": "2026-11-05", "toxin.0.regions": ["neck"]},
    "screening": {
        "parq.other_chronic_condition": "yes",
        "parq.chronic_medication": "no",
        "clearance.has": "yes",
        "clearance.by": "Dr. A. Roy",
        "clearance.on": "2026-10-01",
    },
    "preferences": {
        "preferences.start_on": "2026-11-23",
        "preferences.weeks": "6",
        "preferences.sessions_per_week": "3",
        "preferences.minutes_per_session": "25",
        "preferences.equipment": ["chair", "mirror", "towel", "wall"],
    },
    "goals": {"goals": ["neck_control", "reduce_pain"]},
}
PARKINSON_FOOT_DYSTONIA: Story = {
    "person": {"display_name": "Paul", "language": "fr", "birth_year": "1956"},
    "conditions": {
        "conditions": ["parkinson", "dystonia"],
        "parkinson.hoehn_yahr": "2",
        "dystonia.distribution": "focal",
    },
    "dystonia": {"dystonia.regions": ["foot_left"], "dystonia.task_triggers": ["walking"]},
    "symptoms": {"symptoms.pain_nrs": "2", "symptoms.falls_last_12_months": "1"},
    "treatments": {"med.0.name": "levodopa", "med.0.class": "dopaminergic"},
    "screening": {"parq.other_chronic_condition": "yes", "parq.chronic_medication": "yes"},
    "preferences": {
        "activity.regular_exerciser": "no",
        "activity.minutes_per_week": "30",
        "preferences.weeks": "8",
        "preferences.sessions_per_week": "3",
        "preferences.minutes_per_session": "40",
        "preferences.equipment": ["chair", "counter", "stationary_bike"],
    },
    "goals": {"goals": ["gait", "balance", "fitness"]},
}
WRITERS_CRAMP: Story = {
    "person": {"display_name": "Wendy", "language": "en", "birth_year": "1985"},
    "conditions": {"conditions": ["dystonia"], "dystonia.distribution": "focal"},
    "dystonia": {"dystonia.regions": ["hand_right"], "dystonia.task_triggers": ["writing"]},
    "symptoms": {"symptoms.pain_nrs": "1"},
    "treatments": {},
    "screening": {
        "parq.other_chronic_condition": "yes",
        "clearance.has": "yes",
        "clearance.by": "Dr. P. Martin",
        "clearance.on": "2026-09-12",
    },
    "preferences": {
        "activity.regular_exerciser": "yes",
        "activity.minutes_per_week": "180",
        "preferences.weeks": "4",
        "preferences.sessions_per_week": "4",
        "preferences.minutes_per_session": "20",
        "preferences.equipment": ["table", "putty", "whiteboard"],
    },
    "goals": {"goals": ["hand_function"]},
}
EXAMPLES: dict[str, Story] = {
    "cervical-dystonia": CERVICAL_DYSTONIA,
    "parkinson-foot-dystonia": PARKINSON_FOOT_DYSTONIA,
    "writers-cramp": WRITERS_CRAMP,
}


def current_step(page: httpx.Response) -> str:
    found = value_of(page, "step")
    assert found, page.text[:3000]
    return found[0]


def walk_to_review(client: TestClient, story: Story) -> httpx.Response:
    """Answer every step of the story from a new intake; the page answered is the review step."""
    page = client.get("/participants/new")
    assert page.status_code == 200, page.text
    while current_step(page) != "review":
        step = current_step(page)
        page = press(client, page, story.get(step, {}))
        assert page.status_code == 200, (step, page.text[:5000])
    return page


def enrol_story(client: TestClient, story: Story) -> int:
    """The whole wizard, submitted; the new participant's id."""
    page = press(client, walk_to_review(client, story), action="submit")
    assert page.status_code == 303, page.text[:5000]
    found = re.fullmatch(r"/participants/(\d+)/enrolled(\?invited=1)?", page.headers["location"])
    assert found is not None, page.headers["location"]
    return int(found.group(1))


def main_text(page: httpx.Response) -> str:
    """The page's main content as plain text (tags dropped, spaces folded)."""
    main = page.text[page.text.index("<main") : page.text.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).replace("\u00a0", " ").replace("\u202f", " ")


def signed_in_admin(web: Web) -> TestClient:
    """Dana, the clinic admin, signed in through `/login` with her password and the code of her app."""
    browser = web.browser()
    first = post_form(browser, "/login", {"email": "dana@example.org", "password": PASSWORD})
    code = pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now)
    data = {"csrf_token": csrf_of(first), "email": "dana@example.org", "password": PASSWORD, "totp": code}
    assert browser.post("/login", data=data).status_code == 303
    return browser
