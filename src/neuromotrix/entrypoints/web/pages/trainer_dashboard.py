"""The trainer's start page: what needs attention first (open alerts, most severe first), then the caseload.

`/dashboard?sort=adherence_7&order=asc&page=2`: the caseload table sorts by a query parameter (plain links, no
script needed) and the queue is read a page at a time. Acknowledging an alert is a small form on each alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.forms import form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.trainer_common import Staff, age, checked_id, moment, render_page, with_notice
from neuromotrix.services import alerts, caseload
from neuromotrix.services.caseload import SORT_KEYS

router = APIRouter(include_in_schema=False)

QUEUE_PAGE = 20  # alerts per page of the queue
# The columns of the caseload table that sort, and the order each one starts in (what needs attention first).
FIRST_ORDER = {
    "attention": "asc",
    "name": "asc",
    "program": "asc",
    "adherence_7": "asc",
    "adherence_30": "asc",
    "last_session": "asc",
}


@dataclass(frozen=True)
class QueuedAlert:
    id: int
    participant_id: int
    participant_name: str
    severity: str
    message: str
    created_at: Any
    age: str


def _sort_link(sort: str, current: str, order: str) -> str:
    """The column's link: the other order when it is the current column, else the column's first order."""
    next_order = ("desc" if order == "asc" else "asc") if sort == current else FIRST_ORDER[sort]
    return "/dashboard?" + urlencode({"sort": sort, "order": next_order})


@router.get("/dashboard")
async def dashboard(
    request: Request, who: Staff, box: ContainerDep, sort: str = "attention", order: str = "asc", page: int = 1
) -> HTMLResponse:
    tr = page_translator(request)
    sort = sort if sort in SORT_KEYS else "attention"
    order = order if order in ("asc", "desc") else "asc"
    page = max(1, min(page, 10_000))
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entries = caseload.caseload(uow, who.actor, today=when.today)
        rows, total = alerts.list_alerts(
            uow, who.actor, participant_id=None, open_only=True, offset=(page - 1) * QUEUE_PAGE, limit=QUEUE_PAGE
        )
    audit_read(box, who, "alerts", "all", None)
    audit_read(box, who, "caseload", "all", None)
    names = {entry.participant_id: entry.name for entry in entries}
    queue = [
        QueuedAlert(
            id=row.id,
            participant_id=row.participant_id,
            participant_name=names.get(row.participant_id, ""),
            severity=row.severity,
            message=row.message_fr if tr.language == "fr" else row.message_en,
            created_at=row.created_at,
            age=age(tr, row.created_at, when.now),
        )
        for row in rows
    ]
    pages = max(1, -(-total // QUEUE_PAGE))
    context = {
        "queue": queue,
        "queue_total": total,
        "page": page,
        "pages": pages,
        "page_link": lambda number: "/dashboard?" + urlencode({"sort": sort, "order": order, "page": number}),
        "entries": caseload.sort_caseload(entries, sort, descending=order == "desc"),
        "sort": sort,
        "order": order,
        "sort_link": lambda column: _sort_link(column, sort, order),
        "program_state": caseload.program_state,
        "windows": caseload.CASELOAD_WINDOWS,
        "current": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return render_page(request, "trainer/dashboard.html", context, time_zone=when.time_zone)


@router.post("/alerts/{alert_id:int}/acknowledge")
async def acknowledge(request: Request, alert_id: int, who: Staff, box: ContainerDep) -> RedirectResponse:
    """Acknowledge one alert, then go back to the page the button was on (the dashboard by default)."""
    fields = await form_fields(request)
    with box.uow(write=True) as uow:
        alerts.acknowledge(uow, who.actor, checked_id(alert_id), now=box.clock())
        uow.commit()
    back = fields.get("next") or "/dashboard"
    return RedirectResponse(with_notice(back, "alert_acknowledged"), status_code=303)
