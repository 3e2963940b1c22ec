"""Backups on SQLite and PostgreSQL: back up, restore into a fresh database, every row identical; across
backends; refusals (a database with rows, a bad file, a file from a newer release); PostgreSQL sequences after
a restore; and `neuromotrix backup` / `neuromotrix restore` as a user runs them.

The story: Dana runs the Clinique du Parc; Bob trains Alice, whose clearance letter (a PDF, bytes) and
profile (JSON) are on file; Charlie trains at another clinic. Eve is a participant without an account.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from neuromotrix.adapters.db import portable, revisions
from neuromotrix.adapters.db import tables as t
from neuromotrix.adapters.db.engine import current_revision, make_engine, upgrade
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.cli import app
from neuromotrix.services import backup as backups
from tests.dbutil import reset_database, table_contents

ROOT = Path(__file__).resolve().parents[2]
HISTORY = [migration.revision for migration in revisions.migrations(make_engine("sqlite://"))]
MONTREAL = dt.timezone(dt.timedelta(hours=-5))
NOW = dt.datetime(2026, 11, 23, 14, 5, 9, 654321, tzinfo=dt.UTC)
CLEARANCE_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 3 + b"\x00\xff end"
AUDIT_ROWS = 2345  # more than two batches of 1000
runner = CliRunner()


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on the test database, migrated to head (disposed after the test)."""
    built = make_engine(database_url)
    upgrade(built)
    yield built
    built.dispose()


