"""PDF reports from the pages (services/reports.py; docs/reports.md):

- `/participants/{id}/reports/{kind}.pdf` — staff: `handout`, `progress` or `clearance`; `?lang=en|fr` (default:
  the participant's language); for the progress report `?cycle=N` (default the latest toxin cycle) or
  `?from=YYYY-MM-DD&to=YYYY-MM-DD`;
- `/p/{id}/handout.pdf` — the participant, their caregivers and staff: the handout, `?lang=` or the page's language.

Who may download: whoever may see the participant (a 404 page otherwise); the letter is for staff only. Each
download is audited as a read. When there is nothing to print (no approved program, no clearance needed, a
cycle that does not exist), an error page says why and what to do, in the reader's language.

Sync routes: typst compiles in a worker thread, never on the event loop.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from neuromotrix.adapters.i18n import Translator, format_date
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser, require_roles
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import participant_view, reports
from neuromotrix.services.access import participant_row
from neuromotrix.services.report_errors import ReportUnavailable, UnknownCycle
from neuromotrix.services.reports import Kind, Language

router = APIRouter(include_in_schema=False)
Staff = Annotated[Caller, Depends(require_roles("trainer", "admin"))]
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CYCLE = re.compile(r"\d{1,4}")


class _BadQueryError(Exception):
    """A query value the report cannot use; `message` is already in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@router.get("/participants/{participant_id:int}/reports/{kind}.pdf")
def staff_report(
    request: Request,
    participant_id: Id,
    kind: str,
    who: Staff,
    box: ContainerDep,
    lang: str | None = None,
    cycle: str | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> Response:
    if kind not in reports.KINDS:
        raise NotFound("report")
    tr = page_translator(request)
    back = f"/participants/{participant_id}"
    if kind != "progress":  # a cycle or a period only chooses what the progress report covers
        cycle = start = end = None
    try:
        period = (_cycle(cycle, tr), _day(start, tr), _day(end, tr))
    except _BadQueryError as error:
        return _refused(request, tr, 422, error.message, back)
    return _download(request, who, box, participant_id, kind, lang, period, back=back)


@router.get("/p/{participant_id}/handout.pdf")
def own_handout(
    request: Request, participant_id: Id, who: PageUser, box: ContainerDep, lang: str | None = None
) -> Response:
    language = lang if lang in reports.LANGUAGES else page_language(request)
    back = f"/p/{participant_id}/today"
    return _download(request, who, box, participant_id, "handout", language, (None, None, None), back=back)


def _download(
    request: Request,
    who: Caller,
    box: ContainerDep,
    participant_id: int,
    kind: str,
    lang: str | None,
    period: tuple[int | None, dt.date | None, dt.date | None],
    *,
    back: str,
) -> Response:
    tr = page_translator(request)
    cycle, start, end = period
    now = box.clock()
    with box.uow() as uow:
        participant = participant_row(uow, who.actor, participant_id)  # 404 page for anyone who may not see them
        language = _language(lang or str(participant.language))
        today = participant_view.day_of(uow, who.actor, participant_id, now=now)
        try:
            pdf = reports.render_report(
                uow, who.actor, participant_id, kind=_kind(kind), language=language, today=today, cycle=cycle,
                start=start, end=end,
            )  # fmt: skip
        except ReportUnavailable as error:
            return _refused(request, tr, 409, _unavailable(error, tr, str(participant.display_name)), back)
        except UnknownCycle as error:
            return _refused(request, tr, 422, _unknown_cycle(error, tr), back)
        except InvalidRequest as error:
            return _refused(request, tr, 422, _invalid(error, tr), back)
    audit_read(box, who, "report", kind, participant_id)
    name = reports.file_name(participant_id, kind, language, today)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(pdf, media_type=reports.MEDIA_TYPE, headers=headers)


def _kind(kind: str) -> Kind:
    for known in reports.KINDS:
        if known == kind:
            return known
    raise NotFound("report")


def _language(value: str) -> Language:
    return "fr" if value == "fr" else "en"


def _cycle(text: str | None, tr: Translator) -> int | None:
    if not text:
        return None
    if CYCLE.fullmatch(text) is None or int(text) < 1:
        raise _BadQueryError(tr.gettext("The toxin cycle is a number: 1 for the first injection, 2 for the second, and so on."))  # fmt: skip
    return int(text)


def _day(text: str | None, tr: Translator) -> dt.date | None:
    if not text:
        return None
    try:
        if ISO_DAY.fullmatch(text) is None:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _BadQueryError(tr.gettext("Write the dates as year-month-day, for example 2026-11-24.")) from None


def _unavailable(error: ReportUnavailable, tr: Translator, name: str) -> str:
    if error.reason == "no_clearance":
        return tr.gettext("The screening of %(name)s needs no clearance now: there is no letter to print.", name=name)
    if error.reason == "draft":
        return tr.gettext("Program version %(version)s waits for approval. Approve it on the program page, then print the handout.", version=error.version)  # fmt: skip
    if error.reason == "blocked":
        return tr.gettext("The screening stopped the program, so there is no handout to print. The screening page says what is needed before a program can start.")  # fmt: skip
    return tr.gettext("%(name)s has no approved program yet, so there is no handout to print.", name=name)


def _unknown_cycle(error: UnknownCycle, tr: Translator) -> str:
    if not error.injections:
        return tr.gettext("No botulinum toxin injection is recorded, so there are no toxin cycles. Leave the cycle out, or choose a period with a start and an end date.")  # fmt: skip
    cycles = ", ".join(
        f"{number} ({format_date(day, tr.language)})" for number, day in enumerate(error.injections, start=1)
    )
    return tr.gettext("There is no toxin cycle %(cycle)s. Choose one of the cycles recorded: %(cycles)s.", cycle=error.cycle, cycles=cycles)  # fmt: skip


def _invalid(error: InvalidRequest, tr: Translator) -> str:
    if error.field == ("start",):
        return tr.gettext("The period starts after it ends. Give a start date on or before the end date.")
    return tr.gettext("Choose either a toxin cycle or a period, not both.")


def _refused(request: Request, tr: Translator, status: int, message: str, back: str) -> Response:
    context = {
        "heading": tr.gettext("This report cannot be printed"),
        "message": message,
        "action_url": back,
        "action_label": tr.gettext("Back"),
    }
    return render(request, "errors/error.html", context, status_code=status)
