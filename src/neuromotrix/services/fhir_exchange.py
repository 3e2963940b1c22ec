"""FHIR exchange (docs/fhir.md): a participant's records out as a Bundle, questionnaire answers in.

Export: anyone who may see the participant (404 otherwise) gets the bundle of what they can already read through
the API; each export is audited in the same transaction. The command line acts for the system and is audited as
`cli`, like the other administrative commands.

Import: QuestionnaireResponses become assessments through `assessments.record_assessment(source="fhir")`, all in
the caller's unit of work: one bad entry refuses the whole file (the caller does not commit), with the entry and
item named. A response already on file (same instrument, date and answers) is skipped, so sending a file twice
adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assessments, block_logs, session_logs, users
from neuromotrix.adapters.fhir import sources
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest, NotFound
from neuromotrix.domain.instruments import Instrument
from neuromotrix.domain.profile import CerebralPalsy, Dystonia, Parkinson
from neuromotrix.services import admin, programs
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.accounts import actor_from_row
from neuromotrix.services.assessments import (
    AssessmentRecord,
    DuplicateAssessment,
    instrument_for_clinic,
    is_current,
    record_assessment,
)
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.participants import current_profile
from neuromotrix.services.unit_of_work import UnitOfWork

CLI_ACTOR = "cli"
MAX_IMPORT_BYTES = 5_000_000  # years of questionnaires; a larger upload is refused before it is parsed
MEASURE_COLUMNS = ("pre_pain", "post_pain", "pre_dystonia", "post_dystonia", "pre_fatigue", "post_fatigue")


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[AssessmentRecord, ...]
    already_on_file: int  # responses skipped because the same assessment is stored


# Export -------------------------------------------------------------------------------------------------------


def export_bundle(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> dict[str, Any]:
    """The participant's Bundle (JSON data) for someone who may see them; NotFound otherwise. Audited."""
    participant = participant_row(uow, actor, participant_id)
    bundle = _bundle(uow, participant, now=now)
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "export", "fhir_bundle", str(participant_id), participant_id)
    )
    return bundle


def export_bundle_cli(uow: UnitOfWork, reference: str, *, now: dt.datetime) -> tuple[int, dict[str, Any]]:
    """`neuromotrix export fhir`: the participant (id or login email) and their Bundle; audited as `cli`."""
    participant = admin.participant_by_reference(uow, reference)
    participant_id = int(participant.id)
    bundle = _bundle(uow, participant, now=now)
    audit_change(uow, AuditRecord(now, None, CLI_ACTOR, "export", "fhir_bundle", str(participant_id), participant_id))
    return participant_id, bundle


def _bundle(uow: UnitOfWork, participant: sa.Row[Any], *, now: dt.datetime) -> dict[str, Any]:
    from neuromotrix.adapters.fhir.bundle import build_bundle

    return build_bundle(export_source(uow, participant), timestamp=now)


def export_source(uow: UnitOfWork, participant: sa.Row[Any]) -> sources.ExportSource:
    """Everything the bundle holds, read in the caller's transaction (no permission check: callers do it)."""
    participant_id = int(participant.id)
    language = str(participant.language)
    program = programs.active_version(uow, participant_id)
    plan = programs.public_plan(programs.parsed_plan(uow, program)) if program is not None else None
    records = _assessments(uow, participant_id)
    names = _exercise_names(plan, language)
    clinic_id = int(participant.clinic_id)
    instruments: dict[str, Instrument] = {}
    for record in records:
        if record.instrument not in instruments:
            instruments[record.instrument] = instrument_for_clinic(uow, clinic_id, record.instrument)
    return sources.ExportSource(
        patient=sources.PatientRecord(participant_id, str(participant.display_name), language),
        conditions=_conditions(uow, participant_id),
        program=None
        if program is None or plan is None
        else sources.ProgramRecord(int(program.id), int(program.version), program.approved_at, plan),
        session_logs=_session_logs(uow, participant_id, names),
        assessments=records,
        instruments=instruments,
        exercise_names=names,
        clinic_id=clinic_id,
    )


def _conditions(uow: UnitOfWork, participant_id: int) -> tuple[sources.ConditionRecord, ...]:
    try:
        _, profile = current_profile(uow, participant_id)
    except NotFound:
        return ()
    return tuple(_condition(condition) for condition in profile.conditions)


def _condition(condition: Dystonia | Parkinson | CerebralPalsy) -> sources.ConditionRecord:
    details: list[str] = []
    if isinstance(condition, Dystonia):
        details.append(f"distribution: {condition.distribution}")
        if condition.regions:
            details.append(f"regions: {', '.join(condition.regions)}")
        if condition.cervical is not None:
            details.append("cervical pattern recorded")
    elif isinstance(condition, Parkinson):
        if condition.hoehn_yahr is not None:
            details.append(f"Hoehn and Yahr stage {condition.hoehn_yahr}")
    elif condition.gmfcs is not None:
        details.append(f"GMFCS level {condition.gmfcs}")
    return sources.ConditionRecord(condition.kind, tuple(details))


