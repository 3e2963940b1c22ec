"""The intake wizard's answers read into a profile document and validated by the domain `Profile` (the same
validation as the API), every problem put back on the wizard field it came from.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.profile import Profile
from neuromotrix.services import accounts
from neuromotrix.services.intake_form import (
    CERVICAL_PLANES,
    CERVICAL_SINGLE,
    LISTS,
    NO,
    UNANSWERED,
    YES,
    Answers,
    initial_answers,
    parq_codes,
    row_count,
    value,
    values,
)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one wizard field. `kind` says what (the page words it in the reader's language):
    required, choose, whole_number, number, date, time, email, email_taken, too_long, min, max, above,
    cervical_needs_neck, change_needs_date, days, birth_after_start, invalid (`detail` in English)."""

    field: str | None
    kind: str
    limit: int | float | None = None
    detail: str = ""


@dataclass
class _Reader:
    answers: Answers
    problems: list[Problem] = field(default_factory=list)
    origin: dict[tuple[str | int, ...], str] = field(default_factory=dict)  # document path → wizard field

    def problem(self, name: str, kind: str) -> None:
        self.problems.append(Problem(name, kind))

    def text(self, name: str) -> str:
        return value(self.answers, name)

    def pick(self, name: str, list_name: str) -> str | None:
        given = self.text(name)
        if not given:
            return None
        if given not in LISTS[list_name]:
            self.problem(name, "choose")
            return None
        return given

    def picks(self, name: str, list_name: str) -> list[str]:
        given = values(self.answers, name)
        if any(item not in LISTS[list_name] for item in given):
            self.problem(name, "choose")
        return [item for item in given if item in LISTS[list_name]]

    def whole(self, name: str) -> int | None:
        given = self.text(name)
        if not given:
            return None
        if re.fullmatch(r"[+-]?\d{1,9}", given) is None:
            self.problem(name, "whole_number")
            return None
        return int(given)

    def decimal(self, name: str) -> float | None:
        given = self.text(name).replace(",", ".").replace(" ", "")
        if not given:
            return None
        try:
            number = float(given)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problem(name, "number")
            return None
        return number

    def day(self, name: str) -> dt.date | None:
        given = self.text(name)
        if not given:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", given) is None:
                raise ValueError(given)
            return dt.date.fromisoformat(given)
        except ValueError:
            self.problem(name, "date")
            return None

    def yes(self, name: str) -> bool:
        return self.pick_answer(name) is True

    def pick_answer(self, name: str) -> bool | None:
        """yes → True, no → False, unanswered or nothing → None."""
        given = self.text(name)
        if given in ("", UNANSWERED):
            return None
        if given not in (YES, NO):
            self.problem(name, "choose")
            return None
        return given == YES

    def put(self, node: dict[str, Any], key: str, found: Any, path: tuple[str | int, ...], name: str) -> None:
        node[key] = found
        self.origin[(*path, key)] = name


def build_document(answers: Answers) -> tuple[dict[str, Any], list[Problem], dict[tuple[str | int, ...], str]]:
    """The profile document the answers describe, the problems found while reading them, and where each
    document path came from (to put the domain's own complaints next to the right field)."""
    reader = _Reader(answers)
    document: dict[str, Any] = {}
    _person(reader, document)
    _conditions(reader, document)
    _symptoms(reader, document)
    _treatments(reader, document)
    _screening(reader, document)
    _preferences(reader, document)
    return document, reader.problems, reader.origin


def _person(reader: _Reader, document: dict[str, Any]) -> None:
    name = reader.text("display_name")
    if not name:
        reader.problem("display_name", "required")
    elif len(name) > 200:
        reader.problems.append(Problem("display_name", "too_long", 200))
    else:
        reader.put(document, "name", name, (), "display_name")
    reader.put(document, "language", reader.pick("language", "language") or "en", (), "language")
    email = reader.text("email")
    if email:
        try:
            accounts.normalise_email(email)
        except InvalidRequest:
            reader.problem("email", "email")
        if " " in email:
            reader.problem("email", "email")
    birth_year = reader.whole("birth_year")
    if birth_year is not None:
        reader.put(document, "birth_year", birth_year, (), "birth_year")
    sex = reader.pick("sex", "sex")
    if sex is not None:
        reader.put(document, "sex", sex, (), "sex")
    goals = reader.picks("goals", "goal")
    reader.put(document, "goals", goals, (), "goals")


