"""The participant's and the caregiver's other pages: start pages, check-ins, history, progress charts and the
injection log, for Alice (French), Carl (her caregiver, English) and Bob (her trainer, who may look)."""

from __future__ import annotations

import datetime as dt
import re
import sys

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import users
from neuromotrix.services import accounts
from tests.api.conftest import NOW, PASSWORD
from tests.web.conftest import Web
from tests.web.participant_helpers import (
    alerts_of,
    assert_csp_clean,
    checkins_of,
    finish,
    form_of,
    logs,
    play,
    post,
    text_of,
)


def log_todays_session(web: Web, persona: str = "alice", *, after: tuple[int, int, int] = (3, 3, 3)) -> None:
    client = web.signed_in(persona)
    _, form = play(client, web.world.alice_id)
    assert finish(client, form, after=after).status_code == 200


# Start pages --------------------------------------------------------------------------------------------------


def test_today_takes_a_participant_to_their_own_day(web: Web) -> None:
    alice = web.signed_in("alice")
    response = alice.get("/today")
    assert response.status_code == 303 and response.headers["location"] == f"/p/{web.world.alice_id}/today"
    page = alice.get(response.headers["location"])
    text = text_of(page)
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "Séance d'aujourd'hui" in text and "Commencer la séance" in text
    assert "Respiration abdominale" in text, "the exercises of the day"
    assert "Arrêtez et demandez de l'aide immédiatement" in text and "911" in text, "the warning signs"
    assert f'href="/p/{web.world.alice_id}/session"' in page.text
    assert_csp_clean(page)


def test_a_participant_account_without_a_program_is_told_what_to_do(web: Web) -> None:
    with web.container.uow(write=True) as uow:
        clinic = uow.connection.execute(sa.select(users.c.clinic_id).where(users.c.id == web.world.ids["alice"]))
        accounts.create_user(
            uow, clinic_id=clinic.scalar_one(), email="paul@example.org", name="Paul", role="participant",
            now=NOW, password=PASSWORD, language="en",
        )  # fmt: skip
        uow.commit()
    page = web.signed_in("paul").get("/today")
    assert page.status_code == 200 and "not linked to a program yet" in text_of(page)


def test_carl_sees_the_people_he_helps_and_what_is_waiting(web: Web) -> None:
    carl = web.signed_in("carl")
    page = carl.get("/people")
    text = text_of(page)
    assert page.status_code == 200 and "Alice" in text
    assert "Session today: about" in text
    assert "The daily check-in after the injection is waiting." in text, "day 18 after Alice's neck injection"
    assert f'href="/p/{web.world.alice_id}/today"' in page.text
    today = text_of(carl.get(f"/p/{web.world.alice_id}/today"))
    assert "Today for Alice" in today and "Belly breathing" in today
    assert_csp_clean(page)


def test_bob_may_look_at_alices_pages(web: Web) -> None:
    bob = web.signed_in("bob")
    for path in ("today", "history", "progress", "injections"):
        page = bob.get(f"/p/{web.world.alice_id}/{path}")
        assert page.status_code == 200, path
        assert "You are looking at the pages of Alice" in text_of(page)


# Check-ins ----------------------------------------------------------------------------------------------------


def test_the_next_day_check_in_is_asked_and_feeds_the_program(web: Web) -> None:
    log_todays_session(web)
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    assert "/checkin" not in alice.get(f"/p/{pid}/today").text, "not on the day of the session"
    web.world.clock.now += dt.timedelta(days=1)
    today = alice.get(f"/p/{pid}/today")
    assert f'href="/p/{pid}/checkin"' in today.text and "Comment s'est passée la dernière séance?" in text_of(today)
    page = alice.get(f"/p/{pid}/checkin")
    form = form_of(page, "checkin-form")
    refused = post(alice, form, {"pain": "2"})
    assert refused.status_code == 422
    assert 'href="#dystonia-0"' in refused.text and 'href="#new_stiffness-yes"' in refused.text
    answer = {"pain": "2", "dystonia": "3", "fatigue": "2", "new_stiffness": "no"}
    sent = post(alice, form, answer)
    assert sent.status_code == 200 and "Merci! Vos réponses sont enregistrées." in text_of(sent)
    assert post(alice, form, answer).status_code == 200, "a second click replays the first answer"
    [checkin] = checkins_of(web.container)
    assert checkin.kind == "next_day" and checkin.session_log_id == logs(web.container)[0].id
    assert checkin.answers["pain"] == 2 and checkin.answers["new_stiffness"] is False
    assert checkin.entered_as == "participant"
    assert f'href="/p/{pid}/checkin"' not in alice.get(f"/p/{pid}/today").text, "answered: no longer asked"


