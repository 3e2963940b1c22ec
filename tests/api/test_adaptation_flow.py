"""The adaptation engine on stored programs (BRIEF §4.4-4.5): Alice logs sessions and next-day check-ins, the
program adapts at once inside the approved program, Bob is notified and may override any change.

Alice's plan starts on Monday 23 November 2026 (sessions on plan days); the clock moves with her.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neuromotrix.services import program_changes, programs
from tests.api.conftest import World

MONTREAL_AFTERNOON = dt.time(20, 0, tzinfo=dt.UTC)  # 15:00 in Montréal: after the session, before midnight


def base(world: World) -> str:
    return f"/api/v1/participants/{world.alice_id}"


def at(world: World, day: dt.date) -> None:
    world.clock.now = dt.datetime.combine(day, MONTREAL_AFTERNOON)


def session_days(world: World, count: int, start: dt.date = dt.date(2026, 11, 23)) -> list[dt.date]:
    """The next `count` planned session days from `start`."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        found = world.client("bob").get(f"{base(world)}/today", params={"date": day.isoformat()}).json()
        if found["session"] is not None:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def easy_effort(block: dict[str, Any]) -> float:
    """The low end of the block's prescribed effort, on its own scale."""
    target = block["dose"]["effort"]["target"]
    return float(target[0] if isinstance(target, list) else target)


def log(world: World, day: dt.date, *, pulling_after: int = 3, pain: int = 1) -> dict[str, Any]:
    """Alice logs the session of `day` (the program in force that day), every block done."""
    at(world, day)
    alice = world.client("alice")
    session = alice.get(f"{base(world)}/today").json()["session"]
    body = {
        "performed_on": day.isoformat(),
        "before": {"pain": 2, "dystonia": 3, "fatigue": 2},
        "after": {"pain": 2, "dystonia": pulling_after, "fatigue": 3},
        "blocks": [
            {
                "position": index,
                "exercise_id": block["exercise_id"],
                "status": "done",
                "effort": easy_effort(block),
                "pain": pain,
            }
            for index, block in enumerate(session["blocks"])
        ],
    }
    answer = alice.post(f"{base(world)}/session-logs", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()) | {"levels": {block["exercise_id"]: block["level"] for block in session["blocks"]}}


