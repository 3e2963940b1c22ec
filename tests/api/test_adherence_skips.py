"""Adherence counts what was done (services/attendance.py): a log with every block skipped is a missed session,
except one skipped for pulling or pain while the toxin wears off (BRIEF §5.2: expected, not non-adherence)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import injections
from neuromotrix.services import scans
from neuromotrix.services.attendance import injection_dates
from tests.api.conftest import NOW, World, example_profile, session_log_body

WEARING_OFF_SINCE = 70  # days since the injection: day 70 is in the wearing-off phase (toxin_phases.yaml, 57-140)


def every_block_skipped(world: World, reason: str) -> dict[str, Any]:
    body = session_log_body(world, stop_reason=reason)
    body["blocks"] = [{"position": block["position"], "exercise_id": block["exercise_id"], "status": "skipped"}
                      for block in body["blocks"]]  # fmt: skip
    body["after"] = None
    return body


def week(world: World) -> dict[str, Any]:
    windows = world.client("alice").get(f"/api/v1/participants/{world.alice_id}/adherence").json()["windows"]
    seven: dict[str, Any] = windows[0]
    assert seven["days"] == 7
    return seven


def log(world: World, body: dict[str, Any]) -> None:
    answer = world.client("alice").post(f"/api/v1/participants/{world.alice_id}/session-logs", json=body)
    assert answer.status_code == 201, answer.text


def inject(world: World, days_ago: int) -> None:
    """Alice's last injection was `days_ago` days ago: her profile's injection (18 days before the test's day) is
    moved there, as a trainer correcting the intake would, then the same date is recorded."""
    injected_on = (NOW.date() - dt.timedelta(days=days_ago)).isoformat()
    bob = world.client("bob")
    profile = example_profile()
    profile["treatments"]["botulinum_toxin"] = [{"date": injected_on, "regions": ["neck"]}]
    changed = bob.put(
        f"/api/v1/participants/{world.alice_id}/profile", json={"profile": profile, "reason": "Injection date fixed"}
    )
    assert changed.status_code == 200, changed.text
    other_day = (NOW.date() - dt.timedelta(days=days_ago + 1)).isoformat()
    answer = bob.post(
        f"/api/v1/participants/{world.alice_id}/injections", json={"injected_on": other_day, "regions": ["arm_left"]}
    )
    assert answer.status_code == 201, answer.text


def test_a_session_with_something_done_counts_as_attended_even_if_stopped_early(world: World) -> None:
    body = session_log_body(world, stop_reason="fatigue")
    body["blocks"][-1]["status"] = "skipped"
    log(world, body)
    assert (week(world)["scheduled"], week(world)["attended"]) == (1, 1)


def test_a_session_with_every_block_skipped_is_missed(world: World) -> None:
    log(world, every_block_skipped(world, "fatigue"))
    seven = week(world)
    assert (seven["scheduled"], seven["attended"], seven["rate"]) == (1, 0, 0.0)


def test_a_skip_for_pulling_while_the_toxin_wears_off_leaves_the_count(world: World) -> None:
    inject(world, WEARING_OFF_SINCE)
    log(world, every_block_skipped(world, "pulling"))
    seven = week(world)
    assert (seven["scheduled"], seven["attended"], seven["rate"]) == (0, 0, None), "excused, not missed"


def test_the_same_skip_at_peak_effect_is_missed(world: World) -> None:
    inject(world, 30)  # peak effect: pulling is not expected
    log(world, every_block_skipped(world, "pulling"))
    assert (week(world)["scheduled"], week(world)["attended"]) == (1, 0)


def test_injection_dates_come_from_the_records_and_the_profile(world: World) -> None:
    inject(world, WEARING_OFF_SINCE)
    with world.container.uow() as uow:
        recorded = set(uow.connection.execute(sa.select(injections.c.injected_on)).scalars())
        dates = injection_dates(uow)[world.alice_id]
        assert injection_dates(uow, world.alice_id) == {world.alice_id: dates}
    assert recorded == {NOW.date() - dt.timedelta(days=WEARING_OFF_SINCE + 1)}
    assert recorded <= dates, "a recorded injection counts"
    assert NOW.date() - dt.timedelta(days=WEARING_OFF_SINCE) in dates, "so does one only in the profile"


def test_the_scans_see_skips_and_excuses_as_the_route_does(world: World) -> None:
    inject(world, WEARING_OFF_SINCE)
    log(world, every_block_skipped(world, "pulling"))
    with world.container.uow() as uow:
        facts = {fact.participant_id: fact for fact in scans.read_facts(uow, now=NOW)}
    alice = facts[world.alice_id]
    assert alice.logged_days == [(NOW.date(), False, "pulling")]
    assert NOW.date() - dt.timedelta(days=WEARING_OFF_SINCE) in alice.injected_on
