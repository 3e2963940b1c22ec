"""One participant's records as a FHIR R4 `collection` Bundle (docs/fhir.md).

A collection, not a searchset (nothing was searched) nor a transaction (the receiver decides what to store): a
set of resources that belong together. Every entry's `fullUrl` is `urn:uuid:<id>` with an id derived from our
record (codes.resource_id), so exporting twice gives the same ids and references stay inside the bundle.
Each resource is validated through its `fhir.resources` R4B model before it is added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from neuromotrix.adapters.fhir import codes
from neuromotrix.adapters.fhir.questionnaires import questionnaire, whole_numbers
from neuromotrix.adapters.fhir.sources import (
    AssessmentData,
    ConditionRecord,
    ExportSource,
    PatientRecord,
    ProgramRecord,
    SessionLogRecord,
)
from neuromotrix.adapters.fhir.validation import Validator
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import Instrument, Scale

LANGUAGES = {"en": "English", "fr": "French"}
# SNOMED CT codes only where the concept is unambiguous (docs/fhir.md); details stay in the text.
CONDITIONS: dict[str, tuple[str, str]] = {
    "dystonia": ("15802004", "Dystonia"),
    "parkinson": ("49049000", "Parkinson's disease"),
    "cerebral_palsy": ("128188000", "Cerebral palsy"),
}
PAIN_NRS_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
# Session ratings (BRIEF §4.5, PRODUCT.md "Session"), each taken before and after a session: one Observation per
# session and rating, with a component per moment. Our code, what it is, the LOINC code where one exists, and the
# stored columns of the two moments.
RATINGS: dict[str, tuple[str, str, tuple[str, str] | None]] = {
    "pain": ("session-pain", "Pain before and after the session (0-10 numeric rating)", PAIN_NRS_LOINC),
    "dystonia": ("session-dystonia", "Dystonia intensity before and after the session (0-10)", None),
    "fatigue": ("session-fatigue", "Fatigue before and after the session (0-10)", None),
}
MOMENTS = (("pre", "before", "Before the session"), ("post", "after", "After the session"))
# Effort rated per exercise (BRIEF §4.2): one Observation per session and scale, one component per exercise.
EFFORT_SCALES: dict[str, tuple[str, str, str]] = {
    "cr10": ("effort-cr10", "Perceived exertion, Borg CR10 (0-10), per exercise", "{score}"),
    "rpe": ("effort-rpe", "Perceived exertion, Borg RPE (6-20), per exercise", "{score}"),
    "percent_max": ("effort-percent-max", "Effort as a percentage of maximum, per exercise", "%"),
    "talk_test": ("effort-talk-test", "Talk test level, per exercise", "{score}"),
}
SURVEY = {"coding": [codes.coding(codes.OBSERVATION_CATEGORY, "survey", "Survey")]}
EXAM = {"coding": [codes.coding(codes.OBSERVATION_CATEGORY, "exam", "Exam")]}
ACTIVE = {"coding": [codes.coding(codes.CONDITION_CLINICAL, "active", "Active")]}
PROBLEM = {"coding": [codes.coding(codes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")]}
WORDS = {
    "program": Text(en="NeuroMotrix program, version", fr="Programme NeuroMotrix, version"),
    "weeks": Text(en="Weeks", fr="Semaines"),
    "week": Text(en="Week", fr="Semaine"),
    "sets": Text(en="sets", fr="séries"),
    "hold": Text(en="hold", fr="maintien"),
    "rest": Text(en="rest", fr="repos"),
    "min": Text(en="min", fr="min"),
    "continuous": Text(en="continuous", fr="en continu"),
    "effort": Text(en="effort", fr="effort"),
    "description": Text(
        en="Exercise program generated from the profile and approved by the trainer; each activity lists its "
        "session dates and dose.",
        fr="Programme d'exercices produit à partir du profil et approuvé par l'intervenant; chaque activité donne "
        "ses dates de séance et sa dose.",
    ),
}
SCALE_WORDS = {"cr10": "CR10", "rpe": "RPE", "percent_max": "% max", "talk_test": "talk test"}


def build_bundle(source: ExportSource, *, timestamp: dt.datetime) -> dict[str, Any]:
    """The Bundle as JSON data; every resource in it has been validated by its R4B model."""
    shared = _Shared(Validator())
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any], *, validated: bool = False) -> None:
        if not validated:
            shared.validator.resource(resource)
        entries.append({"fullUrl": codes.urn(resource["id"]), "resource": resource})

    add(_patient(source.patient))
    subject = shared.validator.share("Reference", codes.patient_reference(source.patient.participant_id))
    conditions = [
        _condition(source.patient.participant_id, index, item, subject) for index, item in enumerate(source.conditions)
    ]
    for condition in conditions:
        add(condition)
    if source.program is not None:
        add(_care_plan(source, source.program, subject, conditions))
    for instrument in _used_instruments(source):
        add(questionnaire(instrument, clinic_id=source.clinic_id), validated=True)  # validated when built (cached)
    for assessment in source.assessments:
        instrument = source.instruments[assessment.instrument]
        response = _questionnaire_response(assessment, instrument, subject, shared)
        add(response)
        for observation in _score_observations(assessment, instrument, subject, response["id"], shared):
            add(observation)
    for log in source.session_logs:
        for observation in _session_observations(log, subject, shared):
            add(observation)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.astimezone(dt.UTC).isoformat(),
    }
    # The envelope; its entries' resources were validated one by one above (validating the entries again through
    # Bundle would add a tenth to the export for the fullUrls, which are our own urn:uuid strings).
    shared.validator.resource(bundle)
    bundle["entry"] = entries
    return bundle


def to_json(bundle: Mapping[str, Any], *, indent: int | None = None) -> bytes:
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(bundle, ensure_ascii=False, indent=indent, separators=separators).encode("utf-8")


class _Shared:
    """The elements one export repeats (codes, quantities, answered items), each built and validated once."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator
        self._elements: dict[tuple[object, ...], dict[str, Any]] = {}

    def element(self, kind: str, key: tuple[object, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        found = self._elements.get((kind, *key))
        if found is None:
            found = self.validator.share(kind, build())
            self._elements[(kind, *key)] = found
        return found

    def quantity(self, value: float, unit: str | None) -> dict[str, Any]:
        return self.element("Quantity", (value, unit), lambda: codes.quantity(value, unit))

    def category(self, which: dict[str, Any]) -> dict[str, Any]:
        return self.element("CodeableConcept", ("category", which["coding"][0]["code"]), lambda: which)


def _patient(patient: PatientRecord) -> dict[str, Any]:
    """No more than we hold: the display name and the language (no birth date, sex or address)."""
    return {
        "resourceType": "Patient",
        "id": codes.patient_id(patient.participant_id),
        "identifier": [{"system": codes.PARTICIPANT_ID, "value": str(patient.participant_id)}],
        "name": [{"text": patient.display_name}],
        "communication": [
            {
                "language": {
                    "coding": [codes.coding(codes.BCP47, patient.language, LANGUAGES.get(patient.language))],
                    "text": LANGUAGES.get(patient.language, patient.language),
                },
                "preferred": True,
            }
        ],
    }


def _condition(participant_id: int, index: int, item: ConditionRecord, subject: dict[str, str]) -> dict[str, Any]:
    snomed = CONDITIONS.get(item.kind)
    name = snomed[1] if snomed else item.kind.replace("_", " ")
    codings = [codes.coding(codes.CONDITIONS, item.kind, name)]
    if snomed is not None:
        codings.insert(0, codes.coding(codes.SNOMED, snomed[0], snomed[1]))
    condition: dict[str, Any] = {
        "resourceType": "Condition",
        "id": codes.resource_id("Condition", participant_id, index, item.kind),
        "clinicalStatus": ACTIVE,
        "category": [PROBLEM],
        "code": {"coding": codings, "text": name},
        "subject": subject,
    }
    if item.details:
        condition["note"] = [{"text": "; ".join(item.details)}]
    return condition


def _care_plan(
    source: ExportSource, program: ProgramRecord, subject: dict[str, str], conditions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The active program; its texts in the participant's language (like the calendar and the handout)."""
    plan = program.plan
    language = source.patient.language
    activities: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
    for week in plan.get("weeks", []):
        for session in week["sessions"]:
            for block in session["blocks"]:
                activities.setdefault(block["exercise_id"], []).append((week["week"], session["date"], block))
    dates = sorted({session["date"] for week in plan.get("weeks", []) for session in week["sessions"]})
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": codes.resource_id("CarePlan", program.id),
        "status": "active",
        "intent": "plan",
        "title": f"{WORDS['program'].in_language(language)} {program.version}",
        "description": WORDS["description"].in_language(language),
        "subject": subject,
        "addresses": [{"reference": codes.urn(condition["id"])} for condition in conditions],
        "activity": [
            _activity(exercise_id, source.exercise_names.get(exercise_id, str(found[0][2]["name"])), found, language)
            for exercise_id, found in activities.items()
        ],
    }
    if dates:
        care_plan["period"] = {"start": dates[0], "end": dates[-1]}
    if not care_plan["addresses"]:
        del care_plan["addresses"]  # FHIR has no empty lists
    if program.approved_at is not None:
        care_plan["created"] = program.approved_at.astimezone(dt.UTC).isoformat()
    if not care_plan["activity"]:
        del care_plan["activity"]
    return care_plan


def _activity(
    exercise_id: str, name: str, found: list[tuple[int, str, dict[str, Any]]], language: str
) -> dict[str, Any]:
    return {
        "detail": {
            "code": {"coding": [codes.coding(codes.EXERCISES, exercise_id, name)], "text": name},
            "status": "scheduled",
            "description": _dose_summary(found, language),
            "scheduledTiming": {"event": sorted({day for _, day, _ in found})},
        }
    }


def _dose_summary(found: list[tuple[int, str, dict[str, Any]]], language: str) -> str:
    """The dose per run of weeks, e.g. "Weeks 1–2: 2 × 8, hold 5 s; week 3: 3 × 8, hold 5 s" (two doses in one
    week are joined with " / ")."""
    by_week: dict[int, list[str]] = {}
    for week, _, block in found:
        texts = by_week.setdefault(week, [])
        text = _dose_text(block["dose"], language)
        if text not in texts:
            texts.append(text)
    runs: list[tuple[int, int, str]] = []
    for week, texts in sorted(by_week.items()):
        text = " / ".join(texts)
        if runs and runs[-1][2] == text and runs[-1][1] == week - 1:
            runs[-1] = (runs[-1][0], week, text)
        else:
            runs.append((week, week, text))
    parts = []
    for first, last, text in runs:
        if first == last:
            parts.append(f"{WORDS['week'].in_language(language)} {first}: {text}")
        else:
            parts.append(f"{WORDS['weeks'].in_language(language)} {first}–{last}: {text}")
    return "; ".join(parts)


def _dose_text(dose: Mapping[str, Any], language: str) -> str:
    def word(key: str) -> str:
        return WORDS[key].in_language(language)

    parts: list[str] = []
    if dose.get("reps"):
        parts.append(f"{dose['sets']} × {dose['reps']}")
    elif dose.get("sets", 0) > 1:
        parts.append(f"{dose['sets']} {word('sets')}")
    if dose.get("hold_s"):
        parts.append(f"{word('hold')} {dose['hold_s']} s")
    if dose.get("minutes"):
        parts.append(f"{dose['minutes']:g} {word('min')}")
    if dose.get("continuous_minutes"):
        parts.append(f"{dose['continuous_minutes']:g} {word('min')} {word('continuous')}")
    if dose.get("rest_s"):
        parts.append(f"{word('rest')} {dose['rest_s']} s")
    effort = dose.get("effort")
    if effort:
        target = effort["target"]
        shown = f"{target[0]:g}–{target[1]:g}" if isinstance(target, list | tuple) else f"{target:g}"
        parts.append(f"{word('effort')} {SCALE_WORDS.get(effort['scale'], effort['scale'])} {shown}")
    return ", ".join(parts)


def _used_instruments(source: ExportSource) -> list[Instrument]:
    keys = dict.fromkeys(assessment.instrument for assessment in source.assessments)
    return [source.instruments[key] for key in keys]


def _questionnaire_response(
    assessment: AssessmentData, instrument: Instrument, subject: dict[str, Any], shared: _Shared
) -> dict[str, Any]:
    items = []
    for item in instrument.items:
        value = assessment.answers.get(item.key)
        if value is None:
            continue
        key = (instrument.key, instrument.version, item.key, value)
        items.append(
            shared.element("QuestionnaireResponseItem", key, partial(_answered_item, item.key, value, instrument))
        )
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": codes.resource_id("QuestionnaireResponse", assessment.id),
        "questionnaire": f"{codes.questionnaire_url(assessment.instrument)}|{assessment.instrument_version}",
        "status": "completed",
        "subject": subject,
        "authored": assessment.taken_on.isoformat(),
    }
    if items:
        response["item"] = items
    return response


def _answered_item(key: str, value: float, instrument: Instrument) -> dict[str, Any]:
    return {"linkId": key, "answer": [_answer(key, value, instrument)]}


def _answer(key: str, value: float, instrument: Instrument) -> dict[str, Any]:
    item = instrument.item(key)
    if item.options:
        label = next((option.label for option in item.options if option.value == value), None)
        return {"valueCoding": codes.coding(codes.ANSWER_VALUES, codes.number_code(value), label.en if label else None)}
    if whole_numbers(item) and float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def _score_observations(
    assessment: AssessmentData, instrument: Instrument, subject: dict[str, Any], response_id: str, shared: _Shared
) -> Iterable[dict[str, Any]]:
    """The scale scores of one completed instrument: one Observation (the instrument) with a component per scored
    scale, as they were measured together; a scale left unscored by missing answers has no component."""
    components = []
    for scale in instrument.scales:
        value = assessment.scores.get(scale.key)
        if value is None:
            continue
        part = partial(_scale_component, instrument, scale, shared.quantity(value, scale.unit))
        components.append(shared.element("ObservationComponent", (instrument.key, scale.key, value), part))
    if not components:
        return
    yield {
        "resourceType": "Observation",
        "id": codes.resource_id("Observation", "assessment", assessment.id),
        "status": "final",
        "category": [shared.category(SURVEY if instrument.kind == "pro" else EXAM)],
        "code": shared.element(
            "CodeableConcept", ("instrument", instrument.key), partial(_instrument_code, instrument)
        ),
        "subject": subject,
        "effectiveDateTime": assessment.taken_on.isoformat(),
        "derivedFrom": [{"reference": codes.urn(response_id)}],
        "component": components,
    }


def _instrument_code(instrument: Instrument) -> dict[str, Any]:
    return {"coding": [codes.coding(codes.INSTRUMENTS, instrument.key, instrument.name.en)], "text": instrument.name.en}


def _scale_component(instrument: Instrument, scale: Scale, quantity: dict[str, Any]) -> dict[str, Any]:
    return {"code": _scale_code(instrument, scale), "valueQuantity": quantity}


def _scale_code(instrument: Instrument, scale: Scale) -> dict[str, Any]:
    """A score's code: LOINC where the scale has one, always our own code as well."""
    name = f"{instrument.name.en}: {scale.name.en}"
    codings = [codes.coding(codes.SCALES, f"{instrument.key}.{scale.key}", name)]
    if scale.loinc:
        codings.insert(0, codes.coding(codes.LOINC, scale.loinc))
    return {"coding": codings, "text": name}


def _measure_code(code: str, text: str, loinc: tuple[str, str] | None) -> dict[str, Any]:
    codings = [codes.coding(codes.MEASURES, code, text)]
    if loinc is not None:
        codings.insert(0, codes.coding(codes.LOINC, *loinc))
    return {"coding": codings, "text": text}


def _moment_component(code: str, text: str, quantity: dict[str, Any]) -> dict[str, Any]:
    return {"code": {"coding": [codes.coding(codes.MEASURES, code, text)], "text": text}, "valueQuantity": quantity}


def _effort_component(exercise_id: str, name: str, quantity: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": {"coding": [codes.coding(codes.EXERCISES, exercise_id, name)], "text": name},
        "valueQuantity": quantity,
    }


def _session_observations(log: SessionLogRecord, subject: dict[str, Any], shared: _Shared) -> Iterable[dict[str, Any]]:
    day = log.performed_on.isoformat()
    survey = shared.category(SURVEY)
    for rating, (code, text, loinc) in RATINGS.items():
        components = []
        for prefix, moment, moment_text in MOMENTS:
            value = log.measures.get(f"{prefix}_{rating}")
            if value is None:
                continue  # a session stopped early has no "after" rating
            part = partial(_moment_component, f"{code}-{moment}", moment_text, shared.quantity(value, "{score}"))
            components.append(shared.element("ObservationComponent", (code, moment, value), part))
        if not components:
            continue
        yield {
            "resourceType": "Observation",
            "id": codes.resource_id("Observation", "session-log", log.id, code),
            "status": "final",
            "category": [survey],
            "code": shared.element("CodeableConcept", ("measure", code), partial(_measure_code, code, text, loinc)),
            "subject": subject,
            "effectiveDateTime": day,
            "component": components,
        }
    by_scale: dict[str, list[dict[str, Any]]] = {}
    for effort in log.efforts:
        unit = EFFORT_SCALES[effort.scale][2]
        component = partial(_effort_component, effort.exercise_id, effort.name, shared.quantity(effort.value, unit))
        component_key = (effort.exercise_id, effort.value, unit)
        by_scale.setdefault(effort.scale, []).append(shared.element("ObservationComponent", component_key, component))
    for scale, components in by_scale.items():
        code, text, _ = EFFORT_SCALES[scale]
        yield {
            "resourceType": "Observation",
            "id": codes.resource_id("Observation", "session-log", log.id, code),
            "status": "final",
            "category": [survey],
            "code": shared.element("CodeableConcept", ("measure", code), partial(_measure_code, code, text, None)),
            "subject": subject,
            "effectiveDateTime": day,
            "component": components,
        }
