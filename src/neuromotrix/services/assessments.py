"""Outcome assessments (BRIEF §7): record a questionnaire or test, list them, score series and what is due.

Answers are validated and scored by the instrument registry (domain/instruments.py) when they are recorded; the
scale scores are stored with the instrument version that produced them, so a later catalog change never
rewrites a past score. Licensed instruments ship without item texts: a clinic holding the licence enters them
(`set_instrument_texts`) and `instrument_for_clinic` applies them.

Who enters what: a participant or a linked caregiver enters patient-reported instruments (kind "pro"); a
trainer or an admin enters every kind (performance and clinician-rated tests, or a questionnaire on someone's
behalf). Reads are audited by the entry points; every write here is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assessments, clinics, injections, instrument_texts, users
from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.assessment_schedule import DueAssessment, due_assessments, expected_next_injection
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import AnswerError, Change, Instrument, InstrumentScore, classify_change, score
from neuromotrix.services import idempotency
from neuromotrix.services.access import Actor, lock_participant, participant_row, require_staff
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.participants import audit, current_profile
from neuromotrix.services.unit_of_work import UnitOfWork

SOURCES: frozenset[str] = frozenset({"web", "api", "fhir"})
SELF_REPORTED_KINDS: frozenset[str] = frozenset({"pro"})  # BRIEF §7 "Who": what a participant fills in
MAX_ITEM_TEXT = 2000  # the instrument_texts.text_en/text_fr columns
# Shown with French item texts of an instrument whose French wording is not a published validated translation.
UNVALIDATED_FRENCH = Text(
    en="French wording not a published validated translation.",
    fr="Formulation française : pas une traduction validée publiée.",
)


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    participant_id: int
    instrument: str
    instrument_version: str
    taken_on: dt.date
    answers: dict[str, float | None]
    scores: dict[str, float | None]
    entered_as: str
    source: str
    created_at: dt.datetime
    # The history (services/assessment_corrections.py): "current" counts; "corrected" was replaced by the entry
    # `replaced_by`; "withdrawn" was entered in error. `changed_*` say when, who and why it stopped counting.
    status: str = "current"
    corrects: int | None = None
    replaced_by: int | None = None
    changed_at: dt.datetime | None = None
    changed_by: int | None = None
    changed_by_name: str | None = None
    change_reason: str | None = None


class DuplicateAssessment(Conflict):
    """A current entry of the instrument exists for that participant and day: correct it instead."""

    def __init__(self, instrument: Instrument, taken_on: dt.date, existing_id: int) -> None:
        super().__init__(
            f"An entry of {instrument.name.en} already exists for {taken_on.isoformat()} (assessment "
            f"{existing_id}). Correct that entry instead of recording a second one "
            f"(PUT .../assessments/{existing_id}), or withdraw it first if it was entered in error.",
            fr=f"Une saisie de {instrument.name.fr} existe déjà pour le {taken_on.isoformat()} (évaluation "
            f"{existing_id}). Corrigez cette saisie au lieu d'en enregistrer une deuxième "
            f"(PUT .../assessments/{existing_id}), ou retirez-la d'abord si elle a été faite par erreur.",
        )
        self.existing_id = existing_id


CURRENT = "current"


def is_current() -> sa.ColumnElement[bool]:
    """Only entries that count: not corrected by a newer entry and not withdrawn."""
    return assessments.c.status == CURRENT


def current_entry_on(
    uow: UnitOfWork, participant_id: int, instrument: str, taken_on: dt.date, *, besides: int | None = None
) -> int | None:
    """The id of the current entry of that instrument on that day, if any (`besides`: leave that entry out)."""
    query = sa.select(assessments.c.id).where(
        assessments.c.participant_id == participant_id,
        assessments.c.instrument == instrument,
        assessments.c.taken_on == taken_on,
        is_current(),
    )
    if besides is not None:
        query = query.where(assessments.c.id != besides)
    found = uow.connection.execute(query.order_by(assessments.c.id).limit(1)).scalar()
    return None if found is None else int(found)


@dataclass(frozen=True)
class ScalePoint:
    taken_on: dt.date
    value: float


@dataclass(frozen=True)
class ScaleSeries:
    """One scale over time; `change` compares the latest point with the first (the baseline) of the range."""

    instrument: str
    scale: str
    points: tuple[ScalePoint, ...]
    change: Change | None


# Instruments and clinic texts ---------------------------------------------------------------------------------


def registry_instrument(key: str) -> Instrument:
    """The shipped instrument; an unknown key is a 422 on the `instrument` field with the known keys."""
    try:
        return load_instruments().get(key)
    except InvalidRequest as error:
        raise InvalidRequest(str(error), fr=error.text("fr"), field=("instrument",)) from error


def clinic_texts(uow: UnitOfWork, clinic_id: int, key: str) -> dict[str, Text]:
    """Item texts a clinic entered for a licensed instrument, by item key."""
    rows = uow.connection.execute(
        sa.select(instrument_texts.c.item_key, instrument_texts.c.text_en, instrument_texts.c.text_fr).where(
            instrument_texts.c.clinic_id == clinic_id, instrument_texts.c.instrument == key
        )
    ).all()
    return {row.item_key: Text(en=row.text_en, fr=row.text_fr) for row in rows}


def instrument_for_clinic(uow: UnitOfWork, clinic_id: int, key: str) -> Instrument:
    """The instrument with the clinic's own item texts applied (licensed instruments only carry them)."""
    instrument = registry_instrument(key)
    texts = clinic_texts(uow, clinic_id, key) if instrument.licence == "licensed" else {}
    return instrument.with_item_texts(texts) if texts else instrument


