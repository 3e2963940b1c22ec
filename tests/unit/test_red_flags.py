"""One story per row of catalog/rules/red_flags.yaml (BRIEF §6.3, §5): it fires, and a close profile does not.

Every test is tagged with the row it covers (`@row`); the last test checks that the tagged codes are exactly the
codes in the YAML, so a new row without its own test fails. The rule tables are read without the exercise
catalog. START (2026-11-23) is the resolved start date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.screening import BLOCKING, RaisedFlag, ScreeningResult, screen
from tests.factories import START, make_profile

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "neuromotrix" / "catalog" / "rules"
RULES = RuleTables.from_documents({p.stem: read_yaml(p) for p in sorted(RULES_DIR.glob("*.yaml"))})
YAML_ROWS = {flag.code: flag for flag in RULES.red_flags}

ALL_NO = {
    "heart_condition": False,
    "chest_pain": False,
    "dizziness_or_fainting": False,
    "other_chronic_condition": False,
    "chronic_medication": False,
    "bone_joint_problem": False,
    "supervised_only": False,
}
# A 40-year-old with focal neck dystonia who answered the whole PAR-Q+ "no": screening says ready, no flags.
CLEAN: dict[str, Any] = {
    "birth_year": 1986,
    "conditions": [{"kind": "dystonia", "regions": ["neck"]}],
    "screening": {"parq": ALL_NO},
}

ROWS_TESTED: dict[str, list[str]] = {}
F = TypeVar("F", bound=Callable[..., None])


def row(code: str) -> Callable[[F], F]:
    """Tag a test with the red-flag row it covers."""

    def tag(test: F) -> F:
        ROWS_TESTED.setdefault(code, []).append(test.__name__)
        return test

    return tag


def days_ago(days: int) -> dt.date:
    return START - dt.timedelta(days=days)


def screened(**overrides: Any) -> ScreeningResult:
    profile = make_profile(CLEAN, **overrides)
    return screen(profile, derive_facts(profile), RULES)


def codes(result: ScreeningResult) -> set[str]:
    return {flag.code for flag in result.flags}


def assert_raised(result: ScreeningResult, code: str) -> RaisedFlag:
    """The row is raised with the YAML's severity and effects; blocking severities block with no weeks."""
    raised = [flag for flag in result.flags if flag.code == code]
    assert len(raised) == 1, f"{code} not raised once; raised: {sorted(codes(result))}"
    flag = raised[0]
    expected = YAML_ROWS[code]
    assert flag.severity == expected.severity
    assert flag.effects == expected.effects
    assert set(flag.effects) <= result.effects
    assert flag.message.en and flag.message.fr and flag.action.en and flag.action.fr
    if expected.severity in BLOCKING:
        assert result.outcome == "blocked"
        assert result.has_weeks is False
    else:
        assert result.outcome != "blocked"
    return flag


def assert_absent(result: ScreeningResult, code: str) -> None:
    assert code not in codes(result), f"{code} raised unexpectedly"


def test_the_clean_baseline_is_ready_without_flags() -> None:
    result = screened()
    assert result.outcome == "ready"
    assert result.flags == ()
    assert result.has_weeks


# --- emergency ---------------------------------------------------------------------------------------------


@row("status_dystonicus")
def test_alice_with_rapidly_escalating_spasms_is_an_emergency_but_a_plain_worsening_is_not() -> None:
    assert_raised(screened(symptoms={"escalating_spasms": True}), "status_dystonicus")
    for companion in ("fever", "breathing_difficulty", "swallowing_difficulty"):
        assert_raised(screened(symptoms={"recent_worsening": True, companion: True}), "status_dystonicus")
    assert_absent(screened(symptoms={"recent_worsening": True}), "status_dystonicus")
    assert_absent(screened(symptoms={"fever": True}), "status_dystonicus")


@row("toxin_spread_breathing")
def test_alice_short_of_breath_84_days_after_her_neck_injection_is_an_emergency_but_not_on_day_85() -> None:
    breathless = {"breathing_difficulty": True}
    on_day_84 = screened(
        symptoms=breathless, treatments={"botulinum_toxin": [{"date": days_ago(84), "regions": ["neck"]}]}
    )
    assert_raised(on_day_84, "toxin_spread_breathing")
    assert_absent(on_day_84, "new_breathing_difficulty")
    on_day_85 = screened(
        symptoms=breathless, treatments={"botulinum_toxin": [{"date": days_ago(85), "regions": ["neck"]}]}
    )
    assert_absent(on_day_85, "toxin_spread_breathing")
    assert_raised(on_day_85, "new_breathing_difficulty")
    injected_today_breathing_fine = screened(treatments={"botulinum_toxin": [{"date": START, "regions": ["neck"]}]})
    assert_absent(injected_today_breathing_fine, "toxin_spread_breathing")


