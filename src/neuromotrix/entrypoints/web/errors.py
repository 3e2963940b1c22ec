"""The exception tree (domain/errors.py) mapped to HTTP in one place. Every answer says what to do.

The JSON API (`/api/...`, `/openapi.json`, `/docs`, `/redoc`, `/healthz`) answers JSON as documented in
docs/api.md, its messages in the caller's language (`Accept-Language`: `fr` or `en`, English by default; the
answer's `Content-Language` says which). Only the message changes with the language: `type` and `loc` stay. Pages answer HTML in the reader's language: an error page (404, 403, 500, or a short page for the
others), or a redirect: to `/login?next=...` when a page needs sign-in, to `/account/two-factor` for an admin
without two-factor. Forms handle their own validation errors (re-rendered with an error summary, docs/web.md);
what reaches this module from a page is an unexpected refusal.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from neuromotrix.adapters.i18n import negotiate
from neuromotrix.domain.errors import (
    AuthError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NeuroMotrixError,
    NotFound,
    ProfileError,
    RateLimited,
)
from neuromotrix.domain.validation_fr import french_message
from neuromotrix.entrypoints.web.pages.deps import (
    TWO_FACTOR_PATH,
    CsrfError,
    LoginRequiredError,
    SecondFactorRequiredError,
    return_path,
)
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.navigation import login_url
from neuromotrix.entrypoints.web.pages.rendering import render

STATUS = {
    InvalidRequest: 422,
    ProfileError: 422,
    NotFound: 404,
    Conflict: 409,
    AuthError: 401,
    Forbidden: 403,
    RateLimited: 429,
}
API_PREFIXES = ("/api/", "/static/")
API_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/healthz"})


def is_page_path(path: str) -> bool:
    """Whether a path is a page (HTML errors) rather than the API or a static file."""
    return not path.startswith(API_PREFIXES) and path not in API_PATHS


def is_page(request: Request) -> bool:
    return is_page_path(request.url.path)


def _status(error: NeuroMotrixError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


# The JSON API ---------------------------------------------------------------------------------------------


API_DEFAULT_LANGUAGE = "en"  # the API's own default; pages default to French (pages/locale.py)

# Starlette's and FastAPI's own refusals (unknown address, wrong method...) carry the status phrase as detail.
HTTP_DETAILS_FR = {
    "Bad Request": "Requête incorrecte",
    "Unauthorized": "Non authentifié",
    "Forbidden": "Interdit",
    "Not Found": "Introuvable",
    "Method Not Allowed": "Méthode non permise",
    "Not Acceptable": "Non acceptable",
    "Request Entity Too Large": "Requête trop volumineuse",
    "Content Too Large": "Contenu trop volumineux",
    "Unsupported Media Type": "Type de contenu non pris en charge",
    "Too Many Requests": "Trop de requêtes",
    "Internal Server Error": "Erreur interne du serveur",
    "There was an error parsing the body": "Le corps de la requête n'a pas pu être lu",
}


def api_language(request: Request) -> str:
    """`fr` or `en`: the first of them the caller's `Accept-Language` accepts, by q-value; English otherwise.
    Read on the error path only, so successful answers do no extra work."""
    return negotiate(request.headers.get("accept-language")) or API_DEFAULT_LANGUAGE


def _language_headers(language: str) -> dict[str, str]:
    return {"Content-Language": language, "Vary": "Accept-Language"}


def _api_domain_error(error: NeuroMotrixError, language: str = API_DEFAULT_LANGUAGE) -> JSONResponse:
    status = _status(error)
    message = error.text(language)
    body: dict[str, object] = {"detail": message}
    headers = _language_headers(language)
    if isinstance(error, InvalidRequest):
        body = {"detail": [{"loc": [error.where, *error.field], "msg": message, "type": "invalid"}]}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, AuthError):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(item: Mapping[str, object], language: str) -> str:
    english = str(item.get("msg", ""))
    if language != "fr":
        return english
    ctx = item.get("ctx")
    return french_message(str(item.get("type", "")), ctx if isinstance(ctx, Mapping) else None, english)


def _api_validation_error(error: RequestValidationError, language: str = API_DEFAULT_LANGUAGE) -> JSONResponse:
    details = [
        {
            "loc": list(item.get("loc", ())),
            "msg": _validation_message(item, language),
            "type": str(item.get("type", "")),
        }
        for item in error.errors()
    ]
    return JSONResponse({"detail": details}, status_code=422, headers=_language_headers(language))


async def _api_http_error(request: Request, error: StarletteHTTPException) -> Response:
    language = api_language(request)
    if language == "fr" and isinstance(error.detail, str) and error.detail in HTTP_DETAILS_FR:
        error = StarletteHTTPException(error.status_code, HTTP_DETAILS_FR[error.detail], headers=error.headers)
    response = await http_exception_handler(request, error)
    response.headers.update(_language_headers(language))
    return response


# Pages ----------------------------------------------------------------------------------------------------


def error_page(
    request: Request, status: int, *, retry_after: int | None = None, headers: Mapping[str, str] | None = None
) -> Response:
    """The HTML page for an HTTP status, in the reader's language (`headers`: e.g. the `Allow` of a 405)."""
    if status in (403, 404):
        return render(request, f"errors/{status}.html", status_code=status, headers=headers)
    tr = page_translator(request)
    home = tr.gettext("Go to my home page")
    headers = dict(headers or {})
    if status == 429:
        minutes = max(1, -(-(retry_after or 60) // 60))
        heading = tr.gettext("Too many attempts")
        message = tr.ngettext("Wait %(num)s minute, then try again.", "Wait %(num)s minutes, then try again.", minutes)
        headers["Retry-After"] = str(retry_after or 60)
    elif status == 409:
        heading = tr.gettext("This was changed in the meantime")
        message = tr.gettext("Someone or something changed this page since you opened it. Open it again to see it as it is now, then redo your change if it is still needed.")  # fmt: skip
    elif status == 405:
        heading = tr.gettext("This address does not take that request")
        message = tr.gettext("Open the page from the site's links or buttons rather than typing its address.")
    elif status in (400, 422):
        heading = tr.gettext("Something in the request was not right")
        message = tr.gettext("The address or the form had a value we could not use. Go back, check what you entered, and try again.")  # fmt: skip
    else:
        heading = tr.gettext("This page cannot be shown")
        message = tr.gettext("Go back, or start again from your home page. If it happens again, tell your clinic.")
    context = {"heading": heading, "message": message, "action_url": "/", "action_label": home}
    return render(request, "errors/error.html", context, status_code=status, headers=headers)


def _page_domain_error(request: Request, error: NeuroMotrixError) -> Response:
    if isinstance(error, AuthError):
        return RedirectResponse(login_url(return_path(request)), status_code=303)
    retry_after = error.retry_after if isinstance(error, RateLimited) else None
    return error_page(request, _status(error), retry_after=retry_after)


def _csrf_page(request: Request) -> Response:
    tr = page_translator(request)
    context = {
        "heading": tr.gettext("This form could not be sent"),
        "message": tr.gettext(
            "Its security check did not match: the page was opened before you signed in or out, or the form came from another site. Open the form again and send it once more."
        ),
        "action_url": request.url.path,
        "action_label": tr.gettext("Open the form again"),
    }
    return render(request, "errors/error.html", context, status_code=403)


# Handlers -------------------------------------------------------------------------------------------------


async def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, NeuroMotrixError)
    return _page_domain_error(request, error) if is_page(request) else _api_domain_error(error, api_language(request))


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return error_page(request, 422) if is_page(request) else _api_validation_error(error, api_language(request))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if is_page(request):
        return error_page(request, error.status_code, headers=error.headers)
    return await _api_http_error(request, error)


async def _login_required(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequiredError)
    return RedirectResponse(login_url(error.next_path), status_code=303)


async def _second_factor_required(_request: Request, _error: Exception) -> Response:
    return RedirectResponse(TWO_FACTOR_PATH, status_code=303)


async def _csrf_rejected(request: Request, _error: Exception) -> Response:
    return _csrf_page(request)


async def _server_error(request: Request, _error: Exception) -> Response:
    """Unexpected failures (the error is still raised to the server's log). The page does not touch the database:
    it may be what failed."""
    if not is_page(request):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return render(request, "errors/500.html", status_code=500, lookup_user=False)


def install(app: FastAPI) -> None:
    app.add_exception_handler(NeuroMotrixError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(LoginRequiredError, _login_required)
    app.add_exception_handler(SecondFactorRequiredError, _second_factor_required)
    app.add_exception_handler(CsrfError, _csrf_rejected)
    app.add_exception_handler(Exception, _server_error)
