"""The scans of a job-runner pass: needs-attention alerts, escalations and due reminders for every participant.

What the rules need is read in a few bulk queries (not a few per participant), handed to the pure rules of
domain/attention.py and domain/reminders.py with the clinic's time zone and numbers, and what comes back is
stored by the caller. Every alert and reminder has a deterministic key, so a pass that runs twice, or on several
workers at once, stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import (
    alerts,
    checkins,
    clearances,
    clinics,
    injections,
    participants,
    scheduled_sessions,
    session_logs,
)
from neuromotrix.domain import attention, reminders
from neuromotrix.domain.alerts import Alert
from neuromotrix.domain.reminders import Reminder
from neuromotrix.domain.ruletables import AttentionTable
from neuromotrix.services import attendance
from neuromotrix.services.unit_of_work import UnitOfWork

# Two 30-day adherence periods back to back, plus a day on each side for time zones ahead of or behind UTC.
LOOKBACK_DAYS = 62
# Missed check-ins are looked for over two weeks: enough to count "in a row", and a runner started on an old
# database does not raise an alert for every session ever logged.
MISSED_CHECKIN_DAYS = 14
# A reminder whose time passed while no runner was working is still sent this long after its time, not later
# (a session reminder six hours late is noise).
REMINDER_CATCH_UP = dt.timedelta(hours=3)
# An instant "due at or before now" belongs to the window [start, now + 1 µs) of domain/reminders.py.
INSTANT = dt.timedelta(microseconds=1)


@dataclass
class Facts:
    """What the rules need to know about one participant."""

    participant_id: int
    clinic_id: int
    display_name: str
    zone: ZoneInfo
    scheduled: list[tuple[dt.date, int, str]] = field(default_factory=list)  # (date, session index, "HH:MM")
    logged: list[tuple[int, dt.date]] = field(default_factory=list)  # (session log id, date performed)
    logged_days: list[attention.LoggedDay] = field(default_factory=list)  # the same logs, as adherence counts them
    next_day_checkins: list[tuple[int | None, dt.date]] = field(default_factory=list)  # (session log id, date)
    post_injection_checkins: set[dt.date] = field(default_factory=set)
    cleared_on: dt.date | None = None
    injections: list[tuple[dt.date, list[str]]] = field(default_factory=list)  # the recent ones, with regions
    injected_on: list[dt.date] = field(default_factory=list)  # every injection (toxin phase of a skipped day)

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.zone).date()


def read_facts(uow: UnitOfWork, *, now: dt.datetime) -> list[Facts]:
    """Every participant with the sessions, logs, check-ins, clearance and injections the rules look at."""
    connection = uow.connection
    since = now.date() - dt.timedelta(days=LOOKBACK_DAYS)
    people = connection.execute(
        sa.select(participants.c.id, participants.c.clinic_id, participants.c.display_name, clinics.c.time_zone)
        .join(clinics, clinics.c.id == participants.c.clinic_id)
        .order_by(participants.c.id)
    ).all()
    facts = {row.id: Facts(row.id, row.clinic_id, row.display_name, ZoneInfo(row.time_zone)) for row in people}

    def rows(query: sa.Select[*tuple[Any, ...]]) -> Iterable[tuple[Facts, sa.Row[Any]]]:
        for row in connection.execute(query):
            found = facts.get(row.participant_id)
            if found is not None:
                yield found, row

    planned = scheduled_sessions.c
    query = sa.select(planned.participant_id, planned.scheduled_on, planned.session_index, planned.time)
    for person, row in rows(query.where(planned.scheduled_on >= since)):
        person.scheduled.append((row.scheduled_on, row.session_index, row.time))
    logs = session_logs.c
    for person, row in rows(
        sa.select(logs.participant_id, logs.id, logs.performed_on, logs.stop_reason, attendance.SOMETHING_DONE).where(
            logs.performed_on >= since
        )
    ):
        person.logged.append((row.id, row.performed_on))
        person.logged_days.append(attendance.logged_day(row))
    answered = sa.select(checkins.c.participant_id, checkins.c.kind, checkins.c.session_log_id, checkins.c.checked_on)
    for person, row in rows(answered.where(checkins.c.checked_on >= since)):
        if row.kind == "post_injection":
            person.post_injection_checkins.add(row.checked_on)
        else:
            person.next_day_checkins.append((row.session_log_id, row.checked_on))
    latest = sa.func.max(clearances.c.cleared_on).label("cleared_on")
    for person, row in rows(sa.select(clearances.c.participant_id, latest).group_by(clearances.c.participant_id)):
        person.cleared_on = row.cleared_on
    injected_since = now.date() - dt.timedelta(days=reminders.POST_INJECTION_CHECKIN_DAYS + 2)
    injected = sa.select(injections.c.participant_id, injections.c.injected_on, injections.c.regions)
    for person, row in rows(injected.where(injections.c.injected_on >= injected_since)):
        person.injections.append((row.injected_on, list(row.regions)))
    for participant_id, dates in attendance.injection_dates(uow).items():
        if participant_id in facts:
            facts[participant_id].injected_on.extend(sorted(dates))
    return list(facts.values())


def checked_in(facts: Facts) -> frozenset[str]:
    """Ids of the session logs whose next-day check-in is done: one that names the session, or one entered the
    day after it without naming a session."""
    named = {str(log_id) for log_id, _ in facts.next_day_checkins if log_id is not None}
    unnamed_days = {checked_on for log_id, checked_on in facts.next_day_checkins if log_id is None}
    by_day = {
        str(log_id) for log_id, performed_on in facts.logged if performed_on + dt.timedelta(days=1) in unnamed_days
    }
    return frozenset(named | by_day)


def attention_alerts(facts: Facts, *, now: dt.datetime, table: AttentionTable) -> list[Alert]:
    """Adherence drop, missed check-ins and clearance, sorted by key (a fixed order keeps concurrent inserts
    from deadlocking on PostgreSQL)."""
    today = facts.today(now)
    # Sessions are matched by date, as the adherence route does (services/session_flow.py).
    scheduled = [(day.isoformat(), day) for day, _, _ in facts.scheduled]
    counted = attendance.attendance_of(facts.logged_days, facts.injected_on)
    raised = attention.adherence_drop(
        scheduled,
        counted.attended,
        today=today,
        windows=table.adherence_drop_windows_days.value,
        drop_percent=table.adherence_drop_percent.value,
        excused=counted.excused,
        skipped=counted.skipped,
    )
    recent = today - dt.timedelta(days=MISSED_CHECKIN_DAYS)
    raised += attention.missed_checkins(
        [(str(log_id), performed_on) for log_id, performed_on in facts.logged if performed_on >= recent],
        checked_in(facts),
        now=now,
        tz=facts.zone,
        grace=table.checkin_grace,
        warning_after=table.missed_checkins_for_warning.value,
    )
    raised += attention.clearance_alerts(facts.cleared_on, today=today, notice_days=table.clearance_notice_days.value)
    return sorted(raised, key=lambda alert: alert.key)


def due_reminders(facts: Facts, *, now: dt.datetime, table: AttentionTable) -> list[Reminder]:
    """Reminders due at or before `now` and at most `REMINDER_CATCH_UP` late, skipping what is already done:
    a session logged that day, a post-injection check-in answered that day."""
    start, end = now - REMINDER_CATCH_UP, now + INSTANT
    done_days = {performed_on for _, performed_on in facts.logged}
    planned = [
        (str(index), day, clock) for day, index, clock in facts.scheduled if day not in done_days and _is_clock(clock)
    ]
    due = reminders.session_reminders(planned, tz=facts.zone, window_start=start, window_end=end)
    due += reminders.checkin_reminders(
        [(str(log_id), performed_on) for log_id, performed_on in facts.logged],
        checked_in=checked_in(facts),
        tz=facts.zone,
        at=table.checkin_reminder_time.value,
        window_start=start,
        window_end=end,
    )
    daily = reminders.post_injection_reminders(
        [(day, regions) for day, regions in facts.injections],
        tz=facts.zone,
        at=table.post_injection_reminder_time.value,
        window_start=start,
        window_end=end,
    )
    due += [item for item in daily if item.due_at.astimezone(facts.zone).date() not in facts.post_injection_checkins]
    return due


def _is_clock(text: str) -> bool:
    return reminders.CLOCK.match(text) is not None


def not_stored_yet(uow: UnitOfWork, raised: dict[int, list[Alert]]) -> int:
    """How many of these alerts are not stored yet: read before storing them, for the pass's report (psycopg
    reports no row count for an insert of many rows). Two runners storing the same alert at once may both
    count it; only one row is stored."""
    wanted = {(participant_id, alert.key) for participant_id, found in raised.items() for alert in found}
    if not wanted:
        return 0
    query = sa.select(alerts.c.participant_id, alerts.c.key).where(alerts.c.key.in_(sorted({key for _, key in wanted})))
    return len(wanted - {(row.participant_id, row.key) for row in uow.connection.execute(query)})


@dataclass(frozen=True)
class Escalated:
    """An alert this pass escalated, with what the clinic's admins are told."""

    alert_id: int
    participant_id: int
    clinic_id: int
    display_name: str
    severity: str
    created_at: dt.datetime
    delay_minutes: int
    zone: ZoneInfo


