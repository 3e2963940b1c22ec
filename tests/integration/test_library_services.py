"""The library's services on SQLite and PostgreSQL: custom exercises validated exactly as the catalog is, their
ids, media type sniffing, program templates applied under every safety rule (each way an item is skipped), and
the library's tables in a backup.

The persona world is tests/api's: Bob trains Alice (cervical dystonia, pulled to the right), in the Clinique Demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.adapters.db.engine import make_engine
from neuromotrix.adapters.i18n import translator
from neuromotrix.bootstrap import Container
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.errors import Conflict, Forbidden, NotFound
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.entrypoints.web.pages import library_form, library_form_values
from neuromotrix.services import backup as backups
from neuromotrix.services import library, media, participants, programs, templates
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, World, build_world, example_profile
from tests.dbutil import reset_database, table_contents
from tests.web.test_library_media import JPEG, MP4, WEBM, WEBP
from tests.web.test_library_permissions import exercise_document, png

LIBRARY_TABLES = ("library_exercises", "exercise_media", "program_templates")


@pytest.fixture
def world(container: Container) -> Iterator[World]:
    built = build_world(container)
    yield built
    for client in built.clients.values():
        client.close()


def actor(world: World, persona: str = "bob") -> Actor:
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(t.users).where(t.users.c.id == world.ids[persona])).one()
    return Actor(row.id, row.clinic_id, row.role, row.email, row.name, row.language, True)


def sorted_lists(document: dict[str, Any]) -> dict[str, Any]:
    """A catalog document with its lists of codes in one order (a form lists checkboxes in the vocabulary's)."""
    found = dict(document)
    for name in ("goals", "roles", "conditions", "equipment", "regions", "tasks", "movements"):
        found[name] = sorted(found[name])
    found["levels"] = [
        level | {"equipment": sorted(level["equipment"]), "tasks": sorted(level["tasks"])} for level in found["levels"]
    ]
    return found


# Custom exercises -------------------------------------------------------------------------------------------


def test_every_catalog_exercise_is_a_valid_custom_exercise_and_survives_the_form() -> None:
    """The validation is the catalog's own: each of the 67 entries passes it, and the form loses nothing."""
    tr = translator("fr")
    for exercise_id, compiled in load_catalog().exercises.items():
        document = library.stored_document(compiled.exercise)
        assert library.validate_document(document) == compiled.exercise
        parsed = library_form.to_document(library_form_values.from_document(document), tr)
        assert not parsed.errors, (exercise_id, list(parsed.errors))
        again = library.validate_document({**parsed.document, "id": exercise_id})
        assert sorted_lists(library.stored_document(again)) == sorted_lists(document), exercise_id


def test_every_problem_is_listed_with_its_place() -> None:
    document = exercise_document()
    document["levels"][0]["dose"]["sets"] = 0
    document["levels"][1]["dose"]["reps"] = 500
    document["name"] = {"en": "Squeeze"}
    with pytest.raises(library.ExerciseDocumentError) as refused:
        library.validate_document({**document, "id": "XA01"})
    places = {(problem.path, problem.kind) for problem in refused.value.problems}
    assert places == {
        (("name", "fr"), "missing"),
        (("levels", 0, "dose", "sets"), "greater_than_equal"),
        (("levels", 1, "dose", "reps"), "less_than_equal"),
        (("levels",), "too_short"),  # fewer than 3 valid levels: the form shows the level's own problems only
    }
    assert refused.value.field == ("name", "fr")

    with pytest.raises(library.ExerciseDocumentError) as ladder:
        library.validate_document({**exercise_document(start_level=4), "id": "XA01"})
    assert "start_level 4 is beyond the 3 levels" in ladder.value.problems[0].message
    with pytest.raises(library.ExerciseDocumentError) as refs:
        library.validate_document({**exercise_document(refs=["R3", "R999"]), "id": "XA01"})
    assert refs.value.problems[0].path == ("refs",) and refs.value.problems[0].context == {"keys": ["R999"]}


def test_clinic_exercise_ids() -> None:
    assert [library.custom_id(n) for n in (1, 2, 99, 100, 198, 199, 2574)] == [
        "XA01", "XA02", "XA99", "XB01", "XB99", "XC01", "XZ99",
    ]  # fmt: skip
    for wrong in (0, 2575):
        with pytest.raises(ValueError, match="outside"):
            library.custom_id(wrong)
    assert not any(key.startswith(library.CUSTOM_PREFIX) for key in load_catalog().exercises)


def test_clinic_exercises_are_staff_only_and_per_clinic(world: World) -> None:
    bob = actor(world)
    with world.container.uow(write=True) as uow:
        first = library.create_custom(uow, bob, exercise_document(), now=NOW)
        second = library.create_custom(uow, actor(world, "dana"), exercise_document(id="NM04"), now=NOW)
        uow.commit()
    assert (first, second) == ("XA01", "XA02"), "the document's own id is never used"
    with world.container.uow() as uow:
        found = library.find(uow, bob, {"category": "scapular_posture", "region": "trunk", "equipment": "chair"})
        assert [item.exercise.id for item in found if item.custom] == ["XA01", "XA02"]
        assert library.names(uow, bob, ["XA02", "NM04", "ZZ99"], "fr") == {
            "XA02": "Serrement des omoplates assis", "NM04": "Rotation dans le sens opposé",
        }  # fmt: skip
        with pytest.raises(Forbidden):
            library.find(uow, actor(world, "alice"), {})
        with pytest.raises(NotFound):
            library.get(uow, bob, "XA03")
    with pytest.raises(Exception, match="position: unknown value 'flying'"), world.container.uow() as uow:
        library.find(uow, bob, {"position": "flying"})


# Media ------------------------------------------------------------------------------------------------------


def test_the_content_decides_the_type() -> None:
    assert [media.sniff(content) for content in (png(), JPEG, WEBP, MP4, WEBM)] == [
        "image/png", "image/jpeg", "image/webp", "video/mp4", "video/webm",
    ]  # fmt: skip
    for other in (b"", b"GIF89a", b"%PDF-1.7", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"\x00\x00\x00\x14ftypheic", b"<svg/>"):
        assert media.sniff(other) is None, other


def test_media_for_the_player_in_each_language(world: World) -> None:
    bob = actor(world)
    with world.container.uow(write=True) as uow:
        first = media.add_media(uow, bob, "NM04", content=png(), alt_en="Start position", alt_fr="Départ", now=NOW)
        second = media.add_media(uow, bob, "NM04", content=MP4, alt_en="The turn", alt_fr="La rotation", now=NOW)
        other = media.add_media(uow, bob, "RB01", content=WEBP, alt_en="  Breathing \n in ", alt_fr="Inspirer", now=NOW)
        uow.commit()
    with world.container.uow() as uow:
        alice = actor(world, "alice")
        english = media.media_for(uow, alice, ["NM04", "RB01", "NM01"], "en")
        french = media.media_for(uow, alice, ["NM04"], "fr")
        file = media.media_file(uow, alice, second)
    assert english == {
        "NM04": [
            media.PlayerMedia(f"/media/{first}", "image", "image/png", "Start position"),
            media.PlayerMedia(f"/media/{second}", "video", "video/mp4", "The turn"),
        ],
        "RB01": [media.PlayerMedia(f"/media/{other}", "image", "image/webp", "Breathing in")],
    }
    assert [item.alt for item in french["NM04"]] == ["Départ", "La rotation"]
    assert (file.content, file.content_type, file.file_name) == (MP4, "video/mp4", f"NM04-{second}.mp4")


# Templates --------------------------------------------------------------------------------------------------


def store_template(world: World, items: list[templates.TemplateItem], preferences: dict[str, Any] | None = None) -> int:
    content = templates.TemplateContent(tuple(items), preferences or {})
    with world.container.uow(write=True) as uow:
        clinic = actor(world).clinic_id
        template_id = uow.connection.execute(
            t.program_templates.insert()
            .values(clinic_id=clinic, name="Test", description="", document=content.to_json(), created_at=NOW)
            .returning(t.program_templates.c.id)
        ).scalar_one()
        uow.commit()
    return int(template_id)


def enrol(world: World, document: dict[str, Any], *, approve: bool = True) -> int:
    bob = actor(world)
    with world.container.uow(write=True) as uow:
        person = participants.enrol(
            uow, bob, display_name="Eve", language="fr", profile=parse_profile(document), now=NOW, today=NOW.date()
        )
        draft = programs.generate(uow, bob, person, now=NOW, reason="intake")
        if approve:
            programs.approve(uow, bob, person, draft.version, now=NOW)
        uow.commit()
    return person


def versions(world: World, participant_id: int) -> int:
    with world.container.uow() as uow:
        return len(programs.list_versions(uow, actor(world), participant_id))


def test_each_way_an_item_is_skipped(world: World) -> None:
    eve = enrol(world, example_profile())
    with world.container.uow() as uow:
        plan = programs.parsed_plan(uow, programs.active_version(uow, eve))
    excluded = plan["excluded"][0]["exercise_id"]
    planned = {block["exercise_id"] for session in plan["_sessions_by_date"].values() for block in session["blocks"]}
    not_planned = next(
        key
        for key in sorted(load_catalog().exercises)
        if key not in planned and key not in {e["exercise_id"] for e in plan["excluded"]}
    )
    template_id = store_template(
        world,
        [
            templates.TemplateItem("NM04", {"sets": 10, "reps": 100, "hold_s": 60}, True, 1, False),  # over 25 minutes
            templates.TemplateItem("NM03", held=True, level=99),
            templates.TemplateItem("QQ99", {"reps": 5}),
            templates.TemplateItem(excluded, {"reps": 5}),
            templates.TemplateItem(not_planned, {"reps": 5}),
            templates.TemplateItem("RB01", held=True, paused=True),
        ],
    )
    before = versions(world, eve)
    with world.container.uow(write=True) as uow:
        done = templates.apply_template(uow, actor(world), eve, template_id, with_preferences=False, now=NOW)
        uow.commit()
    reasons = {item.exercise_id: item.reason for item in done.skipped}
    assert reasons == {
        "NM04": templates.SKIP_TIME,
        "NM03": templates.SKIP_LEVEL,
        "QQ99": templates.SKIP_UNKNOWN,
        excluded: templates.SKIP_EXCLUDED,
        not_planned: templates.SKIP_NOT_PLANNED,
    }
    assert [item.exercise_id for item in done.applied] == ["RB01"]
    assert "more than the 25 minutes per session" in done.skipped[0].details[0]
    assert done.language == "en" and all(
        detail for item in done.skipped if item.reason == "excluded" for detail in item.details
    )
    assert versions(world, eve) == before + 1, "only RB01's pause made a version: NM04's level went with its dose"
    with world.container.uow() as uow:
        active = programs.active_version(uow, eve)
        held = programs.carried_adjustments(active)
    assert set(held) == {"RB01"} and held["RB01"].paused


def test_a_blocked_program_takes_nothing(world: World) -> None:
    document = example_profile()
    document["symptoms"] |= {"new_weakness": True}
    blocked = enrol(world, document, approve=False)
    template_id = store_template(world, [templates.TemplateItem("NM04", {"reps": 6})])
    with world.container.uow(write=True) as uow:
        done = templates.apply_template(uow, actor(world), blocked, template_id, with_preferences=False, now=NOW)
    assert [(item.exercise_id, item.reason) for item in done.skipped] == [("NM04", templates.SKIP_BLOCKED)]
    assert done.program_status == "draft", "a blocked program is never approved"


def test_applying_asks_for_a_program_and_the_right_people(world: World) -> None:
    bob = actor(world)
    with world.container.uow(write=True) as uow:
        person = participants.enrol(
            uow, bob, display_name="Eve", language="en", profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(),
        )  # fmt: skip
        uow.commit()
    template_id = store_template(world, [])
    with pytest.raises(Conflict, match="no program yet"), world.container.uow(write=True) as uow:
        templates.apply_template(uow, bob, person, template_id, with_preferences=False, now=NOW)
    with pytest.raises(NotFound), world.container.uow(write=True) as uow:
        templates.apply_template(
            uow, actor(world, "charlie"), world.alice_id, template_id, with_preferences=False, now=NOW
        )
    with pytest.raises(Forbidden), world.container.uow(write=True) as uow:
        templates.apply_template(
            uow, actor(world, "carl"), world.alice_id, template_id, with_preferences=False, now=NOW
        )
    with pytest.raises(NotFound), world.container.uow(write=True) as uow:
        templates.apply_template(uow, bob, world.alice_id, template_id + 1, with_preferences=False, now=NOW)


def test_preferences_from_a_template_keep_the_persons_start_date(world: World) -> None:
    eve = enrol(
        world, example_profile() | {"preferences": {"start_on": "2026-11-30", "weeks": 4, "days": ["mon", "thu"]}}
    )
    template_id = store_template(
        world,
        [],
        {"sessions_per_week": 3, "minutes_per_session": 30, "weeks": 8, "equipment": ["chair"], "setting": "clinic"},
    )
    with world.container.uow(write=True) as uow:
        done = templates.apply_template(uow, actor(world), eve, template_id, with_preferences=True, now=NOW)
        uow.commit()
    assert done.preferences_changed and done.program_status == "draft"
    with world.container.uow() as uow:
        _, profile = participants.current_profile(uow, eve)
    preferences = profile.preferences
    assert (preferences.start_on, preferences.days, preferences.sessions_per_week) == (dt.date(2026, 11, 30), None, 3)
    assert (preferences.minutes_per_session, preferences.weeks, preferences.setting) == (30, 8, "clinic")
    with world.container.uow(write=True) as uow:
        again = templates.apply_template(uow, actor(world), eve, template_id, with_preferences=True, now=NOW)
    assert not again.preferences_changed


# Backups ----------------------------------------------------------------------------------------------------


def test_the_library_is_in_backups(world: World, database_url: str, tmp_path: Path) -> None:
    bob = actor(world)
    with world.container.uow(write=True) as uow:
        library.create_custom(uow, bob, exercise_document(), now=NOW)
        media.add_media(uow, bob, "XA01", content=png() + bytes(range(256)), alt_en="É « x »", alt_fr="ü", now=NOW)
        templates.save_template(uow, bob, world.alice_id, name="Neck starter", description="", now=NOW)
        uow.commit()
    engine = world.container.engine
    before = table_contents(engine)
    assert all(before[name] for name in LIBRARY_TABLES)
    summary = backups.backup(engine, tmp_path / "backup.jsonl.gz", now=NOW)
    world.container.close()
    reset_database(database_url)
    target = make_engine(database_url)
    try:
        backups.restore(target, summary.path)
        after = table_contents(target)
    finally:
        target.dispose()
    for name in LIBRARY_TABLES:
        assert after[name] == before[name], name
