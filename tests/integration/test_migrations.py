"""Migrations on SQLite and PostgreSQL: from nothing, from the previous revision with data in it, down and up
again; the migrated schema is exactly `tables.metadata`; SQLite runs in WAL mode with foreign keys enforced.
Plus `neuromotrix db upgrade` and `neuromotrix db status` as a user runs them.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from typer.testing import CliRunner

from neuromotrix.adapters.db import revisions
from neuromotrix.adapters.db.engine import alembic_config, current_revision, head_revision, make_engine, upgrade
from neuromotrix.adapters.db.tables import clinics, metadata, participants, users
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.cli import app

NOW = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.UTC)
HISTORY = [migration.revision for migration in revisions.migrations(make_engine("sqlite://"))]
runner = CliRunner()


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_history_is_linear_from_0001_to_head() -> None:
    assert HISTORY[0] == "0001"
    assert HISTORY[-1] == head_revision(make_engine("sqlite://"))
    assert len(set(HISTORY)) == len(HISTORY)


def test_an_empty_database_upgrades_to_head(bare_engine: sa.Engine) -> None:
    assert current_revision(bare_engine) is None
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision(bare_engine)
    assert table_names(bare_engine) == set(metadata.tables) | {"alembic_version"}
    upgrade(bare_engine)  # applied at every start: a second run changes nothing
    assert current_revision(bare_engine) == head_revision(bare_engine)


@pytest.mark.parametrize("start", HISTORY[:-1])
def test_data_survives_the_upgrade_from_an_older_revision(bare_engine: sa.Engine, start: str) -> None:
    upgrade(bare_engine, start)
    with bare_engine.begin() as connection:
        # Alice's clinic, her trainer Bob and Alice herself, as an older release stored them.
        connection.execute(clinics.insert(), [{"id": 1, "name": "Clinique du Parc", "created_at": NOW}])
        connection.execute(
            users.insert(),
            [
                {
                    "id": 7,
                    "clinic_id": 1,
                    "email": "bob@example.org",
                    "name": "Bob",
                    "role": "trainer",
                    "created_at": NOW,
                }
            ],
        )
        connection.execute(
            participants.insert(), [{"id": 3, "clinic_id": 1, "display_name": "Alice", "created_at": NOW}]
        )
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision(bare_engine)
    with bare_engine.connect() as connection:
        clinic = connection.execute(sa.select(clinics)).one()
        bob = connection.execute(sa.select(users)).one()
        alice = connection.execute(sa.select(participants)).one()
    assert (clinic.name, clinic.emergency_number, clinic.time_zone, clinic.created_at) == (
        "Clinique du Parc", "911", "America/Montreal", NOW,
    )  # fmt: skip
    assert (bob.id, bob.email, bob.role, bob.active, bob.totp_enabled, bob.language) == (
        7, "bob@example.org", "trainer", True, False, "en",
    )  # fmt: skip
    assert (alice.id, alice.clinic_id, alice.user_id, alice.display_name) == (3, 1, None, "Alice")


def test_every_migration_goes_down_and_up_again(bare_engine: sa.Engine) -> None:
    upgrade(bare_engine)
    command.downgrade(alembic_config(bare_engine), "base")
    assert current_revision(bare_engine) is None
    assert table_names(bare_engine) <= {"alembic_version"}
    upgrade(bare_engine)
    assert table_names(bare_engine) == set(metadata.tables) | {"alembic_version"}


def test_the_migrated_schema_is_exactly_the_table_definitions(container: Container) -> None:
    with container.engine.connect() as connection:
        # Server defaults are compared on PostgreSQL only: Alembic reads SQLite's `DEFAULT ''` back as the text
        # `''` (quotes included) and reports a difference that is not one.
        defaults = connection.dialect.name == "postgresql"
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": defaults}
        )
        differences = compare_metadata(context, metadata)
    assert differences == [], "migrations and tables.py disagree; add a migration (alembic revision --autogenerate)"


def test_foreign_keys_are_enforced(container: Container) -> None:
    with pytest.raises(sa.exc.IntegrityError), container.uow(write=True) as uow:
        uow.connection.execute(
            users.insert(),
            [{"clinic_id": 999, "email": "x@example.org", "name": "X", "role": "admin", "created_at": NOW}],
        )


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url, sqlite_synchronous="FULL")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL, as configured
    finally:
        engine.dispose()


# --- neuromotrix db upgrade / status -----------------------------------------------------------------------


def test_cli_db_status_then_upgrade_then_status(database_url: str) -> None:
    env = {"NEUROMOTRIX_DATABASE_URL": database_url}
    before = runner.invoke(app, ["db", "status"], env=env)
    assert before.exit_code == 0, before.output
    assert "none" in before.stdout and "neuromotrix db upgrade" in before.stdout

    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert HISTORY[-1] in upgraded.stdout

    again = runner.invoke(app, ["db", "upgrade"], env=env)
    assert again.exit_code == 0 and "already" in again.stdout

    after = runner.invoke(app, ["db", "status"], env=env)
    assert after.exit_code == 0, after.output
    assert f"{HISTORY[-1]} (head)" in after.stdout and "up to date" in after.stdout


def test_cli_db_status_does_not_create_a_sqlite_file(sqlite_url: str) -> None:
    result = runner.invoke(app, ["db", "status"], env={"NEUROMOTRIX_DATABASE_URL": sqlite_url})
    assert result.exit_code == 0, result.output
    assert "no database yet" in result.stdout
    assert revisions.missing_sqlite_file(sa.make_url(sqlite_url)) is not None


def test_cli_db_upgrade_refuses_a_database_from_a_newer_release(container: Container) -> None:
    with container.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    env = {"NEUROMOTRIX_DATABASE_URL": container.settings.database_url}
    result = runner.invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 2
    assert "9999" in result.stderr and "newer version" in result.stderr
    status = runner.invoke(app, ["db", "status"], env=env)
    assert status.exit_code == 0 and "newer" in status.stdout


def test_cli_reports_an_unreachable_database_without_a_traceback() -> None:
    env = {"NEUROMOTRIX_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"}
    result = runner.invoke(app, ["db", "status"], env=env)
    assert result.exit_code == 1
    assert "cannot reach the database" in result.stderr and "NEUROMOTRIX_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reports_an_invalid_setting(sqlite_url: str) -> None:
    env = {"NEUROMOTRIX_DATABASE_URL": sqlite_url, "NEUROMOTRIX_SQLITE_SYNCHRONOUS": "SOMETIMES"}
    result = runner.invoke(app, ["db", "status"], env=env)
    assert result.exit_code == 2
    assert "NEUROMOTRIX_SQLITE_SYNCHRONOUS" in result.stderr
