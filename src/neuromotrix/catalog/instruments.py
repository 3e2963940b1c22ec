"""Load and validate the outcome instruments (BRIEF §7) from `catalog/instruments/*.yaml`.

One file per instrument, named after its key, plus `schedule.yaml` (registry order, batteries per condition and
the schedule numbers). A bad file fails at load with the file and field named, like the exercise catalog.
Loading is cached: the instruments are read once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from neuromotrix.catalog.loader import CatalogError, read_yaml
from neuromotrix.domain.assessment_schedule import ScheduleRules
from neuromotrix.domain.instruments import Instrument, InstrumentRegistry
from neuromotrix.domain.validation_fr import french_message

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
SCHEDULE_FILE = "schedule.yaml"


class _ScheduleDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order: tuple[str, ...]
    batteries: dict[str, tuple[str, ...]]
    rules: ScheduleRules


def _validation_message(where: str, error: ValidationError, language: str = "en") -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    if language == "fr":
        return f"{where}{'.' + location if location else ''} : {french_message(first['type'], first.get('ctx'), first['msg'])}"
    return f"{where}{'.' + location if location else ''}: {first['msg']}"


def _load_instrument(path: Path, references: dict[str, Any]) -> Instrument:
    raw = read_yaml(path)
    try:
        instrument = Instrument.model_validate(raw)
    except ValidationError as error:
        raise CatalogError(
            _validation_message(path.name, error), fr=_validation_message(path.name, error, "fr")
        ) from error
    if instrument.key != path.stem:
        raise CatalogError(
            f"{path.name}.key: {instrument.key} must match the file name {path.stem}",
            fr=f"{path.name}.key : {instrument.key} doit correspondre au nom du fichier {path.stem}",
        )
    unknown = sorted(set(instrument.references) - references.keys())
    if unknown:
        raise CatalogError(
            f"{path.name}.references: unknown reference keys {unknown}; add them to references.yaml",
            fr=f"{path.name}.references : clés de référence inconnues {unknown}; ajoutez-les à references.yaml",
        )
    return instrument


@functools.cache
def load_instruments(directory: Path = INSTRUMENTS_DIR) -> InstrumentRegistry:
    references = read_yaml(directory.parent / "references.yaml") or {}
    try:
        schedule = _ScheduleDocument.model_validate(read_yaml(directory / SCHEDULE_FILE))
    except ValidationError as error:
        raise CatalogError(
            _validation_message(SCHEDULE_FILE, error), fr=_validation_message(SCHEDULE_FILE, error, "fr")
        ) from error
    instruments = {
        path.stem: _load_instrument(path, references)
        for path in sorted(directory.glob("*.yaml"))
        if path.name != SCHEDULE_FILE
    }
    if sorted(schedule.order) != sorted(instruments):
        raise CatalogError(
            f"{SCHEDULE_FILE}.order: must list every instrument file once; "
            f"missing {sorted(set(instruments) - set(schedule.order))}, "
            f"extra {sorted(set(schedule.order) - set(instruments))}",
            fr=(
                f"{SCHEDULE_FILE}.order : doit énumérer chaque fichier d'instrument une seule fois; "
                f"manquants {sorted(set(instruments) - set(schedule.order))}, "
                f"en trop {sorted(set(schedule.order) - set(instruments))}"
            ),
        )
    try:
        return InstrumentRegistry(
            (instruments[key] for key in schedule.order), batteries=schedule.batteries, schedule=schedule.rules
        )
    except ValueError as error:
        raise CatalogError(f"{SCHEDULE_FILE}: {error}", fr=f"{SCHEDULE_FILE} : {error}") from error
