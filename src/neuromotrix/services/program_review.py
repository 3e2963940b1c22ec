"""Reviewing a program version against another: what the person will do differently from a day on.

A trainer approving a regenerated draft wants the difference, not two plans to read side by side: exercises
added or removed, level and dose changes at each exercise's next session, exercises newly excluded (with the
reasons), the screening outcome and the number of sessions still to come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import session_logs
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.services import programs
from neuromotrix.services.access import Actor
from neuromotrix.services.unit_of_work import UnitOfWork

DOSE_FIELDS = ("sets", "reps", "hold_s", "minutes", "rest_s")


def upcoming_blocks(parsed: Mapping[str, Any], day: dt.date) -> dict[str, dict[str, Any]]:
    """Each exercise's first block in a session on or after `day`, by exercise id."""
    first: dict[str, dict[str, Any]] = {}
    for date in sorted(parsed["_sessions_by_date"]):
        if date >= day.isoformat():
            for block in parsed["_sessions_by_date"][date]["blocks"]:
                first.setdefault(block["exercise_id"], block | {"date": date})
    return first


def first_open_day(uow: UnitOfWork, participant_id: int, today: dt.date) -> dt.date:
    """The day the program's next session is still to do: today, or tomorrow once today's session is logged (the
    day the adaptation's changes apply from, services/adaptation_flow.py `first_open_day`)."""
    logged = uow.connection.execute(
        sa.select(session_logs.c.id)
        .where(session_logs.c.participant_id == participant_id, session_logs.c.performed_on == today)
        .limit(1)
    ).first()
    return today + dt.timedelta(days=1) if logged is not None else today


def _sessions_from(parsed: Mapping[str, Any], day: dt.date) -> int:
    return sum(1 for date in parsed["_sessions_by_date"] if date >= day.isoformat())


def _dose_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    changes = {
        name: [old["dose"][name], new["dose"][name]] for name in DOSE_FIELDS if old["dose"][name] != new["dose"][name]
    }
    if old["dose"]["effort"] != new["dose"]["effort"]:
        changes["effort"] = [old["dose"]["effort"], new["dose"]["effort"]]
    return changes


def _exclusions(parsed: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {item["exercise_id"]: item["reasons"] for item in parsed["excluded"]}


def compare(base: Mapping[str, Any], other: Mapping[str, Any], *, day: dt.date) -> dict[str, Any]:
    """The difference from `base` to `other` (parsed plans), for sessions on or after `day`."""
    before, after = upcoming_blocks(base, day), upcoming_blocks(other, day)
    changed = []
    for exercise_id in sorted(before.keys() & after.keys()):
        old, new = before[exercise_id], after[exercise_id]
        level = [old["level"], new["level"]] if old["level"] != new["level"] else None
        dose = _dose_changes(old, new)
        if level or dose:
            changed.append({"exercise_id": exercise_id, "name": new["name"], "level": level, "dose": dose})
    was_excluded, now_excluded = _exclusions(base), _exclusions(other)
    outcome = [base["screening"]["outcome"], other["screening"]["outcome"]]
    return {
        "from_date": day,
        "screening": outcome if outcome[0] != outcome[1] else None,
        "sessions": [_sessions_from(base, day), _sessions_from(other, day)],
        "added": [_named(after[key]) for key in sorted(after.keys() - before.keys())],
        "removed": [_named(before[key]) for key in sorted(before.keys() - after.keys())],
        "changed": changed,
        "newly_excluded": [
            {"exercise_id": key, "reasons": reasons}
            for key, reasons in sorted(now_excluded.items())
            if key not in was_excluded
        ],
        "no_longer_excluded": sorted(was_excluded.keys() - now_excluded.keys()),
    }


def _named(block: Mapping[str, Any]) -> dict[str, Any]:
    return {"exercise_id": block["exercise_id"], "name": block["name"], "level": block["level"], "date": block["date"]}


def review(
    uow: UnitOfWork, actor: Actor, participant_id: int, version: int, *, against: int | None, day: dt.date
) -> dict[str, Any]:
    """Version `version` against `against` (default: the active version, or the one before when `version` is
    the active one)."""
    row = programs.get_version(uow, actor, participant_id, version)
    if against is None:
        active = programs.active_version(uow, participant_id)
        against = active.version if active is not None and active.version != version else version - 1
    if against < 1:
        raise InvalidRequest(
            "There is no earlier version to compare with; give another version in `against`.",
            fr="Il n'y a pas de version antérieure à comparer; donnez une autre version dans `against`.",
            field=("against",),
            where="query",
        )
    base = programs.get_version(uow, actor, participant_id, against)
    found = compare(programs.parsed_plan(uow, base), programs.parsed_plan(uow, row), day=day)
    return {"version": version, "against": against} | found
