"""Reading the audit log (clinic admins): filters, newest first, a page at a time.

The audit log has no clinic column (a record must outlive accounts and participants), so a clinic's part of it
is found through what the records name: an actor who is a user of the clinic, a participant of the clinic (or
one erased after an erasure request of the clinic), or a user of the clinic as the object. The caller audits
the read itself (`pages/admin_audit.py`): reading the log is recorded in the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
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
        raise InvalidRequest("The start date is after the end date; swap them or change one.", field=("date_from",))
    if wanted.date_from is not None:
        conditions.append(audit_log.c.at >= _day_start(wanted.date_from, zone))
    if wanted.date_to is not None:
        conditions.append(audit_log.c.at < _day_start(wanted.date_to + dt.timedelta(days=1), zone))
    return sa.and_(*conditions)


def search(
    uow: UnitOfWork, actor: Actor, wanted: AuditFilter, *, time_zone: str, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """The clinic's audit records matching the filters, newest first, and how many match in all."""
    require_admin(actor)
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidRequest(f"Ask for 1 to {MAX_LIMIT} records from offset 0 or more.", field=("limit",))
    where = _where(actor, wanted, time_zone)
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(audit_log).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(audit_log).where(where).order_by(audit_log.c.id.desc()).offset(offset).limit(limit)
    ).all()
    return [dict(row._mapping) for row in rows], int(total)


def choices(uow: UnitOfWork, actor: Actor) -> tuple[list[str], list[str]]:
    """The actions and object types found in the log, for the filter lists. They are the application's own words
    (`read`, `participant`...), the same for every clinic, so the whole log is read without the clinic's scope."""
    require_admin(actor)
    actions = uow.connection.execute(sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action)).scalars()
    kinds = uow.connection.execute(
        sa.select(audit_log.c.object_type).distinct().order_by(audit_log.c.object_type)
    ).scalars()
    return [str(value) for value in actions], [str(value) for value in kinds]
