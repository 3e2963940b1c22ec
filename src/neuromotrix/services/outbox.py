"""Emails to an address (invitations, password resets), queued in the caller's transaction.

The job runner (`services/jobs.py`) delivers them through SMTP; a row is written only if what caused it
commits, and is sent at most once whatever the number of workers.
"""

from __future__ import annotations

import datetime as dt

from neuromotrix.adapters.db.tables import outbox
from neuromotrix.services.unit_of_work import UnitOfWork


def enqueue(
    uow: UnitOfWork,
    *,
    to_address: str,
    subject: str,
    body: str,
    purpose: str,
    now: dt.datetime,
    clinic_id: int | None = None,
) -> int:
    """Queue one email; returns its outbox id."""
    result = uow.connection.execute(
        outbox.insert()
        .values(
            clinic_id=clinic_id,
            to_address=to_address,
            subject=subject[:300],
            body=body,
            purpose=purpose,
            created_at=now,
        )
        .returning(outbox.c.id)
    )
    return int(result.scalar_one())