def insert(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that may name different columns (omitted ones take their defaults)."""
    for _, group in itertools.groupby(rows, key=lambda row: tuple(row)):
        connection.execute(table.insert(), list(group))


def seed(engine: sa.Engine) -> None:
    """A little of everything: composite keys, bytes, JSON, dates, times in other zones, floats, booleans."""
    profile = {"conditions": [{"kind": "dystonia", "regions": ["neck"], "cervical": {"rotation": {"toward": "left"}}}],
               "notes": "épaule droite — « douleur » ✓", "weights": [0.1, 2.5e-7, 1e21], "nothing": None}  # fmt: skip
    with engine.begin() as connection:
        insert(connection, t.clinics, [
            {"id": 1, "name": "Clinique du Parc", "created_at": NOW},
            {"id": 2, "name": "Centre Sainte-Émilie", "emergency_number": "112", "time_zone": "Europe/Paris",
             "escalation_minutes": 60, "created_at": NOW.astimezone(MONTREAL)},
        ])  # fmt: skip
        insert(connection, t.users, [
            {"id": 1, "clinic_id": 1, "email": "dana@example.org", "name": "Dana", "role": "admin",
             "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "totp_secret": "JBSWY3DPEHPK3PXP",
             "totp_enabled": True, "created_at": NOW, "last_login_at": NOW + dt.timedelta(hours=1)},
            {"id": 2, "clinic_id": 1, "email": "bob@example.org", "name": "Bob", "role": "trainer", "language": "fr",
             "created_at": NOW},
            {"id": 5, "clinic_id": 2, "email": "charlie@example.org", "name": "Charlie", "role": "trainer",
             "active": False, "created_at": NOW},
            {"id": 9, "clinic_id": 1, "email": "alice@example.org", "name": "Alice", "role": "participant",
             "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.participants, [
            {"id": 1, "clinic_id": 1, "user_id": 9, "display_name": "Alice", "created_at": NOW},
            {"id": 4, "clinic_id": 1, "user_id": None, "display_name": "Eve", "language": "fr", "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.assignments, [
            {"trainer_id": 2, "participant_id": 1, "created_at": NOW},
            {"trainer_id": 2, "participant_id": 4, "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.profile_versions, [
            {"id": 1, "participant_id": 1, "version": 1, "document": profile, "reason": "enrolment", "created_by": 2,
             "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.screenings, [
            {"id": 1, "participant_id": 1, "profile_version_id": 1, "outcome": "ready",
             "flags": [{"code": "parq_over_45_not_vigorous", "severity": "info"}], "screened_on": dt.date(2026, 11, 23),
             "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.clearances, [
            {"id": 1, "participant_id": 1, "cleared_by": "Dr Tremblay", "cleared_on": dt.date(2026, 11, 2),
             "restrictions": {"no": ["inversion"]}, "document_name": "clearance.pdf",
             "document_type": "application/pdf", "document": CLEARANCE_PDF, "recorded_by": 2, "created_at": NOW},
            {"id": 2, "participant_id": 4, "cleared_by": "Dr Roy", "cleared_on": dt.date(2026, 10, 1),
             "restrictions": [], "document": None, "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.injections, [
            {"id": 1, "participant_id": 1, "injected_on": dt.date(2026, 10, 30), "regions": ["neck", "shoulder"],
             "product": "onabotulinumtoxinA", "dose_units": 187.5, "created_at": NOW},
            {"id": 2, "participant_id": 1, "injected_on": dt.date(2026, 7, 30), "regions": [], "dose_units": None,
             "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.program_versions, [
            {"id": 1, "participant_id": 1, "version": 1, "status": "active", "source": "generated",
             "profile_version_id": 1, "plan": json.dumps({"weeks": list(range(12))}) * 50, "adjustments": {},
             "edits": [], "changes": [{"what": "start"}], "reason": "first program", "created_by": 2,
             "created_at": NOW, "approved_by": 2, "approved_at": NOW + dt.timedelta(minutes=5)},
        ])  # fmt: skip
        insert(connection, t.session_logs, [
            {"id": 1, "participant_id": 1, "program_version_id": 1, "session_index": 0,
             "performed_on": dt.date(2026, 11, 24), "pre_pain": 2, "pre_dystonia": 3, "pre_fatigue": 1,
             "post_pain": 1, "notes": "bien", "entered_by": 9, "entered_as": "participant", "created_at": NOW},
        ])  # fmt: skip
        insert(connection, t.block_logs, [
            {"id": 1, "session_log_id": 1, "position": 0, "exercise_id": "NM04", "level": 1, "status": "done",
             "sets": 2, "reps": 8, "hold_s": 5, "completion": 1.0, "effort_scale": "borg_cr10", "effort": 3.5,
             "effort_target": 4.0, "pain": 0, "sustained_posture": True, "quality_ok": False},
        ])  # fmt: skip
        insert(connection, t.audit_log, [
            {"at": NOW + dt.timedelta(seconds=n), "actor_id": 2, "actor": "bob@example.org", "action": "read",
             "object_type": "participant", "object_id": str(1 + n % 2), "participant_id": 1 + n % 2, "detail": ""}
            for n in range(AUDIT_ROWS)
        ])  # fmt: skip


def backed_up(engine: sa.Engine, folder: Path) -> Path:
    path = folder / "neuromotrix.jsonl.gz"
    backups.backup(engine, path, now=NOW)
    return path


def assert_same(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> None:
    assert before.keys() == after.keys()
    for name, rows in before.items():
        assert after[name] == rows, f"table {name} differs after the restore"


# --- round trips --------------------------------------------------------------------------------------------


def test_restore_into_a_fresh_database_gives_back_every_row(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    seed(engine)
    before = table_contents(engine)
    summary = backups.backup(engine, tmp_path / "backup.jsonl.gz", now=NOW)
    assert summary.revision == HISTORY[-1] and summary.rows["audit_log"] == AUDIT_ROWS
    assert summary.total_rows == sum(len(rows) for rows in before.values())
    engine.dispose()
    reset_database(database_url)

    target = make_engine(database_url)
    try:
        restored = backups.restore(target, summary.path)
        assert_same(before, table_contents(target))
        assert current_revision(target) == HISTORY[-1]
    finally:
        target.dispose()
    assert restored.rows == summary.rows and not restored.replaced and restored.created_at == NOW


def test_the_file_is_portable_json_lines(engine: sa.Engine, tmp_path: Path) -> None:
    seed(engine)
    path = backed_up(engine, tmp_path)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    header = lines[0]
    assert header["format"] == "neuromotrix-backup" and header["format_version"] == 1
    assert header["revision"] == HISTORY[-1] and header["created_at"] == NOW.isoformat()
    order = header["tables"]
    assert "alembic_version" not in order and set(order) == set(t.metadata.tables)
    assert order.index("clinics") < order.index("users") < order.index("participants") < order.index("clearances")
    sections = {line["table"]: index for index, line in enumerate(lines) if isinstance(line, dict) and "table" in line}
    clearance = lines[sections["clearances"] + 1]
    columns = lines[sections["clearances"]]["columns"]
    assert base64.b64decode(clearance[columns.index("document")]) == CLEARANCE_PDF
    assert clearance[columns.index("restrictions")] == {"no": ["inversion"]}
    assert clearance[columns.index("created_at")] == "2026-11-23T14:05:09.654321+00:00"
    assert clearance[columns.index("cleared_on")] == "2026-11-02"
    assert lines[-1] == {"end": {name: len(rows) for name, rows in table_contents(engine).items()}}
    assert not list(tmp_path.glob("*.partial")), "no partial file is left behind"


def test_restore_in_small_batches(
    engine: sa.Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(engine)
    before = table_contents(engine)
    path = backed_up(engine, tmp_path)
    engine.dispose()
    reset_database(database_url)
    sizes: list[int] = []
    insert_rows = portable.insert_rows

    def counting(connection: sa.Connection, table: sa.Table, rows: Any) -> None:
        sizes.append(len(rows))
        insert_rows(connection, table, rows)

    monkeypatch.setattr(portable, "insert_rows", counting)
    target = make_engine(database_url)
    try:
        backups.restore(target, path, batch_size=100)
        assert_same(before, table_contents(target))
    finally:
        target.dispose()
    assert max(sizes) == 100 and sum(sizes) == sum(len(rows) for rows in before.values())


def test_across_backends_sqlite_to_postgresql_and_back(sqlite_url: str, postgresql_url: str, tmp_path: Path) -> None:
    sqlite, postgresql = make_engine(sqlite_url), make_engine(postgresql_url)
    try:
        upgrade(sqlite)
        seed(sqlite)
        before = table_contents(sqlite)
        backups.restore(postgresql, backed_up(sqlite, tmp_path))
        assert_same(before, table_contents(postgresql))

        sqlite.dispose()
        reset_database(sqlite_url)
        back = tmp_path / "from-postgresql.jsonl.gz"
        backups.backup(postgresql, back, now=NOW)
        backups.restore(sqlite, back)
        assert_same(before, table_contents(sqlite))
    finally:
        sqlite.dispose()
        postgresql.dispose()


def test_new_rows_after_a_restore_get_fresh_ids(engine: sa.Engine, database_url: str, tmp_path: Path) -> None:
    seed(engine)
    path = backed_up(engine, tmp_path)
    engine.dispose()
    reset_database(database_url)
    target = make_engine(database_url)
    try:
        backups.restore(target, path)
        with target.begin() as connection:
            clinic = connection.execute(t.clinics.insert().values(name="New", created_at=NOW)).inserted_primary_key
            user = connection.execute(
                t.users.insert().values(clinic_id=1, email="new@example.org", name="N", role="trainer", created_at=NOW)
            ).inserted_primary_key
            audit = connection.execute(
                t.audit_log.insert().values(at=NOW, actor="cli", action="read", object_type="x")
            ).inserted_primary_key
    finally:
        target.dispose()
    assert (clinic[0], user[0], audit[0]) == (3, 10, AUDIT_ROWS + 1)


def test_an_older_backup_restores_into_a_current_database(database_url: str, tmp_path: Path) -> None:
    older = HISTORY[-2]
    source = make_engine(database_url)
    try:
        upgrade(source, older)
        with source.begin() as connection:
            insert(connection, t.clinics, [{"id": 1, "name": "Clinique du Parc", "created_at": NOW}])
            connection.execute(
                t.participants.insert(), [{"id": 1, "clinic_id": 1, "display_name": "Alice", "created_at": NOW}]
            )
        path = backed_up(source, tmp_path)
    finally:
        source.dispose()
    assert backups.read_header(path).revision == older
    reset_database(database_url)

    target = make_engine(database_url)
    try:
        upgrade(target)  # an empty database at head, as `neuromotrix serve` leaves it
        backups.restore(target, path)  # moves the empty schema back to `older`, then restores
        assert current_revision(target) == older
        revisions.upgrade_to_head(target)
        with target.connect() as connection:
            assert connection.execute(sa.select(t.participants.c.display_name)).scalars().all() == ["Alice"]
    finally:
        target.dispose()


# --- refusals -----------------------------------------------------------------------------------------------


def test_restore_refuses_a_database_with_rows_unless_forced(engine: sa.Engine, tmp_path: Path) -> None:
    seed(engine)
    before = table_contents(engine)
    path = backed_up(engine, tmp_path)
    with engine.begin() as connection:
        insert(connection, t.clinics, [{"id": 3, "name": "Added after the backup", "created_at": NOW}])
    changed = table_contents(engine)

    with pytest.raises(Conflict, match=r"not empty.*--force"):
        backups.restore(engine, path)
    assert table_contents(engine) == changed, "a refused restore changes nothing"

    summary = backups.restore(engine, path, force=True)
    assert summary.replaced
    assert_same(before, table_contents(engine))


def test_a_row_the_database_rejects_rolls_everything_back(engine: sa.Engine, tmp_path: Path) -> None:
    seed(engine)
    before = table_contents(engine)
    path = rewrite(backed_up(engine, tmp_path), lambda lines: edit_row(lines, "users", "clinic_id", 999))
    with pytest.raises(InvalidRequest, match=r"rows of table users .* do not fit"):
        backups.restore(engine, path, force=True)
    assert table_contents(engine) == before, "the forced emptying was rolled back with the failed inserts"


def test_backup_needs_a_database_with_a_schema(bare_engine: sa.Engine, tmp_path: Path) -> None:
    with pytest.raises(Conflict, match=r"no schema|no database"):
        backups.backup(bare_engine, tmp_path / "x.jsonl.gz")
    assert not (tmp_path / "x.jsonl.gz").exists()


def test_backup_of_a_missing_sqlite_file_creates_nothing(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(Conflict, match="There is no database at"):
            backups.backup(engine, tmp_path / "x.jsonl.gz")
    finally:
        engine.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def rewrite(path: Path, change: Callable[[list[Any]], list[Any]]) -> Path:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    changed = path.with_name("changed.jsonl.gz")
    with gzip.open(changed, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(line) + "\n" for line in change(lines))
    return changed


def section(lines: list[Any], table: str) -> int:
    return next(i for i, line in enumerate(lines) if isinstance(line, dict) and line.get("table") == table)


def edit_row(lines: list[Any], table: str, column: str, value: Any) -> list[Any]:
    start = section(lines, table)
    lines[start + 1][lines[start]["columns"].index(column)] = value
    return lines


def drop_table(lines: list[Any], table: str) -> list[Any]:
    start = section(lines, table)
    end = start + 1
    while isinstance(lines[end], list):
        end += 1
    return lines[:start] + lines[end:]


def header_with(**changes: Any) -> Callable[[list[Any]], list[Any]]:
    return lambda lines: [{**lines[0], **changes}, *lines[1:]]


BAD_FILES: dict[str, tuple[Callable[[list[Any]], list[Any]], str]] = {
    "not a backup": (lambda lines: [{"hello": "world"}, *lines[1:]], "not a NeuroMotrix backup header"),
    "newer format": (header_with(format_version=2), "newer than this NeuroMotrix reads"),
    "newer revision": (header_with(revision="9999"), "newer version"),
    "no end record": (lambda lines: lines[:-1], "end record is missing"),
    "wrong counts": (lambda lines: [*lines[:-1], {"end": {}}], "row counts"),
    "data after the end": (lambda lines: [*lines, [1]], "after the end record"),
    "a table left out": (lambda lines: drop_table(lines, "users"), "where 'users' was expected"),
    "short row": (lambda lines: [*lines[:2], lines[2][:-1], *lines[3:]], "values for"),
    "bad base64": (lambda lines: edit_row(lines, "clearances", "document", "not base64!"), "base64"),
    "naive datetime": (lambda lines: edit_row(lines, "clinics", "created_at", "2026-11-23T10:00:00"), "UTC offset"),
    "text for a number": (lambda lines: edit_row(lines, "clinics", "escalation_minutes", "120"), "integer"),
    "unknown kind": (lambda lines: [lines[0], {**lines[1], "kinds": ["blob"] * len(lines[1]["kinds"])}, *lines[2:]],
                     "kinds are missing or unknown"),
}  # fmt: skip


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    engine = make_engine(f"sqlite:///{folder / 'source.db'}")
    try:
        upgrade(engine)
        seed(engine)
        return backed_up(engine, folder)
    finally:
        engine.dispose()


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_before_anything_is_touched(
    case: str, good_backup: Path, sqlite_url: str, tmp_path: Path
) -> None:
    change, message = BAD_FILES[case]
    bad = rewrite(Path(shutil.copy(good_backup, tmp_path / "good.jsonl.gz")), change)
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(InvalidRequest, match=message):
            backups.restore(engine, bad)
        assert current_revision(engine) is None, "the database was not even migrated"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"plain text, not gzip\n", "not gzip-compressed"),
        (gzip.compress(b"{not json\n"), "not valid JSON"),
        (gzip.compress(b"\xff\xfe\n"), "not UTF-8"),
        (b"", "not a NeuroMotrix backup header"),
    ],
    ids=["plain text", "gzip of broken JSON", "gzip of bad UTF-8", "empty"],  # stable: gzip stamps the time
)
def test_a_damaged_file_is_refused(content: bytes, message: str, sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(content)
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(InvalidRequest, match=message):
            backups.restore(engine, path)
    finally:
        engine.dispose()


def test_a_cut_file_is_refused(good_backup: Path, sqlite_url: str, tmp_path: Path) -> None:
    data = good_backup.read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(InvalidRequest, match="cut short"):
            backups.restore(engine, path)
    finally:
        engine.dispose()


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_backup_then_restore_with_and_without_force(container: Container, tmp_path: Path) -> None:
    seed(container.engine)
    before = table_contents(container.engine)
    env = {"NEUROMOTRIX_DATABASE_URL": container.settings.database_url}
    path = tmp_path / "nightly.jsonl.gz"

    made = runner.invoke(app, ["backup", "-o", str(path)], env=env)
    assert made.exit_code == 0, made.output
    assert f"Wrote {path}" in made.stdout and f"revision {HISTORY[-1]}" in made.stdout

    refused = runner.invoke(app, ["restore", str(path)], env=env)
    assert refused.exit_code == 2
    assert "not empty" in refused.stderr and "--force" in refused.stderr

    forced = runner.invoke(app, ["restore", str(path), "--force"], env=env)
    assert forced.exit_code == 0, forced.output
    assert "Restored" in forced.stdout and "previous contents were deleted" in forced.stdout

    after = table_contents(container.engine)
    audit = after.pop("audit_log")
    assert_same({k: v for k, v in before.items() if k != "audit_log"}, after)
    # The backup's own audit record was written after the file, so the restore removed it; the restore's stays.
    assert audit[:-1] == before["audit_log"]
    assert audit[-1][2:5] == (None, "cli", "restore")


def test_cli_restores_into_a_new_sqlite_database(container: Container, tmp_path: Path) -> None:
    seed(container.engine)
    before = table_contents(container.engine)
    path = tmp_path / "nightly.jsonl.gz"
    assert runner.invoke(app, ["backup", "-o", str(path)], env={"NEUROMOTRIX_DATABASE_URL": container.settings.database_url}).exit_code == 0  # fmt: skip

    target_url = f"sqlite:///{tmp_path / 'restored' / 'neuromotrix.db'}"
    restored = runner.invoke(app, ["restore", str(path)], env={"NEUROMOTRIX_DATABASE_URL": target_url})
    assert restored.exit_code == 0, restored.output
    target = make_engine(target_url)
    try:
        after = table_contents(target)
    finally:
        target.dispose()
    assert after.pop("audit_log")[: len(before["audit_log"])] == before.pop("audit_log")
    assert_same(before, after)


def test_cli_refuses_a_bad_file_and_a_missing_database(sqlite_url: str, tmp_path: Path) -> None:
    env = {"NEUROMOTRIX_DATABASE_URL": sqlite_url}
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.jsonl.gz")], env=env)
    assert missing.exit_code == 2 and "There is no backup file" in missing.stderr

    junk = tmp_path / "junk.jsonl.gz"
    junk.write_text("not a backup")
    bad = runner.invoke(app, ["restore", str(junk)], env=env)
    assert bad.exit_code == 2 and "not a usable NeuroMotrix backup" in bad.stderr

    no_database = runner.invoke(app, ["backup", "-o", str(tmp_path / "out.jsonl.gz")], env=env)
    assert no_database.exit_code == 2 and "There is no database at" in no_database.stderr
    assert not (tmp_path / "out.jsonl.gz").exists()


def test_the_installed_command_backs_up_with_the_environment_url(container: Container, tmp_path: Path) -> None:
    seed(container.engine)
    script = shutil.which("neuromotrix")
    command = [script] if script else [sys.executable, "-m", "neuromotrix.entrypoints.cli"]
    env = {**os.environ, "NEUROMOTRIX_DATABASE_URL": container.settings.database_url}
    path = tmp_path / "out.jsonl.gz"
    result = subprocess.run(
        [*command, "backup", "--output", str(path)], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert backups.read_header(path).revision == HISTORY[-1]