def instruments_for_clinic(uow: UnitOfWork, clinic_id: int) -> list[Instrument]:
    """Every instrument in the registry's order, with the clinic's licensed texts applied."""
    rows = uow.connection.execute(sa.select(instrument_texts).where(instrument_texts.c.clinic_id == clinic_id)).all()
    by_instrument: dict[str, dict[str, Text]] = {}
    for row in rows:
        by_instrument.setdefault(row.instrument, {})[row.item_key] = Text(en=row.text_en, fr=row.text_fr)
    found = []
    for instrument in load_instruments():
        texts = by_instrument.get(instrument.key) if instrument.licence == "licensed" else None
        found.append(instrument.with_item_texts(texts) if texts else instrument)
    return found


def set_instrument_texts(
    uow: UnitOfWork, actor: Actor, key: str, texts: Mapping[str, Text], *, now: dt.datetime
) -> Instrument:
    """Staff of a clinic holding the licence enter item texts in English and French (replacing earlier ones)."""
    require_staff(actor)
    instrument = registry_instrument(key)
    if instrument.licence != "licensed":
        raise InvalidRequest(
            f"{instrument.name.en} is free to use and its item texts ship with the application; only licensed "
            "instruments take clinic-entered texts.",
            fr=(
                f"{instrument.name.fr} est libre d'utilisation et les textes de ses éléments sont fournis avec "
                "l'application; seuls les instruments sous licence prennent des textes saisis par la clinique."
            ),
            field=("instrument",),
        )
    if not texts:
        raise InvalidRequest(
            "Give the text of at least one item, in English and French.",
            fr="Donnez le texte d'au moins un élément, en anglais et en français.",
            field=("texts",),
        )
    known = [item.key for item in instrument.items]
    for item_key, text in texts.items():
        if item_key not in known:
            raise InvalidRequest(
                f"{instrument.name.en} has no item {item_key!r}; its items are: {', '.join(known)}.",
                fr=f"{instrument.name.fr} n'a pas d'élément {item_key!r}; ses éléments sont : {', '.join(known)}.",
                field=("texts", item_key),
            )
        for language in ("en", "fr"):
            value = text.in_language(language).strip()
            if not value or len(value) > MAX_ITEM_TEXT:
                raise InvalidRequest(
                    f"The {language.upper()} text of item {item_key!r} must be 1 to {MAX_ITEM_TEXT} characters.",
                    fr=(
                        f"Le texte {language.upper()} de l'élément {item_key!r} doit compter de 1 à {MAX_ITEM_TEXT} caractères."
                    ),
                    field=("texts", item_key, language),
                )
    # Two staff saving at once: the clinic row lock makes the update-or-insert below one at a time on PostgreSQL
    # (SQLite's write transaction already serialises writers), so the unique constraint is never hit.
    uow.connection.execute(sa.select(clinics.c.id).where(clinics.c.id == actor.clinic_id).with_for_update()).first()
    table = instrument_texts.c
    for item_key, text in texts.items():
        where = sa.and_(table.clinic_id == actor.clinic_id, table.instrument == key, table.item_key == item_key)
        values = {
            "text_en": text.en.strip(),
            "text_fr": text.fr.strip(),
            "updated_by": actor.user_id,
            "updated_at": now,
        }
        updated = uow.connection.execute(instrument_texts.update().where(where).values(**values))
        if updated.rowcount == 0:
            uow.connection.execute(
                instrument_texts.insert().values(**values, clinic_id=actor.clinic_id, instrument=key, item_key=item_key)
            )
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "update", "instrument_texts", key, None, ",".join(texts)),
    )
    return instrument_for_clinic(uow, actor.clinic_id, key)


