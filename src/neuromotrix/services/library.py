"""The exercise library: the catalog and a clinic's own exercises, browsed with filters; custom exercises written
as catalog documents and validated exactly as the catalog is.

A custom exercise is stored as the catalog document (the mapping a `catalog/exercises/*.yaml` entry holds) in
`library_exercises`, under an id of its clinic that never clashes with the catalog's: `X`, a letter and two
digits (XA01…XA99, XB01…), the 1st, 2nd… exercise of the clinic. It is validated by building the same domain
objects the loader builds (`Exercise`, then `CompiledExercise`, which compiles its rules) and by the loader's
reference check. The planner, the adaptation engine and the program changes use them for the clinic's
participants through services/clinic_catalog.py, under the same eligibility and safety rules as the catalog's.

A clinic exercise no program or template has ever named can be deleted (with its media); one that a program
version or a template names is retired instead: left out of every new plan, kept so that the programs written
with it still show it. A retired exercise can be put back in use. The retirement is a mark in the stored
document (`retired_at`, beside the catalog fields), so the table keeps its shape (docs/web.md "Library").

Staff only (trainers and admins): anyone else gets `Forbidden`; another clinic's exercise is `NotFound`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from neuromotrix.adapters.db.tables import (
    clinics,
    exercise_media,
    library_exercises,
    participants,
    program_templates,
    program_versions,
)
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.exercise import CompiledExercise, Exercise
from neuromotrix.domain.validation_fr import french_message
from neuromotrix.domain.vocab import CATEGORIES, EQUIPMENT, POSITIONS
from neuromotrix.services.access import Actor, require_staff
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.catalog import REGION_FILTERS
from neuromotrix.services.clinic_catalog import RETIRED_KEY, exercise_of, is_retired
from neuromotrix.services.unit_of_work import UnitOfWork

CUSTOM_PREFIX = "X"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PER_LETTER = 99
MAX_CUSTOM_EXERCISES = len(LETTERS) * PER_LETTER  # 2,574 per clinic
FILTERS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "region": REGION_FILTERS,
    "position": POSITIONS,
    "equipment": EQUIPMENT,
}


def custom_id(number: int) -> str:
    """The id of a clinic's `number`-th exercise: 1 → XA01, 99 → XA99, 100 → XB01 (the catalog's id pattern:
    two capital letters and two digits)."""
    if not 1 <= number <= MAX_CUSTOM_EXERCISES:
        raise ValueError(f"custom exercise number {number} is outside 1..{MAX_CUSTOM_EXERCISES}")
    letter, digits = divmod(number - 1, PER_LETTER)
    return f"{CUSTOM_PREFIX}{LETTERS[letter]}{digits + 1:02d}"


# Validation -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a custom exercise document: where (`path`, as pydantic gives it, e.g.
    `("levels", 1, "dose", "reps")`), what kind (`kind`: pydantic's error type, or `unknown_refs`), the
    English message and the error's context (limits, unknown keys)."""

    path: tuple[str | int, ...]
    kind: str
    message: str
    context: Mapping[str, Any] = field(default_factory=dict)
    message_fr: str = ""  # the French message; empty: worded from `kind` and `context` (domain/validation_fr.py)

    def french(self) -> str:
        if self.message_fr:
            return self.message_fr
        if self.kind == "value_error":  # a validator's own words, which have no French twin
            return f"valeur non valide : {self.message}"
        return french_message(self.kind, self.context, self.message)


