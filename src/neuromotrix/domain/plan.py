"""The plan contract (PRODUCT.md "Contracts"): what `neuromotrix plan --format json` prints.

Models are frozen so that identical blocks can be shared between sessions; field order is the output order.
Fields beyond PRODUCT.md (`movement_s`, `supervised`, `time`-related extras) are optional extensions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from neuromotrix.domain import vocab

ModelT = TypeVar("ModelT", bound=BaseModel)


def build(model: type[ModelT], **values: Any) -> ModelT:
    """Build an output model from values the planner already validated (every field given, right types).

    Twice as fast as `model_construct` because it skips default handling; the plan JSON Schema test and the
    property tests validate every generated plan, so a wrong value cannot go unnoticed.
    """
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Timed(Protocol):
    """Anything with a dose's timing fields (the output PlanDose, or the planner's working dose)."""

    @property
    def sets(self) -> int: ...
    @property
    def reps(self) -> int: ...
    @property
    def hold_s(self) -> int: ...
    @property
    def movement_s(self) -> int: ...
    @property
    def rest_s(self) -> int: ...
    @property
    def minutes(self) -> int | float: ...
    @property
    def continuous_minutes(self) -> int | float: ...


def block_seconds(dose: _Timed) -> float:
    """Time of a block: the one documented formula (docs/plan.md)."""
    return (
        dose.sets * dose.reps * (dose.hold_s + dose.movement_s)
        + dose.sets * dose.rest_s
        + 60 * (dose.minutes + dose.continuous_minutes)
    )


class Reason(_Out):
    rule: str
    text: str
    refs: tuple[str, ...] = ()


class PlanEffort(_Out):
    scale: vocab.EffortScale
    target: int | float | tuple[int | float, int | float]


class PlanDose(_Out):
    sets: int
    reps: int
    hold_s: int
    minutes: int | float
    rest_s: int
    continuous_minutes: int | float
    effort: PlanEffort
    movement_s: int

    def seconds(self) -> float:
        return block_seconds(self)


class PlanDirection(_Out):
    plane: vocab.Plane
    toward: vocab.Toward | None
    relation: vocab.Relation


class Block(_Out):
    exercise_id: str
    name: str
    category: vocab.Category
    part: vocab.Part
    regions: tuple[vocab.Region, ...]
    equipment: tuple[vocab.Equipment, ...]
    position: vocab.Position
    direction: PlanDirection | None
    resisted: bool
    level: int
    dose: PlanDose
    instructions: str
    reasons: tuple[Reason, ...]


class Session(_Out):
    index: int
    date: dt.date
    day: vocab.Weekday
    time: str
    phase: vocab.ToxinPhase
    minutes: int
    supervised: bool
    blocks: tuple[Block, ...]


class Week(_Out):
    week: int
    phase: vocab.ToxinPhase
    deload: bool
    sessions: tuple[Session, ...]


class Flag(_Out):
    code: str
    severity: vocab.Severity
    message: str
    action: str


class ScreeningOutcome(_Out):
    outcome: vocab.Status
    flags: tuple[Flag, ...]


class Excluded(_Out):
    exercise_id: str
    reasons: tuple[Reason, ...]


class Plan(_Out):
    status: vocab.Status
    start_on: dt.date
    language: vocab.Language
    screening: ScreeningOutcome
    weeks: tuple[Week, ...]
    excluded: tuple[Excluded, ...]
    references: dict[str, str]


def session_minutes(blocks: tuple[Block, ...] | list[Block]) -> int:
    """Session minutes = ceil(sum of block seconds / 60)."""
    total = sum(block.dose.seconds() for block in blocks)
    return int(-(-total // 60))
