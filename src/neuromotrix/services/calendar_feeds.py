"""A participant's scheduled sessions as a calendar: an `.ics` export and private subscription feeds.

Issue 5 item 4. One event per scheduled session, at the session's time (the profile's `time_of_day` when the
program was built: the time the session reminders use too), lasting the session's planned minutes, in the clinic's
time zone (America/Montreal unless the clinic set another). Texts are in the participant's language.

What an event says is limited on purpose: a feed is read without signing in, by whoever holds the address, and
calendars get shared and synchronised to other services. So an event names the session's exercises and its
length and nothing else — no doses, toxin phase, symptoms or reasons — plus the warning signs line every program
carries (BRIEF §4.5). The participant's name is left out for the same reason.

UIDs are `session-<participant>-<date>-<n>@clinic-<clinic>.neuromotrix`, n counting the sessions of that day (in
practice always 1). The plan's own session number is not used: a program rebuilt from a new start date numbers
its sessions again from 1, and the events of unchanged days would change UID and be duplicated on re-import.
A day that an approved program had scheduled and a later one dropped is exported as a cancelled event, so an
imported file removes it too.

Feed tokens are shown once; only their SHA-256 is stored (like session and API tokens).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters import ics
from neuromotrix.adapters.db.tables import (
    calendar_feeds,
    clinics,
    participants,
    program_versions,
    scheduled_sessions,
    users,
)
from neuromotrix.adapters.security import new_token, token_hash
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.reminders import local_to_utc, parse_clock
from neuromotrix.services import admin, programs
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

FEED_PREFIX = "/calendar/"
MAX_LABEL = 100
# Enough for a phone, a tablet, a computer and a caregiver's devices; more is likely forgotten addresses.
MAX_ACTIVE_FEEDS = 10
CLI_ACTOR = "cli"
FEED_ACTOR = "calendar-feed"  # who the audit log names for a feed read: the address, not a signed-in user

CALENDAR_NAME = Text(en="NeuroMotrix sessions", fr="Séances NeuroMotrix")
CALENDAR_DESCRIPTION = Text(
    en="Your planned exercise sessions. Open NeuroMotrix for the exercises, doses and instructions.",
    fr="Vos séances d'exercices prévues. Ouvrez NeuroMotrix pour les exercices, les doses et les consignes.",
)
SUMMARY = Text(en="Exercise session (NeuroMotrix)", fr="Séance d'exercices (NeuroMotrix)")
CANCELLED_SUMMARY = Text(
    en="Cancelled: exercise session (NeuroMotrix)", fr="Annulée : séance d'exercices (NeuroMotrix)"
)
CANCELLED_TEXT = Text(
    en="Your program changed: no session is planned at this time any more.",
    fr="Votre programme a changé : aucune séance n'est plus prévue à ce moment.",
)
MINUTES = Text(en="About {minutes} minutes.", fr="Environ {minutes} minutes.")
EXERCISES = Text(en="Exercises:", fr="Exercices :")
OPEN_APP = Text(
    en="Start the session in NeuroMotrix: it shows each exercise, its dose and its instructions.",
    fr="Commencez la séance dans NeuroMotrix : chaque exercice y est présenté avec sa dose et ses consignes.",
)
# BRIEF §4.5: every program says to stop and seek help on the warning signs, with the clinic's numbers.
STOP_LINE = Text(
    en="Stop and seek help at once for chest pain or pressure, severe shortness of breath, dizziness or feeling "
    "faint, new weakness or numbness, a change in speech or vision, choking or trouble swallowing, sharp joint pain, "
    "a fall, or spasms getting stronger. In an emergency call {emergency}; for health advice call {health_line}.",
    fr="Arrêtez et demandez de l'aide immédiatement en cas de douleur ou de pression à la poitrine, d'essoufflement "
    "important, d'étourdissement ou de malaise, de faiblesse ou d'engourdissement nouveaux, de changement de la "
    "parole ou de la vision, d'étouffement ou de difficulté à avaler, de douleur articulaire vive, de chute ou de "
    "spasmes qui s'aggravent. En cas d'urgence, composez le {emergency}; pour un conseil santé, le {health_line}.",
)


@dataclass(frozen=True)
class Feed:
    """A subscription address as listed (never its token)."""

    id: int
    label: str
    created_at: dt.datetime
    created_by: str | None  # the name of who created it, None if that account is gone
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewFeed:
    feed_id: int
    token: str  # shown once, then only its hash exists

    @property
    def path(self) -> str:
        return feed_path(self.token)


def feed_path(token: str) -> str:
    return f"{FEED_PREFIX}{token}.ics"


# Exports --------------------------------------------------------------------------------------------------------


def export_calendar(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime, base_url: str) -> bytes:
    """The participant's sessions as an `.ics` file, for someone who may see them (NotFound otherwise). Audited."""
    participant_row(uow, actor, participant_id)
    document = session_calendar(uow, participant_id, base_url=base_url)
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "export", "calendar", str(participant_id), participant_id),
    )
    return ics.to_ics(document)


