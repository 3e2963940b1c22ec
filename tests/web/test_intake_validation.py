"""A wrong answer is shown on its step, in the error summary and next to the field, with every answer kept; Back,
"Change" from the review and "Add another" never lose anything; nothing is enrolled until the intake is valid."""

from __future__ import annotations

from html import escape

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Web
from tests.web.intake_helpers import (
    CERVICAL_DYSTONIA,
    Story,
    current_step,
    main_text,
    press,
    progress,
    value_of,
    walk_to_review,
)


def _walk_to(client: TestClient, story: Story, target: str) -> httpx.Response:
    page = client.get("/participants/new")
    while current_step(page) != target:
        page = press(client, page, story.get(current_step(page), {}))
        assert page.status_code == 200, page.text[:3000]
    return page


def _assert_error(page: httpx.Response, field: str, message: str) -> None:
    assert page.status_code == 422, page.text[:3000]
    assert "<title>Error:" in page.text
    assert "There is a problem" in page.text
    assert f'<a href="#{field}">{escape(message).replace("&#x27;", "&#39;")}</a>' in page.text, main_text(page)
    assert f'id="{field}-error"' in page.text


def _participants(web: Web) -> int:
    return int(web.world.client("dana").get("/api/v1/participants").json()["total"])


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        ("person", {"display_name": ""}, "display_name", "Enter the person's name, as they like to be called."),
        ("person", {"birth_year": "nineteen"}, "birth_year", "Year of birth: enter a whole number, like 3."),
        ("person", {"birth_year": "1850"}, "birth_year", "Year of birth: enter 1900 or more."),
        ("person", {"email": "gilles.example.org"}, "email",
         "Enter a complete email address, like name@example.org, or leave the login email empty."),
        ("conditions", {"conditions": []}, "conditions", "Choose at least one condition."),
        ("conditions", {"dystonia.exercise_induced_max_bout_minutes": "90"},
         "dystonia.exercise_induced_max_bout_minutes",
         "Longest continuous bout set by the clinician (minutes): enter 60 or less."),
        ("dystonia", {"dystonia.regions": ["hand_right"]}, "dystonia.regions",
         "A neck pattern is described, but the neck is not ticked among the affected regions. Tick Neck, or set the "
         "neck answers back to None, Not known and No."),
        ("symptoms", {"symptoms.falls_last_12_months": "-1"}, "symptoms.falls_last_12_months",
         "Falls in the last 12 months: enter 0 or more."),
        ("treatments", {"toxin.0.regions": []}, "toxin.0.regions",
         "Injection 1: tick at least one injected region, or empty the whole row."),
        ("treatments", {"toxin.0.date": "2026-13-05"}, "toxin.0.date",
         "Injection 1: date: enter a real date as year-month-day, like 2026-11-23."),
        ("treatments", {"med.0.name": "propranolol", "med.0.change": "started"}, "med.0.changed_on",
         "Medication 1: date of the change: enter the date of the change, or choose No recent change."),
        ("treatments", {"dbs.has": "yes"}, "dbs.implanted_on",
         "Enter the date the DBS was implanted, or answer No to deep brain stimulation."),
        ("screening", {"clearance.by": ""}, "clearance.by",
         "Enter who gave the clearance, or answer No to a clearance on file."),
        ("preferences", {"preferences.weeks": "20"}, "preferences.weeks", "Length of the program in weeks: enter 16 or less."),
        ("preferences", {"preferences.minutes_per_session": "5"}, "preferences.minutes_per_session",
         "Minutes per session: enter 10 or more."),
        ("preferences", {"preferences.time_of_day": "25:00"}, "preferences.time_of_day",
         "Time of the sessions: enter a time on the 24-hour clock, like 09:30."),
        ("goals", {"goals": ["fly"]}, "goals", "Goals: choose one of the options shown."),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_shown_on_its_step_with_every_answer_kept(
    web: Web, step: str, changes: dict[str, str | list[str]], field: str, message: str
) -> None:
    bob = web.signed_in("bob")
    page = _walk_to(bob, CERVICAL_DYSTONIA, step)
    shown_first = {name: value_of(page, name) for name in changes}
    typed = {**CERVICAL_DYSTONIA[step], **changes}
    refused = press(bob, page, typed)
    _assert_error(refused, field, message)
    assert current_step(refused) == step
    for name, given in typed.items():  # what was typed is still there, wrong answer included
        expected = [given] if isinstance(given, str) else [item for item in given if f'value="{item}"' in page.text]
        assert sorted(value_of(refused, name)) == sorted(expected), name
    fixed = press(bob, refused, {**shown_first, **CERVICAL_DYSTONIA[step]})
    assert fixed.status_code == 200 and current_step(fixed) != step


def test_back_keeps_the_answers_of_every_step(web: Web) -> None:
    bob = web.signed_in("bob")
    page = _walk_to(bob, CERVICAL_DYSTONIA, "treatments")
    page = press(
        bob, page, {"toxin.0.product": "onabotulinumtoxinA", "toxin.0.dose_units": "not a number"}, action="back"
    )
    assert page.status_code == 200 and current_step(page) == "symptoms"  # Back does not check the step
    assert value_of(page, "symptoms.pain_nrs") == ["4"]
    page = press(bob, page, action="back")
    page = press(bob, page, action="back")
    assert current_step(page) == "conditions"
    page = press(bob, page)
    assert value_of(page, "cervical.rotation.toward") == ["right"]
    assert value_of(page, "cervical.confirmed_by_clinician") == ["yes"]
    page = press(bob, press(bob, page))
    assert current_step(page) == "treatments"
    assert value_of(page, "toxin.0.product") == ["onabotulinumtoxinA"]
    assert value_of(page, "toxin.0.dose_units") == ["not a number"]
    refused = press(bob, page)
    _assert_error(refused, "toxin.0.dose_units", "Injection 1: dose in units: enter a number, like 200.")