def test_an_injection_booked_after_the_start_date_does_not_count_as_a_recent_injection() -> None:
    result = screened(
        symptoms={"breathing_difficulty": True},
        treatments={"botulinum_toxin": [{"date": START + dt.timedelta(days=1), "regions": ["neck"]}]},
    )
    assert_absent(result, "toxin_spread_breathing")
    assert_raised(result, "new_breathing_difficulty")


# --- urgent ------------------------------------------------------------------------------------------------


@row("toxin_spread_symptoms")
def test_alice_with_new_trouble_swallowing_after_neck_injection_is_urgent_until_day_84_only() -> None:
    for symptom in ("swallowing_difficulty", "speech_difficulty", "vision_change", "new_weakness"):
        injected_84_days_ago = {"botulinum_toxin": [{"date": days_ago(84), "regions": ["neck"]}]}
        result = screened(symptoms={symptom: True}, treatments=injected_84_days_ago)
        flag = assert_raised(result, "toxin_spread_symptoms")
        assert "pause_neck_jaw" in flag.effects
    day_85 = screened(
        symptoms={"swallowing_difficulty": True},
        treatments={"botulinum_toxin": [{"date": days_ago(85), "regions": ["neck"]}]},
    )
    assert_absent(day_85, "toxin_spread_symptoms")
    assert_absent(
        screened(treatments={"botulinum_toxin": [{"date": days_ago(10), "regions": ["neck"]}]}),
        "toxin_spread_symptoms",
    )


def test_the_latest_of_several_injections_sets_the_toxin_window_whatever_their_order() -> None:
    injections = [
        {"date": days_ago(10), "regions": ["neck"]},
        {"date": days_ago(200), "regions": ["neck"]},
    ]
    result = screened(symptoms={"swallowing_difficulty": True}, treatments={"botulinum_toxin": injections})
    assert_raised(result, "toxin_spread_symptoms")


@row("new_breathing_difficulty")
def test_bob_with_new_breathlessness_and_no_recent_injection_is_urgent() -> None:
    assert_raised(screened(symptoms={"breathing_difficulty": True}), "new_breathing_difficulty")
    assert_absent(screened(symptoms={"chronic": ["breathing"]}), "new_breathing_difficulty")


@row("new_neurological_symptoms")
def test_carol_with_new_numbness_or_vision_change_and_no_recent_injection_is_urgent() -> None:
    for symptom in ("new_weakness", "numbness", "vision_change", "speech_difficulty"):
        assert_raised(screened(symptoms={symptom: True}), "new_neurological_symptoms")
    recent = {"botulinum_toxin": [{"date": days_ago(30), "regions": ["neck"]}]}
    after_injection = screened(symptoms={"vision_change": True}, treatments=recent)
    assert_absent(after_injection, "new_neurological_symptoms")
    assert_raised(after_injection, "toxin_spread_symptoms")
    assert_absent(screened(symptoms={"chronic": ["speech", "vision"]}), "new_neurological_symptoms")


@row("new_swallowing_difficulty")
def test_bob_choking_on_food_with_no_injection_in_84_days_is_urgent() -> None:
    assert_raised(screened(symptoms={"swallowing_difficulty": True}), "new_swallowing_difficulty")
    long_ago = {"botulinum_toxin": [{"date": days_ago(85), "regions": ["neck"]}]}
    assert_raised(screened(symptoms={"swallowing_difficulty": True}, treatments=long_ago), "new_swallowing_difficulty")
    recent = {"botulinum_toxin": [{"date": days_ago(84), "regions": ["neck"]}]}
    assert_absent(screened(symptoms={"swallowing_difficulty": True}, treatments=recent), "new_swallowing_difficulty")
    assert_absent(screened(symptoms={"chronic": ["swallowing"]}), "new_swallowing_difficulty")


