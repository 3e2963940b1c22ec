"""What a FHIR export is made from: plain records read by the service, free of the database and of FHIR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from neuromotrix.domain.instruments import Instrument


@dataclass(frozen=True)
class PatientRecord:
    participant_id: int
    display_name: str
    language: str  # "en" or "fr"


@dataclass(frozen=True)
class ConditionRecord:
    kind: str  # the profile's condition kind: dystonia, parkinson, cerebral_palsy
    details: tuple[str, ...] = ()  # readable facts (distribution, regions, GMFCS level...)


@dataclass(frozen=True)
class ProgramRecord:
    id: int
    version: int
    approved_at: dt.datetime | None
    plan: Mapping[str, Any]  # the plan JSON contract (PRODUCT.md "Contracts")


@dataclass(frozen=True)
class EffortRecord:
    exercise_id: str
    name: str
    scale: str  # cr10, rpe, percent_max, talk_test
    value: float


@dataclass(frozen=True)
class SessionLogRecord:
    id: int
    performed_on: dt.date
    measures: Mapping[str, int | None]  # pre_pain, post_pain, pre_dystonia... as stored (0-10)
    efforts: tuple[EffortRecord, ...] = ()


@dataclass(frozen=True)
class AssessmentData:
    id: int
    instrument: str
    instrument_version: str
    taken_on: dt.date
    answers: Mapping[str, float | None]
    scores: Mapping[str, float | None]


@dataclass(frozen=True)
class ExportSource:
    """Everything one participant's bundle holds; `instruments` has the clinic's licensed texts applied."""

    patient: PatientRecord
    conditions: tuple[ConditionRecord, ...]
    program: ProgramRecord | None
    session_logs: tuple[SessionLogRecord, ...]
    assessments: tuple[AssessmentData, ...]
    instruments: Mapping[str, Instrument] = field(default_factory=dict)
    exercise_names: Mapping[str, str] = field(default_factory=dict)  # in the participant's language
    clinic_id: int = 0