def escalate(uow: UnitOfWork, *, now: dt.datetime) -> list[Escalated]:
    """Mark the emergency and urgent alerts nobody acknowledged within their clinic's delay as escalated.

    The update is conditional (`escalated_at IS NULL`): when two runners race, only the one whose update changed
    the row reports it, so the clinic's admins are told once."""
    candidates = uow.connection.execute(
        sa.select(
            alerts.c.id,
            alerts.c.participant_id,
            alerts.c.severity,
            alerts.c.created_at,
            participants.c.clinic_id,
            participants.c.display_name,
            clinics.c.escalation_minutes,
            clinics.c.time_zone,
        )
        .join(participants, participants.c.id == alerts.c.participant_id)
        .join(clinics, clinics.c.id == participants.c.clinic_id)
        .where(
            alerts.c.severity.in_(sorted(attention.ESCALATING)),
            alerts.c.acknowledged_at.is_(None),
            alerts.c.escalated_at.is_(None),
        )
        .order_by(alerts.c.id)
    ).all()
    escalated: list[Escalated] = []
    for row in candidates:
        delay = dt.timedelta(minutes=row.escalation_minutes)
        due = attention.escalations([(str(row.id), row.severity, row.created_at, None, None)], now=now, delay=delay)
        if not due:
            continue
        changed = uow.connection.execute(
            alerts.update().where(alerts.c.id == row.id, alerts.c.escalated_at.is_(None)).values(escalated_at=now)
        ).rowcount
        if changed == 1:
            escalated.append(
                Escalated(
                    alert_id=row.id,
                    participant_id=row.participant_id,
                    clinic_id=row.clinic_id,
                    display_name=row.display_name,
                    severity=row.severity,
                    created_at=row.created_at,
                    delay_minutes=row.escalation_minutes,
                    zone=ZoneInfo(row.time_zone),
                )
            )
    return escalated
