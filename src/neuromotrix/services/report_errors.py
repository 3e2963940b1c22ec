"""Why a report cannot be printed, said in English by the message (command line, logs) and by a code the web
pages word in the reader's language (entrypoints/web/pages/reports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from neuromotrix.domain.errors import Conflict, InvalidRequest

Unavailable = Literal["no_program", "draft", "blocked", "no_clearance"]


class ReportUnavailable(Conflict):
    """There is nothing to print: no approved program, a draft waiting, a blocked screening, no clearance needed."""

    def __init__(self, message: str, *, fr: str, reason: Unavailable, version: int | None = None) -> None:
        super().__init__(message, fr=fr)
        self.reason = reason
        self.version = version


class UnknownCycle(InvalidRequest):
    """The toxin cycle asked for does not exist; `injections` are the dates that start the cycles there are."""

    def __init__(self, message: str, *, fr: str, cycle: int, injections: Sequence[dt.date]) -> None:
        super().__init__(message, fr=fr, field=("cycle",), where="query")
        self.cycle = cycle
        self.injections = tuple(injections)