# Recording ----------------------------------------------------------------------------------------------------


def may_enter(actor: Actor, instrument: Instrument) -> bool:
    """Participants and caregivers fill in patient-reported instruments; staff enter every kind."""
    return actor.is_staff or instrument.kind in SELF_REPORTED_KINDS


def record_assessment(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    instrument: str,
    taken_on: dt.date,
    answers: Mapping[str, float | None],
    source: str,
    today: dt.date,
    now: dt.datetime | None = None,
) -> AssessmentRecord:
    """Validate, score and store one completed instrument. Bad answers are a 422 on `answers.<item>`."""
    participant_row(uow, actor, participant_id)
    found = registry_instrument(instrument)
    if source not in SOURCES:
        raise InvalidRequest(
            f"Unknown source {source!r}; use one of: {', '.join(sorted(SOURCES))}.",
            fr=f"Source inconnue : {source!r}; utilisez l'une de celles-ci : {', '.join(sorted(SOURCES))}.",
            field=("source",),
        )
    if not may_enter(actor, found):
        raise Forbidden(
            f"{found.name.en} is a clinician-rated or performance test: the participant's trainer enters it.",
            fr=(
                f"{found.name.fr} est une évaluation cotée par le clinicien ou un test de performance : l'entraîneur du "
                "participant la saisit."
            ),
        )
    if taken_on > today:
        raise InvalidRequest(
            f"The date {taken_on.isoformat()} is in the future (today is {today.isoformat()}). "
            "Record an assessment once it is done, with the date it was done.",
            fr=(
                f"La date {taken_on.isoformat()} est dans le futur (nous sommes le {today.isoformat()}). Enregistrez une "
                "évaluation une fois qu'elle est faite, à la date où elle a été faite."
            ),
            field=("taken_on",),
        )
    if not any(value is not None for value in answers.values()):
        raise InvalidRequest(
            f"No answer was given. Answer at least one item of {found.name.en}.",
            fr=f"Aucune réponse n'a été donnée. Répondez à au moins un élément de {found.name.fr}.",
            field=("answers",),
        )
    try:
        result = score(found, answers)
    except AnswerError as error:
        raise InvalidRequest(str(error), fr=error.text("fr"), field=_answer_field(error)) from error
    lock_participant(uow, participant_id)  # two entries racing for one day: the second sees the first
    existing = current_entry_on(uow, participant_id, found.key, taken_on)
    if existing is not None:
        raise DuplicateAssessment(found, taken_on, existing)
    moment = now or dt.datetime.now(dt.UTC)
    stored_answers = {item.key: _number(answers.get(item.key)) for item in found.items if item.key in answers}
    row_id = insert_entry(
        uow, actor, participant_id, found, taken_on=taken_on, answers=stored_answers, result=result, source=source,
        now=moment,
    )  # fmt: skip
    audit(uow, actor, "create", "assessment", row_id, participant_id, moment)
    return entry_record(uow, row_id)


