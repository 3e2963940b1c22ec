"""Where a participant and a caregiver start: `/today` (a participant's own day), `/people` (a caregiver's list of
the people they help) and `/p/{participant_id}/today` (the session of the day, check-ins due, warning signs)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.assessments_participant import due_links
from neuromotrix.entrypoints.web.pages.deps import PageUser, require_roles
from neuromotrix.entrypoints.web.pages.locale import page_language
from neuromotrix.entrypoints.web.pages.participant_common import audit, page_context, phones
from neuromotrix.entrypoints.web.pages.participant_labels import LABELS
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import participant_view

router = APIRouter(include_in_schema=False)

ParticipantUser = Annotated[Caller, Depends(require_roles("participant"))]
CaregiverUser = Annotated[Caller, Depends(require_roles("caregiver"))]


@router.get("/today", response_model=None)
async def own_today(request: Request, who: ParticipantUser, box: ContainerDep) -> Response:
    """A participant's start page: their own day, at the address a caregiver would use for them."""
    with box.uow() as uow:
        participant_id = participant_view.own_participant(uow, who.actor)
    if participant_id is None:
        return render(request, "participant/not_enrolled.html")
    return RedirectResponse(f"/p/{participant_id}/today", status_code=303)


@router.get("/people")
async def people(request: Request, who: CaregiverUser, box: ContainerDep) -> HTMLResponse:
    """A caregiver's start page: each person they help, with today's session and the check-ins waiting."""
    with box.uow() as uow:
        found = participant_view.people(uow, who.actor, now=box.clock())
    for person in found:
        audit(box, who, "session", person.day.isoformat(), person.participant_id)
    return render(request, "participant/people.html", {"people": found, "labels": LABELS})


@router.get("/p/{participant_id}/today")
async def today(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    with box.uow() as uow:
        found = participant_view.today(uow, who.actor, participant_id, now=box.clock())
        blocks = found.session["blocks"] if found.session else []
        catalog = participant_view.exercises_of(uow, participant_id, [block["exercise_id"] for block in blocks])
    audit(box, who, "session", found.day.isoformat(), participant_id)
    cards = participant_view.cards(found.session, page_language(request), catalog) if found.session else []
    context = page_context(who, participant_id, found.name, "today") | {
        "today": found,
        "cards": cards,
        "phones": phones(found.clinic),
        "questionnaires": due_links(box, who, participant_id, page_language(request)),  # BRIEF §7 schedule
    }
    return render(request, "participant/today.html", context)
