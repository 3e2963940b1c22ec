"""Rule tables as data (catalog/rules/*.yaml): red flags, toxin phases, overlays, PAR-Q+, planner parameters,
needs-attention numbers and adaptation thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


T = TypeVar("T")
WindowDays = Annotated[tuple[Annotated[int, Field(ge=1, le=365)], ...], Field(min_length=1)]


class Tuned(_Model, Generic[T]):
    """A number BRIEF does not fix, with the reason it was chosen (attention.yaml)."""

    value: T
    why: str = Field(min_length=10)


class AttentionTable(_Model):
    """Needs-attention and reminder numbers (domain/attention.py, domain/reminders.py)."""

    adherence_windows_days: Tuned[WindowDays]
    adherence_drop_windows_days: Tuned[WindowDays]
    adherence_drop_percent: Tuned[Annotated[int, Field(ge=1, le=100)]]
    missed_checkin_grace_hours: Tuned[Annotated[int, Field(ge=0, le=72)]]
    missed_checkins_for_warning: Tuned[Annotated[int, Field(ge=1, le=14)]]
    clearance_notice_days: Tuned[Annotated[int, Field(ge=0, le=180)]]
    escalation_delay_minutes: Tuned[Annotated[int, Field(ge=1, le=7 * 24 * 60)]]
    checkin_reminder_time: Tuned[dt.time]
    post_injection_reminder_time: Tuned[dt.time]

    @property
    def checkin_grace(self) -> dt.timedelta:
        return dt.timedelta(hours=self.missed_checkin_grace_hours.value)

    @property
    def escalation_delay(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.escalation_delay_minutes.value)


Points = Annotated[int, Field(ge=1, le=10)]
Share = Annotated[float, Field(gt=0, le=1)]


class Cited(Tuned[T], Generic[T]):
    """An adaptation number with its reason, the BRIEF section it comes from and its references (adaptation.yaml)."""

    brief: str = Field(pattern=r"^§")
    refs: tuple[str, ...] = ()


class Ratio(_Model):
    """An exact fraction (2 of 3 sessions is exactly 2/3, with no rounding)."""

    numerator: int = Field(ge=0)
    denominator: int = Field(ge=1)

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, raw: Any) -> Any:
        """YAML writes a ratio as [numerator, denominator]."""
        if isinstance(raw, list | tuple) and len(raw) == 2:
            return {"numerator": raw[0], "denominator": raw[1]}
        return raw

    def reached(self, count: int, out_of: int) -> bool:
        return count * self.denominator >= out_of * self.numerator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


class AdaptationTable(_Model):
    """Thresholds of the adaptation engine (domain/flares.py, domain/adaptation.py; BRIEF §4.4-4.5)."""

    sessions_to_progress: Cited[Annotated[int, Field(ge=1, le=10)]]
    min_completion_to_progress: Cited[Share]
    progress_max_pain: Cited[Annotated[int, Field(ge=0, le=10)]]
    regress_above_pain: Cited[Annotated[int, Field(ge=0, le=9)]]
    next_day_pain_margin: Cited[Annotated[int, Field(ge=0, le=10)]]
    checkin_rise: Cited[Points]
    moderate_flare_rise: Cited[Points]
    provocation_rise: Cited[Points]
    fatigue_rise: Cited[Points]
    adherence_to_progress: Cited[Ratio]
    mild_flare_volume_factor: Cited[Share]
    fatigue_volume_factor: Cited[Share]
    pause_regress_levels: Cited[Annotated[int, Field(ge=1, le=5)]]
    consecutive_flares_to_pause: Cited[Annotated[int, Field(ge=2, le=5)]]
    postures_to_pause: Cited[Annotated[int, Field(ge=1, le=5)]]

    @model_validator(mode="after")
    def _ordered(self) -> AdaptationTable:
        if self.progress_max_pain.value > self.regress_above_pain.value:
            raise ValueError("adaptation.yaml: progress_max_pain must not be above regress_above_pain")
        if self.moderate_flare_rise.value < self.checkin_rise.value:
            raise ValueError("adaptation.yaml: moderate_flare_rise must be at least checkin_rise")
        ratio = self.adherence_to_progress.value
        if ratio.numerator > ratio.denominator:
            raise ValueError("adaptation.yaml: adherence_to_progress must be at most 1 (e.g. [2, 3])")
        return self

    def refs(self) -> set[str]:
        return {ref for name in type(self).model_fields for ref in getattr(self, name).refs}


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
        attention: AttentionTable,
        adaptation: AdaptationTable,
    ) -> None:
        self.red_flags = red_flags
        self.red_flag_predicates: tuple[tuple[RedFlag, Predicate], ...] = tuple(
            (flag, compile_rule(flag.when, f"red_flags.{flag.code}")) for flag in red_flags
        )
        self.toxin = toxin
        self.overlays = overlays
        self.screening = screening
        self.parameters = parameters
        self.attention = attention
        self.adaptation = adaptation

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
            attention=AttentionTable.model_validate(documents["attention"]),
            adaptation=AdaptationTable.model_validate(documents["adaptation"]),
        )

    def cited_references(self) -> set[str]:
        cited = {ref for flag in self.red_flags for ref in flag.refs}
        cited |= {ref for row in self.toxin.phases for ref in row.refs}
        cited |= {ref for overlay in self.overlays.conditions.values() for ref in overlay.refs}
        cited |= set(self.overlays.goal_refs) | set(self.screening.parq.refs)
        cited |= self.adaptation.refs()
        return cited
