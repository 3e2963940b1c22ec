"""The exercise library (trainers and clinic admins): browse the catalog and the clinic's own exercises with
filters (category, region, position, equipment; a GET form, no script), and each exercise's page: levels,
instructions in English and French, contraindications, cautions, references and media.

`router` also carries the library's other pages, in an order that keeps `/library/templates` and
`/library/custom/...` ahead of `/library/{exercise_id}`: clinic exercises (library_custom.py), media
(library_media.py) and program templates (library_templates.py). docs/web.md "Library" describes them.
"""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import N_
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages import library_custom, library_media, library_templates
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.library_common import Staff, exercise_id_of, render_library
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.services import library, media

router = APIRouter(include_in_schema=False)
router.include_router(library_templates.router)
router.include_router(library_custom.router)
router.include_router(library_media.router)

FILTER_ERRORS = {
    "category": N_("Choose a category from the list, or “Any category”."),
    "region": N_("Choose a body region from the list, or “Any region”."),
    "position": N_("Choose a position from the list, or “Any position”."),
    "equipment": N_("Choose equipment from the list, or “Any equipment”."),
}


@router.get("/library")
async def browse(request: Request, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    filters = {name: request.query_params.get(name) or None for name in library.FILTERS}
    errors = FormErrors()
    with box.uow() as uow:
        try:
            items = library.find(uow, who.actor, filters)
        except InvalidRequest as error:
            name = str(error.field[0]) if error.field else "category"
            errors.add(name, tr.gettext(FILTER_ERRORS.get(name, FILTER_ERRORS["category"])))
            filters = dict.fromkeys(library.FILTERS)
            items = library.find(uow, who.actor, filters)
    groups = [(category, list(found)) for category, found in groupby(items, key=lambda item: item.exercise.category)]
    context = {
        "groups": groups,
        "count": len(items),
        "filters": {name: value or "" for name, value in filters.items()},
        "filtered": any(filters.values()),
        "errors": errors,
    }
    return render_library(request, "library/index.html", context, status_code=422 if errors else 200)


@router.get("/library/{exercise_id}")
async def exercise(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    wanted = exercise_id_of(exercise_id)
    with box.uow() as uow:
        found = library.get(uow, who.actor, wanted)
        items = media.list_media(uow, who.actor, wanted)
    context = {"entry": found, "exercise": found.exercise, "media": items}
    return render_library(request, "library/exercise.html", context)