def insert_entry(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    instrument: Instrument,
    *,
    taken_on: dt.date,
    answers: Mapping[str, float | None],
    result: InstrumentScore,
    source: str,
    now: dt.datetime,
    corrects: int | None = None,
) -> int:
    """Store one scored entry (`answers` as stored, `result` the instrument's scoring); its id. `corrects`: the
    entry it replaces (services/assessment_corrections.py)."""
    return int(
        uow.connection.execute(
            assessments.insert()
            .values(
                participant_id=participant_id,
                instrument=instrument.key,
                instrument_version=instrument.version,
                taken_on=taken_on,
                answers=dict(answers),
                scores={scale.key: scale.value for scale in result.scales},
                entered_by=actor.user_id,
                entered_as=_entered_as(actor, source),
                source=source,
                created_at=now,
                corrects=corrects,
            )
            .returning(assessments.c.id)
        ).scalar_one()
    )


def record_assessment_once(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    key: str,
    instrument: str,
    taken_on: dt.date,
    answers: Mapping[str, float | None],
    today: dt.date,
    now: dt.datetime,
) -> int:
    """`record_assessment` from a page form, once per form key: a double click or a reload records one
    assessment and gives back the id of the first (services/idempotency.py)."""
    participant_row(uow, actor, participant_id)
    cleaned = idempotency.check_key(key)
    route = f"page-assessment:{participant_id}"
    body_hash = idempotency.request_hash({"instrument": instrument, "taken_on": taken_on, "answers": dict(answers)})
    lock_participant(uow, participant_id)
    earlier = idempotency.replay(uow, user_id=actor.user_id, route=route, key=cleaned, body_hash=body_hash)
    if earlier is not None:
        return int(earlier.body["id"])
    record = record_assessment(
        uow, actor, participant_id, instrument=instrument, taken_on=taken_on, answers=answers, source="web",
        today=today, now=now,
    )  # fmt: skip
    idempotency.remember(
        uow, user_id=actor.user_id, route=route, key=cleaned, body_hash=body_hash, status_code=201,
        response={"id": record.id}, now=now,
    )  # fmt: skip
    return record.id


def _answer_field(error: InvalidRequest) -> tuple[str | int, ...]:
    """`answers.<item>`: the scoring error names the item; anything else is about the answers as a whole."""
    field = tuple(error.field)
    return field if field[:1] == ("answers",) else ("answers", *field)


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def _entered_as(actor: Actor, source: str) -> str:
    if source == "fhir":
        return "import"
    if actor.role in ("participant", "caregiver"):
        return actor.role
    return "trainer"


def _record(row: sa.Row[Any]) -> AssessmentRecord:
    return AssessmentRecord(
        id=int(row.id),
        participant_id=int(row.participant_id),
        instrument=row.instrument,
        instrument_version=row.instrument_version,
        taken_on=row.taken_on,
        answers=dict(row.answers),
        scores=dict(row.scores),
        entered_as=row.entered_as,
        source=row.source,
        created_at=row.created_at,
        status=row.status,
        corrects=row.corrects,
        replaced_by=row.replaced_by,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        changed_by_name=row.changed_by_name,
        change_reason=row.change_reason,
    )


def select_entries() -> sa.Select[Any]:
    """Every column of `assessments`, with the name of whoever changed the entry and the entry replacing it."""
    newer = assessments.alias("newer")
    replaced_by = (
        sa.select(newer.c.id).where(newer.c.corrects == assessments.c.id).order_by(newer.c.id).limit(1)
    ).scalar_subquery()
    return sa.select(assessments, users.c.name.label("changed_by_name"), replaced_by.label("replaced_by")).select_from(
        assessments.outerjoin(users, users.c.id == assessments.c.changed_by)
    )


def entry_record(uow: UnitOfWork, assessment_id: int) -> AssessmentRecord:
    return _record(uow.connection.execute(select_entries().where(assessments.c.id == assessment_id)).one())