def test_every_step_but_the_first_has_back_and_progress(web: Web) -> None:
    bob = web.signed_in("bob")
    page = bob.get("/participants/new")
    assert 'value="back"' not in page.text
    assert "Step 1 of 8" in page.text
    steps = 1
    while current_step(page) != "review":
        page = press(bob, page, CERVICAL_DYSTONIA.get(current_step(page), {}))
        steps += 1
        assert 'name="action" value="back"' in page.text
        assert progress(page) == (steps, 9 if steps > 2 else 8)  # the dystonia step counts once a dystonia is ticked


def test_change_from_the_review_comes_back_to_the_review(web: Web) -> None:
    bob = web.signed_in("bob")
    review = walk_to_review(bob, CERVICAL_DYSTONIA)
    assert "4 out of 10" in main_text(review)
    page = press(bob, review, action="change:symptoms")
    assert current_step(page) == "symptoms"
    assert "Save and return to the review" in page.text
    page = press(bob, page, {"symptoms.pain_nrs": "6"})
    assert current_step(page) == "review"
    text = main_text(page)
    assert "6 out of 10" in text and "Dr. A. Roy" in text and "Right; level: Both; severity: 2 – mild" in text


def test_a_condition_added_from_the_review_asks_its_step_first(web: Web) -> None:
    bob = web.signed_in("bob")
    review = walk_to_review(bob, {"person": {"display_name": "Pia"}, "conditions": {"conditions": ["parkinson"]}})
    page = press(bob, review, action="change:conditions")
    page = press(bob, page, {"conditions": ["parkinson", "dystonia"]})
    assert current_step(page) == "dystonia"
    page = press(bob, page, {"dystonia.regions": ["foot_left"]})
    assert current_step(page) == "review"
    assert "Left foot" in main_text(page)


def test_add_another_injection_and_medication(web: Web) -> None:
    bob = web.signed_in("bob")
    page = _walk_to(bob, CERVICAL_DYSTONIA, "treatments")
    page = press(bob, page, CERVICAL_DYSTONIA["treatments"], action="add:toxin")
    assert current_step(page) == "treatments" and value_of(page, "toxin.count") == ["2"]
    page = press(bob, page, {"toxin.1.date": "2026-08-18", "toxin.1.regions": ["neck", "arm_right"]}, action="add:med")
    page = press(bob, page, {"med.0.name": "trihexyphenidyl", "med.0.class": "anticholinergic",
                             "med.1.name": "propranolol", "med.1.class": "beta_blocker", "med.1.change": "started",
                             "med.1.changed_on": "2026-11-01"})  # fmt: skip
    assert current_step(page) == "screening"
    while current_step(page) != "review":
        page = press(bob, page, CERVICAL_DYSTONIA.get(current_step(page), {}))
    text = main_text(page)
    assert "Toxin injection 1 November 5, 2026; Neck" in text
    assert "Toxin injection 2 August 18, 2026; Neck, Right arm" in text
    assert "Medication 2 propranolol; Beta-blocker; Started on November 1, 2026" in text


def test_enter_submits_the_main_action_not_add_another(web: Web) -> None:
    bob = web.signed_in("bob")
    page = _walk_to(bob, CERVICAL_DYSTONIA, "treatments")
    form = page.text[page.text.index('<form class="intake-form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'value="next"' in first_button and 'tabindex="-1"' in first_button


def test_answers_the_page_did_not_write_start_the_intake_again(web: Web) -> None:
    bob = web.signed_in("bob")
    page = _walk_to(bob, CERVICAL_DYSTONIA, "symptoms")
    refused = press(bob, page, {"state": "{not json"})
    assert refused.status_code == 400
    assert current_step(refused) == "person"
    assert "Start again from the first step." in main_text(refused)


def test_a_login_email_already_in_use_is_refused_and_nothing_is_enrolled(web: Web) -> None:
    bob = web.signed_in("bob")
    before = _participants(web)
    story = {**CERVICAL_DYSTONIA, "person": {**CERVICAL_DYSTONIA["person"], "email": "alice@example.org"}}
    refused = press(bob, walk_to_review(bob, story), action="submit")
    _assert_error(
        refused,
        "email",
        "This login email already belongs to an account. Enter another address, or leave it empty and invite the "
        "person later.",
    )
    assert current_step(refused) == "person"
    assert value_of(refused, "display_name") == ["Gilles"]
    assert _participants(web) == before
    fixed = press(bob, refused, {"email": ""})
    assert current_step(fixed) == "review"  # straight back to the review: every other step was passed
    assert press(bob, fixed, action="submit").status_code == 303
    assert _participants(web) == before + 1


def test_submitting_an_answer_changed_behind_the_form_shows_its_step(web: Web) -> None:
    bob = web.signed_in("bob")
    review = walk_to_review(bob, CERVICAL_DYSTONIA)
    state = value_of(review, "state")[0].replace('"preferences.weeks":["6"]', '"preferences.weeks":["0"]')
    refused = press(bob, review, {"state": state}, action="submit")
    _assert_error(refused, "preferences.weeks", "Length of the program in weeks: enter 1 or more.")
    assert current_step(refused) == "preferences"
