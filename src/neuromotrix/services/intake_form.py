"""The intake wizard's answers: the closed lists it offers, its steps and their fields, the contract's defaults.

The wizard (entrypoints/web/pages/intake.py) keeps no draft on the server: its answers travel with the form as
strings, `Answers` (field name → values). Field names follow the profile contract (`symptoms.pain_nrs`,
`preferences.days`); a few are the wizard's own (`conditions` ticks the condition kinds, `toxin.0.date` and
`med.0.name` are rows of the treatments step, `parq.<question>` and `follow_up.<group>` take yes, no or
unanswered). The values of every list come from domain/vocab.py, their words from services/intake_labels.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import get_args

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import vocab
from neuromotrix.domain.profile import Dystonia, FollowUpGroup, Preferences, SidedComponent, Symptoms
from neuromotrix.services.intake_labels import LABELS, PARKINSON_SIGNS

Answers = Mapping[str, Sequence[str]]
YES, NO, UNANSWERED = "yes", "no", "unanswered"
MAX_ROWS = 12  # injections or medications one intake may list

# The closed lists, in the contract's order (values from domain/vocab.py and domain/profile.py).
LISTS: dict[str, tuple[str, ...]] = {
    "sex": get_args(vocab.Sex),
    "language": get_args(vocab.Language),
    "condition": get_args(vocab.ConditionKind),
    "distribution": get_args(vocab.Distribution),
    "onset": get_args(vocab.Onset),
    "course": get_args(vocab.Course),
    "region": get_args(vocab.Region),
    "task": get_args(vocab.Task),
    "side": get_args(vocab.SideOrNone),
    "sagittal": get_args(vocab.SagittalShift),
    "level": get_args(vocab.CervicalLevel),
    "severity": ("0", "1", "2", "3", "4"),
    "head_tremor": get_args(vocab.HeadTremor),
    "stability": get_args(vocab.Stability),
    "sensory_trick": get_args(vocab.SensoryTrick),
    "parkinson_sign": PARKINSON_SIGNS,
    "stage": ("1", "2", "3", "4", "5"),
    "motor_type": get_args(vocab.GmfcsMotorType),
    # Symptoms new or worsening in the last 3 weeks (the profile's booleans; falls are asked on their own).
    "new_symptom": tuple(
        name
        for name, info in Symptoms.model_fields.items()
        if info.annotation is bool and name != "injurious_fall_last_12_months"
    ),
    "chronic": get_args(vocab.ChronicProblem),
    "painful_movement": get_args(vocab.PainfulMovement),
    "medication_class": get_args(vocab.MedicationClass),
    "medication_change": get_args(vocab.MedicationChange),
    "dbs_target": get_args(vocab.DbsTarget),
    "dbs_problem": get_args(vocab.DbsProblem),
    "follow_up": get_args(FollowUpGroup),
    "restriction": get_args(vocab.Restriction),
    "weekday": vocab.WEEKDAYS,
    "equipment": vocab.EQUIPMENT,
    "setting": get_args(vocab.Setting),
    "goal": get_args(vocab.Goal),
    "sessions": ("1", "2", "3", "4", "5", "6", "7"),
    "status": get_args(vocab.Status),
    "flag_severity": get_args(vocab.Severity),
}
CERVICAL_PLANES = ("rotation", "tilt", "sagittal")
CERVICAL_SINGLE = ("lateral_shift", "sagittal_shift", "shoulder_elevation", "tremor", "stability")


def label(list_name: str, value: str, language: str) -> str:
    """A value of a closed list in plain words, in English or French."""
    return LABELS[list_name][value].in_language(language)


def options(list_name: str, language: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a closed list, in the contract's order, for a select, radios or checkboxes."""
    return [(value, label(list_name, value, language)) for value in LISTS[list_name]]


def parq_questions(language: str) -> list[tuple[str, str]]:
    """The seven PAR-Q+ questions (code, text) as the screening rules word them (catalog/rules/screening.yaml)."""
    return [(q.code, q.text.in_language(language)) for q in load_catalog().rules.screening.parq.questions]


# The wizard: steps, their fields, the contract's defaults ------------------------------------------------------

