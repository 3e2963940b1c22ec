"""User administration: from the shell (`neuromotrix user ...`, no signed-in actor, audited as `cli`) and by a
clinic admin through the API (their clinic only; anyone else is refused with 403, a user of another clinic is 404).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assignments, caregiver_links, clinics, participants, users
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.services import accounts, invitations
from neuromotrix.services.access import ROLES, Actor, participant_row, require_admin
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.participants import assign
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
        raise NotFound(f"user {email}", fr_what=f"L'utilisateur {email}")
    return row


def set_role(uow: UnitOfWork, email: str, role: str, *, now: dt.datetime) -> None:
    _check_role(role)
    row = _user(uow, email)
    uow.connection.execute(users.update().where(users.c.id == row.id).values(role=role))
    accounts.revoke_sessions(uow, row.id, now=now)
    audit_change(uow, AuditRecord(now, None, "cli", "update", "user", str(row.id), None, f"role {row.role} -> {role}"))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidRequest(
            f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.",
            fr=f"Rôle inconnu : {role!r}; choisissez parmi {', '.join(ROLES)}.",
            field=("role",),
        )


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
        raise NotFound(f"participant {reference}", fr_what=f"Le participant {reference}")
    return row


def assign_cli(uow: UnitOfWork, trainer_email: str, participant: str, *, now: dt.datetime) -> None:
    trainer = _user(uow, trainer_email)
    if trainer.role not in ("trainer", "admin"):
        raise InvalidRequest(
            f"{trainer_email} is a {trainer.role}; only trainers and admins follow participants.",
            fr=(
                f"{trainer_email} a le rôle {trainer.role}; seuls les entraîneurs (trainer) et les administrateurs (admin) "
                "suivent des participants."
            ),
        )
    person = participant_by_reference(uow, participant)
    if person.clinic_id != trainer.clinic_id:
        raise InvalidRequest(
            "The trainer and the participant belong to different clinics.",
            fr="L'entraîneur et le participant appartiennent à des cliniques différentes.",
        )
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


def invite_cli(
    uow: UnitOfWork,
    invitee: invitations.Invitee,
    *,
    participant: str | None,
    clinic: str,
    now: dt.datetime,
    base_url: str,
    valid_days: int,
) -> invitations.Invited:
    """An invitation from the operator, for any role. `participant` is an id or a login email; the clinic is the
    participant's, else `clinic` (an id, or a name: created on first use, as `user create` does)."""
    wanted = clinic.strip()
    if participant is not None:
        person = participant_by_reference(uow, participant)
        if wanted and _existing_clinic(uow, wanted) != person.clinic_id:
            raise InvalidRequest(
                f"Participant {participant} belongs to another clinic; leave --clinic out to use theirs.",
                fr=(
                    f"Le participant {participant} appartient à une autre clinique; omettez --clinic pour utiliser la sienne."
                ),
                field=("clinic",),
            )
        clinic_id = int(person.clinic_id)
        invitee = dataclasses.replace(invitee, participant_id=int(person.id))
    elif wanted.isdigit():
        found = _existing_clinic(uow, wanted)
        if found is None:
            raise NotFound(f"clinic {wanted}", fr_what=f"La clinique {wanted}")
        clinic_id = found
    else:
        clinic_id = _clinic_id(uow, wanted, now)
    name = uow.connection.execute(sa.select(clinics.c.name).where(clinics.c.id == clinic_id)).scalar_one()
    inviter = invitations.Inviter(user_id=None, name=str(name), audit_as="cli")
    return invitations.create_invitation(
        uow, clinic_id=clinic_id, invitee=invitee, inviter=inviter, now=now, base_url=base_url, valid_days=valid_days
    )


def _existing_clinic(uow: UnitOfWork, reference: str) -> int | None:
    """A clinic by id or by name, if it exists."""
    column = clinics.c.id if reference.isdigit() else clinics.c.name
    value: int | str = int(reference) if reference.isdigit() else reference
    found = uow.connection.execute(sa.select(clinics.c.id).where(column == value).order_by(clinics.c.id)).first()
    return None if found is None else int(found.id)


# Through the API, by a clinic admin ----------------------------------------------------------------------


def user_view(row: sa.Row[Any]) -> dict[str, Any]:
    """What an admin sees of an account (never its password hash or two-factor secret)."""
    return {
        "id": row.id,
        "email": row.email,
        "name": row.name,
        "role": row.role,
        "language": row.language,
        "active": bool(row.active),
        "two_factor": bool(row.totp_enabled),
        "created_at": row.created_at,
        "last_login_at": row.last_login_at,
    }


def list_users(
    uow: UnitOfWork, actor: Actor, *, role: str | None, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    require_admin(actor)
    where = users.c.clinic_id == actor.clinic_id
    if role is not None:
        _check_role(role)
        where = sa.and_(where, users.c.role == role)
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(users).where(where)).scalar_one()
    rows = uow.connection.execute(sa.select(users).where(where).order_by(users.c.id).offset(offset).limit(limit)).all()
    return [user_view(row) for row in rows], int(total)


def _clinic_user(uow: UnitOfWork, actor: Actor, user_id: int) -> sa.Row[Any]:
    require_admin(actor)
    row = uow.connection.execute(
        sa.select(users).where(users.c.id == user_id, users.c.clinic_id == actor.clinic_id)
    ).first()
    if row is None:
        raise NotFound("user")
    return row


