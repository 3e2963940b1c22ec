"""The clearance-request letter as a PDF: the intake letter page's content (services/intake.py
`clearance_request`, templates/intake/clearance_letter.html), in the same words — the page's own gettext
messages, so the printed letter and the page never disagree.

Only staff ask a physician for a clearance (`clearance_request` refuses anyone else).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assignments, users
from neuromotrix.adapters.i18n import Translator, format_date
from neuromotrix.services import intake, intake_form
from neuromotrix.services.access import Actor
from neuromotrix.services.report_errors import ReportUnavailable
from neuromotrix.services.report_words import word
from neuromotrix.services.unit_of_work import UnitOfWork


def clearance_data(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, language: str, today: dt.date
) -> tuple[str, dict[str, Any], str]:
    """The letter's title and data (adapters/pdf/templates/clearance.typ), and the clinic's name."""
    letter = intake.clearance_request(uow, actor, participant_id)
    tr = Translator(language)
    name = str(letter.participant.display_name)
    if not letter.flags:
        raise ReportUnavailable(
            f"The screening of {name} needs no clearance now: there is no letter to print.",
            fr=(
                f"Le dépistage de {name} ne demande aucune autorisation médicale pour l'instant : il n'y a pas de lettre à "
                "imprimer."
            ),
            reason="no_clearance",
        )
    clinic = str(letter.clinic.name)
    title = tr.gettext("Request for a medical clearance for exercise")
    data = {
        "clinic": clinic,
        "date": format_date(today, language),
        "person_header": [word("item", language), word("detail", language)],
        "person": _person(uow, actor, letter, tr),
        "salutation": tr.gettext("To the physician of %(name)s,", name=name),
        "intro": tr.gettext(
            "%(name)s wishes to take part in an exercise program adapted to dystonia, Parkinson's disease and cerebral palsy, followed by our team. Before it starts, we screened their health with the PAR-Q+, the ACSM pre-participation screening and the warning signs of dystonia. These answers need your clearance:",
            name=name,
        ),
        "flags": [flag.message.in_language(language) for flag in letter.flags],
        "until": tr.gettext(
            "Because a heart-related question was answered yes, no exercise is planned until we receive your clearance."
        )
        if letter.no_weeks_until_clearance
        else tr.gettext(
            "Until we receive your clearance, we offer only a gentle starter program: light effort, supported positions, relaxation, breathing and range of motion."
        ),
        "confirm_heading": tr.gettext("What we ask you to confirm"),
        "confirm_intro": tr.gettext(
            "Tick what applies, sign, and return this letter to %(clinic)s. A clearance counts for 12 months from its date.",
            clinic=clinic,
        ),
        "choices": [
            {
                "text": tr.gettext(
                    "%(name)s may take part in a progressive exercise program, without restriction.", name=name
                ),
                "restrictions": [],
            },
            {
                "text": tr.gettext("%(name)s may take part, with the restrictions ticked below:", name=name),
                "restrictions": _restrictions(letter, tr),
            },
            {"text": tr.gettext("%(name)s should not take part for now.", name=name), "restrictions": []},
        ],
        "other_instructions": tr.gettext("Other instructions:"),
        "physician_heading": tr.gettext("Physician"),
        "physician_header": [word("item", language), word("detail", language)],
        "physician_fields": [
            tr.gettext("Name"),
            tr.gettext("Profession and licence number"),
            tr.gettext("Telephone"),
            tr.gettext("Date"),
            tr.gettext("Signature"),
        ],
        "small": tr.gettext("NeuroMotrix supports the care team; it does not diagnose or treat."),
    }
    return f"{title} – {name}", {"letter": data}, clinic


def _person(uow: UnitOfWork, actor: Actor, letter: intake.ClearanceRequest, tr: Translator) -> list[list[str]]:
    language = tr.language
    profile = letter.profile
    conditions = []
    for condition in profile.conditions:
        text = intake_form.label("condition", condition.kind, language)
        regions = getattr(condition, "regions", None) if condition.kind == "dystonia" else None
        if regions:
            text += " (" + ", ".join(intake_form.label("region", region, language) for region in regions) + ")"
        conditions.append(text)
    rows = [[tr.gettext("Person"), str(letter.participant.display_name)]]
    if profile.birth_year:
        rows.append([tr.gettext("Year of birth"), str(profile.birth_year)])
    rows.append([tr.gettext("Conditions"), "; ".join(conditions)])
    rows.append([tr.gettext("Requested by"), f"{_requested_by(uow, actor, letter)}, {letter.clinic.name}"])
    return rows


def _requested_by(uow: UnitOfWork, actor: Actor, letter: intake.ClearanceRequest) -> str:
    """The staff member printing the letter; from the command line, the participant's trainers."""
    if actor.user_id:
        return actor.name
    names = uow.connection.execute(
        sa.select(users.c.name)
        .join(assignments, assignments.c.trainer_id == users.c.id)
        .where(assignments.c.participant_id == letter.participant.id)
        .order_by(users.c.name)
    ).scalars()
    return ", ".join(str(name) for name in names) or str(letter.clinic.name)


def _restrictions(letter: intake.ClearanceRequest, tr: Translator) -> list[str]:
    found = []
    for value, text in intake_form.options("restriction", tr.language):
        if value in letter.required_restrictions:
            needed = (
                tr.gettext("(needed to clear the pregnancy)")
                if value == "pregnancy_cleared"
                else tr.gettext("(needed)")
            )
            text = f"{text} {needed}"
        found.append(text)
    return found
