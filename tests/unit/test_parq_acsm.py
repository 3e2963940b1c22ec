"""PAR-Q+ (BRIEF §6.1), ACSM 2015 (BRIEF §6.2) and clearances (PRODUCT.md "Contracts": valid 12 months).

START (2026-11-23) is the resolved start date; the rule tables are read without the exercise catalog.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.screening import ScreeningResult, screen
from tests.factories import START, make_profile

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "neuromotrix" / "catalog" / "rules"
RULES = RuleTables.from_documents({p.stem: read_yaml(p) for p in sorted(RULES_DIR.glob("*.yaml"))})

QUESTIONS = [question.code for question in RULES.screening.parq.questions]
FOLLOW_UP = {question.code: question.follow_up for question in RULES.screening.parq.questions}
CARDIAC = ["heart_condition", "chest_pain", "dizziness_or_fainting"]
NON_CARDIAC = ["other_chronic_condition", "chronic_medication", "bone_joint_problem", "supervised_only"]
ALL_NO = dict.fromkeys(QUESTIONS, False)
FORTY = 1986  # 40 in the start year
VALID_ON = START - dt.timedelta(days=30)


def screened(
    *,
    parq: dict[str, bool] | None = None,
    follow_up: dict[str, bool] | None = None,
    clearance: dict[str, Any] | None = None,
    birth_year: int = FORTY,
    regular_exerciser: bool = False,
) -> ScreeningResult:
    """A person with focal neck dystonia; PAR-Q+ answers replace ALL_NO unless `parq` is given."""
    screening: dict[str, Any] = {"parq": ALL_NO if parq is None else parq}
    if follow_up is not None:
        screening["parq_follow_up"] = follow_up
    if clearance is not None:
        screening["clearance"] = {"by": "Dr. L. Gagnon, neurologist", **clearance}
    profile = make_profile(
        {
            "birth_year": birth_year,
            "conditions": [{"kind": "dystonia", "regions": ["neck"]}],
            "screening": screening,
            "activity": {"regular_exerciser": regular_exerciser},
        }
    )
    return screen(profile, derive_facts(profile), RULES)


def answers(**yes_or_no: bool | None) -> dict[str, bool]:
    """ALL_NO with some answers changed; None removes the answer (unanswered)."""
    merged: dict[str, Any] = {**ALL_NO, **yes_or_no}
    return {code: value for code, value in merged.items() if value is not None}


def codes(result: ScreeningResult) -> set[str]:
    return {flag.code for flag in result.flags}


def flag(result: ScreeningResult, code: str) -> Any:
    return next(item for item in result.flags if item.code == code)


def parq_codes(result: ScreeningResult) -> set[str]:
    return {code for code in codes(result) if code.startswith("parq_")}


def test_the_table_has_the_seven_parq_questions_in_order() -> None:
    assert [*CARDIAC, *NON_CARDIAC] == QUESTIONS
    assert [q.code for q in RULES.screening.parq.questions if q.cardiac] == CARDIAC


# --- PAR-Q+ ------------------------------------------------------------------------------------------------


def test_a_forty_year_old_answering_all_seven_no_is_ready_with_no_parq_flags() -> None:
    result = screened()
    assert result.outcome == "ready"
    assert parq_codes(result) == set()
    assert result.has_weeks
    assert "no_vigorous" not in result.effects


def test_a_profile_that_skips_the_parq_entirely_is_unanswered_not_all_no() -> None:
    result = screened(parq={})
    assert result.outcome == "needs_clearance"
    assert parq_codes(result) == {"parq_unanswered"}
    assert "7 PAR-Q+ question(s)" in flag(result, "parq_unanswered").message.en


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_omitted_answer_is_unanswered_and_needs_clearance_never_read_as_no(question: str) -> None:
    result = screened(parq=answers(**{question: None}))
    assert result.outcome == "needs_clearance"
    assert parq_codes(result) == {"parq_unanswered"}
    unanswered = flag(result, "parq_unanswered")
    assert unanswered.requires_clearance
    assert unanswered.severity == "info"
    assert "1 PAR-Q+ question(s)" in unanswered.message.en
    assert result.unmet_clearance == ("parq_unanswered",)


def test_a_fifty_year_old_with_an_omitted_answer_gets_no_all_no_advice() -> None:
    result = screened(parq=answers(chest_pain=None), birth_year=1976)
    assert "parq_over_45_not_vigorous" not in codes(result)
    assert result.outcome == "needs_clearance"


def test_an_omitted_answer_with_a_valid_clearance_on_file_is_ready() -> None:
    result = screened(parq=answers(heart_condition=None), clearance={"on": VALID_ON})
    assert result.outcome == "ready"
    assert "parq_unanswered" in codes(result)  # still said, but satisfied by the clearance


@pytest.mark.parametrize("question", QUESTIONS)
def test_any_yes_needs_clearance_when_the_follow_up_is_not_answered(question: str) -> None:
    result = screened(parq=answers(**{question: True}))
    assert result.outcome == "needs_clearance"
    yes = flag(result, f"parq_{question}")
    assert yes.requires_clearance
    assert f"parq_{question}" in result.unmet_clearance


@pytest.mark.parametrize("question", [q for q in QUESTIONS if FOLLOW_UP[q]])
def test_a_yes_whose_follow_up_groups_are_all_no_is_ready(question: str) -> None:
    result = screened(parq=answers(**{question: True}), follow_up=dict.fromkeys(FOLLOW_UP[question], False))
    yes = flag(result, f"parq_{question}")
    assert not yes.requires_clearance
    assert "All follow-up answers are no" in yes.action.en
    if question == "heart_condition":
        # ACSM: known cardiovascular disease in someone not exercising still recommends a clearance.
        assert result.unmet_clearance == ("acsm_clearance_recommended",)
    elif question in CARDIAC:
        # ACSM: chest pain or dizziness are symptoms; a clearance is needed whatever the PAR-Q+ follow-up says.
        assert result.unmet_clearance == ("acsm_symptoms",)
    else:
        assert result.outcome == "ready", result.unmet_clearance
        return
    assert result.outcome == "needs_clearance"
    assert result.has_weeks is False


@pytest.mark.parametrize("question", [q for q in QUESTIONS if FOLLOW_UP[q]])
def test_a_yes_with_any_follow_up_yes_still_needs_clearance(question: str) -> None:
    groups = FOLLOW_UP[question]
    follow_up = {**dict.fromkeys(groups, False), groups[-1]: True}
    result = screened(parq=answers(**{question: True}), follow_up=follow_up)
    assert flag(result, f"parq_{question}").requires_clearance
    assert result.outcome == "needs_clearance"


def test_bea_with_high_blood_pressure_must_answer_both_heart_follow_up_groups() -> None:
    only_one = screened(
        parq=answers(heart_condition=True), follow_up={"heart_cardiovascular": False}, regular_exerciser=True
    )
    assert flag(only_one, "parq_heart_condition").requires_clearance
    both = screened(
        parq=answers(heart_condition=True),
        follow_up={"heart_cardiovascular": False, "high_blood_pressure": False},
        regular_exerciser=True,
    )
    assert not flag(both, "parq_heart_condition").requires_clearance
    assert both.outcome == "ready"


def test_follow_up_answers_for_another_questions_group_do_not_clear_a_yes() -> None:
    result = screened(parq=answers(bone_joint_problem=True), follow_up={"other_condition": False})
    assert flag(result, "parq_bone_joint_problem").requires_clearance
    assert result.outcome == "needs_clearance"


def test_a_doctor_saying_supervised_only_always_needs_clearance_and_marks_sessions_supervised() -> None:
    result = screened(parq=answers(supervised_only=True))
    assert result.outcome == "needs_clearance"
    assert {"parq_supervised_only", "parq_supervision_required"} <= codes(result)
    assert flag(result, "parq_supervised_only").requires_clearance
    supervision = flag(result, "parq_supervision_required")
    assert supervision.severity == "modify"
    assert supervision.effects == ("supervision_required",)
    assert "supervision_required" in result.effects
    cleared = screened(parq=answers(supervised_only=True), clearance={"on": VALID_ON})
    assert cleared.outcome == "ready"
    assert "supervision_required" in cleared.effects


@pytest.mark.parametrize("question", CARDIAC)
def test_a_cardiac_yes_without_clearance_needs_clearance_and_offers_no_weeks(question: str) -> None:
    result = screened(parq=answers(**{question: True}))
    assert result.outcome == "needs_clearance"
    assert result.cardiac_yes_without_clearance
    assert result.has_weeks is False
    assert "physician's clearance" in flag(result, f"parq_{question}").action.en


@pytest.mark.parametrize("question", NON_CARDIAC)
def test_a_non_cardiac_yes_without_clearance_keeps_the_starter_weeks(question: str) -> None:
    result = screened(parq=answers(**{question: True}))
    assert result.outcome == "needs_clearance"
    assert result.starter_only
    assert not result.cardiac_yes_without_clearance
    assert result.has_weeks is True


@pytest.mark.parametrize("question", CARDIAC)
def test_a_cardiac_yes_with_a_valid_clearance_is_ready(question: str) -> None:
    result = screened(parq=answers(**{question: True}), clearance={"on": VALID_ON})
    assert result.outcome == "ready"
    assert result.clearance_valid
    assert not result.cardiac_yes_without_clearance
    assert result.has_weeks


def test_a_person_with_dystonia_on_medication_answering_yes_to_q4_and_q5_is_ready_after_clearance() -> None:
    both_yes = answers(other_chronic_condition=True, chronic_medication=True)
    assert screened(parq=both_yes).outcome == "needs_clearance"
    assert screened(parq=both_yes, clearance={"on": VALID_ON}).outcome == "ready"
    assert screened(parq=both_yes, follow_up={"other_condition": False}).outcome == "ready"


def test_every_parq_yes_at_once_raises_each_flag_code_only_once() -> None:
    result = screened(parq=dict.fromkeys(QUESTIONS, True))
    raised = [item.code for item in result.flags]
    assert len(raised) == len(set(raised)), raised
    assert {f"parq_{question}" for question in QUESTIONS} <= set(raised)


# --- clearance validity (12 months) -------------------------------------------------------------------------


def test_a_clearance_exactly_12_months_old_at_the_start_is_no_longer_valid() -> None:
    result = screened(parq=answers(chest_pain=True), clearance={"on": dt.date(2025, 11, 23)})
    assert not result.clearance_valid
    assert result.outcome == "needs_clearance"
    assert result.has_weeks is False
    assert "clearance_not_valid" in codes(result)


def test_a_clearance_one_day_short_of_12_months_is_still_valid() -> None:
    result = screened(parq=answers(chest_pain=True), clearance={"on": dt.date(2025, 11, 24)})
    assert result.clearance_valid
    assert result.outcome == "ready"
    assert "clearance_not_valid" not in codes(result)


def test_a_clearance_dated_after_the_start_is_not_on_file_yet() -> None:
    result = screened(parq=answers(chest_pain=True), clearance={"on": START + dt.timedelta(days=1)})
    assert not result.clearance_valid
    assert result.outcome == "needs_clearance"
    assert "clearance_not_valid" in codes(result)


def test_a_clearance_dated_on_the_start_day_is_valid() -> None:
    result = screened(parq=answers(chest_pain=True), clearance={"on": START})
    assert result.clearance_valid
    assert result.outcome == "ready"


# --- over 45, all no -------------------------------------------------------------------------------------------


def test_a_46_year_old_answering_all_no_who_does_not_exercise_gets_no_vigorous_effort() -> None:
    result = screened(birth_year=1980)
    assert result.outcome == "ready"
    over_45 = flag(result, "parq_over_45_not_vigorous")
    assert over_45.severity == "modify"
    assert over_45.effects == ("no_vigorous",)
    assert "no_vigorous" in result.effects


def test_a_45_year_old_answering_all_no_is_not_over_45() -> None:
    result = screened(birth_year=1981)
    assert "parq_over_45_not_vigorous" not in codes(result)
    assert "no_vigorous" not in result.effects


def test_a_46_year_old_who_exercises_regularly_keeps_vigorous_effort() -> None:
    result = screened(birth_year=1980, regular_exerciser=True)
    assert "parq_over_45_not_vigorous" not in codes(result)
    assert "no_vigorous" not in result.effects


def test_a_46_year_old_with_a_valid_clearance_keeps_vigorous_effort() -> None:
    result = screened(birth_year=1980, clearance={"on": VALID_ON})
    assert "parq_over_45_not_vigorous" not in codes(result)
    assert "no_vigorous" not in result.effects


# --- ACSM 2015 (BRIEF §6.2 table) ------------------------------------------------------------------------------


def acsm_codes(result: ScreeningResult) -> set[str]:
    return {code for code in codes(result) if code.startswith("acsm_")}


@pytest.mark.parametrize("exercising", [False, True])
def test_acsm_no_disease_no_symptoms_needs_no_clearance(exercising: bool) -> None:
    result = screened(regular_exerciser=exercising)
    assert acsm_codes(result) == set()
    assert result.outcome == "ready"


@pytest.mark.parametrize("symptom", ["chest_pain", "dizziness_or_fainting"])
@pytest.mark.parametrize("exercising", [False, True])
def test_acsm_any_symptom_needs_medical_clearance_whether_exercising_or_not(symptom: str, exercising: bool) -> None:
    # Even with the PAR-Q+ follow-up answered all no, ACSM symptoms still need a clearance.
    result = screened(
        parq=answers(**{symptom: True}), follow_up={"heart_cardiovascular": False}, regular_exerciser=exercising
    )
    assert acsm_codes(result) == {"acsm_symptoms"}
    assert flag(result, "acsm_symptoms").requires_clearance
    assert result.outcome == "needs_clearance"
    assert result.unmet_clearance == ("acsm_symptoms",)
    assert result.has_weeks is False
    cleared = screened(parq=answers(**{symptom: True}), regular_exerciser=exercising, clearance={"on": VALID_ON})
    assert cleared.outcome == "ready"


def test_acsm_known_disease_not_exercising_recommends_clearance_then_light_to_moderate() -> None:
    heart = answers(heart_condition=True)
    cleared_follow_up = {"heart_cardiovascular": False, "high_blood_pressure": False}
    result = screened(parq=heart, follow_up=cleared_follow_up)
    assert acsm_codes(result) == {"acsm_clearance_recommended"}
    assert result.outcome == "needs_clearance"
    assert result.has_weeks is False
    with_clearance = screened(parq=heart, follow_up=cleared_follow_up, clearance={"on": VALID_ON})
    assert with_clearance.outcome == "ready"


def test_acsm_known_disease_exercising_keeps_moderate_but_no_vigorous_without_clearance() -> None:
    heart = answers(heart_condition=True)
    cleared_follow_up = {"heart_cardiovascular": False, "high_blood_pressure": False}
    result = screened(parq=heart, follow_up=cleared_follow_up, regular_exerciser=True)
    assert acsm_codes(result) == {"acsm_no_vigorous_without_clearance"}
    no_vigorous = flag(result, "acsm_no_vigorous_without_clearance")
    assert no_vigorous.severity == "modify"
    assert not no_vigorous.requires_clearance
    assert "no_vigorous" in result.effects
    assert result.outcome == "ready"
    with_clearance = screened(parq=heart, regular_exerciser=True, clearance={"on": VALID_ON})
    assert acsm_codes(with_clearance) == set()
    assert "no_vigorous" not in with_clearance.effects
    assert with_clearance.outcome == "ready"


def test_acsm_symptoms_take_precedence_over_known_disease() -> None:
    result = screened(parq=answers(heart_condition=True, chest_pain=True), regular_exerciser=True)
    assert acsm_codes(result) == {"acsm_symptoms"}


def test_acsm_an_unanswered_heart_question_is_not_known_disease() -> None:
    result = screened(parq=answers(heart_condition=None), regular_exerciser=True)
    assert acsm_codes(result) == set()
    assert result.outcome == "needs_clearance"  # PAR-Q+ unanswered, not ACSM


# --- clearance restrictions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("restriction", "effect"),
    [
        ("no_vigorous", "no_vigorous"),
        ("seated_only", "seated_only"),
        ("no_unsupported_standing", "supported_upright_only"),
        ("supervised_only", "supervision_required"),
    ],
)
def test_a_clearance_restriction_becomes_a_planner_effect_and_a_flag(restriction: str, effect: str) -> None:
    result = screened(clearance={"on": VALID_ON, "restrictions": [restriction]})
    assert result.outcome == "ready"
    assert result.restrictions == {restriction}
    assert effect in result.effects
    restrictions_flag = flag(result, "clearance_restrictions")
    assert restrictions_flag.severity == "modify"
    assert restriction in restrictions_flag.message.en


@pytest.mark.parametrize("restriction", ["no_resisted_neck", "no_aerobic"])
def test_exclusion_restrictions_are_flagged_and_left_to_the_planner(restriction: str) -> None:
    result = screened(clearance={"on": VALID_ON, "restrictions": [restriction]})
    assert result.restrictions == {restriction}
    assert "clearance_restrictions" in codes(result)
    assert result.effects == frozenset()


def test_several_restrictions_are_all_listed_and_all_applied() -> None:
    result = screened(clearance={"on": VALID_ON, "restrictions": ["seated_only", "supervised_only", "no_vigorous"]})
    assert {"seated_only", "supervision_required", "no_vigorous"} <= result.effects
    assert "no_vigorous, seated_only, supervised_only" in flag(result, "clearance_restrictions").message.en


def test_a_clearance_without_restrictions_or_naming_only_the_pregnancy_raises_no_restrictions_flag() -> None:
    assert "clearance_restrictions" not in codes(screened(clearance={"on": VALID_ON}))
    pregnancy_only = screened(clearance={"on": VALID_ON, "restrictions": ["pregnancy_cleared"]})
    assert "clearance_restrictions" not in codes(pregnancy_only)
    assert pregnancy_only.effects == frozenset()
