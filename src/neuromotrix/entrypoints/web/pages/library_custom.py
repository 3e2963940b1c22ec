"""A clinic's own exercises: `/library/custom/new` (optionally `?from=NM04`, to start from a catalog exercise) and
`/library/custom/{exercise_id}/edit`. The form (library_form.py) carries the whole catalog entry; the service
validates it as the catalog loader does and every problem is shown on its field. "Add a level" sends the form
back with one more level fieldset, without saving (no script needed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages import library_form, library_form_problems, library_form_values
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.library_common import Staff, exercise_id_of, render_library
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.services import library

router = APIRouter(include_in_schema=False)

NEW_PATH = "/library/custom/new"


def _form(
    request: Request,
    values: Mapping[str, Any],
    *,
    exercise_id: str | None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "values": values,
        "level_count": library_form.level_count(values),
        "max_levels": library_form.MAX_LEVELS,
        "exercise_id": exercise_id,
        "action": f"/library/custom/{exercise_id}/edit" if exercise_id else NEW_PATH,
        "errors": errors or FormErrors(),
    }
    return render_library(request, "library/custom_form.html", context, status_code=status_code)


@router.get(NEW_PATH)
async def new(request: Request, who: Staff, box: ContainerDep) -> HTMLResponse:
    source = request.query_params.get("from", "")
    values: dict[str, Any] = {"level_count": str(library_form.MIN_LEVELS)}
    if source:
        with box.uow() as uow:
            library.get(uow, who.actor, exercise_id_of(source))  # staff only; 404 for an unknown id
        document = _starting_point(source.upper())
        values = library_form_values.from_document(document)
    return _form(request, values, exercise_id=None)


def _starting_point(exercise_id: str) -> dict[str, Any]:
    try:
        return library.catalog_document(exercise_id)
    except NotFound:
        return {}  # a clinic exercise: the edit page is where to change it; start from an empty form


@router.post(NEW_PATH, response_model=None)
async def create(request: Request, who: Staff, box: ContainerDep) -> Response:
    return await _save(request, who, box, exercise_id=None)


@router.get("/library/custom/{exercise_id}/edit")
async def edit(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    wanted = exercise_id_of(exercise_id)
    with box.uow() as uow:
        document = library.custom_document(uow, who.actor, wanted)
    return _form(request, library_form_values.from_document(document), exercise_id=wanted)


@router.post("/library/custom/{exercise_id}/edit", response_model=None)
async def update(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> Response:
    wanted = exercise_id_of(exercise_id)
    with box.uow() as uow:
        library.custom_document(uow, who.actor, wanted)  # 404 before reading the form: not this clinic's
    return await _save(request, who, box, exercise_id=wanted)


async def _save(request: Request, who: Caller, box: ContainerDep, *, exercise_id: str | None) -> Response:
    tr = page_translator(request)
    values = library_form.read_values(await request.form())
    if values.get("action") == "add_level":
        count = min(library_form.MAX_LEVELS, library_form.level_count(values) + 1)
        return _form(request, {**values, "level_count": str(count)}, exercise_id=exercise_id)
    parsed = library_form.to_document(values, tr)
    if parsed.errors:
        return _form(request, values, exercise_id=exercise_id, errors=parsed.errors, status_code=422)
    try:
        with box.uow(write=True) as uow:
            if exercise_id is None:
                exercise_id = library.create_custom(uow, who.actor, parsed.document, now=box.clock())
                notice = "exercise_created"
            else:
                library.update_custom(uow, who.actor, exercise_id, parsed.document, now=box.clock())
                notice = "exercise_updated"
            uow.commit()
    except library.ExerciseDocumentError as error:
        errors = FormErrors()
        library_form_problems.add_problems(errors, error.problems, parsed, tr)
        return _form(request, values, exercise_id=exercise_id, errors=errors, status_code=422)
    return RedirectResponse(f"/library/{exercise_id}?notice={notice}", status_code=303)


# Delete, retire, put back -------------------------------------------------------------------------------------


def _delete_path(exercise_id: str) -> str:
    return f"/library/custom/{exercise_id}/delete"


@router.get("/library/custom/{exercise_id}/delete")
async def confirm_delete(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    """The confirmation (no script needed): what the button will do, delete or retire, and why."""
    wanted = exercise_id_of(exercise_id)
    with box.uow() as uow:
        entry = library.get(uow, who.actor, wanted)
        if not entry.custom:
            raise NotFound("exercise")
        usage = library.usage(uow, who.actor, wanted)
    context = {"exercise": entry.exercise, "entry": entry, "usage": usage, "action": _delete_path(wanted)}
    return render_library(request, "library/custom_delete.html", context)


@router.post("/library/custom/{exercise_id}/delete")
async def delete(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> RedirectResponse:
    """Deletes an exercise nothing uses, else retires it (services/library.py `remove_custom`)."""
    wanted = exercise_id_of(exercise_id)
    with box.uow(write=True) as uow:
        outcome = library.remove_custom(uow, who.actor, wanted, now=box.clock())
        uow.commit()
    if outcome == "deleted":
        return RedirectResponse("/library?notice=exercise_deleted", status_code=303)
    return RedirectResponse(f"/library/{wanted}?notice=exercise_retired", status_code=303)


@router.post("/library/custom/{exercise_id}/restore")
async def restore(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> RedirectResponse:
    wanted = exercise_id_of(exercise_id)
    with box.uow(write=True) as uow:
        library.restore_custom(uow, who.actor, wanted, now=box.clock())
        uow.commit()
    return RedirectResponse(f"/library/{wanted}?notice=exercise_restored", status_code=303)