# Reading ------------------------------------------------------------------------------------------------------


def list_assessments(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    instrument: str | None = None,
    include_history: bool = False,
) -> list[AssessmentRecord]:
    """The participant's current assessments, oldest first, optionally between two dates (inclusive) or of one
    kind; `include_history` adds the corrected and withdrawn entries (what charts and reports never count)."""
    participant_row(uow, actor, participant_id)
    if start is not None and end is not None and start > end:
        raise InvalidRequest(
            f"The start {start.isoformat()} is after the end {end.isoformat()}; swap them.",
            fr=f"Le début {start.isoformat()} est après la fin {end.isoformat()}; inversez-les.",
            field=("start",),
        )
    query = select_entries().where(assessments.c.participant_id == participant_id)
    if not include_history:
        query = query.where(is_current())
    if start is not None:
        query = query.where(assessments.c.taken_on >= start)
    if end is not None:
        query = query.where(assessments.c.taken_on <= end)
    if instrument is not None:
        query = query.where(assessments.c.instrument == registry_instrument(instrument).key)
    rows = uow.connection.execute(query.order_by(assessments.c.taken_on, assessments.c.id)).all()
    return [_record(row) for row in rows]


def get_assessment(uow: UnitOfWork, actor: Actor, participant_id: int, assessment_id: int) -> AssessmentRecord:
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        select_entries().where(assessments.c.id == assessment_id, assessments.c.participant_id == participant_id)
    ).first()
    if row is None:
        raise NotFound("assessment")
    return _record(row)


def score_series(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ScaleSeries]:
    """Every scale with at least one score, in the registry's order; the change is latest against first."""
    records = list_assessments(uow, actor, participant_id, start=start, end=end)
    return series_from(records)


def series_from(records: Iterable[AssessmentRecord]) -> list[ScaleSeries]:
    points: dict[tuple[str, str], list[ScalePoint]] = {}
    for record in records:
        for scale_key, value in record.scores.items():
            if value is not None:
                points.setdefault((record.instrument, scale_key), []).append(ScalePoint(record.taken_on, value))
    found = []
    for instrument in load_instruments():
        for scale in instrument.scales:
            series = points.get((instrument.key, scale.key))
            if not series:
                continue
            change = classify_change(scale, series[0].value, series[-1].value) if len(series) > 1 else None
            found.append(ScaleSeries(instrument.key, scale.key, tuple(series), change))
    return found


def due_for(uow: UnitOfWork, actor: Actor, participant_id: int, *, today: dt.date) -> list[DueAssessment]:
    """What is due now (BRIEF §7 last paragraph): baseline, every 4 weeks, and before the next injection."""
    participant = participant_row(uow, actor, participant_id)
    registry = load_instruments()
    try:
        _, profile = current_profile(uow, participant_id)
    except NotFound:
        return []
    battery = registry.battery(condition.kind for condition in profile.conditions)
    start = profile.preferences.start_on or _created_on(participant)
    next_injection = profile.treatments.botulinum_toxin_next_expected_on
    if next_injection is None:
        injected = uow.connection.execute(
            sa.select(injections.c.injected_on).where(injections.c.participant_id == participant_id)
        ).scalars()
        dates = sorted({*injected, *(injection.date for injection in profile.treatments.botulinum_toxin)})
        next_injection = expected_next_injection(dates, interval_days=registry.schedule.injection_interval_days)
    done: dict[str, list[dt.date]] = {}
    rows = uow.connection.execute(
        sa.select(assessments.c.instrument, assessments.c.taken_on)
        .where(assessments.c.participant_id == participant_id, is_current())
        .order_by(assessments.c.taken_on)
    ).all()
    for row in rows:
        done.setdefault(row.instrument, []).append(row.taken_on)
    return due_assessments(
        battery=battery, start=start, today=today, next_injection=next_injection, done=done, rules=registry.schedule
    )


def _created_on(participant: sa.Row[Any]) -> dt.date:
    created: dt.datetime = participant.created_at
    return created.date()
