"""Everything stored about one participant, as one JSON document (data portability, Québec Law 25 s. 27).

The document has stable keys: each section is named after what it holds, and each record keeps the column names
of the database (docs/privacy.md lists them). Dates and times are ISO 8601 (times in UTC), clearance documents
are base64. A table added later that names a participant (`participant_id`) appears under `other_records`
without a change here. The audit log is left out: it records who did what, and is read by the clinic admin.

Who may export: a clinic admin (any participant of the clinic) and the participant themself; anyone else who
may see the participant is refused (403), anyone who may not is told it does not exist (404). Every export is
audited in the same transaction as it is read.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.domain.errors import Forbidden
from neuromotrix.services import consent
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

FORMAT = "neuromotrix-participant-export"
FORMAT_VERSION = 1
SECRET_COLUMNS = frozenset({"password_hash", "totp_secret", "token_hash"})
DELIVERY_COLUMNS = frozenset({"claimed_by", "claimed_until", "attempts", "last_error"})
# Tables written out in their own section (or on purpose not at all: the audit log).
SECTIONED = frozenset({
    "participants", "profile_versions", "screenings", "injections", "clearances", "program_versions",
    "scheduled_sessions", "session_logs", "checkins", "alerts", "notifications", "caregiver_links", "assignments",
    "invitations", "erasure_requests", "audit_log",
})  # fmt: skip


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _record(mapping: Mapping[Any, Any], *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    dropped = SECRET_COLUMNS | DELIVERY_COLUMNS | set(leave_out)
    return {str(key): _value(value) for key, value in mapping.items() if key not in dropped}


def _rows(uow: UnitOfWork, query: sa.Select[Any], *, leave_out: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [_record(row._mapping, leave_out=leave_out) for row in uow.connection.execute(query)]


def _of(table: sa.Table, participant_id: int, *order: sa.ColumnElement[Any]) -> sa.Select[Any]:
    return sa.select(table).where(table.c.participant_id == participant_id).order_by(*(order or (table.c.id,)))


def may_export(actor: Actor, participant: sa.Row[Any]) -> None:
    if actor.role == "admin" or (actor.role == "participant" and participant.user_id == actor.user_id):
        return
    raise Forbidden(
        "Only a clinic admin or the participant themself may export all of a participant's data.",
        fr=(
            "Seul un administrateur de la clinique ou le participant lui-même peut exporter toutes les données d'un "
            "participant."
        ),
    )


def export_participant(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> dict[str, Any]:
    """The whole document (the caller serialises it with `to_json`). Audited as an `export`."""
    participant = participant_row(uow, actor, participant_id)  # 404 first: nothing about others leaks
    may_export(actor, participant)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _value(now),
        "participant": _participant(uow, participant),
        "account": _account(uow, participant.user_id),
        **_health_records(uow, participant_id),
        **_people(uow, participant_id),
        "notifications": _notifications(uow, participant_id, participant.user_id),
        "consents": [] if participant.user_id is None else _consents(uow, int(participant.user_id)),
        "erasure_requests": _rows(uow, _of(t.erasure_requests, participant_id)),
        "other_records": _other_records(uow, participant_id),
    }
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "export", "participant", str(participant_id), participant_id),
    )
    return document


def to_json(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def file_name(participant_id: int, today: dt.date) -> str:
    return f"neuromotrix-participant-{participant_id}-{today.isoformat()}.json"


def _participant(uow: UnitOfWork, participant: sa.Row[Any]) -> dict[str, Any]:
    clinic = uow.connection.execute(sa.select(t.clinics.c.name).where(t.clinics.c.id == participant.clinic_id))
    return _record(participant._mapping) | {"clinic_name": clinic.scalar_one()}


def _account(uow: UnitOfWork, user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    row = uow.connection.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
    return None if row is None else _record(row._mapping, leave_out=("totp_enabled",))


def _health_records(uow: UnitOfWork, participant_id: int) -> dict[str, Any]:
    programs = _rows(uow, _of(t.program_versions, participant_id, t.program_versions.c.version))
    sessions = _rows(uow, _of(t.scheduled_sessions, participant_id, t.scheduled_sessions.c.scheduled_on))
    for program in programs:
        program["plan"] = json.loads(program["plan"])
        program["scheduled_sessions"] = [item for item in sessions if item["program_version_id"] == program["id"]]
    logs = _rows(uow, _of(t.session_logs, participant_id, t.session_logs.c.performed_on, t.session_logs.c.id))
    blocks = _rows(
        uow,
        sa.select(t.block_logs)
        .join(t.session_logs, t.session_logs.c.id == t.block_logs.c.session_log_id)
        .where(t.session_logs.c.participant_id == participant_id)
        .order_by(t.block_logs.c.session_log_id, t.block_logs.c.position),
    )
    for log in logs:
        log["blocks"] = [block for block in blocks if block["session_log_id"] == log["id"]]
    return {
        "profile_versions": _rows(uow, _of(t.profile_versions, participant_id, t.profile_versions.c.version)),
        "screenings": _rows(uow, _of(t.screenings, participant_id)),
        "injections": _rows(uow, _of(t.injections, participant_id, t.injections.c.injected_on, t.injections.c.id)),
        "clearances": _rows(uow, _of(t.clearances, participant_id, t.clearances.c.cleared_on, t.clearances.c.id)),
        "programs": programs,
        "session_logs": logs,
        "checkins": _rows(uow, _of(t.checkins, participant_id, t.checkins.c.checked_on, t.checkins.c.id)),
        "alerts": _rows(uow, _of(t.alerts, participant_id)),
    }


def _people(uow: UnitOfWork, participant_id: int) -> dict[str, Any]:
    """Who looks after the participant, with the consent recorded for each caregiver, and their invitations."""
    caregivers = _rows(
        uow,
        sa.select(t.caregiver_links, t.users.c.name.label("caregiver_name"), t.users.c.email.label("caregiver_email"))
        .join(t.users, t.users.c.id == t.caregiver_links.c.caregiver_id)
        .where(t.caregiver_links.c.participant_id == participant_id)
        .order_by(t.caregiver_links.c.caregiver_id),
    )
    trainers = _rows(
        uow,
        sa.select(t.assignments, t.users.c.name.label("trainer_name"), t.users.c.email.label("trainer_email"))
        .join(t.users, t.users.c.id == t.assignments.c.trainer_id)
        .where(t.assignments.c.participant_id == participant_id)
        .order_by(t.assignments.c.trainer_id),
    )
    return {
        "caregivers": caregivers,
        "trainers": trainers,
        "invitations": _rows(uow, _of(t.invitations, participant_id)),
    }


def _notifications(uow: UnitOfWork, participant_id: int, user_id: int | None) -> list[dict[str, Any]]:
    """Messages about the participant (to anyone), and every message to the participant's own account."""
    about = t.notifications.c.participant_id == participant_id
    where = about if user_id is None else sa.or_(about, t.notifications.c.user_id == user_id)
    return _rows(uow, sa.select(t.notifications).where(where).order_by(t.notifications.c.id))


def _consents(uow: UnitOfWork, user_id: int) -> list[dict[str, Any]]:
    return [_record(item) for item in consent.acceptances_of_user(uow, user_id)]


def _other_records(uow: UnitOfWork, participant_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every other table that names a participant, whole rows (tables added after this module was written)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in t.metadata.sorted_tables:
        if table.name in SECTIONED or "participant_id" not in table.c:
            continue
        order = list(table.primary_key.columns)
        found[table.name] = _rows(
            uow, sa.select(table).where(table.c.participant_id == participant_id).order_by(*order)
        )
    return found
