"""FHIR exchange routes of the JSON API (docs/fhir.md): a participant's records as a FHIR R4 Bundle, and
QuestionnaireResponses imported as assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field

from neuromotrix.entrypoints.web.api.common import clinic_today
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.api.schemas import Out
from neuromotrix.entrypoints.web.api.schemas_records import ERRORS, WRITE_ERRORS
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import fhir_exchange

router = APIRouter(prefix="/api/v1", tags=["fhir"])
FHIR_JSON = "application/fhir+json"
RESOURCE_SCHEMA = {"type": "object", "description": "A FHIR R4 resource (resourceType names it)."}


class ImportedOut(Out):
    id: int = Field(description="The assessment's id.")
    instrument: str
    instrument_version: str
    taken_on: dt.date
    scores: dict[str, float | None] = Field(description="Scale scores by scale key (null: not scorable).")


class ImportOut(Out):
    imported: list[ImportedOut] = Field(description="The assessments recorded, in the order of the file.")
    already_on_file: int = Field(description="Responses skipped because the same answers were already on file.")


@router.get(
    "/participants/{participant_id}/fhir",
    response_class=Response,
    summary="Export a participant's records as a FHIR R4 Bundle",
    responses={
        200: {
            "description": "A `collection` Bundle: Patient, Condition, CarePlan, Observation, Questionnaire and "
            "QuestionnaireResponse resources (docs/fhir.md).",
            "content": {FHIR_JSON: {"schema": RESOURCE_SCHEMA}},
        },
        **ERRORS,
    },
)
async def export_fhir(participant_id: Id, who: CallerDep, box: ContainerDep) -> Response:
    """The participant's profile conditions, active program (CarePlan, one activity per exercise), session ratings
    and instrument scores (Observation, LOINC where a code exists, UCUM units), the questionnaires used and every
    stored assessment (QuestionnaireResponse). Anyone who may see the participant may export it; each export is
    written to the audit log."""
    with box.uow(write=True) as uow:
        bundle = fhir_exchange.export_bundle(uow, who.actor, participant_id, now=box.clock())
        uow.commit()
    from neuromotrix.adapters.fhir.bundle import to_json

    return Response(content=to_json(bundle), media_type=FHIR_JSON)


@router.post(
    "/participants/{participant_id}/fhir",
    response_model=ImportOut,
    status_code=201,
    summary="Import QuestionnaireResponses as assessments",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A QuestionnaireResponse, or a Bundle of them, as FHIR JSON.",
            "content": {FHIR_JSON: {"schema": RESOURCE_SCHEMA}, "application/json": {"schema": RESOURCE_SCHEMA}},
        }
    },
    responses=WRITE_ERRORS,
)
async def import_fhir(participant_id: Id, request: Request, who: CallerDep, box: ContainerDep) -> Any:
    """Each QuestionnaireResponse names one of our questionnaires (`https://neuromotrix.org/fhir/Questionnaire/
    <instrument>`) and answers its items by linkId. The whole file is refused — a 422 naming the entry and item —
    when any part is wrong: malformed JSON, a resource that is not a QuestionnaireResponse, an unknown
    questionnaire or item, a value out of range, another person as subject. Nothing is recorded then. Responses
    already on file (same instrument, date and answers) are skipped."""
    document = await _body(request, fhir_exchange.MAX_IMPORT_BYTES)
    now = box.clock()
    with box.uow(write=True) as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        result = fhir_exchange.import_responses(uow, who.actor, participant_id, document, today=today, now=now)
        uow.commit()
    return {
        "imported": [
            {
                "id": record.id,
                "instrument": record.instrument,
                "instrument_version": record.instrument_version,
                "taken_on": record.taken_on,
                "scores": record.scores,
            }
            for record in result.imported
        ],
        "already_on_file": result.already_on_file,
    }


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read up to one byte over the limit (enough for the service to refuse it)."""
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            break
    return bytes(received)
