"""Planner rules, one story each (BRIEF §3-§5; PRODUCT.md "Contracts")."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.plan import Plan, session_minutes
from neuromotrix.domain.planner import generate_plan, session_dates
from tests.factories import START, make_profile

CLEARED = {"parq": dict.fromkeys(("heart_condition", "chest_pain", "dizziness_or_fainting", "other_chronic_condition", "chronic_medication", "bone_joint_problem", "supervised_only"), False),
           "clearance": {"by": "Dr. L. Gagnon", "on": "2026-10-30"}}  # fmt: skip


def alice(**overrides: Any) -> dict[str, Any]:
    """Alice: cervical dystonia, head turned to the right, confirmed pattern, stable, cleared."""
    document: dict[str, Any] = {
        "birth_year": 1972,
        "conditions": [
            {
                "kind": "dystonia",
                "regions": ["neck"],
                "cervical": {
                    "rotation": {"toward": "right", "level": "both", "severity": 2},
                    "stability": "stable",
                    "confirmed_by_clinician": True,
                },
            }
        ],
        "screening": CLEARED,
        "preferences": {
            "start_on": "2026-11-23",
            "weeks": 8,
            "sessions_per_week": 3,
            "minutes_per_session": 30,
            "equipment": ["chair", "mat", "wall", "towel", "mirror", "resistance_band"],
        },
        "goals": ["neck_control"],
    }
    document.update(overrides)
    return document


def plan_for(document: dict[str, Any]) -> Plan:
    return generate_plan(make_profile(document), load_catalog())


def used_ids(plan: Plan) -> set[str]:
    return {block.exercise_id for week in plan.weeks for session in week.sessions for block in session.blocks}


def levels_by_week(plan: Plan, exercise_id: str) -> list[int]:
    return [
        max(block.level for session in week.sessions for block in session.blocks if block.exercise_id == exercise_id)
        for week in plan.weeks
        if any(block.exercise_id == exercise_id for session in week.sessions for block in session.blocks)
    ]


def test_alice_gets_a_ready_plan_with_counter_direction_neck_work() -> None:
    plan = plan_for(alice())
    assert plan.status == "ready"
    turns = [b for w in plan.weeks for s in w.sessions for b in s.blocks if b.exercise_id == "NM04"]
    assert turns, "the counter-direction turn is the core of Alice's program"
    assert all(b.direction is not None and b.direction.toward == "left" for b in turns)
    assert all(b.direction is not None and b.direction.relation == "counter" for b in turns)


def test_every_session_has_warm_up_main_and_cool_down_within_budget() -> None:
    plan = plan_for(alice())
    for week in plan.weeks:
        for session in week.sessions:
            parts = [block.part for block in session.blocks]
            assert parts[0] == "warm_up" and parts[-1] == "cool_down" and "main" in parts
            assert session.minutes == session_minutes(session.blocks) <= 30


def test_planned_progression_advances_one_level_at_a_time_for_a_healthy_profile() -> None:
    levels = levels_by_week(plan_for(alice()), "NM04")
    assert levels[-1] > levels[0], f"no progression over 8 weeks: {levels}"
    assert all(later - earlier in (0, 1) for earlier, later in itertools.pairwise(levels))


def test_a_neck_injection_in_the_plan_produces_a_visible_deload_week() -> None:
    injected_on = START + dt.timedelta(days=21)
    document = alice(treatments={"botulinum_toxin": [{"date": injected_on.isoformat(), "regions": ["neck"]}]})
    plan = plan_for(document)
    deload_weeks = [week for week in plan.weeks if week.deload]
    assert [week.week for week in deload_weeks] == [4]
    before = next(w for w in plan.weeks if w.week == 3).sessions[0].blocks
    after = next(w for w in plan.weeks if w.week == 4).sessions[0].blocks
    reps_before = {b.exercise_id: b.dose.reps for b in before if b.dose.reps}
    reps_after = {b.exercise_id: b.dose.reps for b in after if b.dose.reps}
    shared = reps_before.keys() & reps_after.keys()
    assert shared and any(reps_after[k] < reps_before[k] for k in shared)
    assert any(r.rule == "toxin.deload" for b in after for r in b.reasons)


def test_after_a_neck_injection_only_light_neck_isometrics_are_resisted() -> None:
    document = alice(treatments={"botulinum_toxin": [{"date": "2026-11-20", "regions": ["neck"]}]})
    plan = plan_for(document)
    first_two_weeks = [s for w in plan.weeks for s in w.sessions if s.date <= dt.date(2026, 12, 4)]
    for session in first_two_weeks:
        assert session.phase in {"post_injection", "onset"}
        for block in session.blocks:
            if block.resisted and "neck" in block.regions:
                assert block.category == "neck_isometrics"
                target = block.dose.effort.target
                assert block.dose.effort.scale == "percent_max"
                assert (target[1] if isinstance(target, tuple) else target) <= 20


def test_sessions_follow_named_days() -> None:
    preferences = {**alice()["preferences"], "days": ["tue", "thu"], "weeks": 2}
    del preferences["sessions_per_week"]
    profile = make_profile(alice(preferences=preferences))
    days = [day.strftime("%a").lower()[:3] for _, day in session_dates(profile)]
    assert days == ["tue", "thu", "tue", "thu"]


def test_unconfirmed_pattern_locks_counter_direction_work() -> None:
    document = alice()
    document["conditions"][0]["cervical"]["confirmed_by_clinician"] = False
    plan = plan_for(document)
    assert "NM04" not in used_ids(plan)
    assert any(item.exercise_id == "NM04" and item.reasons[0].rule == "pattern_unconfirmed" for item in plan.excluded)


def test_trigger_task_is_excluded_with_its_reason() -> None:
    document = {
        "conditions": [{"kind": "dystonia", "regions": ["hand_right"], "task_triggers": ["writing"]}],
        "screening": CLEARED,
        "preferences": {"start_on": "2026-11-23", "equipment": ["table", "putty", "whiteboard"]},
        "goals": ["hand_function"],
    }
    plan = plan_for(document)
    assert "FM04" not in used_ids(plan)
    assert any(
        item.exercise_id == "FM04" and any(r.rule == "trigger_task" for r in item.reasons) for item in plan.excluded
    )


def test_blocked_profile_gets_no_weeks() -> None:
    plan = plan_for(alice(symptoms={"escalating_spasms": True}))
    assert plan.status == "blocked" and plan.weeks == ()


def test_needs_clearance_with_cardiac_yes_gets_no_weeks() -> None:
    screening = {"parq": {**CLEARED["parq"], "chest_pain": True}}
    plan = plan_for(alice(screening=screening))
    assert plan.status == "needs_clearance" and plan.weeks == ()


def test_needs_clearance_gives_only_the_light_supported_starter_subset() -> None:
    plan = plan_for(alice(screening={"parq": {**CLEARED["parq"], "other_chronic_condition": True}}))
    assert plan.status == "needs_clearance" and plan.weeks
    for week in plan.weeks:
        for session in week.sessions:
            for block in session.blocks:
                assert not block.resisted
                assert block.position in {"lying", "reclined", "sitting_supported", "standing_supported"}


def test_exercise_induced_dystonia_caps_continuous_bouts() -> None:
    document = {
        "conditions": [{"kind": "parkinson", "hoehn_yahr": 2},
                       {"kind": "dystonia", "regions": ["foot_left"], "exercise_induced": True,
                        "exercise_induced_max_bout_minutes": 5}],
        "screening": CLEARED,
        "preferences": {"start_on": "2026-11-23", "minutes_per_session": 45, "equipment": ["chair", "stationary_bike"]},
        "goals": ["fitness"],
    }  # fmt: skip
    plan = plan_for(document)
    doses = [b.dose for w in plan.weeks for s in w.sessions for b in s.blocks]
    assert doses and all(max(d.minutes, d.continuous_minutes) <= 5 for d in doses)


def test_same_profile_gives_byte_identical_json() -> None:
    first = plan_for(alice()).model_dump_json()
    second = plan_for(alice()).model_dump_json()
    assert first == second


def test_plan_is_in_french_when_the_profile_is() -> None:
    plan = plan_for(alice(language="fr"))
    names = {b.name for w in plan.weeks for s in w.sessions for b in s.blocks}
    reasons = [r.text for w in plan.weeks for s in w.sessions for b in s.blocks for r in b.reasons]
    assert "Rotation dans le sens opposé" in names or any("opposé" in text for text in reasons)
    assert plan.language == "fr"
