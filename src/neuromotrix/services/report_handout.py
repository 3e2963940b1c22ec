"""The participant's handout (BRIEF §4.5, §6.3): the warning signs and what to do, the sessions of the coming
week with each exercise's instructions and dose, and the next sessions' dates — from the active program.

Read-only. The caller (services/reports.py) has checked that the actor may see the participant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from neuromotrix.adapters.i18n import format_date, format_number, format_time
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS
from neuromotrix.domain.catalog import Catalog
from neuromotrix.services import intake_form, participant_view, programs
from neuromotrix.services.participant_view import Card, Clinic
from neuromotrix.services.report_errors import ReportUnavailable
from neuromotrix.services.report_words import word
from neuromotrix.services.unit_of_work import UnitOfWork

WEEK_DAYS = 7  # the sessions printed in full: one week from today (or from the program's start)
SCHEDULE_DAYS = 28  # the dates listed after it: about a month, until the trainer prints a new handout


def handout_data(
    uow: UnitOfWork, participant: Any, *, language: str, today: dt.date
) -> tuple[str, dict[str, Any], Clinic]:
    """The handout's title and data (adapters/pdf/templates/handout.typ), and the clinic it comes from."""
    clinic = participant_view.clinic_of(uow, participant.id)
    version = _active_version(uow, participant.id)
    plan = programs.parsed_plan(uow, version)
    if not plan["weeks"]:  # a cardiac PAR-Q+ yes without clearance: nothing is planned until it comes
        raise ReportUnavailable(
            "No session is planned until the physician's clearance is recorded, so there is no handout to print. "
            "Send the clearance-request letter, then record the clearance.",
            fr=(
                "Aucune séance n'est prévue tant que l'autorisation du médecin n'est pas enregistrée; il n'y a donc pas de "
                "document à imprimer. Envoyez la lettre de demande d'autorisation, puis enregistrez l'autorisation."
            ),
            reason="blocked",
        )
    sessions = sorted(plan["_sessions_by_date"].values(), key=lambda session: str(session["date"]))
    first = max(today, dt.date.fromisoformat(sessions[0]["date"]))
    if first > dt.date.fromisoformat(sessions[-1]["date"]):  # the program is over: its last week
        first = dt.date.fromisoformat(sessions[-1]["date"]) - dt.timedelta(days=WEEK_DAYS - 1)
    last = first + dt.timedelta(days=WEEK_DAYS - 1)
    week = [session for session in sessions if first <= dt.date.fromisoformat(session["date"]) <= last]
    # The clinic's own exercises are described in the handout's language too, not the plan's.
    described = participant_view.exercises_of(
        uow, participant.id, {block["exercise_id"] for session in week for block in session["blocks"]}
    )
    later = [
        session
        for session in sessions
        if last < dt.date.fromisoformat(session["date"]) <= last + dt.timedelta(days=SCHEDULE_DAYS)
    ]
    title = word("handout_title", language, name=participant.display_name)
    data = {
        "facts_header": [word("item", language), word("detail", language)],
        "facts": _facts(participant, clinic, version, plan, language, today),
        "intro": _intro(plan, language),
        "warnings": warnings(clinic, language),
        "sessions_heading": word(
            "sessions_heading", language, start=format_date(first, language), end=format_date(last, language)
        ),
        "sessions_intro": [word("sessions_intro", language)] if week else [word("no_sessions", language)],
        "session_header": [word("part", language), word("exercise", language), word("dose", language)],
        "sessions": [_session(session, language, described) for session in week],
        "exercises_heading": word("exercises_heading", language),
        "exercises": _exercises(week, language, described),
        "schedule_heading": word("schedule_heading", language),
        "schedule_header": [word("date", language), word("time", language), word("minutes", language)],
        "schedule": [
            [
                format_date(dt.date.fromisoformat(s["date"]), language, length="full"),
                _time(s["time"], language),
                str(s["minutes"]),
            ]
            for s in later
        ],
        "small": word("not_a_device", language),
    }
    return title, data, clinic


def _active_version(uow: UnitOfWork, participant_id: int) -> Any:
    """The approved version to print, or why there is none: a blocked screening first (its drafts are blocked
    too, and approving them would print nothing), then a draft waiting, then no program at all."""
    version = programs.active_version(uow, participant_id)
    draft = programs.latest_version(uow, participant_id, "draft")
    newest = draft or version
    if newest is not None and programs.parsed_plan(uow, newest)["status"] == "blocked":
        raise ReportUnavailable(
            "The screening stopped the program (outcome: blocked), so there is no handout to print. See the "
            "screening flags on the participant's page and what is needed before a program can start.",
            fr=(
                "Le dépistage a arrêté le programme (résultat : bloqué); il n'y a donc pas de document à imprimer. Voyez les "
                "signalements du dépistage sur la page du participant et ce qu'il faut avant qu'un programme puisse commencer."
            ),
            reason="blocked",
        )
    if version is not None:
        return version
    if draft is not None:
        raise ReportUnavailable(
            f"Program version {draft.version} waits for a trainer's approval; approve it on the participant's "
            "program page, then print the handout.",
            fr=(
                f"La version {draft.version} du programme attend l'approbation d'un entraîneur; approuvez-la sur la page du "
                "programme du participant, puis imprimez le document."
            ),
            reason="draft",
            version=int(draft.version),
        )
    raise ReportUnavailable(
        "This participant has no program yet; generate one and approve it, then print the handout.",
        fr=("Ce participant n'a pas encore de programme; générez-en un et approuvez-le, puis imprimez le document."),
        reason="no_program",
    )


