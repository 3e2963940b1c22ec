"""The FHIR routes (docs/fhir.md): `GET /api/v1/participants/{id}/fhir` gives the Bundle to whoever may see the
participant, `POST` imports QuestionnaireResponses as assessments, or refuses the whole file with a 422."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

from neuromotrix.adapters.db.tables import assessments, audit_log
from neuromotrix.adapters.fhir import codes
from tests.api.conftest import World

HAND_WRITTEN = Path(__file__).resolve().parents[1] / "data" / "fhir" / "questionnaire-responses.json"


def url(world: World) -> str:
    return f"/api/v1/participants/{world.alice_id}/fhir"


def stored(world: World) -> list[tuple[str, str]]:
    with world.container.uow() as uow:
        rows = uow.connection.execute(sa.select(assessments.c.instrument, assessments.c.source)).all()
    return sorted((row.instrument, row.source) for row in rows)


def test_everyone_who_may_see_alice_gets_her_bundle_as_fhir_json_and_others_get_404(world: World) -> None:
    for persona in ("alice", "carl", "bob", "dana"):
        response = world.client(persona).get(url(world))
        assert response.status_code == 200, (persona, response.text)
        assert response.headers["content-type"] == "application/fhir+json"
        bundle = Bundle.model_validate_json(response.content)
        assert bundle.type == "collection"
    assert world.client("charlie").get(url(world)).status_code == 404
    assert world.client("anonymous").get(url(world)).status_code == 401
    world.container.audit.flush()
    with world.container.uow() as uow:
        exporters = uow.connection.execute(
            sa.select(audit_log.c.actor).where(audit_log.c.action == "export", audit_log.c.object_type == "fhir_bundle")
        ).scalars()
        assert sorted(exporters) == sorted(f"{name}@example.org" for name in ("alice", "carl", "bob", "dana"))


def test_a_trainer_imports_a_bundle_and_the_next_export_holds_the_responses(world: World) -> None:
    bob = world.client("bob")
    response = bob.post(
        url(world), content=HAND_WRITTEN.read_bytes(), headers={"Content-Type": "application/fhir+json"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [item["instrument"] for item in body["imported"]] == [
        "pain_nrs", "pgic", "dystonia_diary", "tug", "chair_stand_30s",
    ]  # fmt: skip
    assert body["imported"][3]["scores"] == {"seconds": 10.2} and body["already_on_file"] == 0
    again = bob.post(url(world), content=HAND_WRITTEN.read_bytes(), headers={"Content-Type": "application/json"})
    assert again.status_code == 201 and again.json() == {"imported": [], "already_on_file": 5}
    exported = bob.get(url(world)).json()
    kinds = [entry["resource"]["resourceType"] for entry in exported["entry"]]
    assert kinds.count("QuestionnaireResponse") == 5 and kinds.count("Questionnaire") == 5
    assert stored(world) == sorted(
        (key, "fhir") for key in ("pain_nrs", "pgic", "dystonia_diary", "tug", "chair_stand_30s")
    )


def test_a_bad_entry_refuses_the_whole_file_with_a_422_naming_the_entry_and_item(world: World) -> None:
    document = json.loads(HAND_WRITTEN.read_bytes())
    document["entry"][2]["resource"]["item"][0]["item"][0]["answer"] = [{"valueInteger": 14}]  # pulling is 0-10
    response = world.client("bob").post(url(world), json=document)
    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    assert detail["loc"] == ["body", "entry", 2, "item", "pulling"]
    assert "entry 2 (QuestionnaireResponse diary)" in detail["msg"] and "out of range" in detail["msg"]
    assert "Nothing was imported" in detail["msg"]
    malformed = world.client("bob").post(url(world), content=b"{", headers={"Content-Type": "application/fhir+json"})
    assert malformed.status_code == 422 and malformed.json()["detail"][0]["loc"] == ["body", "file"]
    unknown = world.client("bob").post(
        url(world),
        json={**document["entry"][0]["resource"], "questionnaire": codes.questionnaire_url("eq5d")},
    )
    assert unknown.status_code == 422 and "no questionnaire 'eq5d'" in unknown.json()["detail"][0]["msg"]
    assert stored(world) == []


def test_only_people_who_may_see_alice_may_import_for_her(world: World) -> None:
    single = json.loads(HAND_WRITTEN.read_bytes())["entry"][0]["resource"]
    assert world.client("charlie").post(url(world), json=single).status_code == 404
    assert world.client("anonymous").post(url(world), json=single).status_code == 401
    assert stored(world) == []
    own = world.client("alice").post(url(world), json=single)  # her own pain rating
    assert own.status_code == 201, own.text
    assert stored(world) == [("pain_nrs", "fhir")]
