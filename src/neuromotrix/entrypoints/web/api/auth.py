"""Sign-in, sign-out, sessions, two-factor, passwords and API tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.api.schemas import LoginIn, LoginOut, Strict, UserOut
from neuromotrix.entrypoints.web.deps import SESSION_COOKIE, CallerDep, ContainerDep
from neuromotrix.services import accounts

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
tokens = APIRouter(prefix="/api/v1/tokens", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login", response_model=LoginOut)
async def login(body: LoginIn, request: Request, response: Response, box: ContainerDep) -> LoginOut:
    """Check email, password (and the TOTP code when two-factor is on); sets the session cookie."""

    def work() -> accounts.SignIn:
        with box.uow(write=True) as uow:
            signed = accounts.sign_in(
                uow,
                email=body.email,
                password=body.password,
                totp_code=body.totp,
                limiter=box.login_limiter,
                client=_client(request),
                now=box.clock(),
                session_days=box.settings.session_days,
                user_agent=request.headers.get("user-agent", ""),
            )
            uow.commit()
            return signed

    signed = await run_in_threadpool(work)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=box.settings.session_days * 86400,
        httponly=True,
        secure=box.settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    actor = signed.actor
    return LoginOut(
        user=UserOut(id=actor.user_id, email=actor.email, name=actor.name, role=actor.role, language=actor.language),
        csrf_token=signed.csrf_token,
        expires_at=signed.expires_at,
        two_factor_required=actor.role == "admin" and not actor.second_factor,
    )


@router.post("/logout", status_code=204)
async def logout(who: CallerDep, response: Response, box: ContainerDep) -> None:
    """End this session (the cookie stops working at once)."""
    if who.session_id is not None:
        with box.uow(write=True) as uow:
            accounts.sign_out(uow, who.session_id, now=box.clock())
            uow.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")


class MeOut(UserOut):
    csrf_token: str | None
    two_factor: bool


@router.get("/me", response_model=MeOut)
async def me(who: CallerDep) -> MeOut:
    actor = who.actor
    return MeOut(
        id=actor.user_id,
        email=actor.email,
        name=actor.name,
        role=actor.role,
        language=actor.language,
        csrf_token=who.csrf_token,
        two_factor=actor.second_factor,
    )


@router.get("/sessions")
async def sessions(who: CallerDep, box: ContainerDep) -> list[dict[str, Any]]:
    """Your open sessions, so you can end one you do not recognise."""
    with box.uow() as uow:
        return accounts.list_sessions(uow, who.actor, now=box.clock())


@router.delete("/sessions/{session_id}", status_code=204)
async def end_session(session_id: Id, who: CallerDep, box: ContainerDep) -> None:
    with box.uow(write=True) as uow:
        accounts.revoke_session(uow, who.actor, session_id, now=box.clock())
        uow.commit()


class TotpSetupOut(Strict):
    secret: str
    uri: str


@router.post("/totp/setup", response_model=TotpSetupOut)
async def totp_setup(who: CallerDep, box: ContainerDep) -> TotpSetupOut:
    """Start two-factor: add the secret (or the otpauth URI as a QR code) to an authenticator app."""
    with box.uow(write=True) as uow:
        secret, uri = accounts.start_totp(uow, who.actor)
        uow.commit()
    return TotpSetupOut(secret=secret, uri=uri)


class CodeIn(Strict):
    code: str = Field(min_length=6, max_length=12)


@router.post("/totp/confirm", status_code=204)
async def totp_confirm(body: CodeIn, who: CallerDep, box: ContainerDep) -> None:
    """Turn two-factor on with a current code; this session counts as verified."""
    with box.uow(write=True) as uow:
        accounts.confirm_totp(uow, who.actor, body.code, session_id=who.session_id, now=box.clock())
        uow.commit()


class PasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


@router.post("/password", status_code=204)
async def change_password(body: PasswordIn, who: CallerDep, box: ContainerDep) -> None:
    """Change your password; every session ends, sign in again."""

    def work() -> None:
        with box.uow(write=True) as uow:
            accounts.change_password(uow, who.actor, body.current_password, body.new_password, now=box.clock())
            uow.commit()

    await run_in_threadpool(work)


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Strict):
    id: int
    token: str


@tokens.post("", response_model=TokenOut, status_code=201)
async def create_token(body: TokenIn, who: CallerDep, box: ContainerDep) -> TokenOut:
    """A bearer token for an integration, shown once: `Authorization: Bearer <token>`."""
    with box.uow(write=True) as uow:
        token_id, token = accounts.create_api_token(uow, who.actor, body.name, now=box.clock())
        uow.commit()
    return TokenOut(id=token_id, token=token)


@tokens.get("")
async def list_tokens(who: CallerDep, box: ContainerDep) -> list[dict[str, Any]]:
    with box.uow() as uow:
        return accounts.list_api_tokens(uow, who.actor)


@tokens.delete("/{token_id}", status_code=204)
async def revoke_token(token_id: Id, who: CallerDep, box: ContainerDep) -> None:
    with box.uow(write=True) as uow:
        accounts.revoke_api_token(uow, who.actor, token_id, now=box.clock())
        uow.commit()
