"""Accounts: clinics, users and roles, sign-in sessions, API tokens, two-factor codes and password changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters import security
from neuromotrix.adapters.db.tables import api_tokens, auth_sessions, clinics, password_resets, users
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.errors import (
    AuthError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    TotpRequired,
)
from neuromotrix.services import outbox
from neuromotrix.services.access import ROLES, Actor, Role
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 10
TOUCH_EVERY = dt.timedelta(minutes=5)  # write `last_seen_at` at most this often: reads stay read-only


@dataclass(frozen=True)
class SignIn:
    token: str
    csrf_token: str
    actor: Actor
    expires_at: dt.datetime


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@") or len(cleaned) > 254:
        raise InvalidRequest(
            f"{email!r} is not an email address; give one like name@example.org.",
            fr=f"{email!r} n'est pas une adresse courriel; donnez-en une comme nom@exemple.org.",
            field=("email",),
        )
    return cleaned


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(
            f"The password is too short: use at least {MIN_PASSWORD} characters (a few words work well).",
            fr=(
                f"Le mot de passe est trop court : utilisez au moins {MIN_PASSWORD} caractères (quelques mots font "
                "très bien l'affaire)."
            ),
            field=("password",),
        )


def create_clinic(uow: UnitOfWork, name: str, *, now: dt.datetime, **settings: Any) -> int:
    values = {"name": name, "created_at": now, **settings}
    return int(uow.connection.execute(clinics.insert().values(values).returning(clinics.c.id)).scalar_one())


def create_user(
    uow: UnitOfWork,
    *,
    clinic_id: int,
    email: str,
    name: str,
    role: str,
    now: dt.datetime,
    password: str | None = None,
    language: str = "en",
    check_strength: bool = True,
) -> int:
    """A new user; `password=None` makes an account that can only be entered through an invitation link."""
    if role not in ROLES:
        raise InvalidRequest(
            f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.",
            fr=f"Rôle inconnu : {role!r}; choisissez parmi {', '.join(ROLES)}.",
            field=("role",),
        )
    if language not in ("en", "fr"):
        raise InvalidRequest(
            "Language must be 'en' or 'fr'.", fr="La langue doit être 'en' ou 'fr'.", field=("language",)
        )
    address = normalise_email(email)
    if password is not None and check_strength:
        check_password_strength(password)
    exists = uow.connection.execute(sa.select(users.c.id).where(users.c.email == address)).first()
    if exists is not None:
        raise Conflict(
            f"A user with the email {address} already exists; choose another email or edit that user.",
            fr=(
                f"Un utilisateur avec le courriel {address} existe déjà; choisissez un autre courriel ou modifiez cet "
                "utilisateur."
            ),
        )
    values = {
        "clinic_id": clinic_id,
        "email": address,
        "name": name.strip() or address,
        "role": role,
        "language": language,
        "password_hash": security.hash_password(password) if password is not None else None,
        "created_at": now,
    }
    return int(uow.connection.execute(users.insert().values(values).returning(users.c.id)).scalar_one())


def user_by_email(uow: UnitOfWork, email: str) -> sa.Row[Any] | None:
    return uow.connection.execute(sa.select(users).where(users.c.email == email.strip().lower())).first()


def actor_from_row(row: sa.Row[Any], *, second_factor: bool) -> Actor:
    role: Role = row.role
    return Actor(
        user_id=row.id,
        clinic_id=row.clinic_id,
        role=role,
        email=row.email,
        name=row.name,
        language=row.language,
        second_factor=second_factor,
    )


def sign_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    totp_code: str | None,
    limiter: security.LoginLimiter,
    client: str,
    now: dt.datetime,
    session_days: int,
    user_agent: str = "",
) -> SignIn:
    """Check the credentials (and the TOTP code when enabled) and open a server-side session."""
    address = email.strip().lower()
    keys = (f"email:{address}", f"client:{client}")
    wait = limiter.blocked_for(*keys)
    if wait:
        raise RateLimited(wait)
    row = user_by_email(uow, address)
    matches, new_hash = security.verify_password(password, row.password_hash if row is not None else None)
    if row is None or not matches or not row.active:
        limiter.failed(*keys)
        raise AuthError(
            "The email or password is not right. Check them and try again, or reset your password.",
            fr=(
                "Le courriel ou le mot de passe n'est pas bon. Vérifiez-les et réessayez, ou réinitialisez votre mot de passe."
            ),
        )
    if row.totp_enabled and not (totp_code and security.totp_ok(row.totp_secret, totp_code, now)):
        limiter.failed(*keys)
        raise TotpRequired(
            "Enter the 6-digit code from your authenticator app (field `totp`).",
            fr="Entrez le code à 6 chiffres de votre application d'authentification (champ `totp`).",
        )
    limiter.succeeded(*keys)
    updates: dict[str, Any] = {"last_login_at": now}
    if new_hash is not None:
        updates["password_hash"] = new_hash  # rehash on sign-in when the hashing parameters changed
    uow.connection.execute(users.update().where(users.c.id == row.id).values(updates))
    token, csrf = security.new_token(), security.new_token()
    expires_at = now + dt.timedelta(days=session_days)
    uow.connection.execute(
        auth_sessions.insert().values(
            user_id=row.id,
            token_hash=security.token_hash(token),
            csrf_token=csrf,
            second_factor=bool(row.totp_enabled),
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            user_agent=user_agent[:300],
        )
    )
    actor = actor_from_row(row, second_factor=bool(row.totp_enabled))
    audit_change(uow, AuditRecord(now, row.id, row.email, "login", "user", str(row.id)))
    return SignIn(token=token, csrf_token=csrf, actor=actor, expires_at=expires_at)


@dataclass(frozen=True)
class SessionIdentity:
    actor: Actor
    session_id: int
    csrf_token: str
    stale: bool


# Every signed-in request runs it: built once (building a statement costs more than running it).
_SESSION_BY_TOKEN = (
    sa.select(auth_sessions, users)
    .join(users, users.c.id == auth_sessions.c.user_id)
    .where(auth_sessions.c.token_hash == sa.bindparam("token_hash"))
)


def resolve_session(uow: UnitOfWork, token: str, *, now: dt.datetime) -> SessionIdentity:
    """The actor behind a session cookie; AuthError when unknown, expired or revoked."""
    row = uow.connection.execute(_SESSION_BY_TOKEN, {"token_hash": security.token_hash(token)}).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.active:
        raise AuthError(
            "Your session has ended. Sign in again.", fr="Votre session a pris fin. Connectez-vous de nouveau."
        )
    mapping = row._mapping
    actor = Actor(
        user_id=mapping[users.c.id],
        clinic_id=row.clinic_id,
        role=row.role,
        email=row.email,
        name=row.name,
        language=row.language,
        second_factor=bool(mapping[auth_sessions.c.second_factor]),
    )
    return SessionIdentity(
        actor=actor,
        session_id=mapping[auth_sessions.c.id],
        csrf_token=row.csrf_token,
        stale=now - row.last_seen_at > TOUCH_EVERY,
    )


def touch_session(uow: UnitOfWork, session_id: int, *, now: dt.datetime, session_days: int) -> None:
    """Sliding expiry; done in its own short write transaction, at most every few minutes per session."""
    uow.connection.execute(
        auth_sessions.update()
        .where(auth_sessions.c.id == session_id)
        .values(last_seen_at=now, expires_at=now + dt.timedelta(days=session_days))
    )


def sign_out(uow: UnitOfWork, session_id: int, *, now: dt.datetime) -> None:
    uow.connection.execute(auth_sessions.update().where(auth_sessions.c.id == session_id).values(revoked_at=now))


def revoke_sessions(uow: UnitOfWork, user_id: int, *, now: dt.datetime) -> int:
    """End every session of a user (after a password change, or on request)."""
    result = uow.connection.execute(
        auth_sessions.update()
        .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)


def list_sessions(uow: UnitOfWork, actor: Actor, *, now: dt.datetime) -> list[dict[str, Any]]:
    rows = uow.connection.execute(
        sa.select(auth_sessions)
        .where(
            auth_sessions.c.user_id == actor.user_id,
            auth_sessions.c.revoked_at.is_(None),
            auth_sessions.c.expires_at > now,
        )
        .order_by(auth_sessions.c.id)
    ).all()
    return [
        {"id": r.id, "created_at": r.created_at, "last_seen_at": r.last_seen_at, "user_agent": r.user_agent or ""}
        for r in rows
    ]


def revoke_session(uow: UnitOfWork, actor: Actor, session_id: int, *, now: dt.datetime) -> None:
    result = uow.connection.execute(
        auth_sessions.update()
        .where(auth_sessions.c.id == session_id, auth_sessions.c.user_id == actor.user_id)
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound("session")


# API tokens ---------------------------------------------------------------------------------------------


def create_api_token(uow: UnitOfWork, actor: Actor, name: str, *, now: dt.datetime) -> tuple[int, str]:
    """A bearer token for an integration; the secret is shown once and stored hashed."""
    token = security.new_token()
    token_id = uow.connection.execute(
        api_tokens.insert()
        .values(user_id=actor.user_id, name=name, token_hash=security.token_hash(token), created_at=now)
        .returning(api_tokens.c.id)
    ).scalar_one()
    audit_change(uow, AuditRecord(now, actor.user_id, actor.email, "create", "api_token", str(token_id)))
    return int(token_id), token


def resolve_api_token(uow: UnitOfWork, token: str) -> Actor:
    row = uow.connection.execute(
        sa.select(api_tokens.c.revoked_at, users)
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.token_hash == security.token_hash(token))
    ).first()
    if row is None or row.revoked_at is not None or not row.active:
        raise AuthError(
            "The API token is unknown or revoked. Create a new one from your account.",
            fr="Le jeton d'API est inconnu ou révoqué. Créez-en un nouveau à partir de votre compte.",
        )
    # Tokens are for integrations: an admin's token is only honoured once the admin has two-factor on.
    return actor_from_row(row, second_factor=bool(row.totp_enabled))


def list_api_tokens(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    rows = uow.connection.execute(
        sa.select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at, api_tokens.c.revoked_at)
        .where(api_tokens.c.user_id == actor.user_id)
        .order_by(api_tokens.c.id)
    ).all()
    return [dict(r._mapping) for r in rows]


def revoke_api_token(uow: UnitOfWork, actor: Actor, token_id: int, *, now: dt.datetime) -> None:
    result = uow.connection.execute(
        api_tokens.update()
        .where(api_tokens.c.id == token_id, api_tokens.c.user_id == actor.user_id)
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound("API token")


# Two-factor ---------------------------------------------------------------------------------------------


def start_totp(uow: UnitOfWork, actor: Actor) -> tuple[str, str]:
    """A new secret (not yet active) and its otpauth:// URI for the authenticator app."""
    if not actor.is_staff:
        raise Forbidden(
            "Two-factor codes are for clinic staff accounts.",
            fr="Les codes à deux facteurs sont réservés aux comptes du personnel de la clinique.",
        )
    secret = security.new_totp_secret()
    uow.connection.execute(
        users.update().where(users.c.id == actor.user_id, users.c.totp_enabled.is_(False)).values(totp_secret=secret)
    )
    return secret, security.totp_uri(secret, actor.email)