class ExerciseDocumentError(InvalidRequest):
    """A custom exercise document is not a valid catalog entry; `problems` lists every finding."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = tuple(problems)
        first = found[0] if found else Problem((), "invalid", "invalid exercise", message_fr="exercice non valide")
        location = ".".join(str(part) for part in first.path)
        super().__init__(
            f"{location}: {first.message}" if location else first.message,
            fr=f"{location} : {first.french()}" if location else first.french(),
            field=first.path,
        )
        self.problems = found


def validate_document(document: Mapping[str, Any]) -> Exercise:
    """The exercise, built as the catalog loader builds it; `ExerciseDocumentError` with every problem."""
    try:
        exercise = Exercise.model_validate(dict(document))
        CompiledExercise(exercise)  # compiles the indication and contraindication rules, as at catalog load
    except ValidationError as error:
        raise ExerciseDocumentError(_problems(error)) from error
    except ValueError as error:
        raise ExerciseDocumentError([Problem((), "value_error", str(error))]) from error
    references = load_catalog().references
    cited = set(exercise.refs) | {ref for item in exercise.contraindications for ref in item.refs}
    unknown = sorted(cited - references.keys())
    if unknown:
        message = f"unknown reference keys {unknown}; use keys of the catalog bibliography (references.yaml)"
        message_fr = f"clés de référence inconnues {unknown}; utilisez des clés de la bibliographie du catalogue (references.yaml)"  # fmt: skip
        raise ExerciseDocumentError([Problem(("refs",), "unknown_refs", message, {"keys": unknown}, message_fr)])
    return exercise


def _problems(error: ValidationError) -> list[Problem]:
    return [
        Problem(
            tuple(item["loc"]),
            item["type"],
            str(item["msg"]).removeprefix("Value error, "),
            {key: value for key, value in (item.get("ctx") or {}).items() if not isinstance(value, BaseException)},
        )
        for item in error.errors()
    ]


# Reading --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryItem:
    exercise: Exercise
    custom: bool
    media_count: int
    retired: bool = False


@dataclass(frozen=True)
class LibraryExercise:
    exercise: Exercise
    custom: bool
    references: Mapping[str, str]  # cited key → full citation
    updated_at: dt.datetime | None  # custom exercises only
    retired: bool = False  # a clinic exercise left out of new plans


def check_filters(filters: Mapping[str, str | None]) -> dict[str, str]:
    """The filters that are set; `InvalidRequest` naming the filter whose value is not in its list."""
    chosen: dict[str, str] = {}
    for name, value in filters.items():
        if not value:
            continue
        allowed = FILTERS.get(name)
        if allowed is None:
            raise InvalidRequest(
                f"unknown filter {name!r}; use {', '.join(FILTERS)}",
                fr=f"filtre inconnu {name!r}; utilisez {', '.join(FILTERS)}",
                field=(name,),
                where="query",
            )
        if value not in allowed:
            raise InvalidRequest(
                f"{name}: unknown value {value!r}. Allowed values: {', '.join(allowed)}.",
                fr=f"{name} : valeur inconnue {value!r}. Valeurs permises : {', '.join(allowed)}.",
                field=(name,),
                where="query",
            )
        chosen[name] = value
    return chosen


def matches(exercise: Exercise, filters: Mapping[str, str]) -> bool:
    """The catalog API's filter rules (services/catalog.py): a limb region matches its sided forms, a position
    or equipment matches when any level uses it."""
    category = filters.get("category")
    if category is not None and exercise.category != category:
        return False
    region = filters.get("region")
    if region is not None and region not in exercise.regions and region.split("_")[0] not in exercise.regions:
        return False
    position = filters.get("position")
    if position is not None and all(level.position != position for level in exercise.levels):
        return False
    equipment = filters.get("equipment")
    return (
        equipment is None or equipment in exercise.equipment or any(equipment in lv.equipment for lv in exercise.levels)
    )


def find(uow: UnitOfWork, actor: Actor, filters: Mapping[str, str | None]) -> list[LibraryItem]:
    """Catalog and clinic exercises matching the filters, by category (catalog order), then id."""
    require_staff(actor)
    chosen = check_filters(filters)
    counts = _media_counts(uow, actor.clinic_id)
    items = [
        LibraryItem(compiled.exercise, False, counts.get(key, 0)) for key, compiled in load_catalog().exercises.items()
    ]
    items += [
        LibraryItem(exercise, True, counts.get(exercise.id, 0), retired) for exercise, retired in _custom(uow, actor)
    ]
    found = [item for item in items if matches(item.exercise, chosen)]
    return sorted(found, key=lambda item: (CATEGORIES.index(item.exercise.category), item.custom, item.exercise.id))


def custom_exercises(uow: UnitOfWork, actor: Actor) -> list[Exercise]:
    return [exercise for exercise, _ in _custom(uow, actor)]


def _custom(uow: UnitOfWork, actor: Actor) -> list[tuple[Exercise, bool]]:
    """The clinic's exercises in number order, each with whether it is retired."""
    rows = uow.connection.execute(
        sa.select(library_exercises.c.document)
        .where(library_exercises.c.clinic_id == actor.clinic_id)
        .order_by(library_exercises.c.number)
    )
    return [(exercise_of(row.document), is_retired(row.document)) for row in rows]


def _media_counts(uow: UnitOfWork, clinic_id: int) -> dict[str, int]:
    rows = uow.connection.execute(
        sa.select(exercise_media.c.exercise_id, sa.func.count())
        .where(exercise_media.c.clinic_id == clinic_id)
        .group_by(exercise_media.c.exercise_id)
    )
    return {row[0]: int(row[1]) for row in rows}


