"""Rule tables as data (catalog/rules/*.yaml): red flags, toxin phases, overlays, PAR-Q+, planner parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from neuromotrix.domain import vocab
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.rules import Predicate, compile_rule

Effect = Literal[
    "supported_upright_only", "lying_sitting_supported_standing_only", "slow_transitions", "no_vigorous",
    "rpe_only", "heat_warning", "supervision_required", "bout_cap", "indoor_aerobic", "pause_neck_jaw",
    "dbs_precautions", "no_supine",
]  # fmt: skip
SNAKE = r"^[a-z][a-z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RedFlag(_Model):
    code: str = Field(pattern=SNAKE)
    severity: vocab.Severity
    brief: str
    when: dict[str, Any]
    effects: tuple[Effect, ...] = ()
    requires_clearance: bool = False
    clearance_must_name: vocab.Restriction | None = None
    message: Text
    action: Text
    refs: tuple[str, ...] = ()


class ToxinPhaseRow(_Model):
    phase: vocab.ToxinPhase
    from_day: int = Field(ge=0)
    to_day: int | None
    emphasis: dict[vocab.Category, int]
    text: Text
    refs: tuple[str, ...]


class ToxinLimits(_Model):
    injected_region_rest_days: int = Field(ge=0)
    neck_window_days: int = Field(ge=0)
    neck_isometric_max_percent: int = Field(ge=5, le=30)
    face_window_days: int = Field(ge=0)
    deload_days: int = Field(ge=0)
    deload_factor: float = Field(gt=0, le=1)


class ToxinTable(_Model):
    phases: tuple[ToxinPhaseRow, ...]
    limits: ToxinLimits

    def phase_on(self, days_since_injection: int | None) -> vocab.ToxinPhase:
        if days_since_injection is None or days_since_injection < 0:
            return "none"
        for row in self.phases:
            if row.from_day <= days_since_injection and (row.to_day is None or days_since_injection <= row.to_day):
                return row.phase
        return "none"

    def row(self, phase: str) -> ToxinPhaseRow | None:
        return next((row for row in self.phases if row.phase == phase), None)


class ConditionOverlay(_Model):
    refs: tuple[str, ...]
    text: Text
    weights: dict[vocab.Category, int]


class Overlays(_Model):
    conditions: dict[vocab.ConditionKind, ConditionOverlay]
    goals: dict[vocab.Goal, dict[vocab.Category, int]]
    goal_refs: tuple[str, ...]


class ParqQuestion(_Model):
    code: Literal[
        "heart_condition", "chest_pain", "dizziness_or_fainting", "other_chronic_condition",
        "chronic_medication", "bone_joint_problem", "supervised_only",
    ]  # fmt: skip
    cardiac: bool
    text: Text
    follow_up: tuple[str, ...]


class ParqTable(_Model):
    refs: tuple[str, ...]
    questions: tuple[ParqQuestion, ...] = Field(min_length=7, max_length=7)


class Screening(_Model):
    parq: ParqTable


Number = int | float


class EffortCaps(_Model):
    cr10: Number
    rpe: Number
    percent_max: Number
    talk_test: Number

    def cap(self, scale: str) -> Number:
        value: Number = getattr(self, scale)
        return value


class Parameters(_Model):
    progression_interval_weeks: int = Field(ge=1, le=8)
    medication_hold_days: int = Field(ge=0)
    warm_up_share: float = Field(ge=0, le=0.4)
    cool_down_share: float = Field(ge=0, le=0.4)
    resisted_gap_days: int = Field(ge=1)
    bout_rest_s: int = Field(ge=0)
    dyskinetic_tempo_factor: float = Field(ge=1, le=3)
    effort_caps: dict[Literal["light", "moderate"], EffortCaps]


class RuleTables:
    """All rule tables, validated, with red-flag rules compiled."""

    def __init__(
        self,
        *,
        red_flags: tuple[RedFlag, ...],
        toxin: ToxinTable,
        overlays: Overlays,
        screening: Screening,
        parameters: Parameters,
    ) -> None:
        self.red_flags = red_flags
        self.red_flag_predicates: tuple[tuple[RedFlag, Predicate], ...] = tuple(
            (flag, compile_rule(flag.when, f"red_flags.{flag.code}")) for flag in red_flags
        )
        self.toxin = toxin
        self.overlays = overlays
        self.screening = screening
        self.parameters = parameters

    @classmethod
    def from_documents(cls, documents: Mapping[str, Any]) -> RuleTables:
        red_flags = tuple(RedFlag.model_validate(row) for row in documents["red_flags"]["red_flags"])
        codes = [flag.code for flag in red_flags]
        if len(codes) != len(set(codes)):
            raise ValueError("red_flags.yaml: a flag code is used twice")
        return cls(
            red_flags=red_flags,
            toxin=ToxinTable.model_validate(documents["toxin_phases"]),
            overlays=Overlays.model_validate(documents["overlays"]),
            screening=Screening.model_validate(documents["screening"]),
            parameters=Parameters.model_validate(documents["parameters"]),
        )

    def cited_references(self) -> set[str]:
        cited = {ref for flag in self.red_flags for ref in flag.refs}
        cited |= {ref for row in self.toxin.phases for ref in row.refs}
        cited |= {ref for overlay in self.overlays.conditions.values() for ref in overlay.refs}
        cited |= set(self.overlays.goal_refs) | set(self.screening.parq.refs)
        return cited