@row("dbs_problem")
def test_dana_whose_dbs_battery_is_running_low_must_not_exercise_until_reviewed() -> None:
    for problem in ("loss_of_benefit", "device_warning", "battery_low", "shocks", "wound"):
        result = screened(treatments={"dbs": {"implanted_on": days_ago(700), "problem": problem}})
        assert_raised(result, "dbs_problem")
    assert_absent(screened(treatments={"dbs": {"implanted_on": days_ago(700)}}), "dbs_problem")


@row("withdrawal_risk_stop")
def test_eve_who_stopped_baclofen_28_days_ago_is_urgent_but_not_29_days_ago() -> None:
    for risky in ("anticholinergic", "baclofen", "benzodiazepine"):
        stopped = [{"name": "x", "class": risky, "change": "stopped", "changed_on": days_ago(28)}]
        assert_raised(screened(treatments={"medications": stopped}), "withdrawal_risk_stop")
    day_29 = [{"name": "Lioresal", "class": "baclofen", "change": "stopped", "changed_on": days_ago(29)}]
    assert_absent(screened(treatments={"medications": day_29}), "withdrawal_risk_stop")
    lowered = [{"name": "Lioresal", "class": "baclofen", "change": "dose_changed", "changed_on": days_ago(3)}]
    assert_absent(screened(treatments={"medications": lowered}), "withdrawal_risk_stop")
    other = [{"name": "Sinemet", "class": "dopaminergic", "change": "stopped", "changed_on": days_ago(3)}]
    assert_absent(screened(treatments={"medications": other}), "withdrawal_risk_stop")


@row("cervical_myelopathy_signs")
def test_alice_with_neck_dystonia_and_new_arm_numbness_is_urgent_but_numbness_without_neck_dystonia_is_not() -> None:
    for sign in ("numbness", "new_weakness", "gait_or_bladder_change"):
        flag = assert_raised(screened(symptoms={sign: True}), "cervical_myelopathy_signs")
        assert "pause_neck_jaw" in flag.effects
    hand_only = [{"kind": "dystonia", "regions": ["hand_right"]}]
    assert_absent(screened(conditions=hand_only, symptoms={"numbness": True}), "cervical_myelopathy_signs")
    assert_absent(screened(), "cervical_myelopathy_signs")


@row("mood_crisis")
def test_frank_with_thoughts_of_suicide_gets_crisis_resources_before_any_exercise() -> None:
    flag = assert_raised(screened(symptoms={"low_mood_crisis": True}), "mood_crisis")
    assert "9-8-8" in flag.action.en
    assert_absent(screened(symptoms={"fatigue_nrs": 8}), "mood_crisis")


# --- pause -------------------------------------------------------------------------------------------------


@row("dystonia_worsening_or_spread")
def test_alice_whose_dystonia_spread_to_her_arm_is_paused_for_review() -> None:
    assert_raised(screened(symptoms={"recent_worsening": True}), "dystonia_worsening_or_spread")
    escalating = screened(symptoms={"recent_worsening": True, "escalating_spasms": True})
    assert_absent(escalating, "dystonia_worsening_or_spread")
    assert_raised(escalating, "status_dystonicus")
    assert_absent(screened(), "dystonia_worsening_or_spread")


@row("new_tremor")
def test_bob_with_a_new_tremor_is_paused_until_his_neurologist_sees_it() -> None:
    assert_raised(screened(symptoms={"tremor": True}), "new_tremor")
    steady_head_tremor = [{"kind": "dystonia", "regions": ["neck"], "cervical": {"tremor": "no_no"}}]
    assert_absent(screened(conditions=steady_head_tremor), "new_tremor")


@row("recent_surgery")
def test_gina_90_days_after_surgery_waits_for_a_surgeons_clearance_but_not_on_day_91() -> None:
    assert_raised(screened(treatments={"recent_surgery_on": days_ago(90)}), "recent_surgery")
    assert_absent(screened(treatments={"recent_surgery_on": days_ago(91)}), "recent_surgery")
    dbs_90_days = screened(treatments={"dbs": {"implanted_on": days_ago(90)}})
    assert_raised(dbs_90_days, "recent_surgery")
    assert_absent(screened(treatments={"dbs": {"implanted_on": days_ago(91)}}), "recent_surgery")


