"""Clinic administration: the start page (what needs doing), the clinic's accounts, their roles, whether they
are switched on, and which participants each trainer follows. The services are those of the JSON API
(`services/admin.py`), so both answer the same way.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
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
from neuromotrix.services import admin, consent, erasure, incidents, invitations, participants

router = APIRouter(include_in_schema=False)


@router.get("/admin")
async def start(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    """What the clinic has in place and what waits for the admin."""
    actor, now = who.actor, box.clock()
    with box.uow() as uow:
        settings, today = clinic_context(uow, actor.clinic_id, now)
        _, user_count = admin.list_users(uow, actor, role=None, offset=0, limit=1)
        _, invitation_count = invitations.list_pending(uow, actor, now=now, offset=0, limit=1)
        requests = erasure.list_requests(uow, actor, today=today)
        _, incident_count = incidents.list_incidents(uow, actor, offset=0, limit=1)
        current = consent.current_text(uow, actor.clinic_id)
    context = {
        "settings": settings,
        "user_count": user_count,
        "invitation_count": invitation_count,
        "waiting_requests": sum(1 for item in requests if item["status"] == "pending" or item["due"]),
        "incident_count": incident_count,
        "consent_version": current.version if current is not None else None,
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/start.html", context)


# Accounts -----------------------------------------------------------------------------------------------


@router.get("/admin/users")
async def users(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    offset = read_offset(request.query_params.get("offset"))
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
        items, total = admin.list_users(uow, who.actor, role=None, offset=offset, limit=PAGE_SIZE)
    pages = Pages(offset, total, PAGE_SIZE, "/admin/users", {})
    context = {"items": items, "pages": pages, "roles": ROLE_LABELS, "time_zone": settings.time_zone}
    return render(request, "admin/users.html", context)


def _user_page(
    request: Request, who: Caller, box: ContainerDep, user_id: int, *, errors: FormErrors | None = None
) -> HTMLResponse:
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
        account = admin.user_detail(uow, who.actor, user_id)
        rows, _ = participants.list_participants(uow, who.actor, offset=0, limit=1000)
    names = {int(row.id): str(row.display_name) for row in rows}
    context = {
        "account": account,
        "roles": ROLE_LABELS,
        "linked": [(pid, names.get(pid, f"#{pid}")) for pid in account["participant_ids"]],
        "choices": [(pid, name) for pid, name in names.items() if pid not in account["participant_ids"]],
        "is_self": user_id == who.actor.user_id,
        "errors": errors or FormErrors(),
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/user.html", context, status_code=422 if errors else 200)


@router.get("/admin/users/{user_id}")
async def user(request: Request, user_id: Id, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _user_page(request, who, box, user_id)


@router.post("/admin/users/{user_id}/role", response_model=None)
async def change_role(request: Request, user_id: Id, who: Admin, box: ContainerDep) -> Response:
    tr = page_translator(request)
    role = (await form_fields(request)).get("role", "")
    errors = FormErrors()
    if role not in ROLE_LABELS:
        errors.add("role", tr.gettext("Choose the new role."), target="role-admin")
        return _user_page(request, who, box, user_id, errors=errors)
    try:
        with box.uow(write=True) as uow:
            admin.update_user(uow, who.actor, user_id, now=box.clock(), role=role)
            uow.commit()
    except Conflict:
        message = (
            tr.gettext("You cannot change your own role. Ask another clinic administrator.")
            if user_id == who.actor.user_id
            else tr.gettext("This account is a participant's login, so it stays a participant. To give this person another role, invite them with another email address.")
        )  # fmt: skip
        errors.add("role", message, target="role-admin")
        return _user_page(request, who, box, user_id, errors=errors)
    return RedirectResponse(f"/admin/users/{user_id}?notice=role_changed", status_code=303)


@router.post("/admin/users/{user_id}/active", response_model=None)
async def switch(request: Request, user_id: Id, who: Admin, box: ContainerDep) -> Response:
    """Switch the account on or off (`active` = `on` or `off`); switching off ends its sessions."""
    tr = page_translator(request)
    wanted = (await form_fields(request)).get("active", "")
    errors = FormErrors()
    if wanted not in ("on", "off"):
        errors.add(None, tr.gettext("Use the button on this page to switch the account on or off."))
        return _user_page(request, who, box, user_id, errors=errors)
    try:
        with box.uow(write=True) as uow:
            admin.update_user(uow, who.actor, user_id, now=box.clock(), active=wanted == "on")
            uow.commit()
    except Conflict:
        errors.add(None, tr.gettext("You cannot switch off your own account. Ask another clinic administrator."))
        return _user_page(request, who, box, user_id, errors=errors)
    return RedirectResponse(f"/admin/users/{user_id}?notice=account_{wanted}", status_code=303)


@router.post("/admin/users/{user_id}/assignments", response_model=None)
async def assign(request: Request, user_id: Id, who: Admin, box: ContainerDep) -> Response:
    tr = page_translator(request)
    participant_id = read_id((await form_fields(request)).get("participant_id"))
    errors = FormErrors()
    if participant_id is None:
        errors.add("participant_id", tr.gettext("Choose the participant this trainer will follow."))
        return _user_page(request, who, box, user_id, errors=errors)
    try:
        with box.uow(write=True) as uow:
            admin.assign_trainer(uow, who.actor, user_id, participant_id, now=box.clock())
            uow.commit()
    except InvalidRequest:
        errors.add(None, tr.gettext("Only trainers and administrators follow participants. Change the role first if this person should follow someone."))  # fmt: skip
        return _user_page(request, who, box, user_id, errors=errors)
    except NotFound:
        errors.add("participant_id", tr.gettext("This participant is not in your clinic any more. Choose one from the list."))  # fmt: skip
        return _user_page(request, who, box, user_id, errors=errors)
    return RedirectResponse(f"/admin/users/{user_id}?notice=assigned", status_code=303)


@router.post("/admin/users/{user_id}/assignments/{participant_id}/end")
async def unassign(user_id: Id, participant_id: Id, who: Admin, box: ContainerDep) -> RedirectResponse:
    with box.uow(write=True) as uow:
        admin.unassign_trainer(uow, who.actor, user_id, participant_id, now=box.clock())
        uow.commit()
    return RedirectResponse(f"/admin/users/{user_id}?notice=unassigned", status_code=303)
