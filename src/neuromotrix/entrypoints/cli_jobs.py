"""`neuromotrix jobs run`: the job runner from the shell (scans, reminders, notifications, email).

Inside `neuromotrix serve` the same runner runs in a background thread of each worker (NEUROMOTRIX_JOBS=true);
this command is for a deployment that keeps it apart (NEUROMOTRIX_JOBS=false on the web servers), for cron
(`--once`), and for trying the email settings. Any number may run at once: see docs/notifications.md.
"""

from __future__ import annotations

import logging
import signal
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from neuromotrix.bootstrap import Container
    from neuromotrix.services.jobs import PassReport

jobs_app = typer.Typer(help="Run the job runner: alerts, reminders, notifications and email.", no_args_is_help=True)

EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 1


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _container() -> Container:
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


@jobs_app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Run one pass, print what it did and exit.")] = False,
) -> None:
    """Raise needs-attention alerts, escalate unacknowledged ones, store due reminders and send email, every
    NEUROMOTRIX_JOB_INTERVAL_SECONDS until stopped (Ctrl-C or SIGTERM finish the pass in progress)."""
    import sqlalchemy as sa

    from neuromotrix.services.jobs import JobRunner

    box = _container()
    try:
        box.migrate()
        runner = JobRunner(box)
        if once:
            typer.echo(runner.run_once().summary())
            return
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, lambda _signal, _frame: runner.stopping.set())
        if box.settings.smtp_host is None:
            typer.echo("NEUROMOTRIX_SMTP_HOST is unset: notifications stay in the app, no email is sent.", err=True)
        typer.echo(f"job runner {runner.name}: a pass every {box.settings.job_interval_seconds:g} s", err=True)
        runner.run_forever(on_pass=_log_pass)
    except sa.exc.OperationalError as error:
        where = sa.make_url(box.settings.database_url).render_as_string(hide_password=True)
        _fail(
            f"neuromotrix: cannot reach the database at {where}: {' '.join(str(error.orig).split())}\n"
            "Check NEUROMOTRIX_DATABASE_URL and that the database server is running.",
            EXIT_INTERNAL,
        )
    finally:
        box.close()


def _log_pass(report: PassReport) -> None:
    if report.alerts or report.escalated or report.notifications or report.sent or report.failed:
        logging.getLogger("neuromotrix.jobs").info(report.summary())
