"""The adaptation engine, one story per rule (BRIEF §4.4-4.5; domain/flares.py, domain/adaptation.py).

Alice has cervical dystonia (head turned right). She does NM04 (counter-direction turn) at level 3 (supported
sitting) on Monday, Wednesday and Friday and answers the next-day check-in. Her trainer is Bob. Thresholds come
from catalog/rules/adaptation.yaml.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from neuromotrix.catalog.loader import CATALOG_DIR, load_catalog, read_yaml
from neuromotrix.domain.adaptation import (
    Decision,
    HoldContext,
    adapt,
    as_adjustments,
    decide,
    hold_context,
    loads_neck,
    program_levels,
)
from neuromotrix.domain.alerts import HARD_STOPS
from neuromotrix.domain.attention import Adherence
from neuromotrix.domain.exercise import Exercise
from neuromotrix.domain.flares import (
    CheckIn,
    SessionOutcome,
    assess_session,
    fatigue_rose,
    flare_status,
)
from neuromotrix.domain.planner import generate_plan
from neuromotrix.domain.ruletables import Ratio, RuleTables
from tests.factories import START, item_log, make_profile, next_day, session_log, week_adherence
from tests.unit.test_planner import alice

CATALOG = load_catalog()
RULES = CATALOG.rules
NM04 = CATALOG.exercises["NM04"].exercise
NI01 = CATALOG.exercises["NI01"].exercise
LADDER = (1, 2, 3, 4, 5, 6)
MON, WED, FRI = START, START + dt.timedelta(days=2), START + dt.timedelta(days=4)
NEXT_MON = START + dt.timedelta(days=7)


def clean_pair(level: int = 3, exercise_id: str = "NM04", **fields: Any) -> tuple[list[SessionOutcome], list[CheckIn]]:
    """Monday and Wednesday at `level`, each with its next-day check-in; `fields` change Wednesday's block."""
    monday = session_log("mon", MON, item_log(exercise_id, level))
    wednesday = session_log("wed", WED, item_log(exercise_id, level, **fields))
    return [monday, wednesday], [next_day(monday), next_day(wednesday)]


def alice_decides(
    history: list[SessionOutcome],
    checkins: list[CheckIn],
    *,
    level: int = 3,
    exercise: Exercise = NM04,
    ladder: tuple[int, ...] = LADDER,
    hold: HoldContext | None = None,
    adherence: Adherence | None = None,
) -> Decision:
    return decide(
        exercise,
        ladder,
        level,
        history,
        checkins,
        hold or HoldContext(),
        adherence or week_adherence(),
        RULES,
    )


def rules_of(decision: Decision) -> list[str]:
    return [reason.rule for reason in decision.reasons]


# --- in the session (BRIEF §4.5) ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", sorted(HARD_STOPS))
def test_a_hard_stop_ends_the_session_and_alerts_bob_with_its_severity(reason: Any) -> None:
    session = session_log("s1", MON, item_log(), stop_reason=reason)
    assessment = assess_session(session, ["RB01", "NM04", "FL02"], RULES)
    assert assessment.ends_session and assessment.allowed_items == ()
    [alert] = [alert for alert in assessment.alerts if alert.kind == "hard_stop"]
    assert alert.severity == HARD_STOPS[reason] and alert.key == "hard_stop:s1"
    assert "session.hard_stop" in [finding.rule for finding in assessment.findings]


def test_stopping_for_fatigue_ends_the_session_without_a_hard_stop_alert() -> None:
    assessment = assess_session(session_log("s1", MON, item_log(), stop_reason="fatigue"), ["NM04"], RULES)
    assert assessment.ends_session and assessment.alerts == ()


@pytest.mark.parametrize("where", ["pre", "post", "block"])
def test_pain_ten_anywhere_alerts_max_pain(where: str) -> None:
    pre, post, block_pain = (
        (10 if where == "pre" else 2),
        (10 if where == "post" else 2),
        (10 if where == "block" else 1),
    )
    session = session_log("s1", MON, item_log(pain=block_pain), pre=(pre, 2, 2), post=(post, 2, 2))
    assessment = assess_session(session, ["NM04"], RULES)
    assert [(alert.kind, alert.key) for alert in assessment.alerts] == [("max_pain", "max_pain:s1")]


