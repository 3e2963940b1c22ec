"""Participants and their profiles (the profile contract, with full version history)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from neuromotrix.entrypoints.web.api.common import audit_read, clinic_today, parse_profile
from neuromotrix.entrypoints.web.api.pagination import Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import (
    Page,
    ParticipantIn,
    ParticipantOut,
    ProfileIn,
    ProfileVersionOut,
    ProgramVersionOut,
)
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import participants, programs
from neuromotrix.services.access import participant_row

router = APIRouter(prefix="/api/v1/participants", tags=["participants"])


@router.get("", response_model=Page[ParticipantOut])
async def list_participants(who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50) -> Any:
    """The participants you may see: yourself, the people linked to you, your caseload, or your clinic."""
    with box.uow() as uow:
        rows, total = participants.list_participants(uow, who.actor, offset=offset, limit=limit)
    audit_read(box, who, "participant_list", f"{offset}:{limit}", None)
    return {"items": rows, "total": total, "offset": offset, "limit": limit}


class EnrolOut(ParticipantOut):
    program: ProgramVersionOut


@router.post("", response_model=EnrolOut, status_code=201)
async def enrol(body: ParticipantIn, who: CallerDep, box: ContainerDep) -> Any:
    """Enrol a participant with their profile: screens it and generates a draft program for review."""
    profile = parse_profile(body.profile)
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        participant_id = participants.enrol(
            uow,
            who.actor,
            display_name=body.display_name,
            language=body.language,
            profile=profile,
            now=now,
            today=today,
            user_id=body.user_id,
        )
        draft = programs.generate(uow, who.actor, participant_id, now=now, reason="intake")
        row = participant_row(uow, who.actor, participant_id)
        uow.commit()
    return dict(row._mapping) | {"program": draft}


@router.get("/{participant_id}", response_model=ParticipantOut)
async def get_participant(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow() as uow:
        row = participant_row(uow, who.actor, participant_id)
    audit_read(box, who, "participant", participant_id, participant_id)
    return row


@router.get("/{participant_id}/profile", response_model=ProfileVersionOut)
async def get_profile(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """The current profile (the latest version)."""
    with box.uow() as uow:
        participant_row(uow, who.actor, participant_id)
        row, _ = participants.current_profile(uow, participant_id)
    audit_read(box, who, "profile", row.version, participant_id)
    return row


@router.put("/{participant_id}/profile", response_model=ProgramVersionOut)
async def update_profile(participant_id: Id, body: ProfileIn, who: CallerDep, box: ContainerDep) -> Any:
    """A new profile version; the program is regenerated as a draft while the active one stays in use."""
    profile = parse_profile(body.profile)
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        participants.change_profile(uow, who.actor, participant_id, profile, reason=body.reason, now=now, today=today)
        draft = programs.generate(uow, who.actor, participant_id, now=now, reason=f"profile changed: {body.reason}")
        uow.commit()
    return draft


@router.get("/{participant_id}/profile/versions", response_model=list[ProfileVersionOut])
async def profile_versions(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow() as uow:
        rows = participants.profile_history(uow, who.actor, participant_id)
    audit_read(box, who, "profile_history", participant_id, participant_id)
    return rows


@router.get("/{participant_id}/profile/versions/{version}", response_model=ProfileVersionOut)
async def profile_version(participant_id: Id, version: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow() as uow:
        row = participants.profile_version(uow, who.actor, participant_id, version)
    audit_read(box, who, "profile", version, participant_id)
    return row
