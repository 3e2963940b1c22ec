"""Request and response models of the outcome-instrument routes (BRIEF §7)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictFloat

from neuromotrix.entrypoints.web.api.schemas import Out, Strict
from neuromotrix.services.assessment_corrections import MAX_REASON
from neuromotrix.services.assessments import MAX_ITEM_TEXT

Answer = Annotated[StrictFloat, Field(allow_inf_nan=False)] | None


class AssessmentIn(Strict):
    instrument: str = Field(min_length=1, max_length=32, description="An instrument key from GET /api/v1/instruments.")
    taken_on: dt.date = Field(description="The day the questionnaire or test was done (ISO date); not in the future.")
    answers: dict[str, Answer] = Field(
        max_length=200,
        description="Item key → the option value or the measured number; null or absent for an unanswered item.",
        examples=[{"pain": 4}],
    )


class AssessmentOut(Out):
    id: int
    participant_id: int
    instrument: str
    instrument_version: str = Field(description="The instrument version whose scoring rules produced `scores`.")
    taken_on: dt.date
    answers: dict[str, float | None]
    scores: dict[str, float | None] = Field(description="Scale key → score; null when too many items are missing.")
    entered_as: Literal["participant", "caregiver", "trainer", "import"]
    source: Literal["web", "api", "fhir"]
    created_at: dt.datetime
    status: Literal["current", "corrected", "withdrawn"] = Field(
        description="Only current entries count in charts, reports, the due list and exports; a corrected one was "
        "replaced by `replaced_by`, a withdrawn one was entered in error."
    )
    corrects: int | None = Field(description="The earlier entry this one corrects.")
    replaced_by: int | None = Field(description="The entry that corrected this one (status `corrected`).")
    changed_at: dt.datetime | None = Field(description="When it was corrected or withdrawn.")
    changed_by: int | None = Field(description="The account that corrected or withdrew it.")
    changed_by_name: str | None = Field(description="That account's name.")
    change_reason: str | None = Field(description="Why it was corrected or withdrawn.")


Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_REASON,
        description="Why, in a few words: kept with the history.",
        examples=["Wrong date: done the day before."],
    ),
]


class AssessmentCorrectionIn(Strict):
    answers: dict[str, Answer] | None = Field(
        default=None,
        max_length=200,
        description="The corrected answers, all of them (not only the changed ones); absent to keep those recorded.",
        examples=[{"now": 3, "average_24h": 4}],
    )
    taken_on: dt.date | None = Field(
        default=None, description="The corrected day it was done (ISO date, not in the future); absent to keep it."
    )
    reason: Reason


class AssessmentWithdrawalIn(Strict):
    reason: Reason


class DueOut(Out):
    instrument: str
    reason: Literal["baseline", "four_weekly", "pre_injection"]
    due_from: dt.date
    due_by: dt.date


class OptionOut(BaseModel):
    value: float
    label: str | None = Field(description="Null in a licensed instrument: the answer is its number.")


class ItemOut(BaseModel):
    key: str
    text: str | None = Field(
        description="In the caller's language; null for a licensed text the clinic has not entered."
    )
    options: list[OptionOut]
    minimum: float | None
    maximum: float | None
    unit: str | None


class ThresholdOut(BaseModel):
    improvement: float | None
    worsening: float | None
    improvement_percent: float | None
    source: str


class ScaleOut(BaseModel):
    key: str
    name: str
    items: list[str]
    minimum: float
    maximum: float
    direction: Literal["higher_is_better", "lower_is_better"]
    unit: str | None
    mcid: ThresholdOut | None = Field(description="Minimal clinically important difference, where established.")
    mdc: ThresholdOut | None = Field(description="Minimal detectable change, where established.")
    loinc: str | None


class InstrumentOut(BaseModel):
    key: str
    version: str
    name: str
    kind: Literal["pro", "clinro", "perf"] = Field(description="Patient-reported, clinician-rated or performance.")
    licence: Literal["free", "licensed"]
    french: Literal["validated", "unvalidated", "licensed"]
    note: str | None = Field(description="Shown with the French wording when it is not a validated translation.")
    texts_complete: bool = Field(description="Every item has a text (always true for free instruments).")
    items: list[ItemOut]
    scales: list[ScaleOut]
    references: list[str]


ItemText = Annotated[str, Field(min_length=1, max_length=MAX_ITEM_TEXT)]


class ItemTextIn(Strict):
    en: ItemText
    fr: ItemText


class InstrumentTextsIn(Strict):
    texts: dict[str, ItemTextIn] = Field(
        max_length=200, description="Item key → its text in English and French, as the licence holder supplies it."
    )
