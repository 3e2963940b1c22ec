"""Twenty writers at once, on SQLite (file, WAL) and on PostgreSQL: nothing fails, nothing is lost or doubled.

Each writer is a thread with its own API client (bearer token) logging sessions and next-day check-ins, for one
busy participant (ten writers: the trainer, the caregiver and the participant themself) and for two others.
Every writer first sends the same retried requests as the others, with the same `Idempotency-Key` and body,
all released at once by a barrier: exactly one of each is stored, the others replay its answer. Afterwards
every write is in the database once, with its idempotency key and its audit record, and "database is locked"
never reached a caller.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import audit_log, checkins, idempotency_keys, session_logs
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import accounts, participants, programs
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, Clock, example_profile

WRITERS = 20
SESSION_DAY = "2026-11-23"  # NOW's date in the clinic's zone: the first session of the example profile's plan
CHECKIN_DAY = "2026-11-24"
Kind = Literal["log", "checkin"]
# Who writes for whom: the busy participant p0 has a trainer, a caregiver and their own login.
WRITERS_OF = {"p0": ("bob", "carl", "u0"), "p1": ("bob", "u1"), "p2": ("bob", "u2")}


@dataclass(frozen=True)
class Write:
    actor: str
    participant: str
    kind: Kind
    key: str


@dataclass(frozen=True)
class Outcome:
    write: Write
    status: int
    body: Any
    replayed: bool


@dataclass
class Seeded:
    app: Any
    participant_ids: dict[str, int]
    user_ids: dict[str, int]
    tokens: dict[str, str]
    blocks: dict[str, list[dict[str, Any]]]


def seed(container: Container) -> Seeded:
    """A clinic, trainer Bob, caregiver Carl, three participants with approved programs, one API token each."""
    container.clock = Clock(NOW)
    user_ids: dict[str, int] = {}
    participant_ids: dict[str, int] = {}
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Demo", now=NOW)
        roles = {"bob": "trainer", "carl": "caregiver", "u0": "participant", "u1": "participant", "u2": "participant"}
        for name, role in roles.items():
            user_ids[name] = accounts.create_user(
                uow, clinic_id=clinic, email=f"{name}@example.org", name=name, role=role, now=NOW
            )
        bob = Actor(user_ids["bob"], clinic, "trainer", "bob@example.org", "bob", "en")
        for index, name in enumerate(WRITERS_OF):
            participant_ids[name] = participants.enrol(
                uow, bob, display_name=name, language="en", profile=parse_profile(example_profile()), now=NOW,
                today=NOW.date(), user_id=user_ids[f"u{index}"],
            )  # fmt: skip
            draft = programs.generate(uow, bob, participant_ids[name], now=NOW, reason="intake")
            programs.approve(uow, bob, participant_ids[name], draft.version, now=NOW)
        participants.link_caregiver(
            uow, caregiver_id=user_ids["carl"], participant_id=participant_ids["p0"], consent_by="participant",
            consent_name="p0", now=NOW,
        )  # fmt: skip
        tokens = {}
        for name in user_ids:
            row = accounts.user_by_email(uow, f"{name}@example.org")
            assert row is not None
            actor = accounts.actor_from_row(row, second_factor=False)
            tokens[name] = accounts.create_api_token(uow, actor, "concurrency test", now=NOW)[1]
        uow.commit()
    app = create_app(container)
    blocks = {}
    client = TestClient(
        app, headers={"Authorization": f"Bearer {tokens['bob']}"}
    )  # no `with`: it would close the container
    for name, participant_id in participant_ids.items():
        response = client.get(f"/api/v1/participants/{participant_id}/today")
        assert response.status_code == 200, response.text
        assert response.json()["date"] == SESSION_DAY
        blocks[name] = response.json()["session"]["blocks"]
    client.close()
    return Seeded(app=app, participant_ids=participant_ids, user_ids=user_ids, tokens=tokens, blocks=blocks)


def plan() -> list[list[Write]]:
    """What each writer sends, in order: the shared retries first (they race), then its own entries."""
    writers = []
    for number in range(WRITERS):
        participant = "p0" if number < WRITERS // 2 else ("p1" if number % 2 else "p2")
        others = WRITERS_OF[participant]
        actor = others[number % len(others)]
        shared = [Write("bob", participant, kind, f"retry-{kind}-{participant}") for kind in ("log", "checkin")]
        own = [Write(actor, participant, kind, f"w{number}-{step}-{kind}") for step in range(2) for kind in ("log", "checkin")]  # fmt: skip
        writers.append(shared + own)
    return writers


def body(seeded: Seeded, write: Write) -> dict[str, Any]:
    """The same write always has the same body, so a retry is a true retry."""
    if write.kind == "checkin":
        return {"checked_on": CHECKIN_DAY, "pain": 2, "dystonia": 3, "fatigue": 2, "notes": write.key}
    return {
        "performed_on": SESSION_DAY,
        "before": {"pain": 3, "dystonia": 3, "fatigue": 2},
        "after": {"pain": 3, "dystonia": 3, "fatigue": 3},
        "notes": write.key,
        "blocks": [
            {"position": index, "exercise_id": block["exercise_id"], "status": "done", "effort": 2, "pain": 1}
            for index, block in enumerate(seeded.blocks[write.participant])
        ],
    }


def server_error() -> str:
    """The error being handled, short: where it was raised in the project, and the first line of its message."""
    kind, error, trace = sys.exc_info()
    frames = [frame for frame in traceback.extract_tb(trace) if "/neuromotrix/" in frame.filename]
    where = f"{frames[-1].filename.rsplit('/neuromotrix/', 1)[1]}:{frames[-1].lineno}" if frames else "?"
    name = kind.__name__ if kind else "?"
    return f"{name} at {where}: {str(error).splitlines()[0] if str(error) else ''}"


def run_writers(seeded: Seeded, writers: list[list[Write]]) -> tuple[list[Outcome], list[str]]:
    barrier = threading.Barrier(len(writers))
    outcomes: list[Outcome] = []
    failures: list[str] = []
    lock = threading.Lock()

    def writer(writes: list[Write]) -> None:
        clients = {
            name: TestClient(seeded.app, headers={"Authorization": f"Bearer {token}"})
            for name, token in seeded.tokens.items()
        }
        barrier.wait(timeout=60)
        for write in writes:
            route = "session-logs" if write.kind == "log" else "checkins"
            path = f"/api/v1/participants/{seeded.participant_ids[write.participant]}/{route}"
            try:
                response = clients[write.actor].post(
                    path, json=body(seeded, write), headers={"Idempotency-Key": write.key}
                )
            except Exception:  # a server error raised in the app: keep it for the report, go on writing
                with lock:
                    failures.append(f"{write}: {server_error()}")
                continue
            outcome = Outcome(write, response.status_code, response.json(), "idempotent-replay" in response.headers)
            with lock:
                outcomes.append(outcome)
        for client in clients.values():
            client.close()

    threads = [threading.Thread(target=writer, args=(writes,), name=f"writer-{n}") for n, writes in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer is still running after 5 minutes"
    return outcomes, failures


def test_twenty_concurrent_writers_lose_and_double_nothing(container: Container) -> None:
    seeded = seed(container)
    writers = plan()
    outcomes, failures = run_writers(seeded, writers)

    assert not failures, "\n".join(failures)
    refused = [f"{o.write}: {o.status} {o.body}" for o in outcomes if o.status != 201]
    assert not refused, "\n".join(refused)
    assert len(outcomes) == sum(len(writes) for writes in writers)

    # One stored entry per key; every retry answers with that entry and says it is a replay.
    ids_by_key: dict[tuple[str, Kind, str], set[int]] = defaultdict(set)
    replays: Counter[tuple[str, Kind, str]] = Counter()
    for outcome in outcomes:
        identity = (outcome.write.actor, outcome.write.kind, outcome.write.key)
        ids_by_key[identity].add(outcome.body["id"])
        replays[identity] += outcome.replayed
    sent: Counter[tuple[str, Kind, str]] = Counter((w.actor, w.kind, w.key) for writes in writers for w in writes)
    assert {key: len(ids) for key, ids in ids_by_key.items()} == dict.fromkeys(sent, 1)
    assert dict(replays) == {key: count - 1 for key, count in sent.items()}

    # Every write is in the database once, entered by the right person, with its key and its audit record.
    expected = {
        kind: {
            next(iter(ids_by_key[(write.actor, kind, write.key)])): write
            for writes in writers
            for write in writes
            if write.kind == kind
        }
        for kind in ("log", "checkin")
    }
    with container.uow() as uow:
        for kind, table, object_type in (("log", session_logs, "session_log"), ("checkin", checkins, "checkin")):
            rows = uow.connection.execute(
                sa.select(table.c.id, table.c.participant_id, table.c.entered_by, table.c.notes)
            ).all()
            assert sorted(row.id for row in rows) == sorted(expected[kind])
            for row in rows:
                write = expected[kind][row.id]
                assert (row.participant_id, row.entered_by, row.notes) == (
                    seeded.participant_ids[write.participant],
                    seeded.user_ids[write.actor],
                    write.key,
                )
            audited = uow.connection.execute(
                sa.select(audit_log.c.object_id, audit_log.c.actor_id, audit_log.c.participant_id).where(
                    audit_log.c.action == "create", audit_log.c.object_type == object_type
                )
            ).all()
            assert sorted((int(row.object_id), row.actor_id, row.participant_id) for row in audited) == sorted(
                (row.id, row.entered_by, row.participant_id) for row in rows
            )
        keys = uow.connection.execute(sa.select(idempotency_keys.c.user_id, idempotency_keys.c.key)).all()
    assert sorted((row.user_id, row.key) for row in keys) == sorted(
        (seeded.user_ids[actor], key) for actor, _kind, key in sent
    )


@pytest.mark.parametrize("kind", ["log", "checkin"])
def test_a_retry_with_another_body_is_refused_while_writers_race(container: Container, kind: Kind) -> None:
    """Same key, different bodies, sent at once: one is stored, every other answer is 201 replay or 422."""
    seeded = seed(container)
    racers = [[Write("bob", "p0", kind, "same-key")] for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    route = "session-logs" if kind == "log" else "checkins"
    path = f"/api/v1/participants/{seeded.participant_ids['p0']}/{route}"

    def racer(number: int) -> None:
        client = TestClient(seeded.app, headers={"Authorization": f"Bearer {seeded.tokens['bob']}"})
        payload = body(seeded, racers[number][0]) | {"notes": f"variant {number % 2}"}
        barrier.wait(timeout=60)
        try:
            response = client.post(path, json=payload, headers={"Idempotency-Key": "same-key"})
        except Exception:
            with lock:
                failures.append(server_error())
            return
        finally:
            client.close()
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=racer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, "\n".join(failures)
    counts = Counter(statuses)
    assert set(counts) <= {201, 422} and counts[201] >= 1, counts
    table = session_logs if kind == "log" else checkins
    with container.uow() as uow:
        stored = uow.connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    assert stored == 1
    # Replays carry the stored variant's body, so exactly the racers that sent that variant got 201.
    assert counts[201] == WRITERS // 2
