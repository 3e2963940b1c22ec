"""A trainer's caseload at a glance: every participant they may see, with adherence over 7 and 30 days, the last
session logged, open alerts by severity and where their program stands.

Two queries whatever the caseload's size: one for the participants and their counts, one for the scheduled and
logged days of the adherence windows, which the domain's own adherence rule then counts (domain/attention.py,
the same rule as `session_flow.adherence`), so the dashboard and the participant page never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import (
    alerts,
    clinics,
    participants,
    program_versions,
    scheduled_sessions,
    screenings,
    session_logs,
    users,
)
from neuromotrix.domain import attention
from neuromotrix.services.access import Actor, visible_participants
from neuromotrix.services.alerts import SEVERITY_ORDER
from neuromotrix.services.unit_of_work import UnitOfWork

# BRIEF §4.4 "weekly adherence" and a month that smooths a bad week (catalog/rules/attention.yaml): the dashboard's
# columns. The participant page shows every window of attention.yaml, 90 days included.
CASELOAD_WINDOWS: tuple[int, ...] = (7, 30)
SORT_KEYS: tuple[str, ...] = ("attention", "name", "adherence_7", "adherence_30", "last_session", "program")


@dataclass(frozen=True)
class CaseloadEntry:
    participant_id: int
    name: str
    language: str
    active_version: int | None
    draft_version: int | None  # a regenerated or edited draft waiting for approval
    screening: str | None  # the latest screening outcome: ready, needs_clearance, blocked
    last_session_on: dt.date | None
    adherence: dict[int, attention.Adherence] = field(default_factory=dict)  # by window length in days
    open_alerts: dict[str, int] = field(default_factory=dict)  # by severity, most severe first

    @property
    def open_alert_total(self) -> int:
        return sum(self.open_alerts.values())

    @property
    def attention_rank(self) -> tuple[int, ...]:
        """Lower first: the most severe open alerts, then the most of them."""
        return tuple(-self.open_alerts.get(severity, 0) for severity in SEVERITY_ORDER)

    def rate(self, days: int) -> float | None:
        window = self.adherence.get(days)
        return None if window is None else window.rate


def clinic_time_zone(uow: UnitOfWork, clinic_id: int) -> str:
    """The clinic's time zone (America/Montreal unless the clinic set another)."""
    zone: str = uow.connection.execute(sa.select(clinics.c.time_zone).where(clinics.c.id == clinic_id)).scalar_one()
    return zone


def caseload(
    uow: UnitOfWork,
    actor: Actor,
    *,
    today: dt.date,
    windows: Sequence[int] = CASELOAD_WINDOWS,
    participant_id: int | None = None,
) -> list[CaseloadEntry]:
    """The participants the actor may see (a trainer: those assigned; an admin: the clinic), by name."""
    where: list[sa.ColumnElement[bool]] = [visible_participants(actor)]
    if participant_id is not None:
        where.append(participants.c.id == participant_id)
    visible = sa.select(participants.c.id).where(*where)
    rows = uow.connection.execute(_summary_query(visible, where)).all()
    days_by_participant = _adherence_days(uow, visible, today=today, longest=max(windows, default=1))
    entries = []
    for row in rows:
        scheduled, attended = days_by_participant.get(row.id, ([], set()))
        summary = attention.adherence_summary(scheduled, attended, today=today, windows=windows)
        entries.append(
            CaseloadEntry(
                participant_id=row.id,
                name=row.display_name,
                language=row.language,
                active_version=row.active_version,
                draft_version=row.draft_version,
                screening=row.screening,
                last_session_on=row.last_session_on,
                adherence={window.days: window for window in summary},
                open_alerts={level: int(row._mapping[level]) for level in SEVERITY_ORDER if row._mapping[level]},
            )
        )
    return entries


def _summary_query(visible: sa.Select[Any], where: list[sa.ColumnElement[bool]]) -> sa.Select[Any]:
    """One row per visible participant: latest versions, latest screening, last log, open alerts by severity."""
    last_log = (
        sa.select(session_logs.c.participant_id, sa.func.max(session_logs.c.performed_on).label("last_session_on"))
        .where(session_logs.c.participant_id.in_(visible))
        .group_by(session_logs.c.participant_id)
        .subquery()
    )
    open_alerts = (
        sa.select(
            alerts.c.participant_id,
            *(
                sa.func.sum(sa.case((alerts.c.severity == severity, 1), else_=0)).label(severity)
                for severity in SEVERITY_ORDER
            ),
        )
        .where(alerts.c.participant_id.in_(visible), alerts.c.acknowledged_at.is_(None))
        .group_by(alerts.c.participant_id)
        .subquery()
    )
    versions = (
        sa.select(
            program_versions.c.participant_id,
            sa.func.max(sa.case((program_versions.c.status == "active", program_versions.c.version))).label(
                "active_version"
            ),
            sa.func.max(sa.case((program_versions.c.status == "draft", program_versions.c.version))).label(
                "draft_version"
            ),
        )
        .where(program_versions.c.participant_id.in_(visible))
        .group_by(program_versions.c.participant_id)
        .subquery()
    )
    latest_screening = (
        sa.select(screenings.c.outcome)
        .where(screenings.c.participant_id == participants.c.id)
        .order_by(screenings.c.created_at.desc(), screenings.c.id.desc())
        .limit(1)
        .correlate(participants)
        .scalar_subquery()
    )
    return (
        sa.select(
            participants.c.id,
            participants.c.display_name,
            participants.c.language,
            versions.c.active_version,
            versions.c.draft_version,
            latest_screening.label("screening"),
            last_log.c.last_session_on,
            *(open_alerts.c[severity] for severity in SEVERITY_ORDER),
        )
        .select_from(
            participants.outerjoin(last_log, last_log.c.participant_id == participants.c.id)
            .outerjoin(open_alerts, open_alerts.c.participant_id == participants.c.id)
            .outerjoin(versions, versions.c.participant_id == participants.c.id)
        )
        .where(*where)
        .order_by(participants.c.display_name, participants.c.id)
    )


