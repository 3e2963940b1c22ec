"""A participant's program on the trainer's pages: the version in use (weeks → sessions → blocks, each block with
its dose and reasons, and the exercises left out with theirs), a waiting draft with its review and an Approve
button, every version with what it changed, and, per exercise, a page to change its dose or hold, pause or release
it, always with a reason.

Changes go where the services put them: into the waiting draft if there is one (it applies once approved), else
into the program in use from today on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator, format_number
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.trainer_common import (
    Staff,
    checked_id,
    header,
    moment,
    parse_number,
    parse_whole,
    participant_path,
    render_section,
    with_notice,
)
from neuromotrix.entrypoints.web.pages.trainer_program_view import (
    adjustment_text,
    block_view,
    effort_text,
    exercise_name,
    named_exercises,
    schedule,
    version_view,
)
from neuromotrix.entrypoints.web.pages.trainer_words import Words
from neuromotrix.services import (
    caseload,
    clinic_catalog,
    participants,
    program_changes,
    program_review,
    programs,
)

router = APIRouter(include_in_schema=False)

# The bounds of the API's dose edits (entrypoints/web/api/schemas.py DoseIn): whole numbers but minutes.
DOSE_BOUNDS: dict[str, tuple[int, int]] = {"sets": (1, 20), "reps": (0, 100), "hold_s": (0, 600), "rest_s": (0, 600)}
MAX_MINUTES = 90
MAX_REASON = 500
OVERRIDE_ACTIONS = ("level", "pause", "release")


def _program_path(participant_id: int) -> str:
    return participant_path(participant_id, "/program")


@router.get("/participants/{participant_id:int}/program")
async def program(
    request: Request, participant_id: int, who: Staff, box: ContainerDep, version: int | None = None, weeks: str = ""
) -> HTMLResponse:
    """`?version=n` shows another version; `?weeks=all` shows the weeks already over too."""
    tr = page_translator(request)
    w = Words(tr)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        rows = programs.list_versions(uow, who.actor, participant_id)
        active = programs.active_version(uow, participant_id)
        draft = programs.latest_version(uow, participant_id, "draft")
        shown = (
            programs.get_version(uow, who.actor, participant_id, checked_id(version)) if version else active or draft
        )
        parsed = programs.parsed_plan(uow, shown) if shown is not None else None
        review = None
        if draft is not None and active is not None:
            review = program_review.review(uow, who.actor, participant_id, draft.version, against=None, day=when.today)
        working = draft or active
        # Once today's session is logged, the table shows the next session's levels: what the adaptation decided.
        from_day = program_review.first_open_day(uow, participant_id, when.today)
        upcoming = program_review.upcoming_blocks(programs.parsed_plan(uow, working), from_day) if working else {}
        in_force = programs.carried_adjustments(working)
        ids = [row.created_by for row in rows] + [row.approved_by for row in rows]
        names = caseload.staff_names(uow, who.actor, ids)
        # One catalog names every exercise on the page in its language, the clinic's own ones too (retired ones
        # still in an older version as well): the shipped catalog alone when the page names none of them.
        reviewed = _reviewed_ids(review) if review is not None else []
        catalog = clinic_catalog.lookup(
            uow, who.actor.clinic_id, named_exercises(parsed, rows, upcoming, in_force, reviewed)
        )
    audit_read(box, who, "program", shown.version if shown is not None else "none", participant_id)
    plan_language = parsed["language"] if parsed else tr.language
    exercises = [
        {
            "block": block_view(block, tr, plan_language, catalog),
            "adjustment": adjustment_text(in_force[key], tr) if key in in_force else None,
        }
        for key, block in sorted(upcoming.items(), key=lambda item: (item[1]["date"], item[0]))
    ]
    paused = [
        {
            "exercise_id": key,
            "name": exercise_name(key, tr.language, catalog),
            "adjustment": adjustment_text(value, tr),
        }
        for key, value in sorted(in_force.items())
        if value.paused and key not in upcoming
    ]
    every_week = schedule(parsed, tr, when.today, catalog) if parsed else []
    coming = [week for week in every_week if any(session.date >= when.today for session in week.sessions)]
    show_all = weeks == "all" or not coming
    query = {"version": str(shown.version)} if version and shown is not None else {}
    context = {
        "shown": version_view(shown, tr, w, names, catalog) if shown is not None else None,
        "plan": parsed,
        "plan_language": plan_language,
        "weeks": every_week if show_all else coming,
        "weeks_over": 0 if show_all else len(every_week) - len(coming),
        "all_weeks_link": "?" + urlencode(query | {"weeks": "all"}) + "#sessions-title",
        "excluded": [
            {
                "exercise_id": item["exercise_id"],
                "name": exercise_name(item["exercise_id"], tr.language, catalog),
                "reasons": item["reasons"],
            }
            for item in (parsed["excluded"] if parsed else [])
        ],
        "draft": version_view(draft, tr, w, names, catalog) if draft is not None else None,
        "review": _review_view(review, tr, w, catalog) if review is not None else None,
        "working": working.version if working is not None else None,
        "working_is_draft": draft is not None,
        "is_working": shown is not None and working is not None and shown.version == working.version,
        "exercises": exercises,
        "paused": paused,
        "versions": [version_view(row, tr, w, names, catalog) for row in reversed(rows)],
        "start_on": dt.date.fromisoformat(parsed["start_on"]) if parsed else None,
        "today": when.today,
        "today_logged": from_day > when.today,
    }
    return render_section(request, "trainer/program.html", entry, "program", context, time_zone=when.time_zone)


def _reviewed_ids(review: dict[str, Any]) -> list[str]:
    """The exercises a review names (services/program_review.py `compare`)."""
    items = [*review["added"], *review["removed"], *review["changed"], *review["newly_excluded"]]
    return [item["exercise_id"] for item in items] + list(review["no_longer_excluded"])


def _review_view(review: dict[str, Any], tr: Translator, w: Words, catalog: Catalog) -> dict[str, Any]:
    """The review with exercise names in the reader's language and each change as a short phrase."""

    def named(item: dict[str, Any]) -> dict[str, Any]:
        label = exercise_name(item["exercise_id"], tr.language, catalog, fallback=item.get("name", "")).text
        day = dt.date.fromisoformat(str(item["date"])) if item.get("date") else None
        return item | {"label": label, "day": day}

    def lines(item: dict[str, Any]) -> list[str]:
        found = []
        if item["level"]:
            found.append(tr.gettext("level %(before)s → %(after)s", before=item["level"][0], after=item["level"][1]))
        for field, (before, after) in item["dose"].items():
            if field == "effort":
                found.append(f"{effort_text(before, tr)} → {effort_text(after, tr)}")
            else:
                found.append(
                    tr.gettext(
                        "%(field)s %(before)s → %(after)s",
                        field=w("dose", field),
                        before=format_number(before, tr.language),
                        after=format_number(after, tr.language),
                    )
                )
        return found

    return review | {
        "added": [named(item) for item in review["added"]],
        "removed": [named(item) for item in review["removed"]],
        "changed": [named(item) | {"lines": lines(item)} for item in review["changed"]],
        "newly_excluded": [named(item) for item in review["newly_excluded"]],
        "no_longer_excluded": [named({"exercise_id": key}) for key in review["no_longer_excluded"]],
    }


