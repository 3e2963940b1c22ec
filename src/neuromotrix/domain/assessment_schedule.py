"""When each outcome instrument is due (BRIEF §7, last paragraph; BRIEF §5.1 for the injection interval).

Schedule: a baseline at the start, then every 4 weeks, and — for people who receive toxin — a reassessment in the
week before each expected injection, so that cycles are compared at the same phase (as in the trials [R5][R12]).
The numbers are data (`catalog/instruments/schedule.yaml`, read into `ScheduleRules`); the defaults below are
the brief's values and are what a caller gets when it passes no rules.

At most one entry per instrument is due at a time, and an instrument done within the last `window_days` is not
asked again: a 4-weekly or pre-injection assessment done up to `window_days - 1` days early counts.

Pure: today's date comes in as an argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Reason = Literal["baseline", "four_weekly", "pre_injection"]
# When two reasons fall on the same instrument at once, one entry is shown: the baseline first, then the
# pre-injection reassessment (the comparable-phase measurement, BRIEF §7), then the routine 4-weekly one.
_PRIORITY: dict[Reason, int] = {"baseline": 0, "pre_injection": 1, "four_weekly": 2}


class ScheduleRules(BaseModel):
    """Editable schedule numbers (schedule.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every_days: int = Field(default=28, ge=7, le=365)  # BRIEF §7 "every 4 weeks"
    window_days: int = Field(default=7, ge=1, le=28)  # days to complete a 4-weekly or baseline assessment
    pre_injection_days: int = Field(default=7, ge=1, le=28)  # BRIEF §7 "just before re-injection"
    injection_interval_days: int = Field(default=84, ge=28, le=365)  # BRIEF §5.1 ">= 12 weeks"
    not_at_baseline: frozenset[str] = frozenset({"pgic"})  # PGIC measures change since the start

    @model_validator(mode="after")
    def _window_fits(self) -> ScheduleRules:
        if self.window_days > self.every_days:
            raise ValueError("window_days must not be longer than every_days")
        return self


DEFAULT_RULES = ScheduleRules()


@dataclass(frozen=True)
class DueAssessment:
    instrument: str
    reason: Reason
    due_from: date
    due_by: date


def expected_next_injection(injection_dates: Sequence[date], *, interval_days: int) -> date | None:
    """The latest injection plus the usual interval (BRIEF §5.1); None for someone without injections."""
    if not injection_dates:
        return None
    return max(injection_dates) + timedelta(days=interval_days)


def _done_between(dates: Sequence[date], first: date, last: date) -> bool:
    return any(first <= when <= last for when in dates)


def _baseline(key: str, start: date, today: date, dates: Sequence[date], rules: ScheduleRules) -> DueAssessment | None:
    first_routine = start + timedelta(days=rules.every_days)
    # A missed baseline is not carried past the first 4-weekly occasion, which then takes its place.
    if key in rules.not_at_baseline or today >= first_routine:
        return None
    if _done_between(dates, start - timedelta(days=rules.window_days), first_routine - timedelta(days=1)):
        return None
    return DueAssessment(key, "baseline", start, start + timedelta(days=rules.window_days - 1))


def _four_weekly(
    key: str, start: date, today: date, dates: Sequence[date], rules: ScheduleRules
) -> DueAssessment | None:
    elapsed = (today - start).days
    occasion_index = elapsed // rules.every_days
    if occasion_index < 1:
        return None
    occasion = start + timedelta(days=occasion_index * rules.every_days)
    following = occasion + timedelta(days=rules.every_days)
    # Done slightly early (within the window before the occasion) counts: nobody is asked twice in a week.
    if _done_between(dates, occasion - timedelta(days=rules.window_days - 1), following - timedelta(days=1)):
        return None
    return DueAssessment(key, "four_weekly", occasion, occasion + timedelta(days=rules.window_days - 1))


def _pre_injection(
    key: str, today: date, next_injection: date | None, dates: Sequence[date], rules: ScheduleRules
) -> DueAssessment | None:
    if next_injection is None:
        return None
    due_from = next_injection - timedelta(days=rules.pre_injection_days)
    due_by = next_injection - timedelta(days=1)
    early = due_from - timedelta(days=rules.window_days - 1)
    if not due_from <= today <= due_by or _done_between(dates, early, due_by):
        return None
    return DueAssessment(key, "pre_injection", due_from, due_by)


def due_assessments(
    *,
    battery: Sequence[str],
    start: date,
    today: date,
    next_injection: date | None,
    done: Mapping[str, Sequence[date]],
    rules: ScheduleRules | None = None,
) -> list[DueAssessment]:
    """The assessments due today, at most one per instrument, ordered by due date then battery order."""
    rules = rules or DEFAULT_RULES
    if today < start:
        return []
    due: list[tuple[date, int, DueAssessment]] = []
    for position, key in enumerate(dict.fromkeys(battery)):
        dates = [when for when in done.get(key, ()) if when <= today]
        # Nobody is asked the same instrument twice within a window, whatever the reasons (issue 5 item 2).
        if _done_between(dates, today - timedelta(days=rules.window_days - 1), today):
            continue
        candidates = [
            item
            for item in (
                _baseline(key, start, today, dates, rules),
                _pre_injection(key, today, next_injection, dates, rules),
                _four_weekly(key, start, today, dates, rules),
            )
            if item is not None
        ]
        if candidates:
            chosen = min(candidates, key=lambda item: _PRIORITY[item.reason])
            due.append((chosen.due_by, position, chosen))
    return [item for _, _, item in sorted(due, key=lambda entry: (entry[0], entry[1]))]
