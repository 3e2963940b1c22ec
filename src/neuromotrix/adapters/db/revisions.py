"""Where a database stands in the migration history, and moving it to a given revision (up or down).

The history is linear (one head): `migrations` lists it from the first revision to the head.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from neuromotrix.adapters.db.engine import alembic_config, upgrade
from neuromotrix.domain.errors import Conflict


@dataclass(frozen=True)
class Migration:
    revision: str
    title: str


@dataclass(frozen=True)
class Status:
    database: str  # the URL with any password hidden
    exists: bool  # False: a SQLite file that is not there yet (nothing was created to find out)
    current: str | None  # None: no migration applied (an empty database)
    head: str
    pending: tuple[Migration, ...]  # not applied yet, oldest first
    known: bool  # False: `current` comes from a newer NeuroMotrix than this one

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def migrations(engine: sa.Engine) -> list[Migration]:
    """Every migration this version of NeuroMotrix ships, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    newest_first = [Migration(item.revision, (item.doc or "").strip()) for item in script.walk_revisions()]
    return newest_first[::-1]


def revision_of(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def missing_sqlite_file(url: sa.URL) -> Path | None:
    """The path of a SQLite database file that does not exist yet, else None (PostgreSQL, or the file is there)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


def status(engine: sa.Engine) -> Status:
    history = migrations(engine)
    known = [migration.revision for migration in history]
    database = engine.url.render_as_string(hide_password=True)
    if missing_sqlite_file(engine.url) is not None:
        return Status(database, exists=False, current=None, head=known[-1], pending=tuple(history), known=True)
    with engine.connect() as connection:
        current = revision_of(connection)
    if current is not None and current not in known:
        return Status(database, exists=True, current=current, head=known[-1], pending=(), known=False)
    applied = 0 if current is None else known.index(current) + 1
    return Status(database, exists=True, current=current, head=known[-1], pending=tuple(history[applied:]), known=True)


def require_known(engine: sa.Engine, current: str | None) -> None:
    if current is not None and current not in {migration.revision for migration in migrations(engine)}:
        raise Conflict(
            f"The database is at revision {current}, which this version of NeuroMotrix does not know: a newer "
            "version has upgraded it. Install that version (or a newer one) to use this database.",
            fr=(
                f"La base de données est à la révision {current}, que cette version de NeuroMotrix ne connaît pas : une "
                "version plus récente l'a mise à niveau. Installez cette version (ou une plus récente) pour utiliser cette "
                "base de données."
            ),
        )


def upgrade_to_head(engine: sa.Engine) -> tuple[str | None, str]:
    """Apply the pending migrations; returns the revision before and after."""
    with engine.connect() as connection:
        before = revision_of(connection)
    require_known(engine, before)
    upgrade(engine)
    with engine.connect() as connection:
        after = revision_of(connection)
    if after is None:
        raise RuntimeError("the migrations ran but left the database without a revision")
    return before, after


def move_to(engine: sa.Engine, revision: str) -> None:
    """Upgrade or downgrade to `revision`. Downgrading drops the newer tables and columns: do it on empty ones."""
    with engine.connect() as connection:
        current = revision_of(connection)
    require_known(engine, current)
    order = [migration.revision for migration in migrations(engine)]
    if current == revision:
        return
    if current is None or order.index(current) < order.index(revision):
        upgrade(engine, revision)
    else:
        command.downgrade(alembic_config(engine), revision)
