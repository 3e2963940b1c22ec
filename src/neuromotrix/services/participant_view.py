"""What the participant's and the caregiver's pages show: today's session, the check-ins due, the exercise cards.

Read-only use cases over the stored programs, logs, check-ins and injections. Every function checks first that
the actor may see the participant (`access.participant_row`: NotFound otherwise), so a caregiver sees the people
linked to them, a participant themself, and staff their own caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import checkins, clinics, participants, session_logs
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import reminders
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import NotFound
from neuromotrix.services import clinic_catalog, programs, records
from neuromotrix.services.access import Actor, participant_row, visible_participants
from neuromotrix.services.unit_of_work import UnitOfWork

# The next-day check-in feeds the 24-hour rule (BRIEF §4.5): it is asked from the day after the session, and
# still offered the day after that for someone who missed the morning; later it is a missed check-in.
NEXT_DAY_CHECKIN_OPEN_DAYS = 2
PEOPLE_LIMIT = 200  # a caregiver looks after a family, not a caseload


@dataclass(frozen=True)
class Clinic:
    name: str
    emergency_number: str
    health_line: str
    time_zone: str


@dataclass(frozen=True)
class PendingCheckin:
    """The latest session's next-day check-in, not answered yet."""

    session_log_id: int
    performed_on: dt.date


@dataclass(frozen=True)
class PostInjectionDue:
    """Today is day `day` (1 to 21) after a neck or face injection: the daily check-in is asked."""

    injected_on: dt.date
    regions: tuple[str, ...]
    day: int
    answered_today: bool


@dataclass(frozen=True)
class Today:
    participant_id: int
    name: str
    day: dt.date
    has_program: bool
    session: dict[str, Any] | None  # the active program's session of the day, None on a rest day
    next_session: dict[str, Any] | None
    logged_today: tuple[int, ...]  # ids of today's session logs
    pending_checkin: PendingCheckin | None
    post_injection: PostInjectionDue | None
    clinic: Clinic

    @property
    def next_day(self) -> dt.date | None:
        return None if self.next_session is None else dt.date.fromisoformat(self.next_session["date"])


@dataclass(frozen=True)
class Card:
    """One block of a session as the player shows it, in the reader's language."""

    position: int
    exercise_id: str
    name: str
    purpose: str
    instructions: str
    level_text: str
    part: str
    position_code: str
    equipment: tuple[str, ...]
    level: int
    dose: dict[str, Any]

    @property
    def effort_scale(self) -> str:
        return str(self.dose["effort"]["scale"])

    @property
    def effort_target(self) -> tuple[float, float]:
        target = self.dose["effort"]["target"]
        if isinstance(target, list | tuple):
            return float(target[0]), float(target[1])
        return float(target), float(target)


def clinic_of(uow: UnitOfWork, participant_id: int) -> Clinic:
    row = uow.connection.execute(
        sa.select(clinics.c.name, clinics.c.emergency_number, clinics.c.health_line, clinics.c.time_zone)
        .join(participants, participants.c.clinic_id == clinics.c.id)
        .where(participants.c.id == participant_id)
    ).one()
    return Clinic(row.name, row.emergency_number, row.health_line, row.time_zone)


def local_day(clinic: Clinic, now: dt.datetime) -> dt.date:
    """Today where the clinic is (America/Montreal unless the clinic set another zone)."""
    return now.astimezone(ZoneInfo(clinic.time_zone)).date()


def name_of(uow: UnitOfWork, actor: Actor, participant_id: int) -> str:
    """The participant's display name, for someone who may see them."""
    return str(participant_row(uow, actor, participant_id).display_name)