def check_in(world: World, log_id: int, day: dt.date, *, pain: int = 2, dystonia: int = 3) -> dict[str, Any]:
    at(world, day)
    body = {"checked_on": day.isoformat(), "session_log_id": log_id, "pain": pain, "dystonia": dystonia, "fatigue": 2}
    answer = world.client("alice").post(f"{base(world)}/checkins", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def active(world: World) -> dict[str, Any]:
    found = world.client("bob").get(f"{base(world)}/programs/active")
    assert found.status_code == 200, found.text
    return dict(found.json())


def clean_weeks(world: World, sessions: int) -> list[dt.date]:
    """`sessions` clean sessions, each with a next-day check-in at baseline."""
    days = session_days(world, sessions)
    for day in days:
        logged = log(world, day)
        check_in(world, logged["id"], day + dt.timedelta(days=1))
    return days


def progressed(program: dict[str, Any]) -> list[dict[str, Any]]:
    return [change for change in program["changes"] if change["action"] == "progress"]


def test_first_logged_session_puts_levels_under_the_logs(world: World) -> None:
    first = session_days(world, 1)[0]
    logged = log(world, first)
    adaptation = logged["adaptation"]
    assert adaptation is not None, "the first adaptation pins every exercise at its level"
    program = active(world)
    assert program["source"] == "adaptation" and program["version"] == adaptation["program_version"]
    assert {change["action"] for change in program["changes"]} == {"hold"}
    assert all(adjustment["source"] == "adaptation" for adjustment in program["adjustments"])
    assert all(
        adjustment["from_date"] == (first + dt.timedelta(days=1)).isoformat() for adjustment in program["adjustments"]
    )
    # The same logs again change nothing.
    with world.container.uow(write=True) as uow:
        assert program_changes.adapt_active(uow, world.alice_id, now=world.clock.now, today=first) is None


def test_a_clean_history_progresses_one_level_and_notifies_the_trainer(world: World) -> None:
    clean_weeks(world, 4)
    program = active(world)
    versions = world.client("bob").get(f"{base(world)}/programs").json()
    moved = [change for version in versions for change in version["changes"] if change["action"] == "progress"]
    assert moved, [version["changes"] for version in versions]
    assert all(change["to_level"] > change["from_level"] for change in moved)
    assert all(change["reason"]["en"] and change["reason"]["fr"] for change in moved)
    alerts = world.client("bob").get("/api/v1/alerts", params={"participant_id": world.alice_id}).json()["items"]
    assert any(alert["kind"] == "adaptation" and "up to level" in alert["message"] for alert in alerts)
    # The next session carries the new level.
    change = moved[-1]
    next_day = dt.date.fromisoformat(change["from_date"])
    upcoming = session_days(world, 1, start=next_day)[0]
    session = world.client("alice").get(f"{base(world)}/today", params={"date": upcoming.isoformat()}).json()
    levels = {block["exercise_id"]: block["level"] for block in session["session"]["blocks"]}
    if change["exercise_id"] in levels:
        assert levels[change["exercise_id"]] == change["to_level"]
    assert program["status"] == "active"


def test_missing_next_day_check_ins_never_progress(world: World) -> None:
    for day in session_days(world, 4):
        log(world, day)
    versions = world.client("bob").get(f"{base(world)}/programs").json()
    assert not [change for version in versions for change in version["changes"] if change["action"] == "progress"]


def test_a_flare_regresses_and_two_flares_pause_with_an_alert(world: World) -> None:
    first, second = session_days(world, 2)
    logged = log(world, first, pulling_after=6)
    assert [alert["kind"] for alert in logged["alerts"]] == ["flare"]
    check_in(world, logged["id"], first + dt.timedelta(days=1), dystonia=7)
    again = log(world, second, pulling_after=6)
    check_in(world, again["id"], second + dt.timedelta(days=1), dystonia=7)
    versions = world.client("bob").get(f"{base(world)}/programs").json()
    actions = {change["action"] for version in versions for change in version["changes"]}
    assert "progress" not in actions
    assert actions & {"regress", "pause"}, actions
    alerts = world.client("bob").get("/api/v1/alerts", params={"participant_id": world.alice_id}).json()["items"]
    if "pause" in actions:
        assert any(alert["kind"] == "item_paused" for alert in alerts)
        paused = [a for a in active(world)["adjustments"] if a["paused"]]
        assert paused
        later = session_days(world, 1, start=dt.date.fromisoformat(paused[0]["from_date"]))[0]
        session = world.client("alice").get(f"{base(world)}/today", params={"date": later.isoformat()}).json()
        assert paused[0]["exercise_id"] not in {block["exercise_id"] for block in session["session"]["blocks"]}


def test_trainer_override_is_pinned_and_release_hands_back(world: World) -> None:
    first = session_days(world, 1)[0]
    logged = log(world, first)
    exercise = sorted(logged["levels"])[0]
    bob = world.client("bob")
    pinned = bob.post(
        f"{base(world)}/programs/overrides",
        json={"exercise_id": exercise, "level": 1, "reason": "Keep it easy until the next visit."},
    )
    assert pinned.status_code == 201, pinned.text
    version = pinned.json()
    assert version["source"] == "trainer_override" and version["status"] == "active"
    mine = {a["exercise_id"]: a for a in version["adjustments"]}[exercise]
    assert mine["source"] == "trainer" and mine["level"] == 1
    # More logs: the engine leaves the pinned exercise alone.
    for day in session_days(world, 3, start=first + dt.timedelta(days=1)):
        again = log(world, day)
        check_in(world, again["id"], day + dt.timedelta(days=1))
    after = {a["exercise_id"]: a for a in active(world)["adjustments"]}[exercise]
    assert after["source"] == "trainer" and after["level"] == 1
    released = bob.post(
        f"{base(world)}/programs/overrides", json={"exercise_id": exercise, "release": True, "reason": "Back to plan."}
    )
    assert released.status_code == 201, released.text
    assert exercise not in {a["exercise_id"] for a in released.json()["adjustments"]}


def test_override_is_checked(world: World) -> None:
    bob = world.client("bob")
    unknown = bob.post(f"{base(world)}/programs/overrides", json={"exercise_id": "ZZ99", "level": 1, "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "exercise_id"]
    nothing = bob.post(f"{base(world)}/programs/overrides", json={"exercise_id": "NM04", "reason": "x"})
    assert nothing.status_code == 422 and nothing.json()["detail"][0]["loc"] == ["body", "level"]
    high = bob.post(f"{base(world)}/programs/overrides", json={"exercise_id": "NM04", "level": 19, "reason": "x"})
    assert high.status_code == 422 and high.json()["detail"][0]["loc"] == ["body", "level"]
    assert world.client("alice").post(
        f"{base(world)}/programs/overrides", json={"exercise_id": "NM04", "level": 1, "reason": "x"}
    ).status_code in (403, 404)
    assert (
        world.client("charlie")
        .post(f"{base(world)}/programs/overrides", json={"exercise_id": "NM04", "level": 1, "reason": "x"})
        .status_code
        == 404
    )


def test_trainer_dose_edit_survives_adaptation(world: World) -> None:
    first = session_days(world, 1)[0]
    at(world, first)
    exercise = world.client("alice").get(f"{base(world)}/today").json()["session"]["blocks"][0]["exercise_id"]
    edited = world.client("bob").post(
        f"{base(world)}/programs/edits", json={"exercise_id": exercise, "reason": "Shorter sets", "dose": {"sets": 1}}
    )
    assert edited.status_code == 201, edited.text
    logged = log(world, first)
    assert logged["adaptation"] is not None
    with world.container.uow() as uow:
        row = programs.active_version(uow, world.alice_id)
        assert row is not None and row.source == "adaptation"
        assert [edit["exercise_id"] for edit in row.edits] == [exercise]


def test_a_waiting_draft_receives_adaptations_when_approved(world: World) -> None:
    bob = world.client("bob")
    draft = bob.post(f"{base(world)}/programs", json={"reason": "review"}).json()
    first = session_days(world, 1)[0]
    log(world, first)
    approved = bob.post(f"{base(world)}/programs/{draft['version']}/approve")
    assert approved.status_code == 200, approved.text
    program = approved.json()
    assert program["status"] == "active" and program["source"] == "approval"
    assert program["adjustments"] and any(c["action"] == "carried_adaptation" for c in program["changes"])
    statuses = {v["version"]: v["status"] for v in bob.get(f"{base(world)}/programs").json()}
    assert statuses[draft["version"]] == "superseded"


def test_next_day_check_in_needs_the_three_ratings(world: World) -> None:
    first = session_days(world, 1)[0]
    logged = log(world, first)
    answer = world.client("alice").post(
        f"{base(world)}/checkins", json={"checked_on": "2026-11-24", "session_log_id": logged["id"], "pain": 2}
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "dystonia"]
