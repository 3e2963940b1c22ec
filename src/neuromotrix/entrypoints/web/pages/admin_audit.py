"""The audit log viewer (clinic admins): who read or changed what, newest first, 50 records a page.

Filters (a GET form, so a filtered view can be bookmarked): who (part of an email), participant number,
action, kind of object, and a date range in the clinic's days. Reading the log is itself recorded in it.
Pages follow record ids (`before`: older than this record, `after`: newer), so the 1,000th page costs what the
first does; the count stops at 10,000 (services/audit_search.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.admin_common import (
    PAGE_SIZE,
    Admin,
    clinic_context,
    read_date,
    read_id,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import audit_search
from neuromotrix.services.audit import AuditRecord

router = APIRouter(include_in_schema=False)
FILTERS = ("actor", "participant", "action", "object_type", "from", "to")


@router.get("/admin/audit")
async def audit_log(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    query = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    before = read_id(request.query_params.get("before"))
    after = None if before is not None else read_id(request.query_params.get("after"))
    errors = FormErrors()
    participant_id = read_id(query["participant"])
    if query["participant"] and participant_id is None:
        errors.add("participant", tr.gettext("Enter a participant number (digits only), or leave the field empty."))
    date_from = read_date(tr, errors, query, "from", label=tr.gettext("From"), required=False)
    date_to = read_date(tr, errors, query, "to", label=tr.gettext("To"), required=False)
    if date_from is not None and date_to is not None and date_from > date_to:
        errors.add("from", tr.gettext("The start date is after the end date. Swap them, or change one."))
    actor, now = who.actor, box.clock()
    with box.uow() as uow:
        settings, _ = clinic_context(uow, actor.clinic_id, now)
        actions, kinds = audit_search.choices(uow, actor)
        found = audit_search.AuditPage([], 0, False, None, None)
        wanted = audit_search.AuditFilter(
            actor=query["actor"][:254],
            participant_id=participant_id,
            action=query["action"] if query["action"] in actions else "",
            object_type=query["object_type"] if query["object_type"] in kinds else "",
            date_from=date_from,
            date_to=date_to,
        )
        if not errors:
            found = audit_search.search(
                uow, actor, wanted, time_zone=settings.time_zone, limit=PAGE_SIZE, before=before, after=after
            )
    if not errors:
        box.audit.record(
            AuditRecord(
                now, actor.user_id, actor.email, "read", "audit_log", str(before or after or ""), participant_id,
                wanted.describe()[:500],
            )
        )  # fmt: skip
    context = {
        "items": found.items,
        "total": found.total,
        "more": found.more,
        "newer": _link(query, "after", found.newer),
        "older": _link(query, "before", found.older),
        "newest": _link(query, "", None) if found.newer is not None else None,
        "values": query,
        "actions": [(value, value) for value in actions],
        "kinds": [(value, value) for value in kinds],
        "errors": errors,
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/audit.html", context, status_code=422 if errors else 200)


def _link(query: dict[str, str], cursor: str, record_id: int | None) -> str | None:
    """The address of a neighbouring page, with the filters kept; `cursor=""` for the newest page."""
    if cursor and record_id is None:
        return None
    values = {key: value for key, value in query.items() if value}
    if cursor:
        values[cursor] = str(record_id)
    return "/admin/audit" + (f"?{urlencode(values)}" if values else "")
