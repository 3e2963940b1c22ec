"""Outcome instruments on the pages (BRIEF §7): Alice (who reads French) is reminded of her questionnaires and fills
them in; her trainer Bob enters the tests and reads the Outcomes section, where a change is labelled only when it
passes the instrument's thresholds; Bob enters the licensed wording of his clinic. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import assessments
from tests.api.conftest import NOW
from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.trainer_helpers import text_of

TODAY = NOW.date()


def questionnaire(web: Web, instrument: str = "pain_nrs") -> str:
    return f"/p/{web.world.alice_id}/assessments/{instrument}"


def outcomes(web: Web, suffix: str = "") -> str:
    return f"/participants/{web.world.alice_id}/outcomes{suffix}"


def stored(web: Web) -> list[sa.Row[tuple[object, ...]]]:
    with web.container.uow() as uow:
        return list(uow.connection.execute(sa.select(assessments).order_by(assessments.c.taken_on, assessments.c.id)))


def enter(browser: TestClient, path: str, answers: dict[str, str], taken_on: dt.date) -> None:
    response = post_form(browser, path, {"taken_on": taken_on.isoformat(), **answers})
    assert response.status_code == 303, text_of(response)[:2000]


def test_alice_is_reminded_of_her_questionnaires_and_fills_one_in_in_french(web: Web) -> None:
    alice = web.signed_in("alice")
    today = alice.get(f"/p/{web.world.alice_id}/today")
    assert "Questionnaires à remplir" in text_of(today)
    assert f'href="{questionnaire(web)}"' in today.text
    assert f'href="{questionnaire(web, "tug")}"' not in today.text  # a trainer's test, not hers to enter
    form = alice.get(questionnaire(web))
    assert form.status_code == 200 and lang_of(form) == "fr"
    words = text_of(form)
    assert "Quelle est l’intensité de votre douleur en ce moment" in words
    assert "pas une traduction validée publiée" in words
    assert 'id="q_now-0"' in form.text and 'id="q_now-10"' in form.text  # a 0-10 rating as large radio buttons
    sent = alice.post(
        questionnaire(web),
        data={"csrf_token": csrf_of(form), "key": "form-1", "taken_on": TODAY.isoformat(), "q_now": "6", "q_average_24h": "5"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/p/{web.world.alice_id}/assessments?saved=pain_nrs"
    again = alice.post(
        questionnaire(web),
        data={"csrf_token": csrf_of(form), "key": "form-1", "taken_on": TODAY.isoformat(), "q_now": "6", "q_average_24h": "5"},
        follow_redirects=False,
    )  # fmt: skip
    assert again.status_code == 303  # a double click records once
    rows = stored(web)
    assert [(row.instrument, row.scores, row.source, row.entered_as) for row in rows] == [
        ("pain_nrs", {"now": 6, "average_24h": 5}, "web", "participant")
    ]
    listed = text_of(alice.get(sent.headers["location"]))
    assert "Merci. Vos réponses sont enregistrées." in listed
    reminded = alice.get(f"/p/{web.world.alice_id}/today").text
    assert f'href="{questionnaire(web)}"' not in reminded  # done: no longer due
    assert f'href="{questionnaire(web, "dystonia_diary")}"' in reminded


def test_the_questionnaire_in_english_has_no_translation_note(web: Web) -> None:
    carl = web.signed_in("carl")  # Alice's caregiver reads English
    page = carl.get(questionnaire(web))
    assert page.status_code == 200 and lang_of(page) == "en"
    words = text_of(page)
    assert "How much pain do you have right now?" in words
    assert "not a published validated translation" not in words


def test_a_form_with_problems_shows_the_error_summary(web: Web) -> None:
    carl = web.signed_in("carl")
    empty = post_form(carl, questionnaire(web), {"taken_on": TODAY.isoformat()})
    assert empty.status_code == 422
    assert "There is a problem" in text_of(empty)
    assert '<a href="#q_now-0">Answer at least one question, then send the form again.</a>' in empty.text
    wrong = post_form(carl, questionnaire(web), {"taken_on": "yesterday", "q_now": "12"})
    assert wrong.status_code == 422
    assert '<a href="#taken_on">' in wrong.text and '<a href="#q_now-0">' in wrong.text
    future = post_form(carl, questionnaire(web), {"taken_on": (TODAY + dt.timedelta(days=2)).isoformat(), "q_now": "2"})
    assert future.status_code == 422
    assert "The date is after today." in text_of(future)
    assert stored(web) == []


def test_pages_refuse_what_the_reader_may_not_do(web: Web) -> None:
    alice = web.signed_in("alice")
    assert alice.get(questionnaire(web, "tug")).status_code == 404  # performance tests are the trainer's
    assert alice.get(questionnaire(web, "no_such_thing")).status_code == 404
    assert alice.get(outcomes(web)).status_code == 403
    assert alice.get("/instruments").status_code == 403
    charlie = web.signed_in("charlie")
    assert charlie.get(f"/p/{web.world.alice_id}/assessments").status_code == 404
    assert charlie.get(questionnaire(web)).status_code == 404
    assert charlie.get(outcomes(web)).status_code == 404
    assert post_form(charlie, outcomes(web, "/tug"), {"taken_on": TODAY.isoformat(), "q_seconds": "12"}, form_page="/instruments").status_code == 404  # fmt: skip
    assert stored(web) == []


def test_the_outcomes_section_labels_a_change_only_beyond_its_threshold(web: Web) -> None:
    bob = web.signed_in("bob")
    section = bob.get(outcomes(web))
    assert section.status_code == 200
    words = text_of(section)
    assert "Outcomes" in words and "Due" in words and "Baseline" in words  # the due table: baseline reasons
    assert "No score recorded yet." in words
    start, later = TODAY - dt.timedelta(days=28), TODAY
    # Pain now 8 → 5: 3 points, beyond the MCID of 2. Pain over 24 h 8 → 7: 1 point (12.5 %), no label.
    enter(bob, outcomes(web, "/pain_nrs"), {"q_now": "8", "q_average_24h": "8"}, start)
    enter(bob, outcomes(web, "/pain_nrs"), {"q_now": "5", "q_average_24h": "7"}, later)
    # TUG 15.5 s → 11 s: beyond the MDC of 3.5 s (no MCID established). 30-s chair stand 10 → 11: no threshold.
    enter(bob, outcomes(web, "/tug"), {"q_seconds": "15.5"}, start)
    enter(bob, outcomes(web, "/tug"), {"q_seconds": "11"}, later)
    enter(bob, outcomes(web, "/chair_stand_30s"), {"q_stands": "10"}, start)
    redirected = post_form(bob, outcomes(web, "/chair_stand_30s"), {"taken_on": later.isoformat(), "q_stands": "11"})
    assert redirected.headers["location"] == outcomes(web, "?notice=assessment_recorded")
    page = bob.get(redirected.headers["location"])
    rows = [row.split("</tr>")[0] for row in page.text.split('<th scope="row">')[1:]]
    names = ("Pain now", "Average pain over the last 24 hours", "Timed Up and Go", "30-second chair stand")
    labels = {name: next(row for row in rows if name in row.split("</th>")[0]) for name in names}
    assert "Clinically meaningful improvement" in labels["Pain now"]
    assert "Clinically meaningful" not in labels["Average pain over the last 24 hours"]
    assert "beyond measurement error" not in labels["Average pain over the last 24 hours"]
    assert "Improvement beyond measurement error" in labels["Timed Up and Go"]
    assert "Clinically meaningful" not in labels["Timed Up and Go"]
    chair = labels["30-second chair stand"]
    assert "+1" in chair and "Clinically meaningful" not in chair and "measurement error" not in chair
    assert "Recorded. The scores below include it." in text_of(page)
    chart = bob.get(outcomes(web, "/charts/tug/seconds.svg"))
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert "<title" in chart.text and "<desc" in chart.text and "<script" not in chart.text
    pain_chart = bob.get(outcomes(web, "/charts/pain_nrs/now.svg"))
    assert "Clinically meaningful change (lower)" in pain_chart.text  # the MCID band around the baseline
    assert bob.get(outcomes(web, "/charts/tug/nothing.svg")).status_code == 404


def test_the_outcomes_section_in_french(web: Web) -> None:
    bob = web.signed_in("bob")
    enter(bob, outcomes(web, "/pain_nrs"), {"q_now": "8", "q_average_24h": "8"}, TODAY - dt.timedelta(days=28))
    enter(bob, outcomes(web, "/pain_nrs"), {"q_now": "4", "q_average_24h": "8"}, TODAY)
    page = bob.get(outcomes(web))
    bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": outcomes(web)})
    french = bob.get(outcomes(web))
    assert french.status_code == 200 and lang_of(french) == "fr"
    words = text_of(french)
    assert "Résultats" in words and "Amélioration cliniquement significative" in words
    form = bob.get(outcomes(web, "/tug"))
    assert "pas une traduction validée publiée" in text_of(form)


def test_bob_enters_the_licensed_wording_of_his_clinic(web: Web) -> None:
    bob = web.signed_in("bob")
    listing = text_of(bob.get("/instruments"))
    assert "Licensed" in listing and "0 of 19 items entered" in listing
    assert bob.get("/instruments/pain_nrs").status_code == 404  # free instruments ship their wording
    half = post_form(bob, "/instruments/twstrs", {"rotation-en": "Head turning", "rotation-fr": ""})
    assert half.status_code == 422
    assert '<a href="#rotation-fr">' in half.text
    saved = post_form(bob, "/instruments/twstrs", {"rotation-en": "Head turning", "rotation-fr": "Rotation de la tête"})
    assert saved.status_code == 303
    assert "1 of 19 items entered" in text_of(bob.get(saved.headers["location"]))
    entry = text_of(bob.get(outcomes(web, "/twstrs")))
    assert "Head turning" in entry and "Item laterocollis (wording not entered)" in entry