def test_dystonia_rising_two_points_during_an_item_stops_it_for_the_session() -> None:
    session = session_log("s1", MON, item_log("RB01", 3), item_log("NM04", dystonia=4), pre=(2, 2, 2))
    assessment = assess_session(session, ["RB01", "NM04", "NM04", "FL02"], RULES)
    [alert] = assessment.alerts
    assert (alert.kind, alert.severity, alert.key) == ("flare", "warning", "flare:s1")
    assert assessment.stopped_items == ("NM04",)
    assert assessment.allowed_items == ("RB01", "FL02") and assessment.rest_item == "RB03"
    assert not assessment.ends_session


def test_a_sustained_posture_is_a_flare_even_without_a_rating() -> None:
    assessment = assess_session(session_log("s1", MON, item_log(sustained_posture=True)), ["NM04", "FL02"], RULES)
    assert [alert.kind for alert in assessment.alerts] == ["flare"]
    assert assessment.stopped_items == ("NM04",) and assessment.allowed_items == ("FL02",)


def test_a_rise_after_the_session_alerts_a_flare_but_stops_no_item() -> None:
    assessment = assess_session(session_log("s1", MON, item_log(), post=(2, 4, 2)), ["NM04"], RULES)
    assert [alert.kind for alert in assessment.alerts] == ["flare"]
    assert assessment.stopped_items == () and assessment.rest_item is None


def test_a_one_point_rise_is_no_flare() -> None:
    assessment = assess_session(session_log("s1", MON, item_log(dystonia=3), post=(2, 3, 2)), ["NM04"], RULES)
    assert assessment.alerts == () and assessment.stopped_items == ()


def test_pain_above_five_stops_that_exercise_only() -> None:
    session = session_log("s1", MON, item_log("NM04", pain=6))
    assessment = assess_session(session, ["NM04", "FL02"], RULES)
    assert assessment.alerts == ()
    assert assessment.stopped_items == ("NM04",) and assessment.allowed_items == ("FL02",)
    assert [finding.rule for finding in assessment.findings] == ["session.pain_stop"]


def test_a_quiet_session_keeps_every_prescribed_item_once_in_order() -> None:
    assessment = assess_session(session_log("s1", MON, item_log()), ["RB01", "NM04", "NM04", "FL02"], RULES)
    assert assessment.alerts == () and assessment.allowed_items == ("RB01", "NM04", "FL02")


# --- the next day: 24-hour rule and fatigue (BRIEF §4.5) -----------------------------------------------------


def test_a_missing_check_in_is_unknown_never_no_flare() -> None:
    assert flare_status(session_log("s1", MON, item_log()), None, RULES) == "unknown"


@pytest.mark.parametrize(
    ("rise", "stiffness", "status"),
    [
        ((0, 0, 0), False, "none"),
        ((1, 1, 0), False, "none"),
        ((2, 0, 0), False, "mild"),
        ((0, 2, 0), False, "mild"),
        ((0, 0, 0), True, "mild"),
        ((3, 0, 0), False, "moderate"),
        ((0, 4, 0), True, "moderate"),
        ((0, 0, 5), False, "none"),
    ],
)
def test_the_24_hour_rule(rise: tuple[int, int, int], stiffness: bool, status: str) -> None:
    session = session_log("s1", MON, item_log())
    assert flare_status(session, next_day(session, rise=rise, stiffness=stiffness), RULES) == status


def test_a_check_in_of_another_session_is_refused() -> None:
    monday, wednesday = session_log("mon", MON), session_log("wed", WED)
    with pytest.raises(ValueError, match="check-in of session 'wed'"):
        flare_status(monday, next_day(wednesday), RULES)


def test_fatigue_two_points_above_baseline_the_next_day_rose() -> None:
    session = session_log("s1", MON, item_log())
    assert fatigue_rose(session, next_day(session, rise=(0, 0, 2)), RULES)
    assert not fatigue_rose(session, next_day(session, rise=(0, 0, 1)), RULES)
    assert not fatigue_rose(session, None, RULES)


# --- progress (BRIEF §4.4) ------------------------------------------------------------------------------------


def test_two_clean_sessions_progress_exactly_one_level() -> None:
    decision = alice_decides(*clean_pair())
    assert (decision.action, decision.from_level, decision.to_level) == ("progress", 3, 4)
    assert rules_of(decision) == ["adaptation.progress"] and decision.volume_factor == 1.0
    assert "position" in decision.reasons[0].message.en and decision.alert is None


