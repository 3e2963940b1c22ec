"""Today's session as a step-by-step player: `/p/{participant_id}/session` and `/p/{participant_id}/session/stop`.

No draft lives on the server: each step is a form that posts every answer so far in hidden fields
(pages/participant_steps.py), and the last one logs the session through `session_flow.log_session`, the
service behind the API's session-log route, once per key (services/participant_entries.py). Timers, cues and
sounds are added by static/player.js; without JavaScript every card shows its dose and the "done" path.

The Stop button on every step opens the list of reasons; stopping logs what was done so far with the reason,
and an emergency or urgent reason shows what to do now, with the clinic's numbers, before anything else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import Translator
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS, STOP_REASONS, StopReason
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_language, page_translator
from neuromotrix.entrypoints.web.pages.participant_common import (
    adaptation_changes,
    audit,
    in_language,
    page_context,
    phones,
)
from neuromotrix.entrypoints.web.pages.participant_steps import (
    AFTER,
    BEFORE,
    EFFORT_POINTS,
    MAX_KEY,
    Answers,
    check_step,
    check_stop,
    missing_before_logging,
    next_step,
    parse_date,
    previous_step,
    read_answers,
    valid_step,
)
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import media, participant_entries, participant_view
from neuromotrix.services.media import PlayerMedia
from neuromotrix.services.participant_view import Card, Played

router = APIRouter(include_in_schema=False)


class _Session:
    """The session the player is about (services/participant_view.py `Played`), its cards in the reader's
    language, and the catalog that describes its exercises (the clinic's own ones too)."""

    def __init__(
        self, played: Played, cards: list[Card], media: dict[str, list[PlayerMedia]], catalog: Catalog
    ) -> None:
        self.name = played.name
        self.clinic = played.clinic
        self.day = played.day
        self.session = played.session
        self.cards = cards
        self.media = media  # images and videos of the clinic's library, by exercise id
        self.catalog = catalog


def _load(
    request: Request, who: Caller, box: ContainerDep, participant_id: int, day: dt.date | None
) -> _Session | None:
    """The session of `day` (today in the clinic when None); None when there is none that day."""
    language = page_language(request)
    with box.uow() as uow:
        played = participant_view.session_to_play(uow, who.actor, participant_id, now=box.clock(), day=day)
        if played is None:
            return None
        exercise_ids = {block["exercise_id"] for block in played.session["blocks"]}
        found = media.media_for(uow, who.actor, exercise_ids, language)
        catalog = participant_view.exercises_of(uow, participant_id, exercise_ids)
    audit(box, who, "session", played.day.isoformat(), participant_id)
    return _Session(played, participant_view.cards(played.session, language, catalog), found, catalog)


def _step_page(
    request: Request,
    who: Caller,
    participant_id: int,
    loaded: _Session,
    answers: Answers,
    step: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    cards = loaded.cards
    index = None if step in (BEFORE, AFTER) else int(step)
    number = {BEFORE: 1, AFTER: len(cards) + 2}.get(step, (index or 0) + 2)
    context = page_context(who, participant_id, loaded.name, "today") | {
        "step": step,
        "card": cards[index] if index is not None else None,
        "media": loaded.media.get(cards[index].exercise_id, []) if index is not None else [],
        "number": number,
        "steps": len(cards) + 2,
        "hidden": answers.hidden(leave_out=step),
        "stop_hidden": [*answers.hidden(), ("step", step)],
        "values": values if values is not None else _shown_values(answers, step),
        "errors": errors or FormErrors(),
        "effort_points": EFFORT_POINTS,
    }
    status = 422 if errors else 200
    return render(request, "participant/player.html", context, status_code=status)


def _shown_values(answers: Answers, step: str) -> dict[str, str]:
    """The answers already given for `step` (after going back), as the fields show them."""
    if step in (BEFORE, AFTER):
        ratings = answers.before if step == BEFORE else answers.after
        values = {f"{step}_{name}": str(value) for name, value in ratings.items()}
        if step == AFTER:
            values["notes"] = answers.notes
        return values
    return {name: value for name, value in answers.hidden() if name.startswith(f"b{step}_")}


@router.get("/p/{participant_id}/session", response_model=None)
async def start(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> Response:
    """The first step: how the person feels before the session. The key made here logs the session once."""
    loaded = _load(request, who, box, participant_id, None)
    if loaded is None:
        return RedirectResponse(f"/p/{participant_id}/today", status_code=303)
    answers = Answers(key=uuid.uuid4().hex, performed_on=loaded.day)
    return _step_page(request, who, participant_id, loaded, answers, BEFORE)


def _posted(fields: dict[str, str]) -> tuple[str, dt.date] | None:
    key = fields.get("key", "").strip()
    day = parse_date(fields.get("performed_on", ""))
    if not key or len(key) > MAX_KEY or day is None:
        return None
    return key, day


@router.post("/p/{participant_id}/session", response_model=None)
async def step(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> Response:
    """One step answered: `step` says which, `go` is `next`, `back` or `resume` (back from the stop page)."""
    tr = page_translator(request)
    fields = await form_fields(request)
    posted = _posted(fields)
    loaded = _load(request, who, box, participant_id, posted[1]) if posted else None
    if posted is None or loaded is None:
        return RedirectResponse(f"/p/{participant_id}/today", status_code=303)
    cards = loaded.cards
    answers = read_answers(fields, cards, key=posted[0], performed_on=loaded.day)
    current = valid_step(fields.get("step", ""), len(cards)) or BEFORE
    go = fields.get("go", "next")
    if go == "resume":
        return _step_page(request, who, participant_id, loaded, answers, current)
    if go == "back":
        return _step_page(request, who, participant_id, loaded, answers, previous_step(current, len(cards)))
    errors = check_step(tr, current, fields, cards)
    if errors:
        return _step_page(request, who, participant_id, loaded, answers, current, errors=errors, values=fields)
    following = next_step(current, len(cards))
    if following is not None:
        return _step_page(request, who, participant_id, loaded, answers, following)
    missing = missing_before_logging(tr, answers, len(cards))
    if missing:
        return _step_page(request, who, participant_id, loaded, answers, AFTER, errors=missing, values=fields)
    result = _log(box, who, participant_id, answers, cards, stop_reason=None)
    if result is None:
        missing.add(None, _refused(tr))
        return _step_page(request, who, participant_id, loaded, answers, AFTER, errors=missing, values=fields)
    return _result_page(request, box, who, participant_id, loaded, result, stop_reason=None)


def _log(
    box: ContainerDep,
    who: Caller,
    participant_id: int,
    answers: Answers,
    cards: list[Card],
    *,
    stop_reason: StopReason | None,
) -> dict[str, Any] | None:
    """Log the session once per key; None when the service refuses the log (checked whole against the program:
    it changed since the first step, or a hidden answer was lost or altered on the way)."""
    entry = answers.entry(cards, stop_reason=stop_reason)
    try:
        with box.uow(write=True) as uow:
            result = participant_entries.log_session_once(
                uow, who.actor, participant_id, entry, key=answers.key, now=box.clock()
            )
            uow.commit()
    except InvalidRequest:
        return None
    return result


def _refused(tr: Translator) -> str:
    return tr.gettext(
        "The session could not be saved: the program changed while you were doing it, or an answer was lost on "
        "the way. Open today's page again and start the session once more."
    )


def _result_page(
    request: Request,
    box: ContainerDep,
    who: Caller,
    participant_id: int,
    loaded: _Session,
    result: dict[str, Any],
    *,
    stop_reason: StopReason | None,
) -> HTMLResponse:
    language = page_language(request)
    # The stopped items are blocks of the session: its catalog names them.
    stopped = participant_view.exercise_names(list(result.get("stopped_items", [])), language, loaded.catalog)
    context = page_context(who, participant_id, loaded.name, "today") | {
        "stop_reason": stop_reason,
        "stop_label": STOP_LABELS[stop_reason].in_language(language) if stop_reason else None,
        "guidance": result.get("guidance"),
        "phones": phones(loaded.clinic),
        "alerts": [
            {"severity": alert["severity"], "text": in_language(alert["message"], language)}
            for alert in result.get("alerts", [])
        ],
        "stopped_items": list(stopped.values()),
        "changes": adaptation_changes(request, box, participant_id, result.get("adaptation")),
        "logged": "id" in result,
    }
    return render(request, "participant/result.html", context)


# Stopping -----------------------------------------------------------------------------------------------------


def _stop_page(
    request: Request,
    who: Caller,
    participant_id: int,
    loaded: _Session,
    answers: Answers,
    step: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    language = page_language(request)
    reasons = [(reason, STOP_LABELS[reason].in_language(language)) for reason in STOP_REASONS]
    context = page_context(who, participant_id, loaded.name, "today") | {
        "reasons": [(code, label) for code, label in reasons if code in HARD_STOPS],
        "other_reasons": [(code, label) for code, label in reasons if code not in HARD_STOPS],
        "hidden": [*answers.hidden(), ("step", step)],
        "started": answers.started,
        "values": values or {},
        "errors": errors or FormErrors(),
        "phones": phones(loaded.clinic),
    }
    return render(request, "participant/stop.html", context, status_code=422 if errors else 200)


@router.post("/p/{participant_id}/session/stop", response_model=None)
async def stop(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> Response:
    """`go=stop` (the Stop button of a step) shows the reasons; `go=confirm` logs the session as stopped."""
    tr = page_translator(request)
    fields = await form_fields(request)
    posted = _posted(fields)
    loaded = _load(request, who, box, participant_id, posted[1]) if posted else None
    if posted is None or loaded is None:
        return RedirectResponse(f"/p/{participant_id}/today", status_code=303)
    answers = read_answers(fields, loaded.cards, key=posted[0], performed_on=loaded.day)
    current = valid_step(fields.get("step", ""), len(loaded.cards)) or BEFORE
    if fields.get("go") != "confirm":
        return _stop_page(request, who, participant_id, loaded, answers, current)
    reason, errors = check_stop(tr, fields)
    if reason is None or errors:
        return _stop_page(request, who, participant_id, loaded, answers, current, errors=errors, values=fields)
    answers.notes = fields.get("notes", "").strip()
    if not answers.started:
        return _stopped_before_start(request, who, box, participant_id, loaded, reason)
    result = _log(box, who, participant_id, answers, loaded.cards, stop_reason=reason)
    if result is None:
        errors.add(None, _refused(tr))
        return _stop_page(request, who, participant_id, loaded, answers, current, errors=errors, values=fields)
    return _result_page(request, box, who, participant_id, loaded, result, stop_reason=reason)


def _stopped_before_start(
    request: Request, who: Caller, box: ContainerDep, participant_id: int, loaded: _Session, reason: StopReason
) -> HTMLResponse:
    with box.uow(write=True) as uow:
        result = participant_entries.stop_before_start(
            uow, who.actor, participant_id, reason, day=loaded.day, now=box.clock()
        )
        uow.commit()
    return _result_page(request, box, who, participant_id, loaded, result, stop_reason=reason)
