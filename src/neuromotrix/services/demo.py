"""A demo clinic for evaluation: `neuromotrix serve --demo` and `neuromotrix db seed-demo` (docs/deploy.md, "Demo").

`seed_demo` fills a database that holds no clinic with one clinic, six accounts and three participants enrolled
from the example profiles, then plays six weeks of use through the same services the API calls
(services/demo_story.py): programs generated and approved, sessions logged, next-day and post-injection
check-ins, adaptations, alerts and their acknowledgement, all audited. Nothing about anyone's health is written
to a table directly, so what the demo shows is what real use produces.

Two things exist only here, on purpose:

- every account has the password `demo`: the accounts are created by `accounts.create_user` with
  `check_strength=False`, the one caller that turns the strength check off (the API and the command line
  never do);
- Dana, the admin, has two-factor on with a fixed, published secret (`DEMO_TOTP_SECRET`): the secret is put on
  her account and confirmed with `accounts.confirm_totp`, as the set-up route does.

Both make the accounts unsafe for anything but an evaluation on a private machine: never use the demo with real
data.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pyotp
import sqlalchemy as sa

from neuromotrix.adapters import security
from neuromotrix.adapters.db.tables import (
    alerts,
    checkins,
    clinics,
    participants,
    program_versions,
    session_logs,
    users,
)
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.profile import Profile
from neuromotrix.services import accounts, consent, demo_story, privacy, programs
from neuromotrix.services import participants as participants_service
from neuromotrix.services.access import Actor, Role
from neuromotrix.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from neuromotrix.bootstrap import Container

CLINIC_NAME = "Clinique NeuroMotrix (démo)"
TIME_ZONE = "America/Montreal"
DEMO_PASSWORD = "demo"
# Published in docs/deploy.md and printed at start: anyone can compute Dana's codes. Evaluation only.
DEMO_TOTP_SECRET = "NEUROMOTRIXDEMOSECRETFORDANAONLY"
SEED = 20261123  # random.Random seed of the six weeks of logs: the same `now` gives the same demo
WEEKS_LOGGED = 6  # the programs started this many weeks before `now`
WEEKS_AHEAD = 4  # and go on this many weeks after it
# Any fixed number: two processes seeding one PostgreSQL database at once take turns.
SEED_LOCK_KEY = 0x4E4D4445  # "NMDE"

# preferences.start_on of examples/cervical-dystonia.yaml: every date of the examples moves by (start - this).
EXAMPLE_START = dt.date(2026, 11, 23)
# The example profiles of examples/*.yaml, verbatim (tests/integration/test_demo.py keeps them equal): an
# installed package does not ship the examples folder.
EXAMPLE_PROFILES: dict[str, dict[str, Any]] = {
    "cervical-dystonia": {
        "birth_year": 1972,
        "language": "en",
        "conditions": [{
            "kind": "dystonia", "distribution": "focal", "regions": ["neck"],
            "cervical": {"rotation": {"toward": "right", "level": "both", "severity": 2}, "tremor": "none",
                         "stability": "stable", "confirmed_by_clinician": True},
        }],
        "symptoms": {"pain_nrs": 4},
        "treatments": {"botulinum_toxin": [{"date": dt.date(2026, 11, 5), "regions": ["neck"]}]},
        "screening": {"parq": {"other_chronic_condition": True, "chronic_medication": False},
                      "clearance": {"by": "Dr. A. Roy", "on": dt.date(2026, 10, 1)}},
        "preferences": {"start_on": dt.date(2026, 11, 23), "weeks": 6, "sessions_per_week": 3, "minutes_per_session": 25,
                        "equipment": ["chair", "mirror", "towel", "wall"]},
        "goals": ["neck_control", "reduce_pain"],
    },
    "parkinson-foot-dystonia": {
        "birth_year": 1956,
        "language": "fr",
        "conditions": [
            {"kind": "parkinson", "hoehn_yahr": 2, "freezing": False},
            {"kind": "dystonia", "distribution": "focal", "regions": ["foot_left"], "task_triggers": ["walking"]},
        ],
        "symptoms": {"pain_nrs": 2, "falls_last_12_months": 1},
        "treatments": {"medications": [{"name": "levodopa", "class": "dopaminergic"}]},
        "screening": {"parq": {"other_chronic_condition": True, "chronic_medication": True}, "clearance": None},
        "activity": {"regular_exerciser": False, "minutes_per_week": 30},
        "preferences": {"weeks": 8, "sessions_per_week": 3, "minutes_per_session": 40,
                        "equipment": ["chair", "counter", "stationary_bike"]},
        "goals": ["gait", "balance", "fitness"],
    },
    "writers-cramp": {
        "birth_year": 1985,
        "language": "en",
        "conditions": [
            {"kind": "dystonia", "distribution": "focal", "regions": ["hand_right"], "task_triggers": ["writing"]},
        ],
        "symptoms": {"pain_nrs": 1},
        "screening": {"parq": {"other_chronic_condition": True},
                      "clearance": {"by": "Dr. P. Martin", "on": dt.date(2026, 9, 12)}},
        "activity": {"regular_exerciser": True, "minutes_per_week": 180},
        "preferences": {"weeks": 4, "sessions_per_week": 4, "minutes_per_session": 20,
                        "equipment": ["table", "putty", "whiteboard"]},
        "goals": ["hand_function"],
    },
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    """A demo account; participants also have an example profile and a line saying who they are."""

    key: str
    email: str
    name: str
    role: Role
    language: str
    about: str = ""
    example: str = ""


PEOPLE: tuple[Person, ...] = (
    Person("dana", "dana@example.org", "Dana Côté", "admin", "fr", "clinic admin, two-factor on"),
    Person("bob", "bob@example.org", "Bob Lavoie", "trainer", "en", "kinesiologist, follows the three participants"),
    Person(
        "alice", "alice@example.org", "Alice Bergeron", "participant", "fr",
        "cervical dystonia, botulinum toxin injections", "cervical-dystonia",
    ),
    Person(
        "paul", "paul@example.org", "Paul Henderson", "participant", "en",
        "Parkinson's disease with foot dystonia", "parkinson-foot-dystonia",
    ),
    Person("lea", "lea@example.org", "Léa Fortin", "participant", "fr", "writer's cramp", "writers-cramp"),
    Person("carl", "carl@example.org", "Carl Bergeron", "caregiver", "fr", "Alice's caregiver"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoParticipant:
    name: str
    email: str
    about: str
    program_status: str  # the screening outcome of the approved program: ready, needs_clearance
    session_logs: int
    checkins: int
    program_versions: int
    open_alerts: int


@dataclass(frozen=True)
class DemoSummary:
    """What `seed_demo` did (or found), ready to print."""

    seeded: bool
    message: str
    accounts: tuple[Person, ...]
    participants: tuple[DemoParticipant, ...] = ()
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    seconds: float = 0.0

    @property
    def totp_uri(self) -> str:
        return security.totp_uri(DEMO_TOTP_SECRET, "dana@example.org")

    def lines(self) -> list[str]:
        """The message, then (when the demo accounts are there) the accounts table and how to sign in."""
        lines = [self.message]
        if not self.accounts:
            return lines
        for person in self.participants:
            lines.append(
                f"  {person.name} ({person.program_status}): {person.session_logs} sessions logged, "
                f"{person.checkins} check-ins, {person.program_versions} program versions, {person.open_alerts} open alerts"
            )
        lines += ["", f"  {'email':<20} {'role':<12} {'language':<9} who"]
        lines += [
            f"  {p.email:<20} {p.role:<12} {p.language:<9} {p.name}{f' — {p.about}' if p.about else ''}"
            for p in self.accounts
        ]
        lines += [
            "",
            f"Password for every account: {DEMO_PASSWORD}",
            "dana@example.org (admin) also needs the 6-digit code of an authenticator app set up with",
            f"  secret: {DEMO_TOTP_SECRET}",
            f"  URI:    {self.totp_uri}",
            f"  or print the current code: python -c \"import pyotp; print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())\"",
            "For evaluation only: these accounts are public. Never enter real health data in the demo.",
        ]
        return lines


def demo_profile(example: str, *, start: dt.date, language: str) -> dict[str, Any]:
    """An example profile with every date moved so the program starts on `start`, in `language`, running
    `WEEKS_LOGGED + WEEKS_AHEAD` weeks (so the program goes on after today); every other field as in the example."""
    shift = start - EXAMPLE_START
    document: dict[str, Any] = _shifted(copy.deepcopy(EXAMPLE_PROFILES[example]), shift)
    document["language"] = language
    document["preferences"] |= {"start_on": start, "weeks": WEEKS_LOGGED + WEEKS_AHEAD}
    return document


def _shifted(node: Any, shift: dt.timedelta) -> Any:
    if isinstance(node, dict):
        return {key: _shifted(value, shift) for key, value in node.items()}
    if isinstance(node, list):
        return [_shifted(value, shift) for value in node]
    if isinstance(node, dt.date):
        return node + shift
    return node


def seed_demo(container: Container, *, now: dt.datetime) -> DemoSummary:
    """Seed the demo clinic into a database without any clinic; otherwise change nothing and say so.

    Everything is written in one transaction (all or nothing). The container's clock follows the story while it
    is played and is given back afterwards.
    """
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    began = time.perf_counter()
    today = now.astimezone(ZoneInfo(TIME_ZONE)).date()
    start = today - dt.timedelta(weeks=WEEKS_LOGGED)
    with container.uow(write=True) as uow:
        if uow.dialect == "postgresql":
            uow.connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})
        if uow.connection.execute(sa.select(sa.func.count()).select_from(clinics)).scalar_one():
            return _found(uow)
        clock = demo_story.StoryClock(now)
        original = container.clock
        container.clock = clock
        try:
            cast = _cast(uow, clock, start=start)
            demo_story.play(uow, cast, clock, start=start, now=now, seed=SEED)
        finally:
            container.clock = original
        uow.commit()
        found = _participants(uow)
    last, seconds = today - dt.timedelta(days=1), time.perf_counter() - began
    message = (
        f'Seeded the demo clinic "{CLINIC_NAME}" in {seconds:.1f} s: {len(found)} participants, '
        f"{sum(p.session_logs for p in found)} sessions logged from {start.isoformat()} to {last.isoformat()}, "
        f"{sum(p.checkins for p in found)} check-ins, {sum(p.open_alerts for p in found)} open alerts."
    )
    return DemoSummary(
        seeded=True,
        message=message,
        accounts=PEOPLE,
        participants=found,
        first_day=start,
        last_day=last,
        seconds=seconds,
    )


def _found(uow: UnitOfWork) -> DemoSummary:
    """The database already holds a clinic: the demo accounts if they are the ones there, else none."""
    present = {row.email for row in uow.connection.execute(sa.select(users.c.email))}
    if all(person.email in present for person in PEOPLE):
        return DemoSummary(
            seeded=False,
            message="The database already holds a clinic: nothing seeded. The demo accounts are there:",
            accounts=PEOPLE,
            participants=_participants(uow),
        )
    return DemoSummary(
        seeded=False,
        message="The database already holds a clinic: nothing seeded (the demo needs a database with no clinic).",
        accounts=(),
    )


DEMO_NOTICE = Message(
    "Clinique NeuroMotrix (demo) keeps the health information you give us (your profile, your sessions and "
    "check-ins, your toxin injections) to plan and adapt your exercise program and to inform your care team. Only "
    "the people who follow you see it: your trainer, the clinic's administrator and the caregivers you chose. You may "
    "ask for a copy of your data or for its removal from the person in charge below. This is a demonstration: do "
    "not enter real information.",
    "La Clinique NeuroMotrix (démo) conserve les renseignements de santé que vous nous donnez (votre profil, vos "
    "séances et suivis, vos injections de toxine) pour planifier et adapter votre programme d'exercice et informer "
    "votre équipe de soins. Seules les personnes qui vous suivent les voient : votre intervenant ou intervenante, "
    "l'administratrice de la clinique et les proches aidants que vous avez choisis. Vous pouvez demander une copie de "
    "vos données ou leur retrait à la personne responsable ci-dessous. Ceci est une démonstration : n'entrez pas de "
    "vrais renseignements.",
)
DEMO_CONSENT = Message(
    "I agree that Clinique NeuroMotrix (demo) keeps and uses my information as the privacy notice explains.",
    "J'accepte que la Clinique NeuroMotrix (démo) conserve et utilise mes renseignements comme l'explique "
    "l'avis de confidentialité.",
)


def _privacy(uow: UnitOfWork, dana: Actor, now: dt.datetime) -> None:
    """The clinic's privacy notice, its person in charge and a first consent text (Law 25)."""
    privacy.update_settings(
        uow,
        dana,
        privacy.SettingsChange(
            officer_name="Dana Côté",
            officer_title="Responsable de la protection des renseignements personnels",
            officer_email="dana@example.org",
            notice_en=DEMO_NOTICE.en,
            notice_fr=DEMO_NOTICE.fr,
            retention_years=10,
        ),
        now=now,
    )
    consent.publish(uow, dana, text_en=DEMO_CONSENT.en, text_fr=DEMO_CONSENT.fr, now=now)


