"""Use cases over the exercise catalog: list with filters, show one."""

from __future__ import annotations

from collections.abc import Mapping

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.exercise import Exercise
from neuromotrix.domain.vocab import CATEGORIES, EQUIPMENT, POSITIONS

REGION_FILTERS = (
    "eyes", "mouth", "larynx", "neck", "trunk", "arm", "hand", "leg", "foot",
    "arm_left", "arm_right", "hand_left", "hand_right", "leg_left", "leg_right", "foot_left", "foot_right",
)  # fmt: skip


class CatalogQueryError(InvalidRequest):
    """A catalog query names an unknown category, region or id."""


def find_exercises(
    *, category: str | None = None, region: str | None = None, position: str | None = None, equipment: str | None = None
) -> list[Exercise]:
    if position is not None and position not in POSITIONS:
        raise CatalogQueryError(
            f"position: unknown position {position!r}. Allowed values: {', '.join(POSITIONS)}.",
            fr=f"position : position inconnue {position!r}. Valeurs permises : {', '.join(POSITIONS)}.",
        )
    if equipment is not None and equipment not in EQUIPMENT:
        raise CatalogQueryError(
            f"equipment: unknown equipment {equipment!r}. Allowed values: {', '.join(EQUIPMENT)}.",
            fr=f"equipment : équipement inconnu {equipment!r}. Valeurs permises : {', '.join(EQUIPMENT)}.",
        )
    if category is not None and category not in CATEGORIES:
        raise CatalogQueryError(
            f"--category: unknown category {category!r}. Allowed values: {', '.join(CATEGORIES)}.",
            fr=f"--category : catégorie inconnue {category!r}. Valeurs permises : {', '.join(CATEGORIES)}.",
        )
    if region is not None and region not in REGION_FILTERS:
        raise CatalogQueryError(
            f"--region: unknown region {region!r}. Allowed values: {', '.join(REGION_FILTERS)}.",
            fr=f"--region : région inconnue {region!r}. Valeurs permises : {', '.join(REGION_FILTERS)}.",
        )
    exercises = [compiled.exercise for compiled in load_catalog().exercises.values()]
    if category is not None:
        exercises = [e for e in exercises if e.category == category]
    if region is not None:
        exercises = [e for e in exercises if _covers(e, region)]
    if position is not None:
        exercises = [e for e in exercises if any(level.position == position for level in e.levels)]
    if equipment is not None:
        exercises = [
            e for e in exercises if equipment in e.equipment or any(equipment in lv.equipment for lv in e.levels)
        ]
    return sorted(exercises, key=lambda e: (CATEGORIES.index(e.category), e.id))


def _covers(exercise: Exercise, region: str) -> bool:
    limb = region.split("_")[0]
    return region in exercise.regions or limb in exercise.regions


def get_exercise(exercise_id: str) -> tuple[Exercise, Mapping[str, str]]:
    catalog = load_catalog()
    compiled = catalog.exercises.get(exercise_id.upper())
    if compiled is None:
        raise CatalogQueryError(
            f"no exercise {exercise_id!r}. Ids look like NM04; `neuromotrix exercises list` shows them all.",
            fr=(
                f"aucun exercice {exercise_id!r}. Les identifiants ressemblent à NM04; `neuromotrix exercises list` les "
                "affiche tous."
            ),
        )
    cited = set(compiled.exercise.refs) | {r for c in compiled.exercise.contraindications for r in c.refs}
    return compiled.exercise, {key: catalog.references[key] for key in sorted(cited)}
