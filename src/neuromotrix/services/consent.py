"""Versioned consent (Québec Law 25, docs/privacy.md).

A clinic admin publishes the consent text in English and French; each change is a new version (a new row), and
earlier versions stay readable. The current version is the clinic's highest. A signed-in user whose latest
accepted version is older than the current one must accept it again before using the pages (the hook is in
`pages/deps.py`); accepting records who, which version, when, in which language and where (`page`,
`invitation` or `api`). A clinic that has published no text asks nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters import security
from neuromotrix.adapters.db.tables import consent_acceptances, consent_texts, invitations, users
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.services.access import Actor, require_admin
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_TEXT_CHARACTERS = 20_000
VIA = ("page", "invitation", "api")


@dataclass(frozen=True)
class ConsentText:
    id: int
    clinic_id: int
    version: int
    text_en: str
    text_fr: str
    published_at: dt.datetime

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en


@dataclass(frozen=True)
class ConsentState:
    """What a user has to do about consent: `current` is None when the clinic asks nothing."""

    current: ConsentText | None
    accepted_version: int | None  # the highest version the user accepted, if any
    accepted_at: dt.datetime | None  # when the user accepted the current version

    @property
    def required(self) -> bool:
        return self.current is not None and (self.accepted_version or 0) < self.current.version


def _text(row: sa.Row[Any]) -> ConsentText:
    return ConsentText(
        id=int(row.id),
        clinic_id=int(row.clinic_id),
        version=int(row.version),
        text_en=str(row.text_en),
        text_fr=str(row.text_fr),
        published_at=row.published_at,
    )


def current_text(uow: UnitOfWork, clinic_id: int) -> ConsentText | None:
    row = uow.connection.execute(
        sa.select(consent_texts)
        .where(consent_texts.c.clinic_id == clinic_id)
        .order_by(consent_texts.c.version.desc())
        .limit(1)
    ).first()
    return None if row is None else _text(row)


def state(uow: UnitOfWork, actor: Actor) -> ConsentState:
    """The clinic's current text and what this user accepted (one query for each)."""
    current = current_text(uow, actor.clinic_id)
    if current is None:
        return ConsentState(None, None, None)
    accepted = uow.connection.execute(
        sa.select(consent_texts.c.version, consent_acceptances.c.accepted_at)
        .join(consent_texts, consent_texts.c.id == consent_acceptances.c.consent_text_id)
        .where(consent_acceptances.c.user_id == actor.user_id, consent_texts.c.clinic_id == actor.clinic_id)
        .order_by(consent_texts.c.version.desc())
        .limit(1)
    ).first()
    if accepted is None:
        return ConsentState(current, None, None)
    at = accepted.accepted_at if accepted.version == current.version else None
    return ConsentState(current, int(accepted.version), at)


