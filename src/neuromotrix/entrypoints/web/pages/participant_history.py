"""History and progress: `/p/{participant_id}/history` (sessions, check-ins, adherence over 7, 30 and 90 days),
`/p/{participant_id}/progress` (the charts with their data tables) and the charts themselves,
`/p/{participant_id}/charts/{kind}.svg` with `kind` one of `pain`, `dystonia`, `fatigue`, `adherence`.

The chart addresses are stable (docs/web.md "Participant pages"): the trainer's pages show them too. An SVG is
answered with its own Content-Security-Policy, since pygal styles it inline; it holds no script.
"""

from __future__ import annotations

import datetime as dt
import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from neuromotrix.adapters import charts
from neuromotrix.adapters.i18n import N_, Translator, format_date, format_number, format_percent
from neuromotrix.domain.alerts import STOP_LABELS
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.entrypoints.web.pages.participant_common import audit, page_context
from neuromotrix.entrypoints.web.pages.participant_labels import POST_INJECTION_SYMPTOMS
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import participant_history as history_service
from neuromotrix.services import participant_view
from neuromotrix.services.participant_history import Progress

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
SVG_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
SYMPTOMS = {
    "pain": N_("Pain before and after each session"),
    "dystonia": N_("Pulling and spasms (dystonia) before and after each session"),
    "fatigue": N_("Tiredness before and after each session"),
}
CHART_KINDS = (*SYMPTOMS, "adherence")


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and 0 < int(text) < 100_000 else 1


