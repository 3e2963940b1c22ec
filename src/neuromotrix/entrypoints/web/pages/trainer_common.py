"""What the trainer's pages share: who may open them, the clinic's day and time zone, the participant's header
and section links, the confirmations shown after a redirect, and a few words in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import N_, Translator, format_date
from neuromotrix.domain.errors import NotFound
from neuromotrix.entrypoints.web.api.pagination import MAX_ID
from neuromotrix.entrypoints.web.deps import Caller
from neuromotrix.entrypoints.web.pages.deps import require_roles
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.navigation import safe_next
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.entrypoints.web.pages.trainer_words import Words
from neuromotrix.services import caseload
from neuromotrix.services.access import participant_row
from neuromotrix.services.caseload import CaseloadEntry
from neuromotrix.services.unit_of_work import UnitOfWork

# Trainers see their caseload; a clinic admin sees every participant of the clinic (services/access.py).
Staff = Annotated[Caller, Depends(require_roles("trainer", "admin"))]

# Confirmations after a redirect (`?notice=key`); only these keys are shown, so a link cannot add its own text.
TRAINER_NOTICES: dict[str, str] = {
    "alert_acknowledged": N_("Alert acknowledged. It stays in the participant's history."),
    "program_approved": N_("Program approved. The participant's sessions follow it from today."),
    "dose_changed": N_("Dose changed from today. The participant sees it at the next session."),
    "draft_changed": N_("Change saved in the draft. It applies once you approve the draft."),
    "override_saved": N_("Saved. The adaptation engine leaves this exercise as you set it until you hand it back."),
    "override_released": N_("The exercise is handed back to the adaptation engine."),
    "clearance_recorded": N_(
        "Clearance recorded. The program was regenerated as a draft: review and approve it in the Program section."
    ),
    "assessment_recorded": N_("Recorded. The scores below include it."),
    "assessment_corrected": N_("Correction saved. The scores below count it; the earlier entry stays in the history."),
    "assessment_withdrawn": N_("Entry withdrawn. It no longer counts in the scores and stays in the history."),
    "injection_recorded": N_(
        "Injection recorded. The program was regenerated as a draft: review and approve it in the Program section."
    ),
}


@dataclass(frozen=True)
class Tab:
    key: str
    suffix: str  # after /participants/{id}
    label: str  # an English msgid


TABS: tuple[Tab, ...] = (
    Tab("summary", "", N_("Summary")),
    Tab("profile", "/profile", N_("Profile")),
    Tab("screening", "/screening", N_("Screening")),
    Tab("clearances", "/clearances", N_("Clearances")),
    Tab("injections", "/injections", N_("Injections")),
    Tab("program", "/program", N_("Program")),
    Tab("outcomes", "/outcomes", N_("Outcomes")),
)


@dataclass(frozen=True)
class Moment:
    """Now, and today's date and the time zone of the caller's clinic (dates are the clinic's)."""

    now: dt.datetime
    today: dt.date
    time_zone: str


def moment(uow: UnitOfWork, who: Caller, now: dt.datetime) -> Moment:
    zone = caseload.clinic_time_zone(uow, who.actor.clinic_id)
    return Moment(now=now, today=now.astimezone(ZoneInfo(zone)).date(), time_zone=zone)


def checked_id(value: int) -> int:
    """A database id from the address; one that cannot exist is no such page (404), like one you may not see."""
    if not 1 <= value <= MAX_ID:
        raise NotFound("participant")
    return value


def participant_path(participant_id: int, suffix: str = "") -> str:
    return f"/participants/{participant_id}{suffix}"


def header(uow: UnitOfWork, who: Caller, participant_id: int, today: dt.date) -> CaseloadEntry:
    """The participant at the top of every section: 404 when the caller may not see them."""
    participant_row(uow, who.actor, checked_id(participant_id))
    return caseload.caseload(uow, who.actor, today=today, participant_id=participant_id)[0]


def with_notice(path: str, notice: str) -> str:
    """A safe local path with `notice=<key>` added to its query (replacing one already there)."""
    parts = urlsplit(safe_next(path))
    query = [item for item in parts.query.split("&") if item and not item.startswith("notice=")]
    query.append(urlencode({"notice": notice}))
    return urlunsplit(("", "", parts.path, "&".join(query), ""))


def page_context(request: Request, tr: Translator) -> dict[str, Any]:
    """What every trainer page adds: the words (`w`) and, when the address names one of ours, the notice."""
    context: dict[str, Any] = {"w": Words(tr)}
    key = request.query_params.get("notice", "")
    if key in TRAINER_NOTICES:
        context["notice"] = tr.gettext(TRAINER_NOTICES[key])
    return context


def render_page(
    request: Request, template: str, context: Mapping[str, Any], *, time_zone: str, status_code: int = 200
) -> HTMLResponse:
    tr = page_translator(request)
    return render(
        request,
        template,
        {**page_context(request, tr), "time_zone": time_zone, **context},
        status_code=status_code,
    )


def render_section(
    request: Request,
    template: str,
    entry: CaseloadEntry,
    tab: str,
    context: Mapping[str, Any],
    *,
    time_zone: str,
    status_code: int = 200,
) -> HTMLResponse:
    """A section of the participant page: their header, the section links (the current one marked), the content."""
    tr = page_translator(request)
    tabs = [
        {
            "path": participant_path(entry.participant_id, item.suffix),
            "label": tr.gettext(item.label),
            "current": item.key == tab,
        }
        for item in TABS
    ]
    base = {
        "participant": entry,
        "program_state": caseload.program_state(entry),
        "tabs": tabs,
        "tab": tab,
    }
    return render_page(request, template, {**base, **context}, time_zone=time_zone, status_code=status_code)


def age(tr: Translator, since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, in whole minutes, hours or days (never "0": under a minute is "1 minute")."""
    seconds = max(0, int((now - since).total_seconds()))
    minutes = max(1, seconds // 60)
    if minutes < 60:
        return tr.ngettext("%(num)s minute ago", "%(num)s minutes ago", minutes)
    hours = minutes // 60
    if hours < 48:
        return tr.ngettext("%(num)s hour ago", "%(num)s hours ago", hours)
    return tr.ngettext("%(num)s day ago", "%(num)s days ago", hours // 24)


def parse_date(text: str | None) -> dt.date | None:
    """A date as a date field sends it (2026-11-23); None when it is missing or not a real date."""
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def parse_number(text: str | None, language: str) -> float | None:
    """A number as people type it in the page's language (English 1,000.5; French 1 000,5 or 1000.5); None when
    it is not one."""
    cleaned = "".join((text or "").split())
    cleaned = cleaned.replace(",", ".") if language == "fr" else cleaned.replace(",", "")
    digits = cleaned.replace(".", "", 1)
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        return None
    return float(cleaned)


def parse_whole(text: str | None) -> int | None:
    """A whole number 0 or more (spaces allowed); None when it is not one."""
    cleaned = "".join((text or "").split())
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6 else None


# Reasons the services write for the profile versions they make themselves (services/records.py); anything else is
# what a person typed and is shown as it is.
INJECTION_REASON = re.compile(r"^Toxin injection on (\d{4}-\d{2}-\d{2}) recorded$")
CLEARANCE_REASON = re.compile(
    r"^Clearance by (.+) on (\d{4}-\d{2}-\d{2}) recorded(?:; program start moved from (\d{4}-\d{2}-\d{2}) to "
    r"(\d{4}-\d{2}-\d{2}))?$"
)


def profile_reason(reason: str, tr: Translator) -> tuple[str, bool]:
    """The reason of a profile version in the reader's language, and whether it is our text (False: typed by
    someone, shown as written)."""

    def day(iso: str) -> str:
        return format_date(dt.date.fromisoformat(iso), tr.language)

    if reason == "intake":
        return tr.gettext("Intake"), True
    found = INJECTION_REASON.match(reason)
    if found:
        return tr.gettext("Toxin injection on %(date)s recorded", date=day(found[1])), True
    found = CLEARANCE_REASON.match(reason)
    if found and found[3]:
        text = tr.gettext(
            "Clearance by %(name)s on %(date)s recorded; the program start moved from %(before)s to %(after)s",
            name=found[1],
            date=day(found[2]),
            before=day(found[3]),
            after=day(found[4]),
        )
        return text, True
    if found:
        return tr.gettext("Clearance by %(name)s on %(date)s recorded", name=found[1], date=day(found[2])), True
    return reason, False
