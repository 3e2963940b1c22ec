"""The planner with adjustments (domain/adjustments.py): the adaptation engine or Bob, Alice's trainer, sets a
level, pauses an exercise or lowers its volume from a date on; every safety rule still applies on top."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.plan import Block, Plan, session_minutes
from neuromotrix.domain.planner import generate_plan
from neuromotrix.domain.profile import Profile
from tests import safety_oracle
from tests.factories import START, make_profile
from tests.strategies import profiles
from tests.unit.test_planner import CLEARED, alice

CATALOG = load_catalog()
WEEK_3 = START + dt.timedelta(weeks=2)
WEEK_5 = START + dt.timedelta(weeks=4)
WHY = Message("Mild flare after the session of 2026-12-07.", "Poussée légère après la séance du 2026-12-07.")


def adjustment(exercise_id: str = "NM04", **fields: Any) -> Adjustment:
    values: dict[str, Any] = {
        "from_date": WEEK_3,
        "level": None,
        "paused": False,
        "volume_factor": 1.0,
        "volume_until": None,
        "reason": WHY,
        "source": "adaptation",
    }
    return Adjustment(exercise_id=exercise_id, **{**values, **fields})


def plan_with(*adjustments: Adjustment, document: dict[str, Any] | None = None) -> Plan:
    profile = make_profile(document if document is not None else alice())
    return generate_plan(profile, CATALOG, adjustments={item.exercise_id: item for item in adjustments})


def blocks_of(plan: Plan, exercise_id: str) -> list[tuple[dt.date, Block]]:
    return [
        (session.date, block)
        for week in plan.weeks
        for session in week.sessions
        for block in session.blocks
        if block.exercise_id == exercise_id
    ]


def test_no_adjustments_give_the_same_bytes_as_before() -> None:
    profile = make_profile(alice())
    plain = generate_plan(profile, CATALOG).model_dump_json(indent=2)
    assert generate_plan(profile, CATALOG, adjustments=None).model_dump_json(indent=2) == plain
    assert generate_plan(profile, CATALOG, adjustments={}).model_dump_json(indent=2) == plain
    unknown = {"XX99": adjustment("XX99", level=2), "AE04": adjustment("AE04", paused=True)}
    assert generate_plan(profile, CATALOG, adjustments=unknown).model_dump_json(indent=2) == plain


def test_the_level_holds_from_the_date_on_and_says_why() -> None:
    before = blocks_of(plan_with(), "NM04")
    after = blocks_of(plan_with(adjustment(level=2)), "NM04")
    assert [pair for pair in after if pair[0] < WEEK_3] == [pair for pair in before if pair[0] < WEEK_3]
    assert max(block.level for day, block in before) > 3, "without the adjustment NM04 progresses"
    adjusted = [block for day, block in after if day >= WEEK_3]
    assert adjusted and {block.level for block in adjusted} == {2}
    reason = next(reason for reason in adjusted[0].reasons if reason.rule == "adaptation.level")
    assert "Level 2 of 6" in reason.text and "from 2026-12-07" in reason.text and WHY.en in reason.text
    assert all(reason.rule != "progression.level" for block in adjusted for reason in block.reasons)


def test_a_level_outside_the_usable_ladder_becomes_the_nearest_lower_usable_one() -> None:
    seated = {**CLEARED, "clearance": {**CLEARED["clearance"], "restrictions": ["seated_only"]}}
    plan = plan_with(adjustment(level=6), document=alice(screening=seated))
    levels = {block.level for day, block in blocks_of(plan, "NM04") if day >= WEEK_3}
    assert levels == {5}  # level 6 is standing


def test_a_paused_exercise_is_left_out_from_the_date_and_listed_with_the_reason() -> None:
    plan = plan_with(adjustment(paused=True, level=1))
    days = [day for day, _ in blocks_of(plan, "NM04")]
    assert days and max(days) < WEEK_3
    [item] = [item for item in plan.excluded if item.exercise_id == "NM04"]
    assert [reason.rule for reason in item.reasons] == ["adaptation.pause"]
    assert item.reasons[0].text == f"Paused from 2026-12-07 (adapted from the session logs): {WHY.en}"


def test_a_trainer_pause_is_a_trainer_edit_in_french_too() -> None:
    plan = plan_with(adjustment(paused=True, source="trainer"), document=alice(language="fr"))
    [item] = [item for item in plan.excluded if item.exercise_id == "NM04"]
    assert item.reasons[0].rule == "trainer.edit"
    assert item.reasons[0].text == f"Suspendu à partir du 2026-12-07 (fixé par l'entraîneur) : {WHY.fr}"


def test_a_pause_after_the_last_session_changes_nothing() -> None:
    late = adjustment(paused=True, from_date=START + dt.timedelta(weeks=20))
    assert plan_with(late).model_dump_json() == plan_with().model_dump_json()


def test_volume_is_lower_only_inside_its_window() -> None:
    plan = plan_with(adjustment(level=3, volume_factor=0.5, volume_until=WEEK_3 + dt.timedelta(days=3)))
    reps = {day: block.dose.reps for day, block in blocks_of(plan, "NM04")}
    assert reps[WEEK_3] == 4 and reps[WEEK_3 + dt.timedelta(days=4)] == 8
    [volume] = [r for day, b in blocks_of(plan, "NM04") if day == WEEK_3 for r in b.reasons if r.rule == "adaptation.volume"]  # fmt: skip
    assert "reduced by 50 % from 2026-12-07 to 2026-12-09" in volume.text


def test_volume_never_goes_up_nor_below_one_repetition() -> None:
    up = plan_with(adjustment(level=3, volume_factor=1.5))
    assert {block.dose.reps for _, block in blocks_of(up, "NM04")} == {8}
    assert all(r.rule != "adaptation.volume" for _, b in blocks_of(up, "NM04") for r in b.reasons)
    tiny = plan_with(adjustment(level=3, volume_factor=0.01))
    assert {block.dose.reps for day, block in blocks_of(tiny, "NM04") if day >= WEEK_3} == {1}


def test_an_adjustment_never_brings_back_an_excluded_exercise() -> None:
    document = alice()
    document["conditions"][0]["cervical"]["confirmed_by_clinician"] = False
    plan = plan_with(adjustment(level=2), document=document)
    assert blocks_of(plan, "NM04") == []
    [item] = [item for item in plan.excluded if item.exercise_id == "NM04"]
    assert [reason.rule for reason in item.reasons] == ["pattern_unconfirmed"]


def test_toxin_limits_still_apply_to_an_adjusted_exercise() -> None:
    injected = alice(treatments={"botulinum_toxin": [{"date": WEEK_3.isoformat(), "regions": ["neck"]}]})
    plan = plan_with(adjustment("SP02", level=6, from_date=START), document=injected)
    window = [day for day, _ in blocks_of(plan, "SP02") if WEEK_3 <= day <= WEEK_3 + dt.timedelta(days=14)]
    assert window == []
    capped = [block for day, block in blocks_of(plan_with(adjustment("NI01", level=7), document=injected), "NI01") if WEEK_3 <= day <= WEEK_3 + dt.timedelta(days=14)]  # fmt: skip
    for block in capped:
        target = block.dose.effort.target
        assert (target[1] if isinstance(target, tuple) else target) <= 20


def test_adjustments_must_be_keyed_by_their_exercise() -> None:
    with pytest.raises(ValueError, match="key them by exercise id"):
        generate_plan(make_profile(alice()), CATALOG, adjustments={"NM03": adjustment("NM04")})


def test_bad_adjustments_are_refused() -> None:
    with pytest.raises(ValueError, match="level is a catalog level number"):
        adjustment(level=0)
    with pytest.raises(ValueError, match="volume_factor must be above 0"):
        adjustment(volume_factor=0)


# --- properties ----------------------------------------------------------------------------------------------


@st.composite
def adjusted_profiles(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Adjustment]]:
    """A generated profile and adjustments of random exercises: levels, pauses, volumes, dates."""
    document = draw(profiles)
    exercise_ids = draw(st.lists(st.sampled_from(sorted(CATALOG.exercises)), max_size=8, unique=True))
    adjustments: dict[str, Adjustment] = {}
    for exercise_id in exercise_ids:
        count = len(CATALOG.exercises[exercise_id].exercise.levels)
        start = START + dt.timedelta(days=draw(st.integers(min_value=-7, max_value=70)))
        until = draw(st.none() | st.integers(min_value=0, max_value=30))
        adjustments[exercise_id] = adjustment(
            exercise_id,
            from_date=start,
            level=draw(st.none() | st.integers(min_value=1, max_value=count)),
            paused=draw(st.booleans()),
            volume_factor=draw(st.sampled_from([0.3, 0.5, 0.7, 1.0, 1.2])),
            volume_until=None if until is None else start + dt.timedelta(days=until),
            source=draw(st.sampled_from(["adaptation", "trainer"])),
        )
    return document, adjustments


@settings(max_examples=250, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(adjusted_profiles())
def test_adjusted_plans_keep_every_safety_invariant(case: tuple[dict[str, Any], dict[str, Adjustment]]) -> None:
    document, adjustments = case
    profile = Profile.model_validate(document)
    text = generate_plan(profile, CATALOG, adjustments=adjustments).model_dump_json(indent=2)
    plan = json.loads(text)
    problems = safety_oracle.violations(document, plan)
    assert not problems, "\n".join(problems)
    assert generate_plan(profile, CATALOG, adjustments=adjustments).model_dump_json(indent=2) == text
    budget = profile.preferences.minutes_per_session
    parsed = Plan.model_validate_json(text)
    for week in parsed.weeks:
        for session in week.sessions:
            assert session.minutes == session_minutes(session.blocks) <= budget
            for block in session.blocks:
                held = adjustments.get(block.exercise_id)
                if held is not None and held.from_date <= session.date:
                    assert not held.paused, f"{block.exercise_id} is paused from {held.from_date}"
                    assert any(r.rule.startswith(("adaptation.", "trainer.edit")) for r in block.reasons) or (
                        held.level is None and not held.scales_volume_on(session.date)
                    )


def test_the_volume_reason_reads_well_in_french_and_without_an_end() -> None:
    window = adjustment(level=3, volume_factor=0.7, volume_until=WEEK_3 + dt.timedelta(days=3), source="trainer")
    french = plan_with(window, document=alice(language="fr"))
    texts = {r.text for day, b in blocks_of(french, "NM04") if day == WEEK_3 for r in b.reasons if r.rule == "trainer.edit"}  # fmt: skip
    assert any(
        text.startswith("Volume réduit de 30 % du 2026-12-07 au 2026-12-09 (fixé par l'entraîneur)") for text in texts
    )
    open_ended = plan_with(adjustment(level=3, volume_factor=0.7))
    [volume] = {r.text for day, b in blocks_of(open_ended, "NM04") if day == WEEK_5 for r in b.reasons if r.rule == "adaptation.volume"}  # fmt: skip
    assert volume.startswith("Volume reduced by 30 % from 2026-12-07 (adapted from the session logs)")
