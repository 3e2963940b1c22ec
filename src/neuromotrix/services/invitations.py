"""Invitations by email link: who may invite whom, the link itself, and what accepting it creates.

- a clinic admin invites any role in their clinic;
- a trainer invites a participant's login, or a caregiver, for a participant assigned to them;
- a participant invites a caregiver for themself (their own consent is recorded);
- a caregiver invites nobody.

A caregiver sees a participant's health data only with consent: a caregiver invitation names who gave it (the
participant or a guardian) and that consent is recorded on the caregiver link when the invitation is accepted.
Only a hash of the link's token is stored; the link works once, until it expires. The email is queued in the
outbox in the same transaction (services/outbox.py) and sent by the job runner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters import security
from neuromotrix.adapters.db.tables import caregiver_links, clinics, invitations, participants, users
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest, NotFound
from neuromotrix.services import accounts, outbox
from neuromotrix.services.access import ROLES, Actor, participant_row, visible_participants
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.participants import link_caregiver
from neuromotrix.services.unit_of_work import UnitOfWork

CONSENT_FROM = ("participant", "guardian")
LANGUAGES = ("en", "fr")
FOR_ONE_PARTICIPANT = ("participant", "caregiver")

ROLE_LABELS = {
    "admin": Message("clinic administrator", "administrateur ou administratrice de la clinique"),
    "trainer": Message("trainer", "entraîneur ou entraîneuse"),
    "participant": Message("participant", "participant ou participante"),
    "caregiver": Message("caregiver", "proche aidant ou proche aidante"),
}
SUBJECT = Message("{inviter} invites you to NeuroMotrix", "{inviter} vous invite sur NeuroMotrix")
INTRO_BY_PERSON = Message(
    "{inviter} invites you to open your NeuroMotrix account at {clinic}, with the role: {role}.",
    "{inviter} vous invite à ouvrir votre compte NeuroMotrix auprès de {clinic}, avec le rôle : {role}.",
)
INTRO_BY_CLINIC = Message(
    "{clinic} invites you to open your NeuroMotrix account, with the role: {role}.",
    "{clinic} vous invite à ouvrir votre compte NeuroMotrix, avec le rôle : {role}.",
)
# No health information in the email beyond the invitation itself: a mistyped address must not leak any.
BODY = Message(
    "Hello {name},\n\n{intro}\n\n"
    "Choose your password with this link:\n{link}\n\n"
    "The link works once, until {expires}. If it has expired, ask {inviter} to send a new one.\n\n"
    "If you were not expecting this invitation, ignore this email: no account is opened without you.\n",
    "Bonjour {name},\n\n{intro}\n\n"
    "Choisissez votre mot de passe avec ce lien :\n{link}\n\n"
    "Le lien fonctionne une seule fois, jusqu'au {expires}. S'il a expiré, demandez à {inviter} de vous en "
    "envoyer un nouveau.\n\n"
    "Si vous n'attendiez pas cette invitation, ignorez ce courriel : aucun compte n'est ouvert sans vous.\n",
)


@dataclass(frozen=True)
class Invitee:
    """Who is invited, as what, and (for a participant's login or a caregiver) for which participant."""

    email: str
    name: str
    role: str
    participant_id: int | None = None
    consent_by: str | None = None
    consent_name: str | None = None
    language: str | None = None  # of the email and of the new account; default: the participant's, or the inviter's


@dataclass(frozen=True)
class Inviter:
    user_id: int | None  # None when invited from the shell
    name: str  # as the invitee reads it in the email: the person's name, or the clinic's from the shell
    audit_as: str  # the email of the user, or "cli"


@dataclass(frozen=True)
class Invited:
    invitation_id: int
    email: str
    role: str
    link: str
    expires_at: dt.datetime
    replaced: bool  # a pending invitation to the same address and participant was sent again


@dataclass(frozen=True)
class Accepted:
    user_id: int
    role: str
    participant_id: int | None
    existing_account: bool  # a caregiver who already had an account: the link was added to it


def invite(
    uow: UnitOfWork, actor: Actor, invitee: Invitee, *, now: dt.datetime, base_url: str, valid_days: int
) -> Invited:
    """Invite someone on behalf of a signed-in user, within what that user may do."""
    if actor.role == "caregiver":
        raise Forbidden(
            "Caregivers cannot invite anyone; ask the participant's trainer or the clinic admin.",
            fr=(
                "Les proches aidants ne peuvent inviter personne; demandez-le à l'entraîneur du participant ou à "
                "l'administrateur de la clinique."
            ),
        )
    if actor.role == "participant":
        invitee = _own_caregiver(uow, actor, invitee)
    elif actor.role == "trainer" and invitee.role not in FOR_ONE_PARTICIPANT:
        raise Forbidden(
            "Trainers invite participants and caregivers; ask a clinic admin to invite staff.",
            fr=(
                "Les entraîneurs invitent des participants et des proches aidants; demandez à un administrateur de la "
                "clinique d'inviter du personnel."
            ),
        )
    if invitee.participant_id is not None:
        participant_row(uow, actor, invitee.participant_id)  # 404 for a participant the actor may not see
    inviter = Inviter(actor.user_id, actor.name, actor.email)
    return create_invitation(
        uow, clinic_id=actor.clinic_id, invitee=invitee, inviter=inviter, now=now, base_url=base_url,
        valid_days=valid_days,
    )  # fmt: skip


def _own_caregiver(uow: UnitOfWork, actor: Actor, invitee: Invitee) -> Invitee:
    """A participant invites a caregiver for themself only, with their own consent."""
    if invitee.role != "caregiver":
        raise Forbidden(
            "You can invite a caregiver for yourself; your trainer or the clinic invites anyone else.",
            fr=(
                "Vous pouvez inviter un proche aidant pour vous-même; votre entraîneur ou la clinique invite toute autre "
                "personne."
            ),
        )
    own = uow.connection.execute(sa.select(participants).where(visible_participants(actor))).first()
    if own is None or invitee.participant_id not in (None, own.id):
        raise NotFound("participant")
    if invitee.consent_by not in (None, "participant"):
        raise InvalidRequest(
            "You are inviting a caregiver for yourself, so the consent recorded is yours: leave consent_by out or "
            "set it to 'participant'. A guardian's consent is recorded by your trainer or the clinic.",
            fr=(
                "Vous invitez un proche aidant pour vous-même, donc le consentement enregistré est le vôtre : omettez "
                "consent_by ou mettez-le à 'participant'. Le consentement d'un tuteur est enregistré par votre entraîneur "
                "ou par la clinique."
            ),
            field=("consent_by",),
        )
    return Invitee(
        email=invitee.email,
        name=invitee.name,
        role="caregiver",
        participant_id=int(own.id),
        consent_by="participant",
        consent_name=(invitee.consent_name or "").strip() or str(own.display_name),
        language=invitee.language,
    )


def create_invitation(
    uow: UnitOfWork,
    *,
    clinic_id: int,
    invitee: Invitee,
    inviter: Inviter,
    now: dt.datetime,
    base_url: str,
    valid_days: int,
) -> Invited:
    """Store the invitation (a hash of its token), replace a pending one to the same address, queue the email.

    Permissions are the caller's business (`invite` for signed-in users, the shell for operators).
    """
    address = accounts.normalise_email(invitee.email)
    _check_shape(invitee)
    participant = _participant_in_clinic(uow, clinic_id, invitee.participant_id)
    _check_address_free(uow, clinic_id, address, invitee)
    if invitee.role == "participant" and participant is not None and participant.user_id is not None:
        raise Conflict(
            f"{participant.display_name} already has a login; they sign in with it (or reset its password).",
            fr=(
                f"{participant.display_name} a déjà une connexion; cette personne se connecte avec celle-ci (ou en "
                "réinitialise le mot de passe)."
            ),
        )
    language = invitee.language or _default_language(uow, invitee.participant_id, inviter.user_id)
    if language not in LANGUAGES:
        raise InvalidRequest(
            "Language must be 'en' or 'fr'.", fr="La langue doit être 'en' ou 'fr'.", field=("language",)
        )
    token = security.new_token()
    expires_at = now + dt.timedelta(days=valid_days)
    name = invitee.name.strip() or address
    values = {
        "clinic_id": clinic_id,
        "email": address,
        "name": name,
        "role": invitee.role,
        "participant_id": invitee.participant_id,
        "consent_by": invitee.consent_by,
        "consent_name": (invitee.consent_name or "").strip() or None,
        "token_hash": security.token_hash(token),
        "invited_by": inviter.user_id,
        "created_at": now,
        "expires_at": expires_at,
    }
    pending = _pending_for(uow, clinic_id, address, invitee.participant_id)
    if pending is None:
        invitation_id = int(
            uow.connection.execute(invitations.insert().values(values).returning(invitations.c.id)).scalar_one()
        )
    else:  # the same invitation sent again: a new link and expiry, and the old link stops working
        invitation_id = pending
        uow.connection.execute(invitations.update().where(invitations.c.id == pending).values(values))
    link = f"{base_url.rstrip('/')}/invitations/{token}"
    _queue_email(uow, clinic_id, address, name, invitee.role, inviter, link, expires_at, language, now)
    detail = f"{invitee.role} {address}" + ("; sent again, earlier link void" if pending is not None else "")
    audit_change(
        uow,
        AuditRecord(
            now, inviter.user_id, inviter.audit_as, "create", "invitation", str(invitation_id),
            invitee.participant_id, detail[:500],
        ),
    )  # fmt: skip
    return Invited(invitation_id, address, invitee.role, link, expires_at, replaced=pending is not None)


def _pending_for(uow: UnitOfWork, clinic_id: int, address: str, participant_id: int | None) -> int | None:
    """The pending invitation to this address for this participant (or for no participant), if any."""
    same_participant = (
        invitations.c.participant_id.is_(None)
        if participant_id is None
        else invitations.c.participant_id == participant_id
    )
    found = uow.connection.execute(
        sa.select(invitations.c.id).where(
            invitations.c.clinic_id == clinic_id,
            invitations.c.email == address,
            invitations.c.accepted_at.is_(None),
            same_participant,
        )
    ).first()
    return None if found is None else int(found.id)


def _check_shape(invitee: Invitee) -> None:
    """What each role's invitation must (and must not) carry, each refusal naming the field."""
    if invitee.role not in ROLES:
        raise InvalidRequest(
            f"Unknown role {invitee.role!r}; choose one of {', '.join(ROLES)}.",
            fr=f"Rôle inconnu : {invitee.role!r}; choisissez parmi {', '.join(ROLES)}.",
            field=("role",),
        )
    if invitee.role in FOR_ONE_PARTICIPANT and invitee.participant_id is None:
        raise InvalidRequest(
            f"Say which participant this {invitee.role} invitation is for (participant_id).",
            fr=f"Indiquez pour quel participant est cette invitation de rôle {invitee.role} (participant_id).",
            field=("participant_id",),
        )
    if invitee.role not in FOR_ONE_PARTICIPANT and invitee.participant_id is not None:
        raise InvalidRequest(
            "Staff invitations are not for one participant: leave participant_id out, and assign participants "
            "once the invitation is accepted.",
            fr=(
                "Les invitations du personnel ne visent pas un participant : omettez participant_id, et assignez des "
                "participants une fois l'invitation acceptée."
            ),
            field=("participant_id",),
        )
    if invitee.role != "caregiver":
        if invitee.consent_by is not None or invitee.consent_name is not None:
            raise InvalidRequest(
                "Consent is recorded for caregiver invitations only: leave consent_by and consent_name out.",
                fr=(
                    "Le consentement s'enregistre seulement pour les invitations de proches aidants : omettez consent_by et "
                    "consent_name."
                ),
                field=("consent_by",),
            )
        return
    if invitee.consent_by not in CONSENT_FROM:
        raise InvalidRequest(
            "A caregiver sees the participant's health data only with consent: say who gave it in consent_by, "
            "'participant' (the person themself) or 'guardian' (their legal guardian).",
            fr=(
                "Un proche aidant ne voit les données de santé du participant qu'avec son consentement : indiquez qui l'a "
                "donné dans consent_by, 'participant' (la personne elle-même) ou 'guardian' (son tuteur légal)."
            ),
            field=("consent_by",),
        )
    if not (invitee.consent_name or "").strip():
        raise InvalidRequest(
            "Name the person who gave consent (consent_name).",
            fr="Nommez la personne qui a donné le consentement (consent_name).",
            field=("consent_name",),
        )


def _participant_in_clinic(uow: UnitOfWork, clinic_id: int, participant_id: int | None) -> sa.Row[Any] | None:
    if participant_id is None:
        return None
    row = uow.connection.execute(
        sa.select(participants).where(participants.c.id == participant_id, participants.c.clinic_id == clinic_id)
    ).first()
    if row is None:
        raise NotFound("participant")
    return row


def _check_address_free(uow: UnitOfWork, clinic_id: int, address: str, invitee: Invitee) -> None:
    """A new address, or an existing caregiver of this clinic invited to look after one more person."""
    existing = accounts.user_by_email(uow, address)
    if existing is None:
        return
    if invitee.role != "caregiver" or existing.role != "caregiver" or existing.clinic_id != clinic_id:
        raise Conflict(
            f"The email {address} already belongs to an account, so it cannot be invited again. Use another "
            "address, or ask a clinic admin to change that account.",
            fr=(
                f"Le courriel {address} appartient déjà à un compte; il ne peut donc pas être invité de nouveau. Utilisez une "
                "autre adresse, ou demandez à un administrateur de la clinique de modifier ce compte."
            ),
        )
    linked = uow.connection.execute(
        sa.select(caregiver_links.c.caregiver_id).where(
            caregiver_links.c.caregiver_id == existing.id,
            caregiver_links.c.participant_id == invitee.participant_id,
        )
    ).first()
    if linked is not None:
        raise Conflict(
            f"{address} is already a caregiver of this participant; there is nothing to invite.",
            fr=f"{address} est déjà proche aidant de ce participant; il n'y a personne à inviter.",
        )


def _default_language(uow: UnitOfWork, participant_id: int | None, inviter_id: int | None) -> str:
    """The participant's language (their login and caregivers usually share it), else the inviter's, else English."""
    if participant_id is not None:
        found = uow.connection.execute(
            sa.select(participants.c.language).where(participants.c.id == participant_id)
        ).scalar_one_or_none()
        if found is not None:
            return str(found)
    if inviter_id is not None:
        found = uow.connection.execute(sa.select(users.c.language).where(users.c.id == inviter_id)).scalar_one_or_none()
        if found is not None:
            return str(found)
    return "en"


def _queue_email(
    uow: UnitOfWork,
    clinic_id: int,
    address: str,
    name: str,
    role: str,
    inviter: Inviter,
    link: str,
    expires_at: dt.datetime,
    language: str,
    now: dt.datetime,
) -> None:
    clinic = uow.connection.execute(
        sa.select(clinics.c.name, clinics.c.time_zone).where(clinics.c.id == clinic_id)
    ).one()
    local = expires_at.astimezone(ZoneInfo(clinic.time_zone))
    values = {
        "name": name,
        "inviter": inviter.name,
        "clinic": clinic.name,
        "role": ROLE_LABELS[role].in_language(language),
        "link": link,
        "expires": f"{local:%Y-%m-%d %H:%M} ({clinic.time_zone})",
    }
    intro = INTRO_BY_CLINIC if inviter.user_id is None else INTRO_BY_PERSON
    values["intro"] = intro.in_language(language).format(**values)
    outbox.enqueue(
        uow,
        to_address=address,
        subject=SUBJECT.in_language(language).format(**values),
        body=BODY.in_language(language).format(**values),
        purpose="invitation",
        now=now,
        clinic_id=clinic_id,
    )


# Pending invitations ------------------------------------------------------------------------------------


def _visible(actor: Actor) -> sa.ColumnElement[bool]:
    """The invitations an actor may list or withdraw: an admin's clinic; otherwise those they sent, or those for a
    participant they may see (a participant thus sees every invitation to look after them)."""
    table = invitations.c
    if actor.role == "admin":
        return table.clinic_id == actor.clinic_id
    if actor.role == "caregiver":
        raise Forbidden(
            "Caregivers do not send invitations; the participant's trainer or the clinic admin does.",
            fr=(
                "Les proches aidants n'envoient pas d'invitations; l'entraîneur du participant ou l'administrateur de la "
                "clinique s'en charge."
            ),
        )
    seen = sa.select(participants.c.id).where(visible_participants(actor))
    return sa.and_(
        table.clinic_id == actor.clinic_id, sa.or_(table.invited_by == actor.user_id, table.participant_id.in_(seen))
    )


def list_pending(
    uow: UnitOfWork, actor: Actor, *, now: dt.datetime, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Invitations not accepted yet, newest first; expired ones are included (flagged) so they can be sent again."""
    where = sa.and_(_visible(actor), invitations.c.accepted_at.is_(None))
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(invitations).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(invitations).where(where).order_by(invitations.c.id.desc()).offset(offset).limit(limit)
    ).all()
    items = [
        {key: value for key, value in row._mapping.items() if key != "token_hash"} | {"expired": row.expires_at <= now}
        for row in rows
    ]
    return items, int(total)


def revoke(uow: UnitOfWork, actor: Actor, invitation_id: int, *, now: dt.datetime) -> None:
    """Withdraw a pending invitation: its link stops working at once."""
    row = uow.connection.execute(
        sa.select(invitations).where(invitations.c.id == invitation_id, _visible(actor))
    ).first()
    if row is None:
        raise NotFound("invitation")
    if row.accepted_at is not None:
        raise Conflict(
            "This invitation was already accepted, so the account exists; a clinic admin can change its role or "
            "switch it off instead.",
            fr=(
                "Cette invitation a déjà été acceptée, donc le compte existe; un administrateur de la clinique peut plutôt "
                "en changer le rôle ou le désactiver."
            ),
        )
    uow.connection.execute(invitations.delete().where(invitations.c.id == invitation_id))
    audit_change(
        uow,
        AuditRecord(
            now, actor.user_id, actor.email, "delete", "invitation", str(invitation_id), row.participant_id,
            f"{row.role} {row.email}",
        ),
    )  # fmt: skip


# Accepting ----------------------------------------------------------------------------------------------


def accept(uow: UnitOfWork, token: str, *, password: str | None, language: str | None, now: dt.datetime) -> Accepted:
    """Open the invited account (or add a caregiver link to an existing caregiver account) and use up the link.

    Nothing is kept when a step fails (a weak password, say): the link still works for another try.
    """
    row = uow.connection.execute(
        sa.select(invitations).where(invitations.c.token_hash == security.token_hash(token))
    ).first()
    if row is None:
        raise InvalidRequest(
            "This invitation link is not valid: it may have been replaced by a newer invitation or withdrawn. Use "
            "the link in the most recent invitation email, or ask the person who invited you to send a new one.",
            fr=(
                "Ce lien d'invitation n'est pas valide : il a peut-être été remplacé par une invitation plus récente ou "
                "retiré. Utilisez le lien du plus récent courriel d'invitation, ou demandez à la personne qui vous a invité "
                "de vous en envoyer un nouveau."
            ),
            field=("token",),
        )
    inviter = _inviter_name(uow, row.invited_by)
    claimed = uow.connection.execute(
        invitations.update()
        .where(invitations.c.id == row.id, invitations.c.accepted_at.is_(None))
        .values(accepted_at=now)
    ).rowcount
    if not claimed:
        raise InvalidRequest(
            "This invitation link has already been used. Sign in with your email and password; if you forgot the "
            "password, ask for a reset link.",
            fr=(
                "Ce lien d'invitation a déjà servi. Connectez-vous avec votre courriel et votre mot de passe; si vous avez "
                "oublié le mot de passe, demandez un lien de réinitialisation."
            ),
            field=("token",),
        )
    if row.expires_at <= now:
        raise InvalidRequest(
            f"This invitation link has expired; ask {inviter} to send a new one.",
            fr=f"Ce lien d'invitation a expiré; demandez à {inviter} de vous en envoyer un nouveau.",
            field=("token",),
        )
    user_id, existing = _account_for(uow, row, inviter, password=password, language=language, now=now)
    if row.role == "participant":
        _attach_login(uow, row.participant_id, user_id, inviter)
    if row.role == "caregiver":
        link_caregiver(
            uow, caregiver_id=user_id, participant_id=row.participant_id, consent_by=row.consent_by,
            consent_name=row.consent_name, now=now,
        )  # fmt: skip
    detail = f"{row.role}; consent by {row.consent_by} ({row.consent_name})" if row.role == "caregiver" else row.role
    audit_change(
        uow,
        AuditRecord(now, user_id, row.email, "accept", "invitation", str(row.id), row.participant_id, detail[:500]),
    )
    return Accepted(user_id=user_id, role=row.role, participant_id=row.participant_id, existing_account=existing)


def _inviter_name(uow: UnitOfWork, inviter_id: int | None) -> str:
    found = None
    if inviter_id is not None:
        found = uow.connection.execute(sa.select(users.c.name).where(users.c.id == inviter_id)).scalar_one_or_none()
    return str(found) if found else "the clinic"


def _account_for(
    uow: UnitOfWork, row: sa.Row[Any], inviter: str, *, password: str | None, language: str | None, now: dt.datetime
) -> tuple[int, bool]:
    """(user id, whether the account existed): a new account, or an existing caregiver of the same clinic."""
    existing = accounts.user_by_email(uow, row.email)
    if existing is not None:
        if row.role != "caregiver" or existing.role != "caregiver" or existing.clinic_id != row.clinic_id:
            raise Conflict(
                f"An account with the email {row.email} already exists. Sign in with it; if it needs another role, "
                f"ask {inviter}.",
                fr=(
                    f"Un compte avec le courriel {row.email} existe déjà. Connectez-vous avec celui-ci; s'il lui faut un autre "
                    f"rôle, demandez-le à {inviter}."
                ),
            )
        if not existing.active:
            raise Conflict(
                f"Your account is switched off; ask {inviter} or the clinic admin to switch it on.",
                fr=f"Votre compte est désactivé; demandez à {inviter} ou à l'administrateur de la clinique de le réactiver.",
            )
        return int(existing.id), True
    if not password:
        raise InvalidRequest(
            f"Choose a password for your new account (at least {accounts.MIN_PASSWORD} characters).",
            fr=(f"Choisissez un mot de passe pour votre nouveau compte (au moins {accounts.MIN_PASSWORD} caractères)."),
            field=("password",),
        )
    chosen = language or _default_language(uow, row.participant_id, row.invited_by)
    user_id = accounts.create_user(
        uow, clinic_id=row.clinic_id, email=row.email, name=row.name, role=row.role, now=now, password=password,
        language=chosen,
    )  # fmt: skip
    audit_change(uow, AuditRecord(now, user_id, row.email, "create", "user", str(user_id), None, "by invitation"))
    return user_id, False


def _attach_login(uow: UnitOfWork, participant_id: int, user_id: int, inviter: str) -> None:
    attached = uow.connection.execute(
        participants.update()
        .where(participants.c.id == participant_id, participants.c.user_id.is_(None))
        .values(user_id=user_id)
    ).rowcount
    if not attached:
        raise Conflict(
            f"This participant already has a login; sign in with it, or ask {inviter} for help.",
            fr=f"Ce participant a déjà une connexion; connectez-vous avec celle-ci, ou demandez de l'aide à {inviter}.",
        )