def test_once_progressed_the_same_logs_do_not_progress_again() -> None:
    decision = alice_decides(*clean_pair(), level=4)
    assert decision.action == "hold" and "adaptation.hold.sessions" in rules_of(decision)


def test_one_session_is_not_enough() -> None:
    monday = session_log("mon", MON, item_log())
    decision = alice_decides([monday], [next_day(monday)])
    assert decision.action == "hold" and rules_of(decision) == ["adaptation.hold.sessions"]


def test_sessions_at_another_level_do_not_count() -> None:
    history, checkins = clean_pair()
    history[0] = session_log("mon", MON, item_log(level=2))
    decision = alice_decides(history, checkins)
    assert decision.action == "hold" and rules_of(decision) == ["adaptation.hold.sessions"]


def test_a_missing_check_in_holds() -> None:
    history, checkins = clean_pair()
    decision = alice_decides(history, checkins[:1])
    assert decision.action == "hold" and rules_of(decision) == ["adaptation.hold.missing_checkin"]


@pytest.mark.parametrize("pain", [4, 5, None])
def test_pain_of_four_or_five_or_not_rated_holds(pain: int | None) -> None:
    decision = alice_decides(*clean_pair(pain=pain))
    assert decision.action == "hold" and rules_of(decision) == ["adaptation.hold.pain"]


def test_less_than_ninety_percent_done_holds() -> None:
    assert rules_of(alice_decides(*clean_pair(completion=0.85))) == ["adaptation.hold.completion"]
    assert alice_decides(*clean_pair(completion=0.9)).action == "progress"


def test_a_skipped_bout_counts_as_nothing_done() -> None:
    history, checkins = clean_pair()
    bouts = (item_log(), item_log(status="skipped", completion=1.0))
    history[1] = dataclasses.replace(history[1], blocks=bouts)
    assert rules_of(alice_decides(history, checkins)) == ["adaptation.hold.completion"]


@pytest.mark.parametrize("fields", [{"effort": 3, "effort_target": 2}, {"effort": None}, {"effort_target": None}])
def test_effort_above_target_or_not_rated_holds(fields: dict[str, Any]) -> None:
    assert rules_of(alice_decides(*clean_pair(**fields))) == ["adaptation.hold.effort"]


def tables_with(**values: Any) -> RuleTables:
    """The rule tables with some adaptation.yaml values changed, as a clinic would edit them."""
    documents = {path.stem: read_yaml(path) for path in sorted((CATALOG_DIR / "rules").glob("*.yaml"))}
    for name, value in values.items():
        documents["adaptation"][name]["value"] = value
    return RuleTables.from_documents(documents)


def test_next_day_pain_more_than_one_above_baseline_holds_when_it_is_not_yet_a_flare() -> None:
    edited = tables_with(checkin_rise=3, moderate_flare_rise=4)
    history, checkins = clean_pair()
    checkins[1] = next_day(history[1], rise=(2, 0, 0))
    decision = decide(NM04, LADDER, 3, history, checkins, HoldContext(), week_adherence(), edited)
    assert decision.action == "hold" and rules_of(decision) == ["adaptation.hold.next_day_pain"]


def test_an_inconsistent_table_is_refused() -> None:
    with pytest.raises(ValueError, match="moderate_flare_rise must be at least checkin_rise"):
        tables_with(moderate_flare_rise=1)


@pytest.mark.parametrize(("attended", "scheduled", "action"), [(2, 3, "progress"), (3, 5, "hold"), (1, 2, "hold")])
def test_weekly_adherence_must_reach_two_thirds(attended: int, scheduled: int, action: str) -> None:
    decision = alice_decides(*clean_pair(), adherence=week_adherence(attended, scheduled))
    assert decision.action == action
    if action == "hold":
        assert rules_of(decision) == ["adaptation.hold.adherence"]


def test_no_session_planned_this_week_is_missing_adherence_and_holds() -> None:
    assert rules_of(alice_decides(*clean_pair(), adherence=week_adherence(0, 0))) == ["adaptation.hold.adherence"]


def test_the_neck_toxin_window_holds_neck_loading_only() -> None:
    window = HoldContext(neck_toxin_window=True)
    assert loads_neck(NI01) and not loads_neck(NM04)
    held = alice_decides(*clean_pair(exercise_id="NI01", level=2), level=2, exercise=NI01, ladder=(1, 2, 3, 4, 5, 6, 7), hold=window)  # fmt: skip
    assert rules_of(held) == ["adaptation.hold.toxin"]
    assert alice_decides(*clean_pair(), hold=window).action == "progress"


