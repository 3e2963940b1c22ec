"""Adjustments as stored in a program version (`program_versions.adjustments`, a JSON list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Message


def to_json(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "exercise_id": adjustment.exercise_id,
        "from_date": adjustment.from_date.isoformat(),
        "level": adjustment.level,
        "paused": adjustment.paused,
        "volume_factor": adjustment.volume_factor,
        "volume_until": None if adjustment.volume_until is None else adjustment.volume_until.isoformat(),
        "reason": {"en": adjustment.reason.en, "fr": adjustment.reason.fr},
        "source": adjustment.source,
    }


def from_json(item: Mapping[str, Any]) -> Adjustment:
    until = item.get("volume_until")
    return Adjustment(
        exercise_id=item["exercise_id"],
        from_date=dt.date.fromisoformat(item["from_date"]),
        level=item.get("level"),
        paused=bool(item.get("paused", False)),
        volume_factor=float(item.get("volume_factor", 1.0)),
        volume_until=None if until is None else dt.date.fromisoformat(until),
        reason=Message(item["reason"]["en"], item["reason"]["fr"]),
        source=item["source"],
    )


def load(items: Iterable[Mapping[str, Any]] | None) -> dict[str, Adjustment]:
    """By exercise id (one adjustment in force per exercise)."""
    return {adjustment.exercise_id: adjustment for adjustment in map(from_json, items or [])}


def dump(adjustments: Mapping[str, Adjustment]) -> list[dict[str, Any]]:
    return [to_json(adjustments[key]) for key in sorted(adjustments)]


def _volume_from(adjustment: Adjustment, day: dt.date) -> float:
    """The volume factor still to come on or after `day` (1.0 once its window is over)."""
    over = adjustment.volume_until is not None and adjustment.volume_until <= day
    return 1.0 if over or adjustment.volume_factor >= 1 else adjustment.volume_factor


def same_effect(current: Adjustment | None, proposed: Adjustment) -> bool:
    """True when `proposed` would change nothing from its date on: same level, same pause, same volume cut."""
    if current is None:
        return False
    day = proposed.from_date
    return (
        current.level == proposed.level
        and current.paused == proposed.paused
        and _volume_from(current, day) == _volume_from(proposed, day)
    )
