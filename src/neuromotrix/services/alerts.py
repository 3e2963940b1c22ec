"""Needs-attention alerts: raised once per key, listed for the people who may see the participant, acknowledged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from neuromotrix.adapters.db.tables import alerts, participants
from neuromotrix.domain.alerts import Alert
from neuromotrix.domain.errors import NotFound
from neuromotrix.services.access import Actor, require_staff, visible_participants
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

SEVERITY_ORDER = {"emergency": 0, "urgent": 1, "warning": 2, "info": 3}


def insert_ignoring_duplicates(uow: UnitOfWork, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping those that clash with a unique key (several workers may raise the same thing)."""
    if not rows:
        return 0
    dialect = postgresql if uow.dialect == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing().returning(table.c.id)
    # RETURNING gives the rows really inserted on both backends (psycopg reports no rowcount for a batch).
    return len(uow.connection.execute(statement, rows).all())


def raise_alerts(uow: UnitOfWork, participant_id: int, raised: Sequence[Alert], *, now: dt.datetime) -> int:
    rows = [
        {
            "participant_id": participant_id,
            "kind": alert.kind,
            "severity": alert.severity,
            "message_en": alert.message.en[:1000],
            "message_fr": alert.message.fr[:1000],
            "key": alert.key[:200],
            "exercise_id": alert.exercise_id,
            "created_at": now,
        }
        for alert in raised
    ]
    return insert_ignoring_duplicates(uow, alerts, rows)


def list_alerts(
    uow: UnitOfWork,
    actor: Actor,
    *,
    participant_id: int | None,
    open_only: bool,
    offset: int,
    limit: int,
) -> tuple[list[sa.Row[Any]], int]:
    """Alerts of the participants the actor may see, most severe and newest first."""
    visible = sa.select(participants.c.id).where(visible_participants(actor))
    where: list[sa.ColumnElement[bool]] = [alerts.c.participant_id.in_(visible)]
    if participant_id is not None:
        where.append(alerts.c.participant_id == participant_id)
    if open_only:
        where.append(alerts.c.acknowledged_at.is_(None))
    severity_rank = sa.case(SEVERITY_ORDER, value=alerts.c.severity, else_=9)
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(alerts).where(*where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(alerts)
        .where(*where)
        .order_by(severity_rank, alerts.c.created_at.desc(), alerts.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def acknowledge(uow: UnitOfWork, actor: Actor, alert_id: int, *, now: dt.datetime) -> sa.Row[Any]:
    require_staff(actor)
    visible = sa.select(participants.c.id).where(visible_participants(actor))
    row = uow.connection.execute(
        sa.select(alerts).where(alerts.c.id == alert_id, alerts.c.participant_id.in_(visible))
    ).first()
    if row is None:
        raise NotFound("alert")
    if row.acknowledged_at is None:
        uow.connection.execute(
            alerts.update().where(alerts.c.id == alert_id).values(acknowledged_by=actor.user_id, acknowledged_at=now)
        )
        audit_change(
            uow, AuditRecord(now, actor.user_id, actor.email, "update", "alert", str(alert_id), row.participant_id)
        )
    return uow.connection.execute(sa.select(alerts).where(alerts.c.id == alert_id)).one()
