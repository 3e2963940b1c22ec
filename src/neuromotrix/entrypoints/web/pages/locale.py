"""The language of a page, and the language switcher (`POST /language`).

Order: the signed-in user's setting (`users.language`); else the `nmx_lang` cookie the switcher sets; else the
browser's `Accept-Language`; else French (the clinics are in Québec).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.routing import Match

from neuromotrix.adapters.i18n import DEFAULT_LANGUAGE, Translator, is_language, negotiate, translator
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.deps import check_csrf, path_with_query, signed_in
from neuromotrix.entrypoints.web.pages.forms import form_fields
from neuromotrix.entrypoints.web.pages.navigation import safe_next
from neuromotrix.services import accounts

LANGUAGE_COOKIE = "nmx_lang"
LANGUAGE_COOKIE_DAYS = 365

router = APIRouter(include_in_schema=False)


def browser_language(request: Request) -> str:
    """The visitor's choice without an account: the switcher's cookie, else the browser's preference."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if is_language(chosen):
        assert chosen is not None
        return chosen
    return negotiate(request.headers.get("accept-language")) or DEFAULT_LANGUAGE


def page_language(request: Request, *, lookup_user: bool = True) -> str:
    """The language this request's page is shown in (decided once per request)."""
    decided: str | None = getattr(request.state, "language", None)
    if decided is not None:
        return decided
    who = signed_in(request) if lookup_user else None
    language = who.actor.language if who is not None and is_language(who.actor.language) else browser_language(request)
    request.state.language = language
    return language


def page_translator(request: Request) -> Translator:
    return translator(page_language(request))


def switcher_next(request: Request) -> str:
    """Where the language switcher returns to: this page's address when a GET opens it again; for a page shown
    in answer to a form (an error, a result), the form's own address if a GET opens it, else the page the form was
    on (the same-site Referer), else the start page. Never a POST-only address, which a redirect cannot open."""
    here = path_with_query(request)
    if request.method in ("GET", "HEAD") or _opens_with_get(request, request.url.path):
        return here
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path and _opens_with_get(request, referer.path):
        return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    return "/"


def _opens_with_get(request: Request, path: str) -> bool:
    scope = {**request.scope, "method": "GET", "path": path}
    return any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes)


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """The `nmx_lang` cookie: this browser's language when nobody is signed in."""
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_DAYS * 86400, httponly=True, secure=secure, samesite="lax",
        path="/",
    )  # fmt: skip


@router.post("/language")
async def switch_language(request: Request, box: ContainerDep) -> RedirectResponse:
    """The switcher's form: `language` (en, fr) and `next` (the page to go back to). Works without JavaScript.

    A signed-in user's setting changes too (so emails and other devices follow); that form needs the CSRF token.
    Anonymous visitors only get a cookie on their own browser, so there is nothing to forge.
    """
    who = signed_in(request)
    if who is not None:
        await check_csrf(request)
    fields = await form_fields(request)
    language = fields.get("language", "")
    if not is_language(language):
        raise InvalidRequest("Choose English or Français.", fr="Choisissez English ou Français.", field=("language",))
    if who is not None:
        with box.uow(write=True) as uow:
            accounts.set_language(uow, who.actor.user_id, language)
            uow.commit()
    response = RedirectResponse(safe_next(fields.get("next")), status_code=303)
    remember_language(response, language, secure=box.settings.cookie_secure)
    return response
