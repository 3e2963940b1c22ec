"""Database helpers for tests: where the test databases live, how to empty them, how to read them whole.

The fixtures in tests/conftest.py are the way in (`database_url`, `container`, ...); these functions are what
they are built from, and what a test calls when it needs to empty a database in the middle of a story
(for example: back up, wipe, restore).

PostgreSQL: the `test` database on 127.0.0.1:5432 (user `postgres`, trust auth); `TEST_POSTGRESQL_URL` points
the tests at another one. The whole `public` schema of that database belongs to the tests: it is dropped and
created again before each test that uses it. When the suite runs in parallel (pytest-xdist), the first worker
uses that database and every other worker a sibling of its own, `<name>_<worker>` (for example `test_gw1`),
created on first use: workers never wait for each other or wipe each other's tables.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from neuromotrix.adapters.db.tables import metadata

DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_SECONDS = 3
# Waits are bounded so a stuck database fails a test with a message instead of hanging the run.
LOCK_WAIT = "120s"  # for the advisory lock: another test run may be using the database
RESET_LOCK_WAIT = "15s"  # for DROP SCHEMA: a connection left open in a transaction would block it
# Any fixed number; every test process that resets the test database takes this advisory lock first.
RESET_LOCK_KEY = 0x4E4D5458  # "NMTX"


def postgresql_url() -> str:
    """The test database of this test process: the configured one, or its sibling for a parallel worker."""
    url = sa.make_url(os.environ.get("TEST_POSTGRESQL_URL", DEFAULT_POSTGRESQL_URL))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if worker == "gw0":
        return url.render_as_string(hide_password=False)
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


def create_worker_database(url: str) -> None:
    """Create a parallel worker's own database (see the module text) if it does not exist yet.

    It is created from the configured database's server, connected to the configured database itself, so the
    same credentials that reach `test` are enough.
    """
    configured = sa.make_url(os.environ.get("TEST_POSTGRESQL_URL", DEFAULT_POSTGRESQL_URL))
    name = sa.make_url(url).database
    if name == configured.database:
        return
    with psycopg.connect(
        libpq_url(configured.render_as_string(hide_password=False)), autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
    ) as connection:  # fmt: skip
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                connection.execute(f'CREATE DATABASE "{name}"')


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL without the driver name, as psycopg (libpq) takes it."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@cache
def postgresql_unavailable(url: str) -> str | None:
    """Why PostgreSQL cannot be used for the tests, or None when it can (checked once per run)."""
    try:
        create_worker_database(url)
        with psycopg.connect(libpq_url(url), connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {sa.make_url(url)!r}: {' '.join(str(error).split())}"
    return None


@contextmanager
def exclusive_postgresql(url: str) -> Iterator[None]:
    """Hold the test database for one test: other test processes wait instead of wiping it under us.

    Two test runs (two terminals) may share the one `test` database; a session-level advisory lock held for the
    whole test serialises them (parallel workers of one run each have a database of their own). It is released when the connection
    closes, even if the test process dies.
    """
    with psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
        connection.execute(f"SET lock_timeout = '{LOCK_WAIT}'")
        try:
            connection.execute("SELECT pg_advisory_lock(%s)", (RESET_LOCK_KEY,))
        except psycopg.errors.LockNotAvailable as error:
            raise RuntimeError(
                f"another test run has held the PostgreSQL test database for over {LOCK_WAIT}; "
                "wait for it to finish or stop it"
            ) from error
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (RESET_LOCK_KEY,))


def reset_postgresql(url: str) -> None:
    """Drop every table, sequence and type the tests created: `public` is dropped and created again."""
    with psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
        connection.execute(f"SET lock_timeout = '{RESET_LOCK_WAIT}'")
        try:
            with connection.transaction():
                connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
                connection.execute("CREATE SCHEMA public")
        except psycopg.errors.LockNotAvailable as error:
            raise RuntimeError(
                "could not reset the PostgreSQL test database: a connection still holds a lock on it. "
                "Close every engine and container the test opened (container.close(), engine.dispose())."
            ) from error


def remove_sqlite(url: str) -> None:
    """Delete a SQLite database file with its WAL and shared-memory files."""
    database = sa.make_url(url).database
    if not database or database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(database + suffix).unlink(missing_ok=True)


def reset_database(url: str) -> None:
    """Empty a test database completely (no tables, no Alembic revision). Dispose its engines first."""
    if sa.make_url(url).get_backend_name() == "postgresql":
        reset_postgresql(url)
    else:
        remove_sqlite(url)


def table_contents(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the schema, ordered by primary key, read through `tables.metadata`.

    Reading through the application's own types (aware UTC datetimes, parsed JSON, bytes) makes the result
    comparable across SQLite and PostgreSQL.
    """
    contents: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            contents[table.name] = [tuple(row) for row in connection.execute(query)]
    return contents
