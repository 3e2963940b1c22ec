"""Administration from the shell (`neuromotrix user ...`): no signed-in actor, audited as `cli`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assignments, clinics, participants, users
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.services import accounts
from neuromotrix.services.access import ROLES
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

DEFAULT_CLINIC = "NeuroMotrix clinic"


def _clinic_id(uow: UnitOfWork, name: str, now: dt.datetime) -> int:
    wanted = name.strip()
    query = sa.select(clinics.c.id).order_by(clinics.c.id).limit(1)
    if wanted:
        query = query.where(clinics.c.name == wanted)
    found = uow.connection.execute(query).first()
    if found is not None:
        return int(found.id)
    return accounts.create_clinic(uow, wanted or DEFAULT_CLINIC, now=now)


def create_user_cli(
    uow: UnitOfWork, *, email: str, role: str, name: str, language: str, clinic: str, password: str, now: dt.datetime
) -> int:
    clinic_id = _clinic_id(uow, clinic, now)
    user_id = accounts.create_user(
        uow, clinic_id=clinic_id, email=email, name=name, role=role, now=now, password=password, language=language
    )
    audit_change(uow, AuditRecord(now, None, "cli", "create", "user", str(user_id)))
    return user_id


def all_users(uow: UnitOfWork) -> list[sa.Row[Any]]:
    return list(
        uow.connection.execute(
            sa.select(users, clinics.c.name.label("clinic"))
            .join(clinics, clinics.c.id == users.c.clinic_id)
            .order_by(users.c.id)
        ).all()
    )


def _user(uow: UnitOfWork, email: str) -> sa.Row[Any]:
    row = accounts.user_by_email(uow, email)
    if row is None:
        raise NotFound(f"user {email}")
    return row


def set_role(uow: UnitOfWork, email: str, role: str, *, now: dt.datetime) -> None:
    if role not in ROLES:
        raise InvalidRequest(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.", field=("role",))
    row = _user(uow, email)
    uow.connection.execute(users.update().where(users.c.id == row.id).values(role=role))
    accounts.revoke_sessions(uow, row.id, now=now)
    audit_change(uow, AuditRecord(now, None, "cli", "update", "user", str(row.id), None, f"role {row.role} -> {role}"))


def participant_by_reference(uow: UnitOfWork, reference: str) -> sa.Row[Any]:
    """A participant by id, or by their login email."""
    if reference.isdigit():
        row = uow.connection.execute(sa.select(participants).where(participants.c.id == int(reference))).first()
    else:
        row = uow.connection.execute(
            sa.select(participants)
            .join(users, users.c.id == participants.c.user_id)
            .where(users.c.email == reference.strip().lower())
        ).first()
    if row is None:
        raise NotFound(f"participant {reference}")
    return row


def assign_cli(uow: UnitOfWork, trainer_email: str, participant: str, *, now: dt.datetime) -> None:
    trainer = _user(uow, trainer_email)
    if trainer.role not in ("trainer", "admin"):
        raise InvalidRequest(f"{trainer_email} is a {trainer.role}; only trainers and admins follow participants.")
    person = participant_by_reference(uow, participant)
    if person.clinic_id != trainer.clinic_id:
        raise InvalidRequest("The trainer and the participant belong to different clinics.")
    exists = uow.connection.execute(
        sa.select(assignments.c.trainer_id).where(
            assignments.c.trainer_id == trainer.id, assignments.c.participant_id == person.id
        )
    ).first()
    if exists is None:
        uow.connection.execute(
            assignments.insert().values(trainer_id=trainer.id, participant_id=person.id, created_at=now)
        )
    audit_change(uow, AuditRecord(now, None, "cli", "update", "assignment", str(trainer.id), person.id))
