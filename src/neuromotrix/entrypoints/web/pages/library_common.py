"""What the library pages share: who may open them (trainers and clinic admins), ids from the address, the
confirmations shown after a redirect, and rendering with the library's words and stylesheet."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import N_
from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.api.pagination import MAX_ID
from neuromotrix.entrypoints.web.deps import Caller
from neuromotrix.entrypoints.web.pages.deps import require_roles
from neuromotrix.entrypoints.web.pages.library_words import LibraryWords
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render

Staff = Annotated[Caller, Depends(require_roles("trainer", "admin"))]

EXERCISE_ID = re.compile(r"^[A-Za-z]{2}\d{2}$")

# Confirmations after a redirect (`?notice=key`); only these keys are shown, so a link cannot add its own text.
LIBRARY_NOTICES: dict[str, str] = {
    "exercise_created": N_("Exercise saved in your clinic's library."),
    "exercise_updated": N_("Changes saved."),
    "exercise_deleted": N_("Exercise deleted, with its images and videos."),
    "exercise_retired": N_(
        "Exercise retired: new programs leave it out; the programs that already have it still show it."
    ),
    "exercise_restored": N_("Exercise back in use: new programs may choose it again."),
    "media_added": N_("Added. It is shown on this page and in the session player."),
    "media_removed": N_("Removed."),
    "template_saved": N_("Template saved. Apply it to a participant from this page."),
    "template_deleted": N_("Template deleted. Programs started from it keep their changes."),
}


def exercise_id_of(value: str) -> str:
    """A catalog-style id from the address (NM04, XA01; any case); anything else is no such page."""
    if not EXERCISE_ID.match(value):
        raise NotFound("exercise")
    return value.upper()


def checked_id(value: int, what: str) -> int:
    """A database id from the address; one that cannot exist is no such page (404), like one you may not see."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(what)
    return value


def render_library(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A library page: the words (`w`), the confirmation named in the address (if it is one of ours)."""
    tr = page_translator(request)
    extra: dict[str, Any] = {"w": LibraryWords(tr)}
    key = request.query_params.get("notice", "")
    if key in LIBRARY_NOTICES:
        extra["notice"] = tr.gettext(LIBRARY_NOTICES[key])
    return render(request, template, {**extra, **context}, status_code=status_code)
