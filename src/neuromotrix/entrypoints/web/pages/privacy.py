"""The privacy notice (public) and the consent page (docs/privacy.md).

- `/privacy` shows a clinic's privacy notice in the reader's language and the person in charge of the
  protection of personal information: the signed-in user's clinic; for a visitor, the clinic named by
  `?clinic=<id>`, else the first clinic, with links to the others when there are several.
- `/consent` shows the clinic's current consent text. `pages/deps.py` sends every signed-in user who has not
  accepted it here first (`ConsentRequiredError` → `consent_required`). Accepting records the version; saying
  no signs the user out, with the name of the person to contact.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import Conflict
from neuromotrix.entrypoints.web.api.pagination import MAX_ID
from neuromotrix.entrypoints.web.deps import SESSION_COOKIE, Caller, ContainerDep, container
from neuromotrix.entrypoints.web.pages.deps import CONSENT_PATH, ConsentRequiredError, MaybePageUser, PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator, remember_language
from neuromotrix.entrypoints.web.pages.navigation import safe_next
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import accounts, consent, privacy
from neuromotrix.services.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)
ClinicId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="The clinic whose notice to show.")]


async def consent_required(_request: Request, error: Exception) -> Response:
    """The answer to `ConsentRequiredError`: the consent page, then back to where the user was going."""
    assert isinstance(error, ConsentRequiredError)
    wanted = safe_next(error.next_path)
    query = f"?{urlencode({'next': wanted})}" if wanted != "/" else ""
    return RedirectResponse(CONSENT_PATH + query, status_code=303)


@router.get("/privacy")
async def notice(request: Request, who: MaybePageUser, box: ContainerDep, clinic: ClinicId = None) -> HTMLResponse:
    chosen = clinic if clinic is not None or who is None else who.actor.clinic_id
    with box.uow() as uow:
        settings = privacy.public_notice(uow, clinic_id=chosen)
        others = [item for item in privacy.all_clinics(uow) if settings is None or item.id != settings.clinic_id]
    context = {
        "settings": settings,
        "others": others if who is None else [],
        "time_zone": settings.time_zone if settings is not None else "America/Montreal",
    }
    return render(request, "privacy/notice.html", context)


def _consent_page(
    request: Request, who: Caller, box: ContainerDep, *, next_path: str, errors: FormErrors | None = None
) -> HTMLResponse:
    with box.uow() as uow:
        found = consent.state(uow, who.actor)
        settings = privacy.clinic_settings(uow, who.actor.clinic_id)
    context = {
        "state": found,
        "settings": settings,
        "next": next_path,
        "errors": errors or FormErrors(),
        "time_zone": settings.time_zone,
    }
    return render(request, "privacy/consent.html", context, status_code=422 if errors else 200)


@router.get(CONSENT_PATH)
async def consent_form(request: Request, who: PageUser, box: ContainerDep, next: str = "/") -> HTMLResponse:
    return _consent_page(request, who, box, next_path=safe_next(next))


@router.post(CONSENT_PATH, response_model=None)
async def answer(request: Request, who: PageUser, box: ContainerDep) -> Response:
    """`decision` = `accept` (with the `version` shown) or `decline`; `next` is where to go afterwards."""
    tr = page_translator(request)
    fields = await form_fields(request)
    next_path = safe_next(fields.get("next"))
    decision, version = fields.get("decision", ""), fields.get("version", "")
    errors = FormErrors()
    if decision not in ("accept", "decline") or not version.isdigit():
        errors.add(None, tr.gettext("Answer with one of the two buttons below the text."))
        return _consent_page(request, who, box, next_path=next_path, errors=errors)
    if decision == "decline":
        return _declined(request, who, box, version=int(version))
    try:
        with box.uow(write=True) as uow:
            consent.accept(
                uow, user_id=who.actor.user_id, clinic_id=who.actor.clinic_id, version=int(version),
                language=page_language(request), via="page", now=box.clock(), audit_as=who.actor.email,
            )  # fmt: skip
            uow.commit()
    except Conflict:
        errors.add(None, tr.gettext("The text changed while you were reading it. Read the new version below, then answer again."))  # fmt: skip
        return _consent_page(request, who, box, next_path=next_path, errors=errors)
    return RedirectResponse(next_path, status_code=303)


def _declined(request: Request, who: Caller, box: ContainerDep, *, version: int) -> Response:
    """No consent: the refusal is recorded, the user is signed out and told whom to contact."""
    now = box.clock()
    with box.uow(write=True) as uow:
        consent.decline(uow, who.actor, version=version, now=now)
        if who.session_id is not None:
            accounts.sign_out(uow, who.session_id, now=now)
        uow.commit()
        settings = privacy.clinic_settings(uow, who.actor.clinic_id)
    language = page_language(request)
    request.state.page_user = None  # signed out: the page shows no account
    response = render(request, "privacy/declined.html", {"settings": settings}, language=language)
    response.delete_cookie(SESSION_COOKIE, path="/")
    remember_language(response, language, secure=box.settings.cookie_secure)
    return response


# Consent on the invitation page (pages/auth.py) ----------------------------------------------------------

INVITATION_CONSENT_FIELD = "consent"


def invitation_consent(request: Request, token: str) -> consent.ConsentText | None:
    """The consent text to show on an invitation page: the current one of the inviting clinic, if any."""
    box = container(request)
    with box.uow() as uow:
        return consent.for_invitation(uow, token, now=box.clock())


def check_invitation_consent(request: Request, token: str, fields: dict[str, str], errors: FormErrors) -> None:
    """Opening an account means accepting the clinic's consent text, when it has one: the box must be ticked."""
    if fields.get(INVITATION_CONSENT_FIELD) == "accepted" or invitation_consent(request, token) is None:
        return
    errors.add(
        INVITATION_CONSENT_FIELD,
        page_translator(request).gettext("Tick the box to say you agree with the consent text. Without your consent, the account cannot be opened."),
    )  # fmt: skip


def record_invitation_consent(uow: UnitOfWork, request: Request, *, user_id: int, fields: dict[str, str]) -> None:
    """Record the acceptance given on the invitation page, in the transaction that opens the account (call it
    after the invitation is accepted). Only the version the person was shown counts: if the clinic published
    another one meanwhile, they are asked for it at their first page."""
    shown = fields.get("consent_version", "")
    if fields.get(INVITATION_CONSENT_FIELD) != "accepted" or not shown.isdigit():
        return
    clinic_id, email = consent.account_of(uow, user_id)
    current = consent.current_text(uow, clinic_id)
    if current is None or current.version != int(shown):
        return
    consent.accept(
        uow, user_id=user_id, clinic_id=clinic_id, version=current.version, language=page_language(request),
        via="invitation", now=container(request).clock(), audit_as=email,
    )  # fmt: skip
