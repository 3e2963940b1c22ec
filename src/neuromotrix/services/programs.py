"""Programs as versions embedding the plan JSON: generate, review, edit, approve, adapt.

- The first program and every regeneration (after a profile change or a new injection) is a *draft*; the
  previous active version stays active until a trainer approves the draft.
- A trainer's edit of the active program makes a new active version at once (the trainer approves it by
  making it); an edit of a draft makes a new draft.
- Trainer edits are pinned: they are carried into every later version.
- Adaptations (services/adaptation_flow.py) apply at once inside the active program as a new active version
  and notify the trainer; a trainer can override any of them with a reason (a trainer adjustment, pinned too).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import (
    clinics,
    participants,
    profile_versions,
    program_versions,
    scheduled_sessions,
    screenings,
)
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Alert, Message
from neuromotrix.domain.attention import red_flag_alerts
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.plan import Plan
from neuromotrix.domain.planner import generate_plan
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.program_edits import DOSE_FIELDS, DoseEdit, apply_dose_edits
from neuromotrix.domain.screening import screen
from neuromotrix.services import adjustment_store, clinic_catalog
from neuromotrix.services.access import Actor, lock_participant, participant_row, require_staff
from neuromotrix.services.alerts import raise_alerts
from neuromotrix.services.participants import audit, current_profile, load_stored
from neuromotrix.services.unit_of_work import UnitOfWork

# Building a plan from a profile, adjustments and edits ------------------------------------------------------


def build_plan(
    profile: Profile,
    edits: list[DoseEdit],
    adjustments: Mapping[str, Adjustment] | None = None,
    *,
    catalog: Catalog,
) -> Plan:
    """The plan of a version: the profile's plan with its adjustments in force, then the pinned dose edits.
    `catalog` is the participant's clinic catalog (services/clinic_catalog.py `planning_catalog`)."""
    plan = generate_plan(profile, catalog, adjustments=dict(adjustments) if adjustments else None)
    return apply_dose_edits(plan, edits, minutes_per_session=profile.preferences.minutes_per_session)


def edit_from_json(item: dict[str, Any]) -> DoseEdit:
    dose = {name: item[name] for name in DOSE_FIELDS if item.get(name) is not None}
    return _dose_edit(item["exercise_id"], dt.date.fromisoformat(item["from_date"]), item["reason"], dose)


def edit_to_json(edit: DoseEdit) -> dict[str, Any]:
    return {
        "exercise_id": edit.exercise_id,
        "from_date": edit.from_date.isoformat(),
        "reason": edit.reason,
    } | edit.changes()


# Reading --------------------------------------------------------------------------------------------------


_PLAN_CACHES: WeakKeyDictionary[sa.Engine, OrderedDict[int, dict[str, Any]]] = WeakKeyDictionary()
_PLAN_CACHE_LOCK = Lock()
PLAN_CACHE_SIZE = 256


# Every column but the plan text: a version row is read on every request, its plan only on a cache miss.
VERSION_COLUMNS = [column for column in program_versions.c if column.name != "plan"]


def parsed_plan(uow: UnitOfWork, row: sa.Row[Any]) -> dict[str, Any]:
    """The plan JSON of a version, parsed once per process and database (versions never change once written)."""
    with _PLAN_CACHE_LOCK:
        cache = _PLAN_CACHES.setdefault(uow.connection.engine, OrderedDict())
        cached = cache.get(row.id)
        if cached is not None:
            cache.move_to_end(row.id)
            return cached
    text = uow.connection.execute(sa.select(program_versions.c.plan).where(program_versions.c.id == row.id))
    parsed: dict[str, Any] = json.loads(text.scalar_one())
    parsed["_sessions_by_date"] = {session["date"]: session for week in parsed["weeks"] for session in week["sessions"]}
    with _PLAN_CACHE_LOCK:
        cache[row.id] = parsed
        while len(cache) > PLAN_CACHE_SIZE:
            cache.popitem(last=False)
    return parsed


def public_plan(parsed: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in parsed.items() if not key.startswith("_")}