@router.post("/participants/{participant_id:int}/program/versions/{version:int}/approve")
async def approve(participant_id: int, version: int, who: Staff, box: ContainerDep) -> RedirectResponse:
    """The draft becomes the program in use; the sessions follow it from today."""
    with box.uow(write=True) as uow:
        programs.approve(uow, who.actor, checked_id(participant_id), checked_id(version), now=box.clock())
        uow.commit()
    return RedirectResponse(with_notice(_program_path(participant_id), "program_approved"), status_code=303)


# One exercise: change its dose, or hold, pause or release it ---------------------------------------------------


def _exercise_page(
    request: Request,
    who: Caller,
    box: Any,
    participant_id: int,
    exercise_id: str,
    *,
    values: dict[str, str] | None = None,
    dose_errors: FormErrors | None = None,
    override_errors: FormErrors | None = None,
) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        when = moment(uow, who, box.clock())
        entry = header(uow, who, participant_id, when.today)
        working = programs.latest_version(uow, participant_id, "draft") or programs.active_version(uow, participant_id)
        if working is None:
            raise NotFound("program")
        parsed = programs.parsed_plan(uow, working)
        from_day = program_review.first_open_day(uow, participant_id, when.today)
        block = program_review.upcoming_blocks(parsed, from_day).get(exercise_id)
        in_force = programs.carried_adjustments(working).get(exercise_id)
        _, profile = participants.current_profile(uow, participant_id)
        catalog = clinic_catalog.lookup(uow, who.actor.clinic_id, [exercise_id])
    compiled = catalog.exercises.get(exercise_id)
    if block is None and in_force is None:
        raise NotFound("exercise")
    audit_read(box, who, "program", working.version, participant_id)
    levels = (
        [(str(number), tr.gettext("Level %(level)s: %(text)s", level=number, text=level.text.in_language(tr.language)))
         for number, level in enumerate(compiled.exercise.levels, start=1)]
        if compiled is not None
        else []
    )  # fmt: skip
    errors = dose_errors or override_errors or FormErrors()
    context = {
        "exercise_id": exercise_id,
        "name": exercise_name(
            exercise_id,
            tr.language,
            catalog,
            fallback=block["name"] if block else "",
            fallback_language=parsed["language"],
        ),
        "block": block_view(block, tr, parsed["language"], catalog) if block else None,
        "plan_language": parsed["language"],
        "adjustment": adjustment_text(in_force, tr) if in_force else None,
        "can_release": in_force is not None,
        "working": working.version,
        "working_is_draft": working.status == "draft",
        "minutes_per_session": profile.preferences.minutes_per_session,
        "levels": levels,
        "values": values or {},
        "errors": errors,
        "dose_errors": dose_errors or FormErrors(),
        "override_errors": override_errors or FormErrors(),
        "dose": block["dose"] if block else {},
    }
    return render_section(
        request, "trainer/exercise.html", entry, "program", context, time_zone=when.time_zone,
        status_code=422 if errors else 200,
    )  # fmt: skip


