"""The sessions as a calendar (issue 5 item 4): the `.ics` export parsed back with icalendar, the private
subscription feeds and `neuromotrix export ics`, on SQLite and PostgreSQL.

Alice (cervical dystonia, French) has a trainer, Bob, and a caregiver, Carl; Charlie is another trainer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from icalendar import Calendar, Event
from typer.testing import CliRunner

from neuromotrix.adapters import ics
from neuromotrix.adapters.db.tables import audit_log, calendar_feeds, clinics, scheduled_sessions
from neuromotrix.bootstrap import Container
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.reminders import local_to_utc
from neuromotrix.entrypoints.cli import app
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import accounts, participants, programs
from neuromotrix.services import calendar_feeds as feeds
from neuromotrix.services.access import Actor, Role
from neuromotrix.settings import Settings
from tests.api.conftest import example_profile

MONTREAL = ZoneInfo("America/Montreal")
BASE_URL = "https://neuromotrix.example.org"
PEOPLE: tuple[tuple[str, Role], ...] = (
    ("bob", "trainer"),
    ("charlie", "trainer"),
    ("carl", "caregiver"),
    ("alice", "participant"),
)
runner = CliRunner()


@dataclass
class World:
    box: Container
    actors: dict[str, Actor]
    alice_id: int

    @property
    def alice(self) -> Actor:
        return self.actors["alice"]

    @property
    def bob(self) -> Actor:
        return self.actors["bob"]

    @property
    def carl(self) -> Actor:
        return self.actors["carl"]

    @property
    def charlie(self) -> Actor:
        return self.actors["charlie"]


def profile(*, start_on: str, time_of_day: str | None = None, sessions_per_week: int = 3) -> dict[str, Any]:
    document = example_profile()
    document["preferences"] |= {"start_on": start_on, "weeks": 4, "sessions_per_week": sessions_per_week}
    if time_of_day is not None:
        document["preferences"]["time_of_day"] = time_of_day
    return document


def build(box: Container, *, now: dt.datetime, document: dict[str, Any]) -> World:
    """Alice enrolled by Bob with an approved program, Carl linked to her."""
    with box.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Demo", now=now)
        actors: dict[str, Actor] = {}
        for name, role in PEOPLE:
            language = "fr" if name == "alice" else "en"
            user_id = accounts.create_user(
                uow, clinic_id=clinic, email=f"{name}@example.org", name=name.title(), role=role, now=now,
                password="correct horse battery", language=language,
            )  # fmt: skip
            actors[name] = Actor(user_id, clinic, role, f"{name}@example.org", name.title(), language)
        alice_id = participants.enrol(
            uow, actors["bob"], display_name="Alice", language="fr", profile=parse_profile(document), now=now,
            today=now.astimezone(MONTREAL).date(), user_id=actors["alice"].user_id,
        )  # fmt: skip
        draft = programs.generate(uow, actors["bob"], alice_id, now=now, reason="intake")
        programs.approve(uow, actors["bob"], alice_id, draft.version, now=now)
        participants.link_caregiver(
            uow, caregiver_id=actors["carl"].user_id, participant_id=alice_id, consent_by="participant",
            consent_name="Alice", now=now,
        )  # fmt: skip
        uow.commit()
    return World(box, actors, alice_id)


NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 10:00 in Montréal, Alice's first session day


@pytest.fixture
def world(container: Container) -> World:
    return build(container, now=NOW, document=profile(start_on="2026-11-23"))


def export(world: World, *, now: dt.datetime = NOW) -> bytes:
    with world.box.uow(write=True) as uow:
        content = feeds.export_calendar(uow, world.bob, world.alice_id, now=now, base_url=BASE_URL)
        uow.commit()
    return content


def events_of(content: bytes) -> list[Event]:
    return list(Calendar.from_ical(content).events)


def scheduled(world: World) -> list[sa.Row[Any]]:
    with world.box.uow() as uow:
        return list(
            uow.connection.execute(
                sa.select(scheduled_sessions)
                .where(scheduled_sessions.c.participant_id == world.alice_id)
                .order_by(scheduled_sessions.c.scheduled_on)
            )
        )


def plan_session(world: World, day: dt.date) -> dict[str, Any]:
    with world.box.uow() as uow:
        _, session = programs.session_on(uow, world.alice_id, day)
    assert session is not None
    return session


# The file --------------------------------------------------------------------------------------------------------


def test_one_event_per_scheduled_session_at_its_time_in_montreal(world: World) -> None:
    content = export(world)
    calendar = Calendar.from_ical(content)
    events = list(calendar.events)
    planned = scheduled(world)
    assert len(events) == len(planned) == 12  # 4 weeks of 3 sessions
    assert [event.start.date() for event in events] == [row.scheduled_on for row in planned]
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Montreal"]
    for event, row in zip(events, planned, strict=True):
        assert event.start.tzinfo is not None and str(event.start.tzinfo) == "America/Montreal"
        assert (event.start.hour, event.start.minute) == (10, 0)  # the profile's default time_of_day
        minutes = plan_session(world, row.scheduled_on)["minutes"]
        assert event.end - event.start == dt.timedelta(minutes=minutes)
        assert event["STATUS"] == "CONFIRMED"
    assert b"DTSTART;TZID=America/Montreal:20261123T100000" in content


def test_events_are_in_the_participants_language_and_name_only_the_exercises(world: World) -> None:
    [first, *_] = events_of(export(world))
    assert first["SUMMARY"] == "Séance d'exercices (NeuroMotrix)"
    assert first["SUMMARY"].params["LANGUAGE"] == "fr"
    description = str(first["DESCRIPTION"])
    session = plan_session(world, first.start.date())
    catalog = load_catalog()
    names = [catalog.exercises[block["exercise_id"]].exercise.name.fr for block in session["blocks"]]
    assert f"Environ {session['minutes']} minutes." in description
    assert all(f"- {name}" in description for name in names)
    assert "Arrêtez et demandez de l'aide immédiatement" in description and "composez le 911" in description
    # No health detail beyond the exercise names: no doses, levels, toxin phase, reasons or the person's name.
    assert not [word for word in ("série", "répétition", "niveau", "toxine", "effort") if word in description.lower()]
    assert "Alice" not in description and "Alice" not in str(first["SUMMARY"])
    assert first["URL"] == f"{BASE_URL}/p/{world.alice_id}/today"
    assert first["CLASS"] == "PRIVATE"


def test_uids_are_unique_and_two_exports_are_the_same_file(world: World) -> None:
    first, second = export(world), export(world, now=NOW + dt.timedelta(hours=5))
    assert first == second
    uids = [str(event["UID"]) for event in events_of(first)]
    assert len(set(uids)) == len(uids)
    with world.box.uow() as uow:
        clinic_id = uow.connection.execute(sa.select(clinics.c.id)).scalar_one()
    assert uids[0] == f"session-{world.alice_id}-2026-11-23-1@clinic-{clinic_id}.neuromotrix"


def test_a_program_change_keeps_the_uids_and_raises_the_sequence_of_the_sessions_it_changes(world: World) -> None:
    before = {str(event["UID"]): event for event in events_of(export(world))}
    later = NOW + dt.timedelta(days=7)  # 2026-11-30, the second week
    exercise_id = plan_session(world, dt.date(2026, 11, 23))["blocks"][0]["exercise_id"]
    with world.box.uow(write=True) as uow:
        programs.edit(
            uow, world.bob, world.alice_id, exercise_id=exercise_id, reason="Easier for now", dose={"sets": 1},
            now=later, today=later.astimezone(MONTREAL).date(),
        )  # fmt: skip
        uow.commit()
    after = {str(event["UID"]): event for event in events_of(export(world, now=later))}
    assert set(after) == set(before)
    for uid, event in after.items():
        if event.start.date() < dt.date(2026, 11, 30):  # past sessions stay as they were
            assert event["SEQUENCE"] == before[uid]["SEQUENCE"] == 1
        else:
            assert event["SEQUENCE"] == 2 > before[uid]["SEQUENCE"]
            assert event["DTSTAMP"].dt == later and event["LAST-MODIFIED"].dt == later


def test_a_day_dropped_by_a_new_program_is_exported_cancelled_under_its_old_uid(world: World) -> None:
    before = {str(event["UID"]): event for event in events_of(export(world))}
    later = NOW + dt.timedelta(days=7)
    fewer = profile(start_on="2026-11-23", sessions_per_week=2)
    with world.box.uow(write=True) as uow:
        participants.add_profile_version(
            uow, world.bob, world.alice_id, parse_profile(fewer), reason="two sessions a week", now=later,
            today=later.astimezone(MONTREAL).date(),
        )  # fmt: skip
        draft = programs.generate(uow, world.bob, world.alice_id, now=later, reason="profile")
        programs.approve(uow, world.bob, world.alice_id, draft.version, now=later)
        uow.commit()
    after = events_of(export(world, now=later))
    cancelled = [event for event in after if event["STATUS"] == "CANCELLED"]
    confirmed = [event for event in after if event["STATUS"] == "CONFIRMED"]
    assert cancelled, "three sessions a week became two: some days are gone"
    assert len(confirmed) == len(scheduled(world))
    assert {str(event["UID"]) for event in after} >= set(before), "every earlier event is updated, none left over"
    for event in cancelled:
        assert event.start.date() >= dt.date(2026, 11, 30)
        assert event["SEQUENCE"] > before[str(event["UID"])]["SEQUENCE"]


def test_the_clinics_own_time_zone(world: World) -> None:
    with world.box.uow(write=True) as uow:
        uow.connection.execute(clinics.update().values(time_zone="Europe/Paris"))
        uow.commit()
    calendar = Calendar.from_ical(export(world))
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    first = next(iter(calendar.events))
    assert str(first.start.tzinfo) == "Europe/Paris" and (first.start.hour, first.start.minute) == (10, 0)


@pytest.mark.parametrize(
    ("start_on", "change_on", "before", "after"),
    [
        pytest.param(dt.date(2027, 2, 22), dt.date(2027, 3, 14), -5, -4, id="spring-forward"),
        pytest.param(dt.date(2026, 10, 19), dt.date(2026, 11, 1), -4, -5, id="fall-back"),
    ],
)
def test_sessions_keep_their_local_time_across_a_daylight_saving_change(
    container: Container, start_on: dt.date, change_on: dt.date, before: int, after: int
) -> None:
    start = dt.datetime.combine(start_on, dt.time(15), tzinfo=dt.UTC)
    world = build(container, now=start, document=profile(start_on=start_on.isoformat(), time_of_day="09:30"))
    events = events_of(export(world, now=start))
    assert len(events) == 12
    assert {(event.start.hour, event.start.minute) for event in events} == {(9, 30)}
    offsets = {event.start.date(): event.start.utcoffset() for event in events}
    assert {offset for day, offset in offsets.items() if day < change_on} == {dt.timedelta(hours=before)}
    assert {offset for day, offset in offsets.items() if day >= change_on} == {dt.timedelta(hours=after)}
    utc = {event.start.astimezone(dt.UTC).time() for event in events}
    assert utc == {dt.time(9 - before, 30), dt.time(9 - after, 30)}


def test_only_people_who_may_see_the_participant_export(world: World) -> None:
    with world.box.uow(write=True) as uow, pytest.raises(NotFound):
        feeds.export_calendar(uow, world.charlie, world.alice_id, now=NOW, base_url=BASE_URL)
    for who in ("alice", "carl", "bob"):
        with world.box.uow(write=True) as uow:
            assert feeds.export_calendar(uow, world.actors[who], world.alice_id, now=NOW, base_url=BASE_URL)


ZONES = ("America/Montreal", "America/Vancouver", "Europe/Paris", "Australia/Sydney", "UTC")


@examples(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
    clock=st.times(),
    minutes=st.integers(min_value=1, max_value=180),
)
def test_any_start_and_length_round_trip_through_the_file(
    zone: str, day: dt.date, clock: dt.time, minutes: int
) -> None:
    """Whatever the zone and the day (daylight-saving days included), the instant written is the instant read."""
    tz = ZoneInfo(zone)
    starts_at = local_to_utc(day, clock.replace(second=0, microsecond=0), tz).astimezone(tz)
    modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    event = ics.CalendarEvent("u@x", starts_at, minutes, "Séance", "Exercices :\n- Un, deux; trois", 3, modified)
    content = ics.to_ics(ics.CalendarDocument("Séances", "d", zone, "fr", [event]))
    [read] = events_of(content)
    assert read.start == starts_at and read.start.utcoffset() == starts_at.utcoffset()
    assert read.end - read.start == dt.timedelta(minutes=minutes)
    assert str(read["DESCRIPTION"]) == "Exercices :\n- Un, deux; trois" and read["SEQUENCE"] == 3


# Subscription feeds ------------------------------------------------------------------------------------------


def test_a_feed_serves_the_calendar_until_it_is_revoked(world: World) -> None:
    with world.box.uow(write=True) as uow:
        made = feeds.create_feed(uow, world.alice, world.alice_id, label="  Mon   téléphone ", now=NOW)
        uow.commit()
    assert made.path == f"/calendar/{made.token}.ics"
    later = NOW + dt.timedelta(hours=3)
    with world.box.uow(write=True) as uow:
        served = feeds.feed_calendar(uow, made.token, now=later, base_url=BASE_URL)
        uow.commit()
    assert served == export(world)
    with world.box.uow() as uow:
        [feed] = feeds.list_feeds(uow, world.carl, world.alice_id)
        stored = uow.connection.execute(sa.select(calendar_feeds.c.token_hash)).scalar_one()
    assert (feed.label, feed.created_by, feed.last_used_at, feed.active) == ("Mon téléphone", "Alice", later, True)
    assert made.token not in stored and len(stored) == 64, "only the token's hash is kept"
    with world.box.uow(write=True) as uow:
        feeds.revoke_feed(uow, world.carl, world.alice_id, made.feed_id, now=later)
        feeds.revoke_feed(uow, world.carl, world.alice_id, made.feed_id, now=later)  # twice: nothing more
        uow.commit()
    with world.box.uow(write=True) as uow, pytest.raises(NotFound):
        feeds.feed_calendar(uow, made.token, now=later, base_url=BASE_URL)
    with world.box.uow(write=True) as uow, pytest.raises(NotFound):
        feeds.feed_calendar(uow, "not-a-token", now=later, base_url=BASE_URL)
    with world.box.uow() as uow:
        [feed] = feeds.list_feeds(uow, world.bob, world.alice_id)
        audited = uow.connection.execute(
            sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.object_type)
            .where(audit_log.c.object_type.in_(("calendar_feed", "calendar")))
            .order_by(audit_log.c.id)
        ).all()
    assert feed.revoked_at == later and not feed.active
    assert [tuple(row) for row in audited] == [
        ("alice@example.org", "create", "calendar_feed"),
        ("calendar-feed", "read", "calendar"),
        ("bob@example.org", "export", "calendar"),
        ("carl@example.org", "revoke", "calendar_feed"),
    ]


def test_feeds_of_someone_one_may_not_see_are_not_found(world: World) -> None:
    with world.box.uow(write=True) as uow:
        made = feeds.create_feed(uow, world.bob, world.alice_id, label="", now=NOW)
        uow.commit()
    with world.box.uow(write=True) as uow:
        with pytest.raises(NotFound):
            feeds.create_feed(uow, world.charlie, world.alice_id, label="", now=NOW)
        with pytest.raises(NotFound):
            feeds.list_feeds(uow, world.charlie, world.alice_id)
        with pytest.raises(NotFound):
            feeds.revoke_feed(uow, world.charlie, world.alice_id, made.feed_id, now=NOW)
        with pytest.raises(NotFound):  # a feed id of another participant is not found either
            feeds.revoke_feed(uow, world.bob, world.alice_id, made.feed_id + 1000, now=NOW)


def test_a_long_label_and_too_many_feeds_are_refused_with_what_to_do(world: World) -> None:
    with world.box.uow(write=True) as uow:
        with pytest.raises(InvalidRequest, match="Shorten the name"):
            feeds.create_feed(uow, world.alice, world.alice_id, label="x" * 101, now=NOW)
        for _ in range(feeds.MAX_ACTIVE_FEEDS):
            feeds.create_feed(uow, world.alice, world.alice_id, label="", now=NOW)
        with pytest.raises(Conflict, match="Turn off one"):
            feeds.create_feed(uow, world.alice, world.alice_id, label="", now=NOW)


# `neuromotrix export ics` ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("NEUROMOTRIX_DATABASE_URL", database_url)
    box = Container(Settings(database_url=database_url, jobs=False))
    box.migrate()
    try:
        yield build(box, now=NOW, document=profile(start_on="2026-11-23"))
    finally:
        box.close()


def test_cli_writes_the_file_by_id_or_email(cli_world: World, tmp_path: Path) -> None:
    by_id, by_email = tmp_path / "by-id.ics", tmp_path / "by-email.ics"
    result = runner.invoke(app, ["export", "ics", str(cli_world.alice_id), "-o", str(by_id)])
    assert result.exit_code == 0, result.output
    assert "wrote 12 session(s)" in result.stderr
    result = runner.invoke(app, ["export", "ics", "Alice@Example.org", "--output", str(by_email)])
    assert result.exit_code == 0, result.output
    assert by_id.read_bytes() == by_email.read_bytes()
    to_stdout = runner.invoke(app, ["export", "ics", str(cli_world.alice_id), "-o", "-"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout_bytes == by_id.read_bytes()
    events = events_of(by_id.read_bytes())
    assert len(events) == 12 and str(events[0]["SUMMARY"]) == "Séance d'exercices (NeuroMotrix)"
    with cli_world.box.uow() as uow:
        actors = uow.connection.execute(
            sa.select(audit_log.c.actor).where(audit_log.c.object_type == "calendar", audit_log.c.action == "export")
        ).scalars()
        assert list(actors) == ["cli", "cli", "cli"]


def test_cli_refuses_an_unknown_participant_with_exit_2(cli_world: World, tmp_path: Path) -> None:
    target = tmp_path / "nobody.ics"
    for reference in ("9999", "nobody@example.org"):
        result = runner.invoke(app, ["export", "ics", reference, "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert f"participant {reference}" in result.stderr
    assert not target.exists(), "nothing is written"
