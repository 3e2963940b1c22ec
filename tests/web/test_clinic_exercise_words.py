"""A clinic's own exercise is read in the reader's language wherever a catalog exercise is: on the participant's
today page, in the session player, on the result and history pages, and on the trainer's program page (its
schedule and every version's changes), even once it is retired and only an older plan still holds it.

Alice's plan is written in English (her profile's language) and she reads French; Eve's plan is written in French
and Carl, her caregiver, reads English. Olga's clinic has an exercise of its own under the same id (each clinic
numbers its exercises from XA01): its words never show on the Clinique Demo's pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.entrypoints.web.pages.participant_common import adaptation_changes
from neuromotrix.services import (
    accounts,
    library,
    participant_view,
    participants,
    programs,
    report_handout,
    report_progress,
)
from neuromotrix.services.access import participant_row
from tests.api.conftest import NOW, example_profile
from tests.web.conftest import Web, post_form
from tests.web.participant_helpers import done, finish, form_of, post, text_of
from tests.web.test_library_permissions import add_clinic_exercise, exercise_document, olga, staff_actor

GOALS = ["neck_control", "reduce_pain"]  # the example profile's goals: the squeeze earns a place in the plan
SQUEEZE = {"en": "Seated shoulder-blade squeeze", "fr": "Serrement des omoplates assis"}
PURPOSE = {"en": "Wakes up the muscles between the shoulder blades.", "fr": "Active les muscles entre les omoplates."}
INSTRUCTIONS = {
    "en": "Sit tall. Squeeze the shoulder blades gently together, then release.",
    "fr": "Assoyez-vous bien droit. Serrez doucement les omoplates, puis relâchez.",
}
LEVEL_WORDS = {"en": "squeezes", "fr": "serrements"}  # "Sitting, 6 squeezes" / "Assis, 6 serrements"
OLGAS = {"en": "Olga's wall slide", "fr": "Glissement au mur d'Olga"}


def _other(language: str) -> str:
    return "en" if language == "fr" else "fr"


def _clinic_exercises(web: Web) -> str:
    """Olga's clinic's XA01 first, then the Clinique Demo's own (XA01 too): only the latter may ever show."""
    _, olga_actor = olga(web)
    with web.container.uow(write=True) as uow:
        library.create_custom(uow, olga_actor, exercise_document(name=OLGAS, goals=GOALS), now=NOW)
        uow.commit()
    chosen = add_clinic_exercise(web, goals=GOALS)
    assert chosen == "XA01"
    return chosen


def _replan(web: Web, participant_id: int) -> None:
    """A new plan from the clinic's catalog, approved: the clinic exercise is in it."""
    bob = staff_actor(web)
    with web.container.uow(write=True) as uow:
        draft = programs.generate(uow, bob, participant_id, now=NOW, reason="intake")
        programs.approve(uow, bob, participant_id, draft.version, now=NOW)
        uow.commit()


def _enrol_eve_in_french(web: Web) -> int:
    """Eve: her profile (so her plan) in French, Carl her caregiver."""
    bob = staff_actor(web)
    profile = parse_profile(example_profile() | {"language": "fr"})
    with web.container.uow(write=True) as uow:
        eve = participants.enrol(
            uow, bob, display_name="Eve", language="fr", profile=profile, now=NOW, today=NOW.date()
        )
        participants.link_caregiver(
            uow, caregiver_id=web.world.ids["carl"], participant_id=eve, consent_by="participant", consent_name="Eve",
            now=NOW,
        )  # fmt: skip
        uow.commit()
    _replan(web, eve)
    return eve


def _go_to_day_of(web: Web, participant_id: int, exercise_id: str) -> str:
    """Move the clock to the first session holding the exercise; the plan's language."""
    with web.container.uow() as uow:
        version = programs.active_version(uow, participant_id)
        assert version is not None
        parsed = programs.parsed_plan(uow, version)
    day = min(
        date
        for date, session in parsed["_sessions_by_date"].items()
        if any(block["exercise_id"] == exercise_id for block in session["blocks"])
    )
    here = NOW.astimezone(ZoneInfo("America/Montreal")).date()
    web.world.clock.now = NOW + dt.timedelta(days=(dt.date.fromisoformat(day) - here).days)
    return str(parsed["language"])


