"""Correcting or withdrawing a recorded assessment on the pages (services/assessment_corrections.py).

The trainer's Outcomes section lists every entry with its history; a current entry links to
`/participants/{id}/outcomes/entries/{entry}/correct` (the instrument's form, filled in with what was recorded, and
a reason) and `.../withdraw` (a confirmation with a reason). The participant or a caregiver corrects a
questionnaire at `/p/{id}/assessments/entries/{entry}/correct`. Plain forms: they work without JavaScript.

An entry the reader may not see, or whose instrument they may not enter, is no such page (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator, format_number
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.instruments import Instrument
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.assessments_form import (
    Moment,
    Posted,
    duplicate_message,
    explain,
    field_name,
    form_view,
    number_text,
    read_posted,
    units_of,
)
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.participant_common import page_context
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.entrypoints.web.pages.trainer_common import (
    Staff,
    header,
    moment,
    participant_path,
    render_section,
    with_notice,
)
from neuromotrix.services import assessment_corrections, assessments, participant_view
from neuromotrix.services.assessment_corrections import MAX_REASON
from neuromotrix.services.assessments import AssessmentRecord, DuplicateAssessment
from neuromotrix.services.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class EntryView:
    """One recorded entry as the history list and the confirmation pages show it."""

    id: int
    instrument: str
    name: str
    taken_on: dt.date
    scores: str  # "Scale: value" in the reader's language
    status: str  # current | corrected | withdrawn
    corrects: int | None
    changed_at: dt.datetime | None
    changed_by: str  # the account's name, or words saying it is gone
    reason: str


def entry_view(tr: Translator, record: AssessmentRecord, instrument: Instrument | None) -> EntryView:
    language = tr.language
    scores = []
    for scale in instrument.scales if instrument is not None else ():
        value = record.scores.get(scale.key)
        if value is not None:
            scores.append(f"{scale.name.in_language(language)}: {format_number(round(value, 2), language)}")
    return EntryView(
        id=record.id,
        instrument=record.instrument,
        name=instrument.name.in_language(language) if instrument is not None else record.instrument,
        taken_on=record.taken_on,
        scores=" · ".join(scores) or tr.gettext("No score (too many items unanswered)"),
        status=record.status,
        corrects=record.corrects,
        changed_at=record.changed_at,
        changed_by=record.changed_by_name or tr.gettext("an account since removed"),
        reason=record.change_reason or "",
    )


def entry_views(tr: Translator, records: list[AssessmentRecord], instruments: dict[str, Instrument]) -> list[EntryView]:
    """Newest first: the order a trainer looks for a mistake just made."""
    ordered = sorted(records, key=lambda record: (record.taken_on, record.id), reverse=True)
    return [entry_view(tr, record, instruments.get(record.instrument)) for record in ordered]


@dataclass(frozen=True)
class Target:
    record: AssessmentRecord
    instrument: Instrument


def _target(box: ContainerDep, who: Caller, participant_id: int, assessment_id: int) -> Target:
    with box.uow() as uow:
        record = assessments.get_assessment(uow, who.actor, participant_id, assessment_id)  # 404 if not visible
        try:
            instrument = assessments.instrument_for_clinic(uow, who.actor.clinic_id, record.instrument)
        except InvalidRequest as error:
            raise NotFound("assessment") from error
    if not assessments.may_enter(who.actor, instrument):
        raise NotFound("assessment")  # not offered to this reader: no such page
    return Target(record, instrument)


def closed_message(tr: Translator, record: AssessmentRecord) -> str | None:
    """Why an entry can no longer be changed (None while it is current)."""
    if record.status == "corrected":
        return tr.gettext(
            "This entry was already corrected: a newer entry replaced it. Correct or withdraw the current entry."
        )
    if record.status == "withdrawn":
        return tr.gettext(
            "This entry was withdrawn and no longer counts. Record the questionnaire or test again if it was done."
        )
    return None


def initial_values(record: AssessmentRecord) -> dict[str, str]:
    """The correction form filled in with what is on file."""
    values = {"taken_on": record.taken_on.isoformat()}
    for key, value in record.answers.items():
        if value is not None:
            values[field_name(key)] = number_text(value)
    return values


def read_reason(tr: Translator, fields: dict[str, str], errors: FormErrors) -> str:
    reason = fields.get("reason", "").strip()
    if not reason:
        errors.add("reason", tr.gettext("Say why you are changing this entry, like “wrong date”."))
    elif len(reason) > MAX_REASON:
        errors.add("reason", tr.gettext("Keep the reason to %(count)s characters or fewer.", count=MAX_REASON))
    return reason


@dataclass
class Correction:
    """A posted correction form: what was read, what is wrong, and the entry on file for a clashing day."""

    tr: Translator
    fields: dict[str, str]
    errors: FormErrors
    posted: Posted
    reason: str
    on_file: int | None = None


async def read_correction(request: Request, target: Target) -> Correction:
    tr = page_translator(request)
    fields = await form_fields(request)
    errors = FormErrors()
    posted = read_posted(tr, target.instrument, fields, errors)
    reason = read_reason(tr, fields, errors)
    record = target.record
    if not errors and posted.taken_on == record.taken_on and _answered(posted.answers) == _answered(record.answers):
        errors.add(None, tr.gettext("Nothing was changed. Change an answer or the date, then send the form again."))
    return Correction(tr, fields, errors, posted, reason)


def _answered(answers: dict[str, float | None]) -> dict[str, float]:
    return {key: float(value) for key, value in answers.items() if value is not None}


def apply_correction(
    box: ContainerDep, who: Caller, participant_id: int, target: Target, sent: Correction, at: Moment
) -> bool:
    """Store the correction; False, with the refusal on its field, when the service refused it."""
    if sent.errors or sent.posted.taken_on is None:
        return False
    try:
        with box.uow(write=True) as uow:
            today, now = at(uow)
            assessment_corrections.correct_assessment(
                uow, who.actor, participant_id, target.record.id, answers=sent.posted.answers,
                taken_on=sent.posted.taken_on, reason=sent.reason, source="web", today=today, now=now,
            )  # fmt: skip
            uow.commit()
    except DuplicateAssessment as error:
        sent.on_file = error.existing_id
        sent.errors.add("taken_on", duplicate_message(sent.tr))
        return False
    except InvalidRequest as error:
        explain(sent.tr, target.instrument, error, sent.errors)
        return False
    except Conflict:
        sent.errors.add(None, _changed_meanwhile(sent.tr))
        return False
    return True


def _changed_meanwhile(tr: Translator) -> str:
    return tr.gettext(
        "Someone changed this entry in the meantime: it is no longer the current one. Go back to the list and "
        "choose the current entry."
    )


def correction_context(
    tr: Translator,
    target: Target,
    *,
    prefix: str,
    errors: FormErrors,
    values: dict[str, str],
    on_file: int | None = None,
) -> dict[str, Any]:
    """What the correction templates show; `prefix` is the list page the entry belongs to."""
    closed = closed_message(tr, target.record)
    if closed is not None and not errors:
        errors.add(None, closed)
    return {
        "entry": entry_view(tr, target.record, target.instrument),
        "closed": closed is not None,
        "form": form_view(target.instrument, tr.language),
        "units": units_of(tr, target.instrument),
        "action": f"{prefix}/entries/{target.record.id}/correct",
        "back": prefix,
        "errors": errors,
        "values": values,
        "correct_link": None if on_file is None else f"{prefix}/entries/{on_file}/correct",
        "max_reason": MAX_REASON,
    }


# The trainer's pages ------------------------------------------------------------------------------------------


def _trainer_moment(box: ContainerDep, who: Caller, participant_id: int) -> Moment:
    def at(uow: UnitOfWork) -> tuple[dt.date, dt.datetime]:
        when = moment(uow, who, box.clock())
        header(uow, who, participant_id, when.today)  # 404 for a participant the trainer may not see
        return when.today, when.now

    return at


def _trainer_page(
    request: Request, who: Caller, box: ContainerDep, participant_id: int, template: str, context: dict[str, Any]
) -> HTMLResponse:
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
    status_code = 422 if context["errors"] and not context["closed"] else 200
    return render_section(
        request, template, entry, "outcomes", context, time_zone=when.time_zone, status_code=status_code
    )


def _outcomes(participant_id: int) -> str:
    return participant_path(participant_id, "/outcomes")


@router.get("/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/correct")
async def trainer_correct_form(
    request: Request, participant_id: int, assessment_id: int, who: Staff, box: ContainerDep
) -> HTMLResponse:
    target = _target(box, who, participant_id, assessment_id)
    context = correction_context(
        page_translator(request), target, prefix=_outcomes(participant_id), errors=FormErrors(),
        values=initial_values(target.record),
    )  # fmt: skip
    return _trainer_page(request, who, box, participant_id, "assessments/correct.html", context)


@router.post("/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/correct", response_model=None)
async def trainer_correct(
    request: Request, participant_id: int, assessment_id: int, who: Staff, box: ContainerDep
) -> Response:
    target = _target(box, who, participant_id, assessment_id)
    sent = await read_correction(request, target)
    if apply_correction(box, who, participant_id, target, sent, _trainer_moment(box, who, participant_id)):
        return RedirectResponse(with_notice(_outcomes(participant_id), "assessment_corrected"), status_code=303)
    context = correction_context(
        sent.tr, target, prefix=_outcomes(participant_id), errors=sent.errors, values=sent.fields,
        on_file=sent.on_file,
    )  # fmt: skip
    return _trainer_page(request, who, box, participant_id, "assessments/correct.html", context)


def _withdraw_context(
    tr: Translator, target: Target, participant_id: int, errors: FormErrors, reason: str
) -> dict[str, Any]:
    closed = closed_message(tr, target.record)
    if closed is not None and not errors:
        errors.add(None, closed)
    return {
        "entry": entry_view(tr, target.record, target.instrument),
        "closed": closed is not None,
        "action": f"{_outcomes(participant_id)}/entries/{target.record.id}/withdraw",
        "back": _outcomes(participant_id),
        "errors": errors,
        "values": {"reason": reason},
        "max_reason": MAX_REASON,
    }


@router.get("/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/withdraw")
async def trainer_withdraw_form(
    request: Request, participant_id: int, assessment_id: int, who: Staff, box: ContainerDep
) -> HTMLResponse:
    target = _target(box, who, participant_id, assessment_id)
    context = _withdraw_context(page_translator(request), target, participant_id, FormErrors(), "")
    return _trainer_page(request, who, box, participant_id, "assessments/withdraw.html", context)


@router.post("/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/withdraw", response_model=None)
async def trainer_withdraw(
    request: Request, participant_id: int, assessment_id: int, who: Staff, box: ContainerDep
) -> Response:
    target = _target(box, who, participant_id, assessment_id)
    tr = page_translator(request)
    errors = FormErrors()
    reason = read_reason(tr, await form_fields(request), errors)
    if not errors:
        try:
            with box.uow(write=True) as uow:
                _, now = _trainer_moment(box, who, participant_id)(uow)
                assessment_corrections.withdraw_assessment(
                    uow, who.actor, participant_id, assessment_id, reason=reason, now=now
                )
                uow.commit()
        except Conflict:
            errors.add(None, _changed_meanwhile(tr))
        else:
            return RedirectResponse(with_notice(_outcomes(participant_id), "assessment_withdrawn"), status_code=303)
    context = _withdraw_context(tr, target, participant_id, errors, reason)
    return _trainer_page(request, who, box, participant_id, "assessments/withdraw.html", context)


# The participant's page ---------------------------------------------------------------------------------------


def _participant_page(
    request: Request, who: Caller, box: ContainerDep, participant_id: int, context: dict[str, Any]
) -> HTMLResponse:
    with box.uow() as uow:
        name = participant_view.name_of(uow, who.actor, participant_id)
    status_code = 422 if context["errors"] and not context["closed"] else 200
    full = page_context(who, participant_id, name, "assessments") | context
    return render(request, "assessments/correct_participant.html", full, status_code=status_code)


@router.get("/p/{participant_id}/assessments/entries/{assessment_id}/correct")
async def participant_correct_form(
    request: Request, participant_id: Id, assessment_id: Id, who: PageUser, box: ContainerDep
) -> HTMLResponse:
    target = _target(box, who, participant_id, assessment_id)
    context = correction_context(
        page_translator(request), target, prefix=f"/p/{participant_id}/assessments", errors=FormErrors(),
        values=initial_values(target.record),
    )  # fmt: skip
    return _participant_page(request, who, box, participant_id, context)


@router.post("/p/{participant_id}/assessments/entries/{assessment_id}/correct", response_model=None)
async def participant_correct(
    request: Request, participant_id: Id, assessment_id: Id, who: PageUser, box: ContainerDep
) -> Response:
    target = _target(box, who, participant_id, assessment_id)
    sent = await read_correction(request, target)

    def at(uow: UnitOfWork) -> tuple[dt.date, dt.datetime]:
        now = box.clock()
        return participant_view.day_of(uow, who.actor, participant_id, now=now), now

    prefix = f"/p/{participant_id}/assessments"
    if apply_correction(box, who, participant_id, target, sent, at):
        return RedirectResponse(f"{prefix}?corrected=1", status_code=303)
    context = correction_context(
        sent.tr, target, prefix=prefix, errors=sent.errors, values=sent.fields, on_file=sent.on_file
    )
    return _participant_page(request, who, box, participant_id, context)
