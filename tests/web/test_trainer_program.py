"""Alice's program on Bob's pages: the version in use with every block's dose and reasons and what was left out,
dose edits and overrides with a reason (and the error summary without one), a regenerated draft reviewed and
approved, and a flare that reaches Bob's queue and comes back as an explained adaptation."""

from __future__ import annotations

import re

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import alerts, program_versions
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import participants, programs
from tests.api.conftest import example_profile
from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.test_rendering import INLINE_SCRIPT, INLINE_STYLE
from tests.web.trainer_helpers import bob_actor, log_alice_session, plain, text_of


def program_page(web: Web) -> str:
    return f"/participants/{web.world.alice_id}/program"


def first_exercise(web: Web) -> str:
    """The first exercise of the next session, as the program page lists it."""
    page = web.signed_in("bob").get(program_page(web))
    found = re.search(rf'href="{program_page(web)}/exercises/([A-Z]{{2}}\d{{2}})"', page.text)
    assert found is not None, page.text
    return found.group(1)


def latest(web: Web) -> sa.Row[tuple[object, ...]]:
    with web.container.uow() as uow:
        row = programs.latest_version(uow, web.world.alice_id)
    assert row is not None
    return row


def test_the_program_shows_weeks_sessions_blocks_with_doses_reasons_and_what_was_left_out(web: Web) -> None:
    page = web.signed_in("bob").get(program_page(web))
    assert page.status_code == 200
    text = text_of(page)
    assert "Version 1: Active" in text and "Generated from the profile" in text
    assert "Week 1" in text and "Monday, November 23, 2026" in text and "next session" in text
    assert '<details class="session" open>' in page.text, "the next session is open, the others folded"
    assert text.count("Level ") > 5 and "out of 10" in text
    assert 'class="rule"' in page.text, "every reason shows its rule"
    assert "Left out, and why" in text
    assert "Exercises from today" in text and "Change" in text
    assert "Counter-direction turn" in text, "exercise names come from the catalog in the reader's language"


def test_a_dose_edit_with_a_reason_makes_a_new_active_version_explained_in_the_history(web: Web) -> None:
    exercise = first_exercise(web)
    bob = web.signed_in("bob")
    path = f"{program_page(web)}/exercises/{exercise}"
    form = bob.get(path)
    assert form.status_code == 200 and "Change the dose" in text_of(form)
    done = post_form(bob, f"{path}/dose", {"sets": "1", "dose_reason": "Shorter while the neck settles"}, form_page=path)  # fmt: skip
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"{program_page(web)}?notice=dose_changed"
    row = latest(web)
    assert row.status == "active" and row.source == "trainer_edit" and row.version == 2
    text = text_of(bob.get(done.headers["location"]))
    assert "Dose changed from today" in text
    assert "dose set to Sets 1. Reason: Shorter while the neck settles" in text
    assert "1 × " in text


def test_a_dose_edit_without_a_reason_or_with_a_wrong_number_shows_the_error_summary(web: Web) -> None:
    exercise = first_exercise(web)
    bob = web.signed_in("bob")
    path = f"{program_page(web)}/exercises/{exercise}"
    refused = post_form(bob, f"{path}/dose", {"sets": "2", "dose_reason": "  "}, form_page=path)
    assert refused.status_code == 422
    assert "<title>Error:" in refused.text and "There is a problem" in refused.text
    assert '<a href="#dose_reason">Give the reason for this change.' in refused.text
    assert 'id="sets" name="sets" type="text" value="2"' in refused.text, "what was typed stays"
    wrong = post_form(bob, f"{path}/dose", {"sets": "0", "minutes": "ten", "dose_reason": "x"}, form_page=path)
    assert wrong.status_code == 422
    assert '<a href="#sets">Enter a whole number from 1 to 20' in wrong.text
    assert '<a href="#minutes">Enter a number of minutes from 0 to 90' in wrong.text
    nothing = post_form(bob, f"{path}/dose", {"dose_reason": "Why not"}, form_page=path)
    assert nothing.status_code == 422 and "Enter at least one new value" in text_of(nothing)
    too_long = post_form(bob, f"{path}/dose", {"minutes": "60", "dose_reason": "More"}, form_page=path)
    assert too_long.status_code == 422 and "a session would last longer" in text_of(too_long)
    assert latest(web).version == 1, "nothing was saved"


