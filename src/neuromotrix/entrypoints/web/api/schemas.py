"""Request and response models of the JSON API (strict: unknown fields are refused, types are not coerced)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

Nrs = Annotated[int, Field(ge=0, le=10, strict=True)]
Language = Literal["en", "fr"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # numbers that matter clinically are strict fields (Nrs)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Out, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class UserOut(Out):
    id: int
    email: str
    name: str
    role: str
    language: str


class LoginIn(Strict):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1000)
    totp: str | None = Field(None, max_length=12)


class LoginOut(Out):
    user: UserOut
    csrf_token: str
    expires_at: dt.datetime
    two_factor_required: bool


class ParticipantIn(Strict):
    display_name: str = Field(min_length=1, max_length=200)
    language: Language = "en"
    user_id: int | None = Field(None, ge=1, le=2_147_483_647, description="The participant's own login, if any.")
    profile: dict[str, Any]


class ParticipantOut(Out):
    id: int
    display_name: str
    language: str
    user_id: int | None
    created_at: dt.datetime


class ProfileIn(Strict):
    profile: dict[str, Any]
    reason: str = Field(min_length=1, max_length=500)


class ProfileVersionOut(Out):
    version: int
    reason: str
    created_at: dt.datetime
    created_by: int | None
    document: dict[str, Any]


class ProgramVersionOut(Out):
    version: int
    status: str
    source: str
    reason: str
    changes: list[dict[str, Any]]
    adjustments: list[dict[str, Any]] = Field(
        description="Adjustments in force (exercise_id, from_date, level, paused, volume_factor, volume_until, "
        "reason, source adaptation|trainer)."
    )
    created_at: dt.datetime
    created_by: int | None
    approved_at: dt.datetime | None
    approved_by: int | None


class ProgramOut(ProgramVersionOut):
    plan: dict[str, Any]


class GenerateIn(Strict):
    reason: str = Field("regenerated on request", min_length=1, max_length=500)


class DoseIn(Strict):
    sets: int | None = Field(None, ge=1, le=20)
    reps: int | None = Field(None, ge=0, le=100)
    hold_s: int | None = Field(None, ge=0, le=600)
    rest_s: int | None = Field(None, ge=0, le=600)
    minutes: float | None = Field(None, ge=0, le=90)


class EditIn(Strict):
    exercise_id: str = Field(min_length=1, max_length=16)
    reason: str = Field(min_length=1, max_length=500)
    dose: DoseIn


class NamedBlock(Out):
    exercise_id: str
    name: str
    level: int
    date: dt.date


class BlockChange(Out):
    exercise_id: str
    name: str
    level: list[int] | None = Field(description="[before, after] when the level changes.")
    dose: dict[str, list[Any]] = Field(description="Changed dose fields, each [before, after].")


class Exclusion(Out):
    exercise_id: str
    reasons: list[dict[str, Any]]


class ProgramDiffOut(Out):
    version: int
    against: int
    from_date: dt.date = Field(description="Sessions on or after this day are compared (today).")
    screening: list[str] | None = Field(description="[before, after] when the screening outcome changes.")
    sessions: list[int] = Field(description="Sessions still to come: [before, after].")
    added: list[NamedBlock]
    removed: list[NamedBlock]
    changed: list[BlockChange] = Field(description="Level and dose at each exercise's next session.")
    newly_excluded: list[Exclusion]
    no_longer_excluded: list[str]


class OverrideIn(Strict):
    exercise_id: str = Field(min_length=1, max_length=16)
    level: int | None = Field(None, ge=1, le=20, description="Hold the exercise at this catalog level from today.")
    paused: bool = Field(False, description="Pause the exercise from today (left out of the sessions).")
    release: bool = Field(False, description="Remove the adjustment: the adaptation engine decides again.")
    reason: str = Field(min_length=1, max_length=500)


class TodayOut(Out):
    date: dt.date
    program_version: int
    session: dict[str, Any] | None
    next_session: dict[str, Any] | None


class AlertOut(Out):
    id: int
    participant_id: int
    kind: str
    severity: str
    message: str
    exercise_id: str | None
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: int | None
    escalated_at: dt.datetime | None
