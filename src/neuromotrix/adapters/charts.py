"""Progress charts as SVG documents (pygal), accessible and without JavaScript.

Every chart has a `<title>` and a `<desc>` (and `role="img"` with `aria-labelledby` naming both), no script (pygal's
`js=[]`, and the configuration script pygal always writes is removed), no external font or stylesheet, and is
the same bytes for the same data: a fixed element id instead of pygal's random one, and no generation-date
comment. Pages show each chart in a `<figure>` with a text alternative and a data table next to it.

Colours are the pages' palette (static/app.css) and series differ by dash pattern and dot size as well as by
colour, so they stay apart in grey scale and for colour-blind readers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

WIDTH, HEIGHT = 800, 400
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"  # local fonts only: nothing fetched
STYLE: dict[str, Any] = {
    "background": "#ffffff",
    "plot_background": "#ffffff",
    "foreground": "#1b1b1b",
    "foreground_strong": "#1b1b1b",
    "foreground_subtle": "#5c5c5c",
    "opacity": "1",
    "opacity_hover": "1",
    "transition": "0s",
    "colors": ("#0b4f9c", "#b34700", "#5b2a86", "#1d6b33"),
    "font_family": FONT,
    "title_font_size": 20,
    "legend_font_size": 16,
    "label_font_size": 14,
    "major_label_font_size": 14,
    "value_font_size": 14,
    "no_data_font_size": 24,
}
DateLabel = Callable[[dt.date], str]
DASHES = ("", "8,5", "2,4", "12,4,2,4")  # solid, dashed, dotted, dash-dot: one per series, in order


@cache
def _pygal() -> ModuleType:
    """pygal, loaded when the first chart is drawn (not at start-up); it ships no type information, so it is
    loaded by name and used through `Any`.

    pygal adds an import hook for its map plugins to `sys.meta_path` that has only the old `find_module` API:
    from then on every import that finds nothing (optional dependencies tried in `try: import`) warns with an
    ImportWarning, an error where warnings are errors. No map is drawn here, so the hook is taken out again."""
    module = importlib.import_module("pygal")
    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
    return module


@cache
def _style() -> Any:
    return importlib.import_module("pygal.style").Style(**STYLE)


@dataclass(frozen=True)
class Serie:
    title: str
    points: Sequence[tuple[dt.date, float | None]]
    dots_only: bool = False  # markers without a line (e.g. injections)


@dataclass(frozen=True)
class Chart:
    element_id: str  # stable: the same chart is the same bytes
    title: str
    description: str
    no_data: str  # shown when there is nothing to draw
    y_title: str = ""
    y_range: tuple[float, float] = (0, 10)
    y_labels: Sequence[float] = field(default_factory=lambda: tuple(range(0, 11, 2)))


def time_chart(chart: Chart, series: Sequence[Serie], *, date_label: DateLabel) -> str:
    """Values over dates (pain before and after each session...), with `date_label` writing the axis dates."""

    def x_label(moment: dt.date) -> str:  # pygal passes datetimes for points, dates for some axis labels
        return date_label(moment.date() if isinstance(moment, dt.datetime) else moment)

    graph = _pygal().DateLine(**_config(chart), x_value_formatter=x_label, x_label_rotation=0, show_x_guides=False)
    for index, serie in enumerate(series):
        points = [(_noon(day), value) for day, value in serie.points]
        if serie.dots_only:
            graph.add(serie.title, points, stroke=False, dots_size=7)
        else:
            graph.add(serie.title, points, dots_size=4, stroke_style=_stroke(index))
    return _render(graph, chart)


def bar_chart(chart: Chart, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> str:
    """One bar per label (adherence by week...); with many bars every other label is written, so none overlap."""
    crowded = len(labels) > 6
    graph = _pygal().Bar(
        **_config(chart),
        x_label_rotation=0,
        x_labels_major_every=2 if crowded else None,
        show_minor_x_labels=not crowded,
    )
    graph.x_labels = list(labels)
    for title, values in series:
        graph.add(title, list(values))
    return _render(graph, chart)


def _config(chart: Chart) -> dict[str, Any]:
    return {
        "js": [],
        "style": _style(),
        "width": WIDTH,
        "height": HEIGHT,
        "title": chart.title,
        "y_title": chart.y_title or None,
        "range": chart.y_range,
        "y_labels": list(chart.y_labels),
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": -1,
        "truncate_label": -1,
        "no_data_text": chart.no_data,
        "disable_xml_declaration": True,
        "explicit_size": False,
        "margin": 16,
        "spacing": 12,
        "allow_interruptions": True,  # a session stopped early has no "after" ratings: a gap, not a zero
        "tooltip_border_radius": 0,
    }


def _stroke(index: int) -> dict[str, Any]:
    dash = DASHES[index % len(DASHES)]
    return {"width": 3, "dasharray": dash} if dash else {"width": 3}


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12)


def _render(graph: Any, chart: Chart) -> str:
    graph.uuid = chart.element_id  # pygal's id is random otherwise
    graph.add_xml_filter(lambda root: _accessible(root, chart))
    svg: str = graph.render(is_unicode=True)
    return svg


def _accessible(root: Any, chart: Chart) -> Any:
    """No comments (one holds the generation date), no script, a `<desc>` after the `<title>`, and the roles a
    screen reader needs when the SVG is opened on its own."""
    for parent in [root, *root.iter()]:
        for child in list(parent):
            if callable(child.tag) or child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)  # comments (their tag is a function) and scripts
    title = next(child for child in root if child.tag.rsplit("}", 1)[-1] == "title")
    title.set("id", f"{chart.element_id}-title")
    desc = root.makeelement("desc", {"id": f"{chart.element_id}-desc"})
    desc.text = chart.description
    root.insert(list(root).index(title) + 1, desc)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart.element_id}-title {chart.element_id}-desc")
    return root
