"""Invitations (clinic admins): the pending ones, inviting someone by email link, withdrawing a link.

An admin invites any role of the clinic (`services/invitations.py`): staff without a participant; a
participant's login or a caregiver for one participant, a caregiver with the consent of the participant or of
their guardian.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator, is_language
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.admin_common import (
    PAGE_SIZE,
    ROLE_LABELS,
    Admin,
    Pages,
    admin_notice,
    clinic_context,
    read_id,
    read_offset,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import invitations, participants

router = APIRouter(include_in_schema=False)
FIELDS = ("email", "name", "role", "participant_id", "consent_by", "consent_name", "language")


def _page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    offset = read_offset(request.query_params.get("offset"))
    now = box.clock()
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, now)
        items, total = invitations.list_pending(uow, who.actor, now=now, offset=offset, limit=PAGE_SIZE)
        rows, _ = participants.list_participants(uow, who.actor, offset=0, limit=1000)
    context = {
        "items": items,
        "pages": Pages(offset, total, PAGE_SIZE, "/admin/invitations", {}),
        "roles": ROLE_LABELS,
        "participants": [(str(row.id), str(row.display_name)) for row in rows],
        "names": {int(row.id): str(row.display_name) for row in rows},
        "values": values or {},
        "errors": errors or FormErrors(),
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/invitations.html", context, status_code=422 if errors else 200)


@router.get("/admin/invitations")
async def pending(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _page(request, who, box)


def _checked(tr: Translator, fields: dict[str, str]) -> tuple[invitations.Invitee | None, FormErrors]:
    errors = FormErrors()
    email, role = fields.get("email", "").strip(), fields.get("role", "")
    if "@" not in email.strip("@"):
        errors.add("email", tr.gettext("Enter a complete email address, like name@example.org."))
    if not fields.get("name", "").strip():
        errors.add("name", tr.gettext("Enter the name of the person, as they will read it in the email."))
    if role not in ROLE_LABELS:
        errors.add("role", tr.gettext("Choose the role of the new account."), target="role-admin")
    participant_id = read_id(fields.get("participant_id"))
    if role in ("participant", "caregiver") and participant_id is None:
        errors.add("participant_id", tr.gettext("Choose the participant this invitation is for."))
    if not is_language(fields.get("language")):
        errors.add("language", tr.gettext("Choose the language of the email and of the account."), target="language-fr")
    if errors:
        return None, errors
    caregiver = role == "caregiver"
    invitee = invitations.Invitee(
        email=email,
        name=fields.get("name", "").strip(),
        role=role,
        participant_id=participant_id if role in ("participant", "caregiver") else None,
        consent_by=(fields.get("consent_by") or None) if caregiver else None,
        consent_name=(fields.get("consent_name", "").strip() or None) if caregiver else None,
        language=fields["language"],
    )
    return invitee, errors


def _refusal(tr: Translator, error: InvalidRequest) -> tuple[str, str]:
    """The field and the words for what the invitation service refused."""
    field = str(error.field[0]) if error.field else ""
    messages = {
        "email": tr.gettext("Enter a complete email address, like name@example.org."),
        "consent_by": tr.gettext("Say who agreed that this caregiver sees the participant's information: the participant, or their guardian."),
        "consent_name": tr.gettext("Enter the name of the person who gave that consent."),
        "participant_id": tr.gettext("Choose the participant this invitation is for."),
    }  # fmt: skip
    if field in messages:
        return field, messages[field]
    return "", tr.gettext("This invitation cannot be sent as it is. Check each field, then send it again.")


@router.post("/admin/invitations", response_model=None)
async def invite(request: Request, who: Admin, box: ContainerDep) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in FIELDS}
    invitee, errors = _checked(tr, fields)
    if invitee is None:
        return _page(request, who, box, values=values, errors=errors)
    settings = box.settings
    try:
        with box.uow(write=True) as uow:
            invitations.invite(
                uow, who.actor, invitee, now=box.clock(), base_url=settings.base_url,
                valid_days=settings.invitation_days,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        field, message = _refusal(tr, error)
        target = "consent_by-participant" if field == "consent_by" else None
        errors.add(field or None, message, target=target)
        return _page(request, who, box, values=values, errors=errors)
    except Conflict:
        errors.add(
            "email",
            tr.gettext("This invitation cannot be sent: the address already has an account, the caregiver already looks after this participant, or the participant already has a login. Check the address and the participant."),
        )  # fmt: skip
        return _page(request, who, box, values=values, errors=errors)
    return RedirectResponse("/admin/invitations?notice=invited", status_code=303)


@router.post("/admin/invitations/{invitation_id}/withdraw")
async def withdraw(invitation_id: Id, who: Admin, box: ContainerDep) -> RedirectResponse:
    with box.uow(write=True) as uow:
        invitations.revoke(uow, who.actor, invitation_id, now=box.clock())
        uow.commit()
    return RedirectResponse("/admin/invitations?notice=withdrawn", status_code=303)
