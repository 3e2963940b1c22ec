"""The signed-in user's own account: two-step sign-in (TOTP), which clinic admins must turn on first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import TWO_FACTOR_PATH, PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import accounts

router = APIRouter(include_in_schema=False)


def _staff_only(who: Caller) -> None:
    if not who.actor.is_staff:
        raise Forbidden(
            "Two-factor codes are for clinic staff accounts.",
            fr="Les codes à deux facteurs sont réservés aux comptes du personnel de la clinique.",
        )


def _page(
    request: Request, who: Caller, *, secret: str = "", uri: str = "", errors: FormErrors | None = None
) -> HTMLResponse:
    context = {"enabled": who.actor.second_factor, "secret": secret, "uri": uri, "errors": errors or FormErrors()}
    return render(request, "account/two_factor.html", context, status_code=422 if errors else 200)


@router.get(TWO_FACTOR_PATH)
async def two_factor(request: Request, who: PageUser) -> HTMLResponse:
    _staff_only(who)
    return _page(request, who)


@router.post(f"{TWO_FACTOR_PATH}/start")
async def start(request: Request, who: PageUser, box: ContainerDep) -> HTMLResponse:
    """A new key for the authenticator app (not active until a code confirms it)."""
    _staff_only(who)
    if who.actor.second_factor:
        return _page(request, who)
    with box.uow(write=True) as uow:
        secret, uri = accounts.start_totp(uow, who.actor)
        uow.commit()
    return _page(request, who, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), uri=uri)


@router.post(f"{TWO_FACTOR_PATH}/confirm", response_model=None)
async def confirm(request: Request, who: PageUser, box: ContainerDep) -> Response:
    _staff_only(who)
    tr = page_translator(request)
    code = (await form_fields(request)).get("code", "").replace(" ", "")
    errors = FormErrors()
    if not (code.isdigit() and len(code) == 6):
        errors.add("code", tr.gettext("Enter the 6 digits your authenticator app shows now."))
        return _page(request, who, errors=errors)
    try:
        with box.uow(write=True) as uow:
            accounts.confirm_totp(uow, who.actor, code, session_id=who.session_id, now=box.clock())
            uow.commit()
    except InvalidRequest:
        errors.add("code", tr.gettext("That code is not right. Enter the code your app shows now for NeuroMotrix."))
        return _page(request, who, errors=errors)
    except Conflict:
        pass  # already on (another tab did it): nothing left to do
    return RedirectResponse(f"{TWO_FACTOR_PATH}?notice=two_factor_on", status_code=303)