def export_calendar_cli(uow: UnitOfWork, reference: str, *, now: dt.datetime, base_url: str) -> tuple[int, bytes]:
    """`neuromotrix export ics`: the shell acts for the system, like the other administrative commands.
    `reference` is a participant id or their login email; (number of events, the file)."""
    participant = admin.participant_by_reference(uow, reference)
    participant_id = int(participant.id)
    document = session_calendar(uow, participant_id, base_url=base_url)
    audit_change(uow, AuditRecord(now, None, CLI_ACTOR, "export", "calendar", str(participant_id), participant_id))
    return len(document.events), ics.to_ics(document)


def feed_calendar(uow: UnitOfWork, token: str, *, now: dt.datetime, base_url: str) -> bytes:
    """The feed behind a subscription address; NotFound for an unknown or revoked token (and for a participant
    whose data was de-identified). Each fetch is audited as a read by the feed, and marks it used."""
    row = uow.connection.execute(
        sa.select(calendar_feeds.c.id, calendar_feeds.c.participant_id)
        .join(participants, participants.c.id == calendar_feeds.c.participant_id)
        .where(
            calendar_feeds.c.token_hash == token_hash(token),
            calendar_feeds.c.revoked_at.is_(None),
            participants.c.deidentified_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound("calendar")
    participant_id = int(row.participant_id)
    document = session_calendar(uow, participant_id, base_url=base_url)
    uow.connection.execute(calendar_feeds.update().where(calendar_feeds.c.id == row.id).values(last_used_at=now))
    audit_change(
        uow,
        AuditRecord(now, None, FEED_ACTOR, "read", "calendar", str(participant_id), participant_id, f"feed {row.id}"),
    )
    return ics.to_ics(document)


def session_calendar(uow: UnitOfWork, participant_id: int, *, base_url: str) -> ics.CalendarDocument:
    """The calendar of one participant (no permission check: the callers above do it)."""
    person = uow.connection.execute(
        sa.select(
            participants.c.language,
            participants.c.clinic_id,
            clinics.c.time_zone,
            clinics.c.emergency_number,
            clinics.c.health_line,
        )
        .join(clinics, clinics.c.id == participants.c.clinic_id)
        .where(participants.c.id == participant_id)
    ).one()
    language = "fr" if person.language == "fr" else "en"
    zone = ZoneInfo(person.time_zone)
    stop = STOP_LINE.in_language(language).format(emergency=person.emergency_number, health_line=person.health_line)
    versions = {
        int(row.id): row
        for row in uow.connection.execute(
            sa.select(*programs.VERSION_COLUMNS).where(program_versions.c.participant_id == participant_id)
        )
    }
    today_url = f"{base_url.rstrip('/')}/p/{participant_id}/today"
    domain = f"clinic-{person.clinic_id}.neuromotrix"
    events: list[ics.CalendarEvent] = []
    per_day: dict[dt.date, int] = defaultdict(int)
    scheduled = uow.connection.execute(
        sa.select(scheduled_sessions)
        .where(scheduled_sessions.c.participant_id == participant_id)
        .order_by(scheduled_sessions.c.scheduled_on, scheduled_sessions.c.session_index)
    ).all()
    for row in scheduled:
        version = versions[int(row.program_version_id)]
        session = programs.parsed_plan(uow, version)["_sessions_by_date"].get(row.scheduled_on.isoformat())
        per_day[row.scheduled_on] += 1
        minutes = int(session["minutes"]) if session else 0
        names = _exercise_names(session["blocks"] if session else [], language)
        events.append(
            ics.CalendarEvent(
                uid=_uid(participant_id, row.scheduled_on, per_day[row.scheduled_on], domain),
                starts_at=_local_start(row.scheduled_on, row.time, zone),
                minutes=max(minutes, 1),
                summary=SUMMARY.in_language(language),
                description=_description(language, minutes, names, stop),
                sequence=int(version.version),
                modified_at=_modified(version),
                url=today_url,
            )
        )
    events.extend(_cancelled(uow, participant_id, versions, scheduled, zone, domain, language))
    return ics.CalendarDocument(
        name=CALENDAR_NAME.in_language(language),
        description=CALENDAR_DESCRIPTION.in_language(language),
        time_zone=person.time_zone,
        language=language,
        events=tuple(events),
    )


def _uid(participant_id: int, day: dt.date, number: int, domain: str) -> str:
    return f"session-{participant_id}-{day.isoformat()}-{number}@{domain}"


def _local_start(day: dt.date, clock: str, zone: ZoneInfo) -> dt.datetime:
    """The session's start where the clinic is; a time in the hour skipped in spring moves an hour later, as the
    reminders do (domain/reminders.py `local_to_utc`)."""
    return local_to_utc(day, parse_clock(clock), zone).astimezone(zone)


def _modified(version: sa.Row[Any]) -> dt.datetime:
    moment: dt.datetime = version.approved_at or version.created_at
    return moment


def _exercise_names(blocks: list[dict[str, Any]], language: str) -> list[str]:
    """The catalog's names in `language`; a clinic's own exercise keeps the plan's words."""
    catalog = load_catalog()
    names: list[str] = []
    for block in blocks:
        compiled = catalog.exercises.get(block["exercise_id"])
        names.append(compiled.exercise.name.in_language(language) if compiled else str(block["name"]))
    return names


def _description(language: str, minutes: int, names: list[str], stop: str) -> str:
    lines = [MINUTES.in_language(language).format(minutes=minutes)]
    if names:
        lines += ["", EXERCISES.in_language(language), *(f"- {name}" for name in names)]
    lines += ["", OPEN_APP.in_language(language), "", stop]
    return "\n".join(lines)


def _cancelled(
    uow: UnitOfWork,
    participant_id: int,
    versions: dict[int, sa.Row[Any]],
    scheduled: Sequence[sa.Row[Any]],
    zone: ZoneInfo,
    domain: str,
    language: str,
) -> list[ics.CalendarEvent]:
    """Days an approved program scheduled (from the day it was approved on) that no session holds any more."""
    approved = sorted((row for row in versions.values() if row.approved_at is not None), key=lambda row: row.version)
    if not approved:
        return []
    held = {row.scheduled_on for row in scheduled}
    dropped: dict[dt.date, str] = {}
    for version in approved:
        from_day = version.approved_at.astimezone(zone).date()
        for date, session in programs.parsed_plan(uow, version)["_sessions_by_date"].items():
            day = dt.date.fromisoformat(date)
            if day >= from_day and day not in held:
                dropped[day] = str(session["time"])
    latest = approved[-1]
    return [
        ics.CalendarEvent(
            uid=_uid(participant_id, day, 1, domain),
            starts_at=_local_start(day, clock, zone),
            minutes=1,
            summary=CANCELLED_SUMMARY.in_language(language),
            description=CANCELLED_TEXT.in_language(language),
            sequence=int(latest.version),
            modified_at=_modified(latest),
            status="CANCELLED",
        )
        for day, clock in sorted(dropped.items())
    ]


# Subscription feeds ---------------------------------------------------------------------------------------------


def create_feed(uow: UnitOfWork, actor: Actor, participant_id: int, *, label: str, now: dt.datetime) -> NewFeed:
    """A new secret address for the participant's sessions; the token is returned once. Audited."""
    participant_row(uow, actor, participant_id)
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise InvalidRequest(
            f"Shorten the name to {MAX_LABEL} characters or fewer.",
            fr=f"Raccourcissez le nom à {MAX_LABEL} caractères ou moins.",
            field=("label",),
        )
    active = uow.connection.execute(
        sa.select(sa.func.count())
        .select_from(calendar_feeds)
        .where(calendar_feeds.c.participant_id == participant_id, calendar_feeds.c.revoked_at.is_(None))
    ).scalar_one()
    if active >= MAX_ACTIVE_FEEDS:
        raise Conflict(
            f"There are already {MAX_ACTIVE_FEEDS} calendar addresses in use. Turn off one you no longer use first.",
            fr=(
                f"Il y a déjà {MAX_ACTIVE_FEEDS} adresses de calendrier en usage. Désactivez d'abord une adresse dont vous ne "
                "vous servez plus."
            ),
        )
    token = new_token()
    feed_id = int(
        uow.connection.execute(
            calendar_feeds.insert()
            .values(
                participant_id=participant_id,
                token_hash=token_hash(token),
                label=label,
                created_by=actor.user_id,
                created_at=now,
            )
            .returning(calendar_feeds.c.id)
        ).scalar_one()
    )
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "create", "calendar_feed", str(feed_id), participant_id)
    )
    return NewFeed(feed_id, token)