def test_override_holds_pauses_and_hands_back_with_a_reason(web: Web) -> None:
    exercise = first_exercise(web)
    bob = web.signed_in("bob")
    path = f"{program_page(web)}/exercises/{exercise}"
    without = post_form(bob, f"{path}/override", {"override_reason": "Easy"}, form_page=path)
    assert without.status_code == 422 and '<a href="#action-level">Choose what to do' in without.text
    no_level = post_form(bob, f"{path}/override", {"action": "level", "override_reason": "Easy"}, form_page=path)
    assert no_level.status_code == 422 and '<a href="#level-1">Choose the level' in no_level.text
    held = post_form(bob, f"{path}/override", {"action": "level", "level": "1", "override_reason": "Keep it easy"}, form_page=path)  # fmt: skip
    assert held.status_code == 303 and held.headers["location"].endswith("notice=override_saved")
    row = latest(web)
    assert row.source == "trainer_override"
    assert [(a["exercise_id"], a["level"], a["source"]) for a in row.adjustments] == [(exercise, 1, "trainer")]
    text = text_of(bob.get(program_page(web)))
    assert "held at level 1 by a trainer. Reason: Keep it easy" in text
    assert "Held at level 1 by a trainer from November 23, 2026. Reason: Keep it easy" in text
    assert "Hand it back to the adaptation engine" in text_of(bob.get(path))
    paused = post_form(bob, f"{path}/override", {"action": "pause", "override_reason": "Neck pain"}, form_page=path)
    assert paused.status_code == 303
    assert "Paused exercises" in text_of(bob.get(program_page(web)))
    released = post_form(bob, f"{path}/override", {"action": "release", "override_reason": "Back to plan"}, form_page=path)  # fmt: skip
    assert released.headers["location"].endswith("notice=override_released")
    assert latest(web).adjustments == []
    again = post_form(bob, f"{path}/override", {"action": "release", "override_reason": "Again"}, form_page=path)
    assert again.status_code == 422


def test_a_draft_after_a_profile_change_is_reviewed_then_approved(web: Web) -> None:
    document = example_profile()
    document["preferences"]["equipment"] = []
    bob_service = bob_actor(web.world)
    now = web.world.clock.now
    with web.container.uow(write=True) as uow:
        participants.change_profile(uow, bob_service, web.world.alice_id, parse_profile(document), reason="No equipment at home any more", now=now, today=now.date())  # fmt: skip
        programs.generate(uow, bob_service, web.world.alice_id, now=now, reason="No equipment at home any more")
        uow.commit()
    bob = web.signed_in("bob")
    page = bob.get(program_page(web))
    text = text_of(page)
    assert "Draft version 2 waits for approval" in text
    assert "What changes from November 23, 2026 against version 1" in text
    assert "Reason given: No equipment at home any more" in text
    assert "Removed:" in text or "Now left out:" in text or "Changed:" in text
    approve = f"{program_page(web)}/versions/2/approve"
    assert f'action="{approve}"' in page.text
    done = bob.post(approve, data={"csrf_token": csrf_of(page)})
    assert done.status_code == 303 and done.headers["location"].endswith("notice=program_approved")
    with web.container.uow() as uow:
        statuses = dict(uow.connection.execute(sa.select(program_versions.c.version, program_versions.c.status)).all())
    assert statuses == {1: "superseded", 2: "active"}
    after = text_of(bob.get(done.headers["location"]))
    assert "Program approved" in after and "Draft version" not in after
    twice = bob.post(approve, data={"csrf_token": csrf_of(page)})
    assert twice.status_code == 409, "only a draft can be approved"
    assert web.signed_in("charlie").post(approve, data={"csrf_token": "x"}).status_code == 403


