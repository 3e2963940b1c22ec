"""Correcting and withdrawing recorded assessments through the API, on SQLite and PostgreSQL: Alice's trainer Bob
corrects a wrong answer or date, withdraws an entry made in error; the earlier values stay in the history with
when, who and why; a second entry of the same instrument on one day is refused; people who may not see Alice get
404; and corrected or withdrawn entries stop counting in the score series, the due list and the FHIR export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import assessments as assessments_table
from neuromotrix.adapters.db.tables import audit_log, participants, users
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import accounts, assessments, fhir_exchange
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, PASSWORD, World, _sign_in

TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)
REASON = "Typed the wrong number."


def path(world: World, suffix: str = "", participant_id: int | None = None) -> str:
    return f"/api/v1/participants{'/' + str(participant_id or world.alice_id)}/assessments{suffix}"


def pain(now: int, average: int, taken_on: dt.date = TODAY) -> dict[str, Any]:
    return {"instrument": "pain_nrs", "taken_on": taken_on.isoformat(), "answers": {"now": now, "average_24h": average}}


def recorded(world: World, persona: str, body: dict[str, Any]) -> dict[str, Any]:
    response = world.client(persona).post(path(world), json=body)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def correct(world: World, persona: str, assessment_id: int, body: dict[str, Any]) -> Any:
    return world.client(persona).put(path(world, f"/{assessment_id}"), json=body)


def withdraw(world: World, persona: str, assessment_id: int, reason: str = "Entered for the wrong person.") -> Any:
    return world.client(persona).post(path(world, f"/{assessment_id}/withdraw"), json={"reason": reason})


def history(world: World) -> dict[int, dict[str, Any]]:
    response = world.client("bob").get(path(world), params={"include_history": "true"})
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()}


def current_ids(world: World) -> list[int]:
    return [item["id"] for item in world.client("bob").get(path(world)).json()]


def audit_actions(world: World) -> list[tuple[str, str, str]]:
    world.container.audit.flush()
    with world.container.uow() as uow:
        rows = uow.connection.execute(
            sa.select(audit_log.c.action, audit_log.c.object_id, audit_log.c.actor, audit_log.c.detail)
            .where(audit_log.c.object_type == "assessment")
            .order_by(audit_log.c.id)
        ).all()
    return [(row.action, row.object_id, row.actor) for row in rows]


def row_count(world: World) -> int:
    with world.container.uow() as uow:
        return int(uow.connection.execute(sa.select(sa.func.count()).select_from(assessments_table)).scalar_one())


def test_a_correction_is_scored_again_and_keeps_the_earlier_entry(world: World) -> None:
    first = recorded(world, "alice", pain(8, 5))
    response = correct(world, "bob", first["id"], {"answers": {"now": 3, "average_24h": 5}, "reason": REASON})
    assert response.status_code == 200, response.text
    new = response.json()
    assert new["id"] != first["id"]
    assert (new["status"], new["corrects"], new["replaced_by"]) == ("current", first["id"], None)
    assert new["scores"] == {"now": 3, "average_24h": 5}
    assert (new["taken_on"], new["entered_as"], new["source"]) == (TODAY.isoformat(), "trainer", "api")
    assert current_ids(world) == [new["id"]]  # only current entries by default
    earlier = history(world)[first["id"]]
    assert (earlier["status"], earlier["replaced_by"], earlier["change_reason"]) == ("corrected", new["id"], REASON)
    assert (earlier["changed_by"], earlier["changed_by_name"]) == (world.ids["bob"], "Bob")
    assert earlier["changed_at"].startswith("2026-11-23T15:00")
    assert earlier["scores"] == {"now": 8, "average_24h": 5}  # the earlier values are kept as they were
    actions = audit_actions(world)
    assert ("correct", str(first["id"]), "bob@example.org") in actions
    assert ("create", str(new["id"]), "bob@example.org") in actions


def test_a_wrong_date_is_corrected_and_the_answers_kept(world: World) -> None:
    first = recorded(world, "alice", pain(6, 6))
    response = correct(world, "alice", first["id"], {"taken_on": YESTERDAY.isoformat(), "reason": "Done yesterday."})
    assert response.status_code == 200, response.text
    assert (response.json()["taken_on"], response.json()["answers"]) == (YESTERDAY.isoformat(), first["answers"])
    assert response.json()["entered_as"] == "participant"
    # Today is free again: the corrected entry moved to yesterday.
    assert recorded(world, "alice", pain(5, 5))["taken_on"] == TODAY.isoformat()


def test_a_withdrawn_entry_stops_counting_and_stays_in_the_history(world: World) -> None:
    first = recorded(world, "alice", pain(7, 7))
    response = withdraw(world, "bob", first["id"])
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["change_reason"]) == (
        "withdrawn",
        "Entered for the wrong person.",
    )
    assert current_ids(world) == []
    assert history(world)[first["id"]]["status"] == "withdrawn"
    assert ("withdraw", str(first["id"]), "bob@example.org") in audit_actions(world)
    # A withdrawn entry does not block the day: the right entry can be recorded.
    assert recorded(world, "alice", pain(2, 2))["status"] == "current"


def test_the_same_instrument_twice_on_one_day_is_a_409_naming_the_entry(world: World) -> None:
    first = recorded(world, "alice", pain(4, 4))
    again = world.client("carl").post(path(world), json=pain(5, 5))
    assert again.status_code == 409, again.text
    message = again.json()["detail"]
    assert "already exists" in message and f"assessment {first['id']}" in message and "Correct" in message
    assert row_count(world) == 1
    # Another day, or another instrument the same day, is fine.
    assert recorded(world, "alice", pain(5, 5, YESTERDAY))["id"]
    assert recorded(world, "alice", {"instrument": "pgic", "taken_on": TODAY.isoformat(), "answers": {"global_change": 2}})  # fmt: skip


def test_a_retry_with_the_idempotency_key_replays_instead_of_409(world: World) -> None:
    headers = {"Idempotency-Key": "pain-today-1"}
    first = world.client("alice").post(path(world), json=pain(4, 4), headers=headers)
    again = world.client("alice").post(path(world), json=pain(4, 4), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replay"] == "true" and again.json() == first.json()
    other_key = world.client("alice").post(path(world), json=pain(4, 4), headers={"Idempotency-Key": "pain-today-2"})
    assert other_key.status_code == 409
    assert row_count(world) == 1


def test_a_correction_onto_a_day_with_an_entry_is_a_409(world: World) -> None:
    recorded(world, "alice", pain(4, 4, YESTERDAY))
    today = recorded(world, "alice", pain(6, 6))
    response = correct(world, "bob", today["id"], {"taken_on": YESTERDAY.isoformat(), "reason": "Wrong day."})
    assert response.status_code == 409 and "already exists" in response.json()["detail"]
    assert history(world)[today["id"]]["status"] == "current"


def test_corrected_and_withdrawn_entries_cannot_change_again(world: World) -> None:
    first = recorded(world, "alice", pain(4, 4))
    new = correct(world, "bob", first["id"], {"answers": {"now": 5, "average_24h": 4}, "reason": REASON}).json()
    again = correct(world, "bob", first["id"], {"answers": {"now": 6, "average_24h": 4}, "reason": REASON})
    assert again.status_code == 409 and f"assessment {new['id']} replaced it" in again.json()["detail"]
    assert withdraw(world, "bob", first["id"]).status_code == 409
    assert withdraw(world, "bob", new["id"]).status_code == 200
    assert withdraw(world, "bob", new["id"]).status_code == 409
    refused = correct(world, "bob", new["id"], {"answers": {"now": 1, "average_24h": 1}, "reason": REASON})
    assert refused.status_code == 409 and "withdrawn" in refused.json()["detail"]


def only_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert len(detail) == 1, detail
    found: dict[str, Any] = detail[0]
    return found


def test_a_refused_correction_names_its_field_and_changes_nothing(world: World) -> None:
    first = recorded(world, "alice", pain(4, 4))

    def refused(body: dict[str, Any]) -> list[Any]:
        return list(only_error(correct(world, "bob", first["id"], body))["loc"])

    assert refused({"answers": {"now": 5}}) == ["body", "reason"]  # the reason is required
    assert refused({"answers": {"now": 5}, "reason": "   "}) == ["body", "reason"]
    assert refused({"answers": {"now": 4, "average_24h": 4}, "reason": REASON}) == ["body", "answers"]  # same
    assert refused({"answers": {"now": 11}, "reason": REASON}) == ["body", "answers", "now"]
    assert refused({"answers": {"now": None}, "reason": REASON}) == ["body", "answers"]
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert refused({"taken_on": tomorrow, "reason": REASON}) == ["body", "taken_on"]
    assert refused({"reason": REASON, "status": "current"})[:2] == ["body", "status"]  # unknown field
    assert only_error(withdraw(world, "bob", first["id"], reason=""))["loc"] == ["body", "reason"]
    assert only_error(withdraw(world, "bob", first["id"], reason="x" * 501))["loc"] == ["body", "reason"]
    assert current_ids(world) == [first["id"]] and row_count(world) == 1


def _outsider(world: World, role: str, *, other_clinic: bool) -> TestClient:
    """A signed-in account that may not see Alice: in another clinic, or in hers without a link to her."""
    with world.container.uow(write=True) as uow:
        clinic = (
            accounts.create_clinic(uow, "Clinique Autre", now=NOW)
            if other_clinic
            else uow.connection.execute(sa.select(users.c.clinic_id).where(users.c.id == world.ids["bob"])).scalar_one()
        )
        email = f"{role}-{'other' if other_clinic else 'same'}@example.org"
        accounts.create_user(
            uow, clinic_id=clinic, email=email, name=role.title(), role=role, now=NOW, password=PASSWORD, language="en"
        )
        uow.commit()
    return _sign_in(create_app(world.container), email)


@pytest.mark.parametrize(
    ("who", "status"),
    [("charlie", 404), ("trainer-other-clinic", 404), ("caregiver-not-linked", 404), ("anonymous", 401)],
)
def test_people_who_may_not_see_alice_get_404(world: World, who: str, status: int) -> None:
    first = recorded(world, "alice", pain(4, 4))
    if who == "trainer-other-clinic":
        client = _outsider(world, "trainer", other_clinic=True)
    elif who == "caregiver-not-linked":
        client = _outsider(world, "caregiver", other_clinic=False)
    else:
        client = world.client(who)
    assert client.put(path(world, f"/{first['id']}"), json={"taken_on": YESTERDAY.isoformat(), "reason": REASON}).status_code == status  # fmt: skip
    assert client.post(path(world, f"/{first['id']}/withdraw"), json={"reason": REASON}).status_code == status
    assert client.get(path(world), params={"include_history": "true"}).status_code == status
    assert history(world)[first["id"]]["status"] == "current"


def test_a_participant_sees_only_her_own_entries_and_may_not_change_a_trainer_test(world: World) -> None:
    tug = recorded(world, "bob", {"instrument": "tug", "taken_on": TODAY.isoformat(), "answers": {"seconds": 12.4}})
    refused = withdraw(world, "alice", tug["id"])
    assert refused.status_code == 403 and "trainer" in refused.json()["detail"]
    refused = correct(world, "carl", tug["id"], {"answers": {"seconds": 11.0}, "reason": REASON})
    assert refused.status_code == 403
    # Another participant's entry is not found under Alice's address, nor Alice's under someone else's.
    clinic = _clinic(world)
    with world.container.uow(write=True) as uow:
        other = int(
            uow.connection.execute(
                participants.insert()
                .values(clinic_id=clinic, display_name="Eve", created_at=NOW)
                .returning(participants.c.id)
            ).scalar_one()
        )
        uow.commit()
    assert world.client("alice").put(path(world, f"/{tug['id']}", other), json={"reason": REASON}).status_code == 404
    assert world.client("bob").put(path(world, f"/{tug['id']}", other), json={"reason": REASON}).status_code == 404
    assert world.client("bob").put(path(world, "/999999"), json={"reason": REASON}).status_code == 404


def _clinic(world: World) -> int:
    with world.container.uow() as uow:
        return int(
            uow.connection.execute(sa.select(users.c.clinic_id).where(users.c.id == world.ids["bob"])).scalar_one()
        )


def _bob(world: World) -> Actor:
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(users).where(users.c.id == world.ids["bob"])).one()
        return accounts.actor_from_row(row, second_factor=True)


def test_series_due_list_and_fhir_export_count_only_current_entries(world: World) -> None:
    early = recorded(world, "alice", pain(8, 8, TODAY - dt.timedelta(days=14)))
    latest = recorded(world, "alice", pain(6, 6))
    corrected = correct(world, "bob", early["id"], {"answers": {"now": 9, "average_24h": 8}, "reason": REASON}).json()
    tug = recorded(world, "bob", {"instrument": "tug", "taken_on": TODAY.isoformat(), "answers": {"seconds": 12.4}})
    assert withdraw(world, "bob", tug["id"]).status_code == 200
    bob = _bob(world)
    with world.container.uow() as uow:
        series = {(item.instrument, item.scale): item for item in assessments.score_series(uow, bob, world.alice_id)}
        due = {item.instrument for item in assessments.due_for(uow, bob, world.alice_id, today=TODAY)}
        participant = uow.connection.execute(sa.select(participants).where(participants.c.id == world.alice_id)).one()
        exported = fhir_exchange.export_source(uow, participant).assessments
    assert [point.value for point in series[("pain_nrs", "now")].points] == [9, 6]  # the correction, not the 8
    assert ("tug", "seconds") not in series  # withdrawn: no series, no chart
    assert "tug" in due and "pain_nrs" not in due  # the withdrawn test is due again
    assert sorted(item.id for item in exported) == sorted([corrected["id"], latest["id"]])
    charts = world.client("bob").get(f"/participants/{world.alice_id}/outcomes/charts/tug/seconds.svg")
    assert charts.status_code == 404


def test_a_fhir_import_over_a_different_entry_of_that_day_is_a_409_and_imports_nothing(world: World) -> None:
    recorded(world, "alice", pain(4, 4))
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://neuromotrix.org/fhir/Questionnaire/pain_nrs",
        "status": "completed",
        "authored": TODAY.isoformat(),
        "item": [{"linkId": "now", "answer": [{"valueInteger": 7}]}],
    }
    imported = world.client("bob").post(path(world, "").replace("/assessments", "/fhir"), json=response)
    assert imported.status_code == 409, imported.text
    assert "already exists" in imported.json()["detail"] and "Nothing was imported" in imported.json()["detail"]
    assert row_count(world) == 1
