"""`neuromotrix export fhir` and `neuromotrix import fhir`: a participant's records as a FHIR R4 Bundle, and
questionnaire answers (QuestionnaireResponse) back in (docs/fhir.md).

The export acts for the system, as the other administrative commands do, and is audited as made by `cli`. The
import records the answers under an account (`--by`, by default the participant's own), whose permissions apply.
Exit codes as everywhere in the CLI: 2 for input to fix (unknown participant, a bad file: nothing is written),
1 when the database cannot be reached or a file cannot be read or written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from neuromotrix.entrypoints.cli_db import _database

ParticipantArgument = Annotated[str, typer.Argument(help="The participant: id, or their login email.")]


def export_fhir(
    participant: ParticipantArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="File to write, e.g. bundle.json (replaced if it exists); - for standard output.",
        ),
    ],
) -> None:
    """Write the participant's FHIR R4 Bundle (collection): Patient, Condition, CarePlan, Observation,
    Questionnaire and QuestionnaireResponse resources, with stable ids."""
    from neuromotrix.adapters.fhir.bundle import to_json
    from neuromotrix.services import fhir_exchange

    with _database() as container:
        container.migrate()
        with container.uow(write=True) as uow:
            _, bundle = fhir_exchange.export_bundle_cli(uow, participant, now=container.clock())
            content = to_json(bundle, indent=2)
            if str(output) == "-":
                sys.stdout.buffer.write(content)
                sys.stdout.buffer.flush()
            else:
                output.write_bytes(content)
            uow.commit()  # the audit record stays only when the file was written
    where = "standard output" if str(output) == "-" else str(output)
    typer.echo(f"wrote {len(bundle.get('entry', []))} resource(s) to {where}", err=True)


def import_fhir(
    participant: ParticipantArgument,
    file: Annotated[
        Path,
        typer.Argument(
            help="A QuestionnaireResponse, or a Bundle of them, as JSON; - for standard input.", show_default=False
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Email of the account the answers are recorded under (a trainer or admin who follows the "
            "participant, for clinician-rated and performance tests); default: the participant's own account.",
        ),
    ] = None,
) -> None:
    """Record each QuestionnaireResponse of FILE as an assessment of the participant. One bad entry (unknown
    questionnaire or item, a value out of range, another person's answers, a malformed file) refuses the whole
    file and nothing is recorded; answers already on file are skipped."""
    from neuromotrix.services import fhir_exchange

    with _database() as container:
        container.migrate()
        document = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        with container.uow(write=True) as uow:
            participant_id, result = fhir_exchange.import_responses_cli(
                uow, participant, document, by=by, now=container.clock()
            )
            uow.commit()
    skipped = f"; {result.already_on_file} already on file" if result.already_on_file else ""
    typer.echo(f"imported {len(result.imported)} assessment(s) for participant {participant_id}{skipped}", err=True)