@pytest.mark.parametrize(
    ("context", "rule"),
    [
        (HoldContext(deload=True), "adaptation.hold.deload"),
        (HoldContext(acute_illness=True), "adaptation.hold.illness"),
        (HoldContext(medication_change=True), "adaptation.hold.medication"),
    ],
)
def test_hold_windows_hold_every_exercise(context: HoldContext, rule: str) -> None:
    assert rules_of(alice_decides(*clean_pair(), hold=context)) == [rule]


def test_at_the_top_of_the_usable_ladder_the_level_holds() -> None:
    decision = alice_decides(*clean_pair(level=4), level=4, ladder=(2, 3, 4))
    assert (decision.action, decision.to_level) == ("hold", 4) and rules_of(decision) == ["adaptation.hold.top"]


def test_a_ladder_that_skips_a_level_never_jumps_two_variables() -> None:
    # NM04 level 3 -> 5 changes the position and the cue: a clinician decides.
    decision = alice_decides(*clean_pair(), ladder=(1, 2, 3, 5, 6))
    assert (decision.action, decision.to_level) == ("hold", 3) and rules_of(decision) == ["adaptation.hold.ladder_gap"]


def test_a_session_stopped_early_holds() -> None:
    history, checkins = clean_pair()
    history[1] = dataclasses.replace(history[1], stop_reason="fatigue")
    assert rules_of(alice_decides(history, checkins)) == ["adaptation.hold.stopped"]


def test_a_flare_during_the_session_on_another_item_holds() -> None:
    history, checkins = clean_pair()
    history[1] = dataclasses.replace(history[1], blocks=(item_log(), item_log("FL02", 3, sustained_posture=True)))
    assert rules_of(alice_decides(history, checkins)) == ["adaptation.hold.session_flare"]


# --- volume (BRIEF §4.5) ----------------------------------------------------------------------------------------


def test_a_mild_flare_repeats_the_level_with_thirty_percent_less_volume() -> None:
    history, checkins = clean_pair()
    checkins[1] = next_day(history[1], rise=(0, 2, 0))
    decision = alice_decides(history, checkins)
    assert (decision.action, decision.to_level, decision.volume_factor) == ("hold", 3, 0.7)
    assert rules_of(decision) == ["adaptation.hold.mild_flare"] and "30 % less volume" in decision.message().en


def test_an_older_mild_flare_holds_without_cutting_volume() -> None:
    history, checkins = clean_pair()
    checkins[0] = next_day(history[0], stiffness=True)
    decision = alice_decides(history, checkins)
    assert (decision.action, decision.volume_factor) == ("hold", 1.0)


def test_next_day_fatigue_cuts_volume_and_holds_the_level() -> None:
    history, checkins = clean_pair()
    checkins[1] = next_day(history[1], rise=(0, 0, 2))
    decision = alice_decides(history, checkins)
    assert (decision.action, decision.to_level, decision.volume_factor) == ("hold", 3, 0.7)
    assert rules_of(decision) == ["adaptation.hold.fatigue"]


# --- regress (BRIEF §4.4) -------------------------------------------------------------------------------------


def test_a_moderate_flare_goes_back_one_level() -> None:
    history, checkins = clean_pair()
    checkins[1] = next_day(history[1], rise=(3, 0, 0))
    decision = alice_decides(history, checkins)
    assert (decision.action, decision.to_level) == ("regress", 2)
    assert rules_of(decision) == ["adaptation.regress.moderate_flare"] and decision.alert is None


def test_pain_above_five_during_the_exercise_goes_back_one_level() -> None:
    decision = alice_decides(*clean_pair(pain=6))
    assert (decision.action, decision.to_level) == ("regress", 2) and rules_of(decision) == ["adaptation.regress.pain"]


def test_failed_quality_goes_back_one_level() -> None:
    decision = alice_decides(*clean_pair(quality_ok=False))
    assert (decision.action, decision.to_level) == ("regress", 2)
    assert rules_of(decision) == ["adaptation.regress.quality"]


def test_a_provocation_during_the_exercise_goes_back_one_level() -> None:
    decision = alice_decides(*clean_pair(dystonia=5))
    assert (decision.action, decision.to_level) == ("regress", 2)
    assert rules_of(decision) == ["adaptation.regress.provocation"]


