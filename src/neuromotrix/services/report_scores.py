"""The outcome-measure section of the progress report (BRIEF §7): each scale's first and latest score in the
period, the change, the thresholds it is judged against, and its label — "clinically meaningful" beyond an
established MCID, "beyond measurement error" beyond only the MDC, no label otherwise (domain/instruments.py
`classify_change`, through services/assessments.py `score_series`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neuromotrix.adapters.i18n import format_date
from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.instruments import ChangeLabel, ChangeThreshold, Scale
from neuromotrix.services.access import Actor
from neuromotrix.services.assessments import ScalePoint, ScaleSeries, score_series
from neuromotrix.services.report_words import number, word
from neuromotrix.services.unit_of_work import UnitOfWork


def score_rows(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, start: dt.date, end: dt.date, language: str
) -> dict[str, Any]:
    """The section (adapters/pdf/templates/progress.typ `sections`) for the scores taken between two days."""
    header = [
        word("scale", language), word("baseline", language), word("latest", language), word("change", language),
        word("threshold", language), word("meaning", language),
    ]  # fmt: skip
    registry = load_instruments()
    rows = []
    for series in score_series(uow, actor, participant_id, start=start, end=end):
        if not series.points:
            continue
        instrument = registry.get(series.instrument)
        scale = instrument.scale(series.scale)
        name = instrument.name.in_language(language)
        scale_name = scale.name.in_language(language)
        label = name if scale_name == name else f"{name} – {scale_name}"
        rows.append([label, *_values(series, scale, language)])
    return {
        "heading": word("scores_heading", language),
        "intro": [word("scores_intro", language)] if rows else [],
        "header": header,
        "rows": rows,
        "empty": word("scores_none", language),
        "notes": [],
    }


def _point(point: ScalePoint, language: str) -> str:
    return word("score_on", language, value=number(point.value, language),
                date=format_date(point.taken_on, language, length="medium"))  # fmt: skip


def _values(series: ScaleSeries, scale: Scale, language: str) -> list[str]:
    first, latest = series.points[0], series.points[-1]
    thresholds = _thresholds(scale, language)
    if len(series.points) == 1 or series.change is None:
        return [_point(first, language), "–", "–", thresholds, word("one_score", language)]
    change = series.change
    sign = "+" if change.delta > 0 else ""
    delta = f"{sign}{number(change.delta, language)}"
    direction = (
        word("unchanged", language) if change.improved is None
        else word("improved", language) if change.improved else word("worsened", language)
    )  # fmt: skip
    meaning = direction
    if change.label != ChangeLabel.NONE:
        meaning = f"{direction}, {word(change.label.value, language)}"
    return [_point(first, language), _point(latest, language), delta, thresholds, meaning]


def _threshold(threshold: ChangeThreshold | None, language: str) -> str | None:
    if threshold is None:
        return None
    shown = [value for value in (threshold.improvement, threshold.worsening) if value is not None]
    if not shown:
        return None
    text = " / ".join(dict.fromkeys(number(value, language) for value in shown))
    if threshold.improvement_percent is not None:
        text += f" ({number(threshold.improvement_percent, language)} %)"
    return text


def _thresholds(scale: Scale, language: str) -> str:
    """`MCID 2 (30 %)`, `MDC 3.5`, both, or a dash when the scale has neither."""
    mcid, mdc = _threshold(scale.mcid, language), _threshold(scale.mdc, language)
    names = {"mcid": "MCID" if language == "en" else "DMCI", "mdc": "MDC" if language == "en" else "CMD"}
    parts = [f"{names['mcid']} {mcid}" if mcid else "", f"{names['mdc']} {mdc}" if mdc else ""]
    return "; ".join(part for part in parts if part) or "–"