def _adherence_days(
    uow: UnitOfWork, visible: sa.Select[Any], *, today: dt.date, longest: int
) -> dict[int, tuple[list[attention.ScheduledSession], set[str]]]:
    """Scheduled and logged days of the longest window, per participant, in one query. Sessions are identified by
    their date, as `session_flow.adherence` does."""
    since = today - dt.timedelta(days=longest - 1)
    scheduled = sa.select(
        scheduled_sessions.c.participant_id.label("participant_id"),
        scheduled_sessions.c.scheduled_on.label("day"),
        sa.literal("scheduled").label("kind"),
    ).where(
        scheduled_sessions.c.participant_id.in_(visible),
        scheduled_sessions.c.scheduled_on >= since,
        scheduled_sessions.c.scheduled_on <= today,
    )
    logged = sa.select(
        session_logs.c.participant_id.label("participant_id"),
        session_logs.c.performed_on.label("day"),
        sa.literal("logged").label("kind"),
    ).where(
        session_logs.c.participant_id.in_(visible),
        session_logs.c.performed_on >= since,
        session_logs.c.performed_on <= today,
    )
    found: dict[int, tuple[list[attention.ScheduledSession], set[str]]] = {}
    for row in uow.connection.execute(sa.union_all(scheduled, logged)).all():
        days, attended = found.setdefault(row.participant_id, ([], set()))
        day = row.day if isinstance(row.day, dt.date) else dt.date.fromisoformat(str(row.day))
        if row.kind == "scheduled":
            days.append((day.isoformat(), day))
        else:
            attended.add(day.isoformat())
    return found


def sort_caseload(entries: Sequence[CaseloadEntry], key: str, *, descending: bool) -> list[CaseloadEntry]:
    """Sorted by one of SORT_KEYS; participants without a value (no sessions yet) always come last."""
    by_name = sorted(entries, key=lambda entry: (entry.name.casefold(), entry.participant_id))
    if key == "name":
        return by_name[::-1] if descending else by_name
    if key == "attention":
        ranked = sorted(by_name, key=lambda entry: (entry.attention_rank, _lowest_rate(entry)))
        return ranked[::-1] if descending else ranked
    value = _SORT_VALUES[key]
    known = [entry for entry in by_name if value(entry) is not None]
    unknown = [entry for entry in by_name if value(entry) is None]
    return sorted(known, key=value, reverse=descending) + unknown


def _lowest_rate(entry: CaseloadEntry) -> float:
    rates = [rate for days in entry.adherence if (rate := entry.rate(days)) is not None]
    return min(rates, default=1.0)


PROGRAM_ORDER = {"blocked": 0, "needs_clearance": 1, "draft": 2, "none": 3, "ready": 4}


def program_state(entry: CaseloadEntry) -> str:
    """Where the program stands, worst first: blocked, needs clearance, a draft to approve, none yet, running."""
    if entry.screening in ("blocked", "needs_clearance"):
        return entry.screening
    if entry.draft_version is not None:
        return "draft"
    return "ready" if entry.active_version is not None else "none"


_SORT_VALUES: dict[str, Callable[[CaseloadEntry], Any]] = {
    "adherence_7": lambda entry: entry.rate(7),
    "adherence_30": lambda entry: entry.rate(30),
    "last_session": lambda entry: entry.last_session_on,
    "program": lambda entry: PROGRAM_ORDER[program_state(entry)],
}


def staff_names(uow: UnitOfWork, actor: Actor, user_ids: Sequence[int | None]) -> dict[int, str]:
    """The names of the accounts of the actor's clinic among `user_ids` (who made a version, recorded a record)."""
    wanted = sorted({user_id for user_id in user_ids if user_id is not None})
    if not wanted:
        return {}
    rows = uow.connection.execute(
        sa.select(users.c.id, users.c.name).where(users.c.id.in_(wanted), users.c.clinic_id == actor.clinic_id)
    ).all()
    return {row.id: row.name for row in rows}
