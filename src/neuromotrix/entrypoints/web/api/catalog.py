"""The exercise catalog (public to any signed-in user)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.deps import CallerDep
from neuromotrix.services.catalog import CatalogQueryError, find_exercises, get_exercise

router = APIRouter(prefix="/api/v1/exercises", tags=["catalog"])


@router.get("")
async def list_exercises(
    who: CallerDep,
    category: Annotated[str | None, Query()] = None,
    region: Annotated[str | None, Query()] = None,
    position: Annotated[str | None, Query()] = None,
    equipment: Annotated[str | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Catalog items, filtered by category, region, position or equipment."""
    found = find_exercises(category=category, region=region, position=position, equipment=equipment)
    return [exercise.model_dump(mode="json") for exercise in found]


@router.get("/{exercise_id}")
async def exercise(exercise_id: str, who: CallerDep) -> dict[str, Any]:
    try:
        found, references = get_exercise(exercise_id)
    except CatalogQueryError as error:
        raise NotFound("exercise") from error
    return found.model_dump(mode="json") | {"references": dict(references)}
