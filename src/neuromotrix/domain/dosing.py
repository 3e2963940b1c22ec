"""Dose arithmetic (BRIEF §4.1-4.5): effort caps, deload, tempo, bout caps and fitting into a time budget."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from neuromotrix.domain.exercise import Dose
from neuromotrix.domain.plan import PlanDose, PlanEffort, block_seconds, build
from neuromotrix.domain.ruletables import EffortCaps

Target = int | float | tuple[int | float, int | float]
DEFAULT_EFFORT = PlanEffort(scale="cr10", target=(1, 2))
# BRIEF §4.2: CR10 and RPE anchors used when a scale must change (beta-blockers: no heart-rate targets).
PERCENT_HR_TO_RPE = ((64, 12), (77, 14), (95, 17))


@dataclass(frozen=True)
class WorkingDose:
    """A mutable-by-copy dose while the planner adjusts it; becomes a PlanDose at the end."""

    sets: int
    reps: int
    hold_s: int
    minutes: float
    continuous_minutes: float
    rest_s: int
    effort: PlanEffort
    movement_s: int

    @classmethod
    def from_level(cls, dose: Dose, movement_s: int) -> WorkingDose:
        effort = (
            DEFAULT_EFFORT
            if dose.effort is None
            else build(PlanEffort, scale=dose.effort.scale, target=dose.effort.target)
        )
        return cls(
            sets=dose.sets,
            reps=dose.reps,
            hold_s=dose.hold_s,
            minutes=dose.minutes,
            continuous_minutes=dose.continuous_minutes,
            rest_s=dose.rest_s,
            effort=effort,
            movement_s=movement_s,
        )

    def seconds(self) -> float:
        """The session-time formula, without building the output model."""
        return block_seconds(self)

    def to_plan(self) -> PlanDose:
        return build(
            PlanDose,
            sets=self.sets,
            reps=self.reps,
            hold_s=self.hold_s,
            minutes=_number(self.minutes),
            rest_s=self.rest_s,
            continuous_minutes=_number(self.continuous_minutes),
            effort=self.effort,
            movement_s=self.movement_s,
        )


def _number(value: float) -> int | float:
    """Whole minutes print as integers (3, not 3.0); halves stay (0.5)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def cap_effort(effort: PlanEffort, caps: EffortCaps) -> tuple[PlanEffort, bool]:
    """Lower the target to the cap of its scale; returns (effort, changed)."""
    capped = _capped(effort.target, caps.cap(effort.scale))
    return build(PlanEffort, scale=effort.scale, target=capped), capped != effort.target


def _capped(target: Target, ceiling: int | float) -> Target:
    if isinstance(target, tuple):
        return (min(target[0], ceiling), min(target[1], ceiling))
    return min(target, ceiling)


def cap_percent(effort: PlanEffort, ceiling: int | float) -> tuple[PlanEffort, bool]:
    if effort.scale != "percent_max":
        return effort, False
    capped = _capped(effort.target, ceiling)
    return build(PlanEffort, scale="percent_max", target=capped), capped != effort.target


def heart_rate_to_rpe(effort: PlanEffort) -> PlanEffort:
    """Beta-blockers (BRIEF §4.2): a %HRmax target becomes the matching Borg 6-20 RPE range."""
    if effort.scale != "percent_max":
        return effort
    high = effort.target[1] if isinstance(effort.target, tuple) else effort.target
    rpe = next((value for limit, value in PERCENT_HR_TO_RPE if high <= limit), 17)
    return build(PlanEffort, scale="rpe", target=(max(9, rpe - 2), rpe))


def deload(dose: WorkingDose, factor: float) -> WorkingDose:
    """~30 % less volume (BRIEF §4.4): fewer reps, or shorter timed work; never below one unit."""
    if dose.reps > 0:
        return replace(dose, reps=max(1, round(dose.reps * factor)))
    return replace(
        dose,
        minutes=_shorter(dose.minutes, factor),
        continuous_minutes=_shorter(dose.continuous_minutes, factor),
    )


def scale_volume(dose: WorkingDose, factor: float) -> WorkingDose:
    """Less volume after a flare or fatigue, or by a trainer (BRIEF §4.5): reps x factor, or sets x factor when
    the reps cannot go lower, or timed work x factor to the half minute. Never more than the dose given, never
    below one set, one rep or half a minute; a factor of 1 or more changes nothing."""
    if factor >= 1:
        return dose
    if dose.reps > 0:
        reps = max(1, round(dose.reps * factor))
        if reps < dose.reps:
            return replace(dose, reps=reps)
        return replace(dose, sets=min(dose.sets, max(1, round(dose.sets * factor))))
    return replace(
        dose,
        minutes=min(dose.minutes, _shorter(dose.minutes, factor)),
        continuous_minutes=min(dose.continuous_minutes, _shorter(dose.continuous_minutes, factor)),
    )


def _shorter(minutes: float, factor: float) -> float:
    """Scale timed work, to the half minute, never below half a minute."""
    if not minutes:
        return 0
    return max(0.5, round(minutes * factor * 2) / 2)


def slow_tempo(dose: WorkingDose, factor: float) -> WorkingDose:
    return replace(dose, movement_s=math.ceil(dose.movement_s * factor))


def split_bouts(dose: WorkingDose, cap_minutes: int, rest_s: int) -> list[WorkingDose]:
    """Split continuous work longer than the cap into equal bouts of at most `cap_minutes` (BRIEF §1.5)."""
    longest = max(dose.minutes, dose.continuous_minutes)
    if longest <= cap_minutes:
        return [dose]
    bouts = math.ceil(longest / cap_minutes)
    per_bout = math.floor(longest / bouts * 2) / 2
    bout = replace(
        dose,
        minutes=per_bout if dose.minutes else 0,
        continuous_minutes=per_bout if dose.continuous_minutes else 0,
        rest_s=max(dose.rest_s, rest_s),
    )
    return [bout] * bouts


def least_seconds(dose: WorkingDose) -> float:
    """The shortest block `fit` can make of this dose: one set, timed work cut to half a minute."""
    timed = 30 if dose.minutes or dose.continuous_minutes else 0
    return dose.reps * (dose.hold_s + dose.movement_s) + dose.rest_s + timed


def fit(dose: WorkingDose, budget_seconds: float) -> WorkingDose | None:
    """Fewer sets (then shorter timed work) until the block fits the remaining time; None when it cannot."""
    if dose.seconds() <= budget_seconds:
        return dose
    trial = dose
    while trial.sets > 1:
        trial = replace(trial, sets=trial.sets - 1)
        if trial.seconds() <= budget_seconds:
            return trial
    timed = trial.minutes + trial.continuous_minutes
    if timed:
        spare = budget_seconds - trial.sets * trial.reps * (trial.hold_s + trial.movement_s) - trial.sets * trial.rest_s
        whole = math.floor(spare / 30) / 2  # half minutes
        if whole >= 0.5:
            if trial.minutes:
                return replace(trial, minutes=min(trial.minutes, whole), continuous_minutes=0)
            return replace(trial, continuous_minutes=min(trial.continuous_minutes, whole))
    return None