def _latest_query(*, with_status: bool) -> sa.Select[Any]:
    query = sa.select(*VERSION_COLUMNS).where(program_versions.c.participant_id == sa.bindparam("participant_id"))
    if with_status:
        query = query.where(program_versions.c.status == sa.bindparam("status"))
    return query.order_by(program_versions.c.version.desc()).limit(1)


# Built once: every request about a program reads a version, and building a statement costs more than running it.
_LATEST_VERSION = _latest_query(with_status=False)
_LATEST_VERSION_WITH_STATUS = _latest_query(with_status=True)


def latest_version(uow: UnitOfWork, participant_id: int, status: str | None = None) -> sa.Row[Any] | None:
    if status is None:
        return uow.connection.execute(_LATEST_VERSION, {"participant_id": participant_id}).first()
    query, values = _LATEST_VERSION_WITH_STATUS, {"participant_id": participant_id, "status": status}
    return uow.connection.execute(query, values).first()


def active_version(uow: UnitOfWork, participant_id: int) -> sa.Row[Any] | None:
    return latest_version(uow, participant_id, "active")


def list_versions(uow: UnitOfWork, actor: Actor, participant_id: int) -> list[sa.Row[Any]]:
    participant_row(uow, actor, participant_id)
    rows = uow.connection.execute(
        sa.select(*VERSION_COLUMNS)
        .where(program_versions.c.participant_id == participant_id)
        .order_by(program_versions.c.version)
    ).all()
    return list(rows)


def get_version(uow: UnitOfWork, actor: Actor, participant_id: int, version: int) -> sa.Row[Any]:
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        sa.select(*VERSION_COLUMNS).where(
            program_versions.c.participant_id == participant_id, program_versions.c.version == version
        )
    ).first()
    if row is None:
        raise NotFound("program version")
    return row


def session_on(uow: UnitOfWork, participant_id: int, day: dt.date) -> tuple[sa.Row[Any], dict[str, Any] | None]:
    """The active version and its session on `day` (None on a rest day)."""
    row = active_version(uow, participant_id)
    if row is None:
        raise NotFound("approved program")
    return row, parsed_plan(uow, row)["_sessions_by_date"].get(day.isoformat())


def next_session(parsed: dict[str, Any], day: dt.date) -> dict[str, Any] | None:
    upcoming = sorted(date for date in parsed["_sessions_by_date"] if date > day.isoformat())
    return parsed["_sessions_by_date"][upcoming[0]] if upcoming else None


# Writing --------------------------------------------------------------------------------------------------


def _next_number(uow: UnitOfWork, participant_id: int) -> int:
    latest = uow.connection.execute(
        sa.select(sa.func.max(program_versions.c.version)).where(program_versions.c.participant_id == participant_id)
    ).scalar_one()
    return int(latest or 0) + 1


def edits_of(row: sa.Row[Any] | None) -> list[DoseEdit]:
    """Pinned trainer edits of the version a new one is built from."""
    return [] if row is None else [edit_from_json(e) for e in row.edits]


_PROFILES: WeakKeyDictionary[sa.Engine, OrderedDict[int, Profile]] = WeakKeyDictionary()
PROFILE_CACHE_SIZE = 1024


def profile_of(uow: UnitOfWork, profile_version_id: int) -> Profile:
    """The profile a program version was built from (profile versions never change once written: each is
    validated once per process and database)."""
    with _PLAN_CACHE_LOCK:
        cache = _PROFILES.setdefault(uow.connection.engine, OrderedDict())
        cached = cache.get(profile_version_id)
    if cached is not None:
        return cached
    document = uow.connection.execute(
        sa.select(profile_versions.c.document).where(profile_versions.c.id == profile_version_id)
    ).scalar_one()
    profile = load_stored(document)
    with _PLAN_CACHE_LOCK:
        cache[profile_version_id] = profile
        while len(cache) > PROFILE_CACHE_SIZE:
            cache.popitem(last=False)
    return profile


def carried_adjustments(row: sa.Row[Any] | None) -> dict[str, Adjustment]:
    """The adjustments in force in a version (adaptation and trainer), by exercise id."""
    return {} if row is None else adjustment_store.load(row.adjustments)


