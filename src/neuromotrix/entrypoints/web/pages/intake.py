"""Enrolling a participant: the intake wizard (`/participants/new`), its outcome and the clearance-request letter.

The wizard keeps no draft on the server. Every answer travels with the form in one hidden field, `state` (JSON:
the answers, field name → values, and the steps already passed), so nothing is lost on a validation error, on
Back or on a change from the review step; the server validates the step just posted and the whole intake again
at the end (services/intake_document.py `check`, the domain's own validation). Buttons name what to do (`action`):
`next`, `back`, `add:toxin` / `add:med` (one more injection or medication row), `change:<step>` (from the
review) and `submit` (enrol). A problem is shown on the step that asks the field, with every answer kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import is_language
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import Conflict
from neuromotrix.entrypoints.web.api.common import audit_read, clinic_today
from neuromotrix.entrypoints.web.api.pagination import MAX_ID, Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages import library_templates
from neuromotrix.entrypoints.web.pages.deps import require_roles
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.intake_fields import STEP_TITLES, field_label, problem_message
from neuromotrix.entrypoints.web.pages.intake_review import review_sections
from neuromotrix.entrypoints.web.pages.locale import page_translator, remember_language
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import accounts, intake, intake_document, intake_form, templates

router = APIRouter(include_in_schema=False)
Staff = Annotated[Caller, Depends(require_roles("trainer", "admin"))]

MAX_STATE = 200_000  # characters of the hidden state; a real intake needs a few thousand
SCALE_FIELDS = frozenset({"symptoms.pain_nrs", "symptoms.fatigue_nrs"})  # 0-10 scales: the first option is <name>-0


# The state carried by the form --------------------------------------------------------------------------------


def encode_state(answers: dict[str, list[str]], seen: list[str]) -> str:
    return json.dumps({"answers": answers, "seen": seen}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode_state(text: str) -> tuple[dict[str, list[str]], list[str]] | None:
    """The answers and the steps passed, or None when the field is missing or was not written by the wizard."""
    if not text or len(text) > MAX_STATE:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("answers"), dict)
        or not isinstance(data.get("seen"), list)
    ):
        return None
    answers: dict[str, list[str]] = {}
    for name, given in data["answers"].items():
        if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
            return None
        answers[str(name)] = given
    seen = [step for step in data["seen"] if isinstance(step, str) and step in intake_form.STEPS]
    return answers, seen


async def _posted(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    posted: dict[str, list[str]] = {}
    for name, item in form.multi_items():
        if isinstance(item, str):
            posted.setdefault(name, []).append(item)
    return posted


def _merge(answers: dict[str, list[str]], posted: dict[str, list[str]], step: str) -> dict[str, list[str]]:
    """The answers with the posted step's fields replaced (a checkbox group with nothing ticked is posted as
    nothing, so the step's old answers go first)."""
    kept = {name: given for name, given in answers.items() if intake_form.step_of(name) != step}
    kept.update({name: given for name, given in posted.items() if intake_form.step_of(name) == step})
    return kept


# Rendering a step --------------------------------------------------------------------------------------------


def _errors(request: Request, problems: list[intake_document.Problem]) -> FormErrors:
    tr = page_translator(request)
    errors = FormErrors()
    for problem in problems:
        target = f"{problem.field}-0" if problem.field in SCALE_FIELDS else problem.field
        errors.add(problem.field, problem_message(tr, problem), target=target)
    return errors


