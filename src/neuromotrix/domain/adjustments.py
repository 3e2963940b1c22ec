"""A change to one exercise of a program from a date on, from the adaptation engine or a trainer.

The planner applies adjustments on top of every safety rule (`generate_plan(..., adjustments=...)`): the level
is mapped into the person's usable ladder, paused items are left out and listed in `excluded`, volume is only
ever scaled down, and the session time budget still holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from neuromotrix.domain.alerts import Message

AdjustmentSource = Literal["adaptation", "trainer"]


@dataclass(frozen=True)
class Adjustment:
    """From `from_date` on: hold the exercise at `level` (catalog level number; None = as planned), pause it,
    and/or scale its volume by `volume_factor` from `from_date` until `volume_until` (exclusive; None = no end)."""

    exercise_id: str
    from_date: dt.date
    level: int | None
    paused: bool
    volume_factor: float
    volume_until: dt.date | None
    reason: Message
    source: AdjustmentSource

    def __post_init__(self) -> None:
        if self.level is not None and self.level < 1:
            raise ValueError(f"{self.exercise_id}: level is a catalog level number (1 or more), got {self.level}")
        if not self.volume_factor > 0:
            raise ValueError(f"{self.exercise_id}: volume_factor must be above 0, got {self.volume_factor}")

    def scales_volume_on(self, day: dt.date) -> bool:
        """The volume factor applies on this day (it never raises volume: factors of 1 or more do nothing)."""
        in_window = self.from_date <= day and (self.volume_until is None or day < self.volume_until)
        return in_window and self.volume_factor < 1


@dataclass(frozen=True)
class ActiveAdjustment:
    """An adjustment as it applies to one session date: the level index (0-based, mapped into the usable
    ladder; None = as planned) and whether its volume factor applies that day."""

    adjustment: Adjustment
    level_index: int | None
    scales_volume: bool

    @property
    def paused(self) -> bool:
        return self.adjustment.paused


def usable_level_index(level: int, ladder: Sequence[int]) -> int:
    """The catalog level `level` (1-based) as a level index of the usable ladder (0-based indexes): itself when
    usable, else the nearest lower usable level, else the first usable one."""
    wanted = level - 1
    lower = [index for index in ladder if index <= wanted]
    return lower[-1] if lower else ladder[0]


def active_on(
    adjustments: Mapping[str, Adjustment], ladders: Mapping[str, Sequence[int]], day: dt.date
) -> tuple[ActiveAdjustment, ...]:
    """The adjustments in force on `day` (from_date on or before it), by exercise id."""
    return tuple(
        ActiveAdjustment(
            adjustment=adjustment,
            level_index=None if adjustment.level is None else usable_level_index(adjustment.level, ladders[key]),
            scales_volume=adjustment.scales_volume_on(day),
        )
        for key, adjustment in adjustments.items()
        if adjustment.from_date <= day
    )