def get(uow: UnitOfWork, actor: Actor, exercise_id: str) -> LibraryExercise:
    """One catalog or clinic exercise, with its cited references; `NotFound` for anything else."""
    require_staff(actor)
    catalog = load_catalog()
    compiled = catalog.exercises.get(exercise_id)
    updated_at: dt.datetime | None = None
    retired = False
    if compiled is not None:
        exercise, custom = compiled.exercise, False
    else:
        row = _custom_row(uow, actor, exercise_id)
        exercise, custom, updated_at = exercise_of(row.document), True, row.updated_at
        retired = is_retired(row.document)
    cited = set(exercise.refs) | {ref for item in exercise.contraindications for ref in item.refs}
    references = {
        key: catalog.references[key] for key in sorted(cited, key=_reference_order) if key in catalog.references
    }
    return LibraryExercise(exercise, custom, references, updated_at, retired)


def _reference_order(key: str) -> tuple[int, str]:
    """R3 before R30 before R30b (the bibliography's keys are R and a number, sometimes with a letter)."""
    number = re.match(r"R(\d+)", key)
    return (int(number.group(1)) if number else 0, key)


def names(uow: UnitOfWork, actor: Actor, exercise_ids: Iterable[str], language: str) -> dict[str, str]:
    """Exercise id → name in `language`, for the catalog's and the actor's clinic's exercises among the ids."""
    wanted = set(exercise_ids)
    catalog = load_catalog().exercises
    found = {key: catalog[key].exercise.name.in_language(language) for key in wanted if key in catalog}
    if wanted - found.keys():
        found |= {e.id: e.name.in_language(language) for e in custom_exercises(uow, actor) if e.id in wanted}
    return found


def exists(uow: UnitOfWork, actor: Actor, exercise_id: str) -> bool:
    """Whether the actor's clinic can attach media to this id (a catalog exercise or one of its own)."""
    if exercise_id in load_catalog().exercises:
        return True
    found = uow.connection.execute(
        sa.select(library_exercises.c.id).where(
            library_exercises.c.clinic_id == actor.clinic_id, library_exercises.c.exercise_id == exercise_id
        )
    ).first()
    return found is not None


def _custom_row(uow: UnitOfWork, actor: Actor, exercise_id: str) -> sa.Row[Any]:
    row = uow.connection.execute(
        sa.select(library_exercises).where(
            library_exercises.c.clinic_id == actor.clinic_id, library_exercises.c.exercise_id == exercise_id
        )
    ).first()
    if row is None:
        raise NotFound("exercise")
    return row


def custom_document(uow: UnitOfWork, actor: Actor, exercise_id: str) -> dict[str, Any]:
    """The stored document of a clinic exercise (to fill the edit form)."""
    require_staff(actor)
    document: dict[str, Any] = {
        key: value for key, value in _custom_row(uow, actor, exercise_id).document.items() if key != RETIRED_KEY
    }
    return document


def catalog_document(exercise_id: str) -> dict[str, Any]:
    """A catalog exercise as a document (to start a clinic exercise from it); `NotFound` if there is none."""
    compiled = load_catalog().exercises.get(exercise_id)
    if compiled is None:
        raise NotFound("exercise")
    return stored_document(compiled.exercise)


def stored_document(exercise: Exercise) -> dict[str, Any]:
    document: dict[str, Any] = exercise.model_dump(mode="json")
    return document


# Writing --------------------------------------------------------------------------------------------------


def create_custom(uow: UnitOfWork, actor: Actor, document: Mapping[str, Any], *, now: dt.datetime) -> str:
    """A new clinic exercise from a catalog document (its `id` is ignored: the clinic's next id is given)."""
    require_staff(actor)
    # Two trainers adding an exercise at once: the second waits for the first's number (PostgreSQL row lock;
    # SQLite's write transaction already serialises writers and leaves `FOR UPDATE` out).
    uow.connection.execute(sa.select(clinics.c.id).where(clinics.c.id == actor.clinic_id).with_for_update()).first()
    latest = uow.connection.execute(
        sa.select(sa.func.max(library_exercises.c.number)).where(library_exercises.c.clinic_id == actor.clinic_id)
    ).scalar_one()
    number = int(latest or 0) + 1
    catalog = load_catalog().exercises
    while number <= MAX_CUSTOM_EXERCISES and custom_id(number) in catalog:
        number += 1
    if number > MAX_CUSTOM_EXERCISES:
        raise InvalidRequest(
            f"The clinic already has {MAX_CUSTOM_EXERCISES} exercises of its own; edit one of them.",
            fr=f"La clinique a déjà {MAX_CUSTOM_EXERCISES} exercices qui lui sont propres; modifiez l'un d'eux.",
        )
    exercise_id = custom_id(number)
    exercise = validate_document({**document, "id": exercise_id})
    uow.connection.execute(
        library_exercises.insert().values(
            clinic_id=actor.clinic_id,
            exercise_id=exercise_id,
            number=number,
            document=stored_document(exercise),
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
        )
    )
    _audit(uow, actor, "create", exercise_id, now)
    return exercise_id


