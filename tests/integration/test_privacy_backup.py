"""The privacy tables of migration 0004 in backups, on SQLite and PostgreSQL and across them: the clinic's
privacy settings, consent texts and acceptances, the incident register, erasure requests (with their JSON
outcome) and a de-identified participant come back exactly as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.adapters.db.engine import make_engine, upgrade
from neuromotrix.services import backup as backups
from tests.dbutil import reset_database, table_contents

NOW = dt.datetime(2026, 11, 23, 14, 5, 9, 654321, tzinfo=dt.UTC)
PRIVACY_TABLES = ("privacy_settings", "consent_texts", "consent_acceptances", "privacy_incidents", "erasure_requests")


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    built = make_engine(database_url)
    upgrade(built)
    yield built
    built.dispose()


def seed(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        run = connection.execute
        run(t.clinics.insert(), [{"id": 1, "name": "Clinique du Parc", "created_at": NOW}])
        run(t.users.insert(), [
            {"id": 1, "clinic_id": 1, "email": "dana@example.org", "name": "Dana", "role": "admin", "created_at": NOW},
            {"id": 2, "clinic_id": 1, "email": "bob@example.org", "name": "Bob", "role": "trainer", "created_at": NOW},
        ])  # fmt: skip
        run(t.participants.insert(), [
            {"id": 1, "clinic_id": 1, "display_name": "#1", "created_at": NOW, "deidentified_at": NOW},
        ])  # fmt: skip
        run(t.privacy_settings.insert(), [
            {"clinic_id": 1, "officer_name": "Danielle Roy", "officer_title": "Directrice",
             "officer_email": "vie.privee@example.org", "notice_en": "Notice.\n\nSecond « paragraph » ✓",
             "notice_fr": "Avis.", "retention_years": 5, "updated_by": 1, "updated_at": NOW},
        ])  # fmt: skip
        run(t.consent_texts.insert(), [
            {"id": 1, "clinic_id": 1, "version": 1, "text_en": "I agree.", "text_fr": "J'accepte.",
             "published_at": NOW, "published_by": 1},
            {"id": 2, "clinic_id": 1, "version": 2, "text_en": "I agree again.", "text_fr": "J'accepte encore.",
             "published_at": NOW + dt.timedelta(days=30), "published_by": None},
        ])  # fmt: skip
        run(t.consent_acceptances.insert(), [
            {"id": 1, "user_id": 2, "consent_text_id": 1, "accepted_at": NOW, "language": "fr", "via": "invitation"},
            {"id": 2, "user_id": 2, "consent_text_id": 2, "accepted_at": NOW, "language": "en", "via": "page"},
        ])  # fmt: skip
        run(t.privacy_incidents.insert(), [
            {"id": 1, "clinic_id": 1, "occurred_on": dt.date(2026, 11, 20), "discovered_on": None,
             "description": "Report left in the waiting room.", "people_concerned": 1, "serious_risk": True,
             "measures": "", "cai_notified_on": dt.date(2026, 11, 21), "people_notified_on": None,
             "recorded_by": 1, "created_at": NOW, "updated_by": 1, "updated_at": NOW},
        ])  # fmt: skip
        run(t.erasure_requests.insert(), [
            {"id": 1, "clinic_id": 1, "participant_id": 1, "requested_on": dt.date(2026, 11, 20),
             "requested_by": "guardian", "recorded_by": 1, "created_at": NOW, "status": "deidentified",
             "retention_until": dt.date(2031, 11, 23), "processed_by": 1, "processed_at": NOW,
             "outcome": {"action": "deidentified", "counts": {"session_notes": 3, "login_deleted": 1}}},
            {"id": 2, "clinic_id": 1, "participant_id": 42, "requested_on": dt.date(2026, 1, 2),
             "requested_by": "participant", "recorded_by": None, "created_at": NOW, "status": "deleted",
             "retention_until": None, "processed_by": None, "processed_at": None, "outcome": None},
        ])  # fmt: skip


def test_privacy_rows_survive_a_backup_and_restore(engine: sa.Engine, database_url: str, tmp_path: Path) -> None:
    seed(engine)
    before = table_contents(engine)
    assert all(before[name] for name in PRIVACY_TABLES)
    summary = backups.backup(engine, tmp_path / "backup.jsonl.gz", now=NOW)
    assert {name: summary.rows[name] for name in PRIVACY_TABLES} == {
        "privacy_settings": 1, "consent_texts": 2, "consent_acceptances": 2, "privacy_incidents": 1,
        "erasure_requests": 2,
    }  # fmt: skip
    engine.dispose()
    reset_database(database_url)
    target = make_engine(database_url)
    try:
        backups.restore(target, summary.path)
        assert table_contents(target) == before
    finally:
        target.dispose()


def test_privacy_rows_move_from_sqlite_to_postgresql(sqlite_url: str, postgresql_url: str, tmp_path: Path) -> None:
    sqlite, postgresql = make_engine(sqlite_url), make_engine(postgresql_url)
    try:
        upgrade(sqlite)
        seed(sqlite)
        before = table_contents(sqlite)
        path = tmp_path / "from-sqlite.jsonl.gz"
        backups.backup(sqlite, path, now=NOW)
        backups.restore(postgresql, path)
        assert table_contents(postgresql) == before
    finally:
        sqlite.dispose()
        postgresql.dispose()
