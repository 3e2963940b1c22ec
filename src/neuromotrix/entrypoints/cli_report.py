"""`neuromotrix report PARTICIPANT --kind handout|progress|clearance -o FILE.pdf`: one participant's PDF report
(services/reports.py; docs/reports.md), written to a file. The operator acts as an admin of the participant's
clinic; every report printed is audited as read by "cli".

Exit codes as everywhere: 2 for input the command cannot use (an unknown participant, a cycle that does not
exist, no program to print), with the message saying what to do; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_INVALID_INPUT = 2


class ReportKind(StrEnum):
    handout = "handout"
    progress = "progress"
    clearance = "clearance"


class ReportLanguage(StrEnum):
    en = "en"
    fr = "fr"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_INVALID_INPUT)


def report(
    participant: Annotated[str, typer.Argument(help="The participant: id, or their login email.", show_default=False)],
    kind: Annotated[ReportKind, typer.Option("--kind", help="Which report.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.", show_default=False)],
    lang: Annotated[
        ReportLanguage | None, typer.Option("--lang", help="Language; default: the participant's.", show_default=False)
    ] = None,
    cycle: Annotated[
        int | None,
        typer.Option(
            help="Progress report: toxin cycle N (the Nth injection); default the latest.", show_default=False
        ),
    ] = None,
    start: Annotated[
        dt.datetime | None,
        typer.Option(
            "--from", formats=["%Y-%m-%d"], help="Progress report: first day (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    end: Annotated[
        dt.datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Progress report: last day (YYYY-MM-DD).", show_default=False),
    ] = None,
) -> None:
    """Write a participant's handout, progress report or clearance-request letter as a PDF (PDF/UA-1)."""
    from neuromotrix.bootstrap import Container
    from neuromotrix.domain.errors import NeuroMotrixError
    from neuromotrix.services import participant_view, reports
    from neuromotrix.services.access import participant_row
    from neuromotrix.services.audit import AuditRecord
    from neuromotrix.services.reports import Language

    box = Container()
    try:
        box.migrate()
        now = box.clock()
        with box.uow() as uow:
            try:
                actor, participant_id = reports.operator(uow, participant)
            except NeuroMotrixError:
                _fail(f"No participant {participant!r}. Give a participant id or their login email.")
            chosen = lang.value if lang is not None else str(participant_row(uow, actor, participant_id).language)
            language: Language = "fr" if chosen == "fr" else "en"
            today = participant_view.day_of(uow, actor, participant_id, now=now)
            try:
                pdf = reports.render_report(
                    uow, actor, participant_id, kind=kind.value, language=language, today=today, cycle=cycle,
                    start=start.date() if start else None, end=end.date() if end else None,
                )  # fmt: skip
            except NeuroMotrixError as error:
                _fail(str(error))
        try:
            output.write_bytes(pdf)
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}. Choose a writable path with -o.")
        detail = f"{kind.value} {language}"
        box.audit.record(AuditRecord(now, None, "cli", "read", "report", kind.value, participant_id, detail))
    finally:
        box.close()  # flushes the audit record
    typer.echo(f"wrote {output} ({kind.value}, {language}, {len(pdf):,} bytes)")