def insert_version(
    uow: UnitOfWork,
    participant_id: int,
    *,
    status: str,
    source: str,
    profile_version_id: int,
    plan: Plan,
    edits: list[DoseEdit],
    changes: list[dict[str, Any]],
    reason: str,
    actor: Actor | None,
    now: dt.datetime,
    adjustments: Mapping[str, Adjustment] | None = None,
) -> sa.Row[Any]:
    approved = status == "active"
    lock_participant(uow, participant_id)  # the version number is read, then written
    values = {
        "participant_id": participant_id,
        "version": _next_number(uow, participant_id),
        "status": status,
        "source": source,
        "profile_version_id": profile_version_id,
        "plan": plan.model_dump_json(),  # compact: the API and the CLI print it in their own layout
        "adjustments": adjustment_store.dump(adjustments or {}),
        "edits": [edit_to_json(e) for e in edits],
        "changes": changes,
        "reason": reason[:1000],
        "created_by": actor.user_id if actor else None,  # None: made by the system
        "created_at": now,
        "approved_by": actor.user_id if actor and approved else None,
        "approved_at": now if approved else None,
    }
    if approved:
        _supersede_active(uow, participant_id)
    version_id = uow.connection.execute(program_versions.insert().values(values).returning(program_versions.c.id))
    row = uow.connection.execute(
        sa.select(*VERSION_COLUMNS).where(program_versions.c.id == version_id.scalar_one())
    ).one()
    if approved:
        _schedule(uow, row, _plan_sessions(plan), today=clinic_day(uow, participant_id, now))
    return row


def _supersede_active(uow: UnitOfWork, participant_id: int) -> None:
    uow.connection.execute(
        program_versions.update()
        .where(program_versions.c.participant_id == participant_id, program_versions.c.status == "active")
        .values(status="superseded")
    )


def _discard_drafts(uow: UnitOfWork, participant_id: int) -> None:
    uow.connection.execute(
        program_versions.update()
        .where(program_versions.c.participant_id == participant_id, program_versions.c.status == "draft")
        .values(status="discarded")
    )


def clinic_day(uow: UnitOfWork, participant_id: int, now: dt.datetime) -> dt.date:
    """The date where the participant's clinic is (America/Montreal unless the clinic set another zone)."""
    zone = uow.connection.execute(
        sa.select(clinics.c.time_zone)
        .join(participants, participants.c.clinic_id == clinics.c.id)
        .where(participants.c.id == participant_id)
    ).scalar_one()
    return now.astimezone(ZoneInfo(zone)).date()


def _plan_sessions(plan: Plan) -> list[tuple[int, dt.date, str]]:
    return [(session.index, session.date, session.time) for week in plan.weeks for session in week.sessions]


def _schedule(
    uow: UnitOfWork, row: sa.Row[Any], sessions: Iterable[tuple[int, dt.date, str]], *, today: dt.date
) -> None:
    """Scheduled sessions follow the active version from today on; past ones stay as they were."""
    uow.connection.execute(
        scheduled_sessions.delete().where(
            scheduled_sessions.c.participant_id == row.participant_id, scheduled_sessions.c.scheduled_on >= today
        )
    )
    rows = [
        {
            "participant_id": row.participant_id,
            "program_version_id": row.id,
            "session_index": index,
            "scheduled_on": date,
            "time": time,
        }
        for index, date, time in sessions
        if date >= today
    ]
    if rows:
        uow.connection.execute(scheduled_sessions.insert(), rows)


