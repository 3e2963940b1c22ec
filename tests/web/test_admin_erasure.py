"""A participant's rights, end to end: Dana downloads everything kept about Alice (and Alice can through the API),
then records and carries out Alice's erasure request: de-identified while the clinic must keep her record,
deleted once the retention period has ended. The request and the audit log keep a trace without her name."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from tests.api.conftest import NOW, PASSWORD, example_profile, session_log_body
from tests.web.admin_support import audit_rows, dana
from tests.web.conftest import Web, csrf_of, post_form

LETTER = b"%PDF-1.7\nClearance for Alice Tremblay\n%%EOF"


def alice_with_history(web: Web) -> None:
    """A profile with her full name, a session with notes, a clearance letter and an override with a reason."""
    bob, base = web.world.client("bob"), f"/api/v1/participants/{web.world.alice_id}"
    profile = example_profile() | {"name": "Alice Tremblay"}
    assert bob.put(f"{base}/profile", json={"profile": profile, "reason": "Alice Tremblay moved"}).status_code == 200
    body = session_log_body(web.world, notes="Alice Tremblay felt her neck pull")
    body["blocks"][0]["notes"] = "Alice found it hard"
    assert bob.post(f"{base}/session-logs", json=body).status_code == 201
    cleared = bob.post(
        f"{base}/clearances",
        data={"cleared_by": "Dr Roy", "cleared_on": "2026-11-02"},
        files={"document": ("letter.pdf", LETTER, "application/pdf")},
    )
    assert cleared.status_code == 201, cleared.text
    exercise = body["blocks"][1]["exercise_id"]
    override = {"exercise_id": exercise, "paused": True, "reason": "Alice Tremblay asked to pause it"}
    assert bob.post(f"{base}/programs/overrides", json=override).status_code == 201


def participant_rows(web: Web, participant_id: int) -> dict[str, int]:
    """How many rows each table holds about the participant."""
    with web.container.uow() as uow:
        return {
            table.name: uow.connection.execute(
                sa.select(sa.func.count()).select_from(table).where(table.c.participant_id == participant_id)
            ).scalar_one()
            for table in t.metadata.sorted_tables
            if "participant_id" in table.c
        }


def test_dana_downloads_everything_about_alice(web: Web) -> None:
    alice_with_history(web)
    browser = dana(web)
    listed = browser.get("/admin/participants")
    assert listed.status_code == 200 and f'href="/admin/participants/{web.world.alice_id}/export"' in listed.text
    download = browser.get(f"/admin/participants/{web.world.alice_id}/export")
    assert download.status_code == 200 and download.headers["content-type"] == "application/json"
    assert download.headers["content-disposition"] == (
        f'attachment; filename="neuromotrix-participant-{web.world.alice_id}-2026-11-23.json"; '
        f"filename*=UTF-8''neuromotrix-participant-{web.world.alice_id}-2026-11-23.json"
    )
    document: dict[str, Any] = download.json()
    assert document["format"] == "neuromotrix-participant-export" and document["format_version"] == 1
    assert document["participant"]["display_name"] == "Alice" and document["account"]["email"] == "alice@example.org"
    assert "password_hash" not in document["account"] and "totp_secret" not in document["account"]
    assert [version["version"] for version in document["profile_versions"]] == [1, 2, 3]
    assert document["programs"][0]["plan"]["weeks"], "plans are JSON, not text"
    sessions = [item for program in document["programs"] for item in program["scheduled_sessions"]]
    assert sessions and sessions[0]["scheduled_on"] == "2026-11-23"
    log = document["session_logs"][0]
    assert log["notes"] == "Alice Tremblay felt her neck pull" and log["blocks"][0]["notes"] == "Alice found it hard"
    assert base64.b64decode(document["clearances"][0]["document"]) == LETTER
    assert document["caregivers"][0]["caregiver_email"] == "carl@example.org"
    assert document["trainers"][0]["trainer_email"] == "bob@example.org"
    assert document["alerts"] and document["exported_at"].startswith("2026-11-23T15:00")
    assert set(document) >= {"screenings", "injections", "checkins", "notifications", "invitations", "consents"}
    assert document["other_records"] == {} or all(isinstance(rows, list) for rows in document["other_records"].values())
    assert audit_rows(web, action="export")[-1].actor == "dana@example.org"


def test_the_api_export_is_for_the_admin_and_the_participant(web: Web) -> None:
    path = f"/api/v1/participants/{web.world.alice_id}/export"
    mine = web.world.client("alice").get(path)
    assert mine.status_code == 200 and mine.json()["participant"]["id"] == web.world.alice_id
    assert web.world.client("dana").get(path).status_code == 200
    assert web.world.client("bob").get(path).status_code == 403
    assert web.world.client("carl").get(path).status_code == 403
    assert web.world.client("charlie").get(path).status_code == 404
    assert web.world.client("anonymous").get(path).status_code == 401
    assert len(audit_rows(web, action="export")) == 2


def test_an_erasure_request_within_the_retention_period_deidentifies(web: Web) -> None:
    alice_with_history(web)
    browser = dana(web)
    alice_id, alice_user = web.world.alice_id, web.world.ids["alice"]
    form = browser.get(f"/admin/erasure?participant_id={alice_id}")
    assert form.status_code == 200 and f'<option value="{alice_id}" selected>' in form.text
    refused = post_form(browser, "/admin/erasure", {"participant_id": "", "requested_on": "2026-12-01"})
    assert refused.status_code == 422
    for target in ("#participant_id", "#requested_by-participant"):
        assert f'href="{target}"' in refused.text, target
    future = post_form(
        browser,
        "/admin/erasure",
        {"participant_id": str(alice_id), "requested_on": "2026-12-01", "requested_by": "participant"},
    )
    assert future.status_code == 422 and "The request date is after today." in future.text
    recorded = post_form(
        browser,
        "/admin/erasure",
        {"participant_id": str(alice_id), "requested_on": "2026-11-20", "requested_by": "participant"},
    )
    assert recorded.status_code == 303
    review_path = recorded.headers["location"].split("?")[0]
    twice = post_form(
        browser,
        "/admin/erasure",
        {"participant_id": str(alice_id), "requested_on": "2026-11-20", "requested_by": "guardian"},
    )
    assert twice.status_code == 422 and "A request for this participant is already waiting." in twice.text
    review = browser.get(recorded.headers["location"])
    assert "The erasure request is recorded." in review.text and "De-identify now" in review.text
    assert "November 23, 2036" in review.text, "kept 10 years after her last activity"

    done = browser.post(f"{review_path}/process", data={"csrf_token": csrf_of(review)})
    assert done.headers["location"] == f"{review_path}?notice=erasure_done"
    outcome = browser.get(done.headers["location"])
    assert "Login account deleted: 1" in outcome.text and "Clearance documents removed: 1" in outcome.text
    assert "come back here to delete it" in outcome.text
    assert browser.post(f"{review_path}/process", data={"csrf_token": csrf_of(review)}).status_code == 409

    with web.container.uow() as uow:
        run = uow.connection.execute
        person = run(sa.select(t.participants).where(t.participants.c.id == alice_id)).one()
        assert (person.display_name, person.user_id) == (f"#{alice_id}", None) and person.deidentified_at is not None
        assert run(sa.select(t.users).where(t.users.c.id == alice_user)).first() is None
        assert run(sa.select(t.caregiver_links)).first() is None
        assert {row.notes for row in run(sa.select(t.session_logs))} == {""}
        assert {row.notes for row in run(sa.select(t.block_logs))} == {""}
        assert run(sa.select(t.clearances.c.document, t.clearances.c.cleared_by)).one() == (None, "Dr Roy")
        assert all("name" not in row.document for row in run(sa.select(t.profile_versions)))
        assert {row.reason for row in run(sa.select(t.profile_versions))} == {""}
        assert run(sa.select(t.session_logs.c.pre_pain)).scalar_one() == 3, "clinical numbers stay"
        plans = [row.plan for row in run(sa.select(t.program_versions))]
        changes = [json.dumps(row.changes) + json.dumps(row.adjustments) for row in run(sa.select(t.program_versions))]
    assert not any("Tremblay" in text for text in plans + changes)
    web.container.audit.flush()
    everything = audit_rows(web)
    assert not any("alice@example.org" in row.actor or "Alice" in row.detail for row in everything)
    assert {row.actor for row in everything if row.actor_id == alice_user} == {f"[erased] user {alice_user}"}
    assert audit_rows(web, action="deidentify")[0].participant_id == alice_id
    assert post_form(web.browser(), "/login", {"email": "alice@example.org", "password": PASSWORD}).status_code == 401
    assert web.world.client("bob").get(f"/api/v1/participants/{alice_id}").json()["display_name"] == f"#{alice_id}"


def test_after_the_retention_period_everything_is_deleted(web: Web) -> None:
    alice_with_history(web)
    alice_id = web.world.alice_id
    browser = dana(web)
    recorded = post_form(
        browser,
        "/admin/erasure",
        {"participant_id": str(alice_id), "requested_on": "2026-11-23", "requested_by": "guardian"},
    )
    review_path = recorded.headers["location"].split("?")[0]
    browser.post(f"{review_path}/process", data={"csrf_token": csrf_of(browser.get(review_path))})

    web.world.clock.now = NOW + dt.timedelta(days=3660)  # ten years and a little more
    browser = dana(web)
    review = browser.get(review_path)
    assert "The retention period ended on November 23, 2036." in review.text
    deleted = browser.post(f"{review_path}/process", data={"csrf_token": csrf_of(review)})
    assert deleted.status_code == 303
    outcome = browser.get(deleted.headers["location"])
    assert f"Participant #{alice_id} (deleted)" in outcome.text and "session_logs" in outcome.text
    kept = participant_rows(web, alice_id)
    assert {name for name, count in kept.items() if count} == {"audit_log", "erasure_requests"}
    with web.container.uow() as uow:
        request = uow.connection.execute(sa.select(t.erasure_requests)).one()
    assert request.status == "deleted" and request.outcome["counts"]["session_logs"] == 1
    assert request.retention_until == dt.date(2036, 11, 23)
    assert audit_rows(web, action="delete", object_type="participant")[0].participant_id == alice_id
    audit_page = browser.get(f"/admin/audit?participant={alice_id}")
    assert "erasure request" in audit_page.text, "the clinic still sees what was done"
    assert f"Participant #{alice_id} (deleted)" in browser.get("/admin/erasure").text
    assert browser.get(f"/admin/participants/{alice_id}/export").status_code == 404
