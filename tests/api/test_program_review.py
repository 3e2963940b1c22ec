"""Reviewing a program version against another: the trainer sees what changes, not two plans."""

from __future__ import annotations

from tests.api.conftest import World


def test_a_dose_edit_shows_in_the_review(world: World) -> None:
    bob = world.client("bob")
    base = f"/api/v1/participants/{world.alice_id}"
    first = bob.get(f"{base}/today").json()["session"]["blocks"][0]
    edited = bob.post(
        f"{base}/programs/edits",
        json={"exercise_id": first["exercise_id"], "reason": "One set only", "dose": {"sets": 1, "reps": 3}},
    ).json()
    review = bob.get(f"{base}/programs/{edited['version']}/diff")
    assert review.status_code == 200, review.text
    found = review.json()
    assert found["against"] == edited["version"] - 1
    changed = {item["exercise_id"]: item for item in found["changed"]}
    assert set(changed) == {first["exercise_id"]}
    assert changed[first["exercise_id"]]["level"] is None
    assert changed[first["exercise_id"]]["dose"]["reps"][1] == 3
    assert found["added"] == [] and found["removed"] == [] and found["screening"] is None
    assert found["sessions"][0] == found["sessions"][1] > 0


def test_a_regenerated_draft_is_reviewed_against_the_active_program(world: World) -> None:
    bob = world.client("bob")
    base = f"/api/v1/participants/{world.alice_id}"
    profile = bob.get(f"{base}/profile").json()["document"]
    profile["preferences"]["equipment"] = []
    changed = bob.put(f"{base}/profile", json={"profile": profile, "reason": "No equipment at home any more"})
    assert changed.status_code in (200, 201), changed.text
    draft = [v for v in bob.get(f"{base}/programs").json() if v["status"] == "draft"][-1]
    found = bob.get(f"{base}/programs/{draft['version']}/diff").json()
    active = bob.get(f"{base}/programs/active").json()
    assert found["against"] == active["version"]
    assert found["removed"] or found["newly_excluded"] or found["changed"], found


def test_review_is_checked_and_private(world: World) -> None:
    base = f"/api/v1/participants/{world.alice_id}"
    first = world.client("bob").get(f"{base}/programs/1/diff")
    assert first.status_code == 422 and first.json()["detail"][0]["loc"] == ["query", "against"]
    assert world.client("bob").get(f"{base}/programs/99/diff").status_code == 404
    assert world.client("charlie").get(f"{base}/programs/1/diff", params={"against": 1}).status_code == 404
