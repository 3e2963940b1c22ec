"""Participants, their trainers and caregivers, and their profiles with full version history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import (
    assignments,
    caregiver_links,
    participants,
    profile_versions,
    users,
)
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.profile import Profile, resolve_start
from neuromotrix.services.access import Actor, participant_row, require_admin, require_staff, visible_participants
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork


def stored_document(profile: Profile) -> dict[str, Any]:
    """The profile contract as stored and returned: JSON types, contract field names (e.g. `class`)."""
    document: dict[str, Any] = profile.model_dump(mode="json", by_alias=True, exclude_none=True)
    return document


def load_stored(document: dict[str, Any]) -> Profile:
    return Profile.model_validate(document)


def audit(uow: UnitOfWork, actor: Actor, action: str, kind: str, object_id: object, pid: int, now: dt.datetime) -> None:
    audit_change(uow, AuditRecord(now, actor.user_id, actor.email, action, kind, str(object_id), pid))


def enrol(
    uow: UnitOfWork,
    actor: Actor,
    *,
    display_name: str,
    language: str,
    profile: Profile,
    now: dt.datetime,
    today: dt.date,
    user_id: int | None = None,
) -> int:
    """A new participant with profile version 1. A trainer who enrols someone is assigned to them."""
    require_staff(actor)
    if user_id is not None:
        _check_participant_login(uow, actor, user_id)
    participant_id = int(
        uow.connection.execute(
            participants.insert()
            .values(
                clinic_id=actor.clinic_id,
                user_id=user_id,
                display_name=display_name.strip(),
                language=language,
                created_at=now,
            )
            .returning(participants.c.id)
        ).scalar_one()
    )
    if actor.role == "trainer":
        assign(uow, actor, trainer_id=actor.user_id, participant_id=participant_id, now=now)
    audit(uow, actor, "create", "participant", participant_id, participant_id, now)
    add_profile_version(uow, actor, participant_id, profile, reason="intake", now=now, today=today)
    return participant_id


def _check_participant_login(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    row = uow.connection.execute(
        sa.select(users.c.role).where(users.c.id == user_id, users.c.clinic_id == actor.clinic_id)
    ).first()
    if row is None:
        raise InvalidRequest(
            "No such user in your clinic.", fr="Aucun utilisateur de ce nom dans votre clinique.", field=("user_id",)
        )
    if row.role != "participant":
        raise InvalidRequest(
            "Only a user with the role 'participant' can be a participant's login.",
            fr="Seul un utilisateur ayant le rôle 'participant' peut être la connexion d'un participant.",
            field=("user_id",),
        )


def list_participants(uow: UnitOfWork, actor: Actor, *, offset: int, limit: int) -> tuple[list[sa.Row[Any]], int]:
    where = visible_participants(actor)
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(participants).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(participants).where(where).order_by(participants.c.id).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)


def add_profile_version(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    profile: Profile,
    *,
    reason: str,
    now: dt.datetime,
    today: dt.date,
) -> int:
    """Store a new version of the profile; earlier versions stay readable."""
    resolved = resolve_start(profile, today)
    latest = uow.connection.execute(
        sa.select(sa.func.max(profile_versions.c.version)).where(profile_versions.c.participant_id == participant_id)
    ).scalar_one()
    version = (latest or 0) + 1
    version_id = uow.connection.execute(
        profile_versions.insert()
        .values(
            participant_id=participant_id,
            version=version,
            document=stored_document(resolved),
            reason=reason[:500] or "update",
            created_by=actor.user_id,
            created_at=now,
        )
        .returning(profile_versions.c.id)
    ).scalar_one()
    audit(uow, actor, "create", "profile", version, participant_id, now)
    return int(version_id)


def change_profile(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    profile: Profile,
    *,
    reason: str,
    now: dt.datetime,
    today: dt.date,
) -> int:
    """A staff member records a new profile version (the caller then regenerates the program as a draft)."""
    participant_row(uow, actor, participant_id)
    require_staff(actor)
    return add_profile_version(uow, actor, participant_id, profile, reason=reason, now=now, today=today)


def current_profile(uow: UnitOfWork, participant_id: int) -> tuple[sa.Row[Any], Profile]:
    row = uow.connection.execute(
        sa.select(profile_versions)
        .where(profile_versions.c.participant_id == participant_id)
        .order_by(profile_versions.c.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("profile")
    return row, load_stored(row.document)


def profile_history(uow: UnitOfWork, actor: Actor, participant_id: int) -> list[sa.Row[Any]]:
    participant_row(uow, actor, participant_id)
    rows = uow.connection.execute(
        sa.select(profile_versions)
        .where(profile_versions.c.participant_id == participant_id)
        .order_by(profile_versions.c.version)
    ).all()
    return list(rows)


def profile_version(uow: UnitOfWork, actor: Actor, participant_id: int, version: int) -> sa.Row[Any]:
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        sa.select(profile_versions).where(
            profile_versions.c.participant_id == participant_id, profile_versions.c.version == version
        )
    ).first()
    if row is None:
        raise NotFound("profile version")
    return row


def assign(uow: UnitOfWork, actor: Actor, *, trainer_id: int, participant_id: int, now: dt.datetime) -> None:
    """Assign a trainer of the clinic to a participant (admins, or a trainer enrolling someone)."""
    if actor.role != "trainer" or trainer_id != actor.user_id:
        require_admin(actor)
        participant_row(uow, actor, participant_id)
    trainer = uow.connection.execute(
        sa.select(users.c.role).where(users.c.id == trainer_id, users.c.clinic_id == actor.clinic_id)
    ).first()
    if trainer is None or trainer.role not in ("trainer", "admin"):
        raise InvalidRequest(
            "Choose a trainer of your clinic.", fr="Choisissez un entraîneur de votre clinique.", field=("trainer_id",)
        )
    exists = uow.connection.execute(
        sa.select(assignments.c.trainer_id).where(
            assignments.c.trainer_id == trainer_id, assignments.c.participant_id == participant_id
        )
    ).first()
    if exists is None:
        uow.connection.execute(
            assignments.insert().values(trainer_id=trainer_id, participant_id=participant_id, created_at=now)
        )


def link_caregiver(
    uow: UnitOfWork,
    *,
    caregiver_id: int,
    participant_id: int,
    consent_by: str,
    consent_name: str,
    now: dt.datetime,
) -> None:
    """Link a caregiver, recording whose consent allowed it (the participant's or a guardian's)."""
    if consent_by not in ("participant", "guardian"):
        raise InvalidRequest(
            "Consent comes from the 'participant' or a 'guardian'.",
            fr="Le consentement vient du 'participant' ou d'un tuteur ('guardian').",
            field=("consent_by",),
        )
    if not consent_name.strip():
        raise InvalidRequest(
            "Name the person who gave consent.",
            fr="Nommez la personne qui a donné le consentement.",
            field=("consent_name",),
        )
    exists = uow.connection.execute(
        sa.select(caregiver_links.c.caregiver_id).where(
            caregiver_links.c.caregiver_id == caregiver_id, caregiver_links.c.participant_id == participant_id
        )
    ).first()
    if exists is not None:
        raise Conflict(
            "This caregiver is already linked to this participant.",
            fr="Ce proche aidant est déjà lié à ce participant.",
        )
    uow.connection.execute(
        caregiver_links.insert().values(
            caregiver_id=caregiver_id,
            participant_id=participant_id,
            consent_by=consent_by,
            consent_name=consent_name.strip(),
            consented_at=now,
        )
    )
