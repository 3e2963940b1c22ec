"""Programs: generate, review, edit, approve; and today's session."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.api.common import audit_read, clinic_today
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.api.schemas import (
    EditIn,
    GenerateIn,
    OverrideIn,
    ProgramDiffOut,
    ProgramOut,
    ProgramVersionOut,
    TodayOut,
)
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import program_changes, program_review, programs
from neuromotrix.services.access import participant_row, require_staff

router = APIRouter(prefix="/api/v1/participants/{participant_id}", tags=["programs"])


def _with_plan(uow: Any, row: Any) -> dict[str, Any]:
    return dict(row._mapping) | {"plan": programs.public_plan(programs.parsed_plan(uow, row))}


@router.get("/programs", response_model=list[ProgramVersionOut])
async def list_programs(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """Every version, oldest first: drafts, the active one, superseded ones, with their reasons."""
    with box.uow() as uow:
        rows = programs.list_versions(uow, who.actor, participant_id)
    audit_read(box, who, "program_list", participant_id, participant_id)
    return rows


@router.post("/programs", response_model=ProgramVersionOut, status_code=201)
async def generate(participant_id: Id, body: GenerateIn, who: CallerDep, box: ContainerDep) -> Any:
    """Generate a new draft from the current profile (pinned trainer edits are kept)."""
    with box.uow(write=True) as uow:
        participant_row(uow, who.actor, participant_id)
        require_staff(who.actor)
        row = programs.generate(uow, who.actor, participant_id, now=box.clock(), reason=body.reason)
        uow.commit()
    return row


@router.get("/programs/active", response_model=ProgramOut)
async def active(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow() as uow:
        participant_row(uow, who.actor, participant_id)
        row = programs.active_version(uow, participant_id)
        if row is None:
            raise NotFound("approved program")
        found = _with_plan(uow, row)
    audit_read(box, who, "program", row.version, participant_id)
    return found


@router.get("/programs/{version}", response_model=ProgramOut)
async def get_program(participant_id: Id, version: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow() as uow:
        row = programs.get_version(uow, who.actor, participant_id, version)
        found = _with_plan(uow, row)
    audit_read(box, who, "program", version, participant_id)
    return found


@router.get("/programs/{version}/diff", response_model=ProgramDiffOut)
async def diff(
    participant_id: Id,
    version: Id,
    who: CallerDep,
    box: ContainerDep,
    against: Annotated[
        int | None, Query(ge=1, description="The version to compare with (default: the active one).")
    ] = None,
) -> Any:
    """Review a version: what changes against another from today on (exercises added or removed, levels and
    doses at each exercise's next session, exclusions, screening outcome)."""
    with box.uow() as uow:
        day = clinic_today(uow, who.actor.clinic_id, box.clock())
        found = program_review.review(uow, who.actor, participant_id, version, against=against, day=day)
    audit_read(box, who, "program", version, participant_id)
    return found


@router.post("/programs/{version}/approve", response_model=ProgramVersionOut)
async def approve(participant_id: Id, version: Id, who: CallerDep, box: ContainerDep) -> Any:
    """Approve a draft: it becomes the active program and the sessions are scheduled from today."""
    with box.uow(write=True) as uow:
        row = programs.approve(uow, who.actor, participant_id, version, now=box.clock())
        uow.commit()
    return row


@router.post("/programs/edits", response_model=ProgramVersionOut, status_code=201)
async def edit(participant_id: Id, body: EditIn, who: CallerDep, box: ContainerDep) -> Any:
    """Change one exercise's dose from today on, with a reason; the change is pinned in later versions."""
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        row = programs.edit(
            uow,
            who.actor,
            participant_id,
            exercise_id=body.exercise_id,
            reason=body.reason,
            dose=body.dose.model_dump(exclude_none=True),
            now=now,
            today=today,
        )
        uow.commit()
    return row


@router.post("/programs/overrides", response_model=ProgramVersionOut, status_code=201)
async def override(participant_id: Id, body: OverrideIn, who: CallerDep, box: ContainerDep) -> Any:
    """Set an exercise's level or pause from today, overriding the adaptation engine (pinned), or release it
    back to the engine; with a reason. Applies to the draft if one waits, else to the active program."""
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        row = program_changes.override(
            uow,
            who.actor,
            participant_id,
            exercise_id=body.exercise_id,
            level=body.level,
            paused=body.paused,
            release=body.release,
            reason=body.reason,
            now=now,
            today=today,
        )
        uow.commit()
    return row


@router.get("/today", response_model=TodayOut)
async def today(
    participant_id: Id,
    who: CallerDep,
    box: ContainerDep,
    date: Annotated[dt.date | None, Query(description="Another day than today (ISO date).")] = None,
) -> Any:
    """Today's session of the active program (null on a rest day) and the next one."""
    with box.uow() as uow:
        participant_row(uow, who.actor, participant_id)
        day = date or clinic_today(uow, who.actor.clinic_id, box.clock())
        row, session = programs.session_on(uow, participant_id, day)
        following = programs.next_session(programs.parsed_plan(uow, row), day)
    audit_read(box, who, "session", day.isoformat(), participant_id)
    return {
        "date": day,
        "program_version": row.version,
        "session": session,
        "next_session": following,
    }
