"""The main journey: Alice does today's session and reports a flare (an exercise pulled, her dystonia up 2
points after the session) → Bob sees it in "Needs attention" → the adapted exercise is one level lower in her
next session. In English, in French, without JavaScript, and by keyboard alone.

Each run gets a server of its own: the demo clinic as seeded, so today's session is still to do. Which exercise
pulls is read from the JSON API before the journey starts (one that is in today's session and in the next, above
level 1), so the journey does not depend on the demo's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from neuromotrix.adapters.i18n import format_date
from neuromotrix.services.participant_view import exercise_names
from tests.e2e.audit import Watch, audit, watch, with_axe
from tests.e2e.conftest import Browse, ServerFactory
from tests.e2e.people import PERSONAS, Hands, words

pytestmark = pytest.mark.e2e

# The alert's text (domain/flares.py), as the trainer and the participant read it.
FLARE_MESSAGE = {"en": "Dystonia flare in the session of {date}", "fr": "Poussée dystonique à la séance du {date}"}
BEFORE = {"pain": 2, "dystonia": 3, "fatigue": 2}
AFTER = {"pain": 2, "dystonia": 5, "fatigue": 3}  # dystonia up 2 points: a flare in the session (BRIEF §4.5)


@dataclass(frozen=True)
class Flare:
    participant_id: int
    today: dt.date
    exercise_id: str
    level: int  # the exercise's level today and, before the flare, in the next session
    next_on: dt.date  # the next session with the exercise


def plan_the_flare(page: Page, participant_id: int) -> Flare:
    answer = page.request.get(f"/api/v1/participants/{participant_id}/today")
    assert answer.ok, answer.text()
    data = answer.json()
    if data["session"] is None or data["next_session"] is None:
        pytest.fail(f"the demo has no session today and next for Alice any more: {data}")
    later = {block["exercise_id"]: block for block in data["next_session"]["blocks"]}
    candidates = [
        block
        for block in data["session"]["blocks"]
        if block["part"] == "main" and block["level"] >= 2 and block["exercise_id"] in later
    ]
    assert candidates, f"no exercise of today's session is also in the next one above level 1: {data}"
    chosen = candidates[-1]
    return Flare(
        participant_id=participant_id,
        today=dt.date.fromisoformat(data["date"]),
        exercise_id=chosen["exercise_id"],
        level=int(later[chosen["exercise_id"]]["level"]),
        next_on=dt.date.fromisoformat(data["next_session"]["date"]),
    )


class Journey:
    """One run of the journey: its language and way of acting, and what the page checks found on the way."""

    def __init__(self, server_url: str, *, language: str, keyboard: bool) -> None:
        self.language = language
        self.say = words(language)
        self.keyboard = keyboard
        self.origin = server_url
        self.problems: dict[str, list[str]] = {}
        self.watchers: dict[Page, Watch] = {}

    def group(self, page: Page, legend: str) -> Locator:
        return page.get_by_role("group", name=legend, exact=True)

    def open(self, context: BrowserContext, *, audit_pages: bool) -> Hands:
        if audit_pages:
            with_axe(context)
        page = context.new_page()
        self.watchers[page] = watch(page, self.origin)
        return Hands(page, keyboard=self.keyboard)

    def check_page(self, page: Page, name: str) -> None:
        """The page as it is now passes the checks of tests/e2e/audit.py (forms reached only by POST)."""
        watcher = self.watchers[page]
        found = audit(page, self.language, watcher)
        watcher.clear()
        if found:
            self.problems[name] = found

    def report(self) -> str:
        for page, watcher in self.watchers.items():
            if watcher.problems():
                self.problems[f"along the way ({page.url})"] = watcher.problems()
        return "\n".join(
            f"{name}:\n" + "\n".join(f"  - {problem}" for problem in found) for name, found in self.problems.items()
        )


def text_pattern(message: str) -> re.Pattern[str]:
    """A translated message with its placeholders (`%(date)s`) standing for any text."""
    return re.compile(".+?".join(re.escape(part) for part in re.split(r"%\(\w+\)s", message)))


def answer_ratings(hands: Hands, journey: Journey, ratings: dict[str, int]) -> None:
    say, page = journey.say, hands.page
    hands.choose(journey.group(page, say("How much pain do you feel now?")), ratings["pain"])
    hands.choose(journey.group(page, say("How strong are the pulling, twisting or spasms now?")), ratings["dystonia"])
    hands.choose(journey.group(page, say("How tired do you feel now?")), ratings["fatigue"])


def no_errors(page: Page) -> None:
    page.wait_for_load_state("domcontentloaded")  # the whole step is there, error summary included
    summary = page.locator("[data-error-summary]")
    if summary.count():
        raise AssertionError(f"the step was refused: {summary.inner_text()}")


def do_the_session(hands: Hands, journey: Journey, flare: Flare, *, audit_pages: bool) -> None:
    """From Alice's today page to the result page, every exercise done, the chosen one pulling."""
    say, page = journey.say, hands.page
    flare_name = exercise_names([flare.exercise_id], journey.language)[flare.exercise_id]
    title = page.get_by_role("heading", level=1)

    hands.press(page.get_by_role("link", name=say("Start the session")))
    expect(title).to_have_text(say("Before you start"))
    if audit_pages:
        journey.check_page(page, "before the session")
    answer_ratings(hands, journey, BEFORE)
    hands.press(page.get_by_role("button", name=say("Next"), exact=True))

    pulled = False
    for step in range(40):
        no_errors(page)
        name = title.inner_text()
        if name == say("After the session"):
            break
        hands.choose(journey.group(page, say("Did you do this exercise?")), 0)  # Done
        effort = journey.group(page, say("How hard did it feel?")).or_(
            journey.group(page, say("How well could you talk while you did it?"))
        )
        hands.choose(effort, 2)
        hands.choose(journey.group(page, say("How much pain did you feel during the exercise?")), 1)
        if name == flare_name:
            hands.tick(
                page.get_by_role("checkbox", name=say("It pulled, or I had a spasm or a posture I could not undo"))
            )
            pulled = True
        if audit_pages and step == 0:
            journey.check_page(page, "an exercise of the session")
        hands.press(page.get_by_role("button", name=say("Next"), exact=True))
    assert pulled, f"the session never showed {flare_name} ({flare.exercise_id})"

    answer_ratings(hands, journey, AFTER)
    if audit_pages:
        journey.check_page(page, "after the session")
    hands.press(page.get_by_role("button", name=say("Save the session")))
    no_errors(page)
    expect(title).to_have_text(say("Session saved"))
    told = page.get_by_role("region", name=say("Your trainer has been told"))
    expect(told).to_contain_text(FLARE_MESSAGE[journey.language].format(date=flare.today.isoformat()))
    expect(page.get_by_role("region", name=say("What changes in your program"))).to_contain_text(flare_name)
    if audit_pages:
        journey.check_page(page, "the session's result")


