"""Reading the audit log (clinic admins): filters, newest first, a page at a time (keyset pagination on the
record id, a count capped at COUNT_CAP: no page view reads the whole log).

The audit log has no clinic column (a record must outlive accounts and participants), so a clinic's part of it
is found through what the records name: an actor who is a user of the clinic, a participant of the clinic (or
one erased after an erasure request of the clinic), or a user of the clinic as the object. The caller audits
the read itself (`pages/admin_audit.py`): reading the log is recorded in the log.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import audit_log, erasure_requests, participants, users
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.services.access import Actor, require_admin
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_LIMIT = 200


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of the actor's email (or `cli`, `system`...), any case
    participant_id: int | None = None
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None  # the clinic's calendar days, both included
    date_to: dt.date | None = None

    def describe(self) -> str:
        """The filters in a line, for the audit record of the read."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("actor", self.actor),
                ("participant", self.participant_id),
                ("action", self.action),
                ("object", self.object_type),
                ("from", self.date_from),
                ("to", self.date_to),
            )
            if value not in ("", None)
        ]
        return "; ".join(parts) or "no filter"


def _clinic_scope(clinic_id: int) -> sa.ColumnElement[bool]:
    clinic_users = sa.select(users.c.id).where(users.c.clinic_id == clinic_id)
    clinic_participants = sa.select(participants.c.id).where(participants.c.clinic_id == clinic_id)
    erased = sa.select(erasure_requests.c.participant_id).where(erasure_requests.c.clinic_id == clinic_id)
    user_objects = sa.select(sa.cast(users.c.id, sa.String)).where(users.c.clinic_id == clinic_id)
    return sa.or_(
        audit_log.c.actor_id.in_(clinic_users),
        audit_log.c.participant_id.in_(clinic_participants),
        audit_log.c.participant_id.in_(erased),
        sa.and_(audit_log.c.object_type == "user", audit_log.c.object_id.in_(user_objects)),
    )


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _where(actor: Actor, wanted: AuditFilter, time_zone: str) -> sa.ColumnElement[bool]:
    conditions: list[sa.ColumnElement[bool]] = [_clinic_scope(actor.clinic_id)]
    if wanted.actor.strip():
        pattern = "%" + wanted.actor.strip().lower().replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
        conditions.append(sa.func.lower(audit_log.c.actor).like(pattern, escape="\\"))
    if wanted.participant_id is not None:
        conditions.append(audit_log.c.participant_id == wanted.participant_id)
    if wanted.action:
        conditions.append(audit_log.c.action == wanted.action)
    if wanted.object_type:
        conditions.append(audit_log.c.object_type == wanted.object_type)
    zone = ZoneInfo(time_zone)
    if wanted.date_from is not None and wanted.date_to is not None and wanted.date_from > wanted.date_to:
        raise InvalidRequest(
            "The start date is after the end date; swap them or change one.",
            fr="La date de début est après la date de fin; inversez-les ou changez-en une.",
            field=("date_from",),
        )
    if wanted.date_from is not None:
        conditions.append(audit_log.c.at >= _day_start(wanted.date_from, zone))
    if wanted.date_to is not None:
        conditions.append(audit_log.c.at < _day_start(wanted.date_to + dt.timedelta(days=1), zone))
    return sa.and_(*conditions)


COUNT_CAP = 10_000  # a count stops here: past it the page says "more than 10,000"
CHOICES_SECONDS = 300  # the filter lists are read again at most every 5 minutes (per process and database)


@dataclass(frozen=True)
class AuditPage:
    """One page of records, newest first, with the cursors of its neighbours (keyset pagination: a page costs
    the same at any depth of the log, where an offset would read every record before it)."""

    items: list[dict[str, Any]]
    total: int  # how many records match, counted up to COUNT_CAP
    more: bool  # more than COUNT_CAP match
    newer: int | None  # `after` for the page of newer records, None on the newest page
    older: int | None  # `before` for the page of older records, None on the oldest page


def search(
    uow: UnitOfWork,
    actor: Actor,
    wanted: AuditFilter,
    *,
    time_zone: str,
    limit: int,
    before: int | None = None,
    after: int | None = None,
) -> AuditPage:
    """The clinic's audit records matching the filters, newest first: the newest `limit`, those just older than
    record `before`, or those just newer than record `after`; and how many match in all (up to COUNT_CAP)."""
    require_admin(actor)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(
            f"Ask for 1 to {MAX_LIMIT} records.", fr=f"Demandez de 1 à {MAX_LIMIT} entrées.", field=("limit",)
        )
    where = _where(actor, wanted, time_zone)
    # The database counts, and stops counting at the cap: a count never reads the whole log.
    capped = sa.select(audit_log.c.id).where(where).limit(COUNT_CAP + 1).subquery()
    counted = int(uow.connection.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())
    query = sa.select(audit_log).where(where)
    if after is not None:
        rows = uow.connection.execute(
            query.where(audit_log.c.id > after).order_by(audit_log.c.id.asc()).limit(limit + 1)
        ).all()
        has_newer = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        has_older = True
    else:
        if before is not None:
            query = query.where(audit_log.c.id < before)
        rows = uow.connection.execute(query.order_by(audit_log.c.id.desc()).limit(limit + 1)).all()
        has_older = len(rows) > limit
        rows = rows[:limit]
        has_newer = before is not None and _exists(uow, where, audit_log.c.id >= before)
    items = [dict(row._mapping) for row in rows]
    return AuditPage(
        items=items,
        total=min(counted, COUNT_CAP),
        more=counted > COUNT_CAP,
        newer=items[0]["id"] if items and has_newer else None,
        older=items[-1]["id"] if items and has_older else None,
    )


def _exists(uow: UnitOfWork, where: sa.ColumnElement[bool], condition: sa.ColumnElement[bool]) -> bool:
    return uow.connection.execute(sa.select(audit_log.c.id).where(where, condition).limit(1)).first() is not None


_CHOICES: WeakKeyDictionary[sa.Engine, tuple[float, list[str], list[str]]] = WeakKeyDictionary()
_CHOICES_LOCK = Lock()


def choices(uow: UnitOfWork, actor: Actor, *, now: float | None = None) -> tuple[list[str], list[str]]:
    """The actions and object types found in the log, for the filter lists. They are the application's own words
    (`read`, `participant`...), the same for every clinic, so they are read without the clinic's scope, and kept
    for CHOICES_SECONDS: listing them reads the whole log, which a page view must not do every time. `now`:
    seconds on a monotonic clock (time.monotonic() by default)."""
    require_admin(actor)
    moment = time.monotonic() if now is None else now
    engine = uow.connection.engine
    with _CHOICES_LOCK:
        cached = _CHOICES.get(engine)
    if cached is not None and moment - cached[0] < CHOICES_SECONDS:
        return list(cached[1]), list(cached[2])
    actions = uow.connection.execute(sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action)).scalars()
    kinds = uow.connection.execute(
        sa.select(audit_log.c.object_type).distinct().order_by(audit_log.c.object_type)
    ).scalars()
    found = [str(value) for value in actions], [str(value) for value in kinds]
    with _CHOICES_LOCK:
        _CHOICES[engine] = (moment, *found)
    return list(found[0]), list(found[1])
