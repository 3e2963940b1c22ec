"""Stories through the API: enrol, review, approve, do today's session, check in, see what needs attention."""

from __future__ import annotations

from tests.api.conftest import World, example_profile, session_log_body


def test_trainer_enrols_a_participant_and_approves_the_draft(world: World) -> None:
    bob = world.client("bob")
    created = bob.post(
        "/api/v1/participants",
        json={"display_name": "Paul", "language": "en", "profile": example_profile("parkinson-foot-dystonia")},
    )
    assert created.status_code == 201, created.text
    participant = created.json()
    assert participant["program"]["status"] == "draft"
    pid = participant["id"]
    assert bob.get(f"/api/v1/participants/{pid}/programs/active").status_code == 404
    approved = bob.post(f"/api/v1/participants/{pid}/programs/{participant['program']['version']}/approve")
    assert approved.status_code == 200, approved.text
    active = bob.get(f"/api/v1/participants/{pid}/programs/active").json()
    assert active["status"] == "active" and active["plan"]["weeks"]
    assert active["approved_by"] == world.ids["bob"]


def test_participant_sees_and_logs_todays_session(world: World) -> None:
    alice = world.client("alice")
    today = alice.get(f"/api/v1/participants/{world.alice_id}/today")
    assert today.status_code == 200, today.text
    assert today.json()["session"]["blocks"]
    logged = alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=session_log_body(world))
    assert logged.status_code == 201, logged.text
    assert logged.json()["alerts"] == []
    logs = alice.get(f"/api/v1/participants/{world.alice_id}/session-logs").json()
    assert logs["total"] == 1 and logs["items"][0]["entered_as"] == "participant"


def test_caregiver_logs_on_behalf_and_is_recorded(world: World) -> None:
    carl = world.client("carl")
    logged = carl.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=session_log_body(world))
    assert logged.status_code == 201, logged.text
    log = carl.get(f"/api/v1/participants/{world.alice_id}/session-logs/{logged.json()['id']}").json()
    assert log["entered_as"] == "caregiver" and log["entered_by"] == world.ids["carl"]


def test_hard_stop_ends_the_session_alerts_the_trainer_and_gives_guidance(world: World) -> None:
    alice = world.client("alice")
    body = session_log_body(world, stop_reason="chest_pain")
    logged = alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=body)
    assert logged.status_code == 201, logged.text
    answer = logged.json()
    assert answer["session_ended"] is True
    assert "911" in answer["guidance"]["text"] and answer["guidance"]["severity"] == "emergency"
    queue = world.client("bob").get("/api/v1/alerts").json()
    kinds = [alert["kind"] for alert in queue["items"]]
    assert kinds[0] == "hard_stop"
    assert queue["items"][0]["severity"] == "emergency"


def test_idempotency_key_logs_a_retried_upload_once(world: World) -> None:
    alice = world.client("alice")
    body = session_log_body(world)
    headers = {"Idempotency-Key": "a1b2c3"}
    first = alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=body, headers=headers)
    again = alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replay"] == "true"
    assert alice.get(f"/api/v1/participants/{world.alice_id}/session-logs").json()["total"] == 1
    changed = alice.post(
        f"/api/v1/participants/{world.alice_id}/session-logs", json=body | {"notes": "other"}, headers=headers
    )
    assert changed.status_code == 422


def test_a_log_with_bad_values_is_rejected_whole(world: World) -> None:
    alice = world.client("alice")
    url = f"/api/v1/participants/{world.alice_id}/session-logs"
    good = session_log_body(world)
    pain_eleven = good | {"before": {"pain": 11, "dystonia": 3, "fatigue": 2}}
    response = alice.post(url, json=pain_eleven)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "before", "pain"]
    negative_effort = good | {"blocks": [good["blocks"][0] | {"effort": -1}]}
    response = alice.post(url, json=negative_effort)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "blocks", 0, "effort"]
    unknown_block = good | {"blocks": [*good["blocks"], {"position": 99, "exercise_id": "ZZ99", "status": "done"}]}
    response = alice.post(url, json=unknown_block)
    assert response.status_code == 422
    assert "Unknown block" in response.json()["detail"][0]["msg"]
    assert alice.get(url).json()["total"] == 0


def test_post_injection_checkin_with_breathing_trouble_is_an_emergency(world: World) -> None:
    alice = world.client("alice")
    body = {"kind": "post_injection", "checked_on": "2026-11-23", "breathing": True}
    answer = alice.post(f"/api/v1/participants/{world.alice_id}/checkins", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["alerts"][0]["severity"] == "emergency"


def test_adherence_is_computed_by_the_service(world: World) -> None:
    alice = world.client("alice")
    alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=session_log_body(world))
    windows = alice.get(f"/api/v1/participants/{world.alice_id}/adherence").json()["windows"]
    assert [w["days"] for w in windows] == [7, 30, 90]
    assert windows[0]["scheduled"] == 1 and windows[0]["attended"] == 1 and windows[0]["rate"] == 1.0


def test_trainer_edit_is_a_new_active_version_with_its_reason(world: World) -> None:
    bob = world.client("bob")
    today = bob.get(f"/api/v1/participants/{world.alice_id}/today").json()
    exercise = today["session"]["blocks"][-1]["exercise_id"]
    edited = bob.post(
        f"/api/v1/participants/{world.alice_id}/programs/edits",
        json={"exercise_id": exercise, "reason": "Fewer sets this week", "dose": {"sets": 1}},
    )
    assert edited.status_code == 201, edited.text
    assert edited.json()["status"] == "active" and edited.json()["source"] == "trainer_edit"
    block = bob.get(f"/api/v1/participants/{world.alice_id}/today").json()["session"]["blocks"][-1]
    assert block["dose"]["sets"] == 1
    assert block["reasons"][-1] == {"rule": "trainer.edit", "text": "Fewer sets this week", "refs": []}


def test_post_injection_checkin_with_choking_is_an_emergency(world: World) -> None:
    body = {"kind": "post_injection", "checked_on": "2026-11-23", "choking": True}
    answer = world.client("carl").post(f"/api/v1/participants/{world.alice_id}/checkins", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["alerts"][0]["severity"] == "emergency"
