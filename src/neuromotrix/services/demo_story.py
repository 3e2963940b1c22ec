"""Six weeks of the demo clinic's life, played through the services (services/demo.py sets the clinic up).

Every planned session day from the start of the programs up to yesterday, in the order things happened:

- about 83 % of the sessions are done (the others are skipped), each block mostly done, sometimes partial, with
  the effort inside the block's own target and scale and pain 0-3/10; pain, pulling (dystonia) and fatigue are
  rated before and after, around each person's usual values; most sessions get their next-day check-in;
- Carl enters every third of Alice's sessions and its check-in; Alice answers the post-injection check-ins of the
  days that fall inside the 21 days after her neck injection;
- in week 4 Alice has a dystonia flare: pulling up 2 after a session with a sustained posture on one exercise,
  up 3 at the next-day check-in with new stiffness; a second posture on the same exercise at the next session;
- in week 3 Paul stops a session for dizziness (a hard stop); Bob acknowledges the alert within the hour;
- every Friday afternoon Bob acknowledges the information alerts (new drafts, adaptations); warnings stay open;
- outcome measures (BRIEF §7): a baseline on the first day and the 4-weekly reassessment, each person rating
  their pain at home and Bob timing a test at the clinic; Alice's pain and Timed Up and Go change meaningfully.

The adaptation engine runs after every log and check-in as in real use, so the program versions, adaptation
alerts and audit trail are the ones real use would make. Randomness comes from `random.Random(seed)` (and one
generator per session seeded from it), so the same `now` and seed always give the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import alerts as alert_rows
from neuromotrix.domain.alerts import StopReason
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.reminders import post_injection_days
from neuromotrix.services import alerts, assessments, programs, session_flow
from neuromotrix.services.access import Actor
from neuromotrix.services.session_logs import BlockEntry, SessionEntry
from neuromotrix.services.unit_of_work import UnitOfWork

SKIPPED_SHARE = 0.17  # about 83 % adherence
MISSED_CHECKIN_SHARE = 0.1
FLARE_WEEK = 4
HARD_STOP_WEEK = 3
# Outcome answers at the baseline and at the 4-weekly reassessment: (instrument, entered by the person or Bob,
# baseline answers, answers 4 weeks later). Alice: pain now 6 → 3 passes the MCID of 2 points; TUG 12.5 → 8.5 s
# passes the MDC of 3.5 s. Paul gains three chair stands (no threshold established); Léa stays about the same.
OUTCOMES: dict[str, tuple[tuple[str, str, dict[str, float], dict[str, float]], ...]] = {
    "alice": (
        ("pain_nrs", "self", {"now": 6, "average_24h": 6}, {"now": 3, "average_24h": 4}),
        ("tug", "bob", {"seconds": 12.5}, {"seconds": 8.5}),
    ),
    "paul": (
        ("pain_nrs", "self", {"now": 3, "average_24h": 3}, {"now": 2, "average_24h": 3}),
        ("chair_stand_30s", "bob", {"stands": 9}, {"stands": 12}),
    ),
    "lea": (("pain_nrs", "self", {"now": 2, "average_24h": 2}, {"now": 2, "average_24h": 1}),),
}
OUTCOME_EVERY = dt.timedelta(weeks=4)
# What a check-in answers when nothing is wrong: the fields of the check-in route with their defaults.
YES_NO = ("new_stiffness", "swallowing", "breathing", "choking", "weakness", "double_vision", "drooping_eyelid")
CHECKIN_FIELDS: dict[str, Any] = dict.fromkeys(("pain", "dystonia", "fatigue")) | dict.fromkeys(
    (*YES_NO, "voice_change"), False
)


class StoryClock:
    """The time of the story; the container's clock while it is played."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass(frozen=True)
class Habits:
    """How one person usually rates: dystonia (pulling) around `dystonia`, pain and fatigue from these choices."""

    dystonia: int
    pain: tuple[int, ...]
    fatigue: tuple[int, ...]


HABITS = {
    "alice": Habits(dystonia=3, pain=(1, 2, 2, 3), fatigue=(2, 3)),
    "paul": Habits(dystonia=2, pain=(1, 1, 2, 3), fatigue=(3, 3, 4)),
    "lea": Habits(dystonia=2, pain=(1, 1, 1, 2), fatigue=(1, 2)),
}


@dataclass(frozen=True)
class Enrolled:
    key: str
    participant_id: int
    actor: Actor  # the participant's own login
    profile: Profile


@dataclass(frozen=True)
class Cast:
    zone: ZoneInfo
    bob: Actor
    carl: Actor
    people: tuple[Enrolled, ...]