def _conditions(reader: _Reader, document: dict[str, Any]) -> None:
    kinds = reader.picks("conditions", "condition")
    if not kinds and "conditions" not in {p.field for p in reader.problems}:
        reader.problem("conditions", "required")
    built: list[dict[str, Any]] = []
    for kind in LISTS["condition"]:
        if kind not in kinds:
            continue
        path: tuple[str | int, ...] = ("conditions", len(built))
        reader.origin[path] = "conditions"
        condition: dict[str, Any] = {"kind": kind}
        if kind == "dystonia":
            _dystonia(reader, condition, path)
        elif kind == "parkinson":
            stage = reader.pick("parkinson.hoehn_yahr", "stage")
            if stage is not None:
                reader.put(condition, "hoehn_yahr", int(stage), path, "parkinson.hoehn_yahr")
            for sign in reader.picks("parkinson.signs", "parkinson_sign"):
                reader.put(condition, sign, True, path, "parkinson.signs")
        else:
            level = reader.pick("cerebral_palsy.gmfcs", "stage")
            if level is not None:
                reader.put(condition, "gmfcs", int(level), path, "cerebral_palsy.gmfcs")
            motor_type = reader.pick("cerebral_palsy.motor_type", "motor_type")
            if motor_type is not None:
                reader.put(condition, "motor_type", motor_type, path, "cerebral_palsy.motor_type")
        built.append(condition)
    document["conditions"] = built
    reader.origin[("conditions",)] = "conditions"


def _dystonia(reader: _Reader, condition: dict[str, Any], path: tuple[str | int, ...]) -> None:
    for name, list_name in (("distribution", "distribution"), ("onset", "onset"), ("course", "course")):
        chosen = reader.pick(f"dystonia.{name}", list_name)
        if chosen is not None:
            reader.put(condition, name, chosen, path, f"dystonia.{name}")
    regions = reader.picks("dystonia.regions", "region")
    reader.put(condition, "regions", regions, path, "dystonia.regions")
    reader.put(
        condition, "task_triggers", reader.picks("dystonia.task_triggers", "task"), path, "dystonia.task_triggers"
    )
    reader.put(
        condition, "exercise_induced", reader.yes("dystonia.exercise_induced"), path, "dystonia.exercise_induced"
    )
    cap = reader.whole("dystonia.exercise_induced_max_bout_minutes")
    if cap is not None:
        reader.put(condition, "exercise_induced_max_bout_minutes", cap, path,
                   "dystonia.exercise_induced_max_bout_minutes")  # fmt: skip
    if not _cervical_described(reader.answers):
        return  # no neck pattern given: none recorded (the contract's default)
    if "neck" in regions:
        reader.put(condition, "cervical", _cervical(reader, (*path, "cervical")), path, "dystonia.regions")
    else:
        reader.problem("dystonia.regions", "cervical_needs_neck")


def _cervical(reader: _Reader, path: tuple[str | int, ...]) -> dict[str, Any]:
    cervical: dict[str, Any] = {}
    for plane in CERVICAL_PLANES:
        toward = reader.pick(f"cervical.{plane}.toward", "sagittal" if plane == "sagittal" else "side")
        if toward in (None, "none"):
            continue
        component: dict[str, Any] = {"toward": toward}
        level = reader.pick(f"cervical.{plane}.level", "level")
        if level is not None:
            component["level"] = level
        severity = reader.pick(f"cervical.{plane}.severity", "severity")
        if severity is not None:
            component["severity"] = int(severity)
        reader.put(cervical, plane, component, path, f"cervical.{plane}.toward")
    lists = {"lateral_shift": "side", "sagittal_shift": "sagittal", "shoulder_elevation": "side",
             "tremor": "head_tremor", "stability": "stability"}  # fmt: skip
    for name in CERVICAL_SINGLE:
        chosen = reader.pick(f"cervical.{name}", lists[name])
        if chosen is not None:
            reader.put(cervical, name, chosen, path, f"cervical.{name}")
    tricks = reader.picks("cervical.sensory_tricks", "sensory_trick")
    reader.put(cervical, "sensory_tricks", tricks, path, "cervical.sensory_tricks")
    confirmed = reader.yes("cervical.confirmed_by_clinician")
    reader.put(cervical, "confirmed_by_clinician", confirmed, path, "cervical.confirmed_by_clinician")
    return cervical


