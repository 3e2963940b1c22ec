"""Erasure and export at the service level, on SQLite and PostgreSQL: the retention period decides between
de-identification and deletion, a deletion leaves no row about the participant in any table (tables added
later included) but the request and the audit log, the export reaches every table that names a participant,
and only a clinic admin of the participant's clinic may act."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest, NotFound
from neuromotrix.services import erasure, export, privacy
from neuromotrix.services.access import Actor, Role
from tests.api.conftest import NOW, World, build_world

TODAY = NOW.date()


@pytest.fixture
def world(container: Container) -> Iterator[World]:
    built = build_world(container)
    yield built
    for client in built.clients.values():
        client.close()


def actor(world: World, persona: str, role: Role) -> Actor:
    return Actor(world.ids[persona], 1, role, f"{persona}@example.org", persona.title(), "en")


def set_retention(world: World, years: int) -> None:
    dana = actor(world, "dana", "admin")
    change = privacy.SettingsChange("", "", "", "", "", years)
    with world.container.uow(write=True) as uow:
        privacy.update_settings(uow, dana, change, now=NOW)
        uow.commit()


def rows_about(world: World, participant_id: int) -> dict[str, int]:
    with world.container.uow() as uow:
        found = {
            table.name: uow.connection.execute(
                sa.select(sa.func.count()).select_from(table).where(table.c.participant_id == participant_id)
            ).scalar_one()
            for table in t.metadata.sorted_tables
            if "participant_id" in table.c
        }
    return {name: count for name, count in found.items() if count}


def test_years_are_added_to_the_calendar_day() -> None:
    assert erasure.add_years(dt.date(2026, 11, 23), 10) == dt.date(2036, 11, 23)
    assert erasure.add_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
    assert erasure.add_years(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)


def test_without_retention_a_request_deletes_at_once(world: World) -> None:
    set_retention(world, 0)
    dana, alice = actor(world, "dana", "admin"), world.alice_id
    with world.container.uow(write=True) as uow:
        request_id = erasure.record_request(
            uow, dana, alice, requested_on=TODAY, requested_by="participant", now=NOW, today=TODAY
        )
        assert erasure.plan(uow, dana, request_id, today=TODAY).action == "delete"
        outcome = erasure.process(uow, dana, request_id, now=NOW, today=TODAY)
        uow.commit()
    assert outcome["action"] == "deleted" and outcome["retention_until"] == TODAY.isoformat()
    assert set(rows_about(world, alice)) == {"audit_log", "erasure_requests"}
    with world.container.uow() as uow:
        assert uow.connection.execute(sa.select(t.users).where(t.users.c.id == world.ids["alice"])).first() is None
        assert uow.connection.execute(sa.select(t.users).where(t.users.c.id == world.ids["carl"])).first() is not None
        with pytest.raises(Conflict, match="already carried out"):
            erasure.process(uow, dana, request_id, now=NOW, today=TODAY)


def test_the_retention_period_runs_from_the_last_activity(world: World) -> None:
    set_retention(world, 3)
    later = NOW + dt.timedelta(days=400)
    with world.container.uow(write=True) as uow:
        uow.connection.execute(
            t.profile_versions.update().where(t.profile_versions.c.version == 1).values(created_at=later)
        )
        person = uow.connection.execute(sa.select(t.participants).where(t.participants.c.id == world.alice_id)).one()
        kept = erasure.retention(uow, person)
    assert kept.last_activity_on == (later - dt.timedelta(hours=5)).date() and kept.years == 3
    assert kept.until == erasure.add_years(kept.last_activity_on, 3)
    assert not kept.ended(kept.until - dt.timedelta(days=1)) and kept.ended(kept.until)


def test_only_the_clinic_admin_records_and_processes(world: World) -> None:
    bob, dana = actor(world, "bob", "trainer"), actor(world, "dana", "admin")
    with world.container.uow(write=True) as uow:
        with pytest.raises(Forbidden):
            erasure.record_request(
                uow, bob, world.alice_id, requested_on=TODAY, requested_by="participant", now=NOW, today=TODAY
            )
        with pytest.raises(NotFound):
            erasure.record_request(uow, dana, 999, requested_on=TODAY, requested_by="participant", now=NOW, today=TODAY)
        with pytest.raises(InvalidRequest):
            erasure.record_request(
                uow, dana, world.alice_id, requested_on=TODAY, requested_by="neighbour", now=NOW, today=TODAY
            )
        request_id = erasure.record_request(
            uow, dana, world.alice_id, requested_on=TODAY, requested_by="participant", now=NOW, today=TODAY
        )
        with pytest.raises(Forbidden):
            erasure.process(uow, bob, request_id, now=NOW, today=TODAY)
        other = Actor(dana.user_id, 2, "admin", dana.email, dana.name, "en")
        with pytest.raises(NotFound):
            erasure.get_request(uow, other, request_id, today=TODAY)


def test_the_export_reaches_every_table_that_names_a_participant(world: World) -> None:
    dana = actor(world, "dana", "admin")
    with world.container.uow(write=True) as uow:
        document = export.export_participant(uow, dana, world.alice_id, now=NOW)
    covered = set(export.SECTIONED) | set(document["other_records"])
    naming = {table.name for table in t.metadata.sorted_tables if "participant_id" in table.c}
    assert naming <= covered, "a table that names a participant is missing from the export"
    assert "audit_log" not in document and document["participant"]["id"] == world.alice_id
    with world.container.uow() as uow, pytest.raises(Forbidden):
        export.export_participant(uow, actor(world, "bob", "trainer"), world.alice_id, now=NOW)
