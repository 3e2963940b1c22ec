"""A participant's history and progress, for their pages: sessions and check-ins with who entered them, adherence,
and the series the progress charts draw (ratings before and after each session, injections, adherence by week).

Read-only; each function checks first that the actor may see the participant (NotFound otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import scheduled_sessions, session_logs, users
from neuromotrix.domain import attention
from neuromotrix.services import attendance, records, session_flow
from neuromotrix.services import session_logs as logs_service
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.participant_view import clinic_of, local_day
from neuromotrix.services.unit_of_work import UnitOfWork

PROGRESS_DAYS = 90  # about one botulinum toxin cycle (attention.yaml adherence_windows_days)
PROGRESS_WEEKS = 12


@dataclass(frozen=True)
class EnteredBy:
    name: str | None  # None: the account no longer exists
    role: str  # participant, caregiver, trainer or admin, as it was when the entry was made


@dataclass(frozen=True)
class History:
    sessions: list[dict[str, Any]]  # session logs, newest first, each with `blocks` and `entered`
    sessions_total: int
    checkins: list[dict[str, Any]]  # check-ins, newest first, each with `entered`
    checkins_total: int
    adherence: dict[str, Any]  # session_flow.adherence


@dataclass(frozen=True)
class SymptomPoint:
    performed_on: dt.date
    before: dict[str, int | None]  # pain, dystonia, fatigue before the session
    after: dict[str, int | None]  # and after (None when the session stopped before the end)


@dataclass(frozen=True)
class WeekAdherence:
    start: dt.date
    end: dt.date
    scheduled: int
    attended: int

    @property
    def rate(self) -> float | None:
        return None if self.scheduled == 0 else self.attended / self.scheduled


@dataclass(frozen=True)
class Progress:
    start: dt.date
    end: dt.date
    points: list[SymptomPoint]  # oldest first
    injections: list[dict[str, Any]]  # injected_on, regions; oldest first, within [start, end]
    weeks: list[WeekAdherence]  # oldest first


def history(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    now: dt.datetime,
    sessions_offset: int,
    checkins_offset: int,
    limit: int,
) -> History:
    sessions, sessions_total = logs_service.list_session_logs(
        uow, actor, participant_id, offset=sessions_offset, limit=limit
    )
    checks, checkins_total = logs_service.list_checkins(uow, actor, participant_id, offset=checkins_offset, limit=limit)
    names = _names(uow, {item["entered_by"] for item in [*sessions, *checks] if item["entered_by"] is not None})
    for item in [*sessions, *checks]:
        item["entered"] = EnteredBy(names.get(item["entered_by"]), item["entered_as"])
    return History(
        sessions=sessions,
        sessions_total=sessions_total,
        checkins=checks,
        checkins_total=checkins_total,
        adherence=session_flow.adherence(uow, actor, participant_id, now=now),
    )


def _names(uow: UnitOfWork, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = uow.connection.execute(sa.select(users.c.id, users.c.name).where(users.c.id.in_(sorted(user_ids))))
    return {int(row.id): str(row.name) for row in rows}


def progress(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> Progress:
    participant_row(uow, actor, participant_id)
    end = local_day(clinic_of(uow, participant_id), now)
    start = end - dt.timedelta(days=PROGRESS_DAYS - 1)
    rows = uow.connection.execute(
        sa.select(session_logs)
        .where(
            session_logs.c.participant_id == participant_id,
            session_logs.c.performed_on >= start,
            session_logs.c.performed_on <= end,
        )
        .order_by(session_logs.c.performed_on, session_logs.c.id)
    ).all()
    points = [
        SymptomPoint(
            performed_on=row.performed_on,
            before={"pain": row.pre_pain, "dystonia": row.pre_dystonia, "fatigue": row.pre_fatigue},
            after={"pain": row.post_pain, "dystonia": row.post_dystonia, "fatigue": row.post_fatigue},
        )
        for row in rows
    ]
    found, _ = records.list_injections(uow, actor, participant_id, offset=0, limit=1000)
    injections = sorted(
        ({"injected_on": item["injected_on"], "regions": list(item["regions"])} for item in found
         if start <= item["injected_on"] <= end),
        key=lambda item: item["injected_on"],
    )  # fmt: skip
    return Progress(start, end, points, injections, weekly_adherence(uow, participant_id, end))


def weekly_adherence(uow: UnitOfWork, participant_id: int, today: dt.date) -> list[WeekAdherence]:
    """Sessions done out of sessions planned in each of the last weeks (7 days ending today, then the 7 before...),
    counted as the adherence route counts them (services/attendance.py: today's session counts once done, a
    session skipped for pulling or pain while the toxin wears off leaves the count)."""
    since = today - dt.timedelta(days=7 * PROGRESS_WEEKS)
    planned = uow.connection.execute(
        sa.select(scheduled_sessions.c.scheduled_on).where(
            scheduled_sessions.c.participant_id == participant_id, scheduled_sessions.c.scheduled_on > since
        )
    ).scalars()
    sessions = [(day.isoformat(), day) for day in planned]
    found = attendance.read(uow, participant_id, since=since + dt.timedelta(days=1))
    weeks = []
    for back in range(PROGRESS_WEEKS - 1, -1, -1):
        end = today - dt.timedelta(days=7 * back)
        window = attention.adherence(
            sessions, found.attended, today=end, days=7, excused=found.excused, skipped=found.skipped
        )
        weeks.append(WeekAdherence(window.start, window.end, window.scheduled, window.attended))
    return weeks