def _cervical_described(answers: Answers) -> bool:
    """A neck pattern was described: any neck answer other than its default."""
    defaults = initial_answers()
    names = [f"cervical.{plane}.toward" for plane in CERVICAL_PLANES] + [f"cervical.{n}" for n in CERVICAL_SINGLE]
    changed = any(value(answers, name) not in ("", *defaults[name]) for name in names)
    return (
        changed
        or bool(values(answers, "cervical.sensory_tricks"))
        or value(answers, "cervical.confirmed_by_clinician") == YES
    )


def _symptoms(reader: _Reader, document: dict[str, Any]) -> None:
    symptoms: dict[str, Any] = {}
    path = ("symptoms",)
    reader.origin[path] = "symptoms.new"
    for name in ("pain_nrs", "fatigue_nrs", "falls_last_12_months"):
        number = reader.whole(f"symptoms.{name}")
        if number is not None:
            reader.put(symptoms, name, number, path, f"symptoms.{name}")
    for name in reader.picks("symptoms.new", "new_symptom"):
        reader.put(symptoms, name, True, path, "symptoms.new")
    reader.put(symptoms, "chronic", reader.picks("symptoms.chronic", "chronic"), path, "symptoms.chronic")
    injurious = reader.yes("symptoms.injurious_fall_last_12_months")
    reader.put(symptoms, "injurious_fall_last_12_months", injurious, path, "symptoms.injurious_fall_last_12_months")
    painful = reader.picks("symptoms.painful_movements", "painful_movement")
    reader.put(symptoms, "painful_movements", painful, path, "symptoms.painful_movements")
    document["symptoms"] = symptoms


def _treatments(reader: _Reader, document: dict[str, Any]) -> None:
    treatments: dict[str, Any] = {"botulinum_toxin": [], "medications": []}
    path = ("treatments",)
    reader.origin[path] = "toxin.0.date"
    for row in range(row_count(reader.answers, "toxin")):
        _injection(reader, treatments["botulinum_toxin"], row)
    for row in range(row_count(reader.answers, "med")):
        _medication(reader, treatments["medications"], row)
    for name in ("botulinum_toxin_next_expected_on", "recent_surgery_on"):
        when = reader.day(f"treatments.{name}")
        if when is not None:
            reader.put(treatments, name, when, path, f"treatments.{name}")
    if reader.yes("dbs.has"):
        dbs: dict[str, Any] = {}
        implanted_on = reader.day("dbs.implanted_on")
        if implanted_on is None and "dbs.implanted_on" not in {p.field for p in reader.problems}:
            reader.problem("dbs.implanted_on", "required")
        dbs_path = (*path, "dbs")
        reader.put(dbs, "implanted_on", implanted_on, dbs_path, "dbs.implanted_on")
        for name, list_name in (("target", "dbs_target"), ("problem", "dbs_problem")):
            chosen = reader.pick(f"dbs.{name}", list_name)
            if chosen is not None:
                reader.put(dbs, name, chosen, dbs_path, f"dbs.{name}")
        if implanted_on is not None:
            reader.put(treatments, "dbs", dbs, path, "dbs.implanted_on")
    document["treatments"] = treatments


def _injection(reader: _Reader, injections: list[dict[str, Any]], row: int) -> None:
    prefix = f"toxin.{row}"
    given = [value(reader.answers, f"{prefix}.{name}") for name in ("date", "product", "dose_units")]
    if not any(given) and not values(reader.answers, f"{prefix}.regions"):
        return  # an empty row is left out
    path: tuple[str | int, ...] = ("treatments", "botulinum_toxin", len(injections))
    reader.origin[path] = f"{prefix}.date"
    injection: dict[str, Any] = {}
    when = reader.day(f"{prefix}.date")
    if when is None and not value(reader.answers, f"{prefix}.date"):
        reader.problem(f"{prefix}.date", "required")
    reader.put(injection, "date", when, path, f"{prefix}.date")
    regions = reader.picks(f"{prefix}.regions", "region")
    if not regions and not values(reader.answers, f"{prefix}.regions"):
        reader.problem(f"{prefix}.regions", "required")
    reader.put(injection, "regions", regions, path, f"{prefix}.regions")
    product = reader.text(f"{prefix}.product")
    if len(product) > 100:  # as the API's injection records
        reader.problems.append(Problem(f"{prefix}.product", "too_long", 100))
    elif product:
        reader.put(injection, "product", product, path, f"{prefix}.product")
    dose = reader.decimal(f"{prefix}.dose_units")
    if dose is not None:
        reader.put(injection, "dose_units", dose, path, f"{prefix}.dose_units")
    injections.append(injection)