def user_detail(uow: UnitOfWork, actor: Actor, user_id: int) -> dict[str, Any]:
    """One account of the clinic, with the participants it is tied to: followed (trainer), looked after
    (caregiver) or their own record (participant)."""
    row = _clinic_user(uow, actor, user_id)
    query = {
        "participant": sa.select(participants.c.id).where(participants.c.user_id == user_id),
        "caregiver": sa.select(caregiver_links.c.participant_id).where(caregiver_links.c.caregiver_id == user_id),
    }.get(row.role, sa.select(assignments.c.participant_id).where(assignments.c.trainer_id == user_id))
    ids = sorted(int(value) for value in uow.connection.execute(query).scalars())
    return user_view(row) | {"participant_ids": ids}


def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    *,
    now: dt.datetime,
    role: str | None = None,
    name: str | None = None,
    language: str | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Change an account of the clinic. A new role or switching the account off ends its sessions."""
    row = _clinic_user(uow, actor, user_id)
    changes: dict[str, Any] = {}
    if role is not None and role != row.role:
        _check_role(role)
        _check_role_change(uow, actor, row)
        changes["role"] = role
    if name is not None and name.strip() != row.name:
        if not name.strip():
            raise InvalidRequest("The name cannot be empty.", fr="Le nom ne peut pas être vide.", field=("name",))
        changes["name"] = name.strip()
    if language is not None and language != row.language:
        if language not in ("en", "fr"):
            raise InvalidRequest(
                "Language must be 'en' or 'fr'.", fr="La langue doit être 'en' ou 'fr'.", field=("language",)
            )
        changes["language"] = language
    if active is not None and active != bool(row.active):
        if not active and row.id == actor.user_id:
            raise Conflict(
                "You cannot switch off your own account; ask another clinic admin.",
                fr="Vous ne pouvez pas désactiver votre propre compte; demandez-le à un autre administrateur de la clinique.",
            )
        changes["active"] = active
    if not changes:
        return user_detail(uow, actor, user_id)
    uow.connection.execute(users.update().where(users.c.id == user_id).values(changes))
    if "role" in changes or changes.get("active") is False:
        accounts.revoke_sessions(uow, user_id, now=now)
    detail = "; ".join(f"{key} {row._mapping[key]} -> {value}" for key, value in changes.items() if key != "name")
    detail = "; ".join(part for part in (detail, "name" if "name" in changes else "") if part)
    audit_change(uow, AuditRecord(now, actor.user_id, actor.email, "update", "user", str(user_id), None, detail[:500]))
    return user_detail(uow, actor, user_id)


def _check_role_change(uow: UnitOfWork, actor: Actor, row: sa.Row[Any]) -> None:
    if row.id == actor.user_id:
        raise Conflict(
            "You cannot change your own role; ask another clinic admin.",
            fr="Vous ne pouvez pas changer votre propre rôle; demandez-le à un autre administrateur de la clinique.",
        )
    own_record = uow.connection.execute(sa.select(participants.c.id).where(participants.c.user_id == row.id)).first()
    if own_record is not None:
        raise Conflict(
            f"This account is the login of participant {own_record.id}, so it stays a participant. Invite the "
            "person again with another email for another role.",
            fr=(
                f"Ce compte est la connexion du participant {own_record.id}; il reste donc un participant. Invitez de "
                "nouveau la personne avec un autre courriel pour un autre rôle."
            ),
        )


def assign_trainer(uow: UnitOfWork, actor: Actor, user_id: int, participant_id: int, *, now: dt.datetime) -> None:
    """The trainer (or admin) `user_id` follows the participant from now on; assigning twice changes nothing."""
    row = _clinic_user(uow, actor, user_id)
    if row.role not in ("trainer", "admin"):
        raise InvalidRequest(
            f"{row.email} is a {row.role}; only trainers and admins follow participants.",
            fr=(
                f"{row.email} a le rôle {row.role}; seuls les entraîneurs (trainer) et les administrateurs (admin) suivent "
                "des participants."
            ),
            field=("user_id",),
        )
    assign(uow, actor, trainer_id=user_id, participant_id=participant_id, now=now)
    audit_change(
        uow,
        AuditRecord(
            now, actor.user_id, actor.email, "create", "assignment", f"{user_id}:{participant_id}", participant_id
        ),
    )


def unassign_trainer(uow: UnitOfWork, actor: Actor, user_id: int, participant_id: int, *, now: dt.datetime) -> None:
    """The trainer no longer follows the participant. Only clinic admins (403 for anyone else, whatever the
    participant); a user or participant of another clinic is 404."""
    _clinic_user(uow, actor, user_id)
    participant_row(uow, actor, participant_id)
    removed = uow.connection.execute(
        assignments.delete().where(assignments.c.trainer_id == user_id, assignments.c.participant_id == participant_id)
    ).rowcount
    if not removed:
        raise NotFound("assignment")
    audit_change(
        uow,
        AuditRecord(
            now, actor.user_id, actor.email, "delete", "assignment", f"{user_id}:{participant_id}", participant_id
        ),
    )
