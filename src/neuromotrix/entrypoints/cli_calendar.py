"""`neuromotrix export ics PARTICIPANT -o sessions.ics`: a participant's scheduled sessions as an iCalendar file.

The shell acts for the system, as the other administrative commands do; the export is audited as made by `cli`.
Exit codes as everywhere in the CLI: 2 for input to fix (an unknown participant), 1 when the database cannot be
reached or the file cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from neuromotrix.entrypoints.cli_db import _database


def export_ics(
    participant: Annotated[str, typer.Argument(help="The participant: id, or their login email.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="File to write, e.g. sessions.ics (replaced if it exists); - for standard output.",
        ),
    ],
) -> None:
    """Write one calendar event per scheduled session, at the session's time in the clinic's time zone, with
    stable UIDs: importing a newer file updates the events instead of adding them again."""
    from neuromotrix.services import calendar_feeds

    with _database() as container:
        container.migrate()
        with container.uow(write=True) as uow:
            count, content = calendar_feeds.export_calendar_cli(
                uow, participant, now=container.clock(), base_url=container.settings.base_url
            )
            if str(output) == "-":
                sys.stdout.buffer.write(content)
                sys.stdout.buffer.flush()
            else:
                output.write_bytes(content)
            uow.commit()  # the audit record stays only when the file was written
    where = "standard output" if str(output) == "-" else str(output)
    typer.echo(f"wrote {count} session(s) to {where}", err=True)
