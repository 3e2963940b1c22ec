"""Correcting or withdrawing a recorded assessment (docs/instruments.md "Correcting or withdrawing an entry").

A recorded score is never overwritten. A correction stores the corrected answers, scored again by the instrument,
as a new entry that `corrects` the earlier one; the earlier one becomes "corrected", with when, who and why. An
entry made in error (the wrong person, a test that was not done) becomes "withdrawn", with the reason. Only
current entries count in charts, score series, reports, the due list and the FHIR export; the history keeps the
others (services/assessments.py `list_assessments(include_history=True)`).

Who: whoever may enter the instrument (`may_enter`): the participant or a linked caregiver for a questionnaire,
staff for every kind. A participant the caller may not see, or an entry of someone else, is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from neuromotrix.adapters.db.tables import assessments
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest
from neuromotrix.domain.instruments import AnswerError, score
from neuromotrix.services.access import Actor, lock_participant
from neuromotrix.services.assessments import (
    SOURCES,
    AssessmentRecord,
    DuplicateAssessment,
    _answer_field,
    _number,
    current_entry_on,
    entry_record,
    get_assessment,
    insert_entry,
    may_enter,
    registry_instrument,
)
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_REASON = 500  # the assessments.change_reason column


def correct_assessment(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    assessment_id: int,
    *,
    answers: Mapping[str, float | None] | None,
    taken_on: dt.date | None,
    reason: str,
    source: str,
    today: dt.date,
    now: dt.datetime,
) -> AssessmentRecord:
    """Replace a current entry by a corrected one: `answers` (all of them, not a patch) and/or `taken_on`, left
    out to keep what was recorded. Returns the new entry; the earlier one is kept as "corrected"."""
    earlier = _changeable(uow, actor, participant_id, assessment_id, reason)
    instrument = registry_instrument(earlier.instrument)
    if source not in SOURCES - {"fhir"}:
        raise InvalidRequest(
            f"Unknown source {source!r}; use web or api.",
            fr=f"Source inconnue : {source!r}; utilisez web ou api.",
            field=("source",),
        )
    day = earlier.taken_on if taken_on is None else taken_on
    given = dict(earlier.answers) if answers is None else dict(answers)
    if day > today:
        raise InvalidRequest(
            f"The date {day.isoformat()} is in the future (today is {today.isoformat()}). Give the day the "
            "questionnaire or test was done.",
            fr=f"La date {day.isoformat()} est dans le futur (nous sommes le {today.isoformat()}). Donnez le jour "
            "où le questionnaire ou le test a été fait.",
            field=("taken_on",),
        )
    if not any(value is not None for value in given.values()):
        raise InvalidRequest(
            f"No answer was given. Answer at least one item of {instrument.name.en}, or withdraw the entry if it "
            "was made in error.",
            fr=f"Aucune réponse n'a été donnée. Répondez à au moins un élément de {instrument.name.fr}, ou retirez "
            "la saisie si elle a été faite par erreur.",
            field=("answers",),
        )
    try:
        result = score(instrument, given)
    except AnswerError as error:
        raise InvalidRequest(str(error), fr=error.text("fr"), field=_answer_field(error)) from error
    stored = {item.key: _number(given.get(item.key)) for item in instrument.items if item.key in given}
    if day == earlier.taken_on and _answered(stored) == _answered(earlier.answers):
        raise InvalidRequest(
            "The answers and the date are the ones already recorded: nothing to correct. Change an answer or the date.",
            fr="Les réponses et la date sont celles déjà enregistrées : rien à corriger. Changez une réponse ou la date.",
            field=("answers",),
        )
    if day != earlier.taken_on:
        existing = current_entry_on(uow, participant_id, instrument.key, day, besides=earlier.id)
        if existing is not None:
            raise DuplicateAssessment(instrument, day, existing)
    new_id = insert_entry(
        uow, actor, participant_id, instrument, taken_on=day, answers=stored, result=result, source=source, now=now,
        corrects=earlier.id,
    )  # fmt: skip
    _close(uow, earlier.id, "corrected", actor, reason, now)
    _audit(uow, actor, "create", new_id, participant_id, now, f"corrects assessment {earlier.id}")
    _audit(uow, actor, "correct", earlier.id, participant_id, now, f"replaced by assessment {new_id}")
    return entry_record(uow, new_id)


def withdraw_assessment(
    uow: UnitOfWork, actor: Actor, participant_id: int, assessment_id: int, *, reason: str, now: dt.datetime
) -> AssessmentRecord:
    """Mark a current entry as made in error: it stops counting and stays in the history with the reason."""
    earlier = _changeable(uow, actor, participant_id, assessment_id, reason)
    _close(uow, earlier.id, "withdrawn", actor, reason, now)
    _audit(uow, actor, "withdraw", earlier.id, participant_id, now, "")
    return entry_record(uow, earlier.id)


def _changeable(
    uow: UnitOfWork, actor: Actor, participant_id: int, assessment_id: int, reason: str
) -> AssessmentRecord:
    """The entry, if the caller may change it and it is still current (read again under the participant lock)."""
    found = get_assessment(uow, actor, participant_id, assessment_id)  # 404 for what the caller may not see
    instrument = registry_instrument(found.instrument)
    if not may_enter(actor, instrument):
        raise Forbidden(
            f"{instrument.name.en} is a clinician-rated or performance test: the participant's trainer corrects or "
            "withdraws it.",
            fr=f"{instrument.name.fr} est une échelle cotée par le clinicien ou un test de performance : c'est "
            "l'entraîneur de la personne participante qui la corrige ou la retire.",
        )
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > MAX_REASON:
        raise InvalidRequest(
            f"Give the reason for the change in 1 to {MAX_REASON} characters, like “wrong date” or “entered for the "
            "wrong person”.",
            fr=f"Donnez le motif de la modification en 1 à {MAX_REASON} caractères, par exemple « mauvaise date » ou "
            "« saisie pour la mauvaise personne ».",
            field=("reason",),
        )
    lock_participant(uow, participant_id)  # two changes at once: the second sees the first
    entry = entry_record(uow, assessment_id)
    if entry.status == "corrected":
        raise Conflict(
            f"Assessment {assessment_id} was already corrected: assessment {entry.replaced_by} replaced it. Correct "
            "or withdraw that entry instead.",
            fr=f"L'évaluation {assessment_id} a déjà été corrigée : l'évaluation {entry.replaced_by} la remplace. "
            "Corrigez ou retirez plutôt cette saisie.",
        )
    if entry.status == "withdrawn":
        raise Conflict(
            f"Assessment {assessment_id} was withdrawn and no longer counts. If the questionnaire or test was "
            "done, record it again.",
            fr=f"L'évaluation {assessment_id} a été retirée et ne compte plus. Si le questionnaire ou le test a été "
            "fait, enregistrez-le de nouveau.",
        )
    return entry


def _answered(answers: Mapping[str, float | None]) -> dict[str, float]:
    """The answers given: an unanswered item is the same whether it is null or left out."""
    return {key: float(value) for key, value in answers.items() if value is not None}


def _close(uow: UnitOfWork, assessment_id: int, status: str, actor: Actor, reason: str, now: dt.datetime) -> None:
    uow.connection.execute(
        assessments.update()
        .where(assessments.c.id == assessment_id)
        .values(status=status, changed_at=now, changed_by=actor.user_id, change_reason=reason.strip())
    )


def _audit(
    uow: UnitOfWork, actor: Actor, action: str, assessment_id: int, participant_id: int, now: dt.datetime, detail: str
) -> None:
    """The reason itself stays in the assessment row: it may hold health details the audit log does not need."""
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, action, "assessment", str(assessment_id), participant_id, detail),
    )