def _facts(
    participant: Any, clinic: Clinic, version: Any, plan: Mapping[str, Any], language: str, today: dt.date
) -> list[list[str]]:
    approved = version.approved_at
    program = (
        word("version_approved", language, version=version.version, date=format_date(approved, language))
        if approved is not None
        else word("version_plain", language, version=version.version)
    )
    return [
        [word("person", language), str(participant.display_name)],
        [word("clinic", language), clinic.name],
        [word("program_version", language), program],
        [word("program_start", language), format_date(dt.date.fromisoformat(str(plan["start_on"])), language)],
        [word("emergency_number", language), clinic.emergency_number],
        [word("health_line", language), clinic.health_line],
        [word("printed_on", language), format_date(today, language)],
    ]


def _intro(plan: Mapping[str, Any], language: str) -> list[str]:
    intro = [word("handout_intro", language)]
    if plan["status"] == "needs_clearance":
        intro.append(word("handout_needs_clearance", language))
    return intro


def warnings(clinic: Clinic, language: str) -> dict[str, Any]:
    """Every hard stop of BRIEF §4.5, grouped by what to do (call the emergency number, or stop and call the
    health line), with the clinic's own numbers, and the reminder that nobody monitors the answers."""
    emergency = [STOP_LABELS[code].in_language(language) for code, level in HARD_STOPS.items() if level == "emergency"]
    urgent = [STOP_LABELS[code].in_language(language) for code, level in HARD_STOPS.items() if level != "emergency"]
    numbers = {"number": clinic.emergency_number, "health": clinic.health_line}
    return {
        "heading": word("warnings_heading", language),
        "emergency_intro": word("emergency_intro", language, **numbers),
        "emergency": emergency,
        "emergency_action": word("emergency_action", language, **numbers),
        "urgent_intro": word("urgent_intro", language),
        "urgent": urgent,
        "urgent_action": word("urgent_action", language, **numbers),
        "reminders": [word("not_monitored", language), word("tell_trainer", language)],
    }


def _time(text: str, language: str) -> str:
    return format_time(dt.time.fromisoformat(text), language)


def _session(session: Mapping[str, Any], language: str, catalog: Catalog) -> dict[str, Any]:
    day = format_date(dt.date.fromisoformat(session["date"]), language, length="full")
    heading = word("session_heading", language, day=day, time=_time(session["time"], language),
                   minutes=session["minutes"])  # fmt: skip
    if session.get("supervised"):
        heading += f" · {word('supervised', language)}"
    rows = [
        [word(card.part, language), card.name, dose_text(card.dose, language)]
        for card in participant_view.cards(dict(session), language, catalog)
    ]
    return {"heading": heading, "rows": rows}


def _exercises(week: list[dict[str, Any]], language: str, catalog: Catalog) -> list[dict[str, Any]]:
    """Each exercise of the week once, at the level it is first done."""
    seen: dict[str, Card] = {}
    for session in week:
        for card in participant_view.cards(session, language, catalog):
            seen.setdefault(card.exercise_id, card)
    return [_exercise(card, language) for card in seen.values()]


def _exercise(card: Card, language: str) -> dict[str, Any]:
    equipment = ", ".join(intake_form.label("equipment", item, language) for item in card.equipment if
                          item in intake_form.LISTS["equipment"])  # fmt: skip
    level = f"{card.level}" + (f" – {card.level_text}" if card.level_text else "")
    return {
        "name": card.name,
        "purpose": card.purpose,
        "instructions": card.instructions,
        "details": [
            [word("level", language), level],
            [word("position", language), _position(card.position_code, language)],
            [word("equipment", language), equipment or word("none", language)],
        ],
    }


POSITIONS = {
    "lying": ("lying", "couché"),
    "reclined": ("reclined", "semi-allongé"),
    "sitting_supported": ("sitting with support", "assis avec appui"),
    "sitting": ("sitting", "assis"),
    "standing_supported": ("standing with support", "debout avec appui"),
    "standing": ("standing", "debout"),
    "walking": ("walking", "en marchant"),
}


def _position(code: str, language: str) -> str:
    en, fr = POSITIONS.get(code, (code, code))
    return fr if language == "fr" else en


def _amount(value: float, language: str) -> str:
    return format_number(value, language)


def dose_text(dose: Mapping[str, Any], language: str) -> str:
    """A block's dose in the participant's words: sets and repetitions, holds, minutes, rest and effort."""
    parts: list[str] = []
    sets, reps = int(dose.get("sets") or 0), int(dose.get("reps") or 0)
    if reps == 1:  # one long hold per set: "2 times, hold 30 s"
        parts.append(word("times", language, sets=sets))
    elif reps:
        parts.append(word("sets_reps", language, sets=sets, reps=reps))
    elif sets > 1:
        parts.append(word("sets", language, sets=sets))
    if dose.get("hold_s"):
        parts.append(word("hold", language, seconds=dose["hold_s"]))
    if dose.get("minutes"):
        parts.append(word("for_minutes", language, minutes=_amount(dose["minutes"], language)))
    if dose.get("continuous_minutes"):
        parts.append(word("continuous", language, minutes=_amount(dose["continuous_minutes"], language)))
    if dose.get("rest_s"):
        parts.append(word("rest", language, seconds=dose["rest_s"]))
    effort = dose.get("effort")
    if effort:
        parts.append(word(f"effort_{effort['scale']}", language, target=_target(effort["target"], language)))
    return ", ".join(parts)


def _target(target: Any, language: str) -> str:
    if isinstance(target, list | tuple):
        low, high = target
        return _amount(low, language) if low == high else f"{_amount(low, language)}–{_amount(high, language)}"
    return _amount(target, language)