def test_the_check_in_page_says_when_nothing_is_waiting(web: Web) -> None:
    page = web.signed_in("carl").get(f"/p/{web.world.alice_id}/checkin")
    assert page.status_code == 200 and "No session is waiting for a check-in" in text_of(page)
    assert "checkin-form" not in page.text


def test_a_post_injection_answer_of_trouble_breathing_shows_what_to_do_now(web: Web) -> None:
    carl = web.signed_in("carl")
    pid = web.world.alice_id
    page = carl.get(f"/p/{pid}/post-injection")
    assert "Day 18 of 21 after the injection of November 5, 2026." in text_of(page)
    form = form_of(page, "checkin-form")
    questions = ["breathing", "choking", "swallowing", "weakness", "double_vision", "drooping_eyelid", "voice_change"]
    assert list(form.radios) == questions
    partial = post(carl, form, {"breathing": "no"})
    assert partial.status_code == 422 and 'href="#choking-yes"' in partial.text, "an unanswered question is not a no"
    answers = dict.fromkeys(questions, "no") | {"breathing": "yes"}
    sent = post(carl, form, answers)
    text = text_of(sent)
    assert sent.status_code == 200 and 'role="alert"' in sent.text
    assert "Stop now and get help" in text and "Call 911 now." in text
    assert 'href="tel:911"' in sent.text and "Nobody watches these answers around the clock" in text
    [alert] = alerts_of(web.container, "post_injection_symptom")
    assert alert.severity == "emergency"
    [checkin] = checkins_of(web.container)
    assert checkin.kind == "post_injection" and checkin.entered_as == "caregiver"
    assert checkin.answers["breathing"] is True and checkin.answers["choking"] is False
    assert "The daily check-in after the injection is waiting." not in text_of(carl.get("/people"))
    assert_csp_clean(sent)


def test_a_post_injection_check_in_with_nothing_new(web: Web) -> None:
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    form = form_of(alice.get(f"/p/{pid}/post-injection"), "checkin-form")
    questions = ["breathing", "choking", "swallowing", "weakness", "double_vision", "drooping_eyelid", "voice_change"]
    sent = post(alice, form, dict.fromkeys(questions, "no"))
    assert "Rien de nouveau à signaler" in text_of(sent) and 'role="alert"' not in sent.text
    assert alerts_of(web.container, "post_injection_symptom") == []


# History, progress and charts -----------------------------------------------------------------------------------


def test_the_history_lists_sessions_check_ins_and_who_entered_them(web: Web) -> None:
    log_todays_session(web, "carl")
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    form = form_of(alice.get(f"/p/{pid}/post-injection"), "checkin-form")
    questions = ["breathing", "choking", "swallowing", "weakness", "double_vision", "drooping_eyelid", "voice_change"]
    post(alice, form, dict.fromkeys(questions, "no") | {"voice_change": "yes"})
    page = alice.get(f"/p/{pid}/history")
    text = text_of(page)
    assert page.status_code == 200
    assert "23 novembre 2026" in text and "Carl (proche aidant ou aidante)" in text
    assert "Alice (participant ou participante)" in text and "changement de la voix" in text
    assert "7 derniers jours" in text and "1 sur 1 prévue" in text
    assert "?sessions=2" not in page.text, "one page only"
    assert alice.get(f"/p/{pid}/history?sessions=9&checkins=x").status_code == 200, "out-of-range pages are empty"
    assert_csp_clean(page)


