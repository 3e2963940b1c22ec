"""What the participant's pages write: a session log or a check-in logged once per form, and a stop before start.

The pages post a form whose hidden field carries a key made when the form was first shown; the entry is stored
with that key (services/idempotency.py) in the same transaction, so a double click, a reload or a retry after a
lost answer logs once and shows the first answer again. The writes themselves are the API's
(`session_flow.log_session`, `session_flow.check_in`): the same checks, alerts and adaptation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clinics, participants
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS, Alert, Message, StopReason
from neuromotrix.services import idempotency, session_flow
from neuromotrix.services.access import Actor, lock_participant, participant_row
from neuromotrix.services.alerts import raise_alerts
from neuromotrix.services.participants import audit
from neuromotrix.services.session_logs import SessionEntry
from neuromotrix.services.unit_of_work import UnitOfWork

Work = Callable[[], dict[str, Any]]


def _once(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, kind: str, key: str, body: Any, work: Work, now: dt.datetime
) -> dict[str, Any]:
    """Run `work` once per key; a repeat with the same key and the same answers returns the first result."""
    participant_row(uow, actor, participant_id)  # nobody replays an answer about someone they may not see
    cleaned = idempotency.check_key(key)
    route = f"page-{kind}:{participant_id}"
    body_hash = idempotency.request_hash(body)
    lock_participant(uow, participant_id)  # racing repeats of one key: the second waits, then replays
    earlier = idempotency.replay(uow, user_id=actor.user_id, route=route, key=cleaned, body_hash=body_hash)
    if earlier is not None:
        replayed: dict[str, Any] = earlier.body
        return replayed
    result: dict[str, Any] = json.loads(json.dumps(work(), default=str))
    idempotency.remember(
        uow,
        user_id=actor.user_id,
        route=route,
        key=cleaned,
        body_hash=body_hash,
        status_code=201,
        response=result,
        now=now,
    )
    return result


def log_session_once(
    uow: UnitOfWork, actor: Actor, participant_id: int, entry: SessionEntry, *, key: str, now: dt.datetime
) -> dict[str, Any]:
    """`session_flow.log_session` once per key: `{id, session_ended, guidance, alerts, stopped_items, adaptation}`."""

    def work() -> dict[str, Any]:
        return session_flow.log_session(uow, actor, participant_id, entry, now=now)

    body = dataclasses.asdict(entry)
    return _once(uow, actor, participant_id, kind="session-log", key=key, body=body, work=work, now=now)


def check_in_once(
    uow: UnitOfWork, actor: Actor, participant_id: int, answers: dict[str, Any], *, key: str, now: dt.datetime
) -> dict[str, Any]:
    """`session_flow.check_in` once per key: `{id, alerts, adaptation}`. `answers` has the API's fields."""

    def work() -> dict[str, Any]:
        return session_flow.check_in(uow, actor, participant_id, dict(answers), now=now)

    return _once(uow, actor, participant_id, kind="checkin", key=key, body=answers, work=work, now=now)


def stop_before_start(
    uow: UnitOfWork, actor: Actor, participant_id: int, reason: StopReason, *, day: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """Stopped before the first rating: there is no session to log (its ratings are required), but a hard stop
    still alerts the trainer and shows what to do now (BRIEF §4.5), with the same guidance as a logged stop.
    A softer reason (pain, pulling, fatigue, other) leaves nothing to record: the session was not done."""
    participant_row(uow, actor, participant_id)
    clinic = uow.connection.execute(
        sa.select(clinics)
        .join(participants, participants.c.clinic_id == clinics.c.id)
        .where(participants.c.id == participant_id)
    ).one()
    severity = HARD_STOPS.get(reason)
    if severity is None:
        return {"guidance": None, "alerts": []}
    label = STOP_LABELS[reason]
    date = day.isoformat()
    message = Message(
        f"Session of {date} stopped before it began: {label.en}. The person was shown what to do now.",
        f"Séance du {date} arrêtée avant de commencer : {label.fr}. La personne a vu quoi faire maintenant.",
    )
    alert = Alert(kind="hard_stop", severity=severity, message=message, key=f"hard_stop:{date}:before:{reason}")
    raise_alerts(uow, participant_id, [alert], now=now)
    audit(uow, actor, "create", "stop_report", f"{date}:{reason}", participant_id, now)
    return {
        "guidance": session_flow.guidance(reason, clinic, actor.language),
        "alerts": [{"kind": alert.kind, "severity": alert.severity, "message": {"en": message.en, "fr": message.fr}}],
    }
