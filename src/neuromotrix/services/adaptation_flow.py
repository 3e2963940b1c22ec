"""Alerts raised by a logged session (BRIEF §4.5): hard stops, maximum pain, dystonia provocation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import block_logs, session_logs
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS, Alert, Message
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_PAIN = 10
PROVOCATION_RISE = 2  # BRIEF §4.5: dystonia intensity >= 2 points above the pre-session value


def session_alerts(uow: UnitOfWork, participant_id: int, log_id: int) -> list[Alert]:
    log = uow.connection.execute(sa.select(session_logs).where(session_logs.c.id == log_id)).one()
    blocks = uow.connection.execute(sa.select(block_logs).where(block_logs.c.session_log_id == log_id)).all()
    return [*_hard_stop(log), *_max_pain(log, blocks), *_flare(log, blocks)]


def _hard_stop(log: sa.Row[Any]) -> list[Alert]:
    stop = next((known for known in HARD_STOPS if known == log.stop_reason), None)
    if stop is None:
        return []
    label = STOP_LABELS[stop]
    return [
        Alert(
            kind="hard_stop",
            severity=HARD_STOPS[stop],
            message=Message(
                f"Session of {log.performed_on.isoformat()} stopped: {label.en}.",
                f"Séance du {log.performed_on.isoformat()} arrêtée : {label.fr}.",
            ),
            key=f"hard_stop:{log.id}",
        )
    ]


def _max_pain(log: sa.Row[Any], blocks: Sequence[sa.Row[Any]]) -> list[Alert]:
    ratings = [log.pre_pain, log.post_pain, *(block.pain for block in blocks)]
    if MAX_PAIN not in ratings:
        return []
    return [
        Alert(
            kind="max_pain",
            severity="urgent",
            message=Message(
                f"Pain 10/10 reported in the session of {log.performed_on.isoformat()}.",
                f"Douleur 10/10 signalée à la séance du {log.performed_on.isoformat()}.",
            ),
            key=f"max_pain:{log.id}",
        )
    ]


def _flare(log: sa.Row[Any], blocks: Sequence[sa.Row[Any]]) -> list[Alert]:
    rose = log.post_dystonia is not None and log.post_dystonia - log.pre_dystonia >= PROVOCATION_RISE
    postures = sorted({block.exercise_id for block in blocks if block.sustained_posture})
    if not rose and not postures:
        return []
    detail_en = f" Sustained posture during {', '.join(postures)}." if postures else ""
    detail_fr = f" Posture soutenue pendant {', '.join(postures)}." if postures else ""
    return [
        Alert(
            kind="flare",
            severity="warning",
            message=Message(
                f"Dystonia flare in the session of {log.performed_on.isoformat()} "
                f"(pulling {log.pre_dystonia} → {log.post_dystonia}).{detail_en}",
                f"Poussée dystonique à la séance du {log.performed_on.isoformat()} "
                f"(tiraillement {log.pre_dystonia} → {log.post_dystonia}).{detail_fr}",
            ),
            key=f"flare:{log.id}",
        )
    ]
