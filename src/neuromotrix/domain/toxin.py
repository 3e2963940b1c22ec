"""Botulinum-toxin cycle per session date (BRIEF §5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from neuromotrix.domain import vocab
from neuromotrix.domain.profile import Injection
from neuromotrix.domain.ruletables import ToxinTable

FACE_REGIONS = frozenset({"eyes", "mouth"})


@dataclass(frozen=True)
class ToxinDay:
    """What the injection history means for one session date."""

    phase: vocab.ToxinPhase
    injected_regions_resting: frozenset[str]  # regions injected on this day or the day before
    neck_window: bool  # within 14 days after a neck injection
    face_window: bool  # within 14 days after an eye or mouth injection
    deload: bool  # within the week after any injection


NO_TOXIN = ToxinDay(
    phase="none", injected_regions_resting=frozenset(), neck_window=False, face_window=False, deload=False
)


def toxin_day(injections: tuple[Injection, ...], day: dt.date, table: ToxinTable) -> ToxinDay:
    past = [injection for injection in injections if injection.date <= day]
    if not past:
        return NO_TOXIN
    limits = table.limits

    def within(days: int) -> list[Injection]:
        return [injection for injection in past if (day - injection.date).days <= days]

    resting = frozenset(
        region for injection in within(limits.injected_region_rest_days) for region in injection.regions
    )
    return ToxinDay(
        phase=table.phase_on((day - past[-1].date).days),
        injected_regions_resting=resting,
        neck_window=any("neck" in injection.regions for injection in within(limits.neck_window_days)),
        face_window=any(FACE_REGIONS & set(injection.regions) for injection in within(limits.face_window_days)),
        deload=bool(within(limits.deload_days - 1)),
    )
