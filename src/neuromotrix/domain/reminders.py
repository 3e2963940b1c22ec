"""Which reminders are due in a time window: sessions, next-day check-ins, post-injection check-ins.

Pure: the clinic's time zone, the reminder times (catalog/rules/attention.yaml) and the window come in as
arguments. Each reminder has a deterministic `key`; the notifications table keeps one reminder per recipient and key, so
job-runner workers may compute overlapping windows and insert concurrently without sending anything twice.

Texts carry no health information beyond the fact of a session or a check-in, and only one placeholder,
`{first_name}`, filled by `personalise` at sending time: e-mail and push notifications are not a safe place
for clinical details, and the check-in screen itself shows the safety instructions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from neuromotrix.domain.alerts import Message
from neuromotrix.domain.toxin import FACE_REGIONS

ReminderKind = Literal["session", "checkin", "post_injection_checkin"]
PlannedSession = tuple[str, dt.date, str]  # (session id, local date, local time "HH:MM")
LoggedSession = tuple[str, dt.date]  # (session id, local date performed)
InjectionEvent = tuple[dt.date, Collection[str]]  # (date, regions injected)

# BRIEF §5 "Software rules": prompt the swallowing/breathing/weakness questions daily for 21 days after neck or
# facial injections. Day 1 is the day after the injection (the injection day's morning may precede it).
POST_INJECTION_CHECKIN_DAYS = 21
CHECKIN_REGIONS = FACE_REGIONS | {"neck", "larynx"}
FIRST_NAME = "{first_name}"
CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Reminder:
    """A reminder to send at `due_at` (aware, UTC). `subject` and `body` hold the `{first_name}` placeholder."""

    kind: ReminderKind
    due_at: dt.datetime
    key: str
    subject: Message
    body: Message


def personalise(text: Message, *, language: str, first_name: str) -> str:
    return text.in_language(language).replace(FIRST_NAME, first_name)


def parse_clock(text: str) -> dt.time:
    """A local time of day written "HH:MM" (24-hour)."""
    match = CLOCK.match(text)
    if match is None:
        raise ValueError(f"time of day {text!r} is not HH:MM (00:00 to 23:59)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def local_to_utc(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local date and time. On the spring-forward day a time in the skipped hour moves an
    hour later (02:30 becomes 03:30); on the fall-back day a repeated time is its first occurrence."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def _check_window(window_start: dt.datetime, window_end: dt.datetime) -> None:
    for name, moment in (("window_start", window_start), ("window_end", window_end)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be a time-zone-aware datetime, got {moment.isoformat()}")


def _local_days(window_start: dt.datetime, window_end: dt.datetime, tz: ZoneInfo) -> Iterable[dt.date]:
    """Every local date that can hold an instant of [window_start, window_end)."""
    first = window_start.astimezone(tz).date()
    last = window_end.astimezone(tz).date()
    return (first + dt.timedelta(days=offset) for offset in range((last - first).days + 1))


def _in_window(reminders: Iterable[Reminder], window_start: dt.datetime, window_end: dt.datetime) -> list[Reminder]:
    return sorted(
        (reminder for reminder in reminders if window_start <= reminder.due_at < window_end),
        key=lambda reminder: (reminder.due_at, reminder.key),
    )


def _french_clock(at: dt.time) -> str:
    return f"{at.hour} h {at.minute:02d}"


def session_reminders(
    sessions: Sequence[PlannedSession], *, tz: ZoneInfo, window_start: dt.datetime, window_end: dt.datetime
) -> list[Reminder]:
    """A reminder at each planned session's local time, for sessions due in [window_start, window_end).
    The key holds the local date and time, so a rescheduled session gets a new reminder."""
    _check_window(window_start, window_end)
    reminders = []
    for session_id, day, clock in sessions:
        at = parse_clock(clock)
        reminders.append(
            Reminder(
                kind="session",
                due_at=local_to_utc(day, at, tz),
                key=f"session:{session_id}:{day.isoformat()}T{clock}",
                subject=Message(en="Your exercise session today", fr="Votre séance d'exercice aujourd'hui"),
                body=Message(
                    en=f"Hello {FIRST_NAME}, your exercise session is planned for today at {clock}.",
                    fr=f"Bonjour {FIRST_NAME}, votre séance d'exercice est prévue aujourd'hui à {_french_clock(at)}.",
                ),
            )
        )
    return _in_window(reminders, window_start, window_end)


def checkin_reminders(
    sessions_logged: Sequence[LoggedSession],
    *,
    checked_in: Collection[str],
    tz: ZoneInfo,
    at: dt.time,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[Reminder]:
    """One reminder the morning after a day with a logged session whose next-day check-in is not done yet
    (BRIEF §4.5 "24-hour rule"); several sessions on one day share one reminder."""
    _check_window(window_start, window_end)
    days = sorted({performed_on for session_id, performed_on in sessions_logged if session_id not in checked_in})
    return _in_window(
        (
            Reminder(
                kind="checkin",
                due_at=local_to_utc(performed_on + dt.timedelta(days=1), at, tz),
                key=f"checkin:{performed_on.isoformat()}",
                subject=Message(en="How did yesterday's session go?", fr="Comment s'est passée la séance d'hier?"),
                body=Message(
                    en=f"Hello {FIRST_NAME}, please take a minute to answer your next-day check-in.",
                    fr=f"Bonjour {FIRST_NAME}, prenez une minute pour répondre à votre suivi du lendemain.",
                ),
            )
            for performed_on in days
        ),
        window_start,
        window_end,
    )


def post_injection_days(injections: Iterable[InjectionEvent]) -> list[dt.date]:
    """Local dates that need the daily check-in: days 1 to 21 after each neck or face injection."""
    days = {
        injected_on + dt.timedelta(days=offset)
        for injected_on, regions in injections
        if CHECKIN_REGIONS & set(regions)
        for offset in range(1, POST_INJECTION_CHECKIN_DAYS + 1)
    }
    return sorted(days)


def post_injection_reminders(
    injections: Sequence[InjectionEvent],
    *,
    tz: ZoneInfo,
    at: dt.time,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[Reminder]:
    """One check-in reminder a day for 21 days after a neck, mouth, larynx or eye injection; overlapping
    injections share the day's reminder (the key is the local date)."""
    _check_window(window_start, window_end)
    wanted = set(_local_days(window_start, window_end, tz))
    return _in_window(
        (
            Reminder(
                kind="post_injection_checkin",
                due_at=local_to_utc(day, at, tz),
                key=f"post_injection_checkin:{day.isoformat()}",
                subject=Message(en="Your daily check-in", fr="Votre suivi quotidien"),
                body=Message(
                    en=f"Hello {FIRST_NAME}, please answer today's short check-in questions. It takes a minute.",
                    fr=f"Bonjour {FIRST_NAME}, répondez aux courtes questions du suivi d'aujourd'hui. Cela prend une minute.",
                ),
            )
            for day in post_injection_days(injections)
            if day in wanted
        ),
        window_start,
        window_end,
    )
