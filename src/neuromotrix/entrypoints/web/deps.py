"""Request dependencies: the container, the clock, who is calling (cookie session or bearer token), CSRF.

Cookie-authenticated unsafe requests must carry the session's CSRF token in `X-CSRF-Token` (the JSON API) or
a `csrf_token` form field (pages). Bearer-token requests are not exposed to CSRF and skip the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from neuromotrix.adapters.security import same_secret
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import AuthError, Forbidden
from neuromotrix.services import accounts
from neuromotrix.services.access import Actor

SESSION_COOKIE = "nmx_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths an admin may use before two-factor is set up (to set it up, or to leave).
TOTP_SETUP_PATHS = ("/api/v1/auth/",)


def container(request: Request) -> Container:
    found: Container = request.app.state.container
    return found


async def _container_dependency(request: Request) -> Container:
    """`container` as a dependency: async, since a plain `def` dependency costs a trip through the thread pool on
    every request, only to read an attribute."""
    return container(request)


ContainerDep = Annotated[Container, Depends(_container_dependency)]


@dataclass(frozen=True)
class Caller:
    actor: Actor
    session_id: int | None  # None for bearer tokens
    csrf_token: str | None


async def caller(request: Request, box: ContainerDep) -> Caller:
    now = box.clock()
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        with box.uow() as uow:
            actor = accounts.resolve_api_token(uow, authorization[7:].strip())
        found = Caller(actor=actor, session_id=None, csrf_token=None)
    else:
        found = _cookie_caller(request, box, now)
    _require_second_factor(found.actor, request.url.path)
    return found


def _cookie_caller(request: Request, box: Container, now: dt.datetime) -> Caller:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise AuthError(
            "Sign in first (POST /api/v1/auth/login), or send an API token as `Authorization: Bearer`.",
            fr=(
                "Connectez-vous d'abord (POST /api/v1/auth/login), ou envoyez un jeton d'API dans l'en-tête "
                "`Authorization: Bearer`."
            ),
        )
    with box.uow() as uow:
        identity = accounts.resolve_session(uow, token, now=now)
    if identity.stale:
        with box.uow(write=True) as uow:
            accounts.touch_session(uow, identity.session_id, now=now, session_days=box.settings.session_days)
            uow.commit()
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "")
        if not given or not same_secret(given, identity.csrf_token):
            raise Forbidden(
                f"Missing or wrong CSRF token: send the `csrf_token` from sign-in in the {CSRF_HEADER} header.",
                fr=(
                    f"Jeton CSRF manquant ou erroné : envoyez le `csrf_token` reçu à la connexion dans l'en-tête {CSRF_HEADER}."
                ),
            )
    return Caller(actor=identity.actor, session_id=identity.session_id, csrf_token=identity.csrf_token)


def _require_second_factor(actor: Actor, path: str) -> None:
    """Admins must have two-factor on before anything but the account routes (BRIEF-independent policy)."""
    if actor.role == "admin" and not actor.second_factor and not path.startswith(TOTP_SETUP_PATHS):
        raise Forbidden(
            "Clinic admins must turn on two-factor sign-in first: POST /api/v1/auth/totp/setup, then "
            "POST /api/v1/auth/totp/confirm with a code from your authenticator app.",
            fr=(
                "Les administrateurs de clinique doivent d'abord activer la connexion à deux facteurs : POST "
                "/api/v1/auth/totp/setup, puis POST /api/v1/auth/totp/confirm avec un code de votre application "
                "d'authentification."
            ),
        )


CallerDep = Annotated[Caller, Depends(caller)]
