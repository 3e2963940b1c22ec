"""Shared steps of the trainer page tests: Dana's sign-in with her code, a second participant for Bob, alerts of
chosen severities, Alice's sessions logged through the API as her app would, and the page's text without tags."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import httpx2 as httpx
import pyotp
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import alerts as alert_rows
from neuromotrix.adapters.db.tables import users
from neuromotrix.domain.alerts import Alert, AlertSeverity, Message
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import alerts, participants, programs
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, PASSWORD, TOTP_SECRET, World, example_profile
from tests.web.conftest import Web, csrf_of

TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """Spaces and no-break spaces as single plain spaces."""
    return SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " "))


def text_of(response: httpx.Response) -> str:
    """The page's visible words: tags removed, entities decoded, spaces made plain."""
    return plain(html.unescape(TAG.sub(" ", response.text)))


def dana(web: Web) -> TestClient:
    """Dana (clinic admin) signed in through the page with her two-step code."""
    browser = web.browser()
    page = browser.get("/login")
    signed = browser.post(
        "/login",
        data={
            "csrf_token": csrf_of(page),
            "email": "dana@example.org",
            "password": PASSWORD,
            "totp": pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now),
        },
    )
    assert signed.status_code == 303, signed.text
    return browser


def bob_actor(world: World) -> Actor:
    with world.container.uow() as uow:
        clinic = uow.connection.execute(sa.select(users.c.clinic_id).where(users.c.id == world.ids["bob"])).scalar_one()
    return Actor(world.ids["bob"], clinic, "trainer", "bob@example.org", "Bob", "en")


def enrol_for_bob(world: World, name: str, *, language: str = "en", approve: bool = True) -> int:
    """Another participant of Bob's, with an approved program (or only its first draft)."""
    bob = bob_actor(world)
    with world.container.uow(write=True) as uow:
        participant_id = participants.enrol(
            uow, bob, display_name=name, language=language, profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(),
        )  # fmt: skip
        draft = programs.generate(uow, bob, participant_id, now=NOW, reason="intake")
        if approve:
            programs.approve(uow, bob, participant_id, draft.version, now=NOW)
        uow.commit()
    return participant_id


def raise_alert(world: World, participant_id: int, severity: AlertSeverity, key: str, *, en: str, fr: str) -> int:
    with world.container.uow(write=True) as uow:
        raised = [Alert(kind="test", severity=severity, message=Message(en, fr), key=key)]
        alerts.raise_alerts(uow, participant_id, raised, now=world.clock.now)
        found = uow.connection.execute(
            sa.select(alert_rows.c.id).where(alert_rows.c.participant_id == participant_id, alert_rows.c.key == key)
        ).scalar_one()
        uow.commit()
    return int(found)


def log_alice_session(world: World, *, pulling_after: int = 3) -> dict[str, Any]:
    """Alice logs today's session through the API, every block done; `pulling_after` 6 or more is a flare."""
    alice = world.client("alice")
    base = f"/api/v1/participants/{world.alice_id}"
    today = alice.get(f"{base}/today").json()
    blocks = []
    for index, block in enumerate(today["session"]["blocks"]):
        target = block["dose"]["effort"]["target"]
        effort = target[0] if isinstance(target, list) else target
        blocks.append({"position": index, "exercise_id": block["exercise_id"], "status": "done", "effort": effort, "pain": 1})  # fmt: skip
    body = {
        "performed_on": today["date"],
        "before": {"pain": 2, "dystonia": 3, "fatigue": 2},
        "after": {"pain": 2, "dystonia": pulling_after, "fatigue": 3},
        "blocks": blocks,
    }
    answer = alice.post(f"{base}/session-logs", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def afternoon(day: dt.date) -> dt.datetime:
    """15:00 in Montréal on `day`."""
    return dt.datetime.combine(day, dt.time(20, 0, tzinfo=dt.UTC))