def _cast(uow: UnitOfWork, clock: demo_story.StoryClock, *, start: dt.date) -> demo_story.Cast:
    """The clinic and its accounts two weeks before the start, intake visits three days before (Bob enrols each
    participant and generates the program; Carl is linked to Alice with her consent), approval the day before."""
    zone = ZoneInfo(TIME_ZONE)
    clock.now = demo_story.local(start - dt.timedelta(days=14), dt.time(9), zone)
    clinic_id = accounts.create_clinic(
        uow, CLINIC_NAME, now=clock(), time_zone=TIME_ZONE, emergency_number="911", health_line="811"
    )
    actors: dict[str, Actor] = {}
    for person in PEOPLE:
        if person.role in ("participant", "caregiver"):  # their accounts are opened at the intake visits
            clock.now = demo_story.local(start - dt.timedelta(days=3), dt.time(9, 30), zone)
        user_id = accounts.create_user(
            uow, clinic_id=clinic_id, email=person.email, name=person.name, role=person.role, now=clock(),
            password=DEMO_PASSWORD, language=person.language, check_strength=False,  # demo accounts only
        )  # fmt: skip
        actors[person.key] = Actor(user_id, clinic_id, person.role, person.email, person.name, person.language)
        if person.key == "dana":  # two-factor on with the published secret (the set-up route draws a random one)
            dana = actors[person.key]
            uow.connection.execute(
                users.update().where(users.c.id == dana.user_id).values(totp_secret=DEMO_TOTP_SECRET)
            )
            accounts.confirm_totp(uow, dana, pyotp.TOTP(DEMO_TOTP_SECRET).at(clock()), session_id=None, now=clock())
            _privacy(uow, dana, clock())
    for person in PEOPLE:  # each account accepted the consent text when it was opened (via its invitation)
        actor = actors[person.key]
        consent.accept(
            uow, user_id=actor.user_id, clinic_id=clinic_id, version=1, language=person.language, via="invitation",
            now=clock(), audit_as=person.email,
        )  # fmt: skip
    bob, people, drafts = actors["bob"], list[demo_story.Enrolled](), dict[int, int]()
    for hour, person in enumerate(person for person in PEOPLE if person.example):
        clock.now = demo_story.local(start - dt.timedelta(days=3), dt.time(10 + 2 * hour), zone)
        profile = Profile.model_validate(demo_profile(person.example, start=start, language=person.language))
        participant_id = participants_service.enrol(
            uow, bob, display_name=person.name, language=person.language, profile=profile, now=clock(),
            today=start - dt.timedelta(days=3), user_id=actors[person.key].user_id,
        )  # fmt: skip
        clock.now += dt.timedelta(minutes=40)
        drafts[participant_id] = programs.generate(uow, bob, participant_id, now=clock(), reason="intake").version
        people.append(demo_story.Enrolled(person.key, participant_id, actors[person.key], profile))
        if person.key == "alice":
            participants_service.link_caregiver(
                uow, caregiver_id=actors["carl"].user_id, participant_id=participant_id, consent_by="participant",
                consent_name=person.name, now=clock(),
            )  # fmt: skip
    for minutes, (participant_id, version) in enumerate(drafts.items()):
        clock.now = demo_story.local(start - dt.timedelta(days=1), dt.time(16, 10 * minutes), zone)
        programs.approve(uow, bob, participant_id, version, now=clock())
    demo_story.review(uow, bob, clock())
    return demo_story.Cast(zone=zone, bob=bob, carl=actors["carl"], people=tuple(people))


