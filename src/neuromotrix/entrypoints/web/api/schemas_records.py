"""Request and response models of the health-records routes: injections, clearances, screening results."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import UploadFile
from pydantic import BaseModel, Field

from neuromotrix.domain import vocab
from neuromotrix.entrypoints.web.api.schemas import Out, ProgramVersionOut, Strict
from neuromotrix.services.records import MAX_DOCUMENT_BYTES


class ErrorOut(BaseModel):
    detail: str = Field(description="What was wrong and what to do.")


class FieldErrorOut(BaseModel):
    loc: list[str | int] = Field(description='The field path, e.g. ["body", "regions", 0].')
    msg: str = Field(description="What was wrong and what to do.")
    type: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in (or the session or token has ended)."},
    404: {"model": ErrorOut, "description": "No such participant or record, or you may not see it."},
    422: {"model": ValidationErrorOut, "description": "Invalid input; `detail[].loc` is the field path."},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = ERRORS | {
    403: {"model": ErrorOut, "description": "CSRF token missing, or you may see the participant but not do this."},
    409: {"model": ErrorOut, "description": "Clashes with what is on file (the message says what)."},
}


# Injections ---------------------------------------------------------------------------------------------------


class InjectionIn(Strict):
    injected_on: dt.date = Field(description="The day of the injection (ISO date); not in the future.")
    regions: list[vocab.Region] = Field(
        min_length=1, max_length=13, description="The injected regions, from the profile contract's region list."
    )
    product: str | None = Field(None, min_length=1, max_length=100, examples=["onabotulinumtoxinA"])
    dose_units: float | None = Field(None, gt=0, description="Total units injected, if known.")


class InjectionOut(Out):
    id: int | None = Field(description="Null for an injection that came with the profile and was never recorded here.")
    injected_on: dt.date
    regions: list[str]
    product: str | None
    dose_units: float | None
    source: Literal["recorded", "profile"] = Field(
        description="`recorded` through this API; `profile` when it is only in the profile (e.g. from intake)."
    )
    recorded_by: int | None
    created_at: dt.datetime | None


class RecordedOut(Out):
    profile_version: int = Field(description="The new profile version that includes the record.")
    program: ProgramVersionOut = Field(description="The regenerated program: a draft awaiting a trainer's approval.")
    draft_created: bool = Field(description="Always true: every record regenerates the program as a draft.")
    active_program_version: int | None = Field(
        description="The version still in use until the draft is approved (null if none was approved yet)."
    )
    screening_outcome: vocab.Status = Field(description="The draft's screening outcome.")
    message_en: str
    message_fr: str


class InjectionRecordedOut(RecordedOut):
    injection: InjectionOut
    next_injection_expected_on: dt.date | None = Field(
        description="`treatments.botulinum_toxin_next_expected_on`, or its default: the last injection + 12 weeks."
    )


# Clearances ---------------------------------------------------------------------------------------------------


class ClearanceForm(Strict):
    """multipart/form-data: repeat `restrictions` once per restriction; `document` is an optional file."""

    cleared_by: str = Field(
        min_length=1, max_length=200, description="The clinician who gave the clearance, e.g. 'Dr. L. Gagnon'."
    )
    cleared_on: dt.date = Field(description="The date on the clearance; not in the future, less than 12 months old.")
    restrictions: list[vocab.Restriction] = Field(
        default_factory=list, description="Restrictions the clinician set, from the profile contract's list."
    )
    document: UploadFile | None = Field(
        None,
        description=f"The signed clearance: PDF, PNG or JPEG (recognised by its content), at most "
        f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB.",
    )


class ClearanceOut(Out):
    id: int
    cleared_by: str
    cleared_on: dt.date
    restrictions: list[str]
    expires_on: dt.date = Field(description="The day the clearance stops counting: its date + 12 months.")
    expired: bool = Field(description="True from `expires_on` on (in the clinic's time zone).")
    has_document: bool
    document_name: str | None
    document_type: str | None
    document_bytes: int = Field(description="The document's size in bytes (0 without a document).")
    recorded_by: int | None
    created_at: dt.datetime


class ClearanceRecordedOut(RecordedOut):
    clearance: ClearanceOut


# Screening results --------------------------------------------------------------------------------------------


class FlagOut(Out):
    code: str = Field(description="A stable flag code (docs/clinical-rules.md).")
    severity: vocab.Severity
    message: str = Field(description="As recorded, in the program's language.")
    action: str = Field(description="As recorded, in the program's language.")
    message_en: str | None = Field(description="Null only if the rules no longer raise this flag.")
    message_fr: str | None
    action_en: str | None
    action_fr: str | None


class ScreeningOut(Out):
    id: int
    outcome: vocab.Status = Field(description="`ready`, `needs_clearance` or `blocked`.")
    flags: list[FlagOut]
    screened_on: dt.date
    created_at: dt.datetime
    profile_version: int = Field(description="The profile version that was screened.")
