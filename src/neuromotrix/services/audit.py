"""Audit log: who read or changed whose health data, and when.

Changes are audited inside their own transaction (`audit_change`): the record commits with the change or not
at all. Reads are many and must stay fast, so they go through `BatchedAuditWriter`, which writes them in
batches at most `flush_seconds` later (≤ 1 s), and on `close()` at shutdown — never dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import audit_log
from neuromotrix.services.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditRecord:
    at: dt.datetime
    actor_id: int | None
    actor: str  # the email at the time, or "system" / "cli"
    action: str  # read | create | update | delete | login | logout | ...
    object_type: str
    object_id: str | None = None
    participant_id: int | None = None
    detail: str = ""


def audit_change(uow: UnitOfWork, record: AuditRecord) -> None:
    uow.connection.execute(audit_log.insert(), [asdict(record)])


class BatchedAuditWriter:
    def __init__(self, engine: sa.Engine, *, flush_seconds: float = 1.0) -> None:
        self._engine = engine
        self._flush_seconds = flush_seconds
        self._pending: list[AuditRecord] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def record(self, record: AuditRecord) -> None:
        with self._lock:
            if self._closed:
                self._write([record])
                return
            self._pending.append(record)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        try:
            self._write(batch)
        except Exception:
            # Keep the records for the next pass rather than lose them; the caller sees the error.
            with self._lock:
                self._pending[:0] = batch
            raise

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self._flush_seconds)
            try:
                self.flush()
            except Exception:  # the database may be briefly unavailable; retry on the next pass
                logger.exception("audit flush failed; will retry")

    def _write(self, batch: Sequence[AuditRecord]) -> None:
        if not batch:
            return
        with UnitOfWork(self._engine, write=True) as uow:
            uow.connection.execute(audit_log.insert(), [asdict(record) for record in batch])
            uow.commit()
