"""`neuromotrix export …` and `neuromotrix import …`: a participant's data leaving or entering in standard formats.

Each format's commands live beside their adapter (calendar: `cli_calendar.py`; FHIR: `cli_fhir.py`) and are
registered on these two groups, so `neuromotrix export --help` lists every format.
"""

from __future__ import annotations

import typer

from neuromotrix.entrypoints.cli_calendar import export_ics
from neuromotrix.entrypoints.cli_fhir import export_fhir, import_fhir

export_app = typer.Typer(help="Export a participant's sessions or records in a standard format.", no_args_is_help=True)
import_app = typer.Typer(help="Import a participant's records from a standard format.", no_args_is_help=True)

export_app.command("ics")(export_ics)
export_app.command("fhir")(export_fhir)
import_app.command("fhir")(import_fhir)
