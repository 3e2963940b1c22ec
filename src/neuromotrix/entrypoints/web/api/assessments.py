"""Outcome instruments (BRIEF §7): the registry, a participant's assessments and what is due, licensed texts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import ChangeThreshold, Instrument
from neuromotrix.entrypoints.web.api.common import audit_read, clinic_today
from neuromotrix.entrypoints.web.api.logs import IdempotencyKey, idempotent_post
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.api.schemas_assessments import (
    AssessmentCorrectionIn,
    AssessmentIn,
    AssessmentOut,
    AssessmentWithdrawalIn,
    DueOut,
    InstrumentOut,
    InstrumentTextsIn,
)
from neuromotrix.entrypoints.web.api.schemas_records import ERRORS, WRITE_ERRORS
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import assessment_corrections, assessments
from neuromotrix.services.access import require_staff
from neuromotrix.services.assessments import UNVALIDATED_FRENCH

router = APIRouter(tags=["assessments"])
PARTICIPANT = "/api/v1/participants/{participant_id}"

Language = Annotated[
    Literal["en", "fr"] | None, Query(description="The language of the texts; the caller's own by default.")
]
InstrumentKey = Annotated[str | None, Query(min_length=1, max_length=32, description="Only this instrument.")]


def _threshold(threshold: ChangeThreshold | None) -> dict[str, Any] | None:
    if threshold is None:
        return None
    return threshold.model_dump(include={"improvement", "worsening", "improvement_percent", "source"})


def instrument_view(instrument: Instrument, language: str) -> dict[str, Any]:
    """The instrument with every text in one language (licensed item texts as the clinic entered them)."""
    return {
        "key": instrument.key,
        "version": instrument.version,
        "name": instrument.name.in_language(language),
        "kind": instrument.kind,
        "licence": instrument.licence,
        "french": instrument.french,
        "note": UNVALIDATED_FRENCH.in_language(language)
        if language == "fr" and instrument.french == "unvalidated"
        else None,
        "texts_complete": all(item.text is not None for item in instrument.items),
        "items": [
            {
                "key": item.key,
                "text": None if item.text is None else item.text.in_language(language),
                "options": [
                    {
                        "value": option.value,
                        "label": None if option.label is None else option.label.in_language(language),
                    }
                    for option in item.options
                ],
                "minimum": item.minimum,
                "maximum": item.maximum,
                "unit": item.unit,
            }
            for item in instrument.items
        ],
        "scales": [
            {
                "key": scale.key,
                "name": scale.name.in_language(language),
                "items": list(scale.items),
                "minimum": scale.minimum,
                "maximum": scale.maximum,
                "direction": scale.direction,
                "unit": scale.unit,
                "mcid": _threshold(scale.mcid),
                "mdc": _threshold(scale.mdc),
                "loinc": scale.loinc,
            }
            for scale in instrument.scales
        ],
        "references": list(instrument.references),
    }


# The registry -------------------------------------------------------------------------------------------------


@router.get("/api/v1/instruments", response_model=list[InstrumentOut], summary="List the outcome instruments")
async def list_instruments(who: CallerDep, box: ContainerDep, language: Language = None) -> Any:
    """Every instrument with its items, answer options, scales and change thresholds, in the caller's language.
    Licensed instruments carry the item texts the caller's clinic entered (null where none was entered); `note`
    marks French wording that is not a published validated translation."""
    with box.uow() as uow:
        found = assessments.instruments_for_clinic(uow, who.actor.clinic_id)
    return [instrument_view(instrument, language or who.actor.language) for instrument in found]


@router.put(
    "/api/v1/instruments/{key}/texts",
    response_model=InstrumentOut,
    summary="Enter the item texts of a licensed instrument",
    responses=WRITE_ERRORS,
)
async def put_instrument_texts(
    key: Annotated[str, Path(min_length=1, max_length=32, description="The instrument key.")],
    body: InstrumentTextsIn,
    who: CallerDep,
    box: ContainerDep,
    language: Language = None,
) -> Any:
    """A trainer or admin of a clinic holding the licence enters item texts in English and French; texts entered
    earlier for the same items are replaced. Free instruments ship with their texts (422 at the key); an unknown
    key is a 404."""
    texts = {item_key: Text(en=text.en, fr=text.fr) for item_key, text in body.texts.items()}
    with box.uow(write=True) as uow:
        require_staff(who.actor)  # the role is refused first, whatever the key (403)
        if key not in load_instruments():
            raise NotFound("instrument")
        try:
            found = assessments.set_instrument_texts(uow, who.actor, key, texts, now=box.clock())
        except InvalidRequest as error:
            if error.field != ("instrument",):
                raise
            raise InvalidRequest(
                str(error), fr=error.text("fr"), field=("key",), where="path"
            ) from error  # the key is in the path
        uow.commit()
    return instrument_view(found, language or who.actor.language)


# A participant's assessments ----------------------------------------------------------------------------------


@router.post(
    f"{PARTICIPANT}/assessments",
    response_model=AssessmentOut,
    status_code=201,
    summary="Record a completed questionnaire or test",
    responses=WRITE_ERRORS,
)
async def record_assessment(
    participant_id: Id, body: AssessmentIn, who: CallerDep, box: ContainerDep, key: IdempotencyKey = None
) -> Any:
    """The answers are checked and scored; a wrong answer is a 422 at `answers.<item>` naming the allowed values.
    Participants and caregivers enter patient-reported instruments; performance and clinician-rated tests are
    entered by staff (403 otherwise). A second entry of the same instrument on the same day is a 409 naming the
    entry on file: correct that one instead (PUT), unless it was withdrawn. Send an Idempotency-Key to retry
    safely: a retry replays the first answer."""

    def work(uow: Any, now: dt.datetime) -> dict[str, Any]:
        record = assessments.record_assessment(
            uow,
            who.actor,
            participant_id,
            instrument=body.instrument,
            taken_on=body.taken_on,
            answers=body.answers,
            source="api",
            today=clinic_today(uow, who.actor.clinic_id, now),
            now=now,
        )
        return dataclasses.asdict(record)

    return idempotent_post(box, who, participant_id, key, body, work, kind="assessments")


@router.get(
    f"{PARTICIPANT}/assessments",
    response_model=list[AssessmentOut],
    summary="List a participant's assessments",
    responses=ERRORS,
)
async def list_assessments(
    participant_id: Id,
    who: CallerDep,
    box: ContainerDep,
    start: Annotated[dt.date | None, Query(description="From this day (inclusive).")] = None,
    end: Annotated[dt.date | None, Query(description="Up to this day (inclusive).")] = None,
    instrument: InstrumentKey = None,
    include_history: Annotated[
        bool, Query(description="Also the corrected and withdrawn entries, with when, who and why.")
    ] = False,
) -> Any:
    """Oldest first, with the answers and the scale scores recorded; only the current entries unless
    `include_history` is true."""
    with box.uow() as uow:
        found = assessments.list_assessments(
            uow, who.actor, participant_id, start=start, end=end, instrument=instrument,
            include_history=include_history,
        )  # fmt: skip
    audit_read(box, who, "assessments", participant_id, participant_id)
    return found


@router.put(
    f"{PARTICIPANT}/assessments/{{assessment_id}}",
    response_model=AssessmentOut,
    summary="Correct a recorded assessment",
    responses=WRITE_ERRORS,
)
async def correct_assessment(
    participant_id: Id, assessment_id: Id, body: AssessmentCorrectionIn, who: CallerDep, box: ContainerDep
) -> Any:
    """The corrected answers (all of them) and/or day, with the reason. The answers are scored again and stored
    as a new entry, returned here; the earlier entry is kept with status `corrected`, `replaced_by` the new one.
    Whoever may enter the instrument may correct it (403 otherwise). A corrected or withdrawn entry is a 409, as
    is a new day that already has a current entry of the instrument."""
    now = box.clock()
    with box.uow(write=True) as uow:
        record = assessment_corrections.correct_assessment(
            uow, who.actor, participant_id, assessment_id, answers=body.answers, taken_on=body.taken_on,
            reason=body.reason, source="api", today=clinic_today(uow, who.actor.clinic_id, now), now=now,
        )  # fmt: skip
        uow.commit()
    return record


@router.post(
    f"{PARTICIPANT}/assessments/{{assessment_id}}/withdraw",
    response_model=AssessmentOut,
    summary="Withdraw an assessment entered in error",
    responses=WRITE_ERRORS,
)
async def withdraw_assessment(
    participant_id: Id, assessment_id: Id, body: AssessmentWithdrawalIn, who: CallerDep, box: ContainerDep
) -> Any:
    """For an entry made for the wrong person, or for a test that was not done: it stops counting and stays in
    the history (status `withdrawn`) with the reason. A corrected or already withdrawn entry is a 409."""
    with box.uow(write=True) as uow:
        record = assessment_corrections.withdraw_assessment(
            uow, who.actor, participant_id, assessment_id, reason=body.reason, now=box.clock()
        )
        uow.commit()
    return record


@router.get(
    f"{PARTICIPANT}/assessments/due",
    response_model=list[DueOut],
    summary="What the participant is due to fill in or be tested on",
    responses=ERRORS,
)
async def due_assessments(participant_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """Baseline, then every four weeks, and a reassessment in the days before the next expected injection."""
    now = box.clock()
    with box.uow() as uow:
        today = clinic_today(uow, who.actor.clinic_id, now)
        found = assessments.due_for(uow, who.actor, participant_id, today=today)
    audit_read(box, who, "assessments_due", participant_id, participant_id)
    return found
