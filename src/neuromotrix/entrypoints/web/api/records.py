"""Health records around the program: toxin injections, clearances (with a document) and screening results."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import Response

from neuromotrix.entrypoints.web.api.common import audit_read, clinic_today
from neuromotrix.entrypoints.web.api.pagination import Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import Page
from neuromotrix.entrypoints.web.api.schemas_records import (
    ERRORS,
    WRITE_ERRORS,
    ClearanceForm,
    ClearanceOut,
    ClearanceRecordedOut,
    InjectionIn,
    InjectionOut,
    InjectionRecordedOut,
    ScreeningOut,
)
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import records
from neuromotrix.services.records import DOCUMENT_SIGNATURES, MAX_DOCUMENT_BYTES, Document, Recorded

router = APIRouter(prefix="/api/v1/participants", tags=["records"])


def _recorded(result: Recorded) -> dict[str, Any]:
    draft = result.draft.version
    if result.active_version is None:
        kept_en, kept_fr = "", ""
    else:
        kept_en = f"; version {result.active_version} stays in use until a trainer approves the draft"
        kept_fr = (
            f"; la version {result.active_version} reste en vigueur jusqu'à ce qu'un intervenant approuve l'ébauche"
        )
    return {
        "profile_version": result.profile_version,
        "program": result.draft,
        "draft_created": True,
        "active_program_version": result.active_version,
        "screening_outcome": result.outcome,
        "message_en": f"Recorded. Program version {draft} is a draft built from the updated profile{kept_en}.",
        "message_fr": f"Enregistré. La version {draft} du programme est une ébauche bâtie sur le profil à jour{kept_fr}.",
    }


# Injections ---------------------------------------------------------------------------------------------------


@router.post(
    "/{participant_id}/injections",
    response_model=InjectionRecordedOut,
    status_code=201,
    summary="Record a botulinum-toxin injection",
    responses=WRITE_ERRORS,
)
async def record_injection(participant_id: Id, body: InjectionIn, who: CallerDep, box: ContainerDep) -> Any:
    """The participant, a linked caregiver or staff records an injection. It is added to a new profile version
    (`treatments.botulinum_toxin`) and the program is regenerated as a draft with the new toxin-cycle phases;
    the active program stays in use until a trainer approves the draft. The same date and regions twice is a 409.
    """
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        result = records.record_injection(
            uow,
            who.actor,
            participant_id,
            injected_on=body.injected_on,
            regions=list(body.regions),
            product=body.product,
            dose_units=body.dose_units,
            now=now,
            today=today,
        )
        uow.commit()
    injection = dict(result.row._mapping) | {"source": "recorded"}
    return _recorded(result) | {
        "injection": injection,
        "next_injection_expected_on": result.next_injection_expected_on,
    }


@router.get(
    "/{participant_id}/injections",
    response_model=Page[InjectionOut],
    summary="List botulinum-toxin injections",
    responses=ERRORS,
)
async def list_injections(
    participant_id: Id, who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50
) -> Any:
    """The injection history, newest first, including the injections that came with the profile."""
    with box.uow() as uow:
        items, total = records.list_injections(uow, who.actor, participant_id, offset=offset, limit=limit)
    audit_read(box, who, "injection_list", f"{offset}:{limit}", participant_id)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


# Clearances ---------------------------------------------------------------------------------------------------


@router.post(
    "/{participant_id}/clearances",
    response_model=ClearanceRecordedOut,
    status_code=201,
    summary="Record a clearance, with its document",
    responses=WRITE_ERRORS,
)
async def record_clearance(
    participant_id: Id,
    form: Annotated[ClearanceForm, Form(media_type="multipart/form-data")],
    who: CallerDep,
    box: ContainerDep,
) -> Any:
    """Staff record a clinician's clearance (multipart/form-data). It is set as `screening.clearance` in a new
    profile version — so a profile that needed clearance can become `ready` — and the program is regenerated
    as a draft. A clearance counts for 12 months; if it is dated after the program's start, the regenerated
    program starts on the clearance date. An attached document that is not really a PDF, PNG or JPEG file, or is
    larger than the limit, is a 422 on `document`."""
    document = None
    upload = form.document
    if upload is not None:
        content = await upload.read(MAX_DOCUMENT_BYTES + 1)  # one byte over is enough to refuse it
        document = Document(content=content, content_type=upload.content_type or "", name=upload.filename or "")
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        result = records.record_clearance(
            uow,
            who.actor,
            participant_id,
            cleared_by=form.cleared_by,
            cleared_on=form.cleared_on,
            restrictions=list(form.restrictions),
            document=document,
            now=now,
            today=today,
        )
        uow.commit()
    return _recorded(result) | {"clearance": records.clearance_view(result.row, today)}


@router.get(
    "/{participant_id}/clearances",
    response_model=Page[ClearanceOut],
    summary="List clearances",
    responses=ERRORS,
)
async def list_clearances(
    participant_id: Id, who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50
) -> Any:
    """Clearances, newest first, each with the day it stops counting and whether it already has. The document
    itself is downloaded from `/clearances/{id}/document`."""
    now = box.clock()
    with box.uow() as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        items, total = records.list_clearances(uow, who.actor, participant_id, offset=offset, limit=limit, today=today)
    audit_read(box, who, "clearance_list", f"{offset}:{limit}", participant_id)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.get(
    "/{participant_id}/clearances/{clearance_id}/document",
    response_class=Response,
    summary="Download a clearance's document",
    responses={
        200: {
            "description": "The document as it was uploaded, as an attachment.",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in DOCUMENT_SIGNATURES
            },
        },
        **ERRORS,
    },
)
async def clearance_document(participant_id: Id, clearance_id: Id, who: CallerDep, box: ContainerDep) -> Response:
    """The attached document (PDF, PNG or JPEG); 404 when the clearance has none."""
    with box.uow() as uow:
        document = records.get_clearance_document(uow, who.actor, participant_id, clearance_id)
    audit_read(box, who, "clearance_document", clearance_id, participant_id)
    return Response(
        content=document.content,
        media_type=document.content_type,
        headers={"Content-Disposition": content_disposition(document.name)},
    )


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in ".-_") else "_" for ch in name) or "clearance"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# Screening results --------------------------------------------------------------------------------------------


@router.get(
    "/{participant_id}/screening",
    response_model=ScreeningOut,
    summary="The latest screening result",
    responses=ERRORS,
)
async def latest_screening(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """The screening of the latest generated program: `ready`, `needs_clearance` or `blocked`, with its flags in
    English and French."""
    with box.uow() as uow:
        found = records.latest_screening(uow, who.actor, participant_id)
    audit_read(box, who, "screening", found["id"], participant_id)
    return found


@router.get(
    "/{participant_id}/screenings",
    response_model=Page[ScreeningOut],
    summary="List screening results",
    responses=ERRORS,
)
async def list_screenings(
    participant_id: Id, who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50
) -> Any:
    """Every screening result, newest first (one per generated program)."""
    with box.uow() as uow:
        items, total = records.list_screenings(uow, who.actor, participant_id, offset=offset, limit=limit)
    audit_read(box, who, "screening_list", f"{offset}:{limit}", participant_id)
    return {"items": items, "total": total, "offset": offset, "limit": limit}
