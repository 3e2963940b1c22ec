"""Correcting and withdrawing recorded assessments on the pages, on SQLite and PostgreSQL: Bob corrects a wrong
answer or withdraws an entry from the Outcomes section (confirmation forms with a reason, errors summarised at the
top, English and French); a second entry of the same instrument on one day is refused with a link to correct the
entry on file; Alice corrects her own questionnaire; people who may not see Alice get no such page.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import assessments
from tests.api.conftest import NOW
from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.trainer_helpers import text_of

TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)


def outcomes(web: Web, suffix: str = "") -> str:
    return f"/participants/{web.world.alice_id}/outcomes{suffix}"


def entry_path(web: Web, assessment_id: int, action: str) -> str:
    return outcomes(web, f"/entries/{assessment_id}/{action}")


def stored(web: Web) -> list[sa.Row[tuple[object, ...]]]:
    with web.container.uow() as uow:
        return list(uow.connection.execute(sa.select(assessments).order_by(assessments.c.id)))


def record_pain(browser: TestClient, web: Web, now: str, average: str, taken_on: dt.date = TODAY) -> int:
    sent = post_form(
        browser, outcomes(web, "/pain_nrs"), {"taken_on": taken_on.isoformat(), "q_now": now, "q_average_24h": average}
    )
    assert sent.status_code == 303, text_of(sent)[:2000]
    return int(stored(web)[-1].id)


def test_bob_corrects_a_wrong_answer_from_the_outcomes_section(web: Web) -> None:
    bob = web.signed_in("bob")
    first = record_pain(bob, web, "8", "5")
    page = bob.get(outcomes(web))
    assert f'href="{entry_path(web, first, "correct")}"' in page.text
    assert f'href="{entry_path(web, first, "withdraw")}"' in page.text
    form = bob.get(entry_path(web, first, "correct"))
    assert form.status_code == 200
    assert 'id="q_now-8" name="q_now" value="8" checked' in form.text  # filled in with what is on file
    assert f'value="{TODAY.isoformat()}"' in form.text and 'id="reason"' in form.text
    sent = bob.post(
        entry_path(web, first, "correct"),
        data={"csrf_token": csrf_of(form), "taken_on": TODAY.isoformat(), "q_now": "3", "q_average_24h": "5",
              "reason": "Typed 8 for 3."},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303, text_of(sent)[:2000]
    assert sent.headers["location"] == outcomes(web, "?notice=assessment_corrected")
    rows = stored(web)
    assert [(row.status, row.scores["now"], row.corrects) for row in rows] == [
        ("corrected", 8, None),
        ("current", 3, first),
    ]
    assert rows[0].change_reason == "Typed 8 for 3." and rows[0].changed_by == web.world.ids["bob"]
    listed = text_of(bob.get(sent.headers["location"]))
    assert "Correction saved" in listed
    assert "Corrected on" in listed and "by Bob" in listed and "Why: Typed 8 for 3." in listed
    assert f'href="{entry_path(web, first, "correct")}"' not in bob.get(outcomes(web)).text  # no longer changeable
    closed = bob.get(entry_path(web, first, "correct"))
    assert "already corrected" in text_of(closed) and 'name="reason"' not in closed.text


def test_a_correction_without_a_reason_or_change_is_summarised_at_the_top(web: Web) -> None:
    bob = web.signed_in("bob")
    first = record_pain(bob, web, "4", "4")
    missing = post_form(
        bob, entry_path(web, first, "correct"), {"taken_on": TODAY.isoformat(), "q_now": "5", "q_average_24h": "4"}
    )
    assert missing.status_code == 422
    summary = missing.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#reason"' in summary and "Say why" in summary
    assert 'id="q_now-5" name="q_now" value="5" checked' in missing.text  # what was typed is kept
    unchanged = post_form(
        bob, entry_path(web, first, "correct"),
        {"taken_on": TODAY.isoformat(), "q_now": "4", "q_average_24h": "4", "reason": "Checking."},
    )  # fmt: skip
    assert unchanged.status_code == 422 and "Nothing was changed" in text_of(unchanged)
    assert [row.status for row in stored(web)] == ["current"]


def test_bob_withdraws_an_entry_made_in_error_in_french(web: Web) -> None:
    bob = web.signed_in("bob")
    assert (
        post_form(bob, "/language", {"language": "fr", "next": "/dashboard"}, form_page="/dashboard").status_code == 303
    )
    first = record_pain(bob, web, "6", "6")
    form = bob.get(entry_path(web, first, "withdraw"))
    assert form.status_code == 200 and lang_of(form) == "fr"
    assert "Retirer une saisie" in text_of(form)
    refused = bob.post(
        entry_path(web, first, "withdraw"), data={"csrf_token": csrf_of(form), "reason": " "}, follow_redirects=False
    )
    assert refused.status_code == 422 and 'href="#reason"' in refused.text
    sent = bob.post(
        entry_path(web, first, "withdraw"),
        data={"csrf_token": csrf_of(form), "reason": "Saisi pour la mauvaise personne."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert [(row.status, row.change_reason) for row in stored(web)] == [
        ("withdrawn", "Saisi pour la mauvaise personne.")
    ]
    page = bob.get(sent.headers["location"])
    words = text_of(page)
    assert "Retirée le" in words and "Saisi pour la mauvaise personne." in words
    assert "pain_nrs-now" not in page.text  # no chart of a withdrawn score
    assert bob.get(outcomes(web, "/charts/pain_nrs/now.svg")).status_code == 404


def test_a_second_entry_on_one_day_links_to_the_entry_on_file(web: Web) -> None:
    bob = web.signed_in("bob")
    first = record_pain(bob, web, "4", "4")
    again = post_form(
        bob, outcomes(web, "/pain_nrs"), {"taken_on": TODAY.isoformat(), "q_now": "5", "q_average_24h": "5"}
    )
    assert again.status_code == 422
    assert "already recorded for that day" in text_of(again)
    assert f'href="{entry_path(web, first, "correct")}"' in again.text
    assert len(stored(web)) == 1


def test_alice_corrects_her_own_questionnaire_and_is_told_of_a_duplicate(web: Web) -> None:
    alice = web.signed_in("alice")
    form_path = f"/p/{web.world.alice_id}/assessments/pain_nrs"
    sent = post_form(alice, form_path, {"taken_on": TODAY.isoformat(), "q_now": "6", "q_average_24h": "5"})
    assert sent.status_code == 303
    first = int(stored(web)[-1].id)
    correct_path = f"/p/{web.world.alice_id}/assessments/entries/{first}/correct"
    twice = post_form(alice, form_path, {"taken_on": TODAY.isoformat(), "q_now": "2", "q_average_24h": "2"})
    assert twice.status_code == 422 and lang_of(twice) == "fr"
    assert f'href="{correct_path}"' in twice.text and "déjà enregistré pour ce jour" in text_of(twice)
    listed = alice.get(f"/p/{web.world.alice_id}/assessments")
    assert f'href="{correct_path}"' in listed.text
    corrected = post_form(
        alice, correct_path,
        {"taken_on": YESTERDAY.isoformat(), "q_now": "6", "q_average_24h": "5", "reason": "C'était hier."},
    )  # fmt: skip
    assert corrected.status_code == 303, text_of(corrected)[:2000]
    assert [(row.status, row.taken_on) for row in stored(web)] == [("corrected", TODAY), ("current", YESTERDAY)]
    assert "Correction enregistrée" in text_of(alice.get(corrected.headers["location"]))


def test_people_who_may_not_change_the_entry_get_no_such_page(web: Web) -> None:
    bob = web.signed_in("bob")
    first = record_pain(bob, web, "4", "4")
    tug = post_form(bob, outcomes(web, "/tug"), {"taken_on": TODAY.isoformat(), "q_seconds": "12.4"})
    assert tug.status_code == 303
    tug_id = int(stored(web)[-1].id)
    charlie = web.signed_in("charlie")  # a trainer who is not Alice's
    for action in ("correct", "withdraw"):
        assert charlie.get(entry_path(web, first, action)).status_code == 404
        assert (
            post_form(charlie, entry_path(web, first, action), {"reason": "x"}, form_page="/dashboard").status_code
            == 404
        )
    alice = web.signed_in("alice")
    assert alice.get(entry_path(web, first, "correct")).status_code == 403  # the trainer's pages
    assert alice.get(f"/p/{web.world.alice_id}/assessments/entries/{tug_id}/correct").status_code == 404  # a test
    assert bob.get(entry_path(web, 999999, "correct")).status_code == 404
    assert [row.status for row in stored(web)] == ["current", "current"]


def test_the_entry_links_are_keyboard_reachable_and_named(web: Web) -> None:
    bob = web.signed_in("bob")
    first = record_pain(bob, web, "4", "4")
    page = bob.get(outcomes(web)).text
    link = re.search(
        rf'<a class="button button-secondary" href="{re.escape(entry_path(web, first, "withdraw"))}">(.*?)</a>',
        page,
        re.S,
    )
    assert link is not None
    assert "Withdraw" in link.group(1) and "visually-hidden" in link.group(1)  # says which entry to a screen reader