STEPS = ("person", "conditions", "dystonia", "symptoms", "treatments", "screening", "preferences", "goals", "review")
STEP_FIELDS: dict[str, tuple[str, ...]] = {  # a trailing "*" matches every field with that prefix
    "person": ("display_name", "language", "email", "birth_year", "sex"),
    "conditions": ("conditions", "dystonia.distribution", "dystonia.onset", "dystonia.course",
                   "dystonia.exercise_induced", "dystonia.exercise_induced_max_bout_minutes", "parkinson.*",
                   "cerebral_palsy.*"),
    "dystonia": ("dystonia.regions", "dystonia.task_triggers", "cervical.*"),
    "symptoms": ("symptoms.*",),
    "treatments": ("toxin.*", "med.*", "dbs.*", "treatments.*"),
    "screening": ("parq.*", "follow_up.*", "screening.*", "clearance.*"),
    "preferences": ("activity.*", "preferences.*"),
    "goals": ("goals",),
}  # fmt: skip


def step_of(name: str | None) -> str:
    """The step a field is asked on; "review" for a problem that names no field."""
    if name is not None:
        for step, patterns in STEP_FIELDS.items():
            if any(name == p or (p.endswith("*") and name.startswith(p[:-1])) for p in patterns):
                return step
    return "review"


def steps_for(answers: Answers) -> list[str]:
    """The steps this person's intake goes through: the dystonia step only when a dystonia is recorded."""
    return [step for step in STEPS if step != "dystonia" or "dystonia" in values(answers, "conditions")]


@cache
def _defaults() -> dict[str, list[str]]:
    """Every field with a default, as the contract gives it (read from the domain models)."""
    dystonia = Dystonia.model_fields
    component = SidedComponent.model_fields
    preferences = Preferences()
    found: dict[str, list[str]] = {
        "language": ["en"],
        "sex": ["unspecified"],
        "dystonia.distribution": [str(dystonia["distribution"].default)],
        "dystonia.onset": [str(dystonia["onset"].default)],
        "dystonia.course": [str(dystonia["course"].default)],
        "dystonia.exercise_induced": [NO],
        "cervical.lateral_shift": ["none"],
        "cervical.sagittal_shift": ["none"],
        "cervical.shoulder_elevation": ["none"],
        "cervical.tremor": ["none"],
        "cervical.stability": ["unknown"],
        "cervical.confirmed_by_clinician": [NO],
        "symptoms.pain_nrs": ["0"],
        "symptoms.fatigue_nrs": ["0"],
        "symptoms.falls_last_12_months": ["0"],
        "symptoms.injurious_fall_last_12_months": [NO],
        "toxin.count": ["1"],
        "med.count": ["1"],
        "med.0.class": ["other"],
        "dbs.has": [NO],
        "dbs.target": ["other"],
        "dbs.problem": ["none"],
        "screening.pregnant": [NO],
        "screening.breastfeeding": [NO],
        "clearance.has": [NO],
        "activity.regular_exerciser": [NO],
        "activity.minutes_per_week": ["0"],
        "preferences.weeks": [str(preferences.weeks)],
        "preferences.sessions_per_week": [str(preferences.session_count)],
        "preferences.time_of_day": [preferences.time_of_day],
        "preferences.minutes_per_session": [str(preferences.minutes_per_session)],
        "preferences.equipment": list(preferences.equipment),
        "preferences.setting": [preferences.setting],
    }
    for plane in CERVICAL_PLANES:
        found[f"cervical.{plane}.toward"] = ["none"]
        found[f"cervical.{plane}.level"] = [str(component["level"].default)]
        found[f"cervical.{plane}.severity"] = [str(component["severity"].default)]
    for code in parq_codes():  # unanswered until asked: never read as "no"
        found[f"parq.{code}"] = [UNANSWERED]
    for group in LISTS["follow_up"]:
        found[f"follow_up.{group}"] = [UNANSWERED]
    return found


def parq_codes() -> tuple[str, ...]:
    return tuple(question.code for question in load_catalog().rules.screening.parq.questions)


def initial_answers() -> dict[str, list[str]]:
    """A new intake: every default of the contract filled in, everything else empty."""
    return {name: list(found) for name, found in _defaults().items()}


def values(answers: Answers, name: str) -> list[str]:
    """The non-empty values of a field, stripped, each once, in the order given."""
    seen: list[str] = []
    for raw in answers.get(name, ()):
        value = raw.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def value(answers: Answers, name: str) -> str:
    found = values(answers, name)
    return found[-1] if found else ""


def row_count(answers: Answers, prefix: str) -> int:
    """How many injection (`toxin`) or medication (`med`) rows the treatments step shows."""
    given = value(answers, f"{prefix}.count")
    return min(max(int(given), 1), MAX_ROWS) if given.isdigit() else 1
