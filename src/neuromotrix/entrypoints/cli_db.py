"""`neuromotrix db upgrade|status|seed-demo`, `neuromotrix backup` and `neuromotrix restore`: the database from the shell.

Settings come from the environment through `Settings()` only (NEUROMOTRIX_DATABASE_URL, ...; docs/configuration.md).
Exit codes as everywhere in the CLI: 2 for input the user must fix (a bad setting, a bad or missing backup file, a
non-empty database without --force, a database from a newer release), 1 when the database cannot be reached or
something unexpected happens. Every message says what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from neuromotrix.bootstrap import Container

db_app = typer.Typer(help="Create, upgrade and inspect the database schema.", no_args_is_help=True)

EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 1
CLI_ACTOR = "cli"  # who the audit log names for changes made from the shell


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _settings_container() -> Container:
    from pydantic import ValidationError

    from neuromotrix.bootstrap import Container
    from neuromotrix.settings import Settings

    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"NEUROMOTRIX_{'_'.join(map(str, item['loc'])).upper()}: {item['msg']}" for item in error.errors()
        )
        _fail(f"Invalid setting: {problems}. Fix the environment variable (see docs/configuration.md).", 2)
    return Container(settings)


@contextmanager
def _database() -> Iterator[Container]:
    """A container for one command; domain errors exit 2, an unreachable database exits 1, both with advice."""
    import sqlalchemy as sa

    from neuromotrix.domain.errors import NeuroMotrixError

    container = _settings_container()
    try:
        yield container
    except NeuroMotrixError as error:
        _fail(str(error), EXIT_INVALID_INPUT)
    except sa.exc.OperationalError as error:
        where = sa.make_url(container.settings.database_url).render_as_string(hide_password=True)
        reason = " ".join(str(error.orig).split())
        _fail(
            f"neuromotrix: cannot reach the database at {where}: {reason}\n"
            "Check NEUROMOTRIX_DATABASE_URL and that the database server is running.",
            EXIT_INTERNAL,
        )
    except OSError as error:
        _fail(f"neuromotrix: {error.strerror or error}: {error.filename or ''}".rstrip(": "), EXIT_INTERNAL)
    finally:
        container.close()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the pending migrations (safe to run at every deploy) and print the database revision."""
    from neuromotrix.adapters.db import revisions

    with _database() as container:
        before, after = revisions.upgrade_to_head(container.engine)
    if before == after:
        typer.echo(f"The database is already at revision {after} (head).")
    else:
        typer.echo(f"Upgraded the database from revision {before or 'none'} to {after} (head).")


@db_app.command("status")
def db_status() -> None:
    """Print the database (password hidden), its revision and the migrations not applied yet."""
    from neuromotrix.adapters.db import revisions

    with _database() as container:
        status = revisions.status(container.engine)
    typer.echo(f"database: {status.database}")
    if not status.exists:
        typer.echo("revision: none (no database yet)")
    elif status.current is None:
        typer.echo("revision: none (empty database)")
    else:
        typer.echo(f"revision: {status.current}{' (head)' if status.up_to_date else ''}")
    typer.echo(f"head:     {status.head}")
    if not status.known:
        typer.echo(
            f"The database is at a revision from a newer NeuroMotrix than this one (head {status.head}): "
            "install that version or a newer one."
        )
        return
    for migration in status.pending:
        typer.echo(f"pending:  {migration.revision} {migration.title}")
    if status.up_to_date:
        typer.echo("The schema is up to date.")
    else:
        typer.echo(f"{len(status.pending)} migration(s) to apply: run `neuromotrix db upgrade`.")


@db_app.command("seed-demo")
def db_seed_demo() -> None:
    """Evaluation only: apply the migrations, seed the demo clinic of `serve --demo` when the database holds no
    clinic, and print its accounts (password `demo`). Never use it with real data."""
    from neuromotrix.services.demo import seed_demo

    with _database() as container:
        container.migrate()
        summary = seed_demo(container, now=container.clock())
    typer.echo("\n".join(summary.lines()))


def backup(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="File to write: gzip'd JSON lines, e.g. neuromotrix-2026-11-23.jsonl.gz (replaced if it exists).",
        ),
    ],
) -> None:
    """Write every row of the database to one portable file; the app may keep running.

    The file restores into SQLite or PostgreSQL alike (docs/deploy.md, "Backups").
    """
    from neuromotrix.services import backup as backups

    with _database() as container:
        summary = backups.backup(container.engine, output)
        detail = f"backup to {output.name}: {summary.total_rows} rows"
        backups.audit(container.engine, actor=CLI_ACTOR, action="backup", detail=detail, now=dt.datetime.now(dt.UTC))
    typer.echo(
        f"Wrote {summary.path}: {summary.total_rows} rows from {len(summary.rows)} tables "
        f"(database revision {summary.revision})."
    )


def restore(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="A file written by `neuromotrix backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Delete everything in the database first; without it, it must be empty.")
    ] = False,
) -> None:
    """Load a backup into an empty database, then upgrade it to the current schema. Stop the app first."""
    from neuromotrix.adapters.db import revisions
    from neuromotrix.services import backup as backups

    with _database() as container:
        summary = backups.restore(container.engine, file, force=force)
        _, head = revisions.upgrade_to_head(container.engine)
        detail = f"restore from {file.name}: {summary.total_rows} rows" + (", replacing all data" if force else "")
        backups.audit(container.engine, actor=CLI_ACTOR, action="restore", detail=detail, now=dt.datetime.now(dt.UTC))
    made = summary.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    replaced = " The previous contents were deleted." if summary.replaced else ""
    typer.echo(
        f"Restored {summary.total_rows} rows into {len(summary.rows)} tables from {file} "
        f"(made {made} at revision {summary.revision}); the database is now at revision {head}.{replaced}"
    )