def test_the_charts_are_accessible_svg_without_script(web: Web) -> None:
    log_todays_session(web, after=(2, 4, 3))
    alice = web.signed_in("alice")
    pid = web.world.alice_id
    for kind in ("pain", "dystonia", "fatigue", "adherence"):
        response = alice.get(f"/p/{pid}/charts/{kind}.svg")
        assert response.status_code == 200, kind
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        svg = response.text
        assert svg.startswith("<svg") and "<script" not in svg and "<!--" not in svg
        assert f'<title id="chart-{kind}-title">' in svg and f'<desc id="chart-{kind}-desc">' in svg
        assert 'role="img"' in svg and f'aria-labelledby="chart-{kind}-title chart-{kind}-desc"' in svg
        assert alice.get(f"/p/{pid}/charts/{kind}.svg").text == svg, "the same data draws the same bytes"
    pain = alice.get(f"/p/{pid}/charts/pain.svg").text
    assert "Douleur avant et après chaque séance" in pain
    assert "Injection de toxine" in pain, "the injection of Nov. 5 is in the 90 days: marked"
    assert alice.get(f"/p/{pid}/charts/other.svg").status_code == 404
    assert not [finder for finder in sys.meta_path if type(finder).__name__ == "PluginImportFixer"], (
        "pygal's legacy import hook is taken out (it turns failed imports into ImportWarnings)"
    )


def test_the_progress_page_shows_each_chart_with_a_text_alternative_and_a_table(web: Web) -> None:
    log_todays_session(web, after=(2, 4, 3))
    page = web.signed_in("carl").get(f"/p/{web.world.alice_id}/progress")
    assert page.status_code == 200
    for kind in ("pain", "dystonia", "fatigue", "adherence"):
        assert re.search(rf'<img src="/p/{web.world.alice_id}/charts/{kind}\.svg" alt="[^"]{{40,}}"', page.text), kind
    text = text_of(page)
    assert "Latest session, November 23, 2026: 3 before, 2 after." in page.text
    assert "November 5, 2026 Toxin injection" in text, "the injection has its row"
    assert "3 → 2" in text and "3 → 4" in text
    assert_csp_clean(page)


# Injections -----------------------------------------------------------------------------------------------------


def test_carl_records_an_injection_and_sees_what_it_does(web: Web) -> None:
    carl = web.signed_in("carl")
    pid = web.world.alice_id
    page = carl.get(f"/p/{pid}/injections")
    assert "November 5, 2026" in text_of(page), "the injection that came with the profile"
    form = form_of(page, "injection-form")
    refused = post(carl, form, {"injected_on": "23/11/2026", "dose_units": "lots"})
    assert refused.status_code == 422
    assert 'href="#injected_on"' in refused.text and 'href="#regions-neck"' in refused.text
    assert 'href="#dose_units"' in refused.text
    future = post(carl, form, {"injected_on": "2026-12-01", "regions": "neck"})
    assert future.status_code == 422 and "after today" in text_of(future)
    recorded = carl.post(
        f"/p/{pid}/injections",
        data={**form.hidden, "injected_on": "2026-11-20", "regions": ["neck", "eyes"], "product": "Botox", "dose_units": "150"},
    )  # fmt: skip
    text = text_of(recorded)
    assert recorded.status_code == 200 and "Recorded. Program version" in text and "stays in use" in text
    assert "November 20, 2026" in text and "Neck, Eyes or eyelids" in text and "150 units" in text
    again = post(carl, form, {"injected_on": "2026-11-20", "regions": "neck"})
    assert again.status_code == 200, "another region set on the same day is another injection"
    duplicate = carl.post(f"/p/{pid}/injections", data={**form.hidden, "injected_on": "2026-11-20", "regions": ["eyes", "neck"]})  # fmt: skip
    assert duplicate.status_code == 409 and "already recorded" in text_of(duplicate)
    assert_csp_clean(recorded)


def test_alice_sees_only_her_own_pages(web: Web) -> None:
    alice = web.signed_in("alice")
    assert alice.get(f"/p/{web.world.alice_id + 1}/today").status_code == 404
    assert alice.get("/people").status_code == 403, "the caregiver's start page"
