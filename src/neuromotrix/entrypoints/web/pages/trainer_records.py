"""A participant's health records on the trainer's pages: clearances (with an attached document to download) and
botulinum-toxin injections, each listed with a form to record a new one.

Recording either one makes a new profile version and regenerates the program as a draft (services/records.py);
the page then says so and points to the Program section, where the draft waits for approval.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from neuromotrix.adapters.i18n import Translator, format_date
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.domain.facts import CLEARANCE_VALID_MONTHS, add_months
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.api.records import content_disposition
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.trainer_common import (
    Staff,
    checked_id,
    header,
    moment,
    parse_date,
    parse_number,
    participant_path,
    render_section,
    with_notice,
)
from neuromotrix.entrypoints.web.pages.trainer_words import WORDS
from neuromotrix.services import caseload, participants, records
from neuromotrix.services.records import MAX_DOCUMENT_BYTES, REGIONS, RESTRICTIONS, Document

router = APIRouter(include_in_schema=False)

LIST_LIMIT = 200  # records per list: years of clearances and injections


def _options(group: str, codes: tuple[str, ...], tr: Translator) -> list[tuple[str, str]]:
    return [(code, tr.gettext(WORDS[group][code])) for code in codes]


# Clearances ---------------------------------------------------------------------------------------------------


def _clearances_page(
    request: Request, who: Caller, box: Any, participant_id: int, *, values: dict[str, Any], errors: FormErrors
) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        items, total = records.list_clearances(
            uow, who.actor, participant_id, offset=0, limit=LIST_LIMIT, today=when.today
        )
        names = caseload.staff_names(uow, who.actor, [item["recorded_by"] for item in items])
        _, profile = participants.current_profile(uow, participant_id)
    audit_read(box, who, "clearance_list", f"0:{LIST_LIMIT}", participant_id)
    on_file = profile.screening.clearance
    context = {
        "on_file": on_file,
        "on_file_until": add_months(on_file.on, CLEARANCE_VALID_MONTHS) if on_file is not None else None,
        "items": items,
        "total": total,
        "names": names,
        "values": values,
        "errors": errors,
        "restriction_options": _options("restriction", RESTRICTIONS, tr),
        "max_megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024),
        "valid_months": CLEARANCE_VALID_MONTHS,
        "today": when.today,
    }
    status = 422 if errors else 200
    return render_section(
        request, "trainer/clearances.html", entry, "clearances", context, time_zone=when.time_zone, status_code=status
    )


@router.get("/participants/{participant_id:int}/clearances")
async def clearances(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _clearances_page(request, who, box, participant_id, values={"restrictions": []}, errors=FormErrors())


async def _document(upload: object) -> Document | None:
    """The attached file, or None when the form was sent without one (an empty file field)."""
    if not isinstance(upload, UploadFile):
        return None
    content = await upload.read(MAX_DOCUMENT_BYTES + 1)  # one byte over is enough to refuse it
    if not content and not upload.filename:
        return None
    return Document(content=content, content_type=upload.content_type or "", name=upload.filename or "")


def _document_error(tr: Translator, document: Document) -> str:
    size = len(document.content)
    if size == 0:
        return tr.gettext("The file is empty. Attach the clearance as a PDF, PNG or JPEG file.")
    if size > MAX_DOCUMENT_BYTES:
        return tr.gettext(
            "The file is larger than %(size)s MB. Attach a smaller file: a PDF, or a scan at a lower resolution.",
            size=MAX_DOCUMENT_BYTES // (1024 * 1024),
        )
    return tr.gettext(
        "The file is not a PDF, PNG or JPEG file (its content says otherwise). Attach the clearance in one of these formats."
    )


@router.post("/participants/{participant_id:int}/clearances", response_model=None)
async def record_clearance(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> Response:
    """Multipart form: `cleared_by`, `cleared_on`, `restrictions` (repeated), `document` (optional file)."""
    form = await request.form()
    try:
        return await _record_clearance(request, participant_id, who, box)
    finally:
        await form.close()  # the uploaded file's temporary copy


async def _record_clearance(request: Request, participant_id: int, who: Caller, box: Any) -> Response:
    tr = page_translator(request)
    checked_id(participant_id)
    form = await request.form()
    fields = await form_fields(request)
    chosen = [value for value in form.getlist("restrictions") if isinstance(value, str)]
    cleared_by = " ".join(fields.get("cleared_by", "").split())
    cleared_on = parse_date(fields.get("cleared_on"))
    values = {"cleared_by": cleared_by, "cleared_on": fields.get("cleared_on", ""), "restrictions": chosen}
    errors = FormErrors()
    if not cleared_by:
        errors.add("cleared_by", tr.gettext("Enter the name of the clinician who gave the clearance, like Dr. L. Gagnon, neurologist."))  # fmt: skip
    elif len(cleared_by) > 200:
        errors.add("cleared_by", tr.gettext("Shorten the clinician's name to 200 characters or fewer."))
    if cleared_on is None:
        errors.add("cleared_on", tr.gettext("Enter the date written on the clearance, like 2026-11-23."))
    if any(value not in RESTRICTIONS for value in chosen):
        errors.add("restrictions", tr.gettext("Choose the restrictions from the list."), target=f"restrictions-{RESTRICTIONS[0]}")  # fmt: skip
    document = await _document(form.get("document"))
    if errors or cleared_on is None:
        return _clearances_page(request, who, box, participant_id, values=values, errors=errors)
    today = _clinic_today(who, box)
    try:
        with box.uow(write=True) as uow:
            when = moment(uow, who, box.clock())
            records.record_clearance(
                uow, who.actor, participant_id, cleared_by=cleared_by, cleared_on=cleared_on, restrictions=chosen,
                document=document, now=when.now, today=when.today,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        _clearance_refused(tr, errors, error, cleared_on, today, document)
    except Conflict:
        errors.add(None, _later_clearance(who, box, participant_id, tr))
    if errors:
        return _clearances_page(request, who, box, participant_id, values=values, errors=errors)
    return RedirectResponse(with_notice(participant_path(participant_id, "/clearances"), "clearance_recorded"), 303)


def _clinic_today(who: Caller, box: Any) -> dt.date:
    with box.uow() as uow:
        return moment(uow, who, box.clock()).today


def _clearance_refused(
    tr: Translator,
    errors: FormErrors,
    error: InvalidRequest,
    cleared_on: dt.date,
    today: dt.date,
    document: Document | None,
) -> None:
    """The service's refusal in the reader's words, on the field it names."""
    field = error.field[0] if error.field else None
    if field == "document" and document is not None:
        errors.add("document", _document_error(tr, document))
    elif field == "cleared_on":
        expires_on = add_months(cleared_on, CLEARANCE_VALID_MONTHS)
        if cleared_on > today:
            errors.add("cleared_on", tr.gettext("The date is after today. Enter the date written on the clearance."))
        else:
            errors.add(
                "cleared_on",
                tr.gettext(
                    "A clearance counts for %(months)s months: this one expired on %(date)s. Ask the clinician for a new clearance and record that one.",
                    months=CLEARANCE_VALID_MONTHS,
                    date=format_date(expires_on, tr.language),
                ),
            )
    else:
        raise error


def _later_clearance(who: Caller, box: Any, participant_id: int, tr: Translator) -> str:
    with box.uow() as uow:
        _, profile = participants.current_profile(uow, participant_id)
    on_file = profile.screening.clearance
    if on_file is None:
        return tr.gettext("A more recent clearance is already on file. Record a clearance dated on or after it.")
    return tr.gettext(
        "A more recent clearance (by %(name)s, dated %(date)s) is already on file. Record a clearance dated on or after it.",
        name=on_file.by,
        date=format_date(on_file.on, tr.language),
    )


@router.get("/participants/{participant_id:int}/clearances/{clearance_id:int}/document")
async def clearance_document(participant_id: int, clearance_id: int, who: Staff, box: ContainerDep) -> Response:
    """The attached document as it was uploaded, as a download."""
    with box.uow() as uow:
        document = records.get_clearance_document(uow, who.actor, checked_id(participant_id), checked_id(clearance_id))
    audit_read(box, who, "clearance_document", clearance_id, participant_id)
    return Response(
        content=document.content,
        media_type=document.content_type,
        headers={"Content-Disposition": content_disposition(document.name)},
    )


# Injections ---------------------------------------------------------------------------------------------------


def _injections_page(
    request: Request, who: Caller, box: Any, participant_id: int, *, values: dict[str, Any], errors: FormErrors
) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        items, total = records.list_injections(uow, who.actor, participant_id, offset=0, limit=LIST_LIMIT)
        _, profile = participants.current_profile(uow, participant_id)
    audit_read(box, who, "injection_list", f"0:{LIST_LIMIT}", participant_id)
    context = {
        "items": items,
        "total": total,
        "next_expected": profile.treatments.next_injection_expected_on,
        "values": values,
        "errors": errors,
        "region_options": _options("region", REGIONS, tr),
        "today": when.today,
    }
    status = 422 if errors else 200
    return render_section(
        request, "trainer/injections.html", entry, "injections", context, time_zone=when.time_zone, status_code=status
    )


@router.get("/participants/{participant_id:int}/injections")
async def injections(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _injections_page(request, who, box, participant_id, values={"regions": []}, errors=FormErrors())


@router.post("/participants/{participant_id:int}/injections", response_model=None)
async def record_injection(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> Response:
    """Form: `injected_on`, `regions` (repeated), `product`, `dose_units` (both optional)."""
    tr = page_translator(request)
    checked_id(participant_id)
    form = await request.form()
    fields = await form_fields(request)
    regions = [value for value in form.getlist("regions") if isinstance(value, str)]
    injected_on = parse_date(fields.get("injected_on"))
    product = " ".join(fields.get("product", "").split())
    dose_text = fields.get("dose_units", "").strip()
    dose_units = parse_number(dose_text, tr.language) if dose_text else None
    values = {"injected_on": fields.get("injected_on", ""), "regions": regions, "product": product, "dose_units": dose_text}  # fmt: skip
    errors = FormErrors()
    if injected_on is None:
        errors.add("injected_on", tr.gettext("Enter the date of the injection, like 2026-11-23."))
    if not regions:
        errors.add("regions", tr.gettext("Choose at least one injected region."), target=f"regions-{REGIONS[0]}")
    elif any(region not in REGIONS for region in regions):
        errors.add("regions", tr.gettext("Choose the injected regions from the list."), target=f"regions-{REGIONS[0]}")
    if len(product) > 100:
        errors.add("product", tr.gettext("Shorten the product name to 100 characters or fewer."))
    if dose_text and (dose_units is None or dose_units <= 0):
        errors.add("dose_units", tr.gettext("Enter the dose as a number of units greater than 0, like 200, or leave it empty."))  # fmt: skip
    if errors or injected_on is None:
        return _injections_page(request, who, box, participant_id, values=values, errors=errors)
    try:
        with box.uow(write=True) as uow:
            when = moment(uow, who, box.clock())
            records.record_injection(
                uow, who.actor, participant_id, injected_on=injected_on, regions=regions, product=product or None,
                dose_units=dose_units, now=when.now, today=when.today,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        if not error.field or error.field[0] != "injected_on":
            raise
        errors.add("injected_on", tr.gettext("The date is after today. Record an injection once it has been given, with the date it was given."))  # fmt: skip
    except Conflict:
        errors.add(
            None,
            tr.gettext("An injection on %(date)s in these regions is already recorded. Check the date and the regions.", date=format_date(injected_on, tr.language)),
        )  # fmt: skip
    if errors:
        return _injections_page(request, who, box, participant_id, values=values, errors=errors)
    return RedirectResponse(with_notice(participant_path(participant_id, "/injections"), "injection_recorded"), 303)
