"""FHIR exchange as stories (docs/fhir.md): Alice's records leave as a Bundle that the R4B models accept, with
stable ids and references that stay inside it; her answers travel to another record and score the same; a
bundle written by another system is imported; and every bad file is refused whole, with nothing written."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

from neuromotrix.adapters.db.tables import assessments, audit_log, users
from neuromotrix.adapters.fhir import codes
from neuromotrix.adapters.fhir.bundle import to_json
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import accounts, fhir_exchange, participants, programs
from neuromotrix.services import assessments as assessment_service
from neuromotrix.services.access import Actor
from neuromotrix.services.session_logs import BlockEntry, SessionEntry, record_session
from tests import dbutil
from tests.api.conftest import NOW, example_profile

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
TODAY = NOW.date()
# Alice's history: (who enters it, instrument, date, answers).
HISTORY: list[tuple[str, str, dt.date, dict[str, float | None]]] = [
    ("alice", "pain_nrs", dt.date(2026, 10, 26), {"now": 6, "average_24h": 5}),
    ("alice", "pain_nrs", dt.date(2026, 11, 23), {"now": 3, "average_24h": None}),
    ("alice", "pgic", dt.date(2026, 11, 23), {"global_change": 3}),
    ("alice", "dystonia_diary", dt.date(2026, 11, 22), {"pulling": 4, "tremor": 1, "pain": 3, "good_day": 1}),
    ("bob", "chair_stand_30s", dt.date(2026, 11, 20), {"stands": 11}),
    ("bob", "tug", dt.date(2026, 11, 20), {"seconds": 9.4}),
    ("bob", "walk_10m", dt.date(2026, 11, 20), {"comfortable": 1.18, "fast": 1.6}),
    ("bob", "twstrs", dt.date(2026, 11, 20), {"rotation": 2, "laterocollis": 1}),
]


@dataclass
class World:
    """Alice (participant, cervical dystonia, program approved), her trainer Bob, another trainer Charlie and the
    clinic admin Dana, built through the services (no web clients: these stories call the services)."""

    container: Container
    alice_id: int
    people: dict[str, Actor]


def build_world(container: Container) -> World:
    people: dict[str, Actor] = {}
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Demo", now=NOW)
        for persona, role in [("dana", "admin"), ("bob", "trainer"), ("charlie", "trainer"), ("alice", "participant")]:
            user_id = accounts.create_user(
                uow, clinic_id=clinic, email=f"{persona}@example.org", name=persona.title(), role=role, now=NOW,
                language="fr" if persona == "alice" else "en",
            )  # fmt: skip
            row = uow.connection.execute(sa.select(users).where(users.c.id == user_id)).one()
            people[persona] = accounts.actor_from_row(row, second_factor=True)
        alice_id = participants.enrol(
            uow, people["bob"], display_name="Alice", language="fr", profile=parse_profile(example_profile()),
            now=NOW, today=TODAY, user_id=people["alice"].user_id,
        )  # fmt: skip
        draft = programs.generate(uow, people["bob"], alice_id, now=NOW, reason="intake")
        programs.approve(uow, people["bob"], alice_id, draft.version, now=NOW)
        uow.commit()
    return World(container, alice_id, people)


@pytest.fixture
def world(container: Container) -> World:
    return build_world(container)


def actor(world: World, persona: str) -> Actor:
    return world.people[persona]


def log_todays_session(world: World) -> None:
    """Alice's session of today: pain 3 → 3, dystonia 3 → 3, fatigue 2 → 3, effort CR10 2 on every exercise."""
    with world.container.uow(write=True) as uow:
        _, session = programs.session_on(uow, world.alice_id, TODAY)
        assert session is not None
        blocks = tuple(
            BlockEntry(position=index, exercise_id=block["exercise_id"], status="done", effort=2, pain=1)
            for index, block in enumerate(session["blocks"])
        )
        entry = SessionEntry(
            performed_on=TODAY, pre_pain=3, pre_dystonia=3, pre_fatigue=2, post_pain=3, post_dystonia=3,
            post_fatigue=3, stop_reason=None, notes="", blocks=blocks,
        )  # fmt: skip
        record_session(uow, actor(world, "alice"), world.alice_id, entry, now=NOW)
        uow.commit()


