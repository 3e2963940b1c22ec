"""The persona world of the API tests (DESIGN.md): Alice (participant, cervical dystonia), her caregiver Carl, her
trainer Bob, another trainer Charlie, the clinic admin Dana (two-factor on), and an anonymous caller.

Each persona gets a signed-in `TestClient` (cookie + CSRF header), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import users
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import accounts, participants, programs
from neuromotrix.services.access import Actor
from neuromotrix.services.profiles import parse_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 10:00 in Montréal, the first session day of Alice's plan
PASSWORD = "correct horse battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def example_profile(name: str = "cervical-dystonia") -> dict[str, Any]:
    path = EXAMPLES / f"{name}.yaml"
    document: dict[str, Any] = parse_document(path.read_text(encoding="utf-8"), source=str(path))
    return _iso_dates(document)


def _iso_dates(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _iso_dates(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_iso_dates(value) for value in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class World:
    container: Container
    clock: Clock
    clients: dict[str, TestClient]
    ids: dict[str, int]
    alice_id: int

    def client(self, persona: str) -> TestClient:
        return self.clients[persona]


def _sign_in(app: Any, email: str, *, totp: str | None = None) -> TestClient:
    client = TestClient(app, raise_server_exceptions=True)
    body: dict[str, Any] = {"email": email, "password": PASSWORD}
    if totp is not None:
        body["totp"] = totp
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def build_world(container: Container) -> World:
    clock = Clock(NOW)
    container.clock = clock
    ids: dict[str, int] = {}
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Demo", now=NOW)
        for persona, role in [
            ("dana", "admin"),
            ("bob", "trainer"),
            ("charlie", "trainer"),
            ("alice", "participant"),
            ("carl", "caregiver"),
        ]:
            ids[persona] = accounts.create_user(
                uow, clinic_id=clinic, email=f"{persona}@example.org", name=persona.title(), role=role, now=NOW,
                password=PASSWORD, language="fr" if persona == "alice" else "en",
            )  # fmt: skip
        uow.connection.execute(
            users.update().where(users.c.id == ids["dana"]).values(totp_secret=TOTP_SECRET, totp_enabled=True)
        )
        bob = Actor(ids["bob"], clinic, "trainer", "bob@example.org", "Bob", "en")
        from neuromotrix.entrypoints.web.api.common import parse_profile

        alice_id = participants.enrol(
            uow, bob, display_name="Alice", language="fr", profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(), user_id=ids["alice"],
        )  # fmt: skip
        draft = programs.generate(uow, bob, alice_id, now=NOW, reason="intake")
        programs.approve(uow, bob, alice_id, draft.version, now=NOW)
        participants.link_caregiver(
            uow, caregiver_id=ids["carl"], participant_id=alice_id, consent_by="participant", consent_name="Alice",
            now=NOW,
        )  # fmt: skip
        uow.commit()
    app = create_app(container)
    clients = {persona: _sign_in(app, f"{persona}@example.org") for persona in ("alice", "bob", "charlie", "carl")}
    clients["dana"] = _sign_in(app, "dana@example.org", totp=pyotp.TOTP(TOTP_SECRET).at(NOW))
    clients["anonymous"] = TestClient(app)
    return World(container=container, clock=clock, clients=clients, ids=ids, alice_id=alice_id)


@pytest.fixture
def world(container: Container) -> Iterator[World]:
    built = build_world(container)
    yield built
    for client in built.clients.values():
        client.close()


def session_log_body(world: World, **overrides: Any) -> dict[str, Any]:
    """A complete, clean log of today's session for Alice."""
    today = world.client("alice").get(f"/api/v1/participants/{world.alice_id}/today").json()
    blocks = [
        {"position": index, "exercise_id": block["exercise_id"], "status": "done", "effort": 2, "pain": 1}
        for index, block in enumerate(today["session"]["blocks"])
    ]
    body: dict[str, Any] = {
        "performed_on": today["date"],
        "before": {"pain": 3, "dystonia": 3, "fatigue": 2},
        "after": {"pain": 3, "dystonia": 3, "fatigue": 3},
        "blocks": blocks,
    }
    return body | overrides


def user_id(container: Container, email: str) -> int:
    with container.uow() as uow:
        return int(uow.connection.execute(sa.select(users.c.id).where(users.c.email == email)).scalar_one())


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id with small parameters: the API tests sign in hundreds of times. The real parameters are the
    library's defaults, exercised in tests/unit/test_security.py; rehash-on-login is tested there too."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from neuromotrix.adapters import security

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            security, "_passwords", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
        )
        yield