def needs_consent(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether the user must accept the clinic's current consent text before going on (one query)."""
    latest = (
        sa.select(sa.func.max(consent_texts.c.version))
        .where(consent_texts.c.clinic_id == actor.clinic_id)
        .scalar_subquery()
    )
    accepted = (
        sa.select(sa.func.max(consent_texts.c.version))
        .join(consent_acceptances, consent_acceptances.c.consent_text_id == consent_texts.c.id)
        .where(consent_texts.c.clinic_id == actor.clinic_id, consent_acceptances.c.user_id == actor.user_id)
        .scalar_subquery()
    )
    row = uow.connection.execute(sa.select(latest.label("latest"), accepted.label("accepted"))).one()
    return row.latest is not None and (row.accepted or 0) < row.latest


def history(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """Every version of the clinic's text, newest first, with how many accounts accepted each (admins)."""
    require_admin(actor)
    accepted = (
        sa.select(consent_acceptances.c.consent_text_id, sa.func.count().label("accepted"))
        .group_by(consent_acceptances.c.consent_text_id)
        .subquery()
    )
    rows = uow.connection.execute(
        sa.select(consent_texts, users.c.name.label("published_by_name"), accepted.c.accepted)
        .outerjoin(users, users.c.id == consent_texts.c.published_by)
        .outerjoin(accepted, accepted.c.consent_text_id == consent_texts.c.id)
        .where(consent_texts.c.clinic_id == actor.clinic_id)
        .order_by(consent_texts.c.version.desc())
    ).all()
    return [
        {
            "text": _text(row),
            "published_by": row.published_by_name or "",
            "accepted": int(row.accepted or 0),
        }
        for row in rows
    ]


def active_accounts(uow: UnitOfWork, actor: Actor) -> int:
    require_admin(actor)
    return int(
        uow.connection.execute(
            sa.select(sa.func.count()).where(users.c.clinic_id == actor.clinic_id, users.c.active.is_(True))
        ).scalar_one()
    )


def publish(uow: UnitOfWork, actor: Actor, *, text_en: str, text_fr: str, now: dt.datetime) -> ConsentText:
    """A new version of the clinic's consent text: every user is asked to accept it at their next page."""
    require_admin(actor)
    cleaned = {"text_en": _clean(text_en), "text_fr": _clean(text_fr)}
    for field, value in cleaned.items():
        if not value:
            raise InvalidRequest(
                f"Write the consent text in both languages ({field} is empty).",
                fr=f"Rédigez le texte de consentement dans les deux langues ({field} est vide).",
                field=(field,),
            )
        if len(value) > MAX_TEXT_CHARACTERS:
            raise InvalidRequest(
                f"{field} is too long: {MAX_TEXT_CHARACTERS} characters at most.",
                fr=f"{field} est trop long : {MAX_TEXT_CHARACTERS} caractères au plus.",
                field=(field,),
            )
    current = current_text(uow, actor.clinic_id)
    if current is not None and (current.text_en, current.text_fr) == (cleaned["text_en"], cleaned["text_fr"]):
        raise Conflict(
            f"This is the text of version {current.version} already; change it before publishing a new version.",
            fr=(
                f"C'est déjà le texte de la version {current.version}; modifiez-le avant de publier une nouvelle version."
            ),
        )
    version = 1 if current is None else current.version + 1
    row = uow.connection.execute(
        consent_texts.insert()
        .values(clinic_id=actor.clinic_id, version=version, published_at=now, published_by=actor.user_id, **cleaned)
        .returning(*consent_texts.c)
    ).one()
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "create", "consent_text", str(row.id), None, f"version {version}"),
    )
    return _text(row)


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def accept(
    uow: UnitOfWork, *, user_id: int, clinic_id: int, version: int, language: str, via: str, now: dt.datetime,
    audit_as: str,
) -> dt.datetime:  # fmt: skip
    """Record that the user accepted this version of their clinic's text (accepting twice keeps the first time).

    `version` is the one the user was shown: a version that is not the clinic's current one is a Conflict, so
    nobody is recorded as accepting a text they did not see.
    """
    if via not in VIA:
        raise InvalidRequest(
            f"Unknown consent channel {via!r}.", fr=f"Moyen de consentement inconnu : {via!r}.", field=("via",)
        )
    current = current_text(uow, clinic_id)
    if current is None:
        raise Conflict(
            "Your clinic has no consent text to accept; there is nothing to do.",
            fr="Votre clinique n'a aucun texte de consentement à accepter; il n'y a rien à faire.",
        )
    if version != current.version:
        raise Conflict(
            f"The consent text changed (version {current.version} is current, you answered version {version}). "
            "Read the current text, then accept it.",
            fr=(
                f"Le texte de consentement a changé (la version {current.version} est en vigueur, vous avez répondu à la "
                f"version {version}). Lisez le texte en vigueur, puis acceptez-le."
            ),
        )
    existing = uow.connection.execute(
        sa.select(consent_acceptances.c.accepted_at).where(
            consent_acceptances.c.user_id == user_id, consent_acceptances.c.consent_text_id == current.id
        )
    ).first()
    if existing is not None:
        accepted_at: dt.datetime = existing.accepted_at
        return accepted_at
    uow.connection.execute(
        consent_acceptances.insert().values(
            user_id=user_id,
            consent_text_id=current.id,
            accepted_at=now,
            language=language if language in ("en", "fr") else "en",
            via=via,
        )
    )
    audit_change(
        uow,
        AuditRecord(
            now, user_id, audit_as, "accept", "consent_text", str(current.id), None, f"version {version} ({via})"
        ),
    )
    return now


def decline(uow: UnitOfWork, actor: Actor, *, version: int, now: dt.datetime) -> None:
    """A user said no to the current text: nothing is accepted; the refusal is kept in the audit log."""
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "decline", "consent_text", None, None, f"version {version}"),
    )


def for_invitation(uow: UnitOfWork, token: str, *, now: dt.datetime) -> ConsentText | None:
    """The current consent text of the clinic that sent a usable invitation link (None otherwise: an unknown,
    used or expired link shows no text, and accepting it fails with its own message)."""
    row = uow.connection.execute(
        sa.select(invitations.c.clinic_id).where(
            invitations.c.token_hash == security.token_hash(token),
            invitations.c.accepted_at.is_(None),
            invitations.c.expires_at > now,
        )
    ).first()
    return None if row is None else current_text(uow, int(row.clinic_id))


def account_of(uow: UnitOfWork, user_id: int) -> tuple[int, str]:
    """An account's clinic and email (who accepts, for the audit record)."""
    row = uow.connection.execute(sa.select(users.c.clinic_id, users.c.email).where(users.c.id == user_id)).one()
    return int(row.clinic_id), str(row.email)


def acceptances_of_user(uow: UnitOfWork, user_id: int) -> list[dict[str, Any]]:
    """Every acceptance of one account, oldest first (for the participant's data export)."""
    rows = uow.connection.execute(
        sa.select(
            consent_texts.c.version,
            consent_acceptances.c.accepted_at,
            consent_acceptances.c.language,
            consent_acceptances.c.via,
        )
        .join(consent_texts, consent_texts.c.id == consent_acceptances.c.consent_text_id)
        .where(consent_acceptances.c.user_id == user_id)
        .order_by(consent_acceptances.c.accepted_at, consent_texts.c.version)
    ).all()
    return [dict(row._mapping) for row in rows]