def _medication(reader: _Reader, medications: list[dict[str, Any]], row: int) -> None:
    prefix = f"med.{row}"
    name = reader.text(f"{prefix}.name")
    change = reader.pick(f"{prefix}.change", "medication_change")
    changed_given = reader.text(f"{prefix}.changed_on")
    if not name and change is None and not changed_given:
        return  # an empty row is left out (its class alone says nothing)
    path: tuple[str | int, ...] = ("treatments", "medications", len(medications))
    reader.origin[path] = f"{prefix}.changed_on" if change else f"{prefix}.name"
    medication: dict[str, Any] = {}
    if not name:
        reader.problem(f"{prefix}.name", "required")
    reader.put(medication, "name", name, path, f"{prefix}.name")
    reader.put(medication, "class", reader.pick(f"{prefix}.class", "medication_class") or "other", path,
               f"{prefix}.class")  # fmt: skip
    changed_on = reader.day(f"{prefix}.changed_on")
    if change is not None:
        reader.put(medication, "change", change, path, f"{prefix}.change")
        if changed_on is None and not changed_given:
            reader.problem(f"{prefix}.changed_on", "change_needs_date")
    if changed_on is not None:
        reader.put(medication, "changed_on", changed_on, path, f"{prefix}.changed_on")
    medications.append(medication)


def _screening(reader: _Reader, document: dict[str, Any]) -> None:
    screening: dict[str, Any] = {"parq": {}, "parq_follow_up": {}}
    path = ("screening",)
    reader.origin[path] = "screening.pregnant"
    for code in parq_codes():
        answer = reader.pick_answer(f"parq.{code}")
        if answer is not None:  # an unanswered question is left out: never read as "no"
            reader.put(screening["parq"], code, answer, (*path, "parq"), f"parq.{code}")
    for group in LISTS["follow_up"]:
        answer = reader.pick_answer(f"follow_up.{group}")
        if answer is not None:
            reader.put(screening["parq_follow_up"], group, answer, (*path, "parq_follow_up"), f"follow_up.{group}")
    for name in ("pregnant", "breastfeeding"):
        reader.put(screening, name, reader.yes(f"screening.{name}"), path, f"screening.{name}")
    if reader.yes("clearance.has"):
        clearance: dict[str, Any] = {}
        by = reader.text("clearance.by")
        if not by:
            reader.problem("clearance.by", "required")
        elif len(by) > 200:
            reader.problems.append(Problem("clearance.by", "too_long", 200))
        on = reader.day("clearance.on")
        if on is None and not reader.text("clearance.on"):
            reader.problem("clearance.on", "required")
        clearance_path = (*path, "clearance")
        reader.put(clearance, "by", by[:200], clearance_path, "clearance.by")
        reader.put(clearance, "on", on, clearance_path, "clearance.on")
        restrictions = reader.picks("clearance.restrictions", "restriction")
        reader.put(clearance, "restrictions", restrictions, clearance_path, "clearance.restrictions")
        if by and on is not None:
            reader.put(screening, "clearance", clearance, path, "clearance.by")
    document["screening"] = screening


