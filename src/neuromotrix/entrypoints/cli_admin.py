"""`neuromotrix serve` and `neuromotrix user ...`: run the app and administer accounts from the shell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from neuromotrix.domain.errors import NeuroMotrixError

if TYPE_CHECKING:
    from neuromotrix.services.unit_of_work import UnitOfWork

T = TypeVar("T")

user_app = typer.Typer(help="Administer clinics, users, roles and assignments.", no_args_is_help=True)

EXIT_INVALID_INPUT = 2


def _fail(error: NeuroMotrixError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(EXIT_INVALID_INPUT)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (each is stateless).", min=1, max=64)] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Evaluation only: seed a demo clinic (six accounts with the password `demo`, six weeks of logs) "
            "when the database holds no clinic, and print its accounts.",
        ),
    ] = False,
) -> None:
    """Apply pending migrations, then serve the web app and the JSON API."""
    import uvicorn

    from neuromotrix.bootstrap import Container

    box = Container()
    box.migrate()
    if demo:
        from neuromotrix.services.demo import seed_demo

        typer.echo("\n".join(seed_demo(box, now=box.clock()).lines()), err=True)
    box.close()
    typer.echo(f"NeuroMotrix on http://{host}:{port} (database migrated; {workers} worker(s))", err=True)
    uvicorn.run(
        "neuromotrix.entrypoints.web.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=True,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write(work: Callable[[UnitOfWork], T]) -> T:
    """Run one administrative change in a transaction on the configured (migrated) database."""
    from neuromotrix.bootstrap import Container

    box = Container()
    box.migrate()
    try:
        with box.uow(write=True) as uow:
            result = work(uow)
            uow.commit()
            return result
    except NeuroMotrixError as error:
        raise _fail(error) from error
    finally:
        box.close()


@user_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="Email address (the sign-in name).")],
    role: Annotated[str, typer.Option(help="admin, trainer, participant or caregiver.")] = "trainer",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    language: Annotated[str, typer.Option(help="en or fr.")] = "en",
    clinic: Annotated[str, typer.Option(help="Clinic name; created if it does not exist yet.")] = "",
    password: Annotated[
        str | None, typer.Option(help="Password; omit to be asked (or use `user invite` instead).", hide_input=True)
    ] = None,
) -> None:
    """Create a user (and the clinic on first use)."""
    from neuromotrix.services import admin

    secret = password if password is not None else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user_id = _write(
        lambda uow: admin.create_user_cli(
            uow, email=email, role=role, name=name, language=language, clinic=clinic, password=secret, now=_now()
        )
    )
    typer.echo(f"created user {user_id} {email.strip().lower()} ({role})")


@user_app.command("list")
def list_users() -> None:
    """List every user with their clinic, role and whether two-factor is on."""
    from neuromotrix.bootstrap import Container
    from neuromotrix.services import admin

    box = Container()
    box.migrate()
    with box.uow() as uow:
        rows = admin.all_users(uow)
    box.close()
    for row in rows:
        two_factor = "2fa" if row.totp_enabled else "-"
        state = "active" if row.active else "inactive"
        typer.echo(f"{row.id}\t{row.email}\t{row.role}\t{row.clinic}\t{two_factor}\t{state}")


@user_app.command("set-role")
def set_role(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str, typer.Argument(help="admin, trainer, participant or caregiver.")],
) -> None:
    """Change a user's role; their open sessions end."""
    from neuromotrix.services import admin

    _write(lambda uow: admin.set_role(uow, email, role, now=_now()))
    typer.echo(f"{email} is now {role}")


@user_app.command("assign")
def assign(
    trainer: Annotated[str, typer.Argument(help="The trainer's email.")],
    participant: Annotated[str, typer.Argument(help="The participant: id, or their login email.")],
) -> None:
    """Assign a trainer to a participant."""
    from neuromotrix.services import admin

    _write(lambda uow: admin.assign_cli(uow, trainer, participant, now=_now()))
    typer.echo(f"{trainer} now follows participant {participant}")


@user_app.command("invite")
def invite(
    email: Annotated[str, typer.Argument(help="Email address of the person invited (their sign-in name).")],
    name: Annotated[str, typer.Option(help="How the person is called in the email and the app.")],
    role: Annotated[str, typer.Option(help="admin, trainer, participant or caregiver.")],
    participant: Annotated[
        str | None, typer.Option(help="For a participant's login or a caregiver: the participant's id or login email.")
    ] = None,
    consent_by: Annotated[
        str | None, typer.Option(help="Caregivers: who consented to their seeing the data, participant or guardian.")
    ] = None,
    consent_name: Annotated[str | None, typer.Option(help="Caregivers: the name of the person who consented.")] = None,
    language: Annotated[
        str | None, typer.Option(help="en or fr: the email's and the account's; default: the participant's, else en.")
    ] = None,
    clinic: Annotated[
        str, typer.Option(help="Clinic id or name; default: the participant's clinic, else the first clinic.")
    ] = "",
) -> None:
    """Invite someone by email: queues the email and prints the one-time link, to pass on if email is not set up."""
    from neuromotrix.bootstrap import Container
    from neuromotrix.services import admin, invitations

    settings = Container().settings
    invitee = invitations.Invitee(
        email=email, name=name, role=role, consent_by=consent_by, consent_name=consent_name, language=language
    )
    invited = _write(
        lambda uow: admin.invite_cli(
            uow, invitee, participant=participant, clinic=clinic, now=_now(), base_url=settings.base_url,
            valid_days=settings.invitation_days,
        )
    )  # fmt: skip
    typer.echo(f"invitation {invited.invitation_id} for {invited.email} ({invited.role}) queued by email")
    typer.echo(f"valid until {invited.expires_at:%Y-%m-%d %H:%M} UTC, once: {invited.link}")