@router.get("/p/{participant_id}/history")
async def history(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    sessions_page = _page_number(request.query_params.get("sessions"))
    checkins_page = _page_number(request.query_params.get("checkins"))
    with box.uow() as uow:
        found = history_service.history(
            uow, who.actor, participant_id, now=box.clock(), limit=PAGE_SIZE,
            sessions_offset=(sessions_page - 1) * PAGE_SIZE, checkins_offset=(checkins_page - 1) * PAGE_SIZE,
        )  # fmt: skip
        name = participant_view.name_of(uow, who.actor, participant_id)
        exercise_ids = sorted({block["exercise_id"] for log in found.sessions for block in log["blocks"]})
        catalog = participant_view.exercises_of(uow, participant_id, exercise_ids)
    audit(box, who, "session_logs", participant_id, participant_id)
    audit(box, who, "checkins", participant_id, participant_id)
    for check in found.checkins:
        check["reported"] = [name for name in POST_INJECTION_SYMPTOMS if check["answers"].get(name) is True]
    names = participant_view.exercise_names(exercise_ids, page_language(request), catalog)
    context = page_context(who, participant_id, name, "history") | {
        "history": found,
        "names": names,
        "sessions_page": sessions_page,
        "sessions_pages": max(1, math.ceil(found.sessions_total / PAGE_SIZE)),
        "checkins_page": checkins_page,
        "checkins_pages": max(1, math.ceil(found.checkins_total / PAGE_SIZE)),
        "stop_labels": _stop_labels(page_language(request)),
    }
    return render(request, "participant/history.html", context)


def _stop_labels(language: str) -> dict[str, str]:
    return {code: label.in_language(language) for code, label in STOP_LABELS.items()}


@router.get("/p/{participant_id}/progress")
async def progress(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    with box.uow() as uow:
        found = history_service.progress(uow, who.actor, participant_id, now=box.clock())
        name = participant_view.name_of(uow, who.actor, participant_id)
    audit(box, who, "progress", participant_id, participant_id)
    tr = page_translator(request)
    language = page_language(request)
    figures = [
        {
            "kind": kind,
            "title": tr.gettext(title),
            "description": _symptom_description(tr, language, kind, found),
        }
        for kind, title in SYMPTOMS.items()
    ]
    injected = {item["injected_on"] for item in found.injections}
    rows = sorted({point.performed_on for point in found.points} | injected)
    by_day = {point.performed_on: point for point in found.points}
    context = page_context(who, participant_id, name, "progress") | {
        "progress": found,
        "figures": figures,
        "adherence_title": tr.gettext("Sessions done each week"),
        "adherence_description": _adherence_description(tr, language, found),
        "rows": [(day, by_day.get(day), day in injected) for day in rows],
    }
    return render(request, "participant/progress.html", context)


@router.get("/p/{participant_id}/charts/{kind}.svg")
async def chart(request: Request, participant_id: Id, kind: str, who: PageUser, box: ContainerDep) -> Response:
    if kind not in CHART_KINDS:
        return Response(status_code=404, headers=SVG_HEADERS)
    with box.uow() as uow:
        found = history_service.progress(uow, who.actor, participant_id, now=box.clock())
    audit(box, who, "progress", participant_id, participant_id)
    tr = page_translator(request)
    svg = (
        _adherence_chart(tr, page_language(request), found)
        if kind == "adherence"
        else _symptom_chart(tr, page_language(request), kind, found)
    )
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)


# Charts ---------------------------------------------------------------------------------------------------------


def _short(language: str) -> charts.DateLabel:
    def label(day: dt.date) -> str:
        return format_date(day, language, length="medium")

    return label


def _symptom_chart(tr: Translator, language: str, kind: str, found: Progress) -> str:
    chart = charts.Chart(
        element_id=f"chart-{kind}",
        title=tr.gettext(SYMPTOMS[kind]),
        description=_symptom_description(tr, language, kind, found),
        no_data=tr.gettext("No session logged in the last 90 days"),
        y_title=tr.gettext("0 to 10"),
    )
    series = [
        charts.Serie(tr.gettext("Before"), [(point.performed_on, point.before[kind]) for point in found.points]),
        charts.Serie(tr.gettext("After"), [(point.performed_on, point.after[kind]) for point in found.points]),
    ]
    if found.injections and found.points:
        series.append(
            charts.Serie(
                tr.gettext("Toxin injection"),
                [(item["injected_on"], 10) for item in found.injections],
                dots_only=True,
            )
        )
    return charts.time_chart(chart, series, date_label=_short(language))


def _symptom_description(tr: Translator, language: str, kind: str, found: Progress) -> str:
    start, end = format_date(found.start, language), format_date(found.end, language)
    if not found.points:
        return tr.gettext("No session was logged from %(start)s to %(end)s.", start=start, end=end)
    latest = found.points[-1]
    after = latest.after[kind]
    text = tr.ngettext(
        "Ratings from 0 to 10 before and after %(num)s session, from %(start)s to %(end)s.",
        "Ratings from 0 to 10 before and after %(num)s sessions, from %(start)s to %(end)s.",
        len(found.points),
        start=start,
        end=end,
    )
    text += " " + (
        tr.gettext(
            "Latest session, %(date)s: %(before)s before, %(after)s after.",
            date=format_date(latest.performed_on, language),
            before=format_number(latest.before[kind] or 0, language),
            after=format_number(after, language),
        )
        if after is not None
        else tr.gettext(
            "Latest session, %(date)s: %(before)s before; it stopped before the end.",
            date=format_date(latest.performed_on, language),
            before=format_number(latest.before[kind] or 0, language),
        )
    )
    if found.injections:
        dates = ", ".join(format_date(item["injected_on"], language) for item in found.injections)
        text += " " + tr.gettext("Toxin injections: %(dates)s.", dates=dates)
    return text


def _adherence_chart(tr: Translator, language: str, found: Progress) -> str:
    chart = charts.Chart(
        element_id="chart-adherence",
        title=tr.gettext("Sessions done each week"),
        description=_adherence_description(tr, language, found),
        no_data=tr.gettext("No session was planned in these weeks"),
        y_title=tr.gettext("% of planned sessions"),
        y_range=(0, 100),
        y_labels=range(0, 101, 20),
    )
    labels = [format_date(week.start, language, length="medium") for week in found.weeks]
    values = [None if week.rate is None else round(week.rate * 100) for week in found.weeks]
    return charts.bar_chart(chart, labels, [(tr.gettext("Sessions done"), values)])


def _adherence_description(tr: Translator, language: str, found: Progress) -> str:
    planned = [week for week in found.weeks if week.scheduled]
    if not planned:
        return tr.gettext("No session was planned in the last 12 weeks.")
    scheduled = sum(week.scheduled for week in planned)
    attended = sum(week.attended for week in planned)
    return tr.gettext(
        "Share of the planned sessions done in each of the last 12 weeks, week by week from %(start)s to %(end)s: "
        "%(attended)s of %(scheduled)s sessions in all (%(rate)s).",
        start=format_date(found.weeks[0].start, language),
        end=format_date(found.weeks[-1].end, language),
        attended=format_number(attended, language),
        scheduled=format_number(scheduled, language),
        rate=format_percent(attended / scheduled, language),
    )
