"""Enrolment from the intake wizard, and what the trainer reads next: the screening outcome in plain words and the
clearance-request letter for the person's physician.

`enrol` checks the whole intake (services/intake_document.py), then enrols the person with their profile
(services/participants.py), generates the screened draft program with its red-flag alerts
(services/programs.py) and invites the login email (services/invitations.py), all in the caller's unit of work:
everything or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clinics
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.errors import Conflict, InvalidRequest, NeuroMotrixError
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.screening import BLOCKING, RaisedFlag, screen
from neuromotrix.services import alerts, invitations, participants, programs, records
from neuromotrix.services.access import Actor, participant_row, require_staff
from neuromotrix.services.intake_document import Problem, check
from neuromotrix.services.intake_form import Answers, value
from neuromotrix.services.unit_of_work import UnitOfWork


class IntakeInvalidError(NeuroMotrixError):
    """The intake cannot be enrolled as it is; `problems` say which fields to change. Nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(
            "; ".join(f"{p.field}: {p.kind}" for p in problems), fr="; ".join(f"{p.field} : {p.kind}" for p in problems)
        )  # field names and kinds are codes; the wizard words each one in the reader's language
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Links:
    """Where invitation links point and how long they work (the service's settings)."""

    base_url: str
    valid_days: int


def enrol(uow: UnitOfWork, actor: Actor, answers: Answers, *, now: dt.datetime, today: dt.date, links: Links) -> int:
    """Enrol the person the answers describe: profile version 1, a screened draft program (with red-flag alerts
    for the care team), and an invitation to the login email if one was given. Everything or nothing."""
    require_staff(actor)
    checked = check(answers, today=today)
    if checked.profile is None:
        raise IntakeInvalidError(checked.problems)
    profile = checked.profile
    display_name = value(answers, "display_name")
    participant_id = participants.enrol(
        uow, actor, display_name=display_name, language=profile.language, profile=profile, now=now, today=today
    )
    programs.generate(uow, actor, participant_id, now=now, reason="intake")
    email = value(answers, "email")
    if email:
        invitee = invitations.Invitee(
            email=email, name=display_name, role="participant", participant_id=participant_id, language=profile.language
        )
        try:
            invitations.invite(uow, actor, invitee, now=now, base_url=links.base_url, valid_days=links.valid_days)
        except Conflict as error:
            raise IntakeInvalidError([Problem("email", "email_taken")]) from error
        except InvalidRequest as error:
            raise IntakeInvalidError([Problem("email", "email")]) from error
    return participant_id


# After enrolment: the outcome and the clearance request ---------------------------------------------------------


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: str
    message: Message
    action: Message
    needs_clearance: bool


@dataclass(frozen=True)
class Outcome:
    """The screening of a participant's current profile, as the trainer reads it after the intake."""

    participant: sa.Row[Any]
    clinic: sa.Row[Any]
    status: str  # ready | needs_clearance | blocked
    screened_on: dt.date
    flags: tuple[FlagView, ...]  # most severe first
    no_weeks_until_clearance: bool  # a cardiac PAR-Q+ yes without a valid clearance: nothing planned yet
    red_flag_alerts: int  # open red-flag alerts for the care team

    @property
    def blocking(self) -> tuple[FlagView, ...]:
        return tuple(flag for flag in self.flags if flag.severity in BLOCKING)

    @property
    def clearance_flags(self) -> tuple[FlagView, ...]:
        return tuple(flag for flag in self.flags if flag.needs_clearance)

    @property
    def other_flags(self) -> tuple[FlagView, ...]:
        return tuple(flag for flag in self.flags if flag.severity not in BLOCKING and not flag.needs_clearance)


def outcome(uow: UnitOfWork, actor: Actor, participant_id: int) -> Outcome:
    """The latest screening of the participant (404 for someone the actor may not see), its flags in English and
    French, which of them wait for a clearance, and the red-flag alerts raised for the care team."""
    participant = participant_row(uow, actor, participant_id)
    require_staff(actor)
    latest = records.latest_screening(uow, actor, participant_id)
    _, profile = participants.current_profile(uow, participant_id)
    result = screen(profile, derive_facts(profile), load_catalog().rules)
    unmet = set(result.unmet_clearance)
    flags = tuple(
        FlagView(
            code=item["code"],
            severity=item["severity"],
            message=Message(item["message_en"] or item["message"], item["message_fr"] or item["message"]),
            action=Message(item["action_en"] or item["action"], item["action_fr"] or item["action"]),
            needs_clearance=item["code"] in unmet,
        )
        for item in latest["flags"]
    )
    raised, _ = alerts.list_alerts(uow, actor, participant_id=participant_id, open_only=True, offset=0, limit=200)
    return Outcome(
        participant=participant,
        clinic=_clinic(uow, participant.clinic_id),
        status=str(latest["outcome"]),
        screened_on=latest["screened_on"],
        flags=flags,
        no_weeks_until_clearance=result.outcome == "needs_clearance" and not result.has_weeks,
        red_flag_alerts=sum(1 for row in raised if row.kind == "red_flag"),
    )


@dataclass(frozen=True)
class ClearanceRequest:
    """What a clearance-request letter says: who asks, for whom, which answers need a clinician's clearance."""

    participant: sa.Row[Any]
    clinic: sa.Row[Any]
    profile: Profile
    flags: tuple[RaisedFlag, ...]  # the flags that wait for a clearance
    required_restrictions: frozenset[str]  # restrictions a clearance must name (e.g. pregnancy_cleared)
    no_weeks_until_clearance: bool


def clearance_request(uow: UnitOfWork, actor: Actor, participant_id: int) -> ClearanceRequest:
    participant = participant_row(uow, actor, participant_id)
    require_staff(actor)
    _, profile = participants.current_profile(uow, participant_id)
    result = screen(profile, derive_facts(profile), load_catalog().rules)
    flags = tuple(flag for flag in result.flags if flag.code in set(result.unmet_clearance))
    return ClearanceRequest(
        participant=participant,
        clinic=_clinic(uow, participant.clinic_id),
        profile=profile,
        flags=flags,
        required_restrictions=frozenset(f.clearance_must_name for f in flags if f.clearance_must_name is not None),
        no_weeks_until_clearance=not result.has_weeks and result.outcome == "needs_clearance",
    )


def _clinic(uow: UnitOfWork, clinic_id: int) -> sa.Row[Any]:
    return uow.connection.execute(sa.select(clinics).where(clinics.c.id == clinic_id)).one()