def day_of(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> dt.date:
    """Today in the participant's clinic, for someone who may see them."""
    participant_row(uow, actor, participant_id)
    return local_day(clinic_of(uow, participant_id), now)


def own_participant(uow: UnitOfWork, actor: Actor) -> int | None:
    """The participant record of a participant's own account (None for other roles, or before enrolment)."""
    if actor.role != "participant":
        return None
    found = uow.connection.execute(
        sa.select(participants.c.id).where(participants.c.user_id == actor.user_id).order_by(participants.c.id)
    ).first()
    return None if found is None else int(found.id)


def today(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> Today:
    row = participant_row(uow, actor, participant_id)
    return _today(uow, actor, row, now=now)


def people(uow: UnitOfWork, actor: Actor, *, now: dt.datetime) -> list[Today]:
    """Everyone the actor may see (a caregiver: the people linked to them), each with today's state."""
    rows = uow.connection.execute(
        sa.select(participants)
        .where(visible_participants(actor))
        .order_by(participants.c.display_name, participants.c.id)
        .limit(PEOPLE_LIMIT)
    ).all()
    return [_today(uow, actor, row, now=now) for row in rows]


def _today(uow: UnitOfWork, actor: Actor, row: sa.Row[Any], *, now: dt.datetime) -> Today:
    clinic = clinic_of(uow, row.id)
    day = local_day(clinic, now)
    session: dict[str, Any] | None = None
    following: dict[str, Any] | None = None
    has_program = True
    try:
        version, session = programs.session_on(uow, row.id, day)
        following = programs.next_session(programs.parsed_plan(uow, version), day)
    except NotFound:
        has_program = False
    logged = uow.connection.execute(
        sa.select(session_logs.c.id)
        .where(session_logs.c.participant_id == row.id, session_logs.c.performed_on == day)
        .order_by(session_logs.c.id)
    ).scalars()
    return Today(
        participant_id=row.id,
        name=row.display_name,
        day=day,
        has_program=has_program,
        session=session,
        next_session=following,
        logged_today=tuple(int(log_id) for log_id in logged),
        pending_checkin=pending_checkin(uow, row.id, day),
        post_injection=post_injection_due(uow, actor, row.id, day),
        clinic=clinic,
    )


def pending_checkin(uow: UnitOfWork, participant_id: int, day: dt.date) -> PendingCheckin | None:
    """The latest session before `day`, if its next-day check-in is not answered and still open."""
    latest = uow.connection.execute(
        sa.select(session_logs.c.id, session_logs.c.performed_on)
        .where(session_logs.c.participant_id == participant_id, session_logs.c.performed_on < day)
        .order_by(session_logs.c.performed_on.desc(), session_logs.c.id.desc())
        .limit(1)
    ).first()
    if latest is None or (day - latest.performed_on).days > NEXT_DAY_CHECKIN_OPEN_DAYS:
        return None
    # Answered: a check-in that names the session, or one entered the day after it without naming a session
    # (services/scans.py `checked_in` counts them the same way).
    answered = uow.connection.execute(
        sa.select(checkins.c.id).where(
            checkins.c.participant_id == participant_id,
            checkins.c.kind == "next_day",
            sa.or_(
                checkins.c.session_log_id == latest.id,
                sa.and_(
                    checkins.c.session_log_id.is_(None),
                    checkins.c.checked_on == latest.performed_on + dt.timedelta(days=1),
                ),
            ),
        )
    ).first()
    return None if answered is not None else PendingCheckin(int(latest.id), latest.performed_on)


def post_injection_due(uow: UnitOfWork, actor: Actor, participant_id: int, day: dt.date) -> PostInjectionDue | None:
    """BRIEF §5: the swallowing, breathing and weakness questions daily for 21 days after a neck or face injection
    (the days domain/reminders.py sends reminders for); the most recent qualifying injection is named."""
    injections, _ = records.list_injections(uow, actor, participant_id, offset=0, limit=1000)
    for injection in injections:  # newest first
        injected_on: dt.date = injection["injected_on"]
        regions = tuple(injection["regions"])
        if day in reminders.post_injection_days([(injected_on, regions)]):
            answered = uow.connection.execute(
                sa.select(checkins.c.id).where(
                    checkins.c.participant_id == participant_id,
                    checkins.c.kind == "post_injection",
                    checkins.c.checked_on == day,
                )
            ).first()
            return PostInjectionDue(injected_on, regions, (day - injected_on).days, answered is not None)
    return None


@dataclass(frozen=True)
class Played:
    """The session the player shows: whose, which day (not after today), the clinic's numbers."""

    name: str
    clinic: Clinic
    day: dt.date
    session: dict[str, Any]


def session_to_play(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime, day: dt.date | None = None
) -> Played | None:
    """The active program's session on `day` (default: today in the clinic); None on a rest day, without an
    approved program, or for a day still to come (a session is logged once done)."""
    row = participant_row(uow, actor, participant_id)
    clinic = clinic_of(uow, participant_id)
    today_there = local_day(clinic, now)
    on = day or today_there
    if on > today_there:
        return None
    try:
        _, session = programs.session_on(uow, participant_id, on)
    except NotFound:
        return None
    return None if session is None else Played(row.display_name, clinic, on, session)


def exercises_of(uow: UnitOfWork, participant_id: int, exercise_ids: Iterable[str]) -> Catalog:
    """The catalog that describes these exercises of the participant: the shipped one when they all are shipped
    exercises (no query), else the participant's clinic's complete catalog, with the clinic's own exercises,
    retired ones too (services/clinic_catalog.py). Never another clinic's: clinic exercise ids repeat from one
    clinic to the next (XA01 in each), so they are only ever read in the participant's own clinic."""
    shipped = load_catalog()
    if all(exercise_id in shipped.exercises for exercise_id in exercise_ids):
        return shipped
    return clinic_catalog.complete_catalog(uow, participant_id)


def cards(session: dict[str, Any], language: str, catalog: Catalog | None = None) -> list[Card]:
    """The session's blocks as exercise cards: the name, purpose, instructions and level text in `language` (the
    stored plan is in the language it was made in, the page may be in another), with the block's own dose.

    `catalog` describes the session's exercises (`exercises_of`, so a clinic's own exercises are read in
    `language` too); the shipped catalog when not given."""
    catalog = load_catalog() if catalog is None else catalog
    found: list[Card] = []
    for position, block in enumerate(session["blocks"]):
        compiled = catalog.exercises.get(block["exercise_id"])
        if compiled is None:  # an exercise no catalog describes any more: the plan's own words
            name, purpose, instructions, level_text = block["name"], "", block["instructions"], ""
        else:
            exercise = compiled.exercise
            level_index = min(max(int(block["level"]) - 1, 0), len(exercise.levels) - 1)
            name = exercise.name.in_language(language)
            purpose = exercise.purpose.in_language(language)
            instructions = exercise.instructions.in_language(language)
            level_text = exercise.levels[level_index].text.in_language(language)
        found.append(
            Card(
                position=position,
                exercise_id=block["exercise_id"],
                name=name,
                purpose=purpose,
                instructions=instructions,
                level_text=level_text,
                part=block["part"],
                position_code=block["position"],
                equipment=tuple(block["equipment"]),
                level=int(block["level"]),
                dose=block["dose"],
            )
        )
    return found


def exercise_names(exercise_ids: list[str], language: str, catalog: Catalog | None = None) -> dict[str, str]:
    """Names in `language`, by id, from `catalog` (`exercises_of`; the shipped catalog when not given): an id it
    does not know keeps its id."""
    catalog = load_catalog() if catalog is None else catalog
    names: dict[str, str] = {}
    for exercise_id in exercise_ids:
        compiled = catalog.exercises.get(exercise_id)
        names[exercise_id] = compiled.exercise.name.in_language(language) if compiled else exercise_id
    return names
