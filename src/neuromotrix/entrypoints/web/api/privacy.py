"""Privacy routes of the JSON API (docs/api.md "Privacy"): a participant's data export (portability) and the
clinic's consent text, read and accepted by the signed-in user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from neuromotrix.entrypoints.web.api.common import clinic_today
from neuromotrix.entrypoints.web.api.pagination import MAX_ID, Id
from neuromotrix.entrypoints.web.api.records import content_disposition
from neuromotrix.entrypoints.web.api.schemas import Out, Strict
from neuromotrix.entrypoints.web.api.schemas_records import ERRORS, WRITE_ERRORS
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import consent, export

router = APIRouter(prefix="/api/v1", tags=["privacy"])


class ConsentOut(Out):
    version: int | None = Field(description="The clinic's current version; null when the clinic asks for no consent.")
    text_en: str | None
    text_fr: str | None
    published_at: dt.datetime | None
    accepted_at: dt.datetime | None = Field(description="When you accepted the current version, if you did.")
    required: bool = Field(description="True until you accept the current version; the pages ask for it first.")


class ConsentIn(Strict):
    version: int = Field(ge=1, le=MAX_ID, description="The version you were shown and accept.")
    language: str = Field("en", pattern="^(en|fr)$", description="The language of the text you read.")


def _consent_out(state: consent.ConsentState) -> dict[str, Any]:
    current = state.current
    return {
        "version": current.version if current else None,
        "text_en": current.text_en if current else None,
        "text_fr": current.text_fr if current else None,
        "published_at": current.published_at if current else None,
        "accepted_at": state.accepted_at,
        "required": state.required,
    }


@router.get(
    "/participants/{participant_id}/export",
    response_class=Response,
    summary="Export all of a participant's data (JSON)",
    responses={
        200: {
            "description": "Every record about the participant, as a JSON attachment (docs/privacy.md lists the keys).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        403: WRITE_ERRORS[403],
        **ERRORS,
    },
)
async def export_participant(participant_id: Id, who: CallerDep, box: ContainerDep) -> Response:
    """The participant's data portability export: profile versions, programs with their plans, session logs with
    their blocks, check-ins, injections, clearances (documents in base64), screenings, alerts, notifications,
    caregivers and trainers, invitations, consents and erasure requests. For a clinic admin and the participant
    themself (others who may see the participant: 403). Each export is written to the audit log."""
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        document = export.export_participant(uow, who.actor, participant_id, now=now)
        uow.commit()
    return Response(
        content=export.to_json(document),
        media_type="application/json",
        headers={"Content-Disposition": content_disposition(export.file_name(participant_id, today))},
    )


@router.get("/consent", response_model=ConsentOut, summary="The clinic's consent text and your answer")
async def consent_text(who: CallerDep, box: ContainerDep) -> Any:
    """The current version of your clinic's consent text in English and French, and whether you accepted it. The
    pages send a user who has not to the consent page first; the API does not refuse other routes (docs/privacy.md):
    an app built on it shows the text and accepts it here."""
    with box.uow() as uow:
        return _consent_out(consent.state(uow, who.actor))


@router.post(
    "/consent",
    response_model=ConsentOut,
    summary="Accept the clinic's consent text",
    responses={409: WRITE_ERRORS[409]},
)
async def accept_consent(body: ConsentIn, who: CallerDep, box: ContainerDep) -> Any:
    """Accept the version you were shown. A version that is not the current one is a 409 (read the current text
    again); accepting twice keeps the first time."""
    actor = who.actor
    with box.uow(write=True) as uow:
        consent.accept(
            uow, user_id=actor.user_id, clinic_id=actor.clinic_id, version=body.version, language=body.language,
            via="api", now=box.clock(), audit_as=actor.email,
        )  # fmt: skip
        uow.commit()
        return _consent_out(consent.state(uow, actor))