def confirm_totp(uow: UnitOfWork, actor: Actor, code: str, *, session_id: int | None, now: dt.datetime) -> None:
    row = uow.connection.execute(sa.select(users).where(users.c.id == actor.user_id)).one()
    if row.totp_enabled:
        raise Conflict(
            "Two-factor is already on for this account.",
            fr="La connexion à deux facteurs est déjà activée pour ce compte.",
        )
    if row.totp_secret is None:
        raise Conflict(
            "Start the set-up first (POST /api/v1/auth/totp/setup), then confirm a code.",
            fr="Commencez d'abord la configuration (POST /api/v1/auth/totp/setup), puis confirmez un code.",
        )
    if not security.totp_ok(row.totp_secret, code, now):
        raise InvalidRequest(
            "That code is not right; enter the current 6-digit code from your app.",
            fr="Ce code n'est pas bon; entrez le code à 6 chiffres affiché en ce moment dans votre application.",
            field=("code",),
        )
    uow.connection.execute(users.update().where(users.c.id == actor.user_id).values(totp_enabled=True))
    if session_id is not None:
        uow.connection.execute(
            auth_sessions.update().where(auth_sessions.c.id == session_id).values(second_factor=True)
        )
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "update", "user", str(actor.user_id), None, "totp on")
    )


