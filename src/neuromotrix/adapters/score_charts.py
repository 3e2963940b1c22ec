"""Outcome score charts (BRIEF §7): one scale over time, its baseline, the band of a clinically meaningful change
around the baseline, and the toxin injections marked.

Drawn with the same accessible SVG as the progress charts (adapters/charts.py: title, description, no script,
same bytes for the same data). The band is two dashed lines, baseline − MCID and baseline + MCID: a change that
stays between them is not clinically meaningful. Pages show the data table next to each chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from neuromotrix.adapters import charts

TICKS = 6  # about this many labelled values on the vertical axis


@dataclass(frozen=True)
class ScoreChart:
    element_id: str
    title: str
    description: str
    no_data: str
    y_title: str
    minimum: float  # the scale's own range; the axis shrinks to the data when the range is much wider
    maximum: float
    points: Sequence[tuple[dt.date, float]]
    injections: Sequence[dt.date]
    band: tuple[float | None, float | None]  # (low, high) around the baseline, clipped; None: not established
    labels: tuple[str, str, str, str]  # the series names: score, band low, band high, injection


def axis(minimum: float, maximum: float, values: Sequence[float]) -> tuple[tuple[float, float], list[float]]:
    """A vertical range showing every value: the scale's range unless the data use a small part of a wide one
    (timed tests have no useful maximum), with round tick values."""
    low, high = minimum, maximum
    if values:
        spread = max(values) - min(values)
        if high - low > 4 * max(spread, 1):
            pad = max(spread * 0.5, 1)
            low, high = max(minimum, min(values) - pad), min(maximum, max(values) + pad)
    step = _nice_step((high - low) / TICKS)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = [round(first + index * step, 6) for index in range(round((last - first) / step) + 1)]
    return (first, last), ticks


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def score_chart(chart: ScoreChart, *, date_label: charts.DateLabel) -> str:
    """The SVG of one scale's scores; empty data draws the chart's `no_data` text."""
    band_values = [value for value in chart.band if value is not None] if chart.points else []
    y_range, ticks = axis(chart.minimum, chart.maximum, [value for _, value in chart.points] + band_values)
    frame = charts.Chart(
        element_id=chart.element_id,
        title=chart.title,
        description=chart.description,
        no_data=chart.no_data,
        y_title=chart.y_title,
        y_range=y_range,
        y_labels=ticks,
    )
    score, low_name, high_name, injection_name = chart.labels
    series = [charts.Serie(score, list(chart.points))]
    if chart.points:
        first, last = chart.points[0][0], max(chart.points[-1][0], chart.points[0][0] + dt.timedelta(days=1))
        for name, value in zip((low_name, high_name), chart.band, strict=True):
            if value is not None:
                series.append(charts.Serie(name, [(first, value), (last, value)]))
    if chart.points and chart.injections:
        series.append(charts.Serie(injection_name, [(day, y_range[1]) for day in chart.injections], dots_only=True))
    return charts.time_chart(frame, series, date_label=date_label)