def update_custom(
    uow: UnitOfWork, actor: Actor, exercise_id: str, document: Mapping[str, Any], *, now: dt.datetime
) -> None:
    """A new text or metadata for a clinic exercise (its id stays)."""
    require_staff(actor)
    row = _custom_row(uow, actor, exercise_id)
    exercise = validate_document({**document, "id": exercise_id})
    stored = stored_document(exercise)
    if is_retired(row.document):  # an edit does not put a retired exercise back in use
        stored[RETIRED_KEY] = row.document[RETIRED_KEY]
    uow.connection.execute(
        library_exercises.update()
        .where(library_exercises.c.id == row.id)
        .values(document=stored, updated_by=actor.user_id, updated_at=now)
    )
    _audit(uow, actor, "update", exercise_id, now)


@dataclass(frozen=True)
class Usage:
    """Where a clinic exercise is named: program versions (of how many people) and templates (by name)."""

    people: int
    templates: tuple[str, ...]

    @property
    def used(self) -> bool:
        return bool(self.people or self.templates)


def usage(uow: UnitOfWork, actor: Actor, exercise_id: str) -> Usage:
    """Who uses a clinic exercise: any program version (draft, active or past) or template that names it."""
    require_staff(actor)
    _custom_row(uow, actor, exercise_id)
    # The plan JSON names an exercise as a quoted id ("XA01"), in a block or among the excluded items; a
    # custom id never appears quoted in any other role.
    people = uow.connection.execute(
        sa.select(sa.func.count(sa.distinct(program_versions.c.participant_id)))
        .join(participants, participants.c.id == program_versions.c.participant_id)
        .where(participants.c.clinic_id == actor.clinic_id, program_versions.c.plan.contains(f'"{exercise_id}"'))
    ).scalar_one()
    rows = uow.connection.execute(
        sa.select(program_templates.c.name, program_templates.c.document)
        .where(program_templates.c.clinic_id == actor.clinic_id)
        .order_by(program_templates.c.name)
    )
    named = tuple(row.name for row in rows if _template_names(row.document, exercise_id))
    return Usage(int(people), named)


def _template_names(document: Mapping[str, Any], exercise_id: str) -> bool:
    return any(item.get("exercise_id") == exercise_id for item in document.get("items", []))


def remove_custom(uow: UnitOfWork, actor: Actor, exercise_id: str, *, now: dt.datetime) -> str:
    """Delete a clinic exercise nobody uses (with its media), else retire it; `"deleted"` or `"retired"`."""
    found = usage(uow, actor, exercise_id)
    row = _custom_row(uow, actor, exercise_id)
    if found.used:
        if not is_retired(row.document):
            retired = {**row.document, RETIRED_KEY: now.isoformat()}
            uow.connection.execute(
                library_exercises.update()
                .where(library_exercises.c.id == row.id)
                .values(document=retired, updated_by=actor.user_id, updated_at=now)
            )
            _audit(uow, actor, "retire", exercise_id, now)
        return "retired"
    uow.connection.execute(
        exercise_media.delete().where(
            exercise_media.c.clinic_id == actor.clinic_id, exercise_media.c.exercise_id == exercise_id
        )
    )
    uow.connection.execute(library_exercises.delete().where(library_exercises.c.id == row.id))
    _audit(uow, actor, "delete", exercise_id, now)
    return "deleted"


def restore_custom(uow: UnitOfWork, actor: Actor, exercise_id: str, *, now: dt.datetime) -> None:
    """Put a retired clinic exercise back in use: new plans may choose it again."""
    require_staff(actor)
    row = _custom_row(uow, actor, exercise_id)
    if not is_retired(row.document):
        return
    document = {key: value for key, value in row.document.items() if key != RETIRED_KEY}
    uow.connection.execute(
        library_exercises.update()
        .where(library_exercises.c.id == row.id)
        .values(document=document, updated_by=actor.user_id, updated_at=now)
    )
    _audit(uow, actor, "restore", exercise_id, now)


def _audit(uow: UnitOfWork, actor: Actor, action: str, exercise_id: str, now: dt.datetime) -> None:
    audit_change(uow, AuditRecord(now, actor.user_id, actor.email, action, "library_exercise", exercise_id))