def _participants(uow: UnitOfWork) -> tuple[DemoParticipant, ...]:
    """Counts per demo participant, read back from the database."""

    def count(table: sa.Table, participant_id: int, *where: sa.ColumnElement[bool]) -> int:
        query = sa.select(sa.func.count()).select_from(table).where(table.c.participant_id == participant_id, *where)
        return int(uow.connection.execute(query).scalar_one())

    found: list[DemoParticipant] = []
    for person in PEOPLE:
        if not person.example:
            continue
        row = uow.connection.execute(
            sa.select(participants.c.id)
            .join(users, users.c.id == participants.c.user_id)
            .where(users.c.email == person.email)
        ).first()
        if row is None:
            continue
        plan = uow.connection.execute(
            sa.select(program_versions.c.plan)
            .where(program_versions.c.participant_id == row.id, program_versions.c.status == "active")
            .limit(1)
        ).scalar()
        found.append(
            DemoParticipant(
                name=person.name,
                email=person.email,
                about=person.about,
                program_status="none" if plan is None else str(json.loads(plan)["status"]),
                session_logs=count(session_logs, row.id),
                checkins=count(checkins, row.id),
                program_versions=count(program_versions, row.id),
                open_alerts=count(alerts, row.id, alerts.c.acknowledged_at.is_(None)),
            )
        )
    return tuple(found)
