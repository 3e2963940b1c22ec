"""Changes to a running program: the adaptation engine's, and a trainer's override of any of them.

An adaptation applies at once inside the approved program (a new active version, source "adaptation") and
notifies the trainer; a waiting draft receives it when approved (services/programs.approve). A trainer's
override pins an exercise's level or pause (source "trainer"), which adaptation then leaves alone; releasing it
hands the exercise back to the engine. Every change is a version with its explanation (BRIEF §4.4-4.5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.domain.flares import SessionOutcome
from neuromotrix.services import adaptation_flow, clinic_catalog, programs
from neuromotrix.services.access import Actor, participant_row, require_staff
from neuromotrix.services.alerts import raise_alerts
from neuromotrix.services.participants import audit
from neuromotrix.services.unit_of_work import UnitOfWork


def adapt_active(
    uow: UnitOfWork,
    participant_id: int,
    *,
    now: dt.datetime,
    today: dt.date,
    active: sa.Row[Any] | None = None,
    fresh: SessionOutcome | None = None,
) -> sa.Row[Any] | None:
    """Run the engine on the active program (`active`, when the caller has just read it in this transaction;
    `fresh`, the session log it has just written); the new active version when something changed, else None."""
    active = active if active is not None else programs.active_version(uow, participant_id)
    if active is None:
        return None
    # The profile this program was built on: a changed profile waits in its draft for the trainer, and the
    # person's limits of the running program still hold.
    profile = programs.profile_of(uow, active.profile_version_id)
    found = adaptation_flow.decide_changes(
        uow,
        participant_id,
        profile=profile,
        parsed=programs.parsed_plan(uow, active),
        in_force=programs.carried_adjustments(active),
        today=today,
        fresh=fresh,
    )
    if found is None:
        return None
    catalog = clinic_catalog.planning_catalog(uow, participant_id)
    plan = programs.build_plan(profile, programs.edits_of(active), found.adjustments, catalog=catalog)
    row = programs.insert_version(
        uow,
        participant_id,
        status="active",
        source="adaptation",
        profile_version_id=active.profile_version_id,
        plan=plan,
        edits=programs.edits_of(active),
        changes=found.changes,
        reason=f"Adapted from the sessions logged up to {today.isoformat()} (BRIEF §4.4-4.5).",
        actor=None,
        now=now,
        adjustments=found.adjustments,
    )
    summary = adaptation_flow.summary_alert(row.version, found.changes, found.from_date)
    raise_alerts(uow, participant_id, [summary, *found.alerts], now=now)
    return row


def override(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    exercise_id: str,
    level: int | None,
    paused: bool,
    release: bool,
    reason: str,
    now: dt.datetime,
    today: dt.date,
) -> sa.Row[Any]:
    """A trainer sets an exercise's level or pause from today (pinned), or releases it back to the engine."""
    participant_row(uow, actor, participant_id)  # 404 before 403: nothing about others leaks
    require_staff(actor)
    if not reason.strip():
        raise InvalidRequest(
            "Give the reason for this change; it is kept with the program.",
            fr="Donnez la raison de ce changement; elle est conservée avec le programme.",
            field=("reason",),
        )
    base = programs.latest_version(uow, participant_id, "draft") or programs.active_version(uow, participant_id)
    if base is None:
        raise Conflict(
            "There is no program to change yet; generate one first.",
            fr="Il n'y a pas encore de programme à modifier; générez-en un d'abord.",
        )
    catalog = clinic_catalog.planning_catalog(uow, participant_id)
    _check_level(exercise_id, level, catalog)
    in_force = programs.carried_adjustments(base)
    if release:
        if exercise_id not in in_force:
            raise InvalidRequest(
                f"{exercise_id} has no adjustment to release; it already follows the plan.",
                fr=(f"{exercise_id} n'a aucun ajustement à relâcher; il suit déjà le plan."),
                field=("exercise_id",),
            )
        adjustments = {key: value for key, value in in_force.items() if key != exercise_id}
        change: dict[str, Any] = {"exercise_id": exercise_id, "action": "trainer_release", "reason": reason}
    else:
        if level is None and not paused:
            raise InvalidRequest(
                "Give a level, set paused, or set release to hand the exercise back to the adaptation engine.",
                fr=(
                    "Donnez un niveau, mettez l'exercice en pause (paused) ou relâchez-le (release) pour le rendre au moteur "
                    "d'adaptation."
                ),
                field=("level",),
            )
        pinned = Adjustment(
            exercise_id=exercise_id,
            from_date=today,
            level=level,
            paused=paused,
            volume_factor=1.0,
            volume_until=None,
            reason=Message(reason, reason),
            source="trainer",
        )
        adjustments = in_force | {exercise_id: pinned}
        change = {
            "exercise_id": exercise_id,
            "action": "trainer_override",
            "level": level,
            "paused": paused,
            "replaces": _describe(in_force.get(exercise_id)),
            "reason": reason,
        }
    profile = programs.profile_of(uow, base.profile_version_id)
    plan = programs.build_plan(profile, programs.edits_of(base), adjustments, catalog=catalog)
    row = programs.insert_version(
        uow,
        participant_id,
        status=base.status,
        source="trainer_override",
        profile_version_id=base.profile_version_id,
        plan=plan,
        edits=programs.edits_of(base),
        changes=[change],
        reason=reason,
        actor=actor,
        now=now,
        adjustments=adjustments,
    )
    audit(uow, actor, "update", "program", row.version, participant_id, now)
    return row


def _describe(adjustment: Adjustment | None) -> dict[str, Any] | None:
    if adjustment is None:
        return None
    return {
        "source": adjustment.source,
        "level": adjustment.level,
        "paused": adjustment.paused,
        "volume_factor": adjustment.volume_factor,
        "reason": {"en": adjustment.reason.en, "fr": adjustment.reason.fr},
    }


def _check_level(exercise_id: str, level: int | None, catalog: Catalog) -> None:
    compiled = catalog.exercises.get(exercise_id)
    if compiled is None:
        raise InvalidRequest(
            f"Unknown exercise {exercise_id!r}; use an id from /api/v1/exercises.",
            fr=f"Exercice inconnu : {exercise_id!r}; utilisez un identifiant de /api/v1/exercises.",
            field=("exercise_id",),
        )
    count = len(compiled.exercise.levels)
    if level is not None and not 1 <= level <= count:
        raise InvalidRequest(
            f"{exercise_id} has levels 1 to {count}; choose one of them.",
            fr=f"{exercise_id} a les niveaux 1 à {count}; choisissez l'un d'eux.",
            field=("level",),
        )
