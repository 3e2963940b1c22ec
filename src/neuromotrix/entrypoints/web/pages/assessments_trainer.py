"""The "Outcomes" section of a participant's page for their trainer (BRIEF §7): what is due, entering a performance
or clinician-rated test (or a questionnaire on the participant's behalf), the scores with baseline, latest, change
and its label, and a chart per scale.

Labels follow the instrument's thresholds only (domain/instruments.py `classify_change`): "clinically meaningful"
beyond an established MCID, "beyond measurement error" beyond the MDC, and no label otherwise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters import score_charts
from neuromotrix.adapters.i18n import N_, Translator, format_date, format_number
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.instruments import ChangeLabel, Instrument, Scale
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.assessments_corrections import entry_views
from neuromotrix.entrypoints.web.pages.assessments_form import (
    KIND_LABELS,
    REASON_LABELS,
    form_view,
    read_submission,
    record_submission,
    unit_label,
    units_of,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.participant_history import SVG_HEADERS
from neuromotrix.entrypoints.web.pages.trainer_common import (
    Staff,
    header,
    moment,
    participant_path,
    render_section,
    with_notice,
)
from neuromotrix.services import assessments, records
from neuromotrix.services.assessments import ScaleSeries
from neuromotrix.services.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)
INJECTION_LIMIT = 200

CHANGE_WORDS: dict[tuple[ChangeLabel, bool], str] = {
    (ChangeLabel.CLINICALLY_MEANINGFUL, True): N_("Clinically meaningful improvement"),
    (ChangeLabel.CLINICALLY_MEANINGFUL, False): N_("Clinically meaningful worsening"),
    (ChangeLabel.BEYOND_MEASUREMENT_ERROR, True): N_("Improvement beyond measurement error"),
    (ChangeLabel.BEYOND_MEASUREMENT_ERROR, False): N_("Worsening beyond measurement error"),
}


@dataclass(frozen=True)
class ScoreRow:
    instrument: str
    scale: str
    name: str
    unit: str
    baseline_on: dt.date
    baseline: str
    latest_on: dt.date | None  # None with a single score: nothing to compare yet
    latest: str
    change: str
    label: str  # empty unless a threshold is passed
    label_kind: str
    chart: str
    points: tuple[tuple[dt.date, str], ...]
    description: str


def change_label(series: ScaleSeries) -> tuple[str, str]:
    """(msgid, label value) of the change; ("", "none") when no threshold is passed or nothing changed."""
    change = series.change
    if change is None or change.improved is None or change.label == ChangeLabel.NONE:
        return "", ChangeLabel.NONE.value
    return CHANGE_WORDS[(change.label, change.improved)], change.label.value


def mcid_band(scale: Scale, baseline: float) -> tuple[float | None, float | None]:
    """The values a clinically meaningful change must pass, below and above the baseline (None where the MCID is
    not established in that direction); a percent threshold counts from the scale's floor (pain: 30 %)."""
    mcid = scale.mcid
    if mcid is None:
        return None, None
    improvement = mcid.improvement
    if improvement is None and mcid.improvement_percent is not None:
        improvement = (baseline - scale.minimum) * mcid.improvement_percent / 100 or None
    up, down = (improvement, mcid.worsening) if scale.direction == "higher_is_better" else (mcid.worsening, improvement)
    low = None if down is None else max(scale.minimum, baseline - down)
    high = None if up is None else min(scale.maximum, baseline + up)
    return low, high


def _number(value: float, language: str) -> str:
    return format_number(round(value, 2), language)


def _signed(value: float, language: str) -> str:
    text = _number(abs(value), language)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def _description(tr: Translator, name: str, series: ScaleSeries, band: tuple[float | None, float | None]) -> str:
    language = tr.language
    first, last = series.points[0], series.points[-1]
    text = tr.ngettext(
        "%(name)s: %(num)s score from %(start)s to %(end)s; baseline %(baseline)s, latest %(latest)s.",
        "%(name)s: %(num)s scores from %(start)s to %(end)s; baseline %(baseline)s, latest %(latest)s.",
        len(series.points),
        name=name,
        start=format_date(first.taken_on, language),
        end=format_date(last.taken_on, language),
        baseline=_number(first.value, language),
        latest=_number(last.value, language),
    )
    if any(value is not None for value in band):
        text += " " + tr.gettext("The dashed lines mark a clinically meaningful change from the baseline.")
    return text


def score_rows(
    tr: Translator, participant_id: int, found: list[ScaleSeries], names: dict[str, Instrument]
) -> list[ScoreRow]:
    language = tr.language
    rows = []
    for series in found:
        instrument = names[series.instrument]
        scale = instrument.scale(series.scale)
        name = f"{instrument.name.in_language(language)} – {scale.name.in_language(language)}"
        first, last = series.points[0], series.points[-1]
        label, kind = change_label(series)
        rows.append(
            ScoreRow(
                instrument=series.instrument,
                scale=series.scale,
                name=name,
                unit=unit_label(tr, scale.unit),
                baseline_on=first.taken_on,
                baseline=_number(first.value, language),
                latest_on=last.taken_on if len(series.points) > 1 else None,
                latest=_number(last.value, language),
                change="" if series.change is None else _signed(series.change.delta, language),
                label=tr.gettext(label) if label else "",
                label_kind=kind,
                chart=participant_path(participant_id, f"/outcomes/charts/{series.instrument}/{series.scale}.svg"),
                points=tuple((point.taken_on, _number(point.value, language)) for point in series.points),
                description=_description(tr, name, series, mcid_band(scale, first.value)),
            )
        )
    return rows