def test_a_regression_one_session_later_counts_only_new_evidence() -> None:
    history, checkins = clean_pair(pain=7)
    assert alice_decides(history, checkins).to_level == 2
    assert alice_decides(history, checkins, level=2).action == "hold"


def test_at_the_first_usable_level_a_regression_keeps_the_level_with_less_volume() -> None:
    decision = alice_decides(*clean_pair(level=2, pain=7), level=2, ladder=(2, 3, 4))
    assert (decision.action, decision.to_level, decision.volume_factor) == ("regress", 2, 0.7)
    assert rules_of(decision) == ["adaptation.regress.pain", "adaptation.regress.floor"]


def test_a_level_no_longer_usable_goes_to_the_nearest_lower_usable_level() -> None:
    decision = alice_decides(*clean_pair(level=5), level=5, ladder=(1, 2, 3))
    assert (decision.action, decision.to_level) == ("regress", 3)
    assert rules_of(decision) == ["adaptation.level_unusable"]
    below = alice_decides([], [], level=1, ladder=(2, 3))
    assert (below.action, below.to_level) == ("hold", 2)


# --- pause (BRIEF §4.4) ---------------------------------------------------------------------------------------


def test_the_24_hour_rule_after_two_consecutive_sessions_pauses_two_levels_back_and_tells_bob() -> None:
    history, _ = clean_pair(level=4)
    checkins = [next_day(history[0], stiffness=True), next_day(history[1], rise=(0, 2, 0))]
    decision = alice_decides(history, checkins, level=4)
    assert (decision.action, decision.from_level, decision.to_level) == ("pause", 4, 2)
    assert rules_of(decision) == ["adaptation.pause.flares"]
    alert = decision.alert
    assert alert is not None and (alert.kind, alert.severity) == ("item_paused", "warning")
    assert alert.key == "item_paused:NM04:wed" and alert.exercise_id == "NM04"
    assert "paused at level 2" in alert.message.en and "suspendu au niveau 2" in alert.message.fr


def test_a_missing_check_in_between_two_flares_neither_breaks_the_chain_nor_counts() -> None:
    monday, wednesday, friday = (session_log(day_id, day, item_log()) for day_id, day in (("mon", MON), ("wed", WED), ("fri", FRI)))  # fmt: skip
    checkins = [next_day(monday, rise=(2, 0, 0)), next_day(friday, rise=(0, 2, 0))]
    decision = alice_decides([monday, wednesday, friday], checkins)
    assert decision.action == "pause" and decision.to_level == 1


def test_one_flare_then_a_clean_check_in_does_not_pause() -> None:
    history, _ = clean_pair()
    checkins = [next_day(history[0], rise=(2, 0, 0)), next_day(history[1])]
    assert alice_decides(history, checkins).action == "hold"


def test_two_sustained_postures_on_the_same_exercise_pause_it() -> None:
    monday = session_log("mon", MON, item_log(level=4, sustained_posture=True))
    friday = session_log("fri", FRI, item_log(level=3, sustained_posture=True))
    decision = alice_decides([monday, friday], [next_day(monday), next_day(friday)])
    assert (decision.action, decision.to_level) == ("pause", 1)
    assert rules_of(decision) == ["adaptation.pause.postures"]
    assert decision.alert is not None and decision.alert.key == "item_paused:NM04:fri"


def test_a_pause_already_applied_is_not_applied_again() -> None:
    monday = session_log("mon", MON, item_log(level=4, sustained_posture=True))
    friday = session_log("fri", FRI, item_log(level=3, sustained_posture=True))
    assert alice_decides([monday, friday], [next_day(monday), next_day(friday)], level=1).action == "hold"


# --- hold context, a whole program, adjustments --------------------------------------------------------------


def test_hold_context_from_alices_profile() -> None:
    document = alice(
        treatments={
            "botulinum_toxin": [{"date": "2026-11-20", "regions": ["neck"]}],
            "medications": [{"name": "baclofen", "class": "baclofen", "change": "dose_changed", "changed_on": "2026-11-19"}],
        },
        symptoms={"acute_illness": True},
    )  # fmt: skip
    profile = make_profile(document)
    assert hold_context(profile, START, RULES) == HoldContext(
        neck_toxin_window=True, acute_illness=True, medication_change=True, deload=True
    )
    later = hold_context(profile, START + dt.timedelta(days=30), RULES)
    assert later == HoldContext(acute_illness=True)


