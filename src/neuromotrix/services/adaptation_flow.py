"""The adaptation engine at work on a stored program (BRIEF §4.4-4.5, §5).

After a session log or a next-day check-in, the engine (`domain/adaptation.py`) decides per exercise from the
stored logs: progress, hold, regress or pause. Inside an approved program the decisions apply at once as a new
active version (source "adaptation") with each change and its reasons, and the trainer is notified.

- Levels then follow the logs: every exercise of the program is held at the level the engine gives from the
  next session not yet done, so the plan's week-by-week projection never moves anyone up without the
  §4.4 criteria.
- Trainer adjustments (source "trainer") are pinned: the engine leaves those exercises alone. A paused exercise
  stays paused until a trainer resumes it.
- Re-running on the same logs changes nothing: a decision that matches the adjustment in force is no change.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import block_logs, checkins, session_logs
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import attention
from neuromotrix.domain.adaptation import Decision, adapt, as_adjustments
from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Alert, Message
from neuromotrix.domain.flares import BlockOutcome, CheckIn, SessionAssessment, SessionOutcome, assess_session
from neuromotrix.domain.profile import Profile
from neuromotrix.services import attendance, clinic_catalog
from neuromotrix.services.adjustment_store import same_effect
from neuromotrix.services.unit_of_work import UnitOfWork

# The evidence the engine reads: every window of adaptation.yaml needs 2 sessions with the exercise
# (`sessions_to_progress`, `consecutive_flares_to_pause`, `postures_to_pause`); 12 sessions (about 4 weeks at 3 a
# week) leave room for exercises done every other session and for missing check-ins, which the flare chain skips.
# Older logs no longer decide anything; bounded so that the cost per log stays flat.
HISTORY_DAYS = 120
HISTORY_SESSIONS = 12


# Reading the stored logs as the domain's values ---------------------------------------------------------------


def session_outcome(log: sa.Row[Any], blocks: Sequence[sa.Row[Any]]) -> SessionOutcome:
    return SessionOutcome(
        id=str(log.id),
        performed_on=log.performed_on,
        pre_pain=log.pre_pain,
        pre_dystonia=log.pre_dystonia,
        pre_fatigue=log.pre_fatigue,
        post_pain=log.post_pain,
        post_dystonia=log.post_dystonia,
        post_fatigue=log.post_fatigue,
        stop_reason=log.stop_reason,
        blocks=tuple(
            BlockOutcome(
                exercise_id=block.exercise_id,
                level=block.level,
                status=block.status,
                completion=block.completion,
                effort=block.effort,
                effort_target=block.effort_target,
                pain=block.pain,
                sustained_posture=block.sustained_posture,
                quality_ok=block.quality_ok,
            )
            for block in blocks
        ),
    )


def _blocks_by_log(uow: UnitOfWork, log_ids: Sequence[int]) -> dict[int, list[sa.Row[Any]]]:
    found: dict[int, list[sa.Row[Any]]] = {log_id: [] for log_id in log_ids}
    if log_ids:
        rows = uow.connection.execute(
            sa.select(block_logs)
            .where(block_logs.c.session_log_id.in_(log_ids))
            .order_by(block_logs.c.session_log_id, block_logs.c.position)
        ).all()
        for row in rows:
            found[row.session_log_id].append(row)
    return found


# Session logs never change once written: their domain values are built once per process and database. The key
# holds the creation time too, so an id reused after an erasure never returns another session's values.
_OUTCOMES: WeakKeyDictionary[sa.Engine, OrderedDict[tuple[int, dt.datetime], SessionOutcome]] = WeakKeyDictionary()
_OUTCOMES_LOCK = Lock()
OUTCOME_CACHE_SIZE = 20_000


# The engine's two reads, built once (building a statement costs more than running it).
_LATEST_LOGS = (
    sa.select(session_logs)
    .where(
        session_logs.c.participant_id == sa.bindparam("participant_id"),
        session_logs.c.performed_on >= sa.bindparam("since", type_=sa.Date),
    )
    .order_by(session_logs.c.performed_on.desc(), session_logs.c.id.desc())
    .limit(HISTORY_SESSIONS)
)
_NEXT_DAY_CHECKINS = (
    sa.select(checkins)
    .where(
        checkins.c.participant_id == sa.bindparam("participant_id"),
        checkins.c.kind == "next_day",
        checkins.c.session_log_id.is_not(None),
        checkins.c.checked_on >= sa.bindparam("since", type_=sa.Date),
    )
    .order_by(checkins.c.checked_on, checkins.c.id)
)


def logged_history(
    uow: UnitOfWork, participant_id: int, *, since: dt.date, fresh: SessionOutcome | None = None
) -> list[SessionOutcome]:
    """The participant's last `HISTORY_SESSIONS` session logs from `since` on, oldest first. `fresh` is a log
    this transaction has just written, already built from what was written: its blocks are not read back (and
    it is not cached, since the transaction may still roll back)."""
    latest = uow.connection.execute(_LATEST_LOGS, {"participant_id": participant_id, "since": since}).all()
    logs = latest[::-1]
    with _OUTCOMES_LOCK:
        cache = _OUTCOMES.setdefault(uow.connection.engine, OrderedDict())
        known = {(log.id, log.created_at): cache.get((log.id, log.created_at)) for log in logs}
    if fresh is not None:
        written = {(log.id, log.created_at): fresh for log in logs if str(log.id) == fresh.id}
        known |= written
        uow.after_commit(lambda: _remember(cache, written))
    missing = [log for log in logs if known[(log.id, log.created_at)] is None]
    blocks = _blocks_by_log(uow, [log.id for log in missing])
    built = {(log.id, log.created_at): session_outcome(log, blocks[log.id]) for log in missing}
    _remember(cache, built)
    found = known | built
    return [outcome for log in logs if (outcome := found[(log.id, log.created_at)]) is not None]


def _remember(
    cache: OrderedDict[tuple[int, dt.datetime], SessionOutcome], built: Mapping[tuple[int, dt.datetime], SessionOutcome]
) -> None:
    with _OUTCOMES_LOCK:
        cache.update(built)
        while len(cache) > OUTCOME_CACHE_SIZE:
            cache.popitem(last=False)


def next_day_checkins(uow: UnitOfWork, participant_id: int, *, since: dt.date) -> list[CheckIn]:
    """Next-day check-ins tied to a session log (the 24-hour rule reads them), oldest first."""
    rows = uow.connection.execute(_NEXT_DAY_CHECKINS, {"participant_id": participant_id, "since": since}).all()
    return [
        CheckIn(
            session_id=str(row.session_log_id),
            on=row.checked_on,
            pain=row.answers["pain"],
            dystonia=row.answers["dystonia"],
            fatigue=row.answers["fatigue"],
            new_stiffness=bool(row.answers.get("new_stiffness", False)),
        )
        for row in rows
        if all(row.answers.get(name) is not None for name in ("pain", "dystonia", "fatigue"))
    ]


def assess_outcome(outcome: SessionOutcome, prescribed: Sequence[str]) -> SessionAssessment:
    """BRIEF §4.5 on one session: hard stop, pain 10/10, dystonia provocation, painful items."""
    return assess_session(outcome, prescribed, load_catalog().rules)


def weekly_adherence(
    parsed: Mapping[str, Any], history: Sequence[SessionOutcome], today: dt.date, injected_on: Iterable[dt.date] = ()
) -> attention.Adherence:
    """Adherence over the 7 days ending `today` (BRIEF §4.4: >= 2/3 of the planned sessions to progress).

    The planned days come from the running plan (every version of a program keeps the same session days) and
    the sessions done from the logs already read, so no other query is needed. They count as everywhere else
    (services/attendance.py): a log with every block skipped is missed, unless skipped for pulling or pain while
    the toxin wears off (`injected_on`: the profile's injection dates)."""
    since = today - dt.timedelta(days=6)
    sessions = [
        (date, dt.date.fromisoformat(date))
        for date in parsed["_sessions_by_date"]
        if since.isoformat() <= date <= today.isoformat()
    ]
    logs = [
        (session.performed_on, attendance.something_done(session), session.stop_reason)
        for session in history
        if session.performed_on >= since
    ]
    counted = attendance.attendance_of(logs, injected_on)
    return attention.adherence(
        sessions, counted.attended, today=today, days=7, excused=counted.excused, skipped=counted.skipped
    )


# Deciding what changes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adaptation:
    """What the engine changes: the adjustments to put in force, one change record per exercise, the alerts."""

    adjustments: dict[str, Adjustment]
    changes: list[dict[str, Any]]
    alerts: list[Alert]
    from_date: dt.date


def first_open_day(history: Sequence[SessionOutcome], today: dt.date) -> dt.date:
    """Changes apply from the next session not yet done: today, or tomorrow when today's is logged."""
    done_today = any(session.performed_on == today for session in history)
    return today + dt.timedelta(days=1) if done_today else today


def current_levels(
    planned: Mapping[str, int], history: Sequence[SessionOutcome], in_force: Mapping[str, Adjustment]
) -> dict[str, int]:
    """The level each exercise is at: the adjustment's level in force, else the level last logged, else the
    level of its next planned session (never done yet)."""
    logged: dict[str, int] = {}
    for session in history:
        for block in session.blocks:
            logged[block.exercise_id] = block.level
    levels: dict[str, int] = {}
    for exercise_id, next_level in planned.items():
        adjustment = in_force.get(exercise_id)
        if adjustment is not None and adjustment.level is not None:
            levels[exercise_id] = adjustment.level
        else:
            levels[exercise_id] = logged.get(exercise_id, next_level)
    return levels


def planned_levels(parsed: Mapping[str, Any], from_date: dt.date) -> dict[str, int]:
    """Each exercise's level at its first session on or after `from_date` (the program's exercises to come)."""
    levels: dict[str, int] = {}
    for date in sorted(parsed["_sessions_by_date"]):
        if date < from_date.isoformat():
            continue
        for block in parsed["_sessions_by_date"][date]["blocks"]:
            levels.setdefault(block["exercise_id"], block["level"])
    return levels


def next_session_after(parsed: Mapping[str, Any], day: dt.date) -> dt.date | None:
    dates = sorted(date for date in parsed["_sessions_by_date"] if date >= day.isoformat())
    return dt.date.fromisoformat(dates[0]) if dates else None


def decide_changes(
    uow: UnitOfWork,
    participant_id: int,
    *,
    profile: Profile,
    parsed: Mapping[str, Any],
    in_force: Mapping[str, Adjustment],
    today: dt.date,
    fresh: SessionOutcome | None = None,
) -> Adaptation | None:
    """The engine's decisions against the adjustments in force; None when nothing changes."""
    since = today - dt.timedelta(days=HISTORY_DAYS)
    history = logged_history(uow, participant_id, since=since, fresh=fresh)
    if not history:
        return None  # nothing has been logged since the program started: nothing to adapt from
    from_date = first_open_day(history, today)
    planned = planned_levels(parsed, from_date)
    free = {
        exercise_id: level
        for exercise_id, level in current_levels(planned, history, in_force).items()
        if not _pinned(in_force.get(exercise_id))
    }
    decisions = adapt(
        profile,
        clinic_catalog.planning_catalog(uow, participant_id),  # the clinic's own exercises have levels too
        free,
        history,
        next_day_checkins(uow, participant_id, since=since),
        weekly_adherence(parsed, history, today, (shot.date for shot in profile.treatments.botulinum_toxin)),
        on=today,
    )
    following = next_session_after(parsed, from_date)
    volume_until = following + dt.timedelta(days=1) if following else None
    proposed = as_adjustments(decisions, from_date=from_date, volume_until=volume_until)
    changed = [
        (decision, adjustment)
        for decision, adjustment in zip(decisions, proposed, strict=True)
        if not same_effect(in_force.get(adjustment.exercise_id), adjustment)
    ]
    if not changed:
        return None
    adjustments = dict(in_force) | {adjustment.exercise_id: adjustment for _, adjustment in changed}
    changes = [_change(decision, adjustment, planned) for decision, adjustment in changed]
    alerts = [decision.alert for decision, _ in changed if decision.alert is not None]
    return Adaptation(adjustments, changes, alerts, from_date)


def _pinned(adjustment: Adjustment | None) -> bool:
    """A trainer's adjustment, or a pause, is left for the trainer to change."""
    return adjustment is not None and (adjustment.source == "trainer" or adjustment.paused)


def _change(decision: Decision, adjustment: Adjustment, planned: Mapping[str, int]) -> dict[str, Any]:
    message = decision.message()
    return {
        "exercise_id": decision.exercise_id,
        "action": decision.action,
        "from_level": decision.from_level,
        "to_level": decision.to_level,
        "planned_level": planned.get(decision.exercise_id),
        "paused": adjustment.paused,
        "volume_factor": adjustment.volume_factor,
        "from_date": adjustment.from_date.isoformat(),
        "rules": [reason.rule for reason in decision.reasons],
        "reason": {"en": message.en, "fr": message.fr},
    }


def summary_alert(version: int, changes: Sequence[Mapping[str, Any]], from_date: dt.date) -> Alert:
    """The trainer's notice of an adaptation: what moved, from when (plain holds counted, not listed)."""
    moved = [change for change in changes if change["action"] != "hold" or change["volume_factor"] < 1]
    held = len(changes) - len(moved)
    day = from_date.isoformat()
    en = [f"Program adapted (version {version}) from {day}:", "; ".join(_item(change, "en") for change in moved)]
    fr = [
        f"Programme adapté (version {version}) à partir du {day} :",
        "; ".join(_item(change, "fr") for change in moved),
    ]
    if held:
        en.append(f"{held} exercise(s) held at their level until the sessions meet the progression criteria.")
        fr.append(f"{held} exercice(s) maintenu(s) à leur niveau jusqu'à ce que les séances remplissent les critères.")
    return Alert(
        kind="adaptation",
        severity="info",
        message=Message(" ".join(part for part in en if part), " ".join(part for part in fr if part)),
        key=f"adaptation:{version}",
    )


def _item(change: Mapping[str, Any], language: str) -> str:
    exercise, level = change["exercise_id"], change["to_level"]
    texts = {
        "progress": (f"{exercise} up to level {level}", f"{exercise} monte au niveau {level}"),
        "regress": (f"{exercise} down to level {level}", f"{exercise} descend au niveau {level}"),
        "pause": (
            f"{exercise} paused (level {level} when resumed)",
            f"{exercise} suspendu (niveau {level} à la reprise)",
        ),
        "hold": (
            f"{exercise} stays at level {level} with less volume",
            f"{exercise} reste au niveau {level} avec moins de volume",
        ),
    }
    en, fr = texts[change["action"]]
    return fr if language == "fr" else en
