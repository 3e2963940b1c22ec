"""Migration 0008 (assessment corrections) on SQLite and PostgreSQL: assessments recorded by an older release,
same-day duplicates included, become current entries; the history columns hold what a correction writes, the
database refuses a status without its reason, the revision goes down and up again with the rows kept, and a
backup restores the history of corrections.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from neuromotrix.adapters.db.engine import alembic_config, current_revision, head_revision, make_engine, upgrade
from neuromotrix.adapters.db.tables import assessments, clinics, participants, users
from neuromotrix.services import backup as backups
from tests.dbutil import reset_database, table_contents

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 20)


def _older_rows(connection: sa.Connection) -> None:
    """Alice's clinic, her trainer Bob, Alice, and two pain ratings of one day (the mistake 0008 stops)."""
    connection.execute(
        sa.text("INSERT INTO clinics (id, name, created_at) VALUES (1, 'Clinique du Parc', :at)"), {"at": NOW}
    )
    connection.execute(
        sa.text(
            "INSERT INTO users (id, clinic_id, email, name, role, created_at) "
            "VALUES (7, 1, 'bob@example.org', 'Bob', 'trainer', :at)"
        ),
        {"at": NOW},
    )
    connection.execute(
        sa.text("INSERT INTO participants (id, clinic_id, display_name, created_at) VALUES (3, 1, 'Alice', :at)"),
        {"at": NOW},
    )
    for row_id, value in ((11, 6), (12, 7)):
        connection.execute(
            sa.text(
                "INSERT INTO assessments (id, participant_id, instrument, instrument_version, taken_on, answers, "
                "scores, entered_by, entered_as, source, created_at) VALUES (:id, 3, 'pain_nrs', '1', :day, :answers, "
                ":scores, 7, 'trainer', 'web', :at)"
            ),
            {"id": row_id, "day": DAY, "answers": f'{{"now": {value}}}', "scores": f'{{"now": {value}}}', "at": NOW},
        )


def test_assessments_of_0007_become_current_entries(bare_engine: sa.Engine) -> None:
    upgrade(bare_engine, "0007")
    with bare_engine.begin() as connection:
        _older_rows(connection)
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision(bare_engine)
    with bare_engine.connect() as connection:
        rows = connection.execute(sa.select(assessments).order_by(assessments.c.id)).all()
        assert connection.execute(sa.select(sa.func.count()).select_from(clinics)).scalar_one() == 1
        assert connection.execute(sa.select(users.c.email)).scalar_one() == "bob@example.org"
        assert connection.execute(sa.select(participants.c.display_name)).scalar_one() == "Alice"
    assert [(row.id, row.status, row.corrects, row.changed_at, row.change_reason) for row in rows] == [
        (11, "current", None, None, None),
        (12, "current", None, None, None),
    ]
    assert [row.scores for row in rows] == [{"now": 6}, {"now": 7}]


def test_a_correction_is_stored_and_a_status_without_its_reason_is_refused(bare_engine: sa.Engine) -> None:
    upgrade(bare_engine, "0007")
    with bare_engine.begin() as connection:
        _older_rows(connection)
    upgrade(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(
            assessments.update()
            .where(assessments.c.id == 11)
            .values(status="withdrawn", changed_at=NOW, changed_by=7, change_reason="Entered twice.")
        )
    with pytest.raises(sa.exc.IntegrityError), bare_engine.begin() as connection:
        connection.execute(assessments.update().where(assessments.c.id == 12).values(status="withdrawn"))
    with pytest.raises(sa.exc.IntegrityError), bare_engine.begin() as connection:
        connection.execute(assessments.update().where(assessments.c.id == 12).values(status="lost", changed_at=NOW, change_reason="x"))  # fmt: skip
    with bare_engine.connect() as connection:
        statuses = dict(connection.execute(sa.select(assessments.c.id, assessments.c.status)).all())
    assert statuses == {11: "withdrawn", 12: "current"}


def test_0008_goes_down_and_up_again_keeping_the_rows(bare_engine: sa.Engine) -> None:
    upgrade(bare_engine, "0007")
    with bare_engine.begin() as connection:
        _older_rows(connection)
    upgrade(bare_engine)
    command.downgrade(alembic_config(bare_engine), "0007")
    assert current_revision(bare_engine) == "0007"
    with bare_engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("assessments")}
        kept = connection.execute(sa.text("SELECT id FROM assessments ORDER BY id")).scalars().all()
    assert "status" not in columns and "corrects" not in columns
    assert kept == [11, 12]
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision(bare_engine)


def test_a_backup_restores_the_history_of_corrections(database_url: str, tmp_path: Path) -> None:
    """The newer entry points at the older one, so rows restored in id order always find what they point to."""
    engine = make_engine(database_url)
    upgrade(engine, "0007")
    with engine.begin() as connection:
        _older_rows(connection)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            assessments.insert().values(
                id=13, participant_id=3, instrument="pain_nrs", instrument_version="1", taken_on=DAY,
                answers={"now": 3}, scores={"now": 3}, entered_by=7, entered_as="trainer", source="web",
                created_at=NOW, corrects=11,
            )
        )  # fmt: skip
        connection.execute(
            assessments.update()
            .where(assessments.c.id == 11)
            .values(status="corrected", changed_at=NOW, changed_by=7, change_reason="Typed 6 for 3.")
        )
    before = table_contents(engine)
    summary = backups.backup(engine, tmp_path / "backup.jsonl.gz", now=NOW)
    engine.dispose()
    reset_database(database_url)
    target = make_engine(database_url)
    try:
        backups.restore(target, summary.path)
        assert table_contents(target)["assessments"] == before["assessments"]
        with target.connect() as connection:
            rows = connection.execute(
                sa.select(assessments.c.id, assessments.c.status, assessments.c.corrects).order_by(assessments.c.id)
            ).all()
    finally:
        target.dispose()
    assert [tuple(row) for row in rows] == [(11, "corrected", None), (12, "current", None), (13, "current", 11)]
