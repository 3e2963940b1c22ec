"""In-app notifications over the API: everyone lists and reads only their own (someone else's is a 404).

After a job-runner pass at 10:00 on Monday, Alice has her session reminder in French, her caregiver Carl his
copy in English, and her trainer Bob a notification for the new-program alert; Charlie and Dana have nothing.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import notifications
from neuromotrix.services.jobs import run_pass
from tests.api.conftest import NOW, World


def run_jobs(world: World) -> None:
    run_pass(world.container, runner="api-test")


def add_notification(world: World, persona: str, key: str, *, due_at: dt.datetime) -> int:
    with world.container.uow(write=True) as uow:
        row_id = uow.connection.execute(
            notifications.insert()
            .values(user_id=world.ids[persona], participant_id=world.alice_id, kind="session", key=key,
                    subject=key, body="Hello", due_at=due_at, created_at=NOW)
            .returning(notifications.c.id)
        ).scalar_one()  # fmt: skip
        uow.commit()
    return int(row_id)


def test_each_persona_lists_their_own_notifications(world: World) -> None:
    run_jobs(world)
    alice = world.client("alice").get("/api/v1/notifications").json()
    assert alice["total"] == 1 and alice["offset"] == 0 and alice["limit"] == 50
    [reminder] = alice["items"]
    assert reminder["kind"] == "session" and reminder["subject"] == "Votre séance d'exercice aujourd'hui"
    assert reminder["participant_id"] == world.alice_id and reminder["read_at"] is None and reminder["email"] is True
    assert reminder["due_at"].startswith("2026-11-23T15:00:00")
    [carl] = world.client("carl").get("/api/v1/notifications").json()["items"]
    assert carl["subject"] == "Alice: Your exercise session today"
    [bob] = world.client("bob").get("/api/v1/notifications").json()["items"]
    assert bob["kind"] == "alert" and bob["subject"] == "For information: Alice" and bob["key"].startswith("alert:")
    for persona in ("charlie", "dana"):
        assert world.client(persona).get("/api/v1/notifications").json() == {
            "items": [], "total": 0, "offset": 0, "limit": 50
        }  # fmt: skip
    assert world.client("anonymous").get("/api/v1/notifications").status_code == 401


def test_newest_first_with_pages_and_an_unread_filter(world: World) -> None:
    ids = [add_notification(world, "alice", f"note {n}", due_at=NOW - dt.timedelta(hours=n)) for n in range(5)]
    client = world.client("alice")
    page = client.get("/api/v1/notifications", params={"offset": 1, "limit": 2}).json()
    assert page["total"] == 5 and [item["id"] for item in page["items"]] == ids[1:3]
    assert client.post(f"/api/v1/notifications/{ids[0]}/read").status_code == 200
    unread = client.get("/api/v1/notifications", params={"unread": "true"}).json()
    assert unread["total"] == 4 and ids[0] not in [item["id"] for item in unread["items"]]
    assert client.get("/api/v1/notifications", params={"limit": 0}).status_code == 422


def test_mark_one_read_keeps_the_first_time(world: World) -> None:
    note = add_notification(world, "alice", "reminder", due_at=NOW)
    client = world.client("alice")
    first = client.post(f"/api/v1/notifications/{note}/read")
    assert first.status_code == 200 and first.json()["read_at"].startswith("2026-11-23T15:00:00")
    world.clock.now = NOW + dt.timedelta(hours=1)
    again = client.post(f"/api/v1/notifications/{note}/read").json()
    assert again["read_at"] == first.json()["read_at"]


def test_someone_elses_notification_is_not_found(world: World) -> None:
    note = add_notification(world, "alice", "reminder", due_at=NOW)
    for persona in ("carl", "bob", "dana", "charlie"):
        response = world.client(persona).post(f"/api/v1/notifications/{note}/read")
        assert response.status_code == 404, persona
        assert "No such notification" in response.json()["detail"]
    assert world.client("alice").post("/api/v1/notifications/999999/read").status_code == 404
    assert world.client("anonymous").post(f"/api/v1/notifications/{note}/read").status_code == 401
    with world.container.uow() as uow:
        read_at = uow.connection.execute(sa.select(notifications.c.read_at).where(notifications.c.id == note))
        assert read_at.scalar_one() is None


def test_read_all_marks_only_the_callers_due_notifications(world: World) -> None:
    mine = [add_notification(world, "alice", f"note {n}", due_at=NOW - dt.timedelta(minutes=n)) for n in range(3)]
    later = add_notification(world, "alice", "tomorrow", due_at=NOW + dt.timedelta(days=1))
    carls = add_notification(world, "carl", "for carl", due_at=NOW)
    response = world.client("alice").post("/api/v1/notifications/read-all")
    assert response.status_code == 200 and response.json() == {"marked": 3}
    assert world.client("alice").post("/api/v1/notifications/read-all").json() == {"marked": 0}
    listed = world.client("alice").get("/api/v1/notifications").json()
    assert [item["id"] for item in listed["items"]] == mine  # tomorrow's is not shown yet
    assert world.client("alice").post(f"/api/v1/notifications/{later}/read").status_code == 404
    with world.container.uow() as uow:
        unread = set(
            uow.connection.execute(sa.select(notifications.c.id).where(notifications.c.read_at.is_(None))).scalars()
        )
    assert unread == {later, carls}


def test_unsafe_requests_need_the_csrf_token(world: World) -> None:
    note = add_notification(world, "alice", "reminder", due_at=NOW)
    client = world.client("alice")
    token = client.headers.pop("X-CSRF-Token")
    try:
        assert client.post(f"/api/v1/notifications/{note}/read").status_code == 403
        assert client.post("/api/v1/notifications/read-all").status_code == 403
    finally:
        client.headers["X-CSRF-Token"] = token
