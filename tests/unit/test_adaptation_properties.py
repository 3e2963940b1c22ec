"""Properties of the adaptation engine over generated logs, on the real catalog (BRIEF §4.4-4.5).

(a) liveness: logs meeting every §4.4 criterion progress exactly one ladder step; (b) never a progression after a
flare, a provocation or a missing check-in; (c) never two variables at once, even on ladders with gaps; (d)
regressions stay in the usable ladder; (e) hard stops always end the session and alert. Usable ladders are
those the eligibility rules give generated people (tests/strategies.py), so they are the planner's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.adaptation import Decision, HoldContext, decide, loads_neck, person_ladder
from neuromotrix.domain.alerts import HARD_STOPS, STOP_REASONS
from neuromotrix.domain.attention import Adherence
from neuromotrix.domain.eligibility import evaluate, make_person
from neuromotrix.domain.exercise import Exercise, changed_variables
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.flares import (
    BlockOutcome,
    CheckIn,
    SessionOutcome,
    assess_session,
    flare_status,
    session_provoked,
)
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.screening import screen
from tests.factories import START
from tests.strategies import build_profile

CATALOG = load_catalog()
RULES = CATALOG.rules
PROFILES_FOR_LADDERS = 150
FAST = settings(
    max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@cache
def real_ladders() -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(exercise id, usable ladder) pairs of generated people, as the planner would see them."""
    pairs: set[tuple[str, tuple[int, ...]]] = set()
    for seed in range(PROFILES_FOR_LADDERS):
        profile = Profile.model_validate(build_profile(seed * 7919 + 17))
        facts = derive_facts(profile)
        screening = screen(profile, facts, RULES)
        candidates, _ = evaluate(CATALOG, make_person(profile, facts, screening))
        pairs |= {(candidate.exercise.id, person_ladder(candidate)) for candidate in candidates}
    return tuple(sorted(pairs))


def exercise(exercise_id: str) -> Exercise:
    return CATALOG.exercises[exercise_id].exercise


ratings = st.integers(min_value=0, max_value=10)


@st.composite
def climbable(draw: st.DrawFn) -> tuple[Exercise, tuple[int, ...], int]:
    """A real usable ladder with a level below its top."""
    exercise_id, ladder = draw(st.sampled_from([pair for pair in real_ladders() if len(pair[1]) > 1]))
    return exercise(exercise_id), ladder, draw(st.sampled_from(ladder[:-1]))


@st.composite
def clean_session(draw: st.DrawFn, session_id: str, day: dt.date, exercise_id: str, level: int) -> SessionOutcome:
    """A session meeting every §4.4 criterion for the exercise at this level."""
    pre_pain, pre_dystonia, pre_fatigue = draw(ratings), draw(ratings), draw(ratings)
    target = draw(st.integers(min_value=1, max_value=10))
    bouts = draw(st.integers(min_value=1, max_value=3))
    calm = st.none() | st.integers(min_value=0, max_value=min(10, pre_dystonia + 1))
    blocks = tuple(
        BlockOutcome(
            exercise_id=exercise_id,
            level=level,
            status="done",
            completion=draw(st.floats(min_value=0.9, max_value=1.5)),
            effort=draw(st.integers(min_value=0, max_value=target)),
            effort_target=target,
            pain=draw(st.integers(min_value=0, max_value=3)),
            dystonia=draw(calm),
        )
        for _ in range(bouts)
    )
    return SessionOutcome(
        id=session_id,
        performed_on=day,
        pre_pain=pre_pain,
        pre_dystonia=pre_dystonia,
        pre_fatigue=pre_fatigue,
        post_pain=draw(st.none() | ratings.filter(lambda v: v < 10)),
        post_dystonia=draw(calm),
        post_fatigue=draw(st.none() | ratings),
        blocks=blocks,
    )