def seed_history(world: World) -> None:
    """A logged session (pain, dystonia, fatigue, effort per exercise) and Alice's assessments."""
    log_todays_session(world)
    with world.container.uow(write=True) as uow:
        for persona, instrument, taken_on, answers in HISTORY:
            assessment_service.record_assessment(
                uow, actor(world, persona), world.alice_id, instrument=instrument,
                taken_on=taken_on, answers=answers, source="web", today=TODAY, now=NOW,
            )  # fmt: skip
        uow.commit()


def enrol_zoe(world: World) -> int:
    """Zoé, another participant Bob follows (the receiving end of a round trip)."""
    with world.container.uow(write=True) as uow:
        zoe = participants.enrol(
            uow, actor(world, "bob"), display_name="Zoé", language="fr",
            profile=parse_profile(example_profile()), now=NOW, today=TODAY,
        )  # fmt: skip
        uow.commit()
    return zoe


def export(world: World, persona: str = "bob") -> dict[str, Any]:
    with world.container.uow(write=True) as uow:
        bundle = fhir_exchange.export_bundle(uow, actor(world, persona), world.alice_id, now=NOW)
        uow.commit()
    return bundle


def import_file(world: World, participant_id: int, document: bytes, persona: str = "bob") -> fhir_exchange.ImportResult:
    with world.container.uow(write=True) as uow:
        result = fhir_exchange.import_responses(
            uow, actor(world, persona), participant_id, document, today=TODAY, now=NOW
        )
        uow.commit()
    return result


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def stored(container: Container, participant_id: int) -> list[tuple[str, dt.date, dict[str, Any]]]:
    with container.uow() as uow:
        rows = uow.connection.execute(
            sa.select(assessments.c.instrument, assessments.c.taken_on, assessments.c.scores)
            .where(assessments.c.participant_id == participant_id)
            .order_by(assessments.c.taken_on, assessments.c.instrument, assessments.c.id)
        ).all()
    return [(row.instrument, row.taken_on, dict(row.scores)) for row in rows]


def bundle_of(*responses: dict[str, Any]) -> bytes:
    entries = [
        {"fullUrl": f"urn:uuid:{codes.resource_id('test', index)}", "resource": item}
        for index, item in enumerate(responses)
    ]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def pain_response(**changes: Any) -> dict[str, Any]:
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": codes.questionnaire_url("pain_nrs") + "|1",
        "status": "completed",
        "authored": "2026-11-21",
        "item": [{"linkId": "now", "answer": [{"valueInteger": 2}]}],
    }
    return response | changes


# Export -------------------------------------------------------------------------------------------------------


def test_the_bundle_validates_through_the_r4b_models_and_holds_every_kind_of_record(world: World) -> None:
    seed_history(world)
    bundle = export(world)
    parsed = Bundle.model_validate_json(to_json(bundle))  # the whole document, as a receiver reads it
    assert parsed.type == "collection"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert kinds == {"Patient", "Condition", "CarePlan", "Observation", "Questionnaire", "QuestionnaireResponse"}
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    assert all(url == codes.urn(entry["resource"]["id"]) for url, entry in zip(full_urls, bundle["entry"], strict=True))
    assert set(references(bundle)) <= set(full_urls), "every reference resolves inside the bundle"

    (patient,) = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier", "name", "communication"}  # no more than we hold
    assert patient["name"] == [{"text": "Alice"}]
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "fr"

    (condition,) = resources(bundle, "Condition")
    assert condition["code"]["coding"][0] == {"system": codes.SNOMED, "code": "15802004", "display": "Dystonia"}
    assert "regions: neck" in condition["note"][0]["text"]


