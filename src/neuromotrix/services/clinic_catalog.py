"""A clinic's catalog: the shipped catalog plus the clinic's own exercises, for the planner, the adaptation engine
and the program changes (docs/web.md "Library").

A clinic exercise is validated exactly as a catalog entry (services/library.py), so the planner applies the same
eligibility and safety rules to it: its indication, contraindications, cautions, equipment and trigger tasks are
compiled as the loader compiles the YAML. Another clinic's exercises are never in the catalog a participant's
program is planned from.

Two views, built together:

- `planning`: the shipped catalog and the clinic's exercises in use. New programs, regenerations, adaptations and
  template items are planned from it, so a retired exercise leaves the next version of a program.
- `complete`: the same plus the retired ones, to read the levels and words of programs written before a
  retirement.

Built once per process, database and clinic, and built again when the clinic's exercises change: the cache key
is a stamp read with one small query (how many, the highest row id, the latest change, the documents' total
length), so another process's change is seen too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import library_exercises, participants
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.exercise import CompiledExercise, Exercise
from neuromotrix.services.unit_of_work import UnitOfWork

# A retired exercise's stored document carries this key beside the catalog fields (services/library.py).
RETIRED_KEY = "retired_at"


@dataclass(frozen=True)
class ClinicCatalogs:
    planning: Catalog
    complete: Catalog
    retired: frozenset[str]


Stamp = tuple[int, int, dt.datetime | None, int]
_CACHES: WeakKeyDictionary[sa.Engine, dict[int, tuple[Stamp, ClinicCatalogs]]] = WeakKeyDictionary()
_LOCK = Lock()


def exercise_of(document: dict[str, Any]) -> Exercise:
    """The exercise a stored clinic document describes (without its retirement mark)."""
    return Exercise.model_validate({key: value for key, value in document.items() if key != RETIRED_KEY})


def is_retired(document: dict[str, Any]) -> bool:
    return document.get(RETIRED_KEY) is not None


def for_clinic(uow: UnitOfWork, clinic_id: int) -> ClinicCatalogs:
    """The clinic's catalogs, from the cache when its exercises have not changed since they were built."""
    return _cached(uow, clinic_id, _stamp(uow, clinic_id))


def _cached(uow: UnitOfWork, clinic_id: int, stamp: Stamp) -> ClinicCatalogs:
    engine = uow.connection.engine
    with _LOCK:
        cached = _CACHES.get(engine, {}).get(clinic_id)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    built = _build(uow, clinic_id) if stamp[0] else _shipped_only()
    with _LOCK:
        _CACHES.setdefault(engine, {})[clinic_id] = (stamp, built)
    return built


def for_participant(uow: UnitOfWork, participant_id: int) -> ClinicCatalogs:
    """The catalogs of the participant's clinic (one query: the clinic and its stamp, on every session logged)."""
    row = uow.connection.execute(_PARTICIPANT_STAMP, {"participant_id": participant_id}).one()
    return _cached(uow, int(row[0]), _as_stamp(row[1:]))


def planning_catalog(uow: UnitOfWork, participant_id: int) -> Catalog:
    return for_participant(uow, participant_id).planning


def complete_catalog(uow: UnitOfWork, participant_id: int) -> Catalog:
    return for_participant(uow, participant_id).complete


def lookup(uow: UnitOfWork, clinic_id: int, exercise_ids: Iterable[str]) -> Catalog:
    """The shipped catalog when every id is a shipped exercise (no query), else the clinic's complete catalog:
    for pages that show a program's exercises, most of which are shipped ones."""
    shipped = load_catalog()
    if all(exercise_id in shipped.exercises for exercise_id in exercise_ids):
        return shipped
    return for_clinic(uow, clinic_id).complete


_STAMP_COLUMNS = (
    sa.func.count(library_exercises.c.id),
    sa.func.max(library_exercises.c.id),
    sa.func.max(library_exercises.c.updated_at),
    # Retiring and putting back change the document's length even when the clock has not moved.
    sa.func.sum(sa.func.length(sa.cast(library_exercises.c.document, sa.Text))),
)


# Built once: every session logged runs it, and building a statement costs more than running it.
_PARTICIPANT_STAMP = (
    sa.select(participants.c.clinic_id, *_STAMP_COLUMNS)
    .select_from(participants)
    .outerjoin(library_exercises, library_exercises.c.clinic_id == participants.c.clinic_id)
    .where(participants.c.id == sa.bindparam("participant_id"))
    .group_by(participants.c.clinic_id)
)


def _stamp(uow: UnitOfWork, clinic_id: int) -> Stamp:
    row = uow.connection.execute(sa.select(*_STAMP_COLUMNS).where(library_exercises.c.clinic_id == clinic_id)).one()
    return _as_stamp(tuple(row))


def _as_stamp(values: Sequence[Any]) -> Stamp:
    return (int(values[0]), int(values[1] or 0), values[2], int(values[3] or 0))


_SHIPPED: ClinicCatalogs | None = None


def _shipped_only() -> ClinicCatalogs:
    global _SHIPPED
    if _SHIPPED is None:
        shipped = load_catalog()
        _SHIPPED = ClinicCatalogs(shipped, shipped, frozenset())
    return _SHIPPED


def _build(uow: UnitOfWork, clinic_id: int) -> ClinicCatalogs:
    shipped = load_catalog()
    rows = uow.connection.execute(
        sa.select(library_exercises.c.exercise_id, library_exercises.c.document)
        .where(library_exercises.c.clinic_id == clinic_id)
        .order_by(library_exercises.c.number)
    ).all()
    own = {row.exercise_id: CompiledExercise(exercise_of(row.document)) for row in rows}
    retired = frozenset(row.exercise_id for row in rows if is_retired(row.document))
    # A shipped id never names a clinic exercise (custom ids start with X, which sorts after every shipped
    # prefix, and the planner breaks ranking ties by id): a clinic exercise wins a place only by a better score.
    complete = {**shipped.exercises, **{key: value for key, value in own.items() if key not in shipped.exercises}}
    planning = {key: value for key, value in complete.items() if key not in retired}
    return ClinicCatalogs(
        planning=Catalog(exercises=planning, references=shipped.references, rules=shipped.rules),
        complete=Catalog(exercises=complete, references=shipped.references, rules=shipped.rules),
        retired=retired,
    )
