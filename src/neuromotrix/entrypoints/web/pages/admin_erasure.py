"""Participants' rights (clinic admins): the clinic's participants with a download of all their data (JSON,
portability), and erasure requests: recorded, reviewed, then carried out as the retention period decides
(de-identification within it, deletion after it; `services/erasure.py`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import N_
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.api.records import content_disposition
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.admin_common import (
    PAGE_SIZE,
    Admin,
    Pages,
    admin_notice,
    clinic_context,
    read_date,
    read_id,
    read_offset,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import erasure, export, participants

router = APIRouter(include_in_schema=False)

REQUESTED_BY = {
    "participant": N_("The participant"),
    "guardian": N_("Their guardian"),
    "representative": N_("Another legal representative"),
}
STATUSES = {
    "pending": N_("Waiting"),
    "deidentified": N_("De-identified; record kept"),
    "deleted": N_("Deleted"),
}
# What processing removed or cleared, as the request's outcome counts it (other keys are table names).
COUNTED = {
    "login_deleted": N_("Login account deleted"),
    "emails_removed": N_("Emails waiting to be sent, removed"),
    "caregiver_links": N_("Caregiver links removed"),
    "invitations": N_("Invitations removed"),
    "notifications": N_("Messages about the participant removed"),
    "session_notes": N_("Session notes cleared"),
    "block_notes": N_("Exercise notes cleared"),
    "checkin_notes": N_("Check-in notes cleared"),
    "documents": N_("Clearance documents removed"),
    "profile_versions": N_("Profile versions without the name and reasons"),
    "program_versions": N_("Program versions without typed reasons"),
}


# Participants and their data ---------------------------------------------------------------------------


@router.get("/admin/participants")
async def participant_list(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    offset = read_offset(request.query_params.get("offset"))
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
        rows, total = participants.list_participants(uow, who.actor, offset=offset, limit=PAGE_SIZE)
    context = {
        "items": rows,
        "pages": Pages(offset, total, PAGE_SIZE, "/admin/participants", {}),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/participants.html", context)


@router.get("/admin/participants/{participant_id}/export")
async def download(participant_id: Id, who: Admin, box: ContainerDep) -> Response:
    """Every row about the participant as one JSON file (the same document as the API's export); audited."""
    now = box.clock()
    with box.uow(write=True) as uow:
        _, today = clinic_context(uow, who.actor.clinic_id, now)
        document = export.export_participant(uow, who.actor, participant_id, now=now)
        uow.commit()
    return Response(
        content=export.to_json(document),
        media_type="application/json",
        headers={"Content-Disposition": content_disposition(export.file_name(participant_id, today))},
    )


# Erasure requests ---------------------------------------------------------------------------------------


def _requests_page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        settings, today = clinic_context(uow, who.actor.clinic_id, box.clock())
        items = erasure.list_requests(uow, who.actor, today=today)
        rows, _ = participants.list_participants(uow, who.actor, offset=0, limit=1000)
    chosen = request.query_params.get("participant_id", "")
    context = {
        "items": items,
        "participants": [(str(row.id), str(row.display_name)) for row in rows],
        "values": values or {"participant_id": chosen, "requested_on": today.isoformat()},
        "requested_by": REQUESTED_BY,
        "statuses": STATUSES,
        "settings": settings,
        "errors": errors or FormErrors(),
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/erasure.html", context, status_code=422 if errors else 200)


@router.get("/admin/erasure")
async def requests(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _requests_page(request, who, box)


@router.post("/admin/erasure", response_model=None)
async def record_request(request: Request, who: Admin, box: ContainerDep) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in ("participant_id", "requested_on", "requested_by")}
    errors = FormErrors()
    participant_id = read_id(values["participant_id"])
    if participant_id is None:
        errors.add("participant_id", tr.gettext("Choose the participant who asked for their data to be erased."))
    requested_on = read_date(tr, errors, values, "requested_on", label=tr.gettext("Date of the request"), required=True)
    if values["requested_by"] not in REQUESTED_BY:
        errors.add("requested_by", tr.gettext("Say who made the request."), target="requested_by-participant")
    if errors or participant_id is None or requested_on is None:
        return _requests_page(request, who, box, values=values, errors=errors)
    now = box.clock()
    try:
        with box.uow(write=True) as uow:
            _, today = clinic_context(uow, who.actor.clinic_id, now)
            request_id = erasure.record_request(
                uow, who.actor, participant_id, requested_on=requested_on, requested_by=values["requested_by"],
                now=now, today=today,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest:
        errors.add("requested_on", tr.gettext("The request date is after today. Enter the day the request was made."))
        return _requests_page(request, who, box, values=values, errors=errors)
    except Conflict:
        errors.add("participant_id", tr.gettext("A request for this participant is already waiting. Open it from the list below and process it."))  # fmt: skip
        return _requests_page(request, who, box, values=values, errors=errors)
    return RedirectResponse(f"/admin/erasure/{request_id}?notice=erasure_recorded", status_code=303)


@router.get("/admin/erasure/{request_id}")
async def review(request: Request, request_id: Id, who: Admin, box: ContainerDep) -> HTMLResponse:
    """What processing the request would do now, and what it did."""
    with box.uow() as uow:
        settings, today = clinic_context(uow, who.actor.clinic_id, box.clock())
        decided = erasure.plan(uow, who.actor, request_id, today=today)
    outcome = decided.request["outcome"] or {}
    counts = outcome.get("counts", {}) if isinstance(outcome, dict) else {}
    context = {
        "item": decided.request,
        "action": decided.action,
        "retention": decided.retention,
        "outcome": outcome,
        "counts": [(COUNTED.get(key), key, value) for key, value in counts.items() if value],
        "requested_by": REQUESTED_BY,
        "statuses": STATUSES,
        "today": today,
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/erasure_request.html", context)


@router.post("/admin/erasure/{request_id}/process")
async def process(request_id: Id, who: Admin, box: ContainerDep) -> RedirectResponse:
    """Carry out the request now (the review page says what this does); once done, doing it again is refused."""
    now = box.clock()
    box.audit.flush()  # reads still buffered are written first, so the erasure reaches them too
    with box.uow(write=True) as uow:
        _, today = clinic_context(uow, who.actor.clinic_id, now)
        erasure.process(uow, who.actor, request_id, now=now, today=today)
        uow.commit()
    return RedirectResponse(f"/admin/erasure/{request_id}?notice=erasure_done", status_code=303)