# Passwords ----------------------------------------------------------------------------------------------


def change_password(uow: UnitOfWork, actor: Actor, current: str, new: str, *, now: dt.datetime) -> None:
    row = uow.connection.execute(sa.select(users).where(users.c.id == actor.user_id)).one()
    matches, _ = security.verify_password(current, row.password_hash)
    if not matches:
        raise InvalidRequest(
            "The current password is not right.",
            fr="Le mot de passe actuel n'est pas bon.",
            field=("current_password",),
        )
    set_password(uow, actor.user_id, new, now=now)


def set_password(uow: UnitOfWork, user_id: int, password: str, *, now: dt.datetime) -> None:
    """Set a password and end every open session of that user."""
    check_password_strength(password)
    uow.connection.execute(
        users.update().where(users.c.id == user_id).values(password_hash=security.hash_password(password))
    )
    revoke_sessions(uow, user_id, now=now)


def start_password_reset(uow: UnitOfWork, email: str, *, now: dt.datetime, minutes: int) -> tuple[int, str] | None:
    """A reset token for an active user, or None (the caller answers the same way: no account enumeration)."""
    row = user_by_email(uow, email)
    if row is None or not row.active:
        return None
    token = security.new_token()
    uow.connection.execute(
        password_resets.insert().values(
            user_id=row.id,
            token_hash=security.token_hash(token),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
    )
    return int(row.id), token


RESET_SUBJECT = Message("Reset your NeuroMotrix password", "Réinitialiser votre mot de passe NeuroMotrix")
RESET_BODY = Message(
    "Hello {name},\n\n"
    "Someone, we hope you, asked to reset the password of your NeuroMotrix account. Choose a new password with "
    "this link:\n{link}\n\n"
    "The link works once, for {minutes} minutes. Once you have chosen the new password, every device signed in "
    "to your account is signed out.\n\n"
    "If you did not ask for this, ignore this email: your password stays as it is.\n",
    "Bonjour {name},\n\n"
    "Quelqu'un, vous nous l'espérons, a demandé à réinitialiser le mot de passe de votre compte NeuroMotrix. "
    "Choisissez un nouveau mot de passe avec ce lien :\n{link}\n\n"
    "Le lien fonctionne une seule fois, pendant {minutes} minutes. Dès que vous aurez choisi le nouveau mot de "
    "passe, tous les appareils connectés à votre compte seront déconnectés.\n\n"
    "Si vous n'avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.\n",
)


def request_password_reset(
    uow: UnitOfWork,
    email: str,
    *,
    limiter: security.LoginLimiter,
    client: str,
    now: dt.datetime,
    minutes: int,
    base_url: str,
) -> None:
    """Queue a reset link for an active account. Whether or not there is one, the caller sees the same outcome.

    Every request counts against the limit (per address and per client), since each may send an email; the keys
    are not the sign-in ones, so asking for links does not lock anyone out of signing in.
    """
    address = normalise_email(email)
    keys = (f"reset-email:{address}", f"reset-client:{client}")
    wait = limiter.blocked_for(*keys)
    if wait:
        raise RateLimited(wait)
    limiter.failed(*keys)
    started = start_password_reset(uow, address, now=now, minutes=minutes)
    if started is None:
        return
    user_id, token = started
    row = uow.connection.execute(sa.select(users).where(users.c.id == user_id)).one()
    values = {"name": row.name, "link": f"{base_url.rstrip('/')}/reset/{token}", "minutes": minutes}
    outbox.enqueue(
        uow,
        to_address=row.email,
        subject=RESET_SUBJECT.in_language(row.language),
        body=RESET_BODY.in_language(row.language).format(**values),
        purpose="password_reset",
        now=now,
        clinic_id=row.clinic_id,
    )
    # Anyone may ask for a link: the actor is not the account holder until the link is used.
    audit_change(
        uow, AuditRecord(now, None, "password-reset", "create", "password_reset", str(user_id), None, "link queued")
    )


def finish_password_reset(
    uow: UnitOfWork, token: str, password: str, *, now: dt.datetime, limiter: security.LoginLimiter | None = None
) -> None:
    """Set the new password with a reset link: every session ends, and every reset link of the user is used up.

    A failed sign-in count for that email is cleared (the link proves the address), so a locked-out user can
    sign in at once with the new password.
    """
    row = uow.connection.execute(
        sa.select(password_resets, users.c.email)
        .join(users, users.c.id == password_resets.c.user_id)
        .where(password_resets.c.token_hash == security.token_hash(token))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidRequest(
            "This reset link is not valid any more: it was used, has expired or was not copied whole. Ask for a new "
            "one (POST /api/v1/auth/password-reset).",
            fr=(
                "Ce lien de réinitialisation n'est plus valide : il a déjà servi, a expiré ou n'a pas été copié en entier. "
                "Demandez-en un nouveau (POST /api/v1/auth/password-reset)."
            ),
            field=("token",),
        )
    set_password(uow, row.user_id, password, now=now)
    uow.connection.execute(
        password_resets.update()
        .where(password_resets.c.user_id == row.user_id, password_resets.c.used_at.is_(None))
        .values(used_at=now)
    )
    audit_change(
        uow, AuditRecord(now, row.user_id, "password-reset", "update", "user", str(row.user_id), None, "password")
    )
    if limiter is not None:
        limiter.succeeded(f"email:{row.email}")


def set_language(uow: UnitOfWork, user_id: int, language: str) -> None:
    """A user's own interface and email language (a preference, not health data: not audited)."""
    if language not in ("en", "fr"):
        raise InvalidRequest(
            "Language must be 'en' or 'fr'.", fr="La langue doit être 'en' ou 'fr'.", field=("language",)
        )
    uow.connection.execute(users.update().where(users.c.id == user_id).values(language=language))
