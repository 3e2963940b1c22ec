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
from enum import Enum
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


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):  # dates and datetimes, as FastAPI's encoder writes them
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def encode(response: Any) -> str:
    """A response as compact JSON text, once: it is both stored for replays and sent (the generic encoder of
    the web framework walks every value in Python and costs more than the rest of a small request)."""
    return json.dumps(response, default=_plain, ensure_ascii=False, separators=(",", ":"))


def check_key(key: str) -> str:
    cleaned = key.strip()
    if not cleaned or len(cleaned) > MAX_KEY:
        raise InvalidRequest(
            f"Idempotency-Key must be 1 to {MAX_KEY} characters (a UUID is ideal).",
            fr=f"Idempotency-Key doit compter de 1 à {MAX_KEY} caractères (un UUID est idéal).",
            field=("header",),
        )
    return cleaned


_KEYED = sa.select(idempotency_keys).where(
    idempotency_keys.c.user_id == sa.bindparam("user_id"),
    idempotency_keys.c.route == sa.bindparam("route"),
    idempotency_keys.c.key == sa.bindparam("key"),
)  # built once: every keyed POST runs it


def replay(uow: UnitOfWork, *, user_id: int, route: str, key: str, body_hash: str) -> Replay | None:
    row = uow.connection.execute(_KEYED, {"user_id": user_id, "route": route, "key": key}).first()
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise InvalidRequest(
            "This Idempotency-Key was already used for a different request. Use a new key for a new entry.",
            fr=(
                "Cette Idempotency-Key a déjà servi pour une autre requête. Utilisez une nouvelle clé pour une nouvelle entrée."
            ),
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
    encoded: str | None = None,
) -> None:
    """Remember the answer to a keyed request; `encoded` is `response` already as JSON text (see `encode`)."""
    uow.connection.execute(
        idempotency_keys.insert(),
        {
            "user_id": user_id,
            "route": route,
            "key": key,
            "request_hash": body_hash,
            "status_code": status_code,
            "response": encoded if encoded is not None else json.dumps(response, default=str),
            "created_at": now,
        },
    )
