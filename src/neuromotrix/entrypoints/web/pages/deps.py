"""Who is looking at a page: the session cookie, sign-in redirects, CSRF on forms, admins' two-factor rule.

The JSON API has its own dependencies (`entrypoints/web/deps.py`): it answers 401/403 in JSON. Pages redirect
instead: an anonymous visitor goes to `/login?next=<path>`, an admin without two-factor to `/account/two-factor`.
A user who has not accepted the clinic's current consent text goes to `/consent?next=<path>` (docs/privacy.md).

- `PageUser` — a signed-in user (a `Caller`: `.actor` for the services, `.csrf_token` for forms). On POST,
  PUT, PATCH and DELETE it also checks the form's `csrf_token` field (or the `X-CSRF-Token` header, for
  `fetch`) against the session's token.
- `MaybePageUser` — the same, or None for an anonymous visitor (public pages); no CSRF check.
- `CsrfChecked` — for public forms (sign-in, password reset, invitations): a signed-in visitor's session token,
  or, for anonymous visitors, a double-submit token: the `nmx_csrf` cookie must equal the form's field.
- `require_roles("trainer", "admin")` — a `PageUser` with one of these roles, else a 403 page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Response

from neuromotrix.adapters.security import new_token, same_secret
from neuromotrix.domain.errors import AuthError, Forbidden
from neuromotrix.entrypoints.web.deps import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, Caller, container
from neuromotrix.services import accounts, consent

CSRF_FIELD = "csrf_token"
ANONYMOUS_CSRF_COOKIE = "nmx_csrf"
TWO_FACTOR_PATH = "/account/two-factor"
# What an admin without two-factor may still do: set it up, change the language, sign out.
BEFORE_TWO_FACTOR = (TWO_FACTOR_PATH, "/logout", "/language")
CONSENT_PATH = "/consent"
# What a user who has not accepted the clinic's current consent text may still do (docs/privacy.md).
BEFORE_CONSENT = (CONSENT_PATH, "/privacy", TWO_FACTOR_PATH, "/logout", "/language")


class LoginRequiredError(Exception):
    """Anonymous visitor on a page that needs sign-in: answered with a redirect to /login?next=<path>."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class SecondFactorRequiredError(Exception):
    """An admin without two-factor: answered with a redirect to the set-up page."""


class ConsentRequiredError(Exception):
    """A user who has not accepted the clinic's current consent text: answered with a redirect to /consent."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfError(Exception):
    """A form without the right CSRF token: answered with a 403 page that says to open the form again."""


_UNRESOLVED = object()


def signed_in(request: Request) -> Caller | None:
    """The user behind the session cookie, or None; looked up once per request (errors pages reuse it)."""
    cached = getattr(request.state, "page_user", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        assert cached is None or isinstance(cached, Caller)
        return cached
    found = _resolve(request)
    request.state.page_user = found
    return found


def _resolve(request: Request) -> Caller | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    box = container(request)
    now = box.clock()
    try:
        with box.uow() as uow:
            identity = accounts.resolve_session(uow, token, now=now)
    except AuthError:
        return None  # ended or unknown session: the visitor is anonymous again
    if identity.stale:
        with box.uow(write=True) as uow:
            accounts.touch_session(uow, identity.session_id, now=now, session_days=box.settings.session_days)
            uow.commit()
    return Caller(actor=identity.actor, session_id=identity.session_id, csrf_token=identity.csrf_token)


def path_with_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def return_path(request: Request) -> str:
    """Where to come back after signing in: this page, or the start page after a form (its address only takes
    the form's POST)."""
    return path_with_query(request) if request.method in SAFE_METHODS else "/"


async def given_csrf_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


def expected_csrf_token(request: Request) -> str | None:
    """The session's token for a signed-in visitor, else the anonymous double-submit cookie."""
    who = signed_in(request)
    if who is not None:
        return who.csrf_token
    return request.cookies.get(ANONYMOUS_CSRF_COOKIE)


async def check_csrf(request: Request) -> None:
    expected = expected_csrf_token(request)
    given = await given_csrf_token(request)
    if not expected or not given or not same_secret(given, expected):
        raise CsrfError()


def csrf_token_for(request: Request) -> str:
    """The token to put in this page's forms; for an anonymous visitor without one, a new one (render() sets the
    cookie on the response)."""
    expected = expected_csrf_token(request)
    if expected:
        return expected
    fresh: str | None = getattr(request.state, "new_csrf_token", None)
    if fresh is None:
        fresh = new_token()
        request.state.new_csrf_token = fresh
    return fresh


def remember_csrf_token(request: Request, response: Response) -> None:
    """Set the anonymous double-submit cookie when this request made a new token."""
    fresh: str | None = getattr(request.state, "new_csrf_token", None)
    if fresh is None:
        return
    response.set_cookie(
        ANONYMOUS_CSRF_COOKIE,
        fresh,
        httponly=True,
        secure=container(request).settings.cookie_secure,
        samesite="lax",
        path="/",
    )


async def page_user(request: Request) -> Caller:
    who = signed_in(request)
    if who is None:
        raise LoginRequiredError(return_path(request))
    if request.method not in SAFE_METHODS:
        await check_csrf(request)
    if who.actor.role == "admin" and not who.actor.second_factor and not request.url.path.startswith(BEFORE_TWO_FACTOR):
        raise SecondFactorRequiredError()
    if not request.url.path.startswith(BEFORE_CONSENT) and _consent_pending(request, who):
        raise ConsentRequiredError(return_path(request))
    return who


def _consent_pending(request: Request, who: Caller) -> bool:
    with container(request).uow() as uow:
        return consent.needs_consent(uow, who.actor)


async def maybe_page_user(request: Request) -> Caller | None:
    return signed_in(request)


PageUser = Annotated[Caller, Depends(page_user)]
MaybePageUser = Annotated[Caller | None, Depends(maybe_page_user)]
CsrfChecked = Annotated[None, Depends(check_csrf)]


def require_roles(*roles: str) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency: the signed-in user, who must have one of `roles` (else a 403 page).

    `Teacher = Annotated[Caller, Depends(require_roles("trainer", "admin"))]`
    """

    async def dependency(request: Request) -> Caller:
        who = await page_user(request)
        if who.actor.role not in roles:
            raise Forbidden(
                f"This page is for these roles only: {', '.join(roles)}.",
                fr=f"Cette page est réservée à ces rôles : {', '.join(roles)}.",
            )
        return who

    return dependency