def test_adapt_decides_every_exercise_of_alices_program_in_id_order() -> None:
    profile = make_profile(alice())
    plan = generate_plan(profile, CATALOG)
    levels = program_levels(plan, START)
    assert levels["NM04"] == 3
    history, checkins = clean_pair()
    decisions = adapt(profile, CATALOG, {**levels, "XX99": 1}, history, checkins, week_adherence(), on=WED)
    assert [d.exercise_id for d in decisions] == sorted(levels)
    by_id = {d.exercise_id: d for d in decisions}
    assert by_id["NM04"].action == "hold"  # Wednesday's check-in is not in yet on Wednesday
    assert rules_of(by_id["NM04"]) == ["adaptation.hold.missing_checkin"]
    after = adapt(profile, CATALOG, levels, history, checkins, week_adherence(), on=WED + dt.timedelta(days=1))
    assert {d.exercise_id: d.action for d in after}["NM04"] == "progress"


def test_a_blocked_profile_gets_no_decisions() -> None:
    profile = make_profile(alice(symptoms={"escalating_spasms": True}))
    assert adapt(profile, CATALOG, {"NM04": 3}, [], [], week_adherence(), on=START) == []


def test_decisions_become_adjustments_that_pin_the_level() -> None:
    history, checkins = clean_pair()
    checkins[1] = next_day(history[1], rise=(0, 2, 0))
    decisions = [alice_decides(history, checkins), alice_decides(*clean_pair())]
    mild, progress = as_adjustments(decisions, from_date=FRI, volume_until=FRI + dt.timedelta(days=1))
    assert (mild.level, mild.paused, mild.volume_factor, mild.volume_until) == (3, False, 0.7, dt.date(2026, 11, 28))
    assert (progress.level, progress.volume_until, progress.source) == (4, None, "adaptation")
    assert "Mild flare" in mild.reason.en and "Poussée légère" in mild.reason.fr


def test_every_reason_is_bilingual() -> None:
    history, checkins = clean_pair(pain=None, effort=None, completion=0.5)
    decision = alice_decides(history, checkins[:1], adherence=week_adherence(0, 3), hold=HoldContext(True, True, True, True))  # fmt: skip
    assert len(decision.reasons) >= 6
    for reason in decision.reasons:
        assert reason.message.en and reason.message.fr and reason.message.en != reason.message.fr


def test_bad_ratings_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match="pain must be a 0-10 rating"):
        item_log(pain=11)
    with pytest.raises(ValueError, match="pre_dystonia must be a 0-10 rating"):
        session_log("s1", MON, pre=(2, -1, 2))
    with pytest.raises(ValueError, match="ascending"):
        alice_decides([], [], ladder=(3, 2, 1))


def test_every_adaptation_number_has_a_reason_and_a_documented_row() -> None:
    rows = [line for line in (Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md").read_text().splitlines() if line.startswith("|")]  # fmt: skip
    for name in type(RULES.adaptation).model_fields:
        entry = getattr(RULES.adaptation, name)
        assert len(entry.why) > 60 and entry.brief.startswith("§"), f"adaptation.yaml {name}: explain it"
        value = entry.value
        shown = f"[{value.numerator}, {value.denominator}]" if isinstance(value, Ratio) else str(value)
        row = next((row for row in rows if row.startswith(f"| `{name}` | {shown}")), None)
        assert row is not None, f"adaptation.yaml {name} = {shown} has no row in docs/clinical-rules.md"


def test_two_mild_flares_name_the_volume_cut_of_the_latest() -> None:
    history, _ = clean_pair()
    checkins = [next_day(history[0], stiffness=True), next_day(history[1], stiffness=True)]
    monday = session_log("old", MON - dt.timedelta(days=7), item_log(level=2))
    decision = alice_decides([monday, *history], [*checkins, next_day(monday)])
    assert decision.action == "pause"  # two consecutive 24-hour triggers
    table = tables_with(consecutive_flares_to_pause=3)
    held = decide(NM04, LADDER, 3, [monday, *history], [*checkins, next_day(monday)], HoldContext(), week_adherence(), table)  # fmt: skip
    assert (held.action, held.volume_factor) == ("hold", 0.7)
    assert "after 2026-11-25" in held.message().en and "30 % less volume" in held.message().en