def list_feeds(uow: UnitOfWork, actor: Actor, participant_id: int) -> list[Feed]:
    """Every address made for the participant, active ones first, newest first."""
    participant_row(uow, actor, participant_id)
    rows = uow.connection.execute(
        sa.select(calendar_feeds, users.c.name.label("creator"))
        .outerjoin(users, users.c.id == calendar_feeds.c.created_by)
        .where(calendar_feeds.c.participant_id == participant_id)
        .order_by(calendar_feeds.c.revoked_at.is_not(None), calendar_feeds.c.id.desc())
    ).all()
    return [
        Feed(
            id=int(row.id),
            label=str(row.label),
            created_at=row.created_at,
            created_by=row.creator,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )
        for row in rows
    ]


def revoke_feed(uow: UnitOfWork, actor: Actor, participant_id: int, feed_id: int, *, now: dt.datetime) -> None:
    """The address stops working at once. Anyone who may see the participant may turn off any of their addresses
    (a participant can end one their trainer made). Revoking twice changes nothing. Audited."""
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        sa.select(calendar_feeds.c.revoked_at).where(
            calendar_feeds.c.id == feed_id, calendar_feeds.c.participant_id == participant_id
        )
    ).first()
    if row is None:
        raise NotFound("calendar address")
    if row.revoked_at is not None:
        return
    uow.connection.execute(
        calendar_feeds.update().where(calendar_feeds.c.id == feed_id).values(revoked_at=now, revoked_by=actor.user_id)
    )
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "revoke", "calendar_feed", str(feed_id), participant_id)
    )
