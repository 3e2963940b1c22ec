"""Needs attention: alerts for the people you may see, most severe first; acknowledge them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.api.pagination import MAX_ID, Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import AlertOut, Page
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import alerts

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


def _out(row: Any, language: str) -> dict[str, Any]:
    values = dict(row._mapping)
    values["message"] = values["message_fr"] if language == "fr" else values["message_en"]
    return values


@router.get("", response_model=Page[AlertOut])
async def list_alerts(
    who: CallerDep,
    box: ContainerDep,
    participant_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    open_only: Annotated[bool, Query(alias="open")] = True,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Any:
    with box.uow() as uow:
        rows, total = alerts.list_alerts(
            uow, who.actor, participant_id=participant_id, open_only=open_only, offset=offset, limit=limit
        )
    audit_read(box, who, "alerts", participant_id or "all", participant_id)
    items = [_out(row, who.actor.language) for row in rows]
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.post("/{alert_id}/acknowledge", response_model=AlertOut)
async def acknowledge(alert_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    with box.uow(write=True) as uow:
        row = alerts.acknowledge(uow, who.actor, alert_id, now=box.clock())
        uow.commit()
    return _out(row, who.actor.language)
