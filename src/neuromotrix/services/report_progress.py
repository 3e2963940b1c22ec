"""The specialist's progress report (BRIEF §5, §7): one botulinum toxin cycle — from the Nth injection to the
day before the next one, or to today — or, for someone without injections, a chosen period (by default the
last 12 weeks). Adherence and the symptom diary week by week, outcome measures with their change and its
label, the program's changes with their reasons, and the injections.

Read-only. The caller (services/reports.py) has checked that the actor may see the participant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import program_versions, scheduled_sessions, session_logs
from neuromotrix.adapters.i18n import format_date, format_percent
from neuromotrix.domain import attention
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.services import attendance, intake_form, participant_view, participants, records
from neuromotrix.services.access import Actor
from neuromotrix.services.participant_view import Clinic
from neuromotrix.services.report_errors import UnknownCycle
from neuromotrix.services.report_scores import score_rows
from neuromotrix.services.report_words import number, word
from neuromotrix.services.unit_of_work import UnitOfWork

DEFAULT_PERIOD_DAYS = 7 * 12  # BRIEF §5.1: about one toxin cycle (12 weeks) when there is no injection
WEEK = dt.timedelta(days=7)
SYMPTOMS = ("pain", "dystonia", "fatigue")
INJECTION_REASON = re.compile(r"^Toxin injection on (\d{4}-\d{2}-\d{2}) recorded$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    cycle: int | None  # the cycle's number (1 = the first injection), None for a chosen period
    cycles: int  # how many cycles there are (injections recorded)
    injected_on: dt.date | None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def resolve_period(
    injections: Sequence[dt.date], *, today: dt.date, cycle: int | None, start: dt.date | None, end: dt.date | None
) -> Period:
    """Which days the report covers. A period given (start or end) wins; otherwise cycle N runs from the Nth
    injection to the day before the next (the latest cycle to today); without injections, the last 12 weeks."""
    dates = sorted(set(injections))
    if start is not None or end is not None:
        if cycle is not None:
            raise InvalidRequest(
                "Give either a toxin cycle or a period (from and to dates), not both.",
                fr="Donnez soit un cycle de toxine, soit une période (dates de début et de fin), pas les deux.",
                field=("cycle",),
            )
        last = end or today
        first = start or last - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if first > last:
            raise InvalidRequest(
                f"The period starts ({first.isoformat()}) after it ends ({last.isoformat()}); give a start date on "
                "or before the end date.",
                fr=(
                    f"La période commence ({first.isoformat()}) après sa fin ({last.isoformat()}); donnez une date de début "
                    "égale ou antérieure à la date de fin."
                ),
                field=("start",),
            )
        return Period(first, last, None, len(dates), None)
    if not dates:
        if cycle is not None:
            raise UnknownCycle(
                f"There is no toxin cycle {cycle}: no botulinum toxin injection is recorded for this participant. "
                "Leave the cycle out, or give a period (from and to dates) instead.",
                fr=(
                    f"Il n'y a pas de cycle de toxine {cycle} : aucune injection de toxine botulique n'est enregistrée pour ce "
                    "participant. Omettez le cycle, ou donnez plutôt une période (dates de début et de fin)."
                ),
                cycle=cycle,
                injections=(),
            )
        return Period(today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today, None, 0, None)
    number_ = len(dates) if cycle is None else cycle
    if not 1 <= number_ <= len(dates):
        available = ", ".join(f"{index} ({day.isoformat()})" for index, day in enumerate(dates, start=1))
        raise UnknownCycle(
            f"There is no toxin cycle {number_}; the cycles recorded are {available}. Choose one of them.",
            fr=(
                f"Il n'y a pas de cycle de toxine {number_}; les cycles enregistrés sont {available}. Choisissez-en un."
            ),
            cycle=number_,
            injections=dates,
        )
    begins = dates[number_ - 1]
    ends = dates[number_] - dt.timedelta(days=1) if number_ < len(dates) else max(today, begins)
    return Period(begins, ends, number_, len(dates), begins)


def progress_data(
    uow: UnitOfWork,
    actor: Actor,
    participant: Any,
    *,
    language: str,
    today: dt.date,
    cycle: int | None,
    start: dt.date | None,
    end: dt.date | None,
) -> tuple[str, dict[str, Any], Clinic]:
    """The report's title and data (adapters/pdf/templates/progress.typ), and the clinic it comes from."""
    clinic = participant_view.clinic_of(uow, participant.id)
    injections, _ = records.list_injections(uow, actor, participant.id, offset=0, limit=1000)
    period = resolve_period([item["injected_on"] for item in injections], today=today, cycle=cycle, start=start,
                            end=end)  # fmt: skip
    logs = uow.connection.execute(
        sa.select(session_logs)
        .where(
            session_logs.c.participant_id == participant.id,
            session_logs.c.performed_on >= period.start,
            session_logs.c.performed_on <= period.end,
        )
        .order_by(session_logs.c.performed_on, session_logs.c.id)
    ).all()
    weeks = _weeks(period, today)
    sections = [
        _adherence(uow, participant.id, weeks, language),
        _symptoms(weeks, logs, language),
        score_rows(uow, actor, participant.id, start=period.start, end=period.end, language=language),
        _changes(uow, participant.id, period, clinic, language),
        _injections(injections, period, language),
    ]
    data = {
        "facts_header": [word("item", language), word("detail", language)],
        "facts": _facts(uow, participant, clinic, period, language, today),
        "intro": [word("progress_intro", language)],
        "sections": sections,
        "small": " ".join((word("report_note", language, clinic=clinic.name), word("not_a_device", language))),
    }
    return word("progress_title", language, name=participant.display_name), data, clinic


