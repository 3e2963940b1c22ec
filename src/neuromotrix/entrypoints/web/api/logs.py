"""Session logs and check-ins (with `Idempotency-Key`), and adherence."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from neuromotrix.domain.alerts import StopReason
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.api.pagination import MAX_ID, Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import Nrs, Strict
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import idempotency, session_flow, session_logs
from neuromotrix.services.access import lock_participant

router = APIRouter(prefix="/api/v1/participants/{participant_id}", tags=["sessions"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Send the same key when retrying: the entry is logged once."),
]


class Ratings(Strict):
    pain: Nrs
    dystonia: Nrs
    fatigue: Nrs


class BlockIn(Strict):
    position: int = Field(ge=0, le=100, description="Index of the block in the session.")
    exercise_id: str = Field(min_length=1, max_length=16)
    status: Literal["done", "partial", "skipped"]
    sets: int | None = Field(None, ge=0, le=50)
    reps: int | None = Field(None, ge=0, le=500)
    hold_s: int | None = Field(None, ge=0, le=3600)
    effort: float | None = Field(None, ge=0, le=100, description="On the scale the block prescribed.")
    pain: Nrs | None = None
    sustained_posture: bool = False
    quality_ok: bool = True
    notes: str = Field("", max_length=2000)


class SessionLogIn(Strict):
    performed_on: dt.date
    before: Ratings
    after: Ratings | None = None
    stop_reason: StopReason | None = None
    notes: str = Field("", max_length=2000)
    blocks: list[BlockIn] = Field(default_factory=list, max_length=100)


class CheckinIn(Strict):
    kind: Literal["next_day", "post_injection"] = "next_day"
    checked_on: dt.date
    session_log_id: int | None = Field(None, ge=1, le=MAX_ID)
    pain: Nrs | None = None
    dystonia: Nrs | None = None
    fatigue: Nrs | None = None
    new_stiffness: bool = False
    swallowing: bool = False
    breathing: bool = False
    choking: bool = False
    weakness: bool = False
    double_vision: bool = False
    drooping_eyelid: bool = False
    voice_change: bool = False
    notes: str = Field("", max_length=2000)


def _entry(body: SessionLogIn) -> session_logs.SessionEntry:
    after = body.after
    return session_logs.SessionEntry(
        performed_on=body.performed_on,
        pre_pain=body.before.pain,
        pre_dystonia=body.before.dystonia,
        pre_fatigue=body.before.fatigue,
        post_pain=after.pain if after else None,
        post_dystonia=after.dystonia if after else None,
        post_fatigue=after.fatigue if after else None,
        stop_reason=body.stop_reason,
        notes=body.notes,
        blocks=tuple(session_logs.BlockEntry(**block.model_dump()) for block in body.blocks),
    )


def idempotent_post(
    box: Any, who: Any, participant_id: int, key: str | None, body: BaseModel, work: Any, *, kind: str
) -> Response:
    """Run `work(uow)` once per Idempotency-Key; a retry replays the first answer."""
    route, status_code = f"{kind}:{participant_id}", 201
    now = box.clock()
    body_hash = idempotency.request_hash(body.model_dump(mode="json"))
    cleaned = idempotency.check_key(key) if key is not None else None
    with box.uow(write=True) as uow:
        lock_participant(uow, participant_id)  # racing retries with one key: the second waits, then replays
        if cleaned is not None:
            earlier = idempotency.replay(uow, user_id=who.actor.user_id, route=route, key=cleaned, body_hash=body_hash)
            if earlier is not None:
                return JSONResponse(
                    earlier.body, status_code=earlier.status_code, headers={"Idempotent-Replay": "true"}
                )
        result = work(uow, now)
        encoded = idempotency.encode(result)
        if cleaned is not None:
            idempotency.remember(
                uow,
                user_id=who.actor.user_id,
                route=route,
                key=cleaned,
                body_hash=body_hash,
                status_code=status_code,
                response=result,
                now=now,
                encoded=encoded,
            )
        uow.commit()
    return Response(encoded, status_code=status_code, media_type="application/json")


@router.post("/session-logs", status_code=201)
async def log_session(
    participant_id: Id, body: SessionLogIn, who: CallerDep, box: ContainerDep, key: IdempotencyKey = None
) -> Any:
    """Log a session (checked whole); returns the alerts raised, guidance on a hard stop, and any adaptation."""
    entry = _entry(body)

    def work(uow: Any, now: dt.datetime) -> dict[str, Any]:
        return session_flow.log_session(uow, who.actor, participant_id, entry, now=now)

    return idempotent_post(box, who, participant_id, key, body, work, kind="session-logs")


@router.get("/session-logs")
async def list_session_logs(
    participant_id: Id, who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50
) -> dict[str, Any]:
    with box.uow() as uow:
        items, total = session_logs.list_session_logs(uow, who.actor, participant_id, offset=offset, limit=limit)
    audit_read(box, who, "session_logs", participant_id, participant_id)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.get("/session-logs/{log_id}")
async def get_session_log(participant_id: Id, log_id: Id, who: CallerDep, box: ContainerDep) -> dict[str, Any]:
    with box.uow() as uow:
        found = session_logs.get_session_log(uow, who.actor, participant_id, log_id)
    audit_read(box, who, "session_log", log_id, participant_id)
    return found


@router.post("/checkins", status_code=201)
async def checkin(
    participant_id: Id, body: CheckinIn, who: CallerDep, box: ContainerDep, key: IdempotencyKey = None
) -> Any:
    """The next-day check-in (24-hour rule) or the daily check-in after a neck or face injection."""

    def work(uow: Any, now: dt.datetime) -> dict[str, Any]:
        return session_flow.check_in(uow, who.actor, participant_id, body.model_dump(), now=now)

    return idempotent_post(box, who, participant_id, key, body, work, kind="checkins")


@router.get("/checkins")
async def list_checkins(
    participant_id: Id, who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50
) -> dict[str, Any]:
    with box.uow() as uow:
        items, total = session_logs.list_checkins(uow, who.actor, participant_id, offset=offset, limit=limit)
    audit_read(box, who, "checkins", participant_id, participant_id)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.get("/adherence")
async def adherence(participant_id: Id, who: CallerDep, box: ContainerDep) -> dict[str, Any]:
    """Share of scheduled sessions done over the last 7, 30 and 90 days (computed here, not by the client)."""
    with box.uow() as uow:
        found = session_flow.adherence(uow, who.actor, participant_id, now=box.clock())
    audit_read(box, who, "adherence", participant_id, participant_id)
    return found
