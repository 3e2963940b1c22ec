"""The `neuromotrix` command line: thin wrappers that parse input, call one service and render output.

Exit codes: 0 success; 2 invalid input (the message names the field and the allowed values; nothing is
written); 1 internal error. Heavy modules are imported inside commands to keep start-up fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from neuromotrix.domain.errors import NeuroMotrixError
from neuromotrix.entrypoints.cli_admin import serve, user_app
from neuromotrix.entrypoints.cli_db import backup, db_app, restore
from neuromotrix.entrypoints.cli_export import export_app, import_app
from neuromotrix.entrypoints.cli_jobs import jobs_app
from neuromotrix.entrypoints.cli_report import report

if TYPE_CHECKING:
    from neuromotrix.domain.plan import Plan
    from neuromotrix.domain.profile import Profile

app = typer.Typer(
    name="neuromotrix",
    help="Safe, explained, personalised exercise programs for dystonia, Parkinson's disease and cerebral palsy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
exercises_app = typer.Typer(help="Browse the exercise catalog.", no_args_is_help=True)
app.add_typer(exercises_app, name="exercises")
app.add_typer(user_app, name="user")
app.command("serve")(serve)
app.add_typer(db_app, name="db")
app.command("backup")(backup)
app.command("restore")(restore)
app.add_typer(jobs_app, name="jobs")
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.command("report")(report)

EXIT_INVALID_INPUT = 2
EXIT_INTERNAL = 1


class PlanFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


class Contract(StrEnum):
    profile = "profile"
    plan = "plan"


class Lang(StrEnum):
    en = "en"
    fr = "fr"


ProfileArgument = Annotated[Path, typer.Argument(help="Profile file (.yaml, .yml or .json).", show_default=False)]
StartOption = Annotated[
    dt.datetime | None,
    typer.Option("--start-on", formats=["%Y-%m-%d"], help="Start date (YYYY-MM-DD); overrides the profile's."),
]


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _load(profile_path: Path, start_on: dt.datetime | None) -> Profile:
    from neuromotrix.domain.errors import ProfileError
    from neuromotrix.services.profiles import load_profile

    try:
        profile = load_profile(profile_path, today=dt.date.today())
    except ProfileError as error:
        _fail(str(error), EXIT_INVALID_INPUT)
    if start_on is not None:
        preferences = profile.preferences.model_copy(update={"start_on": start_on.date()})
        profile = profile.model_copy(update={"preferences": preferences})
    return profile


def _planned(profile_path: Path, start_on: dt.datetime | None) -> Plan:
    from neuromotrix.services.planning import make_plan

    return make_plan(_load(profile_path, start_on))


@app.command()
def plan(
    profile: ProfileArgument,
    output_format: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = PlanFormat.text,
    start_on: StartOption = None,
) -> None:
    """Screen a profile and print its personalised multi-week program."""
    from neuromotrix.entrypoints import render

    typer.echo(render.plan(_planned(profile, start_on), output_format.value), nl=False)


@app.command()
def check(
    profile: ProfileArgument,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    start_on: StartOption = None,
) -> None:
    """Screening only: print the outcome (ready, needs_clearance, blocked) and every flag."""
    from neuromotrix.entrypoints import render

    typer.echo(render.check(_planned(profile, start_on), output_format.value), nl=False)


@app.command()
def schema(contract: Annotated[Contract, typer.Argument(help="Which contract: profile or plan.")]) -> None:
    """Print the JSON Schema of the profile or plan contract."""
    from neuromotrix.services.schemas import schema_json

    typer.echo(schema_json(contract.value))


@exercises_app.command("list")
def exercises_list(
    category: Annotated[str | None, typer.Option(help="Only this category, e.g. neck_motor_control.")] = None,
    region: Annotated[str | None, typer.Option(help="Only exercises for this region, e.g. neck or hand.")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of names.")] = Lang.en,
) -> None:
    """List catalog exercises: id, category, position of the start level, name."""
    from neuromotrix.entrypoints import render
    from neuromotrix.services.catalog import CatalogQueryError, find_exercises

    try:
        found = find_exercises(category=category, region=region)
    except CatalogQueryError as error:
        _fail(str(error), EXIT_INVALID_INPUT)
    typer.echo(render.exercise_table(found, lang.value), nl=False)


@exercises_app.command("show")
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(help="Catalog id, e.g. NM04.")],
    lang: Annotated[Lang, typer.Option(help="Language.")] = Lang.en,
) -> None:
    """Show one exercise: instructions, levels, doses, contraindications, cautions and references."""
    from neuromotrix.entrypoints import render
    from neuromotrix.services.catalog import CatalogQueryError, get_exercise

    try:
        exercise, references = get_exercise(exercise_id)
    except CatalogQueryError as error:
        _fail(str(error), EXIT_INVALID_INPUT)
    typer.echo(render.exercise_detail(exercise, references, lang.value), nl=False)


def main() -> None:
    """Console entry point: internal errors exit 1 with a short message, never a traceback dump."""
    try:
        app()
    except SystemExit:
        raise
    except NeuroMotrixError as error:  # only catalog data errors get this far; input errors exit 2 earlier
        typer.echo(f"neuromotrix: the catalog data is invalid: {error}", err=True)
        typer.echo("Fix the named file under src/neuromotrix/catalog/ (or restore it) and run again.", err=True)
        sys.exit(EXIT_INTERNAL)
    except Exception as error:  # the last line of defence for the CLI
        typer.echo(f"neuromotrix: internal error: {type(error).__name__}: {error}", err=True)
        typer.echo("This is a bug; please report it with the command you ran.", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main()