def _facts(
    uow: UnitOfWork, participant: Any, clinic: Clinic, period: Period, language: str, today: dt.date
) -> list[list[str]]:
    _, profile = participants.current_profile(uow, participant.id)
    conditions = "; ".join(intake_form.label("condition", item.kind, language) for item in profile.conditions)
    days = word("period_value", language, start=format_date(period.start, language),
                end=format_date(period.end, language), days=period.days)  # fmt: skip
    if period.cycle is not None and period.injected_on is not None:
        cycle = word("cycle_value", language, number=period.cycle, count=period.cycles,
                     date=format_date(period.injected_on, language))  # fmt: skip
    else:
        cycle = word("no_cycle", language) if period.cycles == 0 else word("chosen_period", language)
    return [
        [word("person", language), str(participant.display_name)],
        [word("conditions", language), conditions],
        [word("clinic", language), clinic.name],
        [word("cycle", language), cycle],
        [word("period", language), days],
        [word("printed_on", language), format_date(today, language)],
    ]


def _weeks(period: Period, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """7-day windows from the period's start; the last one ends with the period (or today, if sooner)."""
    last = min(period.end, max(today, period.start))
    found = []
    start = period.start
    while start <= last:
        found.append((start, min(start + WEEK - dt.timedelta(days=1), last)))
        start += WEEK
    return found


def _section(key: str, language: str, header: list[str], rows: list[list[str]], **fields: Any) -> dict[str, Any]:
    """A section of the report: its heading, what the table holds (only when there is a table), the table."""
    return {
        "heading": word(f"{key}_heading", language),
        "intro": [word(f"{key}_intro", language, **fields)] if rows else [],
        "header": header,
        "rows": rows,
        "empty": word(f"{key}_none", language),
        "notes": [],
    }


def _week_label(window: tuple[dt.date, dt.date], language: str) -> str:
    first, last = window
    return word("week_value", language, start=format_date(first, language, length="medium"),
                end=format_date(last, language, length="medium"))  # fmt: skip


def _adherence(
    uow: UnitOfWork, participant_id: int, weeks: list[tuple[dt.date, dt.date]], language: str
) -> dict[str, Any]:
    """Sessions done out of sessions planned, counted as the adherence pages count them (services/attendance.py)."""
    header = [word("week", language), word("planned", language), word("done", language), word("rate", language)]
    if not weeks:
        return _section("adherence", language, header, [])
    planned = uow.connection.execute(
        sa.select(scheduled_sessions.c.scheduled_on).where(
            scheduled_sessions.c.participant_id == participant_id,
            scheduled_sessions.c.scheduled_on >= weeks[0][0],
            scheduled_sessions.c.scheduled_on <= weeks[-1][1],
        )
    ).scalars()
    sessions = [(day.isoformat(), day) for day in planned]
    counted = attendance.read(uow, participant_id, since=weeks[0][0])
    rows, total_planned, total_done = [], 0, 0
    for window in weeks:
        days = (window[1] - window[0]).days + 1
        found = attention.adherence(
            sessions, counted.attended, today=window[1], days=days, excused=counted.excused, skipped=counted.skipped
        )
        total_planned, total_done = total_planned + found.scheduled, total_done + found.attended
        rate = "–" if found.rate is None else format_percent(found.rate, language)
        rows.append([_week_label(window, language), str(found.scheduled), str(found.attended), rate])
    if total_planned == 0:
        return _section("adherence", language, header, [])
    overall = format_percent(total_done / total_planned, language)
    return _section("adherence", language, header, rows, done=total_done, planned=total_planned, rate=overall)


def _mean_pair(logs: Sequence[Any], symptom: str, language: str) -> str:
    """Mean before → mean after; a session stopped early has no after-ratings."""
    before = [getattr(log, f"pre_{symptom}") for log in logs]
    after = [value for log in logs if (value := getattr(log, f"post_{symptom}")) is not None]
    return f"{_mean(before, language)} → {_mean(after, language)}"


def _mean(values: Sequence[int], language: str) -> str:
    return "–" if not values else number(fmean(values), language)


def _symptoms(weeks: list[tuple[dt.date, dt.date]], logs: Sequence[Any], language: str) -> dict[str, Any]:
    header = [word("week", language), word("sessions", language), *(word(name, language) for name in SYMPTOMS)]
    rows = []
    for first, last in weeks:
        inside = [log for log in logs if first <= log.performed_on <= last]
        if inside:
            means = [_mean_pair(inside, symptom, language) for symptom in SYMPTOMS]
            rows.append([_week_label((first, last), language), str(len(inside)), *means])
    section = _section("symptoms", language, header, rows)
    stops = [log.stop_reason for log in logs if log.stop_reason in HARD_STOPS]
    if stops:
        reasons = ", ".join(sorted({STOP_LABELS[reason].in_language(language).lower() for reason in stops}))
        section["notes"] = [word("stops_note", language, count=len(stops), reasons=reasons)]
    return section


def _changes(uow: UnitOfWork, participant_id: int, period: Period, clinic: Clinic, language: str) -> dict[str, Any]:
    """Every version put in force in the period (drafts never approved left out), what changed and why."""
    header = [word("date", language), word("version", language), word("what", language), word("reason", language)]
    rows = uow.connection.execute(
        sa.select(
            program_versions.c.version, program_versions.c.source, program_versions.c.reason,
            program_versions.c.changes, program_versions.c.approved_at,
        )
        .where(program_versions.c.participant_id == participant_id, program_versions.c.approved_at.is_not(None))
        .order_by(program_versions.c.version)
    ).all()  # fmt: skip
    found = []
    changed_ids = {str(change.get("exercise_id", "")) for row in rows for change in row.changes or []}
    described = participant_view.exercises_of(uow, participant_id, changed_ids)  # clinic exercises by name too
    for row in rows:
        day = participant_view.local_day(clinic, _aware(row.approved_at))
        if not period.start <= day <= period.end:
            continue
        what = "; ".join(change_text(change, language, described) for change in row.changes or []) or word("source_generated", language)  # fmt: skip
        found.append([format_date(day, language, length="medium"), str(row.version), what,
                      _reason(row.source, row.reason, language)])  # fmt: skip
    return _section("changes", language, header, found)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _reason(source: str, reason: str, language: str) -> str:
    """Why a version was made, in the report's language; a reason a person typed is shown as typed."""
    if source == "adaptation":
        return word("reason_adaptation", language)
    if source == "approval" and reason.startswith("Version "):
        return word("reason_approval", language)
    if reason == "intake":
        return word("reason_intake", language)
    found = INJECTION_REASON.match(reason)
    if found:
        return word("reason_injection", language, date=format_date(dt.date.fromisoformat(found[1]), language))
    if source == "clearance" or reason.startswith("Clearance by "):
        return word("reason_clearance", language)
    return reason


def change_text(change: Mapping[str, Any], language: str, catalog: Catalog | None = None) -> str:
    """One change of a version: the exercise (named from `catalog`, `participant_view.exercises_of`), what happened
    to it, and the change's own reason."""
    exercise_id = str(change.get("exercise_id", ""))
    exercise = participant_view.exercise_names([exercise_id], language, catalog)[exercise_id]
    action = str(change.get("action", ""))
    level = change.get("to_level") or change.get("level") or ""
    key = f"change_{action}" if f"change_{action}" in _KNOWN_ACTIONS else "change_other"
    text = word(key, language, exercise=exercise, level=level)
    reason = change.get("reason")
    if isinstance(reason, Mapping):
        reason = reason.get(language) or reason.get("en")
    return f"{text} ({reason})" if reason else text


_KNOWN_ACTIONS = frozenset(
    f"change_{action}"
    for action in ("progress", "regress", "pause", "hold", "trainer_override", "trainer_release", "trainer_edit")
)


def _injections(injections: Sequence[Mapping[str, Any]], period: Period, language: str) -> dict[str, Any]:
    header = [word("date", language), word("regions", language), word("product", language), word("units", language)]
    rows = [
        [
            format_date(item["injected_on"], language, length="medium"),
            ", ".join(_region(region, language) for region in item["regions"]),
            str(item.get("product") or word("unknown", language)),
            word("unknown", language) if item.get("dose_units") is None else number(item["dose_units"], language),
        ]
        for item in sorted(injections, key=lambda item: item["injected_on"])
        if period.start <= item["injected_on"] <= period.end
    ]
    return _section("injections", language, header, rows)


def _region(region: str, language: str) -> str:
    return intake_form.label("region", region, language) if region in intake_form.LISTS["region"] else region
