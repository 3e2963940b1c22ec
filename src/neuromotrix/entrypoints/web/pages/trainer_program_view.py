"""A program version as the trainer's pages show it, in the reader's language: exercise names from the clinic's
catalog (the shipped exercises and the clinic's own, retired ones too: services/clinic_catalog.py `lookup`), doses
and efforts as short phrases, each version's changes explained (adaptation reasons come in English and French; a
trainer's reason is shown as typed).

The plan's own texts (block reasons, exclusion reasons) are in the plan's language, the participant's: the
templates mark them with `lang` when the page is in the other language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.i18n import Translator, format_date, format_number
from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.catalog import Catalog
from neuromotrix.entrypoints.web.pages.trainer_common import profile_reason
from neuromotrix.entrypoints.web.pages.trainer_words import Words

DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
APPROVAL_REASON = re.compile(r"^Version (\d+) approved")


@dataclass(frozen=True)
class Name:
    text: str
    language: str  # the language the name is in (the plan's, when the catalog does not know the exercise)


def named_exercises(parsed: Mapping[str, Any] | None, rows: Iterable[sa.Row[Any]], *more: Iterable[str]) -> set[str]:
    """Every exercise id a program page may name: the plan's blocks and exclusions, the versions' changes, and
    `more` (adjustments in force, a review's items), to read their names from one catalog."""
    found = set().union(*more)
    if parsed is not None:
        found |= {
            block["exercise_id"] for session in parsed["_sessions_by_date"].values() for block in session["blocks"]
        }
        found |= {item["exercise_id"] for item in parsed["excluded"]}
    found |= {str(change["exercise_id"]) for row in rows for change in row.changes if change.get("exercise_id")}
    return found


def exercise_name(
    exercise_id: str, language: str, catalog: Catalog, *, fallback: str = "", fallback_language: str = "en"
) -> Name:
    """The exercise's name in `language` from `catalog`; `fallback` (in `fallback_language`), else the id, for an
    exercise the catalog does not describe."""
    compiled = catalog.exercises.get(exercise_id)
    if compiled is not None:
        return Name(compiled.exercise.name.in_language(language), language)
    return Name(fallback or exercise_id, fallback_language)


def _number(value: float | int, language: str) -> str:
    return format_number(value, language)


def _target(target: Any, language: str) -> str:
    if isinstance(target, list | tuple):
        return "–".join(_number(value, language) for value in target)
    return _number(target, language)


def dose_text(dose: Mapping[str, Any], tr: Translator) -> str:
    """`2 × 8 repetitions · hold 5 s · rest 30 s · effort 2–3 out of 10`."""
    language = tr.language
    parts = []
    if dose.get("reps"):
        parts.append(
            tr.ngettext(
                "%(sets)s × %(num)s repetition",
                "%(sets)s × %(num)s repetitions",
                int(dose["reps"]),
                sets=_number(dose.get("sets", 1), language),
            )
        )
    if dose.get("hold_s"):
        parts.append(tr.gettext("hold %(seconds)s s", seconds=_number(dose["hold_s"], language)))
    if dose.get("rest_s"):
        parts.append(tr.gettext("rest %(seconds)s s", seconds=_number(dose["rest_s"], language)))
    if dose.get("minutes"):
        parts.append(tr.gettext("%(minutes)s min", minutes=_number(dose["minutes"], language)))
    if dose.get("continuous_minutes"):
        parts.append(
            tr.gettext("%(minutes)s min without a break", minutes=_number(dose["continuous_minutes"], language))
        )
    effort = dose.get("effort")
    if effort:
        parts.append(effort_text(effort, tr))
    return " · ".join(parts)


def effort_text(effort: Mapping[str, Any], tr: Translator) -> str:
    target = _target(effort.get("target"), tr.language)
    scale = effort.get("scale")
    if scale == "cr10":
        return tr.gettext("effort %(target)s out of 10", target=target)
    if scale == "rpe":
        return tr.gettext("effort %(target)s on the 6 to 20 scale", target=target)
    if scale == "percent_max":
        return tr.gettext("%(target)s%% of maximum effort", target=target)
    return tr.gettext("talk test: able to talk in full sentences")


@dataclass
class BlockView:
    exercise_id: str
    name: Name
    part: str
    position: str
    level: int
    dose: str
    reasons: list[dict[str, Any]]
    date: dt.date | None = None  # the session's date, for the next block of each exercise


@dataclass
class SessionView:
    date: dt.date
    day: str
    time: str
    minutes: int
    phase: str
    upcoming: bool
    blocks: list[BlockView] = field(default_factory=list)


@dataclass
class WeekView:
    week: int
    phase: str
    deload: bool
    sessions: list[SessionView] = field(default_factory=list)


def block_view(block: Mapping[str, Any], tr: Translator, plan_language: str, catalog: Catalog) -> BlockView:
    return BlockView(
        exercise_id=block["exercise_id"],
        name=exercise_name(
            block["exercise_id"], tr.language, catalog, fallback=block.get("name", ""), fallback_language=plan_language
        ),
        part=block["part"],
        position=block["position"],
        level=block["level"],
        dose=dose_text(block["dose"], tr),
        reasons=list(block["reasons"]),
        date=dt.date.fromisoformat(str(block["date"])) if block.get("date") else None,
    )


def schedule(parsed: Mapping[str, Any], tr: Translator, today: dt.date, catalog: Catalog) -> list[WeekView]:
    """Weeks → sessions → blocks; `upcoming` marks the next session from today (shown open)."""
    language = parsed["language"]
    upcoming = min((date for date in parsed["_sessions_by_date"] if date >= today.isoformat()), default=None)
    weeks = []
    for week in parsed["weeks"]:
        view = WeekView(week=week["week"], phase=week["phase"], deload=bool(week.get("deload")))
        for session in week["sessions"]:
            view.sessions.append(
                SessionView(
                    date=dt.date.fromisoformat(session["date"]),
                    day=session["day"],
                    time=session["time"],
                    minutes=session["minutes"],
                    phase=session["phase"],
                    upcoming=session["date"] == upcoming,
                    blocks=[block_view(block, tr, language, catalog) for block in session["blocks"]],
                )
            )
        weeks.append(view)
    return weeks


def adjustment_text(adjustment: Adjustment, tr: Translator) -> str:
    """What an adjustment in force does, and why, in the reader's language."""
    reason = adjustment.reason.fr if tr.language == "fr" else adjustment.reason.en
    if adjustment.source == "trainer":
        if adjustment.paused:
            return tr.gettext("Paused by a trainer from %(date)s. Reason: %(reason)s", date=format_date(adjustment.from_date, tr.language), reason=reason)  # fmt: skip
        return tr.gettext("Held at level %(level)s by a trainer from %(date)s. Reason: %(reason)s", level=adjustment.level, date=format_date(adjustment.from_date, tr.language), reason=reason)  # fmt: skip
    return tr.gettext("Adaptation from %(date)s: %(reason)s", date=format_date(adjustment.from_date, tr.language), reason=reason)  # fmt: skip


# Versions and their changes ------------------------------------------------------------------------------------


def _exercise(change: Mapping[str, Any], tr: Translator, catalog: Catalog) -> str:
    exercise_id = str(change.get("exercise_id", ""))
    name = exercise_name(exercise_id, tr.language, catalog)
    return f"{name.text} ({exercise_id})" if name.text != exercise_id else exercise_id


def _bilingual(value: Any, language: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(language) or value.get("en") or "")
    return str(value or "")


def change_text(change: Mapping[str, Any], tr: Translator, w: Words, catalog: Catalog) -> str:
    """One change of a version, explained: the exercise by its name in the reader's language and its id (a
    clinic's own exercise as a shipped one), adaptations with their own reason in the reader's language, a
    trainer's changes with the reason they typed."""
    exercise = _exercise(change, tr, catalog)
    action = change.get("action")
    reason = _bilingual(change.get("reason"), tr.language)
    if action == "trainer_edit":
        dose = change.get("dose") or {}
        values = ", ".join(
            tr.gettext("%(field)s %(value)s", field=w("dose", name), value=_number(dose[name], tr.language))
            for name in DOSE_FIELDS
            if name in dose
        )
        return tr.gettext("%(exercise)s: dose set to %(values)s. Reason: %(reason)s", exercise=exercise, values=values, reason=reason)  # fmt: skip
    if action == "trainer_override":
        if change.get("paused"):
            return tr.gettext("%(exercise)s: paused by a trainer. Reason: %(reason)s", exercise=exercise, reason=reason)
        return tr.gettext("%(exercise)s: held at level %(level)s by a trainer. Reason: %(reason)s", exercise=exercise, level=change.get("level"), reason=reason)  # fmt: skip
    if action == "trainer_release":
        return tr.gettext("%(exercise)s: handed back to the adaptation engine. Reason: %(reason)s", exercise=exercise, reason=reason)  # fmt: skip
    if action == "carried_adaptation":
        return tr.gettext("%(exercise)s: adaptation carried into the approved version: %(reason)s", exercise=exercise, reason=reason)  # fmt: skip
    return tr.gettext("%(exercise)s: %(reason)s", exercise=exercise, reason=reason)


def version_reason(row: sa.Row[Any], tr: Translator) -> tuple[str, bool]:
    """Why a version was made, in the reader's language; (text, ours): `ours` False when a person typed it."""
    if row.source in ("injection", "clearance"):
        return profile_reason(row.reason, tr)
    if row.source == "adaptation":
        return tr.gettext("Adapted from the sessions logged, as each change below explains."), True
    if row.source == "approval":
        found = APPROVAL_REASON.match(row.reason)
        if found:
            return tr.gettext("Version %(version)s approved with the adaptations made since it was drafted.", version=found[1]), True  # fmt: skip
    return profile_reason(row.reason, tr)


@dataclass
class VersionView:
    version: int
    status: str
    source: str
    created_at: dt.datetime
    by: str | None
    approved_at: dt.datetime | None
    approved_by: str | None
    reason: str
    reason_is_ours: bool
    changes: list[str]


def version_view(row: sa.Row[Any], tr: Translator, w: Words, names: Mapping[int, str], catalog: Catalog) -> VersionView:
    reason, ours = version_reason(row, tr)
    return VersionView(
        version=row.version,
        status=row.status,
        source=row.source,
        created_at=row.created_at,
        by=names.get(row.created_by) if row.created_by is not None else None,
        approved_at=row.approved_at,
        approved_by=names.get(row.approved_by) if row.approved_by is not None else None,
        reason=reason,
        reason_is_ours=ours,
        changes=[change_text(change, tr, w, catalog) for change in row.changes],
    )
