"""Shared fixtures. The database ones run a test on SQLite and on PostgreSQL (DESIGN.md "Real parts, really tested").

Database fixtures, from the most to the least used:

- `container` — a `bootstrap.Container` on a fresh, migrated database, closed after the test. Most API and
  service tests want this: `with container.uow(write=True) as uow: ...; uow.commit()`.
- `settings` — the `Settings` that `container` is built from (`database_url` set, nothing else read from the
  shell). Need another value? `settings.model_copy(update={"session_days": 1})`, then `Container(that)`.
- `database_url` — the URL of a fresh, *empty* database (no tables), once per backend: the test runs twice,
  with ids `[sqlite]` and `[postgresql]`. Use it to test migrations or the CLI (NEUROMOTRIX_DATABASE_URL).
- `bare_engine` — an engine on that empty database (no migrations applied), disposed after the test.
- `sqlite_url`, `postgresql_url` — one backend only (e.g. a SQLite-only pragma check, or a test that needs
  both at once to move data across). `postgresql_url` marks the test `postgresql` automatically.

PostgreSQL is the `test` database on 127.0.0.1:5432 (see tests/dbutil.py); its `public` schema is dropped and
created again before each test, under an advisory lock so two test runs never wipe each other's data (in a
parallel run, each pytest-xdist worker after the first has a database of its own, `test_gw1`, ...). When it
is unreachable, the PostgreSQL cases are skipped with the reason, except in CI (`CI=true`), where they fail.
`pytest -m "not postgresql"` runs the SQLite cases only.

The suite runs in parallel, one pytest-xdist worker per CPU (`--numprocesses=auto` in pyproject.toml; `-n 0`
runs it in one process). The browser tests (`tests/e2e/`) are one unit of work, so a single worker starts the
demo servers and Chromium while the others share out the rest test by test (`BrowserTestsTogether`).

No test sees the developer's `NEUROMOTRIX_*` environment variables: they are removed for the whole run, so a
test cannot touch a real database by accident.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db.engine import make_engine
from neuromotrix.bootstrap import Container
from neuromotrix.settings import Settings
from tests import dbutil

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


class BrowserTestsTogether:
    """pytest-xdist scheduling: every browser test on one worker, every other test on whichever is free.

    `--dist loadgroup` cannot do this with pytest 9 (the group never reaches the node id), so the scheduler is
    xdist's scope scheduler with scopes of our own: `tests/e2e` as one scope, any other test as a scope of its own.
    The largest scope (the browser tests) is handed out first, so it never becomes the run's tail.
    """

    @staticmethod
    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        from xdist.scheduler import LoadScopeScheduling

        class Scheduler(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                # Node ids may be relative to tests/ or to the repository: look for the folder by name.
                in_e2e = "e2e" in PurePosixPath(nodeid.split("::", 1)[0]).parts
                return "tests/e2e" if in_e2e else nodeid

        return Scheduler(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(BrowserTestsTogether(), "neuromotrix-browser-tests-together")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for `postgresql_url` directly is a PostgreSQL test (so `-m "not postgresql"` skips it)."""
    for item in items:
        if "postgresql_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session", autouse=True)
def _no_neuromotrix_environment() -> Iterator[None]:
    """Hide the developer's NEUROMOTRIX_* variables from every test (session-scoped: cheap, hypothesis-safe)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("NEUROMOTRIX_"):
                patch.delenv(name)
        yield


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file that does not exist yet, in the test's own temporary directory."""
    return f"sqlite:///{tmp_path / 'neuromotrix.db'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """The PostgreSQL test database, emptied, held for this test alone; skipped (or failed in CI) if absent."""
    url = dbutil.postgresql_url()
    reason = dbutil.postgresql_unavailable(url)
    if reason is not None:
        if dbutil.in_ci():
            pytest.fail(f"CI requires PostgreSQL (start it, or set TEST_POSTGRESQL_URL). {reason}")
        pytest.skip(f"{reason} (set CI=true to make this a failure)")
    with dbutil.exclusive_postgresql(url):
        dbutil.reset_postgresql(url)
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database (no tables) on each backend in turn: `[sqlite]` then `[postgresql]`."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def bare_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on the empty database, configured as the application configures it; no migrations applied."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for the test database; every other field keeps its documented default."""
    return Settings(database_url=database_url, jobs=False)  # a test starts a job runner only when it asks


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """The composition root on a freshly migrated database (at the head revision), closed after the test."""
    built = Container(settings)
    try:
        built.migrate()
        yield built
    finally:
        built.close()