def _preferences(reader: _Reader, document: dict[str, Any]) -> None:
    activity: dict[str, Any] = {}
    reader.put(activity, "regular_exerciser", reader.yes("activity.regular_exerciser"), ("activity",),
               "activity.regular_exerciser")  # fmt: skip
    minutes = reader.whole("activity.minutes_per_week")
    if minutes is not None:
        reader.put(activity, "minutes_per_week", minutes, ("activity",), "activity.minutes_per_week")
    document["activity"] = activity
    preferences: dict[str, Any] = {}
    path = ("preferences",)
    reader.origin[path] = "preferences.days"
    start_on = reader.day("preferences.start_on")
    if start_on is not None:
        reader.put(preferences, "start_on", start_on, path, "preferences.start_on")
    for name in ("weeks", "minutes_per_session"):
        number = reader.whole(f"preferences.{name}")
        if number is not None:
            reader.put(preferences, name, number, path, f"preferences.{name}")
    days = reader.picks("preferences.days", "weekday")
    if days:
        reader.put(preferences, "days", days, path, "preferences.days")
    else:  # no day chosen: the number of sessions a week, spread evenly
        sessions = reader.pick("preferences.sessions_per_week", "sessions")
        if sessions is not None:
            reader.put(preferences, "sessions_per_week", int(sessions), path, "preferences.sessions_per_week")
    time_of_day = reader.text("preferences.time_of_day")
    if time_of_day:
        reader.put(preferences, "time_of_day", time_of_day, path, "preferences.time_of_day")
    equipment = reader.picks("preferences.equipment", "equipment")
    reader.put(preferences, "equipment", equipment, path, "preferences.equipment")
    setting = reader.pick("preferences.setting", "setting")
    if setting is not None:
        reader.put(preferences, "setting", setting, path, "preferences.setting")
    document["preferences"] = preferences


# Validation by the domain, problems mapped back to the wizard -----------------------------------------------

_KINDS = {
    "missing": "required", "too_short": "required", "string_too_short": "required", "literal_error": "choose",
    "int_type": "whole_number", "int_parsing": "whole_number", "int_from_float": "whole_number",
    "float_type": "number", "float_parsing": "number", "string_pattern_mismatch": "time",
    "string_too_long": "too_long", "bool_type": "choose", "bool_parsing": "choose",
}  # fmt: skip
_LIMITS = {"greater_than_equal": ("min", "ge"), "less_than_equal": ("max", "le"), "greater_than": ("above", "gt")}
_CROSS_FIELD = {"preferences.days": "days", "dystonia.regions": "cervical_needs_neck"}


@dataclass(frozen=True)
class Checked:
    profile: Profile | None  # None when there is a problem
    problems: tuple[Problem, ...]


def check(answers: Answers, *, today: dt.date) -> Checked:
    """Every problem of the whole intake, each on the wizard field it belongs to; the profile when there is none."""
    document, problems, origin = build_document(answers)
    try:
        profile = Profile.model_validate(document)
    except ValidationError as error:
        return Checked(None, tuple(_merge(problems, [_problem(item, origin) for item in error.errors()])))
    start_year = (profile.preferences.start_on or today).year
    if profile.birth_year is not None and profile.birth_year > start_year:
        problems.append(Problem("birth_year", "birth_after_start", start_year))
    return Checked(None if problems else profile, tuple(problems))


def _merge(first: list[Problem], more: list[Problem]) -> list[Problem]:
    """One problem per field: what the wizard found first, then what the domain found."""
    named = {problem.field for problem in first}
    merged = list(first)
    for problem in more:
        if problem.field not in named:
            merged.append(problem)
            named.add(problem.field)
    return merged


def _problem(item: Any, origin: Mapping[tuple[str | int, ...], str]) -> Problem:
    location = _location(tuple(item["loc"]))
    name = next((origin[location[:n]] for n in range(len(location), 0, -1) if location[:n] in origin), None)
    kind = item["type"]
    if kind in _LIMITS:
        wording, key = _LIMITS[kind]
        return Problem(name, wording, item.get("ctx", {}).get(key))
    if kind.startswith("date"):
        return Problem(name, "date")
    if kind == "value_error":
        cross = _CROSS_FIELD.get(name or "")
        if cross is None and name is not None and name.startswith("med."):
            cross = "change_needs_date"
        return Problem(name, cross or "invalid", detail=str(item["msg"]))
    return Problem(name, _KINDS.get(kind, "invalid"), detail=str(item["msg"]))


def _location(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """pydantic's location without the condition-kind tags and validator names."""
    kept: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (part in LISTS["condition"] and kept and isinstance(kept[-1], int)):
            continue
        if isinstance(part, str) and (part.startswith("function-") or part in {"list[...]", "tuple[...]"}):
            continue
        kept.append(part)
    return tuple(kept)
