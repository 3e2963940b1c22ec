"""Sign-in and sign-out, the start page by role, forgotten passwords and invitation links.

`login` shows the form pattern every page follows: read the fields, check them, collect `FormErrors` with a
message that says what to do, and render the same template again (status 422) with the summary, keeping
what was typed (never the password).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator, is_language
from neuromotrix.domain.errors import AuthError, Conflict, InvalidRequest, RateLimited, TotpRequired
from neuromotrix.entrypoints.web.deps import SESSION_COOKIE, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import CsrfChecked, MaybePageUser, PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator, remember_language
from neuromotrix.entrypoints.web.pages.navigation import HOME_BY_ROLE, login_url, safe_next
from neuromotrix.entrypoints.web.pages.privacy import (
    check_invitation_consent,
    invitation_consent,
    record_invitation_consent,
)
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import accounts, invitations

router = APIRouter(include_in_schema=False)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _wait_message(tr: Translator, seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))  # rounded up: never tell someone to come back too early
    return tr.ngettext(
        "Too many attempts. Wait %(num)s minute, then try again, or ask for a new password.",
        "Too many attempts. Wait %(num)s minutes, then try again, or ask for a new password.",
        minutes,
    )


def _check_email(tr: Translator, errors: FormErrors, email: str) -> None:
    if not email:
        errors.add("email", tr.gettext("Enter your email address, like name@example.org."))
    elif "@" not in email.strip("@"):
        errors.add("email", tr.gettext("Enter a complete email address, like name@example.org."))


def _check_new_password(tr: Translator, errors: FormErrors, password: str) -> None:
    if len(password) < accounts.MIN_PASSWORD:
        errors.add(
            "password",
            tr.gettext(
                "Choose a password of at least %(count)s characters. A few words in a row work well.",
                count=accounts.MIN_PASSWORD,
            ),
        )


# Sign-in ------------------------------------------------------------------------------------------------


def _login_page(
    request: Request, *, next_path: str, values: dict[str, str], errors: FormErrors, totp: bool, status_code: int
) -> HTMLResponse:
    context = {"next": next_path, "values": values, "errors": errors, "totp": totp}
    return render(request, "auth/login.html", context, status_code=status_code)


@router.get("/login", response_model=None)
async def login_form(request: Request, who: MaybePageUser, next: str = "/") -> Response:
    if who is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_path=safe_next(next), values={}, errors=FormErrors(), totp=False, status_code=200)


@router.post("/login", response_model=None)
async def login(request: Request, box: ContainerDep, _csrf: CsrfChecked) -> Response:
    """Fields `email`, `password`, and `totp` once the account asks for it; sets the same cookie as the API."""
    tr = page_translator(request)
    fields = await form_fields(request)
    email, password, code = fields.get("email", "").strip(), fields.get("password", ""), fields.get("totp", "").strip()
    next_path = safe_next(fields.get("next"))
    values = {"email": email}
    errors = FormErrors()
    _check_email(tr, errors, email)
    if not password:
        errors.add("password", tr.gettext("Enter your password."))
    if errors:
        return _login_page(request, next_path=next_path, values=values, errors=errors, totp=bool(code), status_code=422)

    def work() -> accounts.SignIn:
        with box.uow(write=True) as uow:
            signed = accounts.sign_in(
                uow, email=email, password=password, totp_code=code or None, limiter=box.login_limiter,
                client=_client(request), now=box.clock(), session_days=box.settings.session_days,
                user_agent=request.headers.get("user-agent", ""),
            )  # fmt: skip
            uow.commit()
            return signed

    try:
        signed = await run_in_threadpool(work)  # argon2: off the event loop
    except RateLimited as error:
        errors.add(None, _wait_message(tr, error.retry_after))
        return _login_page(request, next_path=next_path, values=values, errors=errors, totp=bool(code), status_code=429)
    except TotpRequired:
        message = (
            tr.gettext("That code is not right. Enter your password again and the code your app shows now.")
            if code
            else tr.gettext("Your account uses two-step sign-in. Enter your password again and the code from your authenticator app.")
        )  # fmt: skip
        errors.add("totp", message)
        return _login_page(request, next_path=next_path, values=values, errors=errors, totp=True, status_code=401)
    except AuthError:
        errors.add(
            "email",
            tr.gettext("The email address or the password is not right. Check both and try again, or ask for a new password."),
        )  # fmt: skip
        return _login_page(request, next_path=next_path, values=values, errors=errors, totp=bool(code), status_code=401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=box.settings.session_days * 86400,
        httponly=True,
        secure=box.settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return response


@router.post("/logout")
async def logout(who: PageUser, box: ContainerDep) -> RedirectResponse:
    if who.session_id is not None:
        with box.uow(write=True) as uow:
            accounts.sign_out(uow, who.session_id, now=box.clock())
            uow.commit()
    response = RedirectResponse(login_url(notice="signed_out"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    remember_language(response, who.actor.language, secure=box.settings.cookie_secure)  # the next page stays readable
    return response


@router.get("/")
async def home(who: MaybePageUser) -> RedirectResponse:
    """Each role starts somewhere else; anonymous visitors sign in first."""
    if who is None:
        return RedirectResponse(login_url(), status_code=303)
    return RedirectResponse(HOME_BY_ROLE[who.actor.role], status_code=303)


# Forgotten password -------------------------------------------------------------------------------------


@router.get("/forgot")
async def forgot_form(request: Request, box: ContainerDep) -> HTMLResponse:
    context = {"values": {}, "sent": False, "minutes": box.settings.reset_minutes}
    return render(request, "auth/forgot.html", context)


@router.post("/forgot")
async def forgot(request: Request, box: ContainerDep, _csrf: CsrfChecked) -> HTMLResponse:
    """The same answer whether or not the address has an account (no account enumeration)."""
    tr = page_translator(request)
    fields = await form_fields(request)
    email = fields.get("email", "").strip()
    errors = FormErrors()
    _check_email(tr, errors, email)
    context: dict[str, object] = {"values": {"email": email}, "minutes": box.settings.reset_minutes, "sent": False}
    if not errors:
        try:
            with box.uow(write=True) as uow:
                accounts.request_password_reset(
                    uow, email, limiter=box.login_limiter, client=_client(request), now=box.clock(),
                    minutes=box.settings.reset_minutes, base_url=box.settings.base_url,
                )  # fmt: skip
                uow.commit()
        except InvalidRequest:
            errors.add("email", tr.gettext("Enter a complete email address, like name@example.org."))
        except RateLimited as error:
            errors.add(None, _wait_message(tr, error.retry_after))
            return render(request, "auth/forgot.html", context | {"errors": errors}, status_code=429)
    if errors:
        return render(request, "auth/forgot.html", context | {"errors": errors}, status_code=422)
    return render(request, "auth/forgot.html", context | {"sent": True})


@router.get("/reset/{token}")
async def reset_form(request: Request, token: str) -> HTMLResponse:
    return render(request, "auth/reset.html", {"token": token, "min_password": accounts.MIN_PASSWORD})


@router.post("/reset/{token}", response_model=None)
async def reset(request: Request, token: str, box: ContainerDep, _csrf: CsrfChecked) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    password = fields.get("password", "")
    errors = FormErrors()
    _check_new_password(tr, errors, password)

    def work() -> None:
        with box.uow(write=True) as uow:
            accounts.finish_password_reset(uow, token, password, now=box.clock(), limiter=box.login_limiter)
            uow.commit()

    if not errors:
        try:
            await run_in_threadpool(work)
        except InvalidRequest as error:
            if error.field != ("token",):
                raise
            errors.add(
                None,
                tr.gettext("This link does not work any more: it was already used, it has expired, or part of it is missing. Ask for a new link from the “Forgot your password?” page."),
            )  # fmt: skip
    if errors:
        context = {"token": token, "min_password": accounts.MIN_PASSWORD, "errors": errors}
        return render(request, "auth/reset.html", context, status_code=422)
    return RedirectResponse(login_url(notice="password_reset"), status_code=303)


# Invitations --------------------------------------------------------------------------------------------


def _invitation_page(request: Request, token: str, values: dict[str, str], errors: FormErrors) -> HTMLResponse:
    context = {"token": token, "values": values, "errors": errors, "min_password": accounts.MIN_PASSWORD}
    context["consent_text"] = invitation_consent(request, token)  # the clinic's, to accept with the account
    return render(request, "auth/invitation.html", context, status_code=422 if errors else 200)


@router.get("/invitations/{token}")
async def invitation_form(request: Request, token: str) -> HTMLResponse:
    return _invitation_page(request, token, {}, FormErrors())


@router.post("/invitations/{token}")
async def accept_invitation(request: Request, token: str, box: ContainerDep, _csrf: CsrfChecked) -> HTMLResponse:
    """Open the invited account (password and language), or add the invitation to an existing caregiver account."""
    tr = page_translator(request)
    fields = await form_fields(request)
    password, language = fields.get("password", ""), fields.get("language", "")
    errors = FormErrors()
    if password:
        _check_new_password(tr, errors, password)
    if not is_language(language):
        errors.add("language", tr.gettext("Choose the language of your account."), target="language-fr")
    check_invitation_consent(request, token, fields, errors)
    if errors:
        return _invitation_page(request, token, {"language": language}, errors)

    def work() -> invitations.Accepted:
        with box.uow(write=True) as uow:
            accepted = invitations.accept(uow, token, password=password or None, language=language, now=box.clock())
            record_invitation_consent(uow, request, user_id=accepted.user_id, fields=fields)
            uow.commit()
            return accepted

    try:
        accepted = await run_in_threadpool(work)  # argon2: off the event loop
    except InvalidRequest as error:
        if error.field == ("password",):
            errors.add("password", tr.gettext("Choose a password for your new account (at least %(count)s characters).", count=accounts.MIN_PASSWORD))  # fmt: skip
        else:
            errors.add(None, tr.gettext("This invitation link cannot be used: it has expired, was already used, or was replaced by a newer invitation. If you already opened your account, sign in; otherwise ask the person who invited you to send a new link."))  # fmt: skip
        return _invitation_page(request, token, {"language": language}, errors)
    except Conflict:
        errors.add(None, tr.gettext("An account already exists for this email address and it cannot take this invitation. Sign in with it, or ask the person who invited you for help."))  # fmt: skip
        return _invitation_page(request, token, {"language": language}, errors)
    response = render(
        request, "auth/invitation_done.html", {"existing_account": accepted.existing_account}, language=language
    )
    remember_language(response, language, secure=box.settings.cookie_secure)
    return response
