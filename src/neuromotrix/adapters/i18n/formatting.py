"""Dates, times, numbers and percentages in the reader's locale (`en_CA`, `fr_CA`), via Babel.

Stored times are UTC; they are shown in a clinic's time zone (Québec clinics by default).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from babel import dates, numbers

from neuromotrix.adapters.i18n.catalogs import LOCALES

DEFAULT_TIME_ZONE = "America/Montreal"
DateLength = Literal["full", "long", "medium", "short"]


def _zone(time_zone: str | None) -> ZoneInfo:
    return ZoneInfo(time_zone or DEFAULT_TIME_ZONE)


def _local(value: dt.datetime, time_zone: str | None) -> dt.datetime:
    """An aware time in the zone; a naive one is taken as UTC (how the database hands times back)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(_zone(time_zone))


def format_date(
    value: dt.date | dt.datetime, language: str, *, length: DateLength = "long", time_zone: str | None = None
) -> str:
    """`November 23, 2026` / `23 novembre 2026` (long); `2026-11-23` (short); `Monday, November 23, 2026` (full).

    A datetime is first moved to the time zone, so a late evening in Montréal keeps its own date.
    """
    day = _local(value, time_zone).date() if isinstance(value, dt.datetime) else value
    return dates.format_date(day, length, locale=LOCALES[language])


def format_time(
    value: dt.datetime | dt.time, language: str, *, length: DateLength = "short", time_zone: str | None = None
) -> str:
    """`10:00 a.m.` / `10 h 00`."""
    moment = _local(value, time_zone) if isinstance(value, dt.datetime) else value
    return dates.format_time(moment, length, locale=LOCALES[language])


def format_datetime(
    value: dt.datetime, language: str, *, length: DateLength = "long", time_zone: str | None = None
) -> str:
    """The date at the given length and the time to the minute: `November 23, 2026, 10:00 a.m.`."""
    local = _local(value, time_zone)
    locale = LOCALES[language]
    pattern = _unquote(str(dates.get_datetime_format(length, locale=locale)))
    day = dates.format_date(local.date(), length, locale=locale)
    return pattern.replace("{1}", day).replace("{0}", dates.format_time(local, "short", locale=locale))


def _unquote(pattern: str) -> str:
    """CLDR quotes literal text in patterns (`{1} 'à' {0}`); `''` is a literal quote."""
    return pattern.replace("''", "\0").replace("'", "").replace("\0", "'")


def format_number(value: float | int, language: str, *, decimals: int | None = None) -> str:
    """`1,234.5` / `1 234,5`; `decimals` rounds to that many places and shows them all."""
    if decimals is None:
        return numbers.format_decimal(value, locale=LOCALES[language])
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=pattern, locale=LOCALES[language])


def format_percent(ratio: float, language: str, *, decimals: int = 0) -> str:
    """A ratio as a percentage: 0.256 → `26%` / `26 %`; `decimals=1` → `25.6%` / `25,6 %`."""
    rounded = round(ratio * 100, decimals) / 100
    return numbers.format_percent(rounded, locale=LOCALES[language], decimal_quantization=decimals == 0)