def _alice_on_the_clinic_exercise_day(web: Web) -> tuple[str, int]:
    """Alice replanned with the clinic's exercise, the clock on its first day: the exercise's id and hers."""
    exercise_id = _clinic_exercises(web)
    pid = web.world.alice_id
    _replan(web, pid)
    _go_to_day_of(web, pid, exercise_id)
    return exercise_id, pid


def _set_language(web: Web, persona: str, language: str) -> None:
    with web.container.uow(write=True) as uow:
        accounts.set_language(uow, web.world.ids[persona], language)
        uow.commit()


def _play_to(client: TestClient, participant_id: int, name: str) -> tuple[httpx.Response, list[str], httpx.Response]:
    """Walk the session to its last step: the step whose title is `name`, every step's words, the last step."""
    page = client.get(f"/p/{participant_id}/session")
    assert page.status_code == 200, page.text
    form = form_of(page, "step-form")
    page = post(client, form, {"go": "next", "before_pain": "2", "before_dystonia": "2", "before_fatigue": "2"})
    found: httpx.Response | None = None
    words: list[str] = []
    while True:
        assert page.status_code == 200, page.text
        words.append(text_of(page))
        form = form_of(page, "step-form")
        step = form.hidden["step"]
        if step == "after":
            assert found is not None, f"no step is titled {name!r}"
            return found, words, page
        if f'<h1 id="page-title">{name}</h1>' in page.text:
            found = page
        page = post(client, form, {"go": "next", **done(int(step), form)})


def _assert_reads(words: str, language: str) -> None:
    """The clinic exercise's words are in `language` and never in the other, nor Olga's."""
    other = _other(language)
    assert SQUEEZE[language] in words and SQUEEZE[other] not in words
    assert OLGAS["en"] not in words and OLGAS["fr"] not in words, "another clinic's exercise leaked"


@pytest.mark.parametrize("reader", ["fr", "en"])
def test_the_player_shows_a_clinic_exercise_in_the_readers_language(web: Web, reader: str) -> None:
    exercise_id = _clinic_exercises(web)
    if reader == "fr":  # Alice reads French; her plan is in English
        participant_id, client = web.world.alice_id, web.signed_in("alice")
        _replan(web, participant_id)
    else:  # Carl reads English; Eve's plan is in French
        participant_id, client = _enrol_eve_in_french(web), web.signed_in("carl")
    plan_language = _go_to_day_of(web, participant_id, exercise_id)
    assert plan_language == _other(reader), "the plan is in the other language: its stored words would be wrong"

    today = text_of(client.get(f"/p/{participant_id}/today"))
    _assert_reads(today, reader)

    step, words, _ = _play_to(client, participant_id, SQUEEZE[reader])
    card = text_of(step)
    assert PURPOSE[reader] in card and INSTRUCTIONS[reader] in card and LEVEL_WORDS[reader] in card
    for other_words in (PURPOSE, INSTRUCTIONS, LEVEL_WORDS):
        assert other_words[plan_language] not in card
    _assert_reads(" ".join(words), reader)


def test_a_retired_clinic_exercise_still_in_the_plan_keeps_the_readers_words(web: Web) -> None:
    exercise_id = _clinic_exercises(web)
    pid = web.world.alice_id
    _replan(web, pid)
    _go_to_day_of(web, pid, exercise_id)
    with web.container.uow(write=True) as uow:
        assert library.remove_custom(uow, staff_actor(web), exercise_id, now=NOW) == "retired"
        uow.commit()
    alice = web.signed_in("alice")
    _assert_reads(text_of(alice.get(f"/p/{pid}/today")), "fr")
    step, _, _ = _play_to(alice, pid, SQUEEZE["fr"])
    assert INSTRUCTIONS["fr"] in text_of(step)


