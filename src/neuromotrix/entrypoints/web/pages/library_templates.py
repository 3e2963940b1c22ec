"""Program templates (trainers and clinic admins): the clinic's list at `/library/templates`, one template with
the form that applies it to a participant, deletion; and `/participants/{id}/save-template`, where a trainer
saves a participant's approved program as a template (the participant's program page links to it).

Applying a template answers with what was applied and what was skipped, and why (services/templates.py): each
item goes through the same program changes a trainer makes by hand, so every safety rule still applies.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import N_, Translator
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.library_common import Staff, checked_id, render_library
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.services import library, participants, templates
from neuromotrix.services.access import participant_row
from neuromotrix.services.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)

LIST_PATH = "/library/templates"
SKIP_REASONS = {
    templates.SKIP_EXCLUDED: N_("Left out of this person's program by a safety rule:"),
    templates.SKIP_NOT_PLANNED: N_("Not in this person's program: the generator did not choose it for them."),
    templates.SKIP_UNKNOWN: N_("No longer in the exercise catalog."),
    templates.SKIP_LEVEL: N_("The level is beyond this exercise's ladder."),
    templates.SKIP_TIME: N_("This dose would make a session longer than this person's minutes per session."),
    templates.SKIP_BLOCKED: N_("Screening blocks this person's program: nothing is planned until it is resolved."),
    templates.SKIP_ALREADY: N_("Already in this person's program."),
}
MAX_PARTICIPANTS = 500


def template_path(template_id: int) -> str:
    return f"{LIST_PATH}/{template_id}"


@router.get(LIST_PATH)
async def list_page(request: Request, who: Staff, box: ContainerDep) -> HTMLResponse:
    with box.uow() as uow:
        found = templates.list_templates(uow, who.actor)
        zone = templates.clinic_time_zone(uow, who.actor.clinic_id)
    return render_library(request, "library/templates.html", {"templates": found, "time_zone": zone})


def _detail(
    request: Request,
    who: Caller,
    box: ContainerDep,
    template_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        found = templates.get_template(uow, who.actor, checked_id(template_id, "template"))
        rows, _ = participants.list_participants(uow, who.actor, offset=0, limit=MAX_PARTICIPANTS)
        zone = templates.clinic_time_zone(uow, who.actor.clinic_id)
        names = library.names(
            uow, who.actor, [item.exercise_id for item in found.content.items], page_language(request)
        )
    context = {
        "template": found,
        "names": names,
        "participant_options": [(str(row.id), row.display_name) for row in rows],
        "may_delete": who.actor.role == "admin" or found.created_by == who.actor.user_id,
        "errors": errors or FormErrors(),
        "values": values or {},
        "time_zone": zone,
    }
    return render_library(request, "library/template.html", context, status_code=422 if errors else 200)


@router.get(f"{LIST_PATH}/{{template_id:int}}")
async def detail(request: Request, template_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _detail(request, who, box, template_id)


@router.post(f"{LIST_PATH}/{{template_id:int}}/delete")
async def delete(request: Request, template_id: int, who: Staff, box: ContainerDep) -> RedirectResponse:
    with box.uow(write=True) as uow:
        templates.delete_template(uow, who.actor, checked_id(template_id, "template"), now=box.clock())
        uow.commit()
    return RedirectResponse(f"{LIST_PATH}?notice=template_deleted", status_code=303)


@router.post(f"{LIST_PATH}/{{template_id:int}}/apply", response_model=None)
async def apply(request: Request, template_id: int, who: Staff, box: ContainerDep) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    errors = FormErrors()
    chosen = fields.get("participant_id", "")
    if not chosen.isdigit():
        errors.add("participant_id", tr.gettext("Choose the participant to start from this template."))
    preferences = fields.get("preferences", "")
    if preferences not in ("yes", "no"):
        errors.add(
            "preferences", tr.gettext("Say whether to use the template's preferences too."), target="preferences-yes"
        )
    if errors:
        return _detail(request, who, box, template_id, errors=errors, values=fields)
    participant_id = checked_id(int(chosen), "participant")
    try:
        return apply_and_show(
            request,
            who,
            box,
            participant_id,
            checked_id(template_id, "template"),
            with_preferences=preferences == "yes",
        )
    except Conflict:
        errors.add(
            "participant_id",
            tr.gettext("This participant has no program yet. Generate one first, then apply the template."),
        )
        return _detail(request, who, box, template_id, errors=errors, values=fields)


def apply_and_show(
    request: Request, who: Caller, box: ContainerDep, participant_id: int, template_id: int, *, with_preferences: bool
) -> HTMLResponse:
    """Apply a template and show what was applied and skipped (also the intake outcome's "start from a template").
    `Conflict` when the person has no program yet."""
    tr = page_translator(request)
    with box.uow(write=True) as uow:
        done = templates.apply_template(
            uow, who.actor, participant_id, template_id, with_preferences=with_preferences, now=box.clock()
        )
        name = _participant_name(uow, who, participant_id)
        uow.commit()
        names = library.names(
            uow, who.actor, [item.exercise_id for item in done.template.content.items], page_language(request)
        )
    skipped = [
        {"exercise_id": item.exercise_id, "reason": tr.gettext(SKIP_REASONS[item.reason]), "details": _details(item)}
        for item in done.skipped
    ]
    context = {"application": done, "participant_name": name, "skipped": skipped, "names": names}
    return render_library(request, "library/template_applied.html", context)


def _details(item: templates.Skipped) -> tuple[str, ...]:
    # The planner's own words, in the person's language; the time-budget message is the service's (English) one,
    # which the translated reason above already says.
    return item.details if item.reason == templates.SKIP_EXCLUDED else ()


def _participant_name(uow: UnitOfWork, who: Caller, participant_id: int) -> str:
    return str(participant_row(uow, who.actor, participant_id).display_name)


# Saving a participant's program as a template -----------------------------------------------------------


def _save_page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    participant_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        person = participant_row(uow, who.actor, checked_id(participant_id, "participant"))
        try:
            content = templates.content_of_program(uow, who.actor, participant_id)
        except templates.NoActiveProgram:
            content = None
        held = [item.exercise_id for item in content.items] if content else []
        names = library.names(uow, who.actor, held, page_language(request))
    context = {
        "participant": person,
        "content": content,
        "names": names,
        "errors": errors or FormErrors(),
        "values": values or {},
    }
    return render_library(request, "library/save_template.html", context, status_code=422 if errors else 200)


@router.get("/participants/{participant_id:int}/save-template")
async def save_form(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _save_page(request, who, box, participant_id)


@router.post("/participants/{participant_id:int}/save-template", response_model=None)
async def save(request: Request, participant_id: int, who: Staff, box: ContainerDep) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {"name": fields.get("name", ""), "description": fields.get("description", "")}
    errors = FormErrors()
    try:
        with box.uow(write=True) as uow:
            template_id = templates.save_template(
                uow,
                who.actor,
                checked_id(participant_id, "participant"),
                name=values["name"],
                description=values["description"],
                now=box.clock(),
            )
            uow.commit()
    except InvalidRequest as error:
        field = str(error.field[0]) if error.field else "name"
        errors.add(field, _save_message(field, tr))
        return _save_page(request, who, box, participant_id, errors=errors, values=values)
    except templates.NoActiveProgram:
        errors.add(
            None, tr.gettext("This participant has no approved program yet. Approve one, then save it as a template.")
        )
        return _save_page(request, who, box, participant_id, errors=errors, values=values)
    except Conflict:
        errors.add("name", tr.gettext("Your clinic already has a template with this name. Choose another name."))
        return _save_page(request, who, box, participant_id, errors=errors, values=values)
    return RedirectResponse(f"{template_path(template_id)}?notice=template_saved", status_code=303)


def _save_message(field: str, tr: Translator) -> str:
    if field == "description":
        return tr.gettext("Keep the description under %(count)s characters.", count=templates.MAX_DESCRIPTION)
    return tr.gettext(
        "Give the template a name of at most %(count)s characters, like “Cervical dystonia, first month”.",
        count=templates.MAX_NAME,
    )
