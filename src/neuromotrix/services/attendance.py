"""Which planned sessions a participant attended, and which skips are excused, read from the records.

Every adherence number (the adherence route, the trainer's progress page, the progress report, the drop alert)
counts the same way (`domain/attention.py` `attendance`): a day with a block done is attended; a log whose every
block was skipped is a missed session, unless it was skipped for pulling or pain while the toxin wears off
(BRIEF §5.2), which leaves the count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import block_logs, injections, profile_versions, session_logs
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import attention
from neuromotrix.domain.alerts import StopReason
from neuromotrix.domain.flares import SessionOutcome
from neuromotrix.services.unit_of_work import UnitOfWork

# Whether a log did anything: one block done or partly done, or no block detail at all (a log that lists its blocks
# and skipped every one of them is the only kind of skip).
_ANY_BLOCK = sa.exists().where(block_logs.c.session_log_id == session_logs.c.id)
_A_BLOCK_DONE = sa.exists().where(block_logs.c.session_log_id == session_logs.c.id, block_logs.c.status != "skipped")
SOMETHING_DONE = sa.or_(~_ANY_BLOCK, _A_BLOCK_DONE).label("something_done")


def something_done(session: SessionOutcome) -> bool:
    """`SOMETHING_DONE` for a logged session already read."""
    return not session.blocks or any(block.status != "skipped" for block in session.blocks)


def logged_day(row: Any) -> attention.LoggedDay:
    """A row with `performed_on`, `something_done` and `stop_reason` as the domain reads it."""
    return row.performed_on, bool(row.something_done), cast(StopReason | None, row.stop_reason)


def attendance_of(logs: Iterable[attention.LoggedDay], injected_on: Iterable[dt.date]) -> attention.Attendance:
    return attention.attendance(logs, injections=list(injected_on), toxin=load_catalog().rules.toxin)


def read(uow: UnitOfWork, participant_id: int, *, since: dt.date) -> attention.Attendance:
    """Attendance from `since` on: the logs with whether each did anything, and the injection dates."""
    logs = uow.connection.execute(
        sa.select(session_logs.c.performed_on, session_logs.c.stop_reason, SOMETHING_DONE).where(
            session_logs.c.participant_id == participant_id, session_logs.c.performed_on >= since
        )
    ).all()
    injected = injection_dates(uow, participant_id).get(participant_id, set())
    return attendance_of((logged_day(row) for row in logs), injected)


def injection_dates(uow: UnitOfWork, participant_id: int | None = None) -> dict[int, set[dt.date]]:
    """Every toxin injection date by participant (one participant, or all): the recorded ones and those of the
    current profile (an injection given before intake is only there; a recorded one is in both)."""
    recorded = sa.select(injections.c.participant_id, injections.c.injected_on)
    latest = sa.select(
        profile_versions.c.participant_id, sa.func.max(profile_versions.c.version).label("version")
    ).group_by(profile_versions.c.participant_id)
    if participant_id is not None:
        recorded = recorded.where(injections.c.participant_id == participant_id)
        latest = latest.where(profile_versions.c.participant_id == participant_id)
    current = latest.subquery()
    profiles = sa.select(profile_versions.c.participant_id, profile_versions.c.document).join(
        current,
        sa.and_(
            current.c.participant_id == profile_versions.c.participant_id,
            current.c.version == profile_versions.c.version,
        ),
    )
    found: dict[int, set[dt.date]] = {}
    for row in uow.connection.execute(recorded):
        found.setdefault(row.participant_id, set()).add(row.injected_on)
    for row in uow.connection.execute(profiles):
        for injection in (row.document.get("treatments") or {}).get("botulinum_toxin") or []:
            found.setdefault(row.participant_id, set()).add(dt.date.fromisoformat(str(injection["date"])))
    return found
