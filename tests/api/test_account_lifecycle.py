"""Account lifecycle through the API: invitations by email link (caregivers with consent), password reset, and
user administration by the clinic admin (DESIGN.md personas: Alice, Carl, Bob, Charlie, Dana, anonymous).

Emails are not sent here: they are rows of the outbox, read back to follow the link as the invitee would.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import audit_log, caregiver_links, invitations, outbox, participants, users
from neuromotrix.services import accounts
from tests.api.conftest import PASSWORD, World, example_profile

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://127\.0\.0\.1:8000/(invitations|reset)/([A-Za-z0-9_-]+)")


def emails(world: World, purpose: str) -> list[sa.Row[Any]]:
    with world.container.uow() as uow:
        return list(uow.connection.execute(sa.select(outbox).where(outbox.c.purpose == purpose).order_by(outbox.c.id)))


def token_in(body: str) -> str:
    found = LINK.search(body)
    assert found is not None, body
    return found.group(2)


def last_link(world: World, purpose: str, to_address: str) -> str:
    """The token of the newest link emailed to that address."""
    mine = [row for row in emails(world, purpose) if row.to_address == to_address]
    assert mine, f"no {purpose} email to {to_address}"
    return token_in(mine[-1].body)


def audited(world: World, action: str, object_type: str) -> list[sa.Row[Any]]:
    with world.container.uow() as uow:
        query = sa.select(audit_log).where(audit_log.c.action == action, audit_log.c.object_type == object_type)
        return list(uow.connection.execute(query.order_by(audit_log.c.id)))


def sign_in(world: World, email: str, password: str) -> TestClient:
    client = TestClient(world.client("anonymous").app)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def accept(world: World, token: str, password: str | None = PASSWORD, **extra: Any) -> Any:
    body = {"token": token, **({"password": password} if password is not None else {}), **extra}
    return world.client("anonymous").post("/api/v1/auth/invitations/accept", json=body)


def caregiver_invitation(world: World, email: str = "eve@example.org", **overrides: Any) -> dict[str, Any]:
    body = {"email": email, "name": "Eve", "role": "caregiver", "participant_id": world.alice_id,
            "consent_by": "guardian", "consent_name": "Gina Tremblay"}  # fmt: skip
    return body | overrides


def enrol_paul(world: World) -> int:
    """A second participant, followed by Bob, without a login."""
    created = world.client("bob").post(
        "/api/v1/participants",
        json={"display_name": "Paul", "language": "en", "profile": example_profile("parkinson-foot-dystonia")},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


# Invitations --------------------------------------------------------------------------------------------


def test_admin_invites_a_trainer_who_accepts_and_signs_in(world: World) -> None:
    invited = world.client("dana").post(
        "/api/v1/invitations", json={"email": "Fay@Example.org", "name": "Fay", "role": "trainer", "language": "fr"}
    )
    assert invited.status_code == 201, invited.text
    assert invited.json()["email"] == "fay@example.org" and invited.json()["replaced"] is False
    expires = dt.datetime.fromisoformat(invited.json()["expires_at"])
    assert expires - world.clock() == dt.timedelta(days=7)
    [email] = emails(world, "invitation")
    assert email.to_address == "fay@example.org" and email.subject == "Dana vous invite sur NeuroMotrix"
    assert "entraîneur" in email.body and "Clinique Demo" in email.body and "America/Montreal" in email.body
    token = last_link(world, "invitation", "fay@example.org")
    with world.container.uow() as uow:
        stored = uow.connection.execute(sa.select(invitations.c.token_hash)).scalar_one()
    assert token not in stored, "only a hash of the token is stored"

    accepted = accept(world, token, language="fr")  # the page shows the invitee's language and sends it back
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["role"] == "trainer" and accepted.json()["existing_account"] is False
    fay = sign_in(world, "fay@example.org", PASSWORD)
    me = fay.get("/api/v1/auth/me").json()
    assert (me["id"], me["role"], me["language"]) == (accepted.json()["user_id"], "trainer", "fr")
    assert fay.get("/api/v1/participants").json()["items"] == [], "a new trainer follows nobody yet"
    assert [row.actor for row in audited(world, "create", "invitation")] == ["dana@example.org"]
    assert [row.actor for row in audited(world, "accept", "invitation")] == ["fay@example.org"]
    assert world.client("dana").get("/api/v1/invitations").json()["total"] == 0, "accepted: no longer pending"


def test_a_participant_login_invitation_links_the_participant(world: World) -> None:
    paul = enrol_paul(world)
    invited = world.client("bob").post(
        "/api/v1/invitations", json={"email": "paul@example.org", "name": "Paul", "role": "participant",
                                     "participant_id": paul},
    )  # fmt: skip
    assert invited.status_code == 201, invited.text
    accepted = accept(world, last_link(world, "invitation", "paul@example.org"))
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["participant_id"] == paul
    client = sign_in(world, "paul@example.org", PASSWORD)
    assert [item["id"] for item in client.get("/api/v1/participants").json()["items"]] == [paul]
    assert client.get(f"/api/v1/participants/{world.alice_id}").status_code == 404
    again = world.client("bob").post(
        "/api/v1/invitations", json={"email": "other@example.org", "name": "Paul", "role": "participant",
                                     "participant_id": paul},
    )  # fmt: skip
    assert again.status_code == 409 and "already has a login" in again.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_by": None}, "consent_by"),
        ({"consent_name": None}, "consent_name"),
        ({"consent_name": "  "}, "consent_name"),
        ({"consent_by": "friend"}, "consent_by"),
        ({"participant_id": None}, "participant_id"),
    ],
)
def test_a_caregiver_invitation_needs_consent_and_a_participant(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    body = {key: value for key, value in caregiver_invitation(world, **overrides).items() if value is not None}
    refused = world.client("bob").post("/api/v1/invitations", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", field]
    assert emails(world, "invitation") == [], "nothing is queued"


def test_consent_is_only_for_caregivers(world: World) -> None:
    body = {"email": "fay@example.org", "name": "Fay", "role": "trainer", "consent_by": "guardian"}
    refused = world.client("dana").post("/api/v1/invitations", json=body)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "consent_by"]
    staff_for_one = world.client("dana").post(
        "/api/v1/invitations", json={"email": "fay@example.org", "name": "Fay", "role": "trainer",
                                     "participant_id": world.alice_id},
    )  # fmt: skip
    assert staff_for_one.status_code == 422 and staff_for_one.json()["detail"][0]["loc"] == ["body", "participant_id"]


def test_an_accepted_caregiver_sees_alice_and_only_alice_with_the_consent_recorded(world: World) -> None:
    paul = enrol_paul(world)
    assert world.client("bob").post("/api/v1/invitations", json=caregiver_invitation(world)).status_code == 201
    accepted = accept(world, last_link(world, "invitation", "eve@example.org"))
    assert accepted.status_code == 201, accepted.text
    eve = sign_in(world, "eve@example.org", PASSWORD)
    assert [item["id"] for item in eve.get("/api/v1/participants").json()["items"]] == [world.alice_id]
    assert eve.get(f"/api/v1/participants/{world.alice_id}/today").status_code == 200
    assert eve.get(f"/api/v1/participants/{paul}").status_code == 404
    with world.container.uow() as uow:
        link = uow.connection.execute(
            sa.select(caregiver_links).where(caregiver_links.c.caregiver_id == accepted.json()["user_id"])
        ).one()
    assert (link.participant_id, link.consent_by, link.consent_name) == (world.alice_id, "guardian", "Gina Tremblay")
    [record] = audited(world, "accept", "invitation")
    assert record.participant_id == world.alice_id and "guardian" in record.detail
    assert eve.get("/api/v1/auth/me").json()["language"] == "fr", "defaults to Alice's language"


def test_alice_invites_her_own_caregiver_with_her_own_consent(world: World) -> None:
    alice = world.client("alice")
    invited = alice.post("/api/v1/invitations", json={"email": "eve@example.org", "name": "Eve", "role": "caregiver"})
    assert invited.status_code == 201, invited.text
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(invitations)).one()
    assert (row.participant_id, row.consent_by, row.consent_name) == (world.alice_id, "participant", "Alice")
    assert emails(world, "invitation")[0].subject == "Alice vous invite sur NeuroMotrix"
    guardian = alice.post("/api/v1/invitations", json=caregiver_invitation(world, email="gus@example.org"))
    assert guardian.status_code == 422 and guardian.json()["detail"][0]["loc"] == ["body", "consent_by"]
    trainer = alice.post("/api/v1/invitations", json={"email": "tom@example.org", "name": "Tom", "role": "trainer"})
    assert trainer.status_code == 403
    paul = enrol_paul(world)
    other = alice.post("/api/v1/invitations", json=caregiver_invitation(world, participant_id=paul,
                                                                         consent_by="participant"))  # fmt: skip
    assert other.status_code == 404
    assert [item["id"] for item in alice.get("/api/v1/invitations").json()["items"]] == [row.id]


def test_an_existing_caregiver_gets_one_more_person_without_a_new_account(world: World) -> None:
    paul = enrol_paul(world)
    body = caregiver_invitation(world, email="carl@example.org", participant_id=paul, consent_by="participant",
                                consent_name="Paul")  # fmt: skip
    assert world.client("bob").post("/api/v1/invitations", json=body).status_code == 201
    accepted = accept(world, last_link(world, "invitation", "carl@example.org"), password=None)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["existing_account"] is True and accepted.json()["user_id"] == world.ids["carl"]
    carl = sign_in(world, "carl@example.org", PASSWORD)
    assert sorted(item["id"] for item in carl.get("/api/v1/participants").json()["items"]) == [world.alice_id, paul]
    again = world.client("bob").post("/api/v1/invitations", json=body | {"email": "carl@example.org"})
    assert again.status_code == 409 and "already a caregiver" in again.json()["detail"]


def test_an_address_with_an_account_cannot_be_invited_for_another_role(world: World) -> None:
    taken = world.client("dana").post(
        "/api/v1/invitations", json={"email": "bob@example.org", "name": "Bob", "role": "admin"}
    )
    assert taken.status_code == 409 and "already belongs to an account" in taken.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("charlie", {"role": "caregiver"}, 404),  # Alice is not assigned to Charlie
        ("charlie", {"role": "participant", "consent_by": None, "consent_name": None}, 404),
        ("carl", {"role": "caregiver"}, 403),  # caregivers invite nobody
        ("bob", {"role": "trainer", "participant_id": None, "consent_by": None, "consent_name": None}, 403),
        ("anonymous", {"role": "caregiver"}, 401),
    ],
)
def test_who_may_not_invite(world: World, persona: str, body: dict[str, Any], status: int) -> None:
    payload = {key: value for key, value in (caregiver_invitation(world) | body).items() if value is not None}
    response = world.client(persona).post("/api/v1/invitations", json=payload)
    assert response.status_code == status, response.text
    assert emails(world, "invitation") == []


def test_expired_used_withdrawn_and_unknown_links_are_refused_with_what_to_do(world: World) -> None:
    bob = world.client("bob")
    assert bob.post("/api/v1/invitations", json=caregiver_invitation(world)).status_code == 201
    expired = last_link(world, "invitation", "eve@example.org")
    world.clock.now += dt.timedelta(days=7, seconds=1)
    refused = accept(world, expired)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "token"]
    assert "has expired; ask Bob to send a new one" in refused.json()["detail"][0]["msg"]
    listed = bob.get("/api/v1/invitations").json()["items"]
    assert [item["expired"] for item in listed] == [True], "expired invitations stay listed, flagged"

    resent = bob.post("/api/v1/invitations", json=caregiver_invitation(world))
    assert resent.status_code == 201 and resent.json()["replaced"] is True
    token = last_link(world, "invitation", "eve@example.org")
    assert accept(world, token).status_code == 201
    used = accept(world, token)
    assert used.status_code == 422 and "already been used" in used.json()["detail"][0]["msg"]

    assert bob.post("/api/v1/invitations", json=caregiver_invitation(world, email="gus@example.org")).status_code == 201
    withdrawn = last_link(world, "invitation", "gus@example.org")
    [pending] = bob.get("/api/v1/invitations").json()["items"]
    assert bob.delete(f"/api/v1/invitations/{pending['id']}").status_code == 204
    assert "not valid" in accept(world, withdrawn).json()["detail"][0]["msg"]
    assert accept(world, "not-a-token").status_code == 422
    assert [row.actor for row in audited(world, "delete", "invitation")] == ["bob@example.org"]


def test_inviting_the_same_address_again_replaces_the_link(world: World) -> None:
    dana = world.client("dana")
    first = dana.post("/api/v1/invitations", json=caregiver_invitation(world)).json()
    old_token = last_link(world, "invitation", "eve@example.org")
    second = dana.post("/api/v1/invitations", json=caregiver_invitation(world, name="Eve L.")).json()
    new_token = last_link(world, "invitation", "eve@example.org")
    assert second["id"] == first["id"] and second["replaced"] is True and new_token != old_token
    assert dana.get("/api/v1/invitations").json()["total"] == 1
    assert "replaced" in accept(world, old_token).json()["detail"][0]["msg"]
    assert accept(world, new_token).status_code == 201


def test_a_weak_password_keeps_the_link_usable(world: World) -> None:
    world.client("dana").post(
        "/api/v1/invitations", json={"email": "fay@example.org", "name": "Fay", "role": "trainer"}
    )
    token = last_link(world, "invitation", "fay@example.org")
    missing = accept(world, token, password=None)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "password"]
    short = accept(world, token, password="short")
    assert short.status_code == 422 and "too short" in short.json()["detail"][0]["msg"]
    assert accept(world, token).status_code == 201


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("dana", {"bob", "charlie", "alice"}),
        ("bob", {"bob", "alice"}),
        ("charlie", {"charlie"}),
        ("alice", {"bob", "alice"}),
    ],
)
def test_who_sees_which_pending_invitation(world: World, persona: str, expected: set[str]) -> None:
    for sender, body in [
        ("bob", caregiver_invitation(world, email="from-bob@example.org")),
        ("charlie", {"email": "from-charlie@example.org", "name": "X", "role": "participant",
                     "participant_id": enrol_paul_for(world, "charlie")}),
        ("alice", {"email": "from-alice@example.org", "name": "Y", "role": "caregiver"}),
    ]:  # fmt: skip
        assert world.client(sender).post("/api/v1/invitations", json=body).status_code == 201
    listed = world.client(persona).get("/api/v1/invitations").json()["items"]
    assert {item["email"].split("@")[0].removeprefix("from-") for item in listed} == expected
    assert world.client("carl").get("/api/v1/invitations").status_code == 403


def enrol_paul_for(world: World, trainer: str) -> int:
    created = world.client(trainer).post(
        "/api/v1/participants",
        json={"display_name": "Paul", "language": "en", "profile": example_profile("parkinson-foot-dystonia")},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_charlie_cannot_withdraw_bobs_invitation(world: World) -> None:
    world.client("bob").post("/api/v1/invitations", json=caregiver_invitation(world))
    [pending] = world.client("dana").get("/api/v1/invitations").json()["items"]
    assert world.client("charlie").delete(f"/api/v1/invitations/{pending['id']}").status_code == 404
    assert world.client("dana").delete(f"/api/v1/invitations/{pending['id']}").status_code == 204


# Password reset -----------------------------------------------------------------------------------------


def test_reset_answers_the_same_for_an_unknown_address_and_queues_nothing(world: World) -> None:
    anonymous = world.client("anonymous")
    unknown = anonymous.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
    known = anonymous.post("/api/v1/auth/password-reset", json={"email": "Alice@example.org"})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    [email] = emails(world, "password_reset")
    assert email.to_address == "alice@example.org"
    assert email.subject == "Réinitialiser votre mot de passe NeuroMotrix" and "60 minutes" in email.body


def test_reset_sets_a_new_password_and_ends_every_session(world: World) -> None:
    alice = world.client("alice")
    world.client("anonymous").post("/api/v1/auth/password-reset", json={"email": "alice@example.org"})
    token = last_link(world, "password_reset", "alice@example.org")
    anonymous = world.client("anonymous")
    weak = anonymous.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "short"})
    assert weak.status_code == 422 and weak.json()["detail"][0]["loc"] == ["body", "password"]
    done = anonymous.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    assert alice.get("/api/v1/auth/me").status_code == 401, "the old session ended"
    old = anonymous.post("/api/v1/auth/login", json={"email": "alice@example.org", "password": PASSWORD})
    assert old.status_code == 401
    sign_in(world, "alice@example.org", NEW_PASSWORD)
    again = anonymous.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "yet another one"})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "token"]
    assert [row.object_id for row in audited(world, "update", "user")] == [str(world.ids["alice"])]


def test_reset_links_expire_and_one_use_voids_the_others(world: World) -> None:
    anonymous = world.client("anonymous")
    for _ in range(2):
        anonymous.post("/api/v1/auth/password-reset", json={"email": "bob@example.org"})
    first, second = (token_in(row.body) for row in emails(world, "password_reset"))
    confirm = "/api/v1/auth/password-reset/confirm"
    assert anonymous.post(confirm, json={"token": second, "password": NEW_PASSWORD}).status_code == 204
    assert anonymous.post(confirm, json={"token": first, "password": NEW_PASSWORD}).status_code == 422
    anonymous.post("/api/v1/auth/password-reset", json={"email": "bob@example.org"})
    late = last_link(world, "password_reset", "bob@example.org")
    world.clock.now += dt.timedelta(minutes=60)
    expired = anonymous.post("/api/v1/auth/password-reset/confirm", json={"token": late, "password": NEW_PASSWORD})
    assert expired.status_code == 422 and "Ask for a new one" in expired.json()["detail"][0]["msg"]


def test_reset_requests_are_rate_limited_per_address(world: World) -> None:
    anonymous = world.client("anonymous")
    statuses = [
        anonymous.post("/api/v1/auth/password-reset", json={"email": "carl@example.org"}).status_code for _ in range(11)
    ]
    assert statuses == [202] * 10 + [429]
    assert len(emails(world, "password_reset")) == 10
    # Asking for links does not lock the account out of signing in.
    sign_in(world, "carl@example.org", PASSWORD)


def test_a_reset_clears_the_failed_sign_in_count_of_the_address(world: World) -> None:
    anonymous = world.client("anonymous")
    for _ in range(10):
        anonymous.post("/api/v1/auth/login", json={"email": "bob@example.org", "password": "wrong"})
    limiter = world.container.login_limiter
    assert limiter.blocked_for("email:bob@example.org") > 0
    with world.container.uow(write=True) as uow:
        started = accounts.start_password_reset(uow, "bob@example.org", now=world.clock(), minutes=60)
        uow.commit()
    assert started is not None
    confirm = {"token": started[1], "password": NEW_PASSWORD}
    assert anonymous.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 204
    assert limiter.blocked_for("email:bob@example.org") == 0, "the link proved the address"


# Users administration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("charlie", 403), ("alice", 403), ("carl", 403),
                                                  ("anonymous", 401), ("dana", 200)])  # fmt: skip
def test_only_the_clinic_admin_administers_users(world: World, persona: str, status: int) -> None:
    client = world.client(persona)
    bob = world.ids["bob"]
    assert client.get("/api/v1/users").status_code == status
    assert client.get(f"/api/v1/users/{bob}").status_code == status
    assert client.patch(f"/api/v1/users/{bob}", json={"name": "Robert"}).status_code == status


def test_admin_lists_and_reads_users_of_the_clinic_only(world: World) -> None:
    dana = world.client("dana")
    listed = dana.get("/api/v1/users", params={"limit": 2}).json()
    assert listed["total"] == 5 and [item["email"] for item in listed["items"]] == [
        "dana@example.org",
        "bob@example.org",
    ]
    assert listed["items"][0]["two_factor"] is True and "password_hash" not in listed["items"][0]
    trainers = dana.get("/api/v1/users", params={"role": "trainer"}).json()["items"]
    assert [item["email"] for item in trainers] == ["bob@example.org", "charlie@example.org"]
    assert dana.get(f"/api/v1/users/{world.ids['bob']}").json()["participant_ids"] == [world.alice_id]
    assert dana.get(f"/api/v1/users/{world.ids['carl']}").json()["participant_ids"] == [world.alice_id]
    with world.container.uow(write=True) as uow:
        elsewhere = accounts.create_clinic(uow, "Autre clinique", now=world.clock())
        stranger = accounts.create_user(uow, clinic_id=elsewhere, email="zoe@example.org", name="Zoé",
                                        role="trainer", now=world.clock(), password=PASSWORD)  # fmt: skip
        uow.commit()
    assert dana.get(f"/api/v1/users/{stranger}").status_code == 404
    assert dana.patch(f"/api/v1/users/{stranger}", json={"active": False}).status_code == 404
    assert dana.get("/api/v1/users/99999").status_code == 404


def test_admin_changes_a_user_and_the_change_is_audited(world: World) -> None:
    dana, charlie_id = world.client("dana"), world.ids["charlie"]
    changed = dana.patch(f"/api/v1/users/{charlie_id}", json={"name": "Charles", "language": "fr"})
    assert changed.status_code == 200 and (changed.json()["name"], changed.json()["language"]) == ("Charles", "fr")
    assert world.client("charlie").get("/api/v1/auth/me").status_code == 200, "a new name keeps the sessions"
    off = dana.patch(f"/api/v1/users/{charlie_id}", json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert world.client("charlie").get("/api/v1/auth/me").status_code == 401
    assert dana.patch(f"/api/v1/users/{world.ids['bob']}", json={"role": "admin"}).json()["role"] == "admin"
    assert world.client("bob").get("/api/v1/auth/me").status_code == 401, "a new role ends the sessions"
    details = [row.detail for row in audited(world, "update", "user")]
    assert details == ["language en -> fr; name", "active True -> False", "role trainer -> admin"]
    assert dana.patch(f"/api/v1/users/{world.ids['bob']}", json={"shoe_size": 42}).status_code == 422


@pytest.mark.parametrize(
    ("who", "body", "message"),
    [
        ("dana", {"role": "trainer"}, "your own role"),
        ("dana", {"active": False}, "your own account"),
        ("alice", {"role": "caregiver"}, "login of participant"),
    ],
)
def test_changes_that_would_lock_out_the_admin_or_orphan_a_participant_are_refused(
    world: World, who: str, body: dict[str, Any], message: str
) -> None:
    refused = world.client("dana").patch(f"/api/v1/users/{world.ids[who]}", json=body)
    assert refused.status_code == 409 and message in refused.json()["detail"]


def test_admin_assigns_and_unassigns_a_trainer(world: World) -> None:
    dana, charlie = world.client("dana"), world.client("charlie")
    path = f"/api/v1/users/{world.ids['charlie']}/assignments"
    assert charlie.get(f"/api/v1/participants/{world.alice_id}").status_code == 404
    assigned = dana.post(path, json={"participant_id": world.alice_id})
    assert assigned.status_code == 201 and assigned.json() == {"user_id": world.ids["charlie"],
                                                               "participant_id": world.alice_id}  # fmt: skip
    assert dana.post(path, json={"participant_id": world.alice_id}).status_code == 201, "assigning twice is harmless"
    assert charlie.get(f"/api/v1/participants/{world.alice_id}").status_code == 200
    assert dana.delete(f"{path}/{world.alice_id}").status_code == 204
    assert charlie.get(f"/api/v1/participants/{world.alice_id}").status_code == 404
    assert dana.delete(f"{path}/{world.alice_id}").status_code == 404
    not_staff = dana.post(f"/api/v1/users/{world.ids['carl']}/assignments", json={"participant_id": world.alice_id})
    assert not_staff.status_code == 422
    assert dana.post(path, json={"participant_id": 99999}).status_code == 404
    assert world.client("bob").post(path, json={"participant_id": world.alice_id}).status_code == 403
    assert [row.action for row in audited(world, "create", "assignment") + audited(world, "delete", "assignment")] == [
        "create", "create", "delete"]  # fmt: skip


def test_the_routes_are_in_the_openapi_description(world: World) -> None:
    paths = world.client("anonymous").get("/openapi.json").json()["paths"]
    for path in ("/api/v1/invitations", "/api/v1/invitations/{invitation_id}", "/api/v1/auth/invitations/accept",
                 "/api/v1/auth/password-reset", "/api/v1/auth/password-reset/confirm", "/api/v1/users",
                 "/api/v1/users/{user_id}", "/api/v1/users/{user_id}/assignments",
                 "/api/v1/users/{user_id}/assignments/{participant_id}"):  # fmt: skip
        assert path in paths, path
        assert all(operation["summary"] and operation["description"] for operation in paths[path].values()), path


def test_participants_keep_their_login_link_after_acceptance(world: World) -> None:
    """The participant-login invitation writes `participants.user_id`, nothing else about the person."""
    paul = enrol_paul(world)
    world.client("dana").post("/api/v1/invitations", json={"email": "paul@example.org", "name": "Paul",
                                                            "role": "participant", "participant_id": paul})  # fmt: skip
    user = accept(world, last_link(world, "invitation", "paul@example.org")).json()["user_id"]
    with world.container.uow() as uow:
        row = uow.connection.execute(sa.select(participants).where(participants.c.id == paul)).one()
        role = uow.connection.execute(sa.select(users.c.role).where(users.c.id == user)).scalar_one()
    assert (row.user_id, row.display_name, role) == (user, "Paul", "participant")