def _session_logs(uow: UnitOfWork, participant_id: int, names: dict[str, str]) -> tuple[sources.SessionLogRecord, ...]:
    logs = uow.connection.execute(
        sa.select(session_logs.c.id, session_logs.c.performed_on, *(session_logs.c[name] for name in MEASURE_COLUMNS))
        .where(session_logs.c.participant_id == participant_id)
        .order_by(session_logs.c.performed_on, session_logs.c.id)
    ).all()
    efforts: dict[int, list[sources.EffortRecord]] = {}
    rows = uow.connection.execute(
        sa.select(block_logs.c.session_log_id, block_logs.c.exercise_id, block_logs.c.effort_scale, block_logs.c.effort)
        .join(session_logs, session_logs.c.id == block_logs.c.session_log_id)
        .where(session_logs.c.participant_id == participant_id, block_logs.c.effort.is_not(None))
        .order_by(block_logs.c.session_log_id, block_logs.c.position)
    ).all()
    for row in rows:
        if row.effort_scale is None:
            continue
        exercise_id = str(row.exercise_id)
        efforts.setdefault(int(row.session_log_id), []).append(
            sources.EffortRecord(
                exercise_id, names.get(exercise_id, exercise_id), str(row.effort_scale), float(row.effort)
            )
        )
    return tuple(
        sources.SessionLogRecord(
            id=int(log.id),
            performed_on=log.performed_on,
            measures={name: getattr(log, name) for name in MEASURE_COLUMNS},
            efforts=tuple(efforts.get(int(log.id), ())),
        )
        for log in logs
    )


def _exercise_names(plan: dict[str, Any] | None, language: str) -> dict[str, str]:
    """Exercise names in the participant's language: the catalog's; a clinic's own exercise keeps the plan's."""
    catalog = load_catalog()
    names = {
        exercise_id: compiled.exercise.name.in_language(language) for exercise_id, compiled in catalog.exercises.items()
    }
    for week in (plan or {}).get("weeks", []):
        for session in week["sessions"]:
            for block in session["blocks"]:
                names.setdefault(block["exercise_id"], str(block["name"]))
    return names


def _assessments(uow: UnitOfWork, participant_id: int) -> tuple[sources.AssessmentData, ...]:
    rows = uow.connection.execute(
        sa.select(assessments)
        .where(assessments.c.participant_id == participant_id, is_current())  # corrected/withdrawn: not exported
        .order_by(assessments.c.taken_on, assessments.c.id)
    ).all()
    return tuple(
        sources.AssessmentData(
            id=int(row.id),
            instrument=str(row.instrument),
            instrument_version=str(row.instrument_version),
            taken_on=row.taken_on,
            answers=dict(row.answers),
            scores=dict(row.scores),
        )
        for row in rows
    )


# Import -------------------------------------------------------------------------------------------------------


def import_responses(
    uow: UnitOfWork, actor: Actor, participant_id: int, document: bytes, *, today: dt.date, now: dt.datetime
) -> ImportResult:
    """Record every QuestionnaireResponse of the file for the participant, or raise and record nothing (the
    caller commits only when this returns). The participant is checked before the file is read (404 first)."""
    from neuromotrix.adapters.fhir.responses import (
        FhirImportError,
        answers_for,
        french_label,
        names_participant,
        read_responses,
    )

    participant_row(uow, actor, participant_id)
    if len(document) > MAX_IMPORT_BYTES:
        raise FhirImportError(
            f"The file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB. Split it into several files; nothing was "
            "imported.",
            fr=(
                f"Le fichier dépasse {MAX_IMPORT_BYTES // 1_000_000} Mo. Divisez-le en plusieurs fichiers; rien n'a été "
                "importé."
            ),
            field=("file",),
        )
    parsed = read_responses(document)
    imported: list[AssessmentRecord] = []
    skipped = 0
    for response in parsed:
        where: tuple[str | int, ...] = ("entry", response.index)
        if not names_participant(response.subject, participant_id):
            raise FhirImportError(
                f"{response.label}: its subject {_subject_text(response.subject)} is not participant "
                f"{participant_id}. Import each person's answers into their own record (or leave subject out). "
                "Nothing was imported.",
                fr=(
                    f"{french_label(response.label)} : son sujet {_subject_text(response.subject)} n'est pas le participant "
                    f"{participant_id}. Importez les réponses de chaque personne dans son propre dossier (ou omettez subject). "
                    "Rien n'a été importé."
                ),
                field=(*where, "subject"),
            )
        instrument = _instrument(uow, actor.clinic_id, response.instrument, response.label, where)
        if response.version is not None and response.version != instrument.version:
            raise FhirImportError(
                f"{response.label}: it answers version {response.version} of {instrument.name.en}; this installation "
                f"scores version {instrument.version}. Nothing was imported.",
                fr=(
                    f"{french_label(response.label)} : elle répond à la version {response.version} de {instrument.name.fr}; cette "
                    f"installation cote la version {instrument.version}. Rien n'a été importé."
                ),
                field=(*where, "questionnaire"),
            )
        answers = answers_for(instrument, response)
        if _on_file(uow, participant_id, instrument.key, response.taken_on, answers):
            skipped += 1
            continue
        try:
            record = record_assessment(
                uow, actor, participant_id, instrument=instrument.key, taken_on=response.taken_on, answers=answers,
                source="fhir", today=today, now=now,
            )  # fmt: skip
        except InvalidRequest as error:
            raise FhirImportError(
                f"{response.label}: {error} Nothing was imported.",
                fr=f"{french_label(response.label)} : {error.text('fr')} Rien n'a été importé.",
                field=(*where, *_item_path(error.field)),
            ) from error
        except Forbidden as error:
            raise Forbidden(
                f"{response.label}: {error} Nothing was imported.",
                fr=f"{french_label(response.label)} : {error.text('fr')} Rien n'a été importé.",
            ) from error
        except DuplicateAssessment as error:  # other answers on file for that day: correct that entry instead
            raise Conflict(
                f"{response.label}: {error} Nothing was imported.",
                fr=f"{french_label(response.label)} : {error.text('fr')} Rien n'a été importé.",
            ) from error
        imported.append(record)
    return ImportResult(tuple(imported), skipped)


