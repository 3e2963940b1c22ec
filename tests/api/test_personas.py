"""Object-level permissions over the API routes: who may read or change Alice's data (DESIGN.md personas).

A participant sees only themself, a caregiver only linked people, a trainer only assigned participants, an
admin their clinic; anything else is 404 (never 403: the object's existence is not disclosed). Anonymous
callers get 401. Visible but not allowed (e.g. Alice approving her own program) is 403.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import World, session_log_body

SEE = {"alice": 200, "carl": 200, "bob": 200, "dana": 200, "charlie": 404, "anonymous": 401}
READS = [
    "/api/v1/participants/{pid}",
    "/api/v1/participants/{pid}/profile",
    "/api/v1/participants/{pid}/profile/versions",
    "/api/v1/participants/{pid}/profile/versions/1",
    "/api/v1/participants/{pid}/programs",
    "/api/v1/participants/{pid}/programs/active",
    "/api/v1/participants/{pid}/programs/1",
    "/api/v1/participants/{pid}/today",
    "/api/v1/participants/{pid}/session-logs",
    "/api/v1/participants/{pid}/checkins",
    "/api/v1/participants/{pid}/adherence",
]
PERSONAS = list(SEE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_reads_of_alices_data(world: World, persona: str) -> None:
    client = world.client(persona)
    for template in READS:
        response = client.get(template.format(pid=world.alice_id))
        assert response.status_code == SEE[persona], (template, response.text)


@pytest.mark.parametrize("persona", PERSONAS)
def test_participant_lists_show_only_visible_people(world: World, persona: str) -> None:
    response = world.client(persona).get("/api/v1/participants")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == ([] if persona == "charlie" else [world.alice_id])


WRITES = {
    # route: expected status per persona
    "log": {"alice": 201, "carl": 201, "bob": 201, "dana": 201, "charlie": 404, "anonymous": 401},
    "checkin": {"alice": 201, "carl": 201, "bob": 201, "dana": 201, "charlie": 404, "anonymous": 401},
    "generate": {"alice": 403, "carl": 403, "bob": 201, "dana": 201, "charlie": 404, "anonymous": 401},
    "profile": {"alice": 403, "carl": 403, "bob": 200, "dana": 200, "charlie": 404, "anonymous": 401},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_to_alices_data(world: World, persona: str) -> None:
    client = world.client(persona)
    base = f"/api/v1/participants/{world.alice_id}"
    log_body = session_log_body(world)
    profile = world.client("bob").get(f"{base}/profile").json()["document"]
    calls = {
        "log": lambda: client.post(f"{base}/session-logs", json=log_body),
        "checkin": lambda: client.post(
            f"{base}/checkins", json={"checked_on": "2026-11-24", "pain": 2, "dystonia": 3, "fatigue": 2}
        ),
        "generate": lambda: client.post(f"{base}/programs", json={"reason": "review"}),
        "profile": lambda: client.put(f"{base}/profile", json={"profile": profile, "reason": "review"}),
    }
    for name, call in calls.items():
        response = call()
        assert response.status_code == WRITES[name][persona], (name, response.text)


def test_unknown_participant_is_404_even_for_the_admin(world: World) -> None:
    assert world.client("dana").get("/api/v1/participants/9999").status_code == 404


def test_cookie_writes_need_the_csrf_token(world: World) -> None:
    alice = world.client("alice")
    token = alice.headers.pop("X-CSRF-Token")
    response = alice.post(f"/api/v1/participants/{world.alice_id}/session-logs", json=session_log_body(world))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    alice.headers["X-CSRF-Token"] = token


def test_bearer_tokens_skip_csrf_and_can_be_revoked(world: World) -> None:
    bob = world.client("bob")
    created = bob.post("/api/v1/tokens", json={"name": "integration"}).json()
    anonymous = world.client("anonymous")
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert anonymous.get("/api/v1/participants", headers=headers).status_code == 200
    assert (
        anonymous.post(f"/api/v1/participants/{world.alice_id}/programs", json={}, headers=headers).status_code == 201
    )
    assert bob.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
    assert anonymous.get("/api/v1/participants", headers=headers).status_code == 401


def test_logout_revokes_the_server_side_session(world: World) -> None:
    carl = world.client("carl")
    assert carl.post("/api/v1/auth/logout").status_code == 204
    assert carl.get("/api/v1/participants").status_code == 401


def test_login_is_rate_limited(world: World) -> None:
    anonymous = world.client("anonymous")
    statuses = [
        anonymous.post("/api/v1/auth/login", json={"email": "bob@example.org", "password": "wrong"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


def test_admin_without_second_factor_must_set_it_up(world: World) -> None:
    from tests.api.conftest import PASSWORD, _sign_in

    with world.container.uow(write=True) as uow:
        from neuromotrix.services import accounts

        accounts.create_user(
            uow, clinic_id=1, email="eve@example.org", name="Eve", role="admin", now=world.clock(), password=PASSWORD
        )
        uow.commit()
    eve = _sign_in(world.client("anonymous").app, "eve@example.org")
    blocked = eve.get("/api/v1/participants")
    assert blocked.status_code == 403 and "two-factor" in blocked.json()["detail"]
    assert eve.post("/api/v1/auth/totp/setup").status_code == 200


def test_every_read_of_health_data_is_audited(world: World) -> None:
    import sqlalchemy as sa

    from neuromotrix.adapters.db.tables import audit_log

    world.client("bob").get(f"/api/v1/participants/{world.alice_id}/profile")
    world.container.audit.flush()
    with world.container.uow() as uow:
        rows = uow.connection.execute(
            sa.select(audit_log).where(audit_log.c.action == "read", audit_log.c.object_type == "profile")
        ).all()
    assert [(row.actor, row.participant_id) for row in rows] == [("bob@example.org", world.alice_id)]