def test_a_flare_reaches_the_queue_and_the_adaptation_is_explained_in_the_readers_language(web: Web) -> None:
    logged = log_alice_session(web.world, pulling_after=7)
    assert any(alert["kind"] == "flare" for alert in logged["alerts"]), logged
    with web.container.uow() as uow:
        flare = uow.connection.execute(sa.select(alerts).where(alerts.c.kind == "flare")).one()
    bob = web.signed_in("bob")
    queue = text_of(bob.get("/dashboard"))
    assert plain(flare.message_en) in queue
    assert logged["adaptation"] is not None
    row = latest(web)
    assert row.source == "adaptation"
    reason = row.changes[0]["reason"]
    history = text_of(bob.get(program_page(web)))
    assert "Adapted from the sessions" in history and plain(reason["en"]) in history
    page = bob.get(program_page(web))
    bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": program_page(web)})
    french = bob.get(program_page(web))
    assert lang_of(french) == "fr"
    versions = text_of(french).split("Versions", 1)[-1]
    assert plain(reason["fr"]) in versions and plain(reason["en"]) not in versions
    assert plain(flare.message_fr) in text_of(bob.get("/dashboard"))


def test_exercise_pages_of_other_people_or_unknown_exercises_are_not_found(web: Web) -> None:
    exercise = first_exercise(web)
    path = f"{program_page(web)}/exercises/{exercise}"
    assert web.signed_in("charlie").get(path).status_code == 404
    assert web.signed_in("bob").get(f"{program_page(web)}/exercises/ZZ99").status_code == 404
    unknown = post_form(web.signed_in("bob"), f"{program_page(web)}/exercises/ZZ99/dose", {"sets": "1", "dose_reason": "x"}, form_page=path)  # fmt: skip
    assert unknown.status_code == 404
    assert web.signed_in("bob").get(f"{program_page(web)}?version=99").status_code == 404


def test_the_trainer_pages_need_nothing_the_content_security_policy_forbids(web: Web) -> None:
    exercise = first_exercise(web)
    bob = web.signed_in("bob")
    path = f"{program_page(web)}/exercises/{exercise}"
    participant = f"/participants/{web.world.alice_id}"
    pages = [bob.get("/dashboard"), bob.get(path), post_form(bob, f"{path}/dose", {"dose_reason": ""}, form_page=path)]
    pages += [
        bob.get(f"{participant}{suffix}") for suffix in ("", "/profile", "/screening", "/clearances", "/injections")
    ]
    pages += [bob.get(f"{program_page(web)}?weeks=all")]
    for page in pages:
        assert page.status_code in (200, 422), page.url
        assert not INLINE_SCRIPT.search(page.text), page.url
        assert not INLINE_STYLE.search(page.text), page.url
        assert "http://" not in page.text and "https://" not in page.text, page.url
        assert page.text.count("<h1") == 1, page.url
        assert 'href="/static/trainer.css?v=' in page.text, page.url


def test_errors_and_confirmations_in_french(web: Web) -> None:
    exercise = first_exercise(web)
    bob = web.signed_in("bob")
    path = f"{program_page(web)}/exercises/{exercise}"
    page = bob.get(path)
    bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": path})
    refused = post_form(bob, f"{path}/dose", {"sets": "1", "dose_reason": ""}, form_page=path)
    assert refused.status_code == 422 and lang_of(refused) == "fr"
    assert "<title>Erreur" in refused.text and "Donnez la raison de ce changement." in text_of(refused)
    done = post_form(bob, f"{path}/dose", {"sets": "1", "dose_reason": "Une série"}, form_page=path)
    assert done.status_code == 303
    after = text_of(bob.get(done.headers["location"]))
    assert "Dose modifiée à partir d'aujourd'hui." in after
    assert "dose réglée à Séries 1. Raison : Une série" in after