def generate(
    uow: UnitOfWork,
    actor: Actor | None,
    participant_id: int,
    *,
    now: dt.datetime,
    reason: str,
    source: str = "generated",
) -> sa.Row[Any]:
    """A new draft from the current profile, carrying pinned edits and adaptation adjustments forward."""
    profile_row, profile = current_profile(uow, participant_id)
    base = latest_version(uow, participant_id, "draft") or active_version(uow, participant_id)
    edits = edits_of(base)
    adjustments = carried_adjustments(base)
    catalog = clinic_catalog.planning_catalog(uow, participant_id)
    plan = build_plan(profile, edits, adjustments, catalog=catalog)
    uow.connection.execute(
        screenings.insert().values(
            participant_id=participant_id,
            profile_version_id=profile_row.id,
            outcome=plan.screening.outcome,
            flags=[flag.model_dump(mode="json") for flag in plan.screening.flags],
            screened_on=clinic_day(uow, participant_id, now),
            created_at=now,
        )
    )
    _discard_drafts(uow, participant_id)
    row = insert_version(
        uow,
        participant_id,
        status="draft",
        source=source,
        profile_version_id=profile_row.id,
        plan=plan,
        edits=edits,
        changes=[],
        reason=reason,
        actor=actor,
        now=now,
        adjustments=adjustments,
    )
    raise_alerts(uow, participant_id, [_draft_alert(row.version), *_flag_alerts(profile, plan)], now=now)
    if actor is not None:
        audit(uow, actor, "create", "program", row.version, participant_id, now)
    return row


def _draft_alert(version: int) -> Alert:
    return Alert(
        kind="program_draft",
        severity="info",
        message=Message(
            f"Program version {version} is a draft: review and approve it.",
            f"La version {version} du programme est une ébauche : révisez-la et approuvez-la.",
        ),
        key=f"program_draft:{version}",
    )


def _flag_alerts(profile: Profile, plan: Plan) -> list[Alert]:
    """Emergency and urgent screening flags, in English and French, once per program start."""
    if not any(flag.severity in ("emergency", "urgent") for flag in plan.screening.flags):
        return []
    result = screen(profile, derive_facts(profile), load_catalog().rules)
    return red_flag_alerts(result.flags, screening_id=plan.start_on.isoformat())


def approve(uow: UnitOfWork, actor: Actor, participant_id: int, version: int, *, now: dt.datetime) -> sa.Row[Any]:
    """The draft becomes the active program; adaptations made to the active one while the draft waited are
    carried into it (then the approved program is a new version built from the draft with them)."""
    participant_row(uow, actor, participant_id)  # 404 before 403: nothing about others leaks
    require_staff(actor)
    lock_participant(uow, participant_id)  # two approvals at once: the second sees the first's result
    row = get_version(uow, actor, participant_id, version)
    if row.status != "draft":
        raise Conflict(
            f"Version {version} is {row.status}, not a draft; only a draft can be approved.",
            fr=(
                f"La version {version} a le statut {row.status}, et non brouillon (draft); seul un brouillon peut être approuvé."
            ),
        )
    drafted = carried_adjustments(row)
    merged = _with_later_adaptations(drafted, carried_adjustments(active_version(uow, participant_id)))
    if merged != drafted:
        approved = _approve_with(uow, actor, row, merged, now=now)
    else:
        _supersede_active(uow, participant_id)
        uow.connection.execute(
            program_versions.update()
            .where(program_versions.c.id == row.id)
            .values(status="active", approved_by=actor.user_id, approved_at=now)
        )
        approved = uow.connection.execute(sa.select(*VERSION_COLUMNS).where(program_versions.c.id == row.id)).one()
        sessions = parsed_plan(uow, approved)["_sessions_by_date"].values()
        _schedule(
            uow,
            approved,
            [(s["index"], dt.date.fromisoformat(s["date"]), s["time"]) for s in sessions],
            today=clinic_day(uow, participant_id, now),
        )
    audit(uow, actor, "approve", "program", version, participant_id, now)
    return approved


def _with_later_adaptations(
    drafted: Mapping[str, Adjustment], active: Mapping[str, Adjustment]
) -> dict[str, Adjustment]:
    """The draft's adjustments, updated with the active version's where the draft has no trainer adjustment."""
    merged = dict(drafted)
    for exercise_id, adjustment in active.items():
        own = drafted.get(exercise_id)
        if own is None or own.source != "trainer":
            merged[exercise_id] = adjustment
    return merged


