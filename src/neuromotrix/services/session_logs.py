"""Logging a session and the next-day check-in; each may trigger alerts and an adaptation of the program.

A session log is checked whole against the session it reports on (the active program's session of that date):
every block must name the exercise planned at that position, the effort must be on the block's scale and in
range. Anything wrong refuses the whole log, so nothing half-written is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import block_logs, checkins, session_logs
from neuromotrix.domain.alerts import StopReason
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.flares import BlockOutcome, SessionOutcome
from neuromotrix.services import programs
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.participants import audit
from neuromotrix.services.unit_of_work import UnitOfWork

EFFORT_RANGES = {"cr10": (0.0, 10.0), "rpe": (6.0, 20.0), "percent_max": (0.0, 100.0), "talk_test": (0.0, 10.0)}
STATUSES = ("done", "partial", "skipped")


@dataclass(frozen=True)
class BlockEntry:
    position: int
    exercise_id: str
    status: str
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    effort: float | None = None
    pain: int | None = None
    sustained_posture: bool = False
    quality_ok: bool = True
    notes: str = ""


@dataclass(frozen=True)
class SessionEntry:
    performed_on: dt.date
    pre_pain: int
    pre_dystonia: int
    pre_fatigue: int
    post_pain: int | None
    post_dystonia: int | None
    post_fatigue: int | None
    stop_reason: StopReason | None
    notes: str
    blocks: tuple[BlockEntry, ...]


def entered_as(actor: Actor) -> str:
    return actor.role


def completion(block: dict[str, Any], entry: BlockEntry) -> float:
    """Share of the prescribed work done: sets × reps (or holds, or minutes) achieved over prescribed."""
    if entry.status == "skipped":
        return 0.0
    dose = block["dose"]
    if entry.status == "done" and entry.sets is None and entry.reps is None and entry.hold_s is None:
        return 1.0
    sets = entry.sets if entry.sets is not None else dose["sets"]
    prescribed_sets = max(1, dose["sets"])
    ratio = min(sets / prescribed_sets, 1.5)
    if dose["reps"]:
        reps = entry.reps if entry.reps is not None else dose["reps"]
        ratio *= min(reps / dose["reps"], 1.5)
    if dose["hold_s"]:
        hold = entry.hold_s if entry.hold_s is not None else dose["hold_s"]
        ratio *= min(hold / dose["hold_s"], 1.5)
    if entry.status == "partial":
        ratio = min(ratio, 0.99)
    return round(float(ratio), 3)


def _check_blocks(session: dict[str, Any], entry: SessionEntry) -> list[dict[str, Any]]:
    planned = session["blocks"]
    seen: set[int] = set()
    rows = []
    for index, block_entry in enumerate(entry.blocks):
        where = ("blocks", index)
        if block_entry.position in seen:
            raise InvalidRequest(
                f"Block position {block_entry.position} is given twice.",
                fr=f"La position de bloc {block_entry.position} est donnée deux fois.",
                field=(*where, "position"),
            )
        seen.add(block_entry.position)
        if not 0 <= block_entry.position < len(planned):
            raise InvalidRequest(
                f"Unknown block: the session of {session['date']} has positions 0 to {len(planned) - 1}.",
                fr=f"Bloc inconnu : la séance du {session['date']} a les positions 0 à {len(planned) - 1}.",
                field=(*where, "position"),
            )
        block = planned[block_entry.position]
        if block["exercise_id"] != block_entry.exercise_id:
            raise InvalidRequest(
                f"Unknown block: position {block_entry.position} of this session is {block['exercise_id']}, "
                f"not {block_entry.exercise_id}.",
                fr=(
                    f"Bloc inconnu : la position {block_entry.position} de cette séance est {block['exercise_id']}, "
                    f"et non {block_entry.exercise_id}."
                ),
                field=(*where, "exercise_id"),
            )
        scale = block["dose"]["effort"]["scale"]
        if block_entry.effort is not None:
            low, high = EFFORT_RANGES[scale]
            if not low <= block_entry.effort <= high:
                raise InvalidRequest(
                    f"Effort {block_entry.effort} is outside the {scale} scale of this block ({low:g} to {high:g}).",
                    fr=(
                        f"L'effort {block_entry.effort} est hors de l'échelle {scale} de ce bloc ({low:g} à {high:g})."
                    ),
                    field=(*where, "effort"),
                )
        target = block["dose"]["effort"]["target"]
        rows.append(
            {
                "position": block_entry.position,
                "exercise_id": block_entry.exercise_id,
                "level": block["level"],
                "status": block_entry.status,
                "sets": block_entry.sets,
                "reps": block_entry.reps,
                "hold_s": block_entry.hold_s,
                "completion": completion(block, block_entry),
                "effort_scale": scale,
                "effort": block_entry.effort,
                "effort_target": float(target[1] if isinstance(target, list) else target),
                "pain": block_entry.pain,
                "sustained_posture": block_entry.sustained_posture,
                "quality_ok": block_entry.quality_ok,
                "notes": block_entry.notes,
            }
        )
    return rows


@dataclass(frozen=True)
class RecordedSession:
    """A stored session log: its id, the active program version and planned session it reports on, and the
    log as the domain reads it (built from what was written, so nothing is read back)."""

    log_id: int
    version: sa.Row[Any]
    planned: dict[str, Any]
    outcome: SessionOutcome


_INSERT_LOG = session_logs.insert().returning(session_logs.c.id)  # built once, the values arrive as parameters


def record_session(
    uow: UnitOfWork, actor: Actor, participant_id: int, entry: SessionEntry, *, now: dt.datetime
) -> RecordedSession:
    """Store a session log after checking it whole."""
    participant_row(uow, actor, participant_id)
    try:
        version, session = programs.session_on(uow, participant_id, entry.performed_on)
    except NotFound as error:
        raise InvalidRequest(
            "There is no approved program to log against yet.",
            fr="Il n'y a pas encore de programme approuvé auquel rattacher la séance.",
            field=("performed_on",),
        ) from error
    if session is None:
        raise InvalidRequest(
            f"No session is planned on {entry.performed_on.isoformat()}; log it on a session day.",
            fr=(f"Aucune séance n'est prévue le {entry.performed_on.isoformat()}; consignez-la un jour de séance."),
            field=("performed_on",),
        )
    rows = _check_blocks(session, entry)
    values = {
        "participant_id": participant_id,
        "program_version_id": version.id,
        "session_index": session["index"],
        "performed_on": entry.performed_on,
        "pre_pain": entry.pre_pain,
        "pre_dystonia": entry.pre_dystonia,
        "pre_fatigue": entry.pre_fatigue,
        "post_pain": entry.post_pain,
        "post_dystonia": entry.post_dystonia,
        "post_fatigue": entry.post_fatigue,
        "stop_reason": entry.stop_reason,
        "notes": entry.notes,
        "entered_by": actor.user_id,
        "entered_as": entered_as(actor),
        "created_at": now,
    }
    log_id = uow.connection.execute(_INSERT_LOG, values).scalar_one()
    if rows:
        uow.connection.execute(block_logs.insert(), [row | {"session_log_id": log_id} for row in rows])
    audit(uow, actor, "create", "session_log", log_id, participant_id, now)
    return RecordedSession(int(log_id), version, session, _outcome(int(log_id), entry, rows))


def _outcome(log_id: int, entry: SessionEntry, rows: list[dict[str, Any]]) -> SessionOutcome:
    """The log just written, as `adaptation_flow.session_outcome` would read it back (blocks in position order)."""
    return SessionOutcome(
        id=str(log_id),
        performed_on=entry.performed_on,
        pre_pain=entry.pre_pain,
        pre_dystonia=entry.pre_dystonia,
        pre_fatigue=entry.pre_fatigue,
        post_pain=entry.post_pain,
        post_dystonia=entry.post_dystonia,
        post_fatigue=entry.post_fatigue,
        stop_reason=entry.stop_reason,
        blocks=tuple(
            BlockOutcome(
                exercise_id=row["exercise_id"],
                level=row["level"],
                status=row["status"],
                completion=row["completion"],
                effort=row["effort"],
                effort_target=row["effort_target"],
                pain=row["pain"],
                sustained_posture=row["sustained_posture"],
                quality_ok=row["quality_ok"],
            )
            for row in sorted(rows, key=lambda row: row["position"])
        ),
    )


def record_checkin(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    kind: str,
    checked_on: dt.date,
    session_log_id: int | None,
    answers: dict[str, Any],
    notes: str,
    now: dt.datetime,
) -> int:
    participant_row(uow, actor, participant_id)
    if session_log_id is not None:
        found = uow.connection.execute(
            sa.select(session_logs.c.id).where(
                session_logs.c.id == session_log_id, session_logs.c.participant_id == participant_id
            )
        ).first()
        if found is None:
            raise InvalidRequest(
                "No such session log for this participant.",
                fr="Aucun journal de séance de ce nom pour ce participant.",
                field=("session_log_id",),
            )
    checkin_id = uow.connection.execute(
        checkins.insert()
        .values(
            participant_id=participant_id,
            kind=kind,
            session_log_id=session_log_id,
            checked_on=checked_on,
            answers=answers,
            notes=notes,
            entered_by=actor.user_id,
            entered_as=entered_as(actor),
            created_at=now,
        )
        .returning(checkins.c.id)
    ).scalar_one()
    audit(uow, actor, "create", "checkin", checkin_id, participant_id, now)
    return int(checkin_id)


def list_session_logs(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    participant_row(uow, actor, participant_id)
    logs, total = _page(uow, session_logs, session_logs.c.performed_on, participant_id, offset=offset, limit=limit)
    return [_with_blocks(uow, row) for row in logs], total


def get_session_log(uow: UnitOfWork, actor: Actor, participant_id: int, log_id: int) -> dict[str, Any]:
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        sa.select(session_logs).where(session_logs.c.id == log_id, session_logs.c.participant_id == participant_id)
    ).first()
    if row is None:
        raise NotFound("session log")
    return _with_blocks(uow, row)


def _with_blocks(uow: UnitOfWork, row: sa.Row[Any]) -> dict[str, Any]:
    blocks = uow.connection.execute(
        sa.select(block_logs).where(block_logs.c.session_log_id == row.id).order_by(block_logs.c.position)
    ).all()
    return dict(row._mapping) | {"blocks": [dict(block._mapping) for block in blocks]}


def list_checkins(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    participant_row(uow, actor, participant_id)
    rows, total = _page(uow, checkins, checkins.c.checked_on, participant_id, offset=offset, limit=limit)
    return [dict(row._mapping) for row in rows], total


def _page(
    uow: UnitOfWork, table: sa.Table, day: sa.Column[Any], participant_id: int, *, offset: int, limit: int
) -> tuple[list[sa.Row[Any]], int]:
    """One page of a participant's rows, newest day first, and the total count."""
    where = table.c.participant_id == participant_id
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(table).where(where).order_by(day.desc(), table.c.id.desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)
