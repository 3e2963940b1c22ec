"""The demo clinic (services/demo.py): `neuromotrix serve --demo` and `neuromotrix db seed-demo`.

Seeded on SQLite and PostgreSQL through the services, read back from the tables, signed in to through the API, and
started for real as `neuromotrix serve --demo` on a free port.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pyotp
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from neuromotrix.adapters.db.tables import (
    alerts,
    assignments,
    audit_log,
    block_logs,
    caregiver_links,
    checkins,
    clinics,
    participants,
    program_versions,
    session_logs,
    users,
)
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.cli import app as cli
from neuromotrix.entrypoints.web.api.logs import CheckinIn
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import demo, demo_story
from neuromotrix.services.profiles import parse_document
from neuromotrix.settings import Settings
from tests.dbutil import table_contents
from tests.smtpsink import free_port

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 10:00 in Montréal
TODAY = dt.date(2026, 11, 23)
START = TODAY - dt.timedelta(weeks=6)
EFFORT_SCALES = {"cr10": (0, 10), "rpe": (6, 20), "percent_max": (0, 100), "talk_test": (0, 10)}


def seeded(container: Container) -> demo.DemoSummary:
    container.clock = lambda: NOW
    return demo.seed_demo(container, now=NOW)


def rows(container: Container, query: sa.Select[Any]) -> list[sa.Row[Any]]:
    with container.uow() as uow:
        return list(uow.connection.execute(query).all())


def participant_ids(container: Container) -> dict[str, int]:
    found = rows(
        container, sa.select(users.c.email, participants.c.id).join(participants, participants.c.user_id == users.c.id)
    )
    return {row.email.split("@")[0]: row.id for row in found}


def first_plan(container: Container, participant_id: int) -> dict[str, Any]:
    plan = rows(
        container,
        sa.select(program_versions.c.plan).where(
            program_versions.c.participant_id == participant_id, program_versions.c.version == 1
        ),
    )[0].plan
    parsed: dict[str, Any] = json.loads(plan)
    return parsed


def test_seeding_an_empty_database_makes_the_demo_clinic(container: Container) -> None:
    summary = seeded(container)
    assert summary.seeded and summary.first_day == START and summary.last_day == TODAY - dt.timedelta(days=1)
    assert [(p.email, p.role, p.language) for p in summary.accounts] == [
        ("dana@example.org", "admin", "fr"),
        ("bob@example.org", "trainer", "en"),
        ("alice@example.org", "participant", "fr"),
        ("paul@example.org", "participant", "en"),
        ("lea@example.org", "participant", "fr"),
        ("carl@example.org", "caregiver", "fr"),
    ]
    assert container.clock() == NOW  # the story's clock is given back

    clinic = rows(container, sa.select(clinics))
    assert [(c.name, c.time_zone, c.emergency_number, c.health_line) for c in clinic] == [
        ("Clinique NeuroMotrix (démo)", "America/Montreal", "911", "811")
    ]
    accounts = {row.email: row for row in rows(container, sa.select(users))}
    assert set(accounts) == {person.email for person in summary.accounts}
    dana = accounts["dana@example.org"]
    assert dana.totp_enabled and dana.totp_secret == demo.DEMO_TOTP_SECRET
    assert not any(row.totp_enabled for email, row in accounts.items() if email != "dana@example.org")

    ids = participant_ids(container)
    assert set(ids) == {"alice", "paul", "lea"}
    bob = accounts["bob@example.org"].id
    followed = rows(container, sa.select(assignments.c.participant_id).where(assignments.c.trainer_id == bob))
    assert {row.participant_id for row in followed} == set(ids.values())
    link = rows(container, sa.select(caregiver_links))
    assert [(r.caregiver_id, r.participant_id, r.consent_by) for r in link] == [
        (accounts["carl@example.org"].id, ids["alice"], "participant")
    ]
    languages = {key: first_plan(container, pid)["language"] for key, pid in ids.items()}
    assert languages == {"alice": "fr", "paul": "en", "lea": "fr"}
    for key, pid in ids.items():
        versions = rows(container, sa.select(program_versions).where(program_versions.c.participant_id == pid))
        first = next(v for v in versions if v.version == 1)
        assert first.source == "generated" and first.approved_by == bob, key
        assert first_plan(container, pid)["start_on"] == START.isoformat()
        assert sum(v.status == "active" for v in versions) == 1
        assert any(v.source == "adaptation" for v in versions), key

    logs = rows(container, sa.select(session_logs))
    for key, pid in ids.items():
        own = [log for log in logs if log.participant_id == pid]
        days = sorted(log.performed_on for log in own)
        assert days[0] < START + dt.timedelta(days=7) and days[-1] >= TODAY - dt.timedelta(days=7), key
        assert days[-1] < TODAY
        planned = [
            session["date"]
            for week in first_plan(container, pid)["weeks"]
            for session in week["sessions"]
            if START.isoformat() <= session["date"] < TODAY.isoformat()
        ]
        assert 0.8 <= len(own) / len(planned) <= 0.86, (key, len(own), len(planned))
        assert all(1 <= log.pre_pain <= 3 for log in own), key
    assert sum(p.session_logs for p in summary.participants) == len(logs)


def test_the_demo_tells_a_story_with_alerts(container: Container) -> None:
    seeded(container)
    ids = participant_ids(container)
    raised = rows(container, sa.select(alerts))
    kinds = {key: Counter(a.kind for a in raised if a.participant_id == pid) for key, pid in ids.items()}
    assert kinds["alice"]["flare"] >= 1 and kinds["alice"]["item_paused"] == 1
    assert kinds["paul"]["hard_stop"] == 1
    open_for_bob = {a.kind for a in raised if a.acknowledged_at is None}
    assert {"flare", "item_paused"} <= open_for_bob
    assert all(a.acknowledged_at is not None for a in raised if a.kind in ("program_draft", "hard_stop"))

    changes = [
        change
        for version in rows(
            container, sa.select(program_versions).where(program_versions.c.participant_id == ids["alice"])
        )
        if version.source == "adaptation"
        for change in version.changes
    ]
    actions = Counter(change["action"] for change in changes)
    assert actions["regress"] >= 1 and actions["pause"] == 1 and actions["progress"] >= 1
    assert "adaptation.regress.moderate_flare" in {rule for change in changes for rule in change["rules"]}

    logs = rows(container, sa.select(session_logs))
    flares = [log for log in logs if log.post_dystonia is not None and log.post_dystonia - log.pre_dystonia >= 2]
    assert flares and all(log.participant_id == ids["alice"] for log in flares)
    week_four = START + dt.timedelta(weeks=3)
    assert week_four <= flares[0].performed_on < week_four + dt.timedelta(weeks=1)
    stopped = [log for log in logs if log.stop_reason is not None]
    assert [(log.participant_id, log.stop_reason) for log in stopped] == [(ids["paul"], "dizziness")]
    by_carl = [log for log in logs if log.entered_as == "caregiver"]
    assert len(by_carl) >= 3 and {log.participant_id for log in by_carl} == {ids["alice"]}

    answers = rows(container, sa.select(checkins))
    next_day = [c for c in answers if c.kind == "next_day"]
    assert 0.85 <= len(next_day) / len(logs) < 1  # most sessions, not all
    flare_checkin = next(c for c in next_day if c.session_log_id == flares[0].id)
    assert flare_checkin.answers["dystonia"] - flares[0].pre_dystonia >= 3
    post_injection = [c for c in answers if c.kind == "post_injection"]
    injected = START - dt.timedelta(days=18)  # the example's injection, 18 days before its start
    assert post_injection and {c.participant_id for c in post_injection} == {ids["alice"]}
    assert all(injected < c.checked_on <= injected + dt.timedelta(days=21) for c in post_injection)

    blocks = rows(container, sa.select(block_logs))
    statuses = Counter(block.status for block in blocks)
    assert statuses["done"] > 5 * statuses["partial"] > 0
    for block in blocks:
        if block.effort is not None:
            low, high = EFFORT_SCALES[block.effort_scale]
            assert low <= block.effort <= min(high, block.effort_target), block
    audited = rows(container, sa.select(audit_log.c.action, audit_log.c.object_type))
    assert ("create", "session_log") in {(row.action, row.object_type) for row in audited}


def test_a_second_seeding_changes_nothing(container: Container) -> None:
    seeded(container)
    before = table_contents(container.engine)
    again = seeded(container)
    assert not again.seeded and "nothing seeded" in again.message
    assert [p.email for p in again.accounts] == [p.email for p in demo.PEOPLE]  # still printed
    assert table_contents(container.engine) == before


def test_a_database_with_another_clinic_is_left_alone(container: Container) -> None:
    from neuromotrix.services import accounts

    with container.uow(write=True) as uow:
        accounts.create_clinic(uow, "Clinique du Parc", now=NOW)
        uow.commit()
    summary = seeded(container)
    assert not summary.seeded and summary.accounts == ()
    assert rows(container, sa.select(users)) == []
    assert "nothing seeded" in "\n".join(summary.lines())


def test_the_same_now_gives_the_same_demo(sqlite_url: str, tmp_path: Path) -> None:
    contents = []
    for url in (sqlite_url, f"sqlite:///{tmp_path / 'again.db'}"):
        box = Container(Settings(database_url=url, jobs=False))
        try:
            box.migrate()
            seeded(box)
            every = table_contents(box.engine)
        finally:
            box.close()
        contents.append({name: every[name] for name in ("session_logs", "block_logs", "checkins", "alerts")})
    assert contents[0] == contents[1]


def test_demo_accounts_sign_in_through_the_api(container: Container) -> None:
    seeded(container)
    client = TestClient(create_app(container))
    for person in demo.PEOPLE:
        if person.key != "dana":
            answer = client.post("/api/v1/auth/login", json={"email": person.email, "password": "demo"})
            assert answer.status_code == 200, (person.email, answer.text)
    no_code = client.post("/api/v1/auth/login", json={"email": "dana@example.org", "password": "demo"})
    assert no_code.status_code == 401 and "totp" in no_code.json()["detail"]
    code = pyotp.TOTP(demo.DEMO_TOTP_SECRET).at(NOW)
    dana = client.post("/api/v1/auth/login", json={"email": "dana@example.org", "password": "demo", "totp": code})
    assert dana.status_code == 200, dana.text
    listed = client.get("/api/v1/users")
    assert listed.status_code == 200 and listed.json()["total"] == 6  # an admin with two-factor gets through

    bob = TestClient(create_app(container))
    assert bob.post("/api/v1/auth/login", json={"email": "bob@example.org", "password": "demo"}).status_code == 200
    assert {item["kind"] for item in bob.get("/api/v1/alerts", params={"open": "true"}).json()["items"]} >= {
        "flare",
        "item_paused",
    }
    alice = participant_ids(container)["alice"]
    today = bob.get(f"/api/v1/participants/{alice}/today").json()
    assert today["date"] == TODAY.isoformat() and today["next_session"] is not None  # the program goes on


def test_only_the_demo_turns_off_the_password_strength_check() -> None:
    sources = sorted((ROOT / "src" / "neuromotrix").rglob("*.py"))
    callers = [path.name for path in sources if "check_strength=False" in path.read_text(encoding="utf-8")]
    assert callers == ["demo.py"]


def test_the_demo_keeps_the_example_profiles_and_the_check_in_fields() -> None:
    for name, embedded in demo.EXAMPLE_PROFILES.items():
        path = ROOT / "examples" / f"{name}.yaml"
        assert parse_document(path.read_text(encoding="utf-8"), source=str(path)) == iso_dates(embedded), name
    shifted = demo.demo_profile("cervical-dystonia", start=START, language="fr")
    assert shifted["language"] == "fr" and shifted["preferences"]["start_on"] == START
    assert shifted["preferences"]["weeks"] == demo.WEEKS_LOGGED + demo.WEEKS_AHEAD
    assert shifted["treatments"]["botulinum_toxin"][0]["date"] == START - dt.timedelta(days=18)
    assert shifted["screening"]["clearance"]["on"] == START - dt.timedelta(days=53)
    route = set(CheckinIn.model_fields) - {"kind", "checked_on", "session_log_id", "notes"}
    assert set(demo_story.CHECKIN_FIELDS) == route


def iso_dates(node: Any) -> Any:
    """The document as the YAML loader gives it: dates as ISO strings."""
    if isinstance(node, dict):
        return {key: iso_dates(value) for key, value in node.items()}
    if isinstance(node, list):
        return [iso_dates(value) for value in node]
    return node.isoformat() if isinstance(node, dt.date) else node


def test_db_seed_demo_seeds_once(database_url: str) -> None:
    environment = {"NEUROMOTRIX_DATABASE_URL": database_url, "NEUROMOTRIX_JOBS": "false"}
    first = CliRunner().invoke(cli, ["db", "seed-demo"], env=environment)
    assert first.exit_code == 0, first.output
    assert "Seeded the demo clinic" in first.output and "dana@example.org" in first.output
    assert demo.DEMO_TOTP_SECRET in first.output and "otpauth://totp/" in first.output
    second = CliRunner().invoke(cli, ["db", "seed-demo"], env=environment)
    assert second.exit_code == 0 and "nothing seeded" in second.output


def test_serve_demo_prints_the_accounts_and_serves(tmp_path: Path) -> None:
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("NEUROMOTRIX_")}
    environment["NEUROMOTRIX_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.db'}"
    command = [sys.executable, "-m", "neuromotrix.entrypoints.cli", "serve", "--demo", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert _wait_until_up(f"{base}/healthz", process), "serve --demo did not answer /healthz"
            login = urllib.request.Request(
                f"{base}/api/v1/auth/login",
                data=json.dumps({"email": "alice@example.org", "password": "demo"}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(login, timeout=10) as answer:
                assert answer.status == 200
            process.send_signal(signal.SIGTERM)
            _, errors = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode in (0, -signal.SIGTERM), errors  # uvicorn re-raises the signal once it has stopped
    assert "Seeded the demo clinic" in errors and f"NeuroMotrix on {base}" in errors
    for person in demo.PEOPLE:
        assert person.email in errors
    assert "Password for every account: demo" in errors and demo.DEMO_TOTP_SECRET in errors
    assert "otpauth://totp/NeuroMotrix:dana%40example.org" in errors


def _wait_until_up(url: str, process: subprocess.Popen[str], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    return False
