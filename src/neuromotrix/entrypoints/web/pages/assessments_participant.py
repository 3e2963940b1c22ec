"""The participant's questionnaires (BRIEF §7): `/p/{participant_id}/assessments` (what is due, what can be filled
in, what was recorded) and `/p/{participant_id}/assessments/{instrument}` (one questionnaire as a form).

The participant, a linked caregiver or staff fill them in; who may enter which kind is the service's rule
(services/assessments.py `may_enter`): a performance or clinician-rated test is not offered here to a participant.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.instruments import Instrument
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.assessments_form import (
    KIND_LABELS,
    REASON_LABELS,
    form_view,
    read_submission,
    record_submission,
    units_of,
)
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.entrypoints.web.pages.participant_common import audit, page_context
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import assessments, participant_view
from neuromotrix.services.access import participant_row
from neuromotrix.services.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)
RECENT = 20  # recorded questionnaires listed on the page, newest first


@dataclass(frozen=True)
class DueLink:
    instrument: str
    name: str
    reason: str  # an English msgid
    due_by: Any


def due_links(box: ContainerDep, who: Caller, participant_id: int, language: str) -> list[DueLink]:
    """The due questionnaires the reader may fill in, for the reminder on the today page and the list page."""
    with box.uow() as uow:
        day = participant_view.day_of(uow, who.actor, participant_id, now=box.clock())
        due = assessments.due_for(uow, who.actor, participant_id, today=day)
        found = {item.key: item for item in assessments.instruments_for_clinic(uow, who.actor.clinic_id)}
    audit(box, who, "assessments_due", participant_id, participant_id)
    return [
        DueLink(
            item.instrument, found[item.instrument].name.in_language(language), REASON_LABELS[item.reason], item.due_by
        )
        for item in due
        if item.instrument in found and assessments.may_enter(who.actor, found[item.instrument])
    ]


@router.get("/p/{participant_id}/assessments")
async def index(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    language = page_language(request)
    due = due_links(box, who, participant_id, language)
    with box.uow() as uow:
        name = participant_view.name_of(uow, who.actor, participant_id)
        records = assessments.list_assessments(uow, who.actor, participant_id)
        instruments = assessments.instruments_for_clinic(uow, who.actor.clinic_id)
    audit(box, who, "assessments", participant_id, participant_id)
    names = {instrument.key: instrument.name.in_language(language) for instrument in instruments}
    correctable = {instrument.key for instrument in instruments if assessments.may_enter(who.actor, instrument)}
    offered = [
        (instrument.key, names[instrument.key], KIND_LABELS[instrument.kind])
        for instrument in instruments
        if assessments.may_enter(who.actor, instrument) and all(item.text is not None for item in instrument.items)
    ]
    context = page_context(who, participant_id, name, "assessments") | {
        "due": due,
        "offered": offered,
        "recorded": [
            (record, names.get(record.instrument, record.instrument), record.instrument in correctable)
            for record in reversed(records)
        ][:RECENT],
        "saved": request.query_params.get("saved") in names,
        "corrected": request.query_params.get("corrected") == "1",
    }
    return render(request, "assessments/index.html", context)


def _instrument(box: ContainerDep, who: Caller, participant_id: int, key: str) -> Instrument:
    """The instrument with the clinic's texts; an unknown key or one the reader may not enter is no such page."""
    with box.uow() as uow:
        participant_row(uow, who.actor, participant_id)
        try:
            instrument = assessments.instrument_for_clinic(uow, who.actor.clinic_id, key)
        except InvalidRequest as error:
            raise NotFound("questionnaire") from error
    if not assessments.may_enter(who.actor, instrument):
        raise NotFound("questionnaire")
    return instrument


def _form_page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    participant_id: int,
    instrument: Instrument,
    *,
    key: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    correct_link: str | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        name = participant_view.name_of(uow, who.actor, participant_id)
        today = participant_view.day_of(uow, who.actor, participant_id, now=box.clock())
    language = page_language(request)
    context = page_context(who, participant_id, name, "assessments") | {
        "correct_link": correct_link,
        "form": form_view(instrument, language),
        "units": units_of(page_translator(request), instrument),
        "notes": instrument.notes.in_language(language) if instrument.notes else None,
        "action": f"/p/{participant_id}/assessments/{instrument.key}",
        "back": f"/p/{participant_id}/assessments",
        "key": key,
        "errors": errors or FormErrors(),
        "values": values or {"taken_on": today.isoformat()},
    }
    return render(request, "assessments/form.html", context, status_code=status_code)


@router.get("/p/{participant_id}/assessments/{instrument}")
async def questionnaire(
    request: Request, participant_id: Id, instrument: str, who: PageUser, box: ContainerDep
) -> HTMLResponse:
    found = _instrument(box, who, participant_id, instrument)
    return _form_page(request, who, box, participant_id, found, key=uuid.uuid4().hex)


@router.post("/p/{participant_id}/assessments/{instrument}", response_model=None)
async def answer(request: Request, participant_id: Id, instrument: str, who: PageUser, box: ContainerDep) -> Response:
    found = _instrument(box, who, participant_id, instrument)
    sent = await read_submission(request, found)

    def moment(uow: UnitOfWork) -> tuple[dt.date, dt.datetime]:
        now = box.clock()
        return participant_view.day_of(uow, who.actor, participant_id, now=now), now

    if not (sent.readable and record_submission(box, who.actor, participant_id, found, sent, moment)):
        return _form_page(
            request, who, box, participant_id, found, key=sent.key, errors=sent.errors, values=sent.fields,
            status_code=422, correct_link=sent.correct_link(f"/p/{participant_id}/assessments"),
        )  # fmt: skip
    return RedirectResponse(f"/p/{participant_id}/assessments?saved={found.key}", status_code=303)
