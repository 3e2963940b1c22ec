"""Load and validate the catalog (exercises, references, rule tables) from the YAML files beside this module.

A bad catalog fails at load with the file and field named (DESIGN.md "catalog/"). Loading is cached: the
catalog is read once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import NeuroMotrixError
from neuromotrix.domain.exercise import CompiledExercise, Exercise
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.validation_fr import french_message
from neuromotrix.domain.vocab import CATEGORIES

CATALOG_DIR = Path(__file__).parent
EXPECTED_EXERCISE_COUNT = 67  # BRIEF §3.2


class CatalogError(NeuroMotrixError):
    """The catalog data is invalid; the message names the file and the field."""


def read_yaml(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogError(
            f"{path.name}: not valid YAML: {error}", fr=f"{path.name} : YAML non valide : {error}"
        ) from error


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def _load_exercises(directory: Path, references: Mapping[str, str]) -> dict[str, CompiledExercise]:
    exercises: dict[str, CompiledExercise] = {}
    for path in sorted(directory.glob("*.yaml")):
        document = read_yaml(path) or {}
        if path.stem not in CATEGORIES:
            raise CatalogError(
                f"{path.name}: file name must be a category, one of {', '.join(CATEGORIES)}",
                fr=f"{path.name} : le nom du fichier doit être une catégorie, parmi {', '.join(CATEGORIES)}",
            )
        for index, raw in enumerate(document.get("exercises", [])):
            where = f"{path.name}: exercises[{index}]"
            try:
                exercise = Exercise.model_validate(raw)
            except ValidationError as error:
                first = error.errors()[0]
                raise CatalogError(
                    f"{where}.{_field_path(first['loc'])}: {first['msg']}",
                    fr=f"{where}.{_field_path(first['loc'])} : {french_message(first['type'], first.get('ctx'), first['msg'])}",
                ) from error
            except ValueError as error:
                raise CatalogError(f"{where}: {error}", fr=f"{where} : {error}") from error
            _check_exercise(exercise, path.stem, where, references, exercises)
            exercises[exercise.id] = CompiledExercise(exercise)
    return exercises


def _check_exercise(
    exercise: Exercise,
    category: str,
    where: str,
    references: Mapping[str, str],
    seen: Mapping[str, CompiledExercise],
) -> None:
    if exercise.category != category:
        raise CatalogError(
            f"{where}.category: {exercise.category} does not belong in {category}.yaml",
            fr=f"{where}.category : {exercise.category} n'a pas sa place dans {category}.yaml",
        )
    if exercise.id in seen:
        raise CatalogError(
            f"{where}.id: {exercise.id} is defined twice", fr=f"{where}.id : {exercise.id} est défini deux fois"
        )
    cited = set(exercise.refs) | {ref for item in exercise.contraindications for ref in item.refs}
    unknown = sorted(cited - references.keys())
    if unknown:
        raise CatalogError(
            f"{where}.refs: unknown reference keys {unknown}; add them to references.yaml",
            fr=f"{where}.refs : clés de référence inconnues {unknown}; ajoutez-les à references.yaml",
        )


@functools.cache
def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    references = read_yaml(directory / "references.yaml")
    exercises = _load_exercises(directory / "exercises", references)
    if directory == CATALOG_DIR and len(exercises) != EXPECTED_EXERCISE_COUNT:
        raise CatalogError(
            f"exercises/: {len(exercises)} exercises, BRIEF §3.2 lists {EXPECTED_EXERCISE_COUNT}",
            fr=f"exercises/ : {len(exercises)} exercices, la section 3.2 du BRIEF en énumère {EXPECTED_EXERCISE_COUNT}",
        )
    try:
        rules = RuleTables.from_documents(
            {path.stem: read_yaml(path) for path in sorted((directory / "rules").glob("*.yaml"))}
        )
    except (ValidationError, ValueError) as error:
        raise CatalogError(f"rules/: {error}", fr=f"rules/ : {error}") from error
    missing = sorted(rules.cited_references() - references.keys())
    if missing:
        raise CatalogError(
            f"rules/: unknown reference keys {missing}; add them to references.yaml",
            fr=f"rules/ : clés de référence inconnues {missing}; ajoutez-les à references.yaml",
        )
    return Catalog(exercises=exercises, references=references, rules=rules)