@st.composite
def calm_checkin(draw: st.DrawFn, session: SessionOutcome) -> CheckIn:
    """No flare, next-day pain within baseline + 1, no fatigue rise."""
    return CheckIn(
        session_id=session.id,
        on=session.performed_on + dt.timedelta(days=1),
        pain=draw(st.integers(min_value=0, max_value=min(10, session.pre_pain + 1))),
        dystonia=draw(st.integers(min_value=0, max_value=min(10, session.pre_dystonia + 1))),
        fatigue=draw(st.integers(min_value=0, max_value=min(10, session.pre_fatigue + 1))),
    )


@st.composite
def any_session(draw: st.DrawFn, session_id: str, day: dt.date, exercise_id: str, ladder: tuple[int, ...]) -> SessionOutcome:  # fmt: skip
    """Any logged session with this exercise, at any usable level, with any ratings."""
    level = draw(st.sampled_from(ladder))
    block = BlockOutcome(
        exercise_id=exercise_id,
        level=level,
        status=draw(st.sampled_from(["done", "partial", "skipped"])),
        completion=draw(st.floats(min_value=0, max_value=1.5)),
        effort=draw(st.none() | st.integers(0, 10)),
        effort_target=draw(st.none() | st.integers(1, 10)),
        pain=draw(st.none() | ratings),
        sustained_posture=draw(st.booleans()),
        quality_ok=draw(st.booleans()),
        dystonia=draw(st.none() | ratings),
    )
    return SessionOutcome(
        id=session_id,
        performed_on=day,
        pre_pain=draw(ratings),
        pre_dystonia=draw(ratings),
        pre_fatigue=draw(ratings),
        post_pain=draw(st.none() | ratings),
        post_dystonia=draw(st.none() | ratings),
        post_fatigue=draw(st.none() | ratings),
        stop_reason=draw(st.none() | st.sampled_from(STOP_REASONS)),
        blocks=(block,),
    )


@st.composite
def any_checkin(draw: st.DrawFn, session: SessionOutcome) -> CheckIn:
    return CheckIn(session.id, session.performed_on + dt.timedelta(days=1), draw(ratings), draw(ratings), draw(ratings), draw(st.booleans()))  # fmt: skip


def day(index: int) -> dt.date:
    return START + dt.timedelta(days=2 * index)


@st.composite
def older_logs(draw: st.DrawFn, exercise_id: str, ladder: tuple[int, ...], level: int) -> tuple[list[SessionOutcome], list[CheckIn]]:  # fmt: skip
    """Any earlier history at other levels (what happened before the current level must not matter)."""
    others = tuple(other for other in ladder if other != level)
    if not others:
        return [], []
    count = draw(st.integers(min_value=0, max_value=3))
    sessions = [draw(any_session(f"old{index}", day(index), exercise_id, others)) for index in range(count)]
    checkins = [draw(any_checkin(session)) for session in sessions if draw(st.booleans())]
    return sessions, checkins


