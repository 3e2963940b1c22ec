"""services/assessments.py on SQLite and PostgreSQL: score series with their change labels, what is due around an
injection, clinic-entered licensed wording, imports, and people who may not see a participant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db.tables import participants, users
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import Forbidden, InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import ChangeLabel
from neuromotrix.services import accounts, assessments, demo, records
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, World, build_world

TODAY = NOW.date()
BASELINE = TODAY - dt.timedelta(days=28)


@pytest.fixture
def world(container: Container) -> Iterator[World]:
    built = build_world(container)
    yield built
    for client in built.clients.values():
        client.close()


def actor(world: World, persona: str) -> Actor:
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(users).where(users.c.id == world.ids[persona])).one()
        return accounts.actor_from_row(row, second_factor=True)


def record(world: World, persona: str, instrument: str, taken_on: dt.date, **answers: float | None) -> None:
    with world.container.uow(write=True) as uow:
        assessments.record_assessment(
            uow, actor(world, persona), world.alice_id, instrument=instrument, taken_on=taken_on, answers=answers,
            source="web", today=TODAY, now=NOW,
        )  # fmt: skip
        uow.commit()


def series(world: World, **dates: dt.date) -> dict[tuple[str, str], assessments.ScaleSeries]:
    with world.container.uow() as uow:
        found = assessments.score_series(uow, actor(world, "bob"), world.alice_id, **dates)
    return {(item.instrument, item.scale): item for item in found}


def test_each_scale_compares_its_latest_score_with_its_first(world: World) -> None:
    record(world, "alice", "pain_nrs", BASELINE, now=8, average_24h=8)
    record(world, "alice", "pain_nrs", BASELINE + dt.timedelta(days=14), now=7, average_24h=None)
    record(world, "alice", "pain_nrs", TODAY, now=5, average_24h=7)
    record(world, "bob", "tug", BASELINE, seconds=15.5)
    record(world, "bob", "tug", TODAY, seconds=14)
    record(world, "bob", "berg", TODAY, **dict.fromkeys(_berg_items(), 3))
    found = series(world)
    now = found[("pain_nrs", "now")]
    assert [point.value for point in now.points] == [8, 7, 5]
    assert now.change is not None and now.change.label == ChangeLabel.CLINICALLY_MEANINGFUL and now.change.improved
    average = found[("pain_nrs", "average_24h")]
    assert [point.value for point in average.points] == [8, 7]  # the unanswered item has no point
    assert average.change is not None and average.change.label == ChangeLabel.NONE
    tug = found[("tug", "seconds")]
    assert tug.change is not None and tug.change.label == ChangeLabel.NONE  # 1.5 s: within the 3.5 s MDC
    assert found[("berg", "total")].change is None  # a single score: nothing to compare
    later = series(world, start=BASELINE + dt.timedelta(days=1))
    assert [point.value for point in later[("pain_nrs", "now")].points] == [7, 5]
    assert ("tug", "seconds") in later and later[("tug", "seconds")].change is None


def _berg_items() -> list[str]:
    return [item.key for item in assessments.registry_instrument("berg").items]


def test_a_pre_injection_reassessment_falls_due_in_the_week_before_the_next_injection(world: World) -> None:
    # Alice's last injection (in her profile) was on 2026-11-05: the next is expected 12 weeks later, 2027-01-28.
    with world.container.uow() as uow:
        bob = actor(world, "bob")
        expected = dt.date(2027, 1, 28)
        before = assessments.due_for(uow, bob, world.alice_id, today=expected - dt.timedelta(days=3))
        after = assessments.due_for(uow, bob, world.alice_id, today=expected + dt.timedelta(days=1))
    pre = [item for item in before if item.reason == "pre_injection"]
    assert {item.instrument for item in pre} >= {"pain_nrs", "pgic", "tug"}
    assert {(item.due_from, item.due_by) for item in pre} == {(expected - dt.timedelta(days=7), expected - dt.timedelta(days=1))}  # fmt: skip
    assert all(item.reason != "pre_injection" for item in after)


def test_a_recorded_injection_moves_the_pre_injection_window(world: World) -> None:
    bob = actor(world, "bob")
    with world.container.uow(write=True) as uow:
        records.record_injection(
            uow, bob, world.alice_id, injected_on=TODAY, regions=["neck"], product=None, dose_units=None, now=NOW,
            today=TODAY,
        )  # fmt: skip
        uow.commit()
    expected = TODAY + dt.timedelta(weeks=12)
    with world.container.uow() as uow:
        due = assessments.due_for(uow, bob, world.alice_id, today=expected - dt.timedelta(days=2))
    assert any(item.reason == "pre_injection" and item.due_by == expected - dt.timedelta(days=1) for item in due)


def test_licensed_wording_belongs_to_the_clinic_that_entered_it(world: World) -> None:
    bob = actor(world, "bob")
    with world.container.uow(write=True) as uow:
        other_clinic = accounts.create_clinic(uow, "Clinique Autre", now=NOW)
        texts = {"q1": Text(en="Getting around in public", fr="Se déplacer en public")}
        assessments.set_instrument_texts(uow, bob, "pdq8", texts, now=NOW)
        uow.commit()
    with world.container.uow() as uow:
        ours = assessments.instrument_for_clinic(uow, bob.clinic_id, "pdq8")
        theirs = assessments.instrument_for_clinic(uow, other_clinic, "pdq8")
    assert ours.item("q1").text == Text(en="Getting around in public", fr="Se déplacer en public")
    assert ours.item("q2").text is None
    assert theirs.item("q1").text is None
    with world.container.uow(write=True) as uow, pytest.raises(Forbidden):
        assessments.set_instrument_texts(uow, actor(world, "alice"), "pdq8", texts, now=NOW)


def test_an_import_is_recorded_as_imported(world: World) -> None:
    with world.container.uow(write=True) as uow:
        found = assessments.record_assessment(
            uow, actor(world, "bob"), world.alice_id, instrument="pgic", taken_on=TODAY, answers={"global_change": 2},
            source="fhir", today=TODAY, now=NOW,
        )  # fmt: skip
        uow.commit()
    assert (found.entered_as, found.source, found.scores) == ("import", "fhir", {"global_change": 2})
    with world.container.uow(write=True) as uow, pytest.raises(InvalidRequest) as refused:
        assessments.record_assessment(
            uow, actor(world, "bob"), world.alice_id, instrument="pgic", taken_on=TODAY, answers={"global_change": 2},
            source="fax", today=TODAY, now=NOW,
        )  # fmt: skip
    assert refused.value.field == ("source",)


def test_people_who_may_not_see_alice_get_not_found(world: World) -> None:
    charlie = actor(world, "charlie")
    with world.container.uow() as uow:
        for call in (
            lambda: assessments.list_assessments(uow, charlie, world.alice_id),
            lambda: assessments.score_series(uow, charlie, world.alice_id),
            lambda: assessments.due_for(uow, charlie, world.alice_id, today=TODAY),
        ):
            with pytest.raises(NotFound):
                call()
    with world.container.uow(write=True) as uow, pytest.raises(NotFound):
        assessments.record_assessment(
            uow, charlie, world.alice_id, instrument="pgic", taken_on=TODAY, answers={"global_change": 2},
            source="web", today=TODAY, now=NOW,
        )  # fmt: skip
    with world.container.uow(write=True) as uow, pytest.raises(Forbidden):
        assessments.record_assessment(
            uow, actor(world, "carl"), world.alice_id, instrument="berg", taken_on=TODAY,
            answers=dict.fromkeys(_berg_items(), 2), source="web", today=TODAY, now=NOW,
        )  # fmt: skip


def test_the_demo_clinic_shows_scores_and_a_meaningful_change(container: Container) -> None:
    container.clock = lambda: NOW
    demo.seed_demo(container, now=NOW)
    with container.uow() as uow:
        bob = accounts.actor_from_row(
            uow.connection.execute(sa.select(users).where(users.c.email == "bob@example.org")).one(), second_factor=True
        )
        people = dict(
            uow.connection.execute(
                sa.select(users.c.email, participants.c.id).join(participants, participants.c.user_id == users.c.id)
            ).all()
        )
        alice = assessments.score_series(uow, bob, people["alice@example.org"])
        paul = assessments.list_assessments(uow, bob, people["paul@example.org"])
    by_scale = {(item.instrument, item.scale): item for item in alice}
    start = TODAY - dt.timedelta(weeks=6)
    assert [point.taken_on for point in by_scale[("pain_nrs", "now")].points] == [start, start + dt.timedelta(weeks=4)]
    pain_change = by_scale[("pain_nrs", "now")].change
    tug_change = by_scale[("tug", "seconds")].change
    assert pain_change is not None and pain_change.label == ChangeLabel.CLINICALLY_MEANINGFUL
    assert tug_change is not None and tug_change.label == ChangeLabel.BEYOND_MEASUREMENT_ERROR
    assert {(record.instrument, record.entered_as) for record in paul} == {
        ("pain_nrs", "participant"), ("chair_stand_30s", "trainer"),
    }  # fmt: skip