def _step_page(
    request: Request,
    *,
    answers: dict[str, list[str]],
    seen: list[str],
    step: str,
    errors: FormErrors | None = None,
    from_review: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    tr = page_translator(request)
    language = tr.language
    sequence = intake_form.steps_for(answers)
    if step not in sequence:
        step = sequence[0]
    if step == "review":
        next_action, next_label = "submit", tr.gettext("Enrol and screen")
    elif from_review and _next_step(sequence, step, seen, from_review=True) == "review":
        next_action, next_label = "next", tr.gettext("Save and return to the review")
    else:
        next_action, next_label = "next", tr.gettext("Continue")

    def one(name: str) -> str:
        return intake_form.value(answers, name)

    def many(name: str) -> list[str]:
        return intake_form.values(answers, name)

    def options(list_name: str) -> list[tuple[str, str]]:
        return intake_form.options(list_name, language)

    def label(name: str) -> str:
        return field_label(tr, name)

    context: dict[str, Any] = {
        "step": step,
        "step_title": tr.gettext(STEP_TITLES[step]),
        "number": sequence.index(step) + 1,
        "total": len(sequence),
        "state": encode_state(answers, seen),
        "from_review": from_review,
        "next_action": next_action,
        "next_label": next_label,
        "errors": errors or FormErrors(),
        "one": one,
        "many": many,
        "options": options,
        "label": label,
        "parq": intake_form.parq_questions(language),
        "rows": {"toxin": intake_form.row_count(answers, "toxin"), "med": intake_form.row_count(answers, "med")},
        "sections": review_sections(answers, tr) if step == "review" else [],
    }
    return render(request, "intake/wizard.html", context, status_code=status_code)


def _next_step(sequence: list[str], step: str, seen: list[str], *, from_review: bool) -> str:
    """The step after this one; coming from the review, the first step not passed yet, else the review again."""
    later = sequence[sequence.index(step) + 1 :]
    if from_review:
        return next((candidate for candidate in later if candidate not in seen and candidate != "review"), "review")
    return later[0]


def _first_step_with(problems: list[intake_document.Problem], sequence: list[str]) -> str:
    steps = {intake_form.step_of(problem.field) for problem in problems}
    return next((step for step in sequence if step in steps), "review")


# Routes -------------------------------------------------------------------------------------------------------


@router.get("/participants/new")
async def new_participant(request: Request, _who: Staff) -> HTMLResponse:
    return _step_page(request, answers=intake_form.initial_answers(), seen=[], step="person")


@router.post("/participants/new", response_model=None)
async def intake_step(request: Request, who: Staff, box: ContainerDep) -> Response:
    posted = await _posted(request)
    decoded = decode_state(_last(posted, "state"))
    if decoded is None:
        errors = FormErrors()
        message = "The answers of this intake could not be read back from the page. Start again from the first step."
        errors.add(None, page_translator(request).gettext(message))
        wizard = _Wizard(request, intake_form.initial_answers(), [])
        return wizard.show("person", errors=errors, status_code=400)
    answers, seen = decoded
    step = _last(posted, "step")
    step = step if step in intake_form.STEPS else "person"
    if step != "review":
        answers = _merge(answers, posted, step)
    wizard = _Wizard(request, answers, seen)
    from_review = _last(posted, "from_review") == "1"
    action = _last(posted, "action") or "next"
    sequence = intake_form.steps_for(answers)
    if step not in sequence:
        return wizard.show(sequence[0])
    if action == "back":
        return wizard.show("review" if from_review else sequence[max(sequence.index(step) - 1, 0)])
    if action.startswith("language:"):
        return _switch_language(wizard, who, box, action[9:], step, from_review=from_review)
    if action in ("add:toxin", "add:med"):
        prefix = action[4:]
        answers[f"{prefix}.count"] = [str(min(intake_form.row_count(answers, prefix) + 1, intake_form.MAX_ROWS))]
        return wizard.show(step, from_review=from_review)
    if action.startswith("change:") and action[7:] in sequence:
        return wizard.show(action[7:], from_review=action[7:] != "review")
    if action == "submit" or step == "review":
        return _submit(wizard, who, box)
    return _continue(wizard, who, box, step, from_review=from_review)


def _last(posted: dict[str, list[str]], name: str) -> str:
    return (posted.get(name) or [""])[-1]


@dataclass
class _Wizard:
    """The answers and the steps passed so far, shown at one step or another."""

    request: Request
    answers: dict[str, list[str]]
    seen: list[str]

    def show(
        self, step: str, *, errors: FormErrors | None = None, from_review: bool = False, status_code: int = 200
    ) -> HTMLResponse:
        return _step_page(
            self.request, answers=self.answers, seen=self.seen, step=step, errors=errors, from_review=from_review,
            status_code=status_code,
        )  # fmt: skip


def _switch_language(
    wizard: _Wizard, who: Caller, box: Container, language: str, step: str, *, from_review: bool
) -> HTMLResponse:
    """The header's language buttons post the wizard's form: the answers so far, this step's too (unchecked, as
    with Back), stay; the same step comes back in the chosen language, which becomes the account's setting as
    with the switcher (`POST /language`)."""
    if not is_language(language):
        return wizard.show(step, from_review=from_review)
    with box.uow(write=True) as uow:
        accounts.set_language(uow, who.actor.user_id, language)
        uow.commit()
    wizard.request.state.language = language
    response = wizard.show(step, from_review=from_review)
    remember_language(response, language, secure=box.settings.cookie_secure)
    return response


def _continue(wizard: _Wizard, who: Caller, box: Container, step: str, *, from_review: bool) -> HTMLResponse:
    """Check the step just answered; go on when it is right, else show it again with what to change."""
    with box.uow() as uow:
        today = clinic_today(uow, who.actor.clinic_id, box.clock())
    checked = intake_document.check(wizard.answers, today=today)
    problems = [problem for problem in checked.problems if intake_form.step_of(problem.field) == step]
    if problems:
        errors = _errors(wizard.request, problems)
        return wizard.show(step, errors=errors, from_review=from_review, status_code=422)
    if step not in wizard.seen:
        wizard.seen.append(step)
    target = _next_step(intake_form.steps_for(wizard.answers), step, wizard.seen, from_review=from_review)
    return wizard.show(target, from_review=from_review and target != "review")


def _submit(wizard: _Wizard, who: Caller, box: Container) -> Response:
    """Enrol; a problem found now (or an email already in use) goes back to its step with every answer."""
    now = box.clock()
    links = intake.Links(base_url=box.settings.base_url, valid_days=box.settings.invitation_days)
    try:
        with box.uow(write=True) as uow:
            today = clinic_today(uow, who.actor.clinic_id, now)
            participant_id = intake.enrol(uow, who.actor, wizard.answers, now=now, today=today, links=links)
            uow.commit()
    except intake.IntakeInvalidError as refused:
        problems = list(refused.problems)
        step = _first_step_with(problems, intake_form.steps_for(wizard.answers))
        shown = [problem for problem in problems if intake_form.step_of(problem.field) == step]
        errors = _errors(wizard.request, shown)
        return wizard.show(step, errors=errors, from_review=step != "review", status_code=422)
    invited = "?invited=1" if intake_form.value(wizard.answers, "email") else ""
    return RedirectResponse(f"/participants/{participant_id}/enrolled{invited}", status_code=303)


@router.get("/participants/{participant_id:int}/enrolled")
async def enrolled(request: Request, participant_id: Id, who: Staff, box: ContainerDep) -> HTMLResponse:
    """The screening outcome in plain words, right after the intake (and any time later)."""
    return _enrolled_page(request, who, box, participant_id)


def _enrolled_page(
    request: Request,
    who: Caller,
    box: Container,
    participant_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        found = intake.outcome(uow, who.actor, participant_id)
        # "Start from a clinic template" (docs/web.md "Intake"): offered once the draft is ready for review.
        offered = templates.list_templates(uow, who.actor) if found.status == "ready" else []
    audit_read(box, who, "screening", found.screened_on.isoformat(), participant_id)
    language = page_translator(request).language
    context = {
        "outcome": found,
        "invited": request.query_params.get("invited") == "1",
        "label_of": lambda list_name, value: intake_form.label(list_name, value, language),
        "time_zone": found.clinic.time_zone,
        "template_options": [(str(item.id), item.name) for item in offered],
        "errors": errors or FormErrors(),
        "values": values or {},
    }
    return render(request, "intake/enrolled.html", context, status_code=422 if errors else 200)


@router.post("/participants/{participant_id:int}/enrolled", response_model=None)
async def start_from_template(request: Request, participant_id: Id, who: Staff, box: ContainerDep) -> Response:
    """Fields `template_id` and `preferences` (`yes`, `no`): the template's changes go into the waiting draft
    through the program changes a trainer makes by hand (services/templates.py `apply_template`)."""
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in ("template_id", "preferences")}
    errors = FormErrors()
    chosen = values["template_id"]
    if not chosen.isdigit() or not 1 <= int(chosen) <= MAX_ID:
        errors.add("template_id", tr.gettext("Choose the template to start from."))
    if values["preferences"] not in ("yes", "no"):
        errors.add(
            "preferences", tr.gettext("Say whether to use the template's preferences too."), target="preferences-yes"
        )
    if errors:
        return _enrolled_page(request, who, box, participant_id, errors=errors, values=values)
    try:
        return library_templates.apply_and_show(
            request, who, box, participant_id, int(chosen), with_preferences=values["preferences"] == "yes"
        )
    except Conflict:
        errors.add("template_id", tr.gettext("This participant has no program yet. Generate one first, then apply the template."))  # fmt: skip
        return _enrolled_page(request, who, box, participant_id, errors=errors, values=values)


@router.get("/participants/{participant_id:int}/clearance-letter")
async def clearance_letter(request: Request, participant_id: Id, who: Staff, box: ContainerDep) -> HTMLResponse:
    """A printable letter asking the person's physician for a clearance, in the participant's language."""
    now = box.clock()
    with box.uow() as uow:
        letter = intake.clearance_request(uow, who.actor, participant_id)
        today = clinic_today(uow, who.actor.clinic_id, now)
    audit_read(box, who, "clearance_letter", participant_id, participant_id)
    language = str(letter.participant.language)
    context = {
        "letter": letter,
        "today": today,
        "requested_by": who.actor.name,
        "restrictions": intake_form.options("restriction", language),
        "label_of": lambda list_name, value: intake_form.label(list_name, value, language),
        "time_zone": letter.clinic.time_zone,
    }
    return render(request, "intake/clearance_letter.html", context, language=language)