def local(day: dt.date, clock_time: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, clock_time, tzinfo=zone).astimezone(dt.UTC)


def review(uow: UnitOfWork, bob: Actor, now: dt.datetime) -> None:
    """Bob reads his alerts: the information ones (drafts, adaptations) are acknowledged, warnings stay open."""
    found, _ = alerts.list_alerts(uow, bob, participant_id=None, open_only=True, offset=0, limit=200)
    for row in found:
        if row.severity == "info":
            alerts.acknowledge(uow, bob, row.id, now=now)


@dataclass
class Visit:
    """A planned session that is done, with how it went; `log_id` once logged."""

    person: Enrolled
    day: dt.date
    at: dt.datetime  # when the log is saved
    entered_by: Actor
    pre: tuple[int, int, int]  # pain, dystonia, fatigue
    post: tuple[int, int, int]
    next_day: tuple[int, int, int] | None  # the next-day check-in, None when it is missed
    checkin_at: dt.datetime
    stop_reason: StopReason | None = None
    posture_on: str | None = None  # the exercise during which a sustained dystonic posture came
    stiffness: bool = False
    notes: str = ""
    checkin_notes: str = ""
    log_id: int | None = None


@dataclass
class Story:
    uow: UnitOfWork
    cast: Cast
    seed: int
    events: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = field(default_factory=list)

    def at(self, when: dt.datetime, action: Callable[[dt.datetime], None]) -> None:
        self.events.append((when, len(self.events), action))

    def run(self, clock: StoryClock, now: dt.datetime) -> None:
        for when, _, action in sorted(self.events, key=lambda event: (event[0], event[1])):
            if when >= now:
                continue  # not happened yet
            clock.now = when
            action(when)

    def log(self, visit: Visit, when: dt.datetime) -> None:
        person = visit.person
        _, session = programs.session_on(self.uow, person.participant_id, visit.day)
        if session is None:
            return
        rng = random.Random(f"{self.seed}:{person.key}:{visit.day.isoformat()}")
        entry = SessionEntry(
            performed_on=visit.day,
            pre_pain=visit.pre[0],
            pre_dystonia=visit.pre[1],
            pre_fatigue=visit.pre[2],
            post_pain=visit.post[0],
            post_dystonia=visit.post[1],
            post_fatigue=visit.post[2],
            stop_reason=visit.stop_reason,
            notes=visit.notes,
            blocks=tuple(self.blocks(session["blocks"], visit, rng)),
        )
        logged = session_flow.log_session(self.uow, visit.entered_by, person.participant_id, entry, now=when)
        visit.log_id = logged["id"]

    def blocks(self, planned: list[dict[str, Any]], visit: Visit, rng: random.Random) -> list[BlockEntry]:
        entries: list[BlockEntry] = []
        for position, block in enumerate(planned):
            dose = block["dose"]
            effort, pain = _effort(dose["effort"], rng), rng.choice((0, 1, 1, 2, 2, 3))
            if visit.stop_reason is not None and position > 2:
                entries.append(BlockEntry(position=position, exercise_id=block["exercise_id"], status="skipped"))
                continue
            posture = block["exercise_id"] == visit.posture_on
            cut = posture or (visit.stop_reason is not None and position == 2) or rng.random() < 0.1
            sets, reps, hold_s = _less(dose) if cut else (None, None, None)
            entries.append(
                BlockEntry(
                    position=position,
                    exercise_id=block["exercise_id"],
                    status="partial" if cut else "done",
                    sets=sets,
                    reps=reps,
                    hold_s=hold_s,
                    effort=effort,
                    pain=3 if posture else pain,
                    sustained_posture=posture,
                )
            )
        return entries

    def check_in(self, visit: Visit, when: dt.datetime) -> None:
        if visit.log_id is None or visit.next_day is None:
            return
        pain, dystonia, fatigue = visit.next_day
        answers = CHECKIN_FIELDS | {
            "kind": "next_day",
            "checked_on": visit.day + dt.timedelta(days=1),
            "session_log_id": visit.log_id,
            "pain": pain,
            "dystonia": dystonia,
            "fatigue": fatigue,
            "new_stiffness": visit.stiffness,
            "notes": visit.checkin_notes,
        }
        session_flow.check_in(self.uow, visit.entered_by, visit.person.participant_id, answers, now=when)

    def post_injection(self, person: Enrolled, day: dt.date, when: dt.datetime) -> None:
        answers = CHECKIN_FIELDS | {"kind": "post_injection", "checked_on": day, "session_log_id": None, "notes": ""}
        session_flow.check_in(self.uow, person.actor, person.participant_id, answers, now=when)

    def assess(
        self, person: Enrolled, by: Actor, instrument: str, answers: dict[str, float], when: dt.datetime
    ) -> None:
        day = when.astimezone(self.cast.zone).date()
        assessments.record_assessment(
            self.uow, by, person.participant_id, instrument=instrument, taken_on=day, answers=answers, source="web",
            today=day, now=when,
        )  # fmt: skip

    def acknowledge_hard_stop(self, visit: Visit, when: dt.datetime) -> None:
        found = self.uow.connection.execute(
            sa.select(alert_rows.c.id).where(
                alert_rows.c.participant_id == visit.person.participant_id,
                alert_rows.c.key == f"hard_stop:{visit.log_id}",
            )
        ).scalar()
        if found is not None:
            alerts.acknowledge(self.uow, self.cast.bob, found, now=when)


