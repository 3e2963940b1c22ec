"""A clinic's own exercises in its participants' programs, on SQLite and PostgreSQL: planned under the catalog's
eligibility and safety rules for that clinic only, adapted like any other, and deleted or retired.

The persona world is tests/api's: Bob trains at the Clinique Demo; Olga trains at another clinic. Eve is a new
participant with the cervical dystonia example profile (pulled to the right; goals neck control, less pain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import (
    accounts,
    clinic_catalog,
    library,
    media,
    participants,
    program_changes,
    programs,
    templates,
)
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, World, build_world, example_profile
from tests.web.test_library_permissions import exercise_document, png


@pytest.fixture
def world(container: Container) -> Iterator[World]:
    built = build_world(container)
    yield built
    for client in built.clients.values():
        client.close()


def bob(world: World) -> Actor:
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(t.users).where(t.users.c.id == world.ids["bob"])).one()
    return Actor(row.id, row.clinic_id, row.role, row.email, row.name, row.language, True)


def olga(world: World) -> Actor:
    """A trainer of another clinic."""
    with world.container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Centre Sainte-Émilie", now=NOW)
        user = accounts.create_user(
            uow, clinic_id=clinic, email="olga@example.org", name="Olga", role="trainer", now=NOW,
            password="a long enough password", language="fr",
        )  # fmt: skip
        uow.commit()
    return Actor(user, clinic, "trainer", "olga@example.org", "Olga", "fr", True)


def fitting_exercise(**changes: Any) -> dict[str, Any]:
    """A seated shoulder-blade squeeze for Eve's own goals: a better fit than some catalog exercises."""
    return exercise_document(goals=["neck_control", "reduce_pain"]) | changes


def add(world: World, trainer: Actor, document: dict[str, Any]) -> str:
    with world.container.uow(write=True) as uow:
        exercise_id = library.create_custom(uow, trainer, document, now=NOW)
        uow.commit()
    return exercise_id


def enrol(world: World, trainer: Actor, *, approve: bool = True) -> int:
    with world.container.uow(write=True) as uow:
        person = participants.enrol(
            uow, trainer, display_name="Eve", language="fr", profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(),
        )  # fmt: skip
        draft = programs.generate(uow, trainer, person, now=NOW, reason="intake")
        if approve:
            programs.approve(uow, trainer, person, draft.version, now=NOW)
        uow.commit()
    return person


def planned(world: World, participant_id: int) -> set[str]:
    with world.container.uow() as uow:
        row = programs.latest_version(uow, participant_id)
        assert row is not None
        plan = programs.parsed_plan(uow, row)
    return {block["exercise_id"] for session in plan["_sessions_by_date"].values() for block in session["blocks"]}


def excluded(world: World, participant_id: int) -> set[str]:
    with world.container.uow() as uow:
        row = programs.latest_version(uow, participant_id)
        assert row is not None
        plan = programs.parsed_plan(uow, row)
    return {item["exercise_id"] for item in plan["excluded"]}


def test_a_clinic_exercise_is_planned_for_that_clinics_participants_only(world: World) -> None:
    trainer, other = bob(world), olga(world)
    own = add(world, trainer, fitting_exercise())
    theirs = add(world, other, fitting_exercise())
    assert own == theirs == "XA01", "each clinic numbers its own exercises"
    eve = enrol(world, trainer)
    assert own in planned(world, eve)
    with world.container.uow(write=True) as uow:  # Olga's clinic removes its own: Eve's program is unchanged
        library.remove_custom(uow, other, theirs, now=NOW)
        uow.commit()
    assert own in planned(world, eve)
    zoe = enrol(world, other)
    assert "XA01" not in planned(world, zoe), "Olga's clinic has no exercise left: the shipped catalog only"


def test_another_clinics_exercise_never_reaches_a_program(world: World) -> None:
    add(world, olga(world), fitting_exercise())
    eve = enrol(world, bob(world))
    assert not any(key.startswith(library.CUSTOM_PREFIX) for key in planned(world, eve) | excluded(world, eve))


def test_a_contraindicated_clinic_exercise_is_left_out_with_its_reason(world: World) -> None:
    trainer = bob(world)
    rule = {
        "code": "rotation_right",
        "when": {
            "all": [{"fact": "cervical.present", "is": True}, {"fact": "cervical.rotation.toward", "eq": "right"}]
        },
        "text": {"en": "Not with a head turned to the right.", "fr": "Pas avec une tête tournée vers la droite."},
        "refs": ["R61"],
    }
    unsafe = add(world, trainer, fitting_exercise(contraindications=[rule]))
    eve = enrol(world, trainer)
    assert unsafe not in planned(world, eve)
    assert unsafe in excluded(world, eve), "the program says why it was left out"


def test_adaptation_and_overrides_know_a_clinic_exercises_levels(world: World) -> None:
    trainer = bob(world)
    own = add(world, trainer, fitting_exercise())
    eve = enrol(world, trainer)
    with world.container.uow(write=True) as uow:
        row = program_changes.override(
            uow, trainer, eve, exercise_id=own, level=3, paused=False, release=False, reason="Ready for more",
            now=NOW, today=NOW.date(),
        )  # fmt: skip
        uow.commit()
        plan = programs.parsed_plan(uow, row)
    levels = {block["level"] for s in plan["_sessions_by_date"].values() for block in s["blocks"] if block["exercise_id"] == own}  # fmt: skip
    assert levels == {3}
    with pytest.raises(Exception, match="levels 1 to 3"), world.container.uow(write=True) as uow:
        program_changes.override(
            uow, trainer, eve, exercise_id=own, level=4, paused=False, release=False, reason="Too far",
            now=NOW, today=NOW.date(),
        )  # fmt: skip