@st.composite
def progressing_case(draw: st.DrawFn, *, ladder_strategy: Any = None) -> dict[str, Any]:
    """A history meeting every criterion at the current level, after any older history at other levels."""
    subject, ladder, level = draw(ladder_strategy if ladder_strategy is not None else climbable())
    history, checkins = draw(older_logs(subject.id, ladder, level))
    for index in (10, 11):
        session = draw(clean_session(f"s{index}", day(index), subject.id, level))
        history.append(session)
        checkins.append(draw(calm_checkin(session)))
    scheduled = draw(st.integers(min_value=1, max_value=7))
    attended = draw(st.integers(min_value=-(-2 * scheduled // 3), max_value=scheduled))
    neck_window = draw(st.booleans()) and not loads_neck(subject)
    return {
        "exercise": subject,
        "ladder": ladder,
        "current_level": level,
        "history": draw(st.permutations(history)),
        "checkins": checkins,
        "hold": HoldContext(neck_toxin_window=neck_window),
        "adherence": Adherence(7, START, START + dt.timedelta(days=6), scheduled, attended),
        "tables": RULES,
    }


@FAST
@given(progressing_case())
def test_a_clean_history_progresses_exactly_one_ladder_step(case: dict[str, Any]) -> None:
    decision = decide(**case)
    ladder, level = case["ladder"], case["current_level"]
    assert decision.action == "progress", [reason.rule for reason in decision.reasons]
    assert decision.to_level == ladder[ladder.index(level) + 1] and decision.volume_factor == 1.0


CORRUPTIONS = ("no_checkin", "mild", "moderate", "stiffness", "post_rise", "item_rise", "posture", "other_item_posture")


def corrupted(case: dict[str, Any], which: int, how: str) -> dict[str, Any]:
    """The clean case with one flare, provocation or missing check-in in one of the last two sessions."""
    history = sorted(case["history"], key=lambda session: session.performed_on)
    target = history[-2:][which]
    checkins = [checkin for checkin in case["checkins"] if checkin.session_id != target.id]
    if how in {"mild", "moderate", "stiffness"}:
        checkins.append(_flaring_checkin(target, how))
    elif how != "no_checkin":
        checkins += [checkin for checkin in case["checkins"] if checkin.session_id == target.id]
    replaced = _provoked(target, how)
    history = [replaced if session.id == target.id else session for session in history]
    return {**case, "history": history, "checkins": checkins}


def _flaring_checkin(session: SessionOutcome, how: str) -> CheckIn:
    """A next-day check-in that triggers the 24-hour rule; at the top of both scales only stiffness can."""
    points = 3 if how == "moderate" else 2
    pain, dystonia = session.pre_pain, session.pre_dystonia
    if how != "stiffness" and pain + points <= 10:
        pain += points
    elif how != "stiffness" and dystonia + points <= 10:
        dystonia += points
    else:
        return CheckIn(session.id, session.performed_on, pain, dystonia, session.pre_fatigue, new_stiffness=True)
    return CheckIn(session.id, session.performed_on, pain, dystonia, session.pre_fatigue)


def _provoked(session: SessionOutcome, how: str) -> SessionOutcome:
    high = min(10, session.pre_dystonia + 2)
    if how == "post_rise" and high - session.pre_dystonia >= 2:
        return replace(session, post_dystonia=high)
    if how == "item_rise" and high - session.pre_dystonia >= 2:
        return replace(session, blocks=(replace(session.blocks[0], dystonia=high), *session.blocks[1:]))
    if how == "posture":
        return replace(session, blocks=(replace(session.blocks[0], sustained_posture=True), *session.blocks[1:]))
    if how in {"other_item_posture", "post_rise", "item_rise"}:
        spasm = BlockOutcome("RB01", 1, "done", 1.0, sustained_posture=True)
        return replace(session, blocks=(*session.blocks, spasm))
    return session


@FAST
@given(progressing_case(), st.sampled_from((0, 1)), st.sampled_from(CORRUPTIONS))
def test_never_a_progression_after_a_flare_a_provocation_or_a_missing_check_in(
    case: dict[str, Any], which: int, how: str
) -> None:
    decision = decide(**corrupted(case, which, how))
    assert decision.action != "progress"
    assert decision.to_level <= decision.from_level


def perturbed(data: st.DataObject, case: dict[str, Any]) -> dict[str, Any]:
    """The clean case with any of its last two sessions, their blocks or check-ins replaced by random ones."""
    history = sorted(case["history"], key=lambda session: session.performed_on)
    checkins = list(case["checkins"])
    for session in history[-2:]:
        changed = session
        if data.draw(st.booleans()):
            changed = data.draw(any_session(session.id, session.performed_on, session.blocks[0].exercise_id, (session.blocks[0].level,)))  # fmt: skip
        if data.draw(st.booleans()):
            checkins = [checkin for checkin in checkins if checkin.session_id != session.id]
            checkins += [data.draw(any_checkin(changed)) for _ in range(data.draw(st.integers(0, 2)))]
        history = [changed if logged.id == session.id else logged for logged in history]
    return {**case, "history": history, "checkins": checkins}


@FAST
@given(progressing_case(), st.data())
def test_any_progression_met_every_criterion_in_the_last_two_sessions(
    case: dict[str, Any], data: st.DataObject
) -> None:
    case = perturbed(data, case)
    decision = decide(**case)
    event(decision.action)
    if decision.action != "progress":
        return
    for session in case["history"][-2:]:
        own = [checkin for checkin in case["checkins"] if checkin.session_id == session.id]
        assert own and all(flare_status(session, checkin, RULES) == "none" for checkin in own)
        assert all(checkin.pain <= session.pre_pain + 1 for checkin in own)
        assert not session_provoked(session, RULES) and session.stop_reason is None
        for block in session.blocks:
            assert block.status != "skipped" and block.completion >= 0.9 and block.quality_ok
            assert block.pain is not None and block.pain <= 3 and not block.sustained_posture
            assert block.effort is not None and block.effort_target is not None and block.effort <= block.effort_target


@st.composite
def any_ladder(draw: st.DrawFn) -> tuple[Exercise, tuple[int, ...], int]:
    """Any subset of an exercise's levels as a ladder, gaps included (a ladder the eligibility rules never make)."""
    exercise_id = draw(st.sampled_from(sorted(CATALOG.exercises)))
    count = len(exercise(exercise_id).levels)
    levels = draw(st.sets(st.integers(min_value=1, max_value=count), min_size=2))
    ladder = tuple(sorted(levels))
    return exercise(exercise_id), ladder, draw(st.sampled_from(ladder[:-1]))


def assert_one_variable(decision: Decision, subject: Exercise) -> None:
    if decision.action == "progress":
        before, after = subject.levels[decision.from_level - 1], subject.levels[decision.to_level - 1]
        assert len(changed_variables(before, after)) == 1


@FAST
@given(progressing_case(ladder_strategy=any_ladder()))
def test_a_progression_never_changes_two_variables_even_across_a_gap(case: dict[str, Any]) -> None:
    decision = decide(**case)
    assert_one_variable(decision, case["exercise"])
    ladder = case["ladder"]
    if decision.action == "progress":
        assert decision.to_level == ladder[ladder.index(case["current_level"]) + 1]
    else:
        assert [reason.rule for reason in decision.reasons] == ["adaptation.hold.ladder_gap"]


@FAST
@given(st.data())
def test_decisions_stay_in_the_usable_ladder_and_regressions_never_go_below_it(data: st.DataObject) -> None:
    exercise_id, ladder = data.draw(st.sampled_from(real_ladders()))
    subject, level = exercise(exercise_id), data.draw(st.sampled_from(ladder))
    history = [data.draw(any_session(f"s{index}", day(index), subject.id, ladder)) for index in range(5)]
    checkins = [data.draw(any_checkin(session)) for session in history if data.draw(st.booleans())]
    context = HoldContext(*(data.draw(st.booleans()) for _ in range(4)))
    adherence = Adherence(7, START, START, 3, data.draw(st.integers(min_value=0, max_value=3)))
    decision = decide(subject, ladder, level, history, checkins, context, adherence, RULES)
    assert decision.to_level in ladder and decision.from_level == level
    if decision.action in {"regress", "pause"}:
        assert ladder[0] <= decision.to_level <= level
        if level > ladder[0]:
            assert decision.to_level < level
    if decision.action == "pause":
        assert decision.alert is not None and decision.alert.kind == "item_paused"
    if decision.action in {"hold", "progress"}:
        assert decision.to_level >= level
    assert_one_variable(decision, subject)
    assert decide(subject, ladder, level, list(reversed(history)), checkins, context, adherence, RULES) == decision


@FAST
@given(st.data(), st.sampled_from(sorted(HARD_STOPS)))
def test_a_hard_stop_always_ends_the_session_and_alerts(data: st.DataObject, reason: Any) -> None:
    exercise_id, ladder = data.draw(st.sampled_from(real_ladders()))
    session = data.draw(any_session("s1", START, exercise_id, ladder))
    stopped = replace(session, stop_reason=reason)
    assessment = assess_session(stopped, [exercise_id, "RB03"], RULES)
    assert assessment.ends_session and assessment.allowed_items == ()
    hard = [alert for alert in assessment.alerts if alert.kind == "hard_stop"]
    assert [(alert.severity, alert.key) for alert in hard] == [(HARD_STOPS[reason], "hard_stop:s1")]
