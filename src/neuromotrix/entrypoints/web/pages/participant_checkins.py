"""The check-ins: `/p/{participant_id}/checkin` (next day: pain, pulling, fatigue, new stiffness, for the latest
session without one) and `/p/{participant_id}/post-injection` (breathing, choking, swallowing, weakness, double
vision, drooping eyelid, voice, daily for 21 days after a neck or face injection).

Both go through `session_flow.check_in`, the service behind the API's check-in route, once per form key
(services/participant_entries.py). An emergency or urgent answer shows what to do now on the answer page.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import MAX_ID, Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.entrypoints.web.pages.participant_common import (
    adaptation_changes,
    audit,
    in_language,
    page_context,
    phones,
)
from neuromotrix.entrypoints.web.pages.participant_labels import POST_INJECTION_QUESTIONS
from neuromotrix.entrypoints.web.pages.participant_steps import MAX_KEY, MAX_NOTES, RATINGS, whole
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import participant_entries, participant_view
from neuromotrix.services.participant_view import Today

router = APIRouter(include_in_schema=False)

# The API's check-in body (entrypoints/web/api/logs.py CheckinIn): every field, so both routes store alike.
SYMPTOMS = tuple(POST_INJECTION_QUESTIONS)


def _today(box: ContainerDep, who: Caller, participant_id: int) -> Today:
    with box.uow() as uow:
        found = participant_view.today(uow, who.actor, participant_id, now=box.clock())
    audit(box, who, "checkins", participant_id, participant_id)
    return found


def _answers(kind: str, found: Today, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": kind,
        "checked_on": found.day,
        "session_log_id": None,
        "pain": None,
        "dystonia": None,
        "fatigue": None,
        "new_stiffness": False,
        **dict.fromkeys(SYMPTOMS, False),
        "notes": "",
    }
    return base | values


def _key(fields: dict[str, str]) -> str | None:
    key = fields.get("key", "").strip()
    return key if key and len(key) <= MAX_KEY else None


def _check_notes(request: Request, errors: FormErrors, fields: dict[str, str]) -> None:
    if len(fields.get("notes", "").strip()) > MAX_NOTES:
        tr = page_translator(request)
        errors.add("notes", tr.gettext("Shorten your note to %(count)s characters or fewer.", count=MAX_NOTES))


def _done_page(
    request: Request, box: ContainerDep, who: Caller, found: Today, kind: str, result: dict[str, Any]
) -> HTMLResponse:
    language = page_language(request)
    alerts = [
        {"severity": alert["severity"], "text": in_language(alert["message"], language)}
        for alert in result.get("alerts", [])
    ]
    serious = next((alert for alert in alerts if alert["severity"] in ("emergency", "urgent")), None)
    context = page_context(who, found.participant_id, found.name, "today") | {
        "kind": kind,
        "alerts": alerts,
        "serious": serious,
        "phones": phones(found.clinic),
        "changes": adaptation_changes(request, box, found.participant_id, result.get("adaptation")),
    }
    return render(request, "participant/checkin_done.html", context)


# Next-day check-in ----------------------------------------------------------------------------------------------


def _next_day_page(
    request: Request,
    who: Caller,
    found: Today,
    *,
    key: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    context = page_context(who, found.participant_id, found.name, "today") | {
        "pending": found.pending_checkin,
        "key": key,
        "errors": errors or FormErrors(),
        "values": values or {},
    }
    return render(request, "participant/checkin.html", context, status_code=422 if errors else 200)


@router.get("/p/{participant_id}/checkin")
async def next_day_form(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    found = _today(box, who, participant_id)
    return _next_day_page(request, who, found, key=uuid.uuid4().hex)


@router.post("/p/{participant_id}/checkin")
async def next_day(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    fields = await form_fields(request)
    found = _today(box, who, participant_id)
    key = _key(fields) or uuid.uuid4().hex
    errors = FormErrors()
    messages = {
        "pain": tr.gettext("Choose how much pain you feel today, from 0 to 10."),
        "dystonia": tr.gettext("Choose how strong the pulling or spasms are today, from 0 to 10."),
        "fatigue": tr.gettext("Choose how tired you feel today, from 0 to 10."),
    }
    ratings = {name: whole(fields.get(name, ""), 0, 10) for name in RATINGS}
    for name, value in ratings.items():
        if value is None:
            errors.add(name, messages[name], target=f"{name}-0")
    stiffness = fields.get("new_stiffness")
    if stiffness not in ("yes", "no"):
        errors.add(
            "new_stiffness",
            tr.gettext("Answer yes or no: is there new stiffness since the session?"),
            target="new_stiffness-yes",
        )
    log_id = whole(fields.get("session_log_id", ""), 1, MAX_ID)
    if log_id is None:
        errors.add(None, tr.gettext("No session is waiting for a check-in. Open today's page to see what is due."))
    _check_notes(request, errors, fields)
    if errors:
        return _next_day_page(request, who, found, key=key, errors=errors, values=fields)
    answers = _answers(
        "next_day",
        found,
        session_log_id=log_id,
        new_stiffness=stiffness == "yes",
        notes=fields.get("notes", "").strip(),
        **ratings,
    )
    try:
        with box.uow(write=True) as uow:
            result = participant_entries.check_in_once(
                uow, who.actor, participant_id, answers, key=key, now=box.clock()
            )
            uow.commit()
    except InvalidRequest:
        errors.add(None, tr.gettext("This check-in could not be saved: the session it is about was not found. Open today's page again and answer from there."))  # fmt: skip
        return _next_day_page(request, who, found, key=key, errors=errors, values=fields)
    return _done_page(request, box, who, found, "next_day", result)


# Post-injection check-in ----------------------------------------------------------------------------------------


def _post_injection_page(
    request: Request,
    who: Caller,
    found: Today,
    *,
    key: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    context = page_context(who, found.participant_id, found.name, "today") | {
        "due": found.post_injection,
        "questions": list(POST_INJECTION_QUESTIONS.items()),
        "key": key,
        "errors": errors or FormErrors(),
        "values": values or {},
        "phones": phones(found.clinic),
    }
    return render(request, "participant/post_injection.html", context, status_code=422 if errors else 200)


@router.get("/p/{participant_id}/post-injection")
async def post_injection_form(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    found = _today(box, who, participant_id)
    return _post_injection_page(request, who, found, key=uuid.uuid4().hex)


@router.post("/p/{participant_id}/post-injection")
async def post_injection(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    fields = await form_fields(request)
    found = _today(box, who, participant_id)
    key = _key(fields) or uuid.uuid4().hex
    errors = FormErrors()
    for name in SYMPTOMS:
        if fields.get(name) not in ("yes", "no"):
            errors.add(
                name,
                tr.gettext("Answer yes or no to this question: %(question)s", question=tr.gettext(POST_INJECTION_QUESTIONS[name])),
                target=f"{name}-yes",
            )  # fmt: skip
    _check_notes(request, errors, fields)
    if errors:
        return _post_injection_page(request, who, found, key=key, errors=errors, values=fields)
    answers = _answers(
        "post_injection",
        found,
        notes=fields.get("notes", "").strip(),
        **{name: fields[name] == "yes" for name in SYMPTOMS},
    )
    with box.uow(write=True) as uow:
        result = participant_entries.check_in_once(uow, who.actor, participant_id, answers, key=key, now=box.clock())
        uow.commit()
    return _done_page(request, box, who, found, "post_injection", result)