def _flare_exercise(first: dict[str, Any], second: dict[str, Any]) -> str | None:
    """The exercise that provokes Alice's flare: a neck motor-control block of the main part of both sessions."""
    again = {block["exercise_id"] for block in second["blocks"]}
    main = [block for block in first["blocks"] if block["part"] == "main" and block["exercise_id"] in again]
    neck = [block for block in main if block["category"] == "neck_motor_control"] or main
    return str(neck[0]["exercise_id"]) if neck else None


def _effort(effort: dict[str, Any], rng: random.Random) -> float:
    """An effort inside the block's target, on the block's scale (a number, or [low, high])."""
    target = effort["target"]
    low, high = (target[0], target[1]) if isinstance(target, list) else (target, target)
    if float(low).is_integer() and float(high).is_integer():
        return float(rng.randint(int(low), int(high)))
    return float(min(max(round(rng.uniform(low, high) * 2) / 2, low), high))


def _less(dose: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    """What a partial block did (sets, reps, hold): one set fewer, else fewer reps, else a shorter hold."""
    if dose["sets"] >= 2:
        return dose["sets"] - 1, None, None
    if dose["reps"] >= 2:
        return None, dose["reps"] - max(1, dose["reps"] // 4), None
    if dose["hold_s"] >= 10:
        return None, None, dose["hold_s"] - 5
    return None, None, None


def _rating(value: int) -> int:
    return min(max(value, 0), 10)


def play(uow: UnitOfWork, cast: Cast, clock: StoryClock, *, start: dt.date, now: dt.datetime, seed: int) -> None:
    """Every planned session day from `start` up to yesterday, and what came with it, in the order it happened."""
    story = Story(uow, cast, seed)
    rng = random.Random(seed)
    today = now.astimezone(cast.zone).date()
    for person in cast.people:
        planned = _planned(uow, person, start, today)
        for visit in _visits(person, planned, cast, rng, start=start, today=today):
            story.at(visit.at, partial(story.log, visit))
            story.at(visit.checkin_at, partial(story.check_in, visit))
            if visit.stop_reason is not None:
                story.at(visit.at + dt.timedelta(minutes=40), partial(story.acknowledge_hard_stop, visit))
        injections = [(i.date, i.regions) for i in person.profile.treatments.botulinum_toxin]
        for day in post_injection_days(injections):
            if start <= day < today:
                when = local(day, dt.time(9, rng.randint(0, 25)), cast.zone)
                story.at(when, partial(story.post_injection, person, day))
        for instrument, by, *occasions in OUTCOMES.get(person.key, ()):
            for number, answers in enumerate(occasions):
                day = start + number * OUTCOME_EVERY
                if day < today:
                    when = local(day, dt.time(8, 15) if by == "self" else dt.time(14, 0), cast.zone)
                    who = person.actor if by == "self" else cast.bob
                    story.at(when, partial(story.assess, person, who, instrument, answers))
    friday = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    while friday < today:
        story.at(local(friday, dt.time(16, 30), cast.zone), partial(review, uow, cast.bob))
        friday += dt.timedelta(weeks=1)
    story.run(clock, now)


def _planned(uow: UnitOfWork, person: Enrolled, start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The approved program's sessions from the start up to yesterday (adaptation never moves session days)."""
    active = programs.active_version(uow, person.participant_id)
    if active is None:
        return []
    by_date = programs.parsed_plan(uow, active)["_sessions_by_date"]
    return [by_date[day] for day in sorted(by_date) if start.isoformat() <= day < today.isoformat()]


def _visits(
    person: Enrolled, planned: list[dict[str, Any]], cast: Cast, rng: random.Random, *, start: dt.date, today: dt.date
) -> list[Visit]:
    """Which planned sessions are done, by whom, when and how they are rated."""
    special: dict[int, str] = {}
    flare_exercise: str | None = None
    week_of = [(dt.date.fromisoformat(session["date"]) - start).days // 7 + 1 for session in planned]
    if person.key == "alice" and FLARE_WEEK in week_of and week_of.index(FLARE_WEEK) + 1 < len(planned):
        first = week_of.index(FLARE_WEEK)
        special |= {first: "flare", first + 1: "posture"}
        flare_exercise = _flare_exercise(planned[first], planned[first + 1])
    if person.key == "paul" and HARD_STOP_WEEK in week_of:
        special[week_of.index(HARD_STOP_WEEK)] = "hard_stop"
    # Skips fall before the last seven days: this week's picture, the one the trainer sees first, is steady.
    last_week = today - dt.timedelta(days=7)
    optional = [
        index
        for index in range(1, len(planned))
        if index not in special and index - 1 not in special and planned[index]["date"] < last_week.isoformat()
    ]
    skipped = set(rng.sample(optional, min(len(optional), round(SKIPPED_SHARE * len(planned)))))
    done = [index for index in range(len(planned)) if index not in skipped]
    ordinary = [index for index in done if index not in special and index - 1 not in special]
    missed = set(rng.sample(ordinary, min(len(ordinary), max(1, round(MISSED_CHECKIN_SHARE * len(done))))))
    habits = HABITS[person.key]
    visits: list[Visit] = []
    for count, index in enumerate(done):
        session = planned[index]
        day = dt.date.fromisoformat(session["date"])
        started = local(day, dt.time.fromisoformat(session["time"]), cast.zone)
        started += dt.timedelta(minutes=rng.randint(-30, 120))
        entered_by = cast.carl if person.key == "alice" and count % 3 == 1 else person.actor
        base = habits.dystonia + (1 if session["phase"] == "wearing_off" else 0)
        pain, fatigue = rng.choice(habits.pain), rng.choice(habits.fatigue)
        dystonia = _rating(base + rng.choice((-1, 0, 0, 0, 1)))
        visit = Visit(
            person=person,
            day=day,
            at=started + dt.timedelta(minutes=session["minutes"] + rng.randint(2, 8)),
            entered_by=entered_by,
            pre=(pain, dystonia, fatigue),
            post=(
                _rating(pain + rng.choice((-1, 0, 0, 0, 1))),
                _rating(dystonia + rng.choice((-1, 0, 0, 1))),
                _rating(fatigue + rng.choice((0, 1, 1, 2))),
            ),
            next_day=None
            if index in missed
            else (
                _rating(pain + rng.choice((-1, 0, 0, 1))),
                _rating(dystonia + rng.choice((-1, 0, 0, 1))),
                _rating(fatigue + rng.choice((-1, 0, 0, 1))),
            ),
            checkin_at=local(day + dt.timedelta(days=1), dt.time(8, 0), cast.zone)
            + dt.timedelta(minutes=rng.randint(0, 80)),
        )
        _special(visit, special.get(index), habits, flare_exercise)
        if index - 1 in special and special[index - 1] == "posture":
            visit.pre = (visit.pre[0], _rating(habits.dystonia + 1), visit.pre[2])  # still settling
        visits.append(visit)
    return visits


def _special(visit: Visit, kind: str | None, habits: Habits, flare_exercise: str | None) -> None:
    pain, _, fatigue = visit.pre
    if kind == "flare":  # pulling up 2 after the session, up 3 the next morning with new stiffness
        base = habits.dystonia
        visit.pre = (pain, base, fatigue)
        visit.post = (_rating(pain + 1), base + 2, _rating(fatigue + 1))
        visit.next_day = (_rating(pain + 1), base + 3, _rating(fatigue + 1))
        visit.posture_on, visit.stiffness = flare_exercise, True
        visit.notes = "Ça a tiré fort vers la droite pendant un exercice du cou; j'ai arrêté cet exercice."
        visit.checkin_notes = "Cou plus raide ce matin, la tête tire encore vers la droite."
    elif kind == "posture":  # still pulling, the same exercise provokes a posture again; settled the next day
        base = habits.dystonia + 1
        visit.pre = (pain, base, fatigue)
        visit.post = (pain, base, _rating(fatigue + 1))
        visit.next_day = (pain, base, fatigue)
        visit.posture_on = flare_exercise
        visit.notes = "Encore une posture soutenue pendant le même exercice."
    elif kind == "hard_stop":
        visit.stop_reason = "dizziness"
        visit.post = (pain, visit.pre[1], _rating(fatigue + 2))
        visit.notes = "Felt light-headed after standing up from the chair; sat down and stopped."
        visit.next_day = (pain, visit.pre[1], fatigue)
        visit.checkin_notes = "Fine this morning; I took my blood pressure, it was normal."
