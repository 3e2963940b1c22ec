"""Outcome instruments through the API (BRIEF §7), as the personas use them: Alice fills in her questionnaires, her
caregiver Carl helps, her trainer Bob enters the performance tests and the licensed wording of his clinic; Charlie,
who is not her trainer, sees nothing. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assessments, audit_log
from tests.api.conftest import NOW, World

TODAY = NOW.date()


def path(world: World, suffix: str = "") -> str:
    return f"/api/v1/participants/{world.alice_id}/assessments{suffix}"


def post(world: World, persona: str, body: dict[str, Any], **headers: str) -> Any:
    return world.client(persona).post(path(world), json=body, headers=headers)


def pain(now: int, average: int, taken_on: dt.date = TODAY) -> dict[str, Any]:
    return {"instrument": "pain_nrs", "taken_on": taken_on.isoformat(), "answers": {"now": now, "average_24h": average}}


def only_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert len(detail) == 1, detail
    found: dict[str, Any] = detail[0]
    return found


def test_alice_records_her_pain_and_reads_the_scores_back(world: World) -> None:
    response = post(world, "alice", pain(6, 5))
    assert response.status_code == 201, response.text
    recorded = response.json()
    assert recorded["scores"] == {"now": 6, "average_24h": 5}
    assert recorded["answers"] == {"now": 6, "average_24h": 5}
    assert (recorded["entered_as"], recorded["source"], recorded["instrument_version"]) == ("participant", "api", "1")
    listed = world.client("bob").get(path(world))
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [recorded["id"]]
    world.container.audit.flush()
    with world.container.uow() as uow:
        actions = uow.connection.execute(
            sa.select(audit_log.c.action, audit_log.c.object_type).where(audit_log.c.participant_id == world.alice_id)
        ).all()
    assert ("create", "assessment") in actions
    assert ("read", "assessments") in actions


def test_a_wrong_answer_is_refused_at_its_item_with_the_allowed_values(world: World) -> None:
    error = only_error(post(world, "alice", pain(11, 5)))
    assert error["loc"] == ["body", "answers", "now"]
    assert "now" in error["msg"] and "0 to 10" in error["msg"]
    unknown = only_error(
        post(world, "alice", {"instrument": "pain_nrs", "taken_on": TODAY.isoformat(), "answers": {"bogus": 1}})
    )
    assert unknown["loc"] == ["body", "answers", "bogus"]
    assert "average_24h" in unknown["msg"]  # the known items are listed
    chosen = only_error(
        post(world, "alice", {"instrument": "pgic", "taken_on": TODAY.isoformat(), "answers": {"global_change": 9}})
    )
    assert chosen["loc"] == ["body", "answers", "global_change"]
    assert "one of 1, 2, 3, 4, 5, 6, 7" in chosen["msg"]


def test_other_refusals_name_their_field(world: World) -> None:
    nothing = {"instrument": "pain_nrs", "taken_on": TODAY.isoformat(), "answers": {"now": None}}
    assert only_error(post(world, "alice", nothing))["loc"] == ["body", "answers"]
    unknown = only_error(post(world, "alice", {**pain(1, 1), "instrument": "sf99"}))
    assert unknown["loc"] == ["body", "instrument"] and "pain_nrs" in unknown["msg"]
    future = only_error(post(world, "alice", pain(1, 1, TODAY + dt.timedelta(days=1))))
    assert future["loc"] == ["body", "taken_on"]
    text = only_error(post(world, "alice", {**pain(1, 1), "answers": {"now": "3"}}))
    assert text["loc"][:3] == ["body", "answers", "now"]
    with world.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(assessments)).scalar_one() == 0


def test_who_enters_what(world: World) -> None:
    tug = {"instrument": "tug", "taken_on": TODAY.isoformat(), "answers": {"seconds": 12.4}}
    refused = post(world, "alice", tug)
    assert refused.status_code == 403
    assert "trainer" in refused.json()["detail"]
    bob = post(world, "bob", tug)
    assert bob.status_code == 201, bob.text
    assert (bob.json()["entered_as"], bob.json()["scores"]) == ("trainer", {"seconds": 12.4})
    carl = post(world, "carl", pain(3, 3))
    assert carl.status_code == 201
    assert carl.json()["entered_as"] == "caregiver"
    on_behalf = post(world, "dana", pain(2, 2, TODAY - dt.timedelta(days=1)))  # one entry per instrument and day
    assert on_behalf.status_code == 201 and on_behalf.json()["entered_as"] == "trainer"


def test_someone_who_may_not_see_alice_gets_404(world: World) -> None:
    charlie = world.client("charlie")
    assert charlie.get(path(world)).status_code == 404
    assert charlie.get(path(world, "/due")).status_code == 404
    assert charlie.post(path(world), json=pain(3, 3)).status_code == 404
    assert world.client("anonymous").get(path(world)).status_code == 401
    with world.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(assessments)).scalar_one() == 0


def test_a_retry_with_the_same_idempotency_key_records_once(world: World) -> None:
    first = post(world, "alice", pain(4, 4), **{"Idempotency-Key": "retry-1"})
    again = post(world, "alice", pain(4, 4), **{"Idempotency-Key": "retry-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replay"] == "true"
    assert again.json() == first.json()
    other = post(world, "alice", pain(5, 4), **{"Idempotency-Key": "retry-1"})
    assert other.status_code == 422
    assert len(world.client("alice").get(path(world)).json()) == 1


def test_the_list_filters_by_dates_and_instrument(world: World) -> None:
    for days_ago, score in ((28, 7), (14, 6), (0, 4)):
        assert post(world, "alice", pain(score, score, TODAY - dt.timedelta(days=days_ago))).status_code == 201
    assert post(world, "bob", {"instrument": "chair_stand_30s", "taken_on": TODAY.isoformat(), "answers": {"stands": 11}}).status_code == 201  # fmt: skip
    alice = world.client("alice")
    every = alice.get(path(world)).json()
    assert [item["taken_on"] for item in every] == sorted(item["taken_on"] for item in every)  # oldest first
    recent = alice.get(
        path(world), params={"start": (TODAY - dt.timedelta(days=14)).isoformat(), "instrument": "pain_nrs"}
    )
    assert [item["scores"]["now"] for item in recent.json()] == [6, 4]
    early = alice.get(path(world), params={"end": (TODAY - dt.timedelta(days=20)).isoformat()})
    assert [item["scores"]["now"] for item in early.json()] == [7]
    swapped = alice.get(
        path(world), params={"start": TODAY.isoformat(), "end": (TODAY - dt.timedelta(days=1)).isoformat()}
    )
    assert swapped.status_code == 422


def test_the_due_list_follows_the_schedule(world: World) -> None:
    due = world.client("alice").get(path(world, "/due"))
    assert due.status_code == 200
    by_instrument = {item["instrument"]: item for item in due.json()}
    # Alice has cervical dystonia and starts today: the dystonia battery's baseline, without PGIC (change since start).
    assert set(by_instrument) == {"pain_nrs", "dystonia_diary", "rand36", "chair_stand_30s", "tug"}
    assert {item["reason"] for item in due.json()} == {"baseline"}
    assert by_instrument["pain_nrs"]["due_from"] == TODAY.isoformat()
    assert post(world, "alice", pain(5, 5)).status_code == 201
    after = {item["instrument"] for item in world.client("alice").get(path(world, "/due")).json()}
    assert "pain_nrs" not in after and "tug" in after


def test_instruments_come_in_the_callers_language_with_the_translation_note(world: World) -> None:
    alice = world.client("alice")  # Alice reads French
    found = {item["key"]: item for item in alice.get("/api/v1/instruments").json()}
    pain_nrs = found["pain_nrs"]
    assert pain_nrs["name"].startswith("Échelle numérique")
    assert pain_nrs["french"] == "unvalidated"
    assert pain_nrs["note"] and "traduction validée" in pain_nrs["note"]
    assert pain_nrs["scales"][0]["mcid"]["improvement"] == 2
    english = {item["key"]: item for item in alice.get("/api/v1/instruments", params={"language": "en"}).json()}
    assert english["pain_nrs"]["note"] is None
    twstrs = found["twstrs"]
    assert twstrs["licence"] == "licensed" and not twstrs["texts_complete"]
    assert all(item["text"] is None for item in twstrs["items"])


def test_a_trainer_enters_the_licensed_wording_for_the_clinic(world: World) -> None:
    body = {"texts": {"rotation": {"en": "Rotation, as the licence words it", "fr": "Rotation, selon la licence"}}}
    saved = world.client("bob").put("/api/v1/instruments/twstrs/texts", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["items"][0]["text"] == "Rotation, as the licence words it"
    seen = {item["key"]: item for item in world.client("alice").get("/api/v1/instruments").json()}
    assert seen["twstrs"]["items"][0]["text"] == "Rotation, selon la licence"
    replaced = {"texts": {"rotation": {"en": "Rotation (edited)", "fr": "Rotation (modifiée)"}}}
    assert world.client("dana").put("/api/v1/instruments/twstrs/texts", json=replaced).status_code == 200
    seen = {item["key"]: item for item in world.client("bob").get("/api/v1/instruments").json()}
    assert seen["twstrs"]["items"][0]["text"] == "Rotation (edited)"


def test_licensed_wording_is_refused_when_it_does_not_fit(world: World) -> None:
    text = {"en": "A question", "fr": "Une question"}
    assert world.client("alice").put("/api/v1/instruments/twstrs/texts", json={"texts": {"rotation": text}}).status_code == 403  # fmt: skip
    bob = world.client("bob")
    free = only_error(bob.put("/api/v1/instruments/pain_nrs/texts", json={"texts": {"now": text}}))
    assert free["loc"] == ["path", "key"] and "free" in free["msg"]
    assert bob.put("/api/v1/instruments/sf99/texts", json={"texts": {"q1": text}}).status_code == 404
    unknown = only_error(bob.put("/api/v1/instruments/twstrs/texts", json={"texts": {"bogus": text}}))
    assert unknown["loc"] == ["body", "texts", "bogus"] and "rotation" in unknown["msg"]
    blank = only_error(
        bob.put("/api/v1/instruments/twstrs/texts", json={"texts": {"rotation": {"en": " ", "fr": "x"}}})
    )
    assert blank["loc"] == ["body", "texts", "rotation", "en"]
    assert only_error(bob.put("/api/v1/instruments/twstrs/texts", json={"texts": {}}))["loc"] == ["body", "texts"]