def test_the_care_plan_has_one_activity_per_exercise_with_its_dates_and_dose(world: World) -> None:
    bundle = export(world)
    (care_plan,) = resources(bundle, "CarePlan")
    with world.container.uow() as uow:
        version = programs.active_version(uow, world.alice_id)
        assert version is not None
        plan = programs.parsed_plan(uow, version)
    planned: dict[str, set[str]] = {}
    for week in plan["weeks"]:
        for session in week["sessions"]:
            for block in session["blocks"]:
                planned.setdefault(block["exercise_id"], set()).add(session["date"])
    activities = {item["detail"]["code"]["coding"][0]["code"]: item["detail"] for item in care_plan["activity"]}
    assert set(activities) == set(planned)
    for exercise_id, detail in activities.items():
        assert set(detail["scheduledTiming"]["event"]) == planned[exercise_id]
        assert detail["description"].startswith(("Semaine", "Semaines"))  # in Alice's language
    assert care_plan["status"] == "active" and care_plan["intent"] == "plan"
    assert care_plan["addresses"] == [{"reference": codes.urn(resources(bundle, "Condition")[0]["id"])}]


def test_observations_carry_loinc_where_it_exists_and_ucum_units(world: World) -> None:
    seed_history(world)
    bundle = export(world)
    observations = resources(bundle, "Observation")
    by_code = {item["code"]["coding"][-1]["code"]: item for item in observations}
    pain = by_code["session-pain"]
    assert pain["code"]["coding"][0] == {
        "system": codes.LOINC, "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }  # fmt: skip
    assert pain["effectiveDateTime"] == TODAY.isoformat()
    before, after = pain["component"]
    assert before["code"]["coding"][0]["code"] == "session-pain-before"
    assert before["valueQuantity"] == {"value": 3, "unit": "{score}", "system": codes.UCUM, "code": "{score}"}
    assert after["code"]["coding"][0]["code"] == "session-pain-after"

    def moments(code: str) -> list[float]:
        return [part["valueQuantity"]["value"] for part in by_code[code]["component"]]

    assert moments("session-dystonia") == [3, 3] and moments("session-fatigue") == [2, 3]
    effort = by_code["effort-cr10"]
    assert effort["component"] and all(part["valueQuantity"]["value"] == 2 for part in effort["component"])
    assert all(part["code"]["coding"][0]["system"] == codes.EXERCISES for part in effort["component"])
    # Instrument scores: one Observation per assessment, a component per scored scale: LOINC for the NRS "now"
    # score, our code system for every scale, with their units; an unscorable scale has no component.
    scores = [item for item in observations if item["code"]["coding"][0]["system"] == codes.INSTRUMENTS]
    by_instrument: dict[str, list[dict[str, Any]]] = {}
    for item in scores:
        by_instrument.setdefault(item["code"]["coding"][0]["code"], []).append(item)
    assert len(scores) == len(HISTORY) - 1 and "twstrs" not in by_instrument  # two items: no TWSTRS scale scores

    def parts(instrument: str, index: int = 0) -> dict[str, dict[str, Any]]:
        found = by_instrument[instrument][index]["component"]
        return {part["code"]["coding"][-1]["code"]: part for part in found}

    first_pain, latest_pain = parts("pain_nrs"), parts("pain_nrs", 1)
    assert first_pain["pain_nrs.now"]["code"]["coding"][0]["code"] == "72514-3"
    assert [part["valueQuantity"]["value"] for part in first_pain.values()] == [6, 5]
    assert list(latest_pain) == ["pain_nrs.now"]  # the 24-hour average was not answered
    tug = parts("tug")["tug.seconds"]
    assert tug["valueQuantity"] == {"value": 9.4, "unit": "s", "system": codes.UCUM, "code": "s"}
    assert by_instrument["tug"][0]["category"][0]["coding"][0]["code"] == "exam"
    assert by_instrument["pgic"][0]["category"][0]["coding"][0]["code"] == "survey"
    assert parts("walk_10m")["walk_10m.comfortable"]["valueQuantity"]["code"] == "m/s"
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert all(item["derivedFrom"][0]["reference"] in full_urls for item in scores)


def test_questionnaires_come_from_the_registry_and_licensed_ones_carry_only_the_clinics_texts(world: World) -> None:
    seed_history(world)
    questionnaires = {item["url"]: item for item in resources(export(world), "Questionnaire")}
    assert set(questionnaires) == {codes.questionnaire_url(key) for key in {row[1] for row in HISTORY}}
    pain = questionnaires[codes.questionnaire_url("pain_nrs")]
    assert pain["item"][0]["linkId"] == "now" and pain["item"][0]["type"] == "integer" and pain["item"][0]["text"]
    assert "not a published validated translation" in pain["description"]  # BRIEF §7: unvalidated French
    pgic = questionnaires[codes.questionnaire_url("pgic")]
    assert [option["valueCoding"]["code"] for option in pgic["item"][0]["answerOption"]] == [
        str(n) for n in range(1, 8)
    ]
    french = pgic["item"][0]["_text"]["extension"][0]
    assert french["url"] == codes.TRANSLATION and french["extension"][0]["valueCode"] == "fr"
    twstrs = questionnaires[codes.questionnaire_url("twstrs")]
    assert "copyright" in twstrs and not any("text" in item for item in twstrs["item"])

    with world.container.uow(write=True) as uow:
        assessment_service.set_instrument_texts(
            uow, actor(world, "dana"), "twstrs",
            {"rotation": Text(en="Clinic text: rotation", fr="Texte de la clinique : rotation")}, now=NOW,
        )  # fmt: skip
        uow.commit()
    twstrs = {item["url"]: item for item in resources(export(world), "Questionnaire")}[
        codes.questionnaire_url("twstrs")
    ]
    rotation = next(item for item in twstrs["item"] if item["linkId"] == "rotation")
    assert rotation["text"] == "Clinic text: rotation"
    assert not any("text" in item for item in twstrs["item"] if item["linkId"] != "rotation")


def test_ids_are_stable_across_exports_and_each_export_is_audited(world: World) -> None:
    seed_history(world)
    first, second = export(world), export(world, "alice")
    assert [entry["fullUrl"] for entry in first["entry"]] == [entry["fullUrl"] for entry in second["entry"]]
    assert first["entry"] == second["entry"]
    world.container.audit.flush()
    with world.container.uow() as uow:
        audited = (
            uow.connection.execute(
                sa.select(audit_log.c.actor).where(
                    audit_log.c.action == "export", audit_log.c.object_type == "fhir_bundle"
                )
            )
            .scalars()
            .all()
        )
    assert audited == ["bob@example.org", "alice@example.org"]


def test_someone_who_may_not_see_the_participant_gets_not_found(world: World) -> None:
    with world.container.uow() as uow, pytest.raises(NotFound):
        fhir_exchange.export_bundle(uow, actor(world, "charlie"), world.alice_id, now=NOW)


def test_a_participant_without_program_or_logs_still_exports(world: World) -> None:
    zoe = enrol_zoe(world)
    with world.container.uow() as uow:
        bundle = fhir_exchange.export_bundle(uow, actor(world, "bob"), zoe, now=NOW)
    Bundle.model_validate_json(to_json(bundle))
    assert {entry["resource"]["resourceType"] for entry in bundle["entry"]} == {"Patient", "Condition"}


# Import -------------------------------------------------------------------------------------------------------


def test_round_trip_exported_answers_score_the_same_in_another_record(world: World) -> None:
    seed_history(world)
    zoe = enrol_zoe(world)
    responses = copy.deepcopy(resources(export(world), "QuestionnaireResponse"))
    for response in responses:
        response["subject"] = codes.patient_reference(zoe)
    result = import_file(world, zoe, bundle_of(*responses))
    assert len(result.imported) == len(HISTORY) and result.already_on_file == 0
    assert all(record.source == "fhir" and record.entered_as == "import" for record in result.imported)
    assert stored(world.container, zoe) == stored(world.container, world.alice_id)


def test_sending_the_same_file_twice_adds_nothing(world: World) -> None:
    document = (DATA / "questionnaire-responses.json").read_bytes()
    first = import_file(world, world.alice_id, document)
    second = import_file(world, world.alice_id, document)
    assert len(first.imported) == 5 and (len(second.imported), second.already_on_file) == (0, 5)
    assert len(stored(world.container, world.alice_id)) == 5


def test_a_bundle_written_by_another_system_is_imported(world: World) -> None:
    """A transaction bundle from a clinic tablet: grouped items, codings without a system, a quantity with its
    UCUM unit, authored times with a zone (the day is kept as written), no subject reference."""
    result = import_file(world, world.alice_id, (DATA / "questionnaire-responses.json").read_bytes())
    found = {(record.instrument, record.taken_on): record.scores for record in result.imported}
    assert found == {
        ("pain_nrs", dt.date(2026, 11, 20)): {"now": 4.0, "average_24h": 3.0},
        ("pgic", dt.date(2026, 11, 20)): {"global_change": 2.0},
        ("dystonia_diary", dt.date(2026, 11, 19)): {"pulling": 5.0, "tremor": 2.0, "pain": 3.0, "good_day": 0.0},
        ("tug", dt.date(2026, 11, 18)): {"seconds": 10.2},
        ("chair_stand_30s", dt.date(2026, 11, 18)): {"stands": 12.0},
    }


def test_a_single_response_is_imported_by_the_participant_themself(world: World) -> None:
    result = import_file(world, world.alice_id, json.dumps(pain_response()).encode(), persona="alice")
    (record,) = result.imported
    assert record.scores["now"] == 2.0 and record.entered_as == "import"


BAD_FILES: dict[str, tuple[bytes, str, tuple[object, ...]]] = {
    "malformed JSON": (b'{"resourceType": "Bundle", "entry": [', "not valid JSON", ("file",)),
    "too large": (b" " * (fhir_exchange.MAX_IMPORT_BYTES + 1), "larger than 5 MB", ("file",)),
    "not UTF-8": (b'{"resourceType": "\xff"}', "not UTF-8", ("file",)),
    "a JSON list": (b"[1, 2]", "not a FHIR resource", ("file",)),
    "a Patient alone": (b'{"resourceType": "Patient"}', "not a QuestionnaireResponse", ("resourceType",)),
    "a Patient in the bundle": (
        bundle_of(pain_response(), {"resourceType": "Patient"}),
        "Entry 1 is a Patient, not a QuestionnaireResponse",
        ("entry", 1, "resource"),
    ),
    "an empty bundle": (b'{"resourceType": "Bundle", "type": "collection"}', "no entries", ("entry",)),
    "not valid FHIR": (bundle_of(pain_response(item="now")), "not valid FHIR R4", ("entry", 0, "resource")),
    "unknown questionnaire": (
        bundle_of(pain_response(), pain_response(questionnaire=codes.questionnaire_url("sf36"))),
        "entry 1: no questionnaire 'sf36'",
        ("entry", 1, "questionnaire"),
    ),
    "someone else's questionnaire": (
        bundle_of(pain_response(questionnaire="http://loinc.org/q/38213-5")),
        "is not a NeuroMotrix questionnaire",
        ("entry", 0, "questionnaire"),
    ),
    "another version": (
        bundle_of(pain_response(questionnaire=codes.questionnaire_url("pain_nrs") + "|7")),
        "version 7",
        ("entry", 0, "questionnaire"),
    ),
    "unknown item": (
        bundle_of(pain_response(), pain_response(item=[{"linkId": "worst", "answer": [{"valueInteger": 2}]}])),
        "item 'worst' is not an item of",
        ("entry", 1, "item", "worst"),
    ),
    "score out of range": (
        bundle_of(pain_response(), pain_response(item=[{"linkId": "now", "answer": [{"valueInteger": 11}]}])),
        "out of range",
        ("entry", 1, "item", "now"),
    ),
    "a value that is not an option": (
        bundle_of(pain_response(
            questionnaire=codes.questionnaire_url("pgic"),
            item=[{"linkId": "global_change", "answer": [{"valueCoding": {"code": "9"}}]}],
        )),
        "not an allowed answer",
        ("entry", 0, "item", "global_change"),
    ),
    "a code of another system": (
        bundle_of(pain_response(item=[{"linkId": "now", "answer": [{"valueCoding": {"system": codes.LOINC, "code": "LA6112-2"}}]}])),
        "is answered with a code of http://loinc.org",
        ("entry", 0, "item", "now"),
    ),
    "a text answer": (
        bundle_of(pain_response(item=[{"linkId": "now", "answer": [{"valueString": "bad"}]}])),
        "valueString",
        ("entry", 0, "item", "now"),
    ),
    "two answers": (
        bundle_of(pain_response(item=[{"linkId": "now", "answer": [{"valueInteger": 1}, {"valueInteger": 2}]}])),
        "has 2 answers",
        ("entry", 0, "item", "now"),
    ),
    "a unit that is not the instrument's": (
        bundle_of(pain_response(
            questionnaire=codes.questionnaire_url("tug"),
            item=[{"linkId": "seconds", "answer": [{"valueQuantity": {"value": 0.2, "code": "min", "system": codes.UCUM}}]}],
        )),
        "is given in 'min'",
        ("entry", 0, "item", "seconds"),
    ),
    "in progress": (bundle_of(pain_response(status="in-progress")), "only completed or amended", ("entry", 0, "status")),
    "no date": (bundle_of({k: v for k, v in pain_response().items() if k != "authored"}), "authored", ("entry", 0, "authored")),
    "a date in the future": (bundle_of(pain_response(authored="2026-12-25")), "in the future", ("entry", 0, "taken_on")),
    "another person's answers": (
        bundle_of(pain_response(), pain_response(subject={"reference": "Patient/someone-else"})),
        "is not participant",
        ("entry", 1, "subject"),
    ),
    "another participant's identifier": (
        bundle_of(pain_response(subject={"identifier": {"system": codes.PARTICIPANT_ID, "value": "999"}})),
        "is not participant",
        ("entry", 0, "subject"),
    ),
}  # fmt: skip


def test_every_bad_file_is_refused_whole_and_nothing_is_written(world: World) -> None:
    """One story per case (each names the entry and the item, and says nothing was imported); the cases share
    one world, which none of them may change."""
    bob = actor(world, "bob")
    world.container.audit.flush()
    before = dbutil.table_contents(world.container.engine)
    wrong = []
    for case, (document, message, field) in BAD_FILES.items():
        with world.container.uow(write=True) as uow:
            try:
                fhir_exchange.import_responses(uow, bob, world.alice_id, document, today=TODAY, now=NOW)
            except InvalidRequest as error:
                text = str(error)
                if (
                    message not in text
                    or "nothing was imported" not in text.lower()
                    or error.field[: len(field)] != field
                ):
                    wrong.append(f"{case}: {text!r} at {error.field}")
            else:
                wrong.append(f"{case}: accepted")
    world.container.audit.flush()
    assert not wrong, "\n".join(wrong)
    assert dbutil.table_contents(world.container.engine) == before


def test_a_participant_may_not_import_a_clinician_test_and_nothing_is_written(world: World) -> None:
    document = (DATA / "questionnaire-responses.json").read_bytes()  # holds a TUG and a chair stand
    with (
        world.container.uow(write=True) as uow,
        pytest.raises(Exception, match=r"entry 3 \(QuestionnaireResponse timed-up-and-go\): .*trainer enters it"),
    ):
        fhir_exchange.import_responses(uow, actor(world, "alice"), world.alice_id, document, today=TODAY, now=NOW)
    assert stored(world.container, world.alice_id) == []


def test_the_participant_is_checked_before_the_file_is_read(world: World) -> None:
    with world.container.uow(write=True) as uow, pytest.raises(NotFound):
        fhir_exchange.import_responses(uow, actor(world, "charlie"), world.alice_id, b"not json", today=TODAY, now=NOW)
