"""`/p/{participant_id}/injections`: the botulinum-toxin injections, newest first, and a form to record one
(`records.record_injection`: a new profile version and a program draft for the trainer to approve)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import Translator
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.participant_common import audit, page_context
from neuromotrix.entrypoints.web.pages.participant_labels import REGIONS
from neuromotrix.entrypoints.web.pages.participant_steps import parse_date
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import participant_view, records

router = APIRouter(include_in_schema=False)

LIST_LIMIT = 200
MAX_PRODUCT = 100


def _page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    participant_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    recorded: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with box.uow() as uow:
        found, _ = records.list_injections(uow, who.actor, participant_id, offset=0, limit=LIST_LIMIT)
        name = participant_view.name_of(uow, who.actor, participant_id)
        today = participant_view.day_of(uow, who.actor, participant_id, now=box.clock())
    audit(box, who, "injections", participant_id, participant_id)
    context = page_context(who, participant_id, name, "injections") | {
        "injections": found,
        "today": today,
        "regions": list(REGIONS.items()),
        "errors": errors or FormErrors(),
        "values": values or {"regions": []},
        "recorded": recorded,
    }
    return render(request, "participant/injections.html", context, status_code=status_code)


@router.get("/p/{participant_id}/injections")
async def injections(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    return _page(request, who, box, participant_id)


def _read(tr: Translator, fields: dict[str, str], chosen: list[str], errors: FormErrors) -> dict[str, Any]:
    injected_on = parse_date(fields.get("injected_on", ""))
    if injected_on is None:
        errors.add(
            "injected_on",
            tr.gettext("Enter the date of the injection as year-month-day, like 2026-11-23."),
        )
    regions = [region for region in REGIONS if region in chosen]
    if not regions:
        errors.add("regions", tr.gettext("Choose at least one place that was injected."), target="regions-neck")
    product = fields.get("product", "").strip()
    if len(product) > MAX_PRODUCT:
        errors.add(
            "product", tr.gettext("Shorten the product name to %(count)s characters or fewer.", count=MAX_PRODUCT)
        )
    dose_text = fields.get("dose_units", "").strip().replace(",", ".")
    dose: float | None = None
    if dose_text:
        try:
            dose = float(dose_text)
        except ValueError:
            dose = None
        if dose is None or not 0 < dose < 10_000:
            errors.add(
                "dose_units", tr.gettext("Write the dose as a number of units above 0, like 100, or leave it empty.")
            )
    return {"injected_on": injected_on, "regions": regions, "product": product or None, "dose_units": dose}


@router.post("/p/{participant_id}/injections")
async def record(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    form = await request.form()
    fields = await form_fields(request)
    chosen = [value for value in form.getlist("regions") if isinstance(value, str)]
    values: dict[str, Any] = fields | {"regions": chosen}
    errors = FormErrors()
    entry = _read(tr, fields, chosen, errors)
    if errors:
        return _page(request, who, box, participant_id, errors=errors, values=values, status_code=422)
    try:
        with box.uow(write=True) as uow:
            today = participant_view.day_of(uow, who.actor, participant_id, now=box.clock())
            result = records.record_injection(uow, who.actor, participant_id, now=box.clock(), today=today, **entry)
            uow.commit()
    except Conflict:
        errors.add("injected_on", tr.gettext("An injection on this date in these places is already recorded. Check the date and the places."))  # fmt: skip
        return _page(request, who, box, participant_id, errors=errors, values=values, status_code=409)
    except InvalidRequest as error:
        _explain(tr, error, errors)
        return _page(request, who, box, participant_id, errors=errors, values=values, status_code=422)
    return _page(request, who, box, participant_id, recorded=_note(tr, result), status_code=200)


def _explain(tr: Translator, error: InvalidRequest, errors: FormErrors) -> None:
    """The service's refusals, in the reader's words, on the field they are about."""
    field = str(error.field[0]) if error.field else ""
    if field == "injected_on":
        errors.add("injected_on", tr.gettext("The injection date is after today. Record an injection once it has been given, with its date."))  # fmt: skip
    elif field == "regions":
        errors.add("regions", tr.gettext("Choose the places that were injected from the list."), target="regions-neck")
    elif field == "dose_units":
        errors.add(
            "dose_units", tr.gettext("Write the dose as a number of units above 0, like 100, or leave it empty.")
        )
    else:
        errors.add(
            "product", tr.gettext("Shorten the product name to %(count)s characters or fewer.", count=MAX_PRODUCT)
        )


def _note(tr: Translator, result: records.Recorded) -> str:
    """What recording did, in the reader's language (the API gives the same note in English and French)."""
    if result.active_version is None:
        return tr.gettext(
            "Recorded. Program version %(draft)s is a draft built for the new injection; your trainer reviews it.",
            draft=result.draft.version,
        )
    return tr.gettext(
        "Recorded. Program version %(draft)s is a draft built for the new injection; version %(active)s stays "
        "in use until your trainer approves the draft.",
        draft=result.draft.version,
        active=result.active_version,
    )