def test_the_cache_sees_every_change(world: World) -> None:
    trainer = bob(world)
    with world.container.uow() as uow:
        empty = clinic_catalog.for_clinic(uow, trainer.clinic_id)
        assert clinic_catalog.for_clinic(uow, trainer.clinic_id) is empty, "built once"
    own = add(world, trainer, fitting_exercise())
    with world.container.uow() as uow:
        added = clinic_catalog.for_clinic(uow, trainer.clinic_id)
    assert own in added.planning.exercises and own not in empty.planning.exercises
    changed = fitting_exercise(name={"en": "Shoulder-blade squeeze", "fr": "Serrement des omoplates"})
    with world.container.uow(write=True) as uow:
        library.update_custom(uow, trainer, own, changed, now=NOW + dt.timedelta(minutes=1))
        uow.commit()
    with world.container.uow() as uow:
        edited = clinic_catalog.for_clinic(uow, trainer.clinic_id)
    assert edited.complete.exercises[own].exercise.name.en == "Shoulder-blade squeeze"


# Delete or retire -------------------------------------------------------------------------------------------


def test_an_unused_clinic_exercise_is_deleted_with_its_media(world: World) -> None:
    trainer = bob(world)
    own = add(world, trainer, exercise_document())
    with world.container.uow(write=True) as uow:
        media.add_media(uow, trainer, own, content=png(), alt_en="Start", alt_fr="Départ", now=NOW)
        assert not library.usage(uow, trainer, own).used
        assert library.remove_custom(uow, trainer, own, now=NOW) == "deleted"
        uow.commit()
    with world.container.uow() as uow:
        with pytest.raises(NotFound):
            library.get(uow, trainer, own)
        left = uow.connection.execute(sa.select(sa.func.count()).select_from(t.exercise_media)).scalar_one()
        actions = uow.connection.execute(
            sa.select(t.audit_log.c.action).where(t.audit_log.c.object_id == own).order_by(t.audit_log.c.id)
        ).scalars()
        assert (left, list(actions)) == (0, ["create", "delete"])


def test_a_used_clinic_exercise_is_retired_kept_for_old_programs_and_can_come_back(world: World) -> None:
    trainer = bob(world)
    own = add(world, trainer, fitting_exercise())
    eve = enrol(world, trainer)
    with world.container.uow(write=True) as uow:
        first = programs.active_version(uow, eve)
        assert library.usage(uow, trainer, own) == library.Usage(1, ())
        assert library.remove_custom(uow, trainer, own, now=NOW) == "retired"
        assert library.remove_custom(uow, trainer, own, now=NOW) == "retired", "twice changes nothing"
        uow.commit()
    with world.container.uow() as uow:
        assert library.get(uow, trainer, own).retired
        catalogs = clinic_catalog.for_clinic(uow, trainer.clinic_id)
        assert own not in catalogs.planning.exercises and own in catalogs.complete.exercises
        assert first is not None and own in str(programs.parsed_plan(uow, first)["weeks"]), "the old version keeps it"
    with world.container.uow(write=True) as uow:
        programs.generate(uow, trainer, eve, now=NOW, reason="profile change")
        uow.commit()
    assert own not in planned(world, eve), "a new plan leaves a retired exercise out"
    assert own not in planned(world, enrol(world, trainer)) | excluded(world, eve)

    with world.container.uow(write=True) as uow:  # an edit keeps it retired; putting it back makes it plannable
        library.update_custom(uow, trainer, own, fitting_exercise(), now=NOW)
        assert library.get(uow, trainer, own).retired
        library.restore_custom(uow, trainer, own, now=NOW + dt.timedelta(seconds=1))
        programs.generate(uow, trainer, eve, now=NOW, reason="back in use")
        uow.commit()
    assert own in planned(world, eve)


def test_a_template_keeps_its_exercise_from_being_deleted(world: World) -> None:
    trainer = bob(world)
    own = add(world, trainer, exercise_document())
    content = templates.TemplateContent((templates.TemplateItem(own, {"reps": 6}),), {})
    with world.container.uow(write=True) as uow:
        uow.connection.execute(
            t.program_templates.insert().values(
                clinic_id=trainer.clinic_id,
                name="Shoulders",
                description="",
                document=content.to_json(),
                created_at=NOW,
            )
        )
        assert library.usage(uow, trainer, own) == library.Usage(0, ("Shoulders",))
        assert library.remove_custom(uow, trainer, own, now=NOW) == "retired"
        uow.commit()


def test_only_the_clinic_removes_its_exercises(world: World) -> None:
    own = add(world, bob(world), exercise_document())
    other = olga(world)
    with pytest.raises(NotFound), world.container.uow(write=True) as uow:
        library.remove_custom(uow, other, own, now=NOW)
    with pytest.raises(NotFound), world.container.uow(write=True) as uow:
        library.restore_custom(uow, other, own, now=NOW)
