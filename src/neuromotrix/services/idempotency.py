"""`Idempotency-Key` support: a retried POST returns the first answer instead of writing twice.

The key is remembered in the same transaction as the write it protects, so either both commit or neither
does. Two identical requests racing each other: the unique constraint lets one win; the other replays it.
The same key with a different body is refused (422), as the key would otherwise hide a real change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import idempotency_keys
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_KEY = 200


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: Any


def request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def check_key(key: str) -> str:
    cleaned = key.strip()
    if not cleaned or len(cleaned) > MAX_KEY:
        raise InvalidRequest(f"Idempotency-Key must be 1 to {MAX_KEY} characters (a UUID is ideal).", field=("header",))
    return cleaned


def replay(uow: UnitOfWork, *, user_id: int, route: str, key: str, body_hash: str) -> Replay | None:
    row = uow.connection.execute(
        sa.select(idempotency_keys).where(
            idempotency_keys.c.user_id == user_id, idempotency_keys.c.route == route, idempotency_keys.c.key == key
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise InvalidRequest(
            "This Idempotency-Key was already used for a different request. Use a new key for a new entry.",
            field=("header", "Idempotency-Key"),
        )
    return Replay(status_code=row.status_code, body=json.loads(row.response))


def remember(
    uow: UnitOfWork,
    *,
    user_id: int,
    route: str,
    key: str,
    body_hash: str,
    status_code: int,
    response: Any,
    now: dt.datetime,
) -> None:
    uow.connection.execute(
        idempotency_keys.insert().values(
            user_id=user_id,
            route=route,
            key=key,
            request_hash=body_hash,
            status_code=status_code,
            response=json.dumps(response, default=str),
            created_at=now,
        )
    )
