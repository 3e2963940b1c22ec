"""Weighted generators of valid profiles for property tests.

Hypothesis draws a seed; a seeded PRNG builds the profile. This keeps the mix of situations under our control
(the weights below are asserted by the property test through hypothesis events): at least a fifth of the
profiles have a clinician-confirmed cervical pattern and a resistance band, a fifth a neck injection within 14
days of the start, and every red flag appears in at least 5 % of the profiles.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

START = dt.date(2026, 11, 23)
REGIONS = ["eyes", "mouth", "larynx", "neck", "trunk", "arm_left", "arm_right", "hand_left", "hand_right",
           "leg_left", "leg_right", "foot_left", "foot_right"]  # fmt: skip
TASKS = ["writing", "typing", "instrument", "speaking", "walking", "running", "standing", "chewing", "reading",
         "screen_work", "driving", "carrying"]  # fmt: skip
EQUIPMENT = ["chair", "mat", "wall", "towel", "pillow", "mirror", "table", "counter", "step", "resistance_band",
             "ball", "putty", "whiteboard", "poles", "stationary_bike", "treadmill", "pool"]  # fmt: skip
GOALS = ["reduce_pain", "posture", "neck_control", "balance", "gait", "fitness", "strength", "hand_function",
         "fatigue", "independence"]  # fmt: skip
PAINFUL = ["neck_rotation_left", "neck_rotation_right", "neck_tilt_left", "neck_tilt_right", "neck_flexion",
           "neck_extension", "shoulder_elevation", "wrist_flexion", "wrist_extension", "ankle_inversion", "walking",
           "standing"]  # fmt: skip
MED_CLASSES = ["anticholinergic", "baclofen", "benzodiazepine", "beta_blocker", "dopaminergic", "tetrabenazine",
               "antidepressant", "other"]  # fmt: skip
RESTRICTIONS = ["no_resisted_neck", "no_vigorous", "seated_only", "supervised_only", "no_aerobic",
                "no_unsupported_standing"]  # fmt: skip
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

Profile = dict[str, Any]


def _days_before(days: int) -> str:
    return (START - dt.timedelta(days=days)).isoformat()


def _dystonia(profile: Profile) -> Profile:
    for condition in profile["conditions"]:
        if condition["kind"] == "dystonia":
            return condition
    condition = {"kind": "dystonia", "regions": ["neck"]}
    profile["conditions"].append(condition)
    return condition


def _symptom(name: str, value: Any = True) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        profile.setdefault("symptoms", {})[name] = value

    return apply


def _neck_injection_within(days: int) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        _inject(profile, rng.randint(0, days), ["neck"])

    return apply


def _inject(profile: Profile, days_before: int, regions: list[str]) -> None:
    injections = profile.setdefault("treatments", {}).setdefault("botulinum_toxin", [])
    injections.append({"date": _days_before(days_before), "regions": regions})


def _medication(cls: str, change: str | None, days_before: int) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        medication: dict[str, Any] = {"name": f"{cls} drug", "class": cls}
        if change:
            medication.update(change=change, changed_on=_days_before(days_before))
        profile.setdefault("treatments", {}).setdefault("medications", []).append(medication)

    return apply


def _condition(kind: str, **fields: Any) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        existing = [c for c in profile["conditions"] if c["kind"] == kind]
        if existing:
            existing[0].update(fields)
        else:
            profile["conditions"].append({"kind": kind, **fields})

    return apply


def _dystonia_fields(**fields: Any) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        dystonia = _dystonia(profile)
        for key, value in fields.items():
            if key == "regions":
                dystonia["regions"] = sorted(set(dystonia.get("regions", [])) | set(value))
            else:
                dystonia[key] = value

    return apply


def _set(path: str, value: Any) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        node = profile
        *parents, leaf = path.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value

    return apply


def _both(*steps: Callable[[Profile, random.Random], None]) -> Callable[[Profile, random.Random], None]:
    def apply(profile: Profile, rng: random.Random) -> None:
        for step in steps:
            step(profile, rng)

    return apply


def _no_recent_injection(profile: Profile, rng: random.Random) -> None:
    """Without an injection in the last 84 days, breathing or swallowing trouble is not read as toxin spread."""
    injections = profile.get("treatments", {}).get("botulinum_toxin", [])
    kept = [i for i in injections if (START - dt.date.fromisoformat(i["date"])).days > 84]
    profile.setdefault("treatments", {})["botulinum_toxin"] = kept


def _unconfirm(profile: Profile, rng: random.Random) -> None:
    dystonia = _dystonia(profile)
    if "neck" not in dystonia["regions"]:
        dystonia["regions"] = sorted([*dystonia["regions"], "neck"])
    cervical = dystonia.setdefault("cervical", _cervical(rng, confirmed=False))
    cervical["confirmed_by_clinician"] = False


# Red flag code -> how to trigger it. Blocking flags are rarer so that enough profiles still get weeks.
RED_FLAG_TRIGGERS: dict[str, Callable[[Profile, random.Random], None]] = {
    "status_dystonicus": _symptom("escalating_spasms"),
    "toxin_spread_breathing": _both(_neck_injection_within(60), _symptom("breathing_difficulty")),
    "toxin_spread_symptoms": _both(_neck_injection_within(60), _symptom("vision_change")),
    "new_breathing_difficulty": _both(_no_recent_injection, _symptom("breathing_difficulty")),
    "new_neurological_symptoms": _both(_no_recent_injection, _symptom("numbness")),
    "new_swallowing_difficulty": _both(_no_recent_injection, _symptom("swallowing_difficulty")),
    "dystonia_worsening_or_spread": _symptom("recent_worsening"),
    "new_tremor": _symptom("tremor"),
    "dbs_problem": _set("treatments.dbs", {"implanted_on": "2019-05-02", "target": "GPi", "problem": "battery_low"}),
    "dbs_precautions": _set("treatments.dbs", {"implanted_on": "2019-05-02", "target": "GPi"}),
    "recent_surgery": _set("treatments.recent_surgery_on", _days_before(30)),
    "falls_risk": _set("symptoms.falls_last_12_months", 3),
    "freezing_of_gait": _condition("parkinson", freezing=True),
    "advanced_parkinson": _condition("parkinson", hoehn_yahr=3),
    "gmfcs_3": _condition("cerebral_palsy", gmfcs=3),
    "gmfcs_4_5": _condition("cerebral_palsy", gmfcs=4),
    "orthostatic_hypotension": _condition("parkinson", orthostatic_hypotension=True),
    "medication_change": _medication("dopaminergic", "dose_changed", 3),
    "withdrawal_risk_stop": _medication("baclofen", "stopped", 10),
    "anticholinergic_heat": _medication("anticholinergic", None, 0),
    "beta_blocker": _medication("beta_blocker", None, 0),
    "pregnancy": _set("screening.pregnant", True),
    "breastfeeding": _set("screening.breastfeeding", True),
    "exercise_induced_dystonia": _dystonia_fields(exercise_induced=True),
    "exercise_induced_adult_onset": _dystonia_fields(exercise_induced=True, onset="late_adulthood"),
    "blepharospasm_visual_risk": _both(_dystonia_fields(regions=["eyes"]), _symptom("chronic", ["vision"])),
    "cervical_myelopathy_signs": _both(_dystonia_fields(regions=["neck"]), _symptom("gait_or_bladder_change")),
    "mood_crisis": _symptom("low_mood_crisis"),
    "supervision_required": _set("birth_year", 2012),
    "acute_illness": _symptom("acute_illness"),
    "age_unknown": lambda profile, rng: profile.pop("birth_year", None),
    "cervical_pattern_unconfirmed": lambda profile, rng: _unconfirm(profile, rng),
}
BLOCKING_FLAGS = {
    "status_dystonicus", "toxin_spread_breathing", "toxin_spread_symptoms", "new_breathing_difficulty",
    "new_swallowing_difficulty", "new_neurological_symptoms", "dystonia_worsening_or_spread", "new_tremor", "dbs_problem", "recent_surgery",
    "withdrawal_risk_stop", "cervical_myelopathy_signs", "mood_crisis", "acute_illness",
}  # fmt: skip
BLOCKING_RATE = 0.072
OTHER_RATE = 0.09
# Flags whose trigger other triggers often cancel (adult-onset PED is not flagged when Parkinson's is present).
RATE_OVERRIDES = {"exercise_induced_adult_onset": 0.14, "toxin_spread_symptoms": 0.09, "toxin_spread_breathing": 0.085}


def _cervical(rng: random.Random, *, confirmed: bool) -> dict[str, Any]:
    pattern: dict[str, Any] = {"confirmed_by_clinician": confirmed}
    components = rng.sample(["rotation", "tilt", "sagittal"], rng.randint(1, 3))
    for component in components:
        toward = rng.choice(["forward", "backward"] if component == "sagittal" else ["left", "right"])
        pattern[component] = {"toward": toward, "level": rng.choice(["collis", "caput", "both"]),
                              "severity": rng.randint(0, 4)}  # fmt: skip
    pattern["lateral_shift"] = rng.choice(["none", "none", "left", "right"])
    pattern["sagittal_shift"] = rng.choice(["none", "none", "forward", "backward"])
    pattern["shoulder_elevation"] = rng.choice(["none", "left", "right"])
    pattern["tremor"] = rng.choice(["none", "yes_yes", "no_no", "mixed"])
    pattern["stability"] = rng.choice(["stable", "stable", "unstable", "unknown"])
    pattern["sensory_tricks"] = rng.sample(["hand_on_chin", "hand_on_cheek", "head_support"], rng.randint(0, 2))
    return pattern


def _base(rng: random.Random) -> Profile:
    confirmed_cervical_with_band = rng.random() < 0.4
    kinds = rng.choice([["dystonia"], ["dystonia"], ["dystonia"], ["parkinson"], ["cerebral_palsy"],
                        ["parkinson", "dystonia"], ["cerebral_palsy", "dystonia"]])  # fmt: skip
    conditions: list[dict[str, Any]] = []
    for kind in kinds:
        if kind == "dystonia":
            regions = sorted(set(rng.sample(REGIONS, rng.randint(1, 3))))
            dystonia: dict[str, Any] = {
                "kind": "dystonia",
                "distribution": rng.choice(["focal", "segmental", "multifocal", "generalized", "hemidystonia"]),
                "regions": regions,
                "task_triggers": rng.sample(TASKS, rng.choice([0, 0, 1, 2])),
            }
            if confirmed_cervical_with_band and "neck" not in regions:
                dystonia["regions"] = sorted([*regions, "neck"])
            if "neck" in dystonia["regions"]:
                dystonia["cervical"] = _cervical(rng, confirmed=confirmed_cervical_with_band or rng.random() < 0.5)
            conditions.append(dystonia)
        elif kind == "parkinson":
            conditions.append({"kind": "parkinson", "hoehn_yahr": rng.choice([1, 2, 2])})
        else:
            conditions.append({"kind": "cerebral_palsy", "gmfcs": rng.choice([1, 2]),
                               "motor_type": rng.choice(["spastic", "dyskinetic", "ataxic", "mixed"])})  # fmt: skip
    equipment = sorted(set(rng.sample(EQUIPMENT, rng.randint(0, 10))))
    if confirmed_cervical_with_band and "resistance_band" not in equipment:
        equipment = sorted([*equipment, "resistance_band"])
    preferences: dict[str, Any] = {
        "start_on": START.isoformat(),
        "weeks": rng.randint(1, 16),
        "minutes_per_session": rng.choice([10, 15, 20, 25, 30, 40, 45, 60, 90]),
        "equipment": equipment,
    }
    if rng.random() < 0.5:
        preferences["sessions_per_week"] = rng.randint(1, 7)
    else:
        preferences["days"] = sorted(rng.sample(DAYS, rng.randint(1, 7)), key=DAYS.index)
    parq = dict.fromkeys(["heart_condition", "chest_pain", "dizziness_or_fainting", "other_chronic_condition", "chronic_medication", "bone_joint_problem", "supervised_only"], False)  # fmt: skip
    for question in list(parq):
        roll = rng.random()
        if roll < 0.08:
            parq[question] = True
        elif roll < 0.14:
            del parq[question]
    screening: dict[str, Any] = {"parq": parq}
    if rng.random() < 0.75:
        age_days = rng.choice([10, 100, 300, 364, 365, 400])
        screening["clearance"] = {
            "by": "Dr. L. Gagnon",
            "on": _days_before(age_days),
            "restrictions": rng.sample(RESTRICTIONS, rng.choice([0, 0, 0, 1, 2])),
        }
    profile: Profile = {
        "birth_year": rng.randint(1940, 2004),
        "language": rng.choice(["en", "fr"]),
        "conditions": conditions,
        "symptoms": {
            "pain_nrs": rng.randint(0, 10),
            "falls_last_12_months": rng.choice([0, 0, 0, 1]),
            "painful_movements": rng.sample(PAINFUL, rng.choice([0, 0, 1, 2])),
        },
        "screening": screening,
        "activity": {"regular_exerciser": rng.random() < 0.4, "minutes_per_week": rng.randint(0, 300)},
        "preferences": preferences,
        "goals": rng.sample(GOALS, rng.randint(0, 3)),
    }
    if rng.random() < 0.25:
        _inject(profile, rng.randint(0, 14), ["neck"])
    if rng.random() < 0.15:
        _inject(profile, rng.randint(15, 120), rng.sample(["neck", "eyes", "mouth", "hand_right"], 1))
    if rng.random() < 0.08:
        _inject(profile, -rng.randint(1, 40), ["neck"])  # an injection during the plan
    return profile


def build_profile(seed: int) -> Profile:
    rng = random.Random(seed)
    profile = _base(rng)
    for code, trigger in RED_FLAG_TRIGGERS.items():
        rate = RATE_OVERRIDES.get(code, BLOCKING_RATE if code in BLOCKING_FLAGS else OTHER_RATE)
        if rng.random() < rate:
            trigger(profile, rng)
    return profile


profiles = st.integers(min_value=0, max_value=2**62).map(build_profile)