def import_responses_cli(
    uow: UnitOfWork, reference: str, document: bytes, *, by: str | None, now: dt.datetime
) -> tuple[int, ImportResult]:
    """`neuromotrix import fhir`: recorded under the account `by` (an email), or the participant's own account.
    That account's permissions apply (a participant enters self-reported instruments, staff enter every kind).
    Answers dated after today where the clinic is are refused as in the future."""
    participant = admin.participant_by_reference(uow, reference)
    if by is None:
        if participant.user_id is None:
            raise InvalidRequest(
                f"Participant {participant.id} has no account to record the answers under. Name the trainer or admin "
                "entering them with --by EMAIL.",
                fr=(
                    f"Le participant {participant.id} n'a pas de compte sous lequel enregistrer les réponses. Nommez l'entraîneur "
                    "ou l'administrateur qui les saisit avec --by COURRIEL."
                ),
                field=("by",),
            )
        row = uow.connection.execute(sa.select(users).where(users.c.id == participant.user_id)).one()
    else:
        found = uow.connection.execute(sa.select(users).where(users.c.email == by.strip().lower())).first()
        if found is None or not found.active:
            raise InvalidRequest(
                f"No active account has the email {by}. Check --by.",
                fr=f"Aucun compte actif n'a le courriel {by}. Vérifiez --by.",
                field=("by",),
            )
        row = found
    actor = actor_from_row(row, second_factor=True)
    participant_id = int(participant.id)
    today = programs.clinic_day(uow, participant_id, now)
    return participant_id, import_responses(uow, actor, participant_id, document, today=today, now=now)


def _instrument(uow: UnitOfWork, clinic_id: int, key: str, label: str, where: tuple[str | int, ...]) -> Instrument:
    from neuromotrix.adapters.fhir.responses import FhirImportError, french_label

    try:
        return instrument_for_clinic(uow, clinic_id, key)
    except InvalidRequest as error:
        raise FhirImportError(
            f"{label}: no questionnaire {key!r}. {error} Nothing was imported.",
            fr=f"{french_label(label)} : aucun questionnaire {key!r}. {error.text('fr')} Rien n'a été importé.",
            field=(*where, "questionnaire"),
        ) from error


def _on_file(
    uow: UnitOfWork, participant_id: int, instrument: str, taken_on: dt.date, answers: dict[str, float | None]
) -> bool:
    given = {key: value for key, value in answers.items() if value is not None}
    stored = uow.connection.execute(
        sa.select(assessments.c.answers).where(
            assessments.c.participant_id == participant_id,
            assessments.c.instrument == instrument,
            assessments.c.taken_on == taken_on,
        )
    ).scalars()
    for answer_set in stored:
        kept = {key: float(value) for key, value in dict(answer_set).items() if value is not None}
        if kept == given:
            return True
    return False


def _item_path(field: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """`answers.<item>` (our API's name) is `item.<linkId>` in FHIR terms."""
    if field and field[0] == "answers":
        return ("item", *field[1:])
    return field


def _subject_text(subject: Any) -> str:
    if isinstance(subject, dict):
        return str(subject.get("reference") or subject.get("identifier") or subject)
    return repr(subject)
