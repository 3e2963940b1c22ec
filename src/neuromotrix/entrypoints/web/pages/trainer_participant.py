"""One participant, seen by their trainer (or a clinic admin): the summary (adherence over 7, 30 and 90 days,
open alerts, charts), the profile with its version history, and the screening results.

Each section is its own address under `/participants/{id}`, linked from the participant's header, so every section
works without JavaScript and loads only what it shows. Someone the caller may not see is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import N_
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.trainer_common import (
    Staff,
    age,
    header,
    moment,
    participant_path,
    profile_reason,
    render_section,
)
from neuromotrix.entrypoints.web.pages.trainer_profile_summary import summarise
from neuromotrix.services import alerts, caseload, participants, records, session_flow
from neuromotrix.services.participants import load_stored

router = APIRouter(include_in_schema=False)

# The progress charts of the participant's own pages (pages/participant_history.py: SVG drawn without script,
# the toxin injections marked on the symptom charts), shown here as images; their data tables are on /p/{id}/progress.
CHARTS: tuple[tuple[str, str], ...] = (
    ("pain", N_("Pain before and after each session, with the toxin injections marked.")),
    ("dystonia", N_("Pulling and spasms before and after each session, with the toxin injections marked.")),
    ("fatigue", N_("Tiredness before and after each session, with the toxin injections marked.")),
    ("adherence", N_("Sessions done out of the sessions planned, week by week.")),
)


@dataclass(frozen=True)
class ParticipantAlert:
    id: int
    participant_id: int
    participant_name: str
    severity: str
    message: str
    created_at: Any
    age: str


@router.get("/participants/{participant_id:int}")
async def summary(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        adherence = session_flow.adherence(uow, who.actor, participant_id, now=when.now)
        rows, total = alerts.list_alerts(
            uow, who.actor, participant_id=participant_id, open_only=True, offset=0, limit=50
        )
    audit_read(box, who, "adherence", participant_id, participant_id)
    audit_read(box, who, "alerts", participant_id, participant_id)
    queue = [
        ParticipantAlert(
            id=row.id,
            participant_id=row.participant_id,
            participant_name=entry.name,
            severity=row.severity,
            message=row.message_fr if tr.language == "fr" else row.message_en,
            created_at=row.created_at,
            age=age(tr, row.created_at, when.now),
        )
        for row in rows
    ]
    context = {
        "windows": adherence["windows"],
        "queue": queue,
        "queue_total": total,
        "charts": [(f"/p/{participant_id}/charts/{kind}.svg", tr.gettext(text)) for kind, text in CHARTS],
        "progress": f"/p/{participant_id}/progress",
        "back": participant_path(participant_id),
    }
    return render_section(request, "trainer/summary.html", entry, "summary", context, time_zone=when.time_zone)


# Profile ------------------------------------------------------------------------------------------------------


@router.get("/participants/{participant_id:int}/profile")
async def profile(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        history = participants.profile_history(uow, who.actor, participant_id)
        names = caseload.staff_names(uow, who.actor, [row.created_by for row in history])
    audit_read(box, who, "profile_versions", participant_id, participant_id)
    current = history[-1] if history else None
    versions = []
    for row in reversed(history):
        text, ours = profile_reason(row.reason, tr)
        versions.append(
            {
                "version": row.version,
                "created_at": row.created_at,
                "by": names.get(row.created_by) if row.created_by is not None else None,
                "reason": text,
                "ours": ours,
            }
        )
    context = {
        "current": current,
        "groups": summarise(load_stored(current.document), tr) if current is not None else [],
        "versions": versions,
    }
    return render_section(request, "trainer/profile.html", entry, "profile", context, time_zone=when.time_zone)


# Screening ----------------------------------------------------------------------------------------------------


def _flag_text(flag: dict[str, Any], language: str, name: str) -> str:
    """A flag's message or action in the reader's language; as recorded when today's rules no longer raise it."""
    text = flag.get(f"{name}_{language}")
    return str(text if text is not None else flag.get(name, ""))


@router.get("/participants/{participant_id:int}/screening")
async def screening(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        results, total = records.list_screenings(uow, who.actor, participant_id, offset=0, limit=50)
    audit_read(box, who, "screening_list", "0:50", participant_id)
    shown = [
        result
        | {
            "flags": [
                flag
                | {
                    "message": _flag_text(flag, tr.language, "message"),
                    "action": _flag_text(flag, tr.language, "action"),
                }
                for flag in result["flags"]
            ]
        }
        for result in results
    ]
    context = {"latest": shown[0] if shown else None, "earlier": shown[1:], "total": total}
    return render_section(request, "trainer/screening.html", entry, "screening", context, time_zone=when.time_zone)
