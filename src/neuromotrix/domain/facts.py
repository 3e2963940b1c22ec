"""Facts: a flat view of the profile that rule tables (catalog contraindications, red flags) are written against.

Fact names mirror the profile's field paths; values from every condition of a kind are merged (sets are united,
levels take the most severe). Date-dependent facts are counted at the plan's start date. Rules written in data
(catalog YAML) can only name facts listed in FACTS, which the catalog loader checks.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from neuromotrix.domain.profile import Clearance, Profile

CLEARANCE_VALID_MONTHS = 12  # PRODUCT.md "Contracts"; PAR-Q+ clearance lasts 12 months (BRIEF §6.1)

# name -> what it means (shown in docs/clinical-rules.md and checked when rule tables load).
FACTS: dict[str, str] = {
    "age": "age reached during the start year (start_on.year - birth_year); none when birth_year is omitted",
    "minor": "under 18 at start_on (conservative: true when the person turns 18 during the start year or later)",
    "conditions": "set of condition kinds",
    "dystonia.regions": "set of regions affected by any dystonia",
    "dystonia.distribution": "set of dystonia distributions",
    "dystonia.onset": "set of dystonia onsets",
    "dystonia.task_triggers": "set of trigger tasks",
    "dystonia.exercise_induced": "true when any dystonia is exercise-induced (PED-type)",
    "cervical.present": "true when a cervical pattern is recorded",
    "cervical.rotation.toward": "left | right | none",
    "cervical.tilt.toward": "left | right | none",
    "cervical.sagittal.toward": "forward | backward | none",
    "cervical.lateral_shift": "left | right | none",
    "cervical.sagittal_shift": "forward | backward | none",
    "cervical.shoulder_elevation": "left | right | none",
    "cervical.tremor": "none | yes_yes | no_no | mixed",
    "cervical.stability": "stable | unstable | unknown (unknown is treated as unstable)",
    "cervical.sensory_tricks": "set of documented sensory tricks",
    "cervical.confirmed_by_clinician": "true when a clinician confirmed the pattern",
    "parkinson.hoehn_yahr": "Hoehn & Yahr stage (highest recorded), none when not given",
    "parkinson.freezing": "freezing of gait",
    "parkinson.fluctuations": "ON/OFF motor fluctuations",
    "parkinson.orthostatic_hypotension": "orthostatic hypotension",
    "cerebral_palsy.gmfcs": "GMFCS level (highest recorded), none when not given",
    "cerebral_palsy.motor_type": "set of CP motor types",
    "symptoms.pain_nrs": "average pain 0-10",
    "symptoms.fatigue_nrs": "fatigue 0-10",
    "symptoms.tremor": "new or worsening tremor",
    "symptoms.speech_difficulty": "new or worsening speech difficulty",
    "symptoms.swallowing_difficulty": "new or worsening swallowing difficulty",
    "symptoms.breathing_difficulty": "new or worsening breathing difficulty",
    "symptoms.recent_worsening": "sudden worsening or spread to a new region",
    "symptoms.chronic": "set of long-standing stable problems",
    "symptoms.falls_last_12_months": "number of falls in the last 12 months",
    "symptoms.injurious_fall_last_12_months": "an injurious fall in the last 12 months",
    "symptoms.painful_movements": "set of painful movements",
    "symptoms.escalating_spasms": "rapidly escalating, frequent or continuous spasms",
    "symptoms.fever": "fever",
    "symptoms.acute_illness": "temporary illness (cold, flu, fever)",
    "symptoms.new_weakness": "new weakness",
    "symptoms.numbness": "new numbness or tingling",
    "symptoms.vision_change": "new double vision, droopy eyelids or other vision change",
    "symptoms.gait_or_bladder_change": "new gait or bladder change",
    "symptoms.low_mood_crisis": "hopelessness or thoughts of suicide",
    "medications.classes": "set of current medication classes (stopped ones excluded)",
    "medications.days_since_change": "days from the most recent medication change to start_on",
    "medications.days_since_withdrawal_risk_stop": "days from the most recent stop of an anticholinergic, baclofen or benzodiazepine to start_on",
    "toxin.days_since_last": "days from the most recent injection (on or before start_on) to start_on",
    "toxin.last_regions": "set of regions of that injection",
    "dbs.present": "deep brain stimulation hardware implanted",
    "dbs.days_since_implant": "days from DBS implantation to start_on",
    "dbs.problem": "none | loss_of_benefit | device_warning | battery_low | shocks | wound",
    "surgery.days_since": "days from recent surgery to start_on",
    "parq.heart_condition": "PAR-Q+ Q1 (true, false, or none when unanswered)",
    "parq.chest_pain": "PAR-Q+ Q2",
    "parq.dizziness_or_fainting": "PAR-Q+ Q3",
    "parq.other_chronic_condition": "PAR-Q+ Q4",
    "parq.chronic_medication": "PAR-Q+ Q5",
    "parq.bone_joint_problem": "PAR-Q+ Q6",
    "parq.supervised_only": "PAR-Q+ Q7",
    "clearance.valid": "a clearance is on file, dated on or before start_on and less than 12 months old",
    "clearance.covers_surgery": "the valid clearance is dated after the most recent surgery or DBS implant",
    "pregnant": "currently pregnant",
    "breastfeeding": "currently breastfeeding",
    "activity.regular_exerciser": "exercises regularly (ACSM definition)",
    "goals": "set of goals",
    "equipment": "set of equipment at hand",
    "setting": "home | clinic | pool",
}

WITHDRAWAL_RISK_CLASSES = frozenset({"anticholinergic", "baclofen", "benzodiazepine"})

Facts = Mapping[str, Any]


def _days_between(earlier: dt.date | None, later: dt.date) -> int | None:
    return None if earlier is None else (later - earlier).days


def _most_recent(dates: list[dt.date], start: dt.date) -> dt.date | None:
    past = [day for day in dates if day <= start]
    return max(past) if past else None


def derive_facts(profile: Profile) -> dict[str, Any]:
    """Compute every fact of FACTS for a profile whose start date is resolved."""
    start = profile.start_on
    facts: dict[str, Any] = {}
    _person_facts(profile, start, facts)
    _condition_facts(profile, facts)
    _cervical_facts(profile, facts)
    _symptom_facts(profile, facts)
    _treatment_facts(profile, start, facts)
    _screening_facts(profile, facts)
    missing = FACTS.keys() - facts.keys()
    assert not missing, f"facts not derived: {sorted(missing)}"
    return facts


def _person_facts(profile: Profile, start: dt.date, facts: dict[str, Any]) -> None:
    age = None if profile.birth_year is None else start.year - profile.birth_year
    facts["age"] = age
    # Only the birth year is known: someone born in the start year minus 18 may still be 17 on start_on.
    facts["minor"] = age is not None and age <= 18
    facts["goals"] = frozenset(profile.goals)
    facts["equipment"] = frozenset(profile.preferences.equipment)
    facts["setting"] = profile.preferences.setting
    facts["activity.regular_exerciser"] = profile.activity.regular_exerciser


def _condition_facts(profile: Profile, facts: dict[str, Any]) -> None:
    dystonias = profile.dystonias
    facts["conditions"] = frozenset(condition.kind for condition in profile.conditions)
    facts["dystonia.regions"] = frozenset(r for d in dystonias for r in d.regions)
    facts["dystonia.distribution"] = frozenset(d.distribution for d in dystonias)
    facts["dystonia.onset"] = frozenset(d.onset for d in dystonias)
    facts["dystonia.task_triggers"] = frozenset(t for d in dystonias for t in d.task_triggers)
    facts["dystonia.exercise_induced"] = any(d.exercise_induced for d in dystonias)
    parkinsons = profile.parkinsons
    stages = [p.hoehn_yahr for p in parkinsons if p.hoehn_yahr is not None]
    facts["parkinson.hoehn_yahr"] = max(stages) if stages else None
    facts["parkinson.freezing"] = any(p.freezing for p in parkinsons)
    facts["parkinson.fluctuations"] = any(p.fluctuations for p in parkinsons)
    facts["parkinson.orthostatic_hypotension"] = any(p.orthostatic_hypotension for p in parkinsons)
    palsies = profile.cerebral_palsies
    levels = [c.gmfcs for c in palsies if c.gmfcs is not None]
    facts["cerebral_palsy.gmfcs"] = max(levels) if levels else None
    facts["cerebral_palsy.motor_type"] = frozenset(c.motor_type for c in palsies if c.motor_type)


def _cervical_facts(profile: Profile, facts: dict[str, Any]) -> None:
    cervical = profile.cervical
    facts["cervical.present"] = cervical is not None
    if cervical is None:
        for name in FACTS:
            if name.startswith("cervical.") and name != "cervical.present":
                facts[name] = "none"
        facts["cervical.stability"] = "unknown"
        facts["cervical.sensory_tricks"] = frozenset()
        facts["cervical.confirmed_by_clinician"] = False
        return
    facts["cervical.rotation.toward"] = cervical.rotation.toward if cervical.rotation else "none"
    facts["cervical.tilt.toward"] = cervical.tilt.toward if cervical.tilt else "none"
    facts["cervical.sagittal.toward"] = cervical.sagittal.toward if cervical.sagittal else "none"
    facts["cervical.lateral_shift"] = cervical.lateral_shift
    facts["cervical.sagittal_shift"] = cervical.sagittal_shift
    facts["cervical.shoulder_elevation"] = cervical.shoulder_elevation
    facts["cervical.tremor"] = cervical.tremor
    facts["cervical.stability"] = cervical.stability
    facts["cervical.sensory_tricks"] = frozenset(cervical.sensory_tricks)
    facts["cervical.confirmed_by_clinician"] = cervical.confirmed_by_clinician


def _symptom_facts(profile: Profile, facts: dict[str, Any]) -> None:
    for name, value in profile.symptoms:
        facts[f"symptoms.{name}"] = frozenset(value) if isinstance(value, tuple) else value


def _treatment_facts(profile: Profile, start: dt.date, facts: dict[str, Any]) -> None:
    treatments = profile.treatments
    medications = treatments.medications
    facts["medications.classes"] = frozenset(
        m.medication_class for m in medications if m.change != "stopped" or (m.changed_on or start) > start
    )
    change_dates = [m.changed_on for m in medications if m.change is not None and m.changed_on is not None]
    facts["medications.days_since_change"] = _days_between(_most_recent(change_dates, start), start)
    stop_dates = [
        m.changed_on
        for m in medications
        if m.change == "stopped" and m.changed_on is not None and m.medication_class in WITHDRAWAL_RISK_CLASSES
    ]
    facts["medications.days_since_withdrawal_risk_stop"] = _days_between(_most_recent(stop_dates, start), start)
    past_injections = [i for i in treatments.botulinum_toxin if i.date <= start]
    last = past_injections[-1] if past_injections else None
    facts["toxin.days_since_last"] = None if last is None else (start - last.date).days
    facts["toxin.last_regions"] = frozenset(last.regions) if last else frozenset()
    dbs = treatments.dbs
    facts["dbs.present"] = dbs is not None
    facts["dbs.days_since_implant"] = None if dbs is None else _days_between(dbs.implanted_on, start)
    facts["dbs.problem"] = "none" if dbs is None else dbs.problem
    facts["surgery.days_since"] = _days_between(treatments.recent_surgery_on, start)


def clearance_is_valid(clearance: Clearance | None, start: dt.date) -> bool:
    """PRODUCT.md: a clearance counts for 12 months from its date; one dated after start_on is not yet on file."""
    if clearance is None or clearance.on > start:
        return False
    return start < add_months(clearance.on, CLEARANCE_VALID_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def _screening_facts(profile: Profile, facts: dict[str, Any]) -> None:
    screening = profile.screening
    for name, value in screening.parq:
        facts[f"parq.{name}"] = value
    start = profile.start_on
    valid = clearance_is_valid(screening.clearance, start)
    facts["clearance.valid"] = valid
    treatments = profile.treatments
    surgeries = [treatments.recent_surgery_on, treatments.dbs.implanted_on if treatments.dbs else None]
    latest_surgery = max((day for day in surgeries if day is not None), default=None)
    facts["clearance.covers_surgery"] = (
        valid
        and screening.clearance is not None
        and (latest_surgery is None or screening.clearance.on > latest_surgery)
    )
    facts["pregnant"] = screening.pregnant
    facts["breastfeeding"] = screening.breastfeeding
