"""The session player: Alice (French) and Carl, her caregiver, go through today's session step by step; the
answers travel in hidden fields and the last step logs the session once; Stop works from every step, and a
warning sign shows what to do now with the clinic's numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from neuromotrix.domain.alerts import STOP_LABELS, STOP_REASONS
from tests.web.conftest import Web
from tests.web.participant_helpers import (
    Form,
    alerts_of,
    assert_csp_clean,
    blocks_of,
    finish,
    form_of,
    logs,
    play,
    post,
    text_of,
)


def test_alice_does_her_session_step_by_step_and_it_is_logged_once(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    page, form = play(alice, pid, before=(4, 3, 2))
    assert "Après la séance" in text_of(page)
    first = finish(alice, form, after=(3, 3, 4), notes="Bien allé.")
    assert first.status_code == 200, first.text
    assert "Merci! Votre séance est enregistrée." in text_of(first)
    again = finish(alice, form, after=(3, 3, 4), notes="Bien allé.")  # a double click, a reload
    assert again.status_code == 200 and "Votre séance est enregistrée" in text_of(again)
    [log] = logs(web.container)
    assert (log.pre_pain, log.pre_dystonia, log.pre_fatigue) == (4, 3, 2)
    assert (log.post_pain, log.post_dystonia, log.post_fatigue) == (3, 3, 4)
    assert log.entered_as == "participant" and log.entered_by == web.world.ids["alice"]
    assert log.notes == "Bien allé." and log.stop_reason is None
    today = alice.get(f"/api/v1/participants/{pid}/today").json()  # Alice's own API view of the same session
    blocks = blocks_of(web.container, log.id)
    assert [block.exercise_id for block in blocks] == [block["exercise_id"] for block in today["session"]["blocks"]]
    assert all(block.status == "done" and block.pain == 1 for block in blocks)
    assert "Cette séance est enregistrée" in text_of(alice.get(f"/p/{pid}/today"))
    assert_csp_clean(first)


def test_every_step_has_a_stop_button_and_the_card_shows_the_dose(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    start = alice.get(f"/p/{pid}/session")
    assert form_of(start, "stop-form").buttons == [("go", "stop", "")]
    card = post(alice, form_of(start, "step-form"), {"go": "next", "before_pain": "2", "before_dystonia": "2", "before_fatigue": "2"})  # fmt: skip
    text = text_of(card)
    assert "Étape 2 de 11" in text and "Respiration abdominale" in text
    assert "Position" in text and "Effort" in text and "Comment le faire" in text
    assert "data-timers hidden" in card.text, "the timers appear only with JavaScript"
    assert "player.js" in card.text
    assert form_of(card, "stop-form").hidden["before_pain"] == "2", "Stop carries the answers so far"
    assert_csp_clean(card)


def test_back_shows_the_answers_already_given(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    start = form_of(alice.get(f"/p/{pid}/session"), "step-form")
    card = post(alice, start, {"go": "next", "before_pain": "6", "before_dystonia": "5", "before_fatigue": "4"})
    back = post(alice, form_of(card, "step-form"), {"go": "back"})
    assert back.status_code == 200
    again = form_of(back, "step-form")
    assert again.hidden["step"] == "before"
    assert again.checked == {"before_pain": "6", "before_dystonia": "5", "before_fatigue": "4"}


def test_a_step_without_its_answers_shows_the_error_summary(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    start = form_of(alice.get(f"/p/{pid}/session"), "step-form")
    refused = post(alice, start, {"go": "next", "before_pain": "3"})
    assert refused.status_code == 422
    assert "<title>Erreur :" in refused.text.replace("\u00a0", " ")
    assert 'href="#before_dystonia-0"' in refused.text and 'href="#before_fatigue-0"' in refused.text
    assert 'id="before_pain-3" name="before_pain" value="3" checked' in refused.text, "what was chosen stays"
    card = post(alice, start, {"go": "next", "before_pain": "3", "before_dystonia": "3", "before_fatigue": "3"})
    block = form_of(card, "step-form")
    wrong = post(alice, block, {"go": "next", "b0_status": "done", "b0_reps": "many"})
    assert wrong.status_code == 422
    text = text_of(wrong)
    assert "effort" in text and "0 à 10" in text
    assert 'href="#b0_effort-0"' in wrong.text and 'href="#b0_pain-0"' in wrong.text and 'href="#b0_reps"' in wrong.text
    assert logs(web.container) == []


def test_carl_logs_alices_session_in_english_and_the_log_says_so(web: Web) -> None:
    carl = web.signed_in("carl")
    pid = web.world.alice_id
    assert f"/p/{pid}/today" in carl.get("/people").text
    page, form = play(carl, pid)
    assert "You are looking at the pages of Alice" in text_of(page)
    assert "Belly breathing" in carl.get(f"/p/{pid}/today").text, "the exercises in the reader's language"
    result = finish(carl, form)
    assert "Thank you! Your session is logged." in text_of(result)
    [log] = logs(web.container)
    assert log.entered_as == "caregiver" and log.entered_by == web.world.ids["carl"]
    history = text_of(carl.get(f"/p/{pid}/history"))
    assert "Carl (caregiver)" in history


def test_a_flare_is_reported_to_the_trainer_and_the_program_adapts(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id

    def pulled(index: int, form: Form) -> dict[str, str]:
        prefix = f"b{index}_"
        return {
            prefix + "status": "partial" if index == 1 else "done",
            prefix + "effort": form.radios[prefix + "effort"][2],
            prefix + "pain": "3",
            **({prefix + "pulled": "yes"} if index == 1 else {}),
        }

    _, form = play(alice, pid, before=(3, 3, 2), block=pulled)
    result = finish(alice, form, after=(4, 6, 5))
    text = text_of(result)
    assert "Nous avons prévenu votre intervenant ou intervenante" in text
    assert "Poussée dystonique" in text, "the flare alert in plain words"
    assert "Ne refaites pas ceux-ci aujourd'hui" in text
    [flare] = alerts_of(web.container, "flare")
    assert flare.participant_id == pid
    seen_by_bob = web.world.client("bob").get("/api/v1/alerts").json()["items"]
    assert [alert["kind"] for alert in seen_by_bob].count("flare") == 1
    log = logs(web.container)[0]
    assert [block.sustained_posture for block in blocks_of(web.container, log.id)][1] is True


def test_stop_shows_every_reason_and_can_go_back(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    start = alice.get(f"/p/{pid}/session")
    card = post(alice, form_of(start, "step-form"), {"go": "next", "before_pain": "2", "before_dystonia": "2", "before_fatigue": "2"})  # fmt: skip
    stop = post(alice, form_of(card, "stop-form"), {"go": "stop"})
    assert stop.status_code == 200
    reasons = form_of(stop, "stop-reasons")
    assert reasons.radios["reason"] == list(STOP_REASONS)
    for reason in STOP_REASONS:
        assert STOP_LABELS[reason].fr.replace("'", "&#39;") in stop.text
    assert 'href="tel:911"' in stop.text
    resume = [button for button in reasons.buttons if button[1] == "resume"]
    assert resume == [("go", "resume", f"/p/{pid}/session")]
    back = post(alice, reasons, {"go": "resume"}, action=f"/p/{pid}/session")
    assert form_of(back, "step-form").hidden["step"] == "0", "back to the exercise where Stop was pressed"
    missing = post(alice, reasons, {"go": "confirm"})
    assert missing.status_code == 422 and 'href="#reason-chest_pain"' in missing.text
    assert_csp_clean(stop)


def test_an_emergency_stop_logs_what_was_done_and_shows_what_to_do_at_once(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    start = alice.get(f"/p/{pid}/session")
    card = post(alice, form_of(start, "step-form"), {"go": "next", "before_pain": "2", "before_dystonia": "2", "before_fatigue": "2"})  # fmt: skip
    block = form_of(card, "step-form")
    second = post(alice, block, {"go": "next", "b0_status": "done", "b0_effort": "2", "b0_pain": "1"})
    stop = post(alice, form_of(second, "stop-form"), {"go": "stop"})
    result = post(alice, form_of(stop, "stop-reasons"), {"go": "confirm", "reason": "chest_pain"})
    assert result.status_code == 200
    text = text_of(result)
    assert text.index("Arrêtez maintenant et obtenez de l'aide") < text.index("Ce que nous avons enregistré")
    assert "appelez le 911" in text and "Ce service n'est pas surveillé en tout temps." in text
    assert 'href="tel:911"' in result.text and 'href="tel:811"' in result.text
    assert 'role="alert"' in result.text
    [log] = logs(web.container)
    assert log.stop_reason == "chest_pain" and log.post_pain is None
    assert [block.position for block in blocks_of(web.container, log.id)] == [0]
    [alert] = alerts_of(web.container, "hard_stop")
    assert alert.severity == "emergency"


def test_stopping_before_the_first_answer_still_alerts_for_a_warning_sign(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    stop = post(alice, form_of(alice.get(f"/p/{pid}/session"), "stop-form"), {"go": "stop"})
    assert "rien n'est enregistré comme fait" in text_of(stop)
    result = post(alice, form_of(stop, "stop-reasons"), {"go": "confirm", "reason": "dizziness"})
    text = text_of(result)
    assert "Arrêtez et demandez conseil aujourd'hui" in text and "811" in text
    assert logs(web.container) == []
    [alert] = alerts_of(web.container, "hard_stop")
    assert alert.severity == "urgent" and "avant de commencer" in alert.message_fr


def test_a_stop_for_pain_is_logged_without_emergency_guidance(web: Web) -> None:
    carl = web.signed_in("carl")
    pid = web.world.alice_id
    start = carl.get(f"/p/{pid}/session")
    card = post(carl, form_of(start, "step-form"), {"go": "next", "before_pain": "5", "before_dystonia": "2", "before_fatigue": "2"})  # fmt: skip
    stop = post(carl, form_of(card, "stop-form"), {"go": "stop"})
    result = post(carl, form_of(stop, "stop-reasons"), {"go": "confirm", "reason": "pain", "notes": "Neck sore"})
    text = text_of(result)
    assert "Session stopped" in text and 'role="alert"' not in result.text
    [log] = logs(web.container)
    assert log.stop_reason == "pain" and log.entered_as == "caregiver" and log.notes == "Neck sore"
    assert blocks_of(web.container, log.id) == []


def test_no_session_on_a_rest_day(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    web.world.clock.now += dt.timedelta(days=1)  # Tuesday: Alice trains on Mondays, Wednesdays and Fridays
    today = alice.get(f"/p/{pid}/today")
    text = text_of(today)
    assert "Jour de repos" in text and "Prochaine séance" in text
    assert "/session" not in today.text
    redirected = alice.get(f"/p/{pid}/session")
    assert redirected.status_code == 303 and redirected.headers["location"] == f"/p/{pid}/today"


@pytest.mark.parametrize("path", ["/session", "/today", "/checkin", "/post-injection", "/history", "/progress", "/injections", "/charts/pain.svg"])  # fmt: skip
def test_charlie_may_not_see_alices_pages(web: Web, path: str) -> None:
    charlie = web.signed_in("charlie")
    response = charlie.get(f"/p/{web.world.alice_id}{path}")
    assert response.status_code == 404


def test_charlie_may_not_write_for_alice(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    form = form_of(alice.get(f"/p/{pid}/session"), "step-form")
    charlie = web.signed_in("charlie")
    token = form_of(charlie.get("/dashboard"), "sign-out").hidden["csrf_token"]
    ratings = {"before_pain": "2", "before_dystonia": "2", "before_fatigue": "2"}
    for path in ("/session", "/session/stop", "/checkin", "/post-injection", "/injections"):
        response = charlie.post(f"/p/{pid}{path}", data={**form.hidden, **ratings, "csrf_token": token})
        assert response.status_code == 404, path
    assert logs(web.container) == []
