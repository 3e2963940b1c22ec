"""PDF documents rendered with typst as PDF/UA-1 (tagged, titled, with their language), from templates in
`templates/` and data passed as JSON.

The data never becomes markup: a template reads it with `json(bytes(sys.inputs.data))` and puts each string in
the page as text, so a name like `#set text(red)` or `*bold*` prints as typed. Only typst's embedded fonts are
used (Libertinus Serif, New Computer Modern, DejaVu Sans Mono): the same PDF on every machine, in CI too, with
every French accent, and no system font read at start-up. One compiler per process keeps the fonts parsed
once; typst compiles in a few milliseconds after that (docs/performance.md "Reports").
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import typst

TEMPLATES = Path(__file__).resolve().parent / "templates"
Template = Literal["handout", "progress", "clearance"]
TEMPLATE_NAMES: tuple[Template, ...] = ("handout", "progress", "clearance")
# PDF/UA-1 (ISO 14289-1): typst tags the document (structure tree, headings, table headers, reading order) and
# refuses to compile what the standard forbids, e.g. a document without a title or an image without alt text.
PDF_STANDARDS: list[typst.PDFStandard] = ["ua-1"]

_lock = threading.Lock()  # one typst compiler per process, used by one thread at a time


class RenderError(RuntimeError):
    """A template did not compile: a bug in the template or in the data it was given, never the reader's input."""


@cache
def _compiler() -> typst.Compiler:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    return typst.Compiler(root=str(TEMPLATES), font_paths=fonts, ignore_system_fonts=True)


def font_families() -> list[str]:
    """The fonts the documents may use (typst's embedded ones only)."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True).families()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def render(template: Template, data: Mapping[str, Any], *, created: dt.date) -> bytes:
    """The PDF of `templates/<template>.typ` filled with `data`. `data` must hold `title` (the document title)
    and `lang` (`en` or `fr`). `created` is the date written in the PDF's metadata, so the same data on the same
    day gives the same file."""
    if template not in TEMPLATE_NAMES:
        raise ValueError(f"unknown template {template!r}; use one of {', '.join(TEMPLATE_NAMES)}")
    for key in ("title", "lang"):
        if not data.get(key):
            raise ValueError(f"the document data needs a {key!r}: PDF/UA requires a title and a language")
    payload = json.dumps(data, ensure_ascii=False, default=_plain)
    timestamp = dt.datetime.combine(created, dt.time(12), tzinfo=dt.UTC)
    with _lock:
        try:
            pdf, warnings = _compiler().compile_with_warnings(
                input=str(TEMPLATES / f"{template}.typ"),
                format="pdf",
                sys_inputs={"data": payload},
                pdf_standards=PDF_STANDARDS,
                timestamp=timestamp,
            )
        except typst.TypstError as error:
            raise RenderError(f"{template}.typ did not compile: {error.message} {error.diagnostic}".strip()) from error
    if warnings:  # a warning is a template bug (a missing font, an unknown argument): fail loudly, in tests too
        raise RenderError(f"{template}.typ compiled with warnings: " + "; ".join(w.message for w in warnings))
    if not isinstance(pdf, bytes):
        raise RenderError(f"{template}.typ gave {type(pdf).__name__} instead of one PDF")
    return pdf