def test_the_history_names_the_clinic_exercise_done(web: Web) -> None:
    exercise_id = _clinic_exercises(web)
    pid = web.world.alice_id
    _replan(web, pid)
    _go_to_day_of(web, pid, exercise_id)
    alice = web.signed_in("alice")
    _, _, last = _play_to(alice, pid, SQUEEZE["fr"])
    logged = finish(alice, form_of(last, "step-form"))
    assert logged.status_code == 200 and "Votre séance est enregistrée" in text_of(logged)
    history = text_of(alice.get(f"/p/{pid}/history"))
    assert f"{SQUEEZE['fr']}: " in history, "named, not by its bare id"
    assert f"{exercise_id}:" not in history
    _set_language(web, "carl", "en")
    _assert_reads(text_of(web.signed_in("carl").get(f"/p/{pid}/history")), "en")


def _fake_request(language: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "state": {"language": language}})


@pytest.mark.parametrize("reader", ["fr", "en"])
def test_the_adaptation_changes_name_a_clinic_exercise_in_the_readers_language(web: Web, reader: str) -> None:
    exercise_id = _clinic_exercises(web)
    adaptation: dict[str, Any] = {
        "changes": [
            {
                "exercise_id": exercise_id,
                "action": "regress",
                "to_level": 1,
                "reason": {"en": "Pain.", "fr": "Douleur."},
            }
        ]
    }
    [change] = adaptation_changes(_fake_request(reader), web.container, web.world.alice_id, adaptation)
    assert change.name == SQUEEZE[reader]
    assert adaptation_changes(_fake_request(reader), web.container, web.world.alice_id, {"changes": []}) == []


@pytest.mark.parametrize("reader", ["en", "fr"])
def test_the_trainers_version_history_names_a_clinic_exercise(web: Web, reader: str) -> None:
    exercise_id, pid = _alice_on_the_clinic_exercise_day(web)
    _set_language(web, "bob", reader)
    bob = web.signed_in("bob")
    path = f"/participants/{pid}/program/exercises/{exercise_id}/dose"
    changed = post_form(bob, path, {"reps": "4", "dose_reason": "Shoulder tired"}, form_page=path.removesuffix("/dose"))
    assert changed.status_code == 303, changed.text
    page = bob.get(f"/participants/{pid}/program")
    assert page.status_code == 200
    versions = page.text.split('id="versions-title"', 1)[1]
    assert f"{SQUEEZE[reader]} ({exercise_id})" in versions, "named like a catalog exercise, with its id"
    assert f"<li>{exercise_id}:" not in versions
    schedule = page.text.split('id="sessions-title"', 1)[1]
    assert SQUEEZE[reader] in schedule and SQUEEZE[_other(reader)] not in schedule, "in the page's language"
    _assert_reads(page.text, reader)
    exercise_page = bob.get(path.removesuffix("/dose"))
    assert f'<span lang="{reader}">{SQUEEZE[reader]}</span> ({exercise_id})' in exercise_page.text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_handout_describes_a_clinic_exercise_in_its_own_language(web: Web, language: str) -> None:
    """Alice's plan is in English; a French handout names and explains the clinic's exercise in French."""
    _, pid = _alice_on_the_clinic_exercise_day(web)
    today = web.world.clock.now.astimezone(ZoneInfo("America/Montreal")).date()
    with web.container.uow() as uow:
        participant = participant_row(uow, staff_actor(web), pid)
        _, data, _ = report_handout.handout_data(uow, participant, language=language, today=today)
    words = " ".join(str(value) for value in _flatten(data))
    assert SQUEEZE[language] in words and INSTRUCTIONS[language] in words
    _assert_reads(words, language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_progress_report_names_a_changed_clinic_exercise(web: Web, language: str) -> None:
    exercise_id = _clinic_exercises(web)
    change = {
        "exercise_id": exercise_id,
        "action": "regress",
        "to_level": 1,
        "reason": {"en": "Pain.", "fr": "Douleur."},
    }
    with web.container.uow() as uow:
        described = participant_view.exercises_of(uow, web.world.alice_id, {exercise_id})
    text = report_progress.change_text(change, language, described)
    assert SQUEEZE[language] in text and exercise_id not in text.split(SQUEEZE[language])[0]
    assert OLGAS["en"] not in text and OLGAS["fr"] not in text


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [item for inner in value.values() for item in _flatten(inner)]
    if isinstance(value, list | tuple):
        return [item for inner in value for item in _flatten(inner)]
    return [value]
