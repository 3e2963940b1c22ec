"""PDF reports of one participant, in English or French, as PDF/UA-1 (adapters/pdf): the participant's handout,
the specialist's progress report per toxin cycle, and the clearance-request letter (BRIEF §4.5, §5, §7; issue 5
item 3; docs/reports.md).

`render_report` checks first that the actor may see the participant (a 404 otherwise, as everywhere), then
builds the document's data (services/report_handout.py, report_progress.py, report_clearance.py) and has typst
lay it out. It reads only: the entry points audit the read (the web in batches, the command line at once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

import sqlalchemy as sa

from neuromotrix.adapters import pdf
from neuromotrix.adapters.db.tables import clinics
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.services import admin
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.report_clearance import clearance_data
from neuromotrix.services.report_handout import handout_data
from neuromotrix.services.report_progress import progress_data
from neuromotrix.services.report_words import word
from neuromotrix.services.unit_of_work import UnitOfWork

Kind = Literal["handout", "progress", "clearance"]
Language = Literal["en", "fr"]
KINDS: tuple[Kind, ...] = get_args(Kind)
LANGUAGES: tuple[Language, ...] = get_args(Language)
MEDIA_TYPE = "application/pdf"


def render_report(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    kind: Kind,
    language: Language,
    today: dt.date,
    cycle: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> bytes:
    """The PDF. `cycle` (1 = the first injection; default the latest), `start` and `end` choose the progress
    report's period and are refused for the other kinds."""
    participant = participant_row(uow, actor, participant_id)  # 404 before anything else: nothing leaks
    check_choice(kind=kind, language=language)
    if kind != "progress" and (cycle is not None or start is not None or end is not None):
        raise InvalidRequest(
            f"A cycle or a period applies to the progress report only; leave them out for the {kind}.",
            fr=(f"Un cycle ou une période ne s'applique qu'au rapport de progrès; omettez-les pour le rapport {kind}."),
            field=("cycle",),
        )
    clinic: str
    if kind == "handout":
        title, data, found = handout_data(uow, participant, language=language, today=today)
        clinic, body = found.name, {"handout": data}
    elif kind == "progress":
        title, data, found = progress_data(
            uow, actor, participant, language=language, today=today, cycle=cycle, start=start, end=end
        )
        clinic, body = found.name, {"progress": data}
    else:
        title, body, clinic = clearance_data(uow, actor, participant_id, language=language, today=today)
    document: dict[str, Any] = {
        "title": title,
        "lang": language,
        "author": clinic,
        "footer": word("footer", language, clinic=clinic),
        **body,
    }
    return pdf.render(kind, document, created=today)


def check_choice(*, kind: str, language: str) -> None:
    """A known kind and language, or a message naming the allowed values."""
    if kind not in KINDS:
        raise InvalidRequest(
            f"Unknown report {kind!r}; choose one of {', '.join(KINDS)}.",
            fr=f"Rapport inconnu : {kind!r}; choisissez parmi {', '.join(KINDS)}.",
            field=("kind",),
        )
    if language not in LANGUAGES:
        raise InvalidRequest(
            f"Unknown language {language!r}; choose en or fr.",
            fr=f"Langue inconnue : {language!r}; choisissez en ou fr.",
            field=("lang",),
        )


def file_name(participant_id: int, kind: str, language: str, today: dt.date) -> str:
    """`neuromotrix-handout-12-fr-2026-11-24.pdf`: what the download is saved as."""
    return f"neuromotrix-{kind}-{participant_id}-{language}-{today.isoformat()}.pdf"


def operator(uow: UnitOfWork, reference: str) -> tuple[Actor, int]:
    """The command line's actor: the operator of the installation acts as an admin of the participant's clinic
    (no account: user id 0, audited as "cli"). `reference` is a participant id or their login email."""
    row = admin.participant_by_reference(uow, reference)
    name = uow.connection.execute(sa.select(clinics.c.name).where(clinics.c.id == row.clinic_id)).scalar_one()
    return Actor(0, int(row.clinic_id), "admin", "cli", str(name), "en"), int(row.id)