def test_gina_with_a_surgeons_clearance_dated_after_the_operation_may_start() -> None:
    surgery = days_ago(30)
    after = screened(
        treatments={"recent_surgery_on": surgery},
        screening={"clearance": {"by": "Dr. Roy, surgeon", "on": surgery + dt.timedelta(days=1)}},
    )
    assert_absent(after, "recent_surgery")
    assert after.outcome == "ready"
    implant = days_ago(30)
    after_implant = screened(
        treatments={"dbs": {"implanted_on": implant}},
        screening={"clearance": {"by": "DBS team", "on": implant + dt.timedelta(days=20)}},
    )
    assert_absent(after_implant, "recent_surgery")


def test_gina_whose_only_clearance_predates_the_operation_stays_paused() -> None:
    surgery = days_ago(30)
    before = screened(
        treatments={"recent_surgery_on": surgery},
        screening={"clearance": {"by": "Dr. Roy", "on": surgery - dt.timedelta(days=1)}},
    )
    assert_raised(before, "recent_surgery")
    # A clearance after the surgery but after the start date is not on file yet.
    future = screened(
        treatments={"recent_surgery_on": surgery},
        screening={"clearance": {"by": "Dr. Roy", "on": START + dt.timedelta(days=1)}},
    )
    assert_raised(future, "recent_surgery")
    # The clearance must follow the most recent operation: a DBS implant after the cleared surgery re-blocks.
    both = screened(
        treatments={"recent_surgery_on": days_ago(60), "dbs": {"implanted_on": days_ago(20)}},
        screening={"clearance": {"by": "Dr. Roy", "on": days_ago(40)}},
    )
    assert_raised(both, "recent_surgery")


@row("acute_illness")
def test_hugo_with_the_flu_waits_until_he_is_better() -> None:
    assert_raised(screened(symptoms={"acute_illness": True}), "acute_illness")
    assert_raised(screened(symptoms={"fever": True}), "acute_illness")
    assert_absent(screened(symptoms={"fatigue_nrs": 3}), "acute_illness")


# --- modify ------------------------------------------------------------------------------------------------


@row("dbs_precautions")
def test_dana_with_dbs_hardware_keeps_end_range_neck_stretches_out() -> None:
    result = screened(treatments={"dbs": {"implanted_on": days_ago(700), "target": "GPi"}})
    assert_raised(result, "dbs_precautions")
    assert result.outcome == "ready"
    assert_absent(screened(), "dbs_precautions")


@row("falls_risk")
def test_bob_with_two_falls_this_year_keeps_a_hand_on_a_support_but_one_fall_does_not() -> None:
    assert_raised(screened(symptoms={"falls_last_12_months": 2}), "falls_risk")
    injured_once = {"falls_last_12_months": 1, "injurious_fall_last_12_months": True}
    assert_raised(screened(symptoms=injured_once), "falls_risk")
    assert_absent(screened(symptoms={"falls_last_12_months": 1}), "falls_risk")


@row("freezing_of_gait")
def test_bob_who_freezes_when_walking_stays_supported() -> None:
    assert_raised(screened(conditions=[{"kind": "parkinson", "freezing": True}]), "freezing_of_gait")
    assert_absent(screened(conditions=[{"kind": "parkinson", "freezing": False}]), "freezing_of_gait")


@row("advanced_parkinson")
def test_bob_at_hoehn_yahr_3_stays_supported_but_not_at_stage_2() -> None:
    assert_raised(screened(conditions=[{"kind": "parkinson", "hoehn_yahr": 3}]), "advanced_parkinson")
    assert_absent(screened(conditions=[{"kind": "parkinson", "hoehn_yahr": 2}]), "advanced_parkinson")
    assert_absent(screened(conditions=[{"kind": "parkinson"}]), "advanced_parkinson")