def trainer_sees_it(hands: Hands, journey: Journey, flare: Flare, *, audit_pages: bool) -> None:
    """Bob: the flare in "Needs attention", then Alice's program: the adaptation on the exercise, and the exercise
    one level lower in the next session."""
    say, page = journey.say, hands.page
    alice = PERSONAS["alice"]
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Dashboard"))
    alert = page.get_by_role("listitem").filter(
        has_text=FLARE_MESSAGE[journey.language].format(date=flare.today.isoformat())
    )
    expect(alert).to_have_count(1)
    hands.press(alert.get_by_role("link", name=alice.name))

    expect(page.get_by_role("heading", level=1)).to_have_text(alice.name)
    sections = page.get_by_role("navigation", name=say("Sections about %(name)s", name=alice.name))
    hands.press(sections.get_by_role("link", name=say("Program"), exact=True))
    row = (
        page.get_by_role("region", name=say("Exercises from the next session"))  # today's session is logged
        .get_by_role("row")
        .filter(has_text=f"({flare.exercise_id})")
    )
    expect(row).to_contain_text(text_pattern(say("Adaptation from %(date)s: %(reason)s")))

    next_session = page.locator("details", has_text=format_date(flare.next_on, journey.language, length="full"))
    if next_session.get_attribute("open") is None:
        hands.press(next_session.locator("summary"), navigates=False)  # a disclosure: Enter or a click opens it
    block = next_session.get_by_role("listitem").filter(has_text=f"({flare.exercise_id})")
    expect(block).to_be_visible()
    expect(block).to_contain_text(say("Level %(level)s", level=flare.level - 1))
    if audit_pages:
        journey.check_page(page, "the trainer's program page")


def run(
    fresh_server: ServerFactory,
    browse: Browse,
    *,
    language: str,
    javascript: bool = True,
    keyboard: bool = False,
    audit_pages: bool = False,
) -> None:
    server = fresh_server()
    journey = Journey(server.base_url, language=language, keyboard=keyboard)

    alice = journey.open(browse(server, language=language, javascript=javascript), audit_pages=audit_pages)
    alice.sign_in(PERSONAS["alice"])
    alice.use_language(language)
    found = re.search(r"/p/(\d+)/today$", alice.page.url)
    assert found is not None, f"Alice's start page is {alice.page.url}, not her today page"
    flare = plan_the_flare(alice.page, int(found.group(1)))
    do_the_session(alice, journey, flare, audit_pages=audit_pages)

    bob = journey.open(browse(server, language=language, javascript=javascript), audit_pages=audit_pages)
    bob.sign_in(PERSONAS["bob"])
    bob.use_language(language)
    trainer_sees_it(bob, journey, flare, audit_pages=audit_pages)

    report = journey.report()
    assert not report, report


def test_flare_journey_in_english(fresh_server: ServerFactory, browse: Browse) -> None:
    run(fresh_server, browse, language="en", audit_pages=True)


def test_flare_journey_in_french(fresh_server: ServerFactory, browse: Browse) -> None:
    run(fresh_server, browse, language="fr", audit_pages=True)


def test_flare_journey_without_javascript(fresh_server: ServerFactory, browse: Browse) -> None:
    run(fresh_server, browse, language="en", javascript=False)


def test_flare_journey_by_keyboard_only(fresh_server: ServerFactory, browse: Browse) -> None:
    run(fresh_server, browse, language="fr", keyboard=True)