@router.get("/participants/{participant_id:int}/outcomes")
async def outcomes(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        due = assessments.due_for(uow, who.actor, participant_id, today=when.today)
        series = assessments.score_series(uow, who.actor, participant_id)
        history = assessments.list_assessments(uow, who.actor, participant_id, include_history=True)
        instruments = assessments.instruments_for_clinic(uow, who.actor.clinic_id)
    audit_read(box, who, "assessments", participant_id, participant_id)
    names = {instrument.key: instrument for instrument in instruments}
    context = {
        "due": [
            {
                "instrument": item.instrument,
                "name": names[item.instrument].name.in_language(tr.language),
                "reason": tr.gettext(REASON_LABELS[item.reason]),
                "due_from": item.due_from,
                "due_by": item.due_by,
            }
            for item in due
            if item.instrument in names
        ],
        "groups": [
            (
                tr.gettext(KIND_LABELS[kind]),
                [(i.key, i.name.in_language(tr.language)) for i in instruments if i.kind == kind],
            )
            for kind in ("perf", "clinro", "pro")
        ],
        "rows": score_rows(tr, participant_id, series, names),
        "entries": entry_views(tr, history, names),
    }
    return render_section(request, "assessments/outcomes.html", entry, "outcomes", context, time_zone=when.time_zone)


@router.get("/participants/{participant_id:int}/outcomes/charts/{instrument}/{scale}.svg")
async def chart(
    request: Request, participant_id: int, instrument: str, scale: str, who: Staff, box: ContainerDep
) -> Response:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        header(uow, who, participant_id, when.today)
        found = assessments.score_series(uow, who.actor, participant_id)
        injected, _ = records.list_injections(uow, who.actor, participant_id, offset=0, limit=INJECTION_LIMIT)
        names = {item.key: item for item in assessments.instruments_for_clinic(uow, who.actor.clinic_id)}
    series = next((item for item in found if (item.instrument, item.scale) == (instrument, scale)), None)
    if series is None:
        return Response(status_code=404, headers=SVG_HEADERS)
    audit_read(box, who, "assessments", participant_id, participant_id)
    svg = _chart(tr, series, names[instrument], [item["injected_on"] for item in injected])
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)


def _chart(tr: Translator, series: ScaleSeries, instrument: Instrument, injections: list[dt.date]) -> str:
    language = tr.language
    scale = instrument.scale(series.scale)
    name = f"{instrument.name.in_language(language)} – {scale.name.in_language(language)}"
    first, last = series.points[0].taken_on, series.points[-1].taken_on
    band = mcid_band(scale, series.points[0].value)
    drawn = score_charts.ScoreChart(
        element_id=f"chart-{series.instrument}-{series.scale}",
        title=name,
        description=_description(tr, name, series, band),
        no_data=tr.gettext("No score recorded"),
        y_title=unit_label(tr, scale.unit) or tr.gettext("Score"),
        minimum=scale.minimum,
        maximum=scale.maximum,
        points=[(point.taken_on, point.value) for point in series.points],
        injections=sorted(day for day in injections if first <= day <= last),
        band=band,
        labels=(
            tr.gettext("Score"),
            tr.gettext("Clinically meaningful change (lower)"),
            tr.gettext("Clinically meaningful change (upper)"),
            tr.gettext("Toxin injection"),
        ),
    )
    return score_charts.score_chart(drawn, date_label=lambda day: format_date(day, language, length="medium"))


# Entering a test ----------------------------------------------------------------------------------------------


def _instrument(box: ContainerDep, who: Any, key: str) -> Instrument:
    with box.uow() as uow:
        try:
            return assessments.instrument_for_clinic(uow, who.actor.clinic_id, key)
        except InvalidRequest as error:
            raise NotFound("instrument") from error


def _entry_page(
    request: Request,
    who: Any,
    box: ContainerDep,
    participant_id: int,
    instrument: Instrument,
    *,
    key: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    correct_link: str | None = None,
) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
    context = {
        "correct_link": correct_link,
        "form": form_view(instrument, tr.language),
        "units": units_of(tr, instrument),
        "instructions": [
            item.instructions.in_language(tr.language) for item in instrument.items if item.instructions is not None
        ],
        "notes": instrument.notes.in_language(tr.language) if instrument.notes else None,
        "action": participant_path(participant_id, f"/outcomes/{instrument.key}"),
        "back": participant_path(participant_id, "/outcomes"),
        "key": key,
        "errors": errors or FormErrors(),
        "values": values or {"taken_on": when.today.isoformat()},
    }
    return render_section(
        request, "assessments/enter.html", entry, "outcomes", context, time_zone=when.time_zone, status_code=status_code
    )


@router.get("/participants/{participant_id:int}/outcomes/{instrument}")
async def enter(request: Request, participant_id: int, instrument: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    found = _instrument(box, who, instrument)
    return _entry_page(request, who, box, participant_id, found, key=uuid.uuid4().hex)


@router.post("/participants/{participant_id:int}/outcomes/{instrument}", response_model=None)
async def record(request: Request, participant_id: int, instrument: str, who: Staff, box: ContainerDep) -> Response:
    found = _instrument(box, who, instrument)
    sent = await read_submission(request, found)

    def at(uow: UnitOfWork) -> tuple[dt.date, dt.datetime]:
        when = moment(uow, who, box.clock())
        header(uow, who, participant_id, when.today)  # 404 for a participant the trainer may not see
        return when.today, when.now

    if not (sent.readable and record_submission(box, who.actor, participant_id, found, sent, at)):
        return _entry_page(
            request, who, box, participant_id, found, key=sent.key, errors=sent.errors, values=sent.fields,
            status_code=422, correct_link=sent.correct_link(participant_path(participant_id, "/outcomes")),
        )  # fmt: skip
    path = with_notice(participant_path(participant_id, "/outcomes"), "assessment_recorded")
    return RedirectResponse(path, status_code=303)
