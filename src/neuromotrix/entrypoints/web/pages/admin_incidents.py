"""The register of confidentiality incidents (clinic admins): the list, a new entry, and corrections to an
entry (measures taken since, notifications sent later). Entries are never deleted (`services/incidents.py`).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.admin_common import (
    PAGE_SIZE,
    Admin,
    Pages,
    admin_notice,
    clinic_context,
    read_date,
    read_offset,
    read_whole_number,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import incidents

router = APIRouter(include_in_schema=False)
FIELDS = (
    "occurred_on", "discovered_on", "description", "people_concerned", "serious_risk", "measures",
    "cai_notified_on", "people_notified_on",
)  # fmt: skip
DATE_FIELDS = ("occurred_on", "discovered_on", "cai_notified_on", "people_notified_on")


@router.get("/admin/incidents")
async def register(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    offset = read_offset(request.query_params.get("offset"))
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
        items, total = incidents.list_incidents(uow, who.actor, offset=offset, limit=PAGE_SIZE)
    context = {
        "items": items,
        "pages": Pages(offset, total, PAGE_SIZE, "/admin/incidents", {}),
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/incidents.html", context)


def _labels(tr: Translator) -> dict[str, str]:
    return {
        "occurred_on": tr.gettext("Date of the incident"),
        "discovered_on": tr.gettext("Date the clinic learned of it"),
        "cai_notified_on": tr.gettext("Commission d'accès à l'information notified on"),
        "people_notified_on": tr.gettext("People concerned notified on"),
    }


def _form_page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    *,
    incident_id: int | None,
    values: dict[str, str],
    errors: FormErrors,
) -> HTMLResponse:
    with box.uow() as uow:
        settings, today = clinic_context(uow, who.actor.clinic_id, box.clock())
        found = incidents.get(uow, who.actor, incident_id) if incident_id is not None else None
    context = {
        "incident": found,
        "values": values,
        "errors": errors,
        "today": today,
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/incident.html", context, status_code=422 if errors else 200)


def _values_of(found: dict[str, object]) -> dict[str, str]:
    values = {name: "" if found[name] is None else str(found[name]) for name in FIELDS}
    values["serious_risk"] = "yes" if found["serious_risk"] else "no"
    return values


def _entry(tr: Translator, fields: dict[str, str], errors: FormErrors) -> incidents.IncidentEntry | None:
    labels = _labels(tr)
    dates: dict[str, dt.date | None] = {
        name: read_date(tr, errors, fields, name, label=labels[name], required=name == "occurred_on")
        for name in DATE_FIELDS
    }
    if not fields.get("description", "").strip():
        errors.add("description", tr.gettext("Describe what happened and which personal information it concerns."))
    people = read_whole_number(fields.get("people_concerned", ""), low=0, high=incidents.MAX_PEOPLE)
    if people is None:
        errors.add(
            "people_concerned",
            tr.gettext("Enter the number of people concerned, 0 or more. Give your best estimate if it is not known yet."),
        )  # fmt: skip
    if fields.get("serious_risk") not in ("yes", "no"):
        errors.add(
            "serious_risk",
            tr.gettext("Say whether the incident presents a risk of serious injury to the people concerned."),
            target="serious_risk-yes",
        )
    occurred = dates["occurred_on"]
    if errors or occurred is None or people is None:
        return None
    return incidents.IncidentEntry(
        occurred_on=occurred,
        description=fields.get("description", ""),
        people_concerned=people,
        serious_risk=fields.get("serious_risk") == "yes",
        measures=fields.get("measures", ""),
        discovered_on=dates["discovered_on"],
        cai_notified_on=dates["cai_notified_on"],
        people_notified_on=dates["people_notified_on"],
    )


def _refused(tr: Translator, error: InvalidRequest, errors: FormErrors) -> None:
    field = str(error.field[0]) if error.field else ""
    if field == "discovered_on":
        errors.add(field, tr.gettext("The clinic cannot have learned of the incident before it happened. Check both dates."))  # fmt: skip
    elif field in DATE_FIELDS:
        errors.add(field, tr.gettext("This date is after today. Enter the day it happened."))
    elif field in ("description", "measures"):
        errors.add(field, tr.gettext("Shorten this text to %(count)s characters or fewer.", count=incidents.MAX_TEXT))
    else:
        errors.add(None, tr.gettext("The entry could not be saved as it is. Check each field, then save again."))


@router.get("/admin/incidents/new")
async def new_form(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _form_page(request, who, box, incident_id=None, values={}, errors=FormErrors())


@router.post("/admin/incidents/new", response_model=None)
async def create(request: Request, who: Admin, box: ContainerDep) -> Response:
    return await _save(request, who, box, incident_id=None)


@router.get("/admin/incidents/{incident_id}")
async def edit_form(request: Request, incident_id: Id, who: Admin, box: ContainerDep) -> HTMLResponse:
    with box.uow() as uow:
        values = _values_of(incidents.get(uow, who.actor, incident_id))
    return _form_page(request, who, box, incident_id=incident_id, values=values, errors=FormErrors())


@router.post("/admin/incidents/{incident_id}", response_model=None)
async def update(request: Request, incident_id: Id, who: Admin, box: ContainerDep) -> Response:
    return await _save(request, who, box, incident_id=incident_id)


async def _save(request: Request, who: Caller, box: ContainerDep, *, incident_id: int | None) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in FIELDS}
    errors = FormErrors()
    entry = _entry(tr, fields, errors)
    if entry is None:
        return _form_page(request, who, box, incident_id=incident_id, values=values, errors=errors)
    now = box.clock()
    try:
        with box.uow(write=True) as uow:
            _, today = clinic_context(uow, who.actor.clinic_id, now)
            if incident_id is None:
                incident_id = incidents.record(uow, who.actor, entry, now=now, today=today)
            else:
                incidents.update(uow, who.actor, incident_id, entry, now=now, today=today)
            uow.commit()
    except InvalidRequest as error:
        _refused(tr, error, errors)
        return _form_page(request, who, box, incident_id=incident_id, values=values, errors=errors)
    return RedirectResponse(f"/admin/incidents/{incident_id}?notice=incident_saved", status_code=303)
