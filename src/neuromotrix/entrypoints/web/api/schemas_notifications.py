"""Response models of the notification routes."""

from __future__ import annotations

import datetime as dt

from neuromotrix.entrypoints.web.api.schemas import Out


class NotificationOut(Out):
    id: int
    kind: str
    key: str
    participant_id: int | None
    subject: str
    body: str
    due_at: dt.datetime
    created_at: dt.datetime
    read_at: dt.datetime | None
    email: bool
    emailed_at: dt.datetime | None


class ReadAllOut(Out):
    marked: int