@row("gmfcs_3")
def test_chloe_at_gmfcs_3_stays_supported_but_not_at_level_2_or_4() -> None:
    assert_raised(screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": 3}]), "gmfcs_3")
    assert_absent(screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": 2}]), "gmfcs_3")
    assert_absent(screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": 4}]), "gmfcs_3")


@row("gmfcs_4_5")
def test_chloe_at_gmfcs_4_works_lying_sitting_or_supported_with_an_adult() -> None:
    for level in (4, 5):
        result = screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": level}])
        assert_raised(result, "gmfcs_4_5")
        assert {"lying_sitting_supported_standing_only", "supervision_required"} <= result.effects
    assert_absent(screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": 3}]), "gmfcs_4_5")


@row("orthostatic_hypotension")
def test_bob_whose_blood_pressure_drops_on_standing_changes_position_slowly() -> None:
    assert_raised(
        screened(conditions=[{"kind": "parkinson", "orthostatic_hypotension": True}]), "orthostatic_hypotension"
    )
    assert_absent(screened(conditions=[{"kind": "parkinson"}]), "orthostatic_hypotension")


@row("medication_change")
def test_eve_who_changed_a_dose_6_days_ago_holds_progression_but_not_7_days_ago() -> None:
    for change in ("started", "stopped", "dose_changed"):
        recent = [{"name": "Sinemet", "class": "dopaminergic", "change": change, "changed_on": days_ago(6)}]
        assert_raised(screened(treatments={"medications": recent}), "medication_change")
    week_old = [{"name": "Sinemet", "class": "dopaminergic", "change": "dose_changed", "changed_on": days_ago(7)}]
    assert_absent(screened(treatments={"medications": week_old}), "medication_change")
    planned = [
        {"name": "Sinemet", "class": "dopaminergic", "change": "started", "changed_on": START + dt.timedelta(days=1)}
    ]
    assert_absent(screened(treatments={"medications": planned}), "medication_change")
    steady = [{"name": "Sinemet", "class": "dopaminergic"}]
    assert_absent(screened(treatments={"medications": steady}), "medication_change")


@row("beta_blocker")
def test_ivan_on_a_beta_blocker_is_guided_by_perceived_exertion_not_heart_rate() -> None:
    assert_raised(screened(treatments={"medications": [{"name": "Inderal", "class": "beta_blocker"}]}), "beta_blocker")
    stopped = [{"name": "Inderal", "class": "beta_blocker", "change": "stopped", "changed_on": days_ago(60)}]
    assert_absent(screened(treatments={"medications": stopped}), "beta_blocker")
    assert_absent(
        screened(treatments={"medications": [{"name": "Sertraline", "class": "antidepressant"}]}), "beta_blocker"
    )


@row("pregnancy")
def test_julia_who_is_pregnant_needs_a_clearance_naming_the_pregnancy() -> None:
    flag = assert_raised(screened(screening={"pregnant": True}), "pregnancy")
    assert flag.requires_clearance and flag.clearance_must_name == "pregnancy_cleared"
    assert screened(screening={"pregnant": True}).outcome == "needs_clearance"
    assert_absent(screened(screening={"pregnant": False}), "pregnancy")


def test_julia_with_a_valid_clearance_that_names_the_pregnancy_is_ready_with_no_lying_on_her_back() -> None:
    clearance = {"by": "Dr. Tremblay, obstetrician", "on": days_ago(10), "restrictions": ["pregnancy_cleared"]}
    result = screened(screening={"pregnant": True, "clearance": clearance})
    assert_raised(result, "pregnancy")
    assert result.outcome == "ready"
    assert "no_supine" in result.effects
    assert result.unmet_clearance == ()
    assert_absent(result, "clearance_restrictions")


def test_julia_with_a_clearance_that_does_not_name_the_pregnancy_still_needs_one() -> None:
    clearance = {"by": "Dr. Tremblay", "on": days_ago(10), "restrictions": ["no_vigorous"]}
    result = screened(screening={"pregnant": True, "clearance": clearance})
    assert result.outcome == "needs_clearance"
    assert result.unmet_clearance == ("pregnancy",)
    expired = {"by": "Dr. Tremblay", "on": days_ago(400), "restrictions": ["pregnancy_cleared"]}
    assert screened(screening={"pregnant": True, "clearance": expired}).outcome == "needs_clearance"


@row("exercise_induced_dystonia")
def test_kim_whose_foot_cramps_after_long_walks_has_capped_bouts() -> None:
    induced = [{"kind": "dystonia", "regions": ["foot_left"], "onset": "childhood", "exercise_induced": True}]
    assert_raised(screened(conditions=induced), "exercise_induced_dystonia")
    plain = [{"kind": "dystonia", "regions": ["foot_left"], "onset": "childhood"}]
    assert_absent(screened(conditions=plain), "exercise_induced_dystonia")


@row("blepharospasm_visual_risk")
def test_lea_whose_eyelids_close_her_vision_off_exercises_supported_and_indoors() -> None:
    eyes = [{"kind": "dystonia", "regions": ["eyes"]}]
    assert_raised(screened(conditions=eyes, symptoms={"chronic": ["vision"]}), "blepharospasm_visual_risk")
    assert_absent(screened(conditions=eyes), "blepharospasm_visual_risk")
    assert_absent(screened(symptoms={"chronic": ["vision"]}), "blepharospasm_visual_risk")


@row("supervision_required")
def test_max_born_2008_is_still_a_minor_at_the_start_and_exercises_supervised_but_not_if_born_2007() -> None:
    assert_raised(screened(birth_year=2008), "supervision_required")
    assert_absent(screened(birth_year=2007), "supervision_required")
    adult_gmfcs_4 = screened(conditions=[{"kind": "cerebral_palsy", "gmfcs": 4}])
    assert_raised(adult_gmfcs_4, "supervision_required")


@row("cervical_pattern_unconfirmed")
def test_alice_whose_neck_pattern_is_self_reported_keeps_direction_specific_work_locked() -> None:
    unconfirmed = [{"kind": "dystonia", "regions": ["neck"], "cervical": {"rotation": {"toward": "left"}}}]
    assert_raised(screened(conditions=unconfirmed), "cervical_pattern_unconfirmed")
    confirmed = [
        {
            "kind": "dystonia",
            "regions": ["neck"],
            "cervical": {"rotation": {"toward": "left"}, "confirmed_by_clinician": True},
        }
    ]
    assert_absent(screened(conditions=confirmed), "cervical_pattern_unconfirmed")
    assert_absent(screened(), "cervical_pattern_unconfirmed")


# --- info --------------------------------------------------------------------------------------------------


@row("anticholinergic_heat")
def test_nina_on_trihexyphenidyl_is_warned_about_heat_but_not_after_stopping_it() -> None:
    current = [{"name": "Artane", "class": "anticholinergic"}]
    assert_raised(screened(treatments={"medications": current}), "anticholinergic_heat")
    stopped = [{"name": "Artane", "class": "anticholinergic", "change": "stopped", "changed_on": days_ago(60)}]
    assert_absent(screened(treatments={"medications": stopped}), "anticholinergic_heat")


@row("breastfeeding")
def test_julia_who_is_breastfeeding_is_told_to_discuss_toxin_with_her_injector() -> None:
    result = screened(screening={"breastfeeding": True})
    assert_raised(result, "breastfeeding")
    assert result.outcome == "ready"
    assert_absent(screened(), "breastfeeding")


@row("exercise_induced_adult_onset")
def test_oscar_whose_exercise_induced_dystonia_began_at_50_needs_a_neurology_review_unless_he_has_parkinsons() -> None:
    adult_onset = {"kind": "dystonia", "regions": ["foot_left"], "onset": "late_adulthood", "exercise_induced": True}
    result = screened(conditions=[adult_onset])
    flag = assert_raised(result, "exercise_induced_adult_onset")
    assert flag.requires_clearance
    assert result.outcome == "needs_clearance"
    cleared = screened(conditions=[adult_onset], screening={"clearance": {"by": "Dr. Neuro", "on": days_ago(5)}})
    assert cleared.outcome == "ready"
    with_parkinson = screened(conditions=[adult_onset, {"kind": "parkinson"}])
    assert_absent(with_parkinson, "exercise_induced_adult_onset")
    early_adult = {**adult_onset, "onset": "early_adulthood"}
    assert_raised(screened(conditions=[early_adult]), "exercise_induced_adult_onset")
    childhood = {**adult_onset, "onset": "childhood"}
    assert_absent(screened(conditions=[childhood]), "exercise_induced_adult_onset")


@row("age_unknown")
def test_pat_who_gave_no_birth_year_is_assumed_adult_and_asked_for_it() -> None:
    result = screened(birth_year=None)
    assert_raised(result, "age_unknown")
    assert_absent(result, "supervision_required")
    assert_absent(screened(), "age_unknown")


# --- the table and its tests stay in step -------------------------------------------------------------------


def test_every_red_flag_row_has_its_own_story_and_every_story_names_a_row() -> None:
    assert set(ROWS_TESTED) == set(YAML_ROWS)
    assert len(YAML_ROWS) == 32
