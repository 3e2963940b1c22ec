"""In-app notifications: reminders and alerts for the signed-in user, and marking them read.

Everyone sees only their own notifications; another user's is a 404. A notification is listed from its
`due_at` on (a reminder stored ahead of its time stays hidden until then).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from neuromotrix.entrypoints.web.api.pagination import Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import Page
from neuromotrix.entrypoints.web.api.schemas_notifications import NotificationOut, ReadAllOut
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import notifications

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationOut])
async def list_notifications(
    who: CallerDep,
    box: ContainerDep,
    unread: Annotated[bool, Query(description="Only notifications not read yet.")] = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Any:
    """Your notifications, newest first."""
    with box.uow() as uow:
        rows, total = notifications.list_notifications(
            uow, who.actor, unread_only=unread, now=box.clock(), offset=offset, limit=limit
        )
    return {"items": rows, "total": total, "offset": offset, "limit": limit}


@router.post("/read-all", response_model=ReadAllOut)
async def read_all(who: CallerDep, box: ContainerDep) -> Any:
    """Mark all your notifications read; answers how many changed."""
    with box.uow(write=True) as uow:
        marked = notifications.mark_all_read(uow, who.actor, now=box.clock())
        uow.commit()
    return {"marked": marked}


@router.post("/{notification_id}/read", response_model=NotificationOut)
async def read(notification_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """Mark one of your notifications read (the first time it was read is kept)."""
    with box.uow(write=True) as uow:
        row = notifications.mark_read(uow, who.actor, notification_id, now=box.clock())
        uow.commit()
    return row