def _approve_with(
    uow: UnitOfWork, actor: Actor, draft: sa.Row[Any], adjustments: Mapping[str, Adjustment], *, now: dt.datetime
) -> sa.Row[Any]:
    profile = profile_of(uow, draft.profile_version_id)
    catalog = clinic_catalog.planning_catalog(uow, draft.participant_id)
    plan = build_plan(profile, edits_of(draft), adjustments, catalog=catalog)
    carried = [
        {"exercise_id": key, "action": "carried_adaptation", "reason": adjustment_store.to_json(value)["reason"]}
        for key, value in sorted(adjustments.items())
        if carried_adjustments(draft).get(key) != value
    ]
    uow.connection.execute(
        program_versions.update().where(program_versions.c.id == draft.id).values(status="superseded")
    )
    return insert_version(
        uow,
        draft.participant_id,
        status="active",
        source="approval",
        profile_version_id=draft.profile_version_id,
        plan=plan,
        edits=edits_of(draft),
        changes=[*draft.changes, *carried],
        reason=f"Version {draft.version} approved with the adaptations made since it was drafted.",
        actor=actor,
        now=now,
        adjustments=adjustments,
    )


def edit(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    exercise_id: str,
    reason: str,
    dose: dict[str, int | float],
    now: dt.datetime,
    today: dt.date,
) -> sa.Row[Any]:
    """A trainer's dose change to one exercise from today on, with a reason; pinned in every later version."""
    participant_row(uow, actor, participant_id)  # 404 before 403: nothing about others leaks
    require_staff(actor)
    if not reason.strip():
        raise InvalidRequest(
            "Give the reason for this change; it is shown to the participant and kept.",
            fr="Donnez la raison de ce changement; elle est montrée au participant et conservée.",
            field=("reason",),
        )
    if not dose:
        raise InvalidRequest(
            "Give at least one dose value to change (sets, reps, hold_s, rest_s, minutes).",
            fr="Donnez au moins une valeur de dose à changer (sets, reps, hold_s, rest_s, minutes).",
            field=("dose",),
        )
    base = latest_version(uow, participant_id, "draft") or active_version(uow, participant_id)
    if base is None:
        raise Conflict(
            "There is no program to edit yet; generate one first.",
            fr="Il n'y a pas encore de programme à modifier; générez-en un d'abord.",
        )
    _, profile = current_profile(uow, participant_id)
    catalog = clinic_catalog.planning_catalog(uow, participant_id)
    _known_exercise(exercise_id, catalog)
    edits = [*edits_of(base), _dose_edit(exercise_id, today, reason, dose)]
    adjustments = carried_adjustments(base)
    plan = build_plan(profile, edits, adjustments, catalog=catalog)
    change = {"exercise_id": exercise_id, "action": "trainer_edit", "dose": dose, "reason": reason}
    row = insert_version(
        uow,
        participant_id,
        status=base.status,
        source="trainer_edit",
        profile_version_id=base.profile_version_id,
        plan=plan,
        edits=edits,
        changes=[change],
        reason=reason,
        actor=actor,
        now=now,
        adjustments=adjustments,
    )
    audit(uow, actor, "update", "program", row.version, participant_id, now)
    return row


def _dose_edit(exercise_id: str, today: dt.date, reason: str, dose: dict[str, int | float]) -> DoseEdit:
    def whole(name: str) -> int | None:
        value = dose.get(name)
        return None if value is None else int(value)

    minutes = dose.get("minutes")
    return DoseEdit(
        exercise_id=exercise_id,
        from_date=today,
        reason=reason,
        sets=whole("sets"),
        reps=whole("reps"),
        hold_s=whole("hold_s"),
        rest_s=whole("rest_s"),
        minutes=None if minutes is None else float(minutes),
    )


def _known_exercise(exercise_id: str, catalog: Catalog) -> None:
    if exercise_id not in catalog.exercises:
        raise InvalidRequest(
            f"Unknown exercise {exercise_id!r}; use an id from /api/v1/exercises.",
            fr=f"Exercice inconnu : {exercise_id!r}; utilisez un identifiant de /api/v1/exercises.",
            field=("exercise_id",),
        )