def _exercise_path(participant_id: int, exercise_id: str) -> str:
    return participant_path(participant_id, f"/program/exercises/{exercise_id}")


@router.get("/participants/{participant_id:int}/program/exercises/{exercise_id}")
async def exercise(request: Request, participant_id: int, exercise_id: str, who: Staff, box: ContainerDep) -> HTMLResponse:  # fmt: skip
    return _exercise_page(request, who, box, participant_id, exercise_id)


def _reason(tr: Translator, errors: FormErrors, name: str, text: str) -> None:
    if not text:
        errors.add(name, tr.gettext("Give the reason for this change. It is kept with the program and shown in its history."))  # fmt: skip
    elif len(text) > MAX_REASON:
        errors.add(name, tr.gettext("Shorten the reason to %(count)s characters or fewer.", count=MAX_REASON))


@router.post("/participants/{participant_id:int}/program/exercises/{exercise_id}/dose", response_model=None)
async def change_dose(request: Request, participant_id: int, exercise_id: str, who: Staff, box: ContainerDep) -> Response:  # fmt: skip
    """Fields `sets`, `reps`, `hold_s`, `rest_s`, `minutes` (those left empty do not change) and `dose_reason`."""
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "").strip() for name in (*DOSE_BOUNDS, "minutes", "dose_reason")}
    errors = FormErrors()
    dose: dict[str, int | float] = {}
    for name, (low, high) in DOSE_BOUNDS.items():
        if values[name]:
            number = parse_whole(values[name])
            if number is None or not low <= number <= high:
                errors.add(name, tr.gettext("Enter a whole number from %(low)s to %(high)s, or leave it empty to keep it as it is.", low=low, high=high))  # fmt: skip
            else:
                dose[name] = number
    if values["minutes"]:
        minutes = parse_number(values["minutes"], tr.language)
        if minutes is None or not 0 <= minutes <= MAX_MINUTES:
            errors.add("minutes", tr.gettext("Enter a number of minutes from 0 to %(high)s, or leave it empty to keep it as it is.", high=MAX_MINUTES))  # fmt: skip
        else:
            dose["minutes"] = minutes
    if not dose and not errors:
        errors.add("sets", tr.gettext("Enter at least one new value: sets, repetitions, hold, rest or minutes."))
    _reason(tr, errors, "dose_reason", values["dose_reason"])
    if errors:
        return _exercise_page(request, who, box, participant_id, exercise_id, values=values, dose_errors=errors)
    try:
        with box.uow(write=True) as uow:
            when = moment(uow, who, box.clock())
            row = programs.edit(
                uow, who.actor, checked_id(participant_id), exercise_id=exercise_id, reason=values["dose_reason"],
                dose=dose, now=when.now, today=when.today,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        if error.field != ("dose",):
            raise NotFound("exercise") from error
        errors.add(next(iter(dose)), tr.gettext("With this dose a session would last longer than the profile's session length. Lower the dose, or lengthen the sessions in the profile first."))  # fmt: skip
        return _exercise_page(request, who, box, participant_id, exercise_id, values=values, dose_errors=errors)
    notice = "draft_changed" if row.status == "draft" else "dose_changed"
    return RedirectResponse(with_notice(_program_path(participant_id), notice), status_code=303)


@router.post("/participants/{participant_id:int}/program/exercises/{exercise_id}/override", response_model=None)
async def override(request: Request, participant_id: int, exercise_id: str, who: Staff, box: ContainerDep) -> Response:  # fmt: skip
    """Fields `action` (level, pause or release), `level` (with `action=level`) and `override_reason`."""
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "").strip() for name in ("action", "level", "override_reason")}
    action = values["action"]
    errors = FormErrors()
    level = None
    if action not in OVERRIDE_ACTIONS:
        errors.add("action", tr.gettext("Choose what to do: hold at a level, pause, or hand back."), target="action-level")  # fmt: skip
    elif action == "level":
        level = parse_whole(values["level"])
        with box.uow() as uow:  # the clinic's own exercises have levels too
            compiled = clinic_catalog.lookup(uow, who.actor.clinic_id, [exercise_id]).exercises.get(exercise_id)
        count = len(compiled.exercise.levels) if compiled is not None else 0
        if level is None or not 1 <= level <= count:
            errors.add("level", tr.gettext("Choose the level to hold the exercise at."), target="level-1")
    _reason(tr, errors, "override_reason", values["override_reason"])
    if errors:
        return _exercise_page(request, who, box, participant_id, exercise_id, values=values, override_errors=errors)
    try:
        with box.uow(write=True) as uow:
            when = moment(uow, who, box.clock())
            row = program_changes.override(
                uow, who.actor, checked_id(participant_id), exercise_id=exercise_id, level=level,
                paused=action == "pause", release=action == "release", reason=values["override_reason"],
                now=when.now, today=when.today,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        if action != "release" or error.field != ("exercise_id",):
            raise NotFound("exercise") from error
        errors.add("action", tr.gettext("This exercise has no level or pause set: it already follows the plan and the adaptation engine."), target="action-level")  # fmt: skip
        return _exercise_page(request, who, box, participant_id, exercise_id, values=values, override_errors=errors)
    if row.status == "draft":
        notice = "draft_changed"
    else:
        notice = "override_released" if action == "release" else "override_saved"
    return RedirectResponse(with_notice(_program_path(participant_id), notice), status_code=303)
