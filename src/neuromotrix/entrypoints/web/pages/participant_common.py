"""Shared by the participant's pages (`/p/{participant_id}/...`): who the page is about, the section's links,
read audits, the numbers to call, and how results of the services are put in the reader's words.

A caregiver uses the same pages for each person linked to them; staff may open them too. Who may see whom comes
from the services (`access.participant_row`: anyone else gets the 404 page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from neuromotrix.adapters.i18n import N_
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.api.common import audit_read
from neuromotrix.entrypoints.web.deps import Caller
from neuromotrix.entrypoints.web.pages.locale import page_language
from neuromotrix.entrypoints.web.pages.participant_labels import LABELS
from neuromotrix.services.participant_view import Clinic, exercise_names, exercises_of

SECTION = (
    ("today", N_("Today")),
    ("history", N_("History")),
    ("progress", N_("Progress")),
    ("injections", N_("Injections")),
    ("assessments", N_("Questionnaires")),
)


@dataclass(frozen=True)
class SectionLink:
    path: str
    label: str  # an English msgid
    current: bool


@dataclass(frozen=True)
class Phone:
    number: str  # as the clinic wrote it ("811", "Info-Santé 811")
    href: str  # tel:811


def section_links(participant_id: int, current: str) -> list[SectionLink]:
    return [SectionLink(f"/p/{participant_id}/{name}", label, name == current) for name, label in SECTION]


def phone(number: str) -> Phone:
    """A `tel:` link for a number written with words or spaces around it."""
    digits = re.sub(r"[^0-9+]", "", number)
    return Phone(number, f"tel:{digits}")


def page_context(who: Caller, participant_id: int, name: str, current: str) -> dict[str, Any]:
    """What every participant page shows around its content: whose page it is and the section's links."""
    return {
        "participant_id": participant_id,
        "participant_name": name,
        "for_someone_else": who.actor.role != "participant",
        "section": section_links(participant_id, current),
        "labels": LABELS,
    }


def phones(clinic: Clinic) -> dict[str, Phone]:
    return {"emergency": phone(clinic.emergency_number), "health_line": phone(clinic.health_line)}


def audit(box: Container, who: Caller, what: str, object_id: object, participant_id: int) -> None:
    """Reads of health data are audited as the API audits them."""
    audit_read(box, who, what, object_id, participant_id)


def in_language(message: object, language: str) -> str:
    """A bilingual text from a service (`{"en": ..., "fr": ...}`) in the page's language."""
    if isinstance(message, dict):
        return str(message.get(language) or message.get("en") or "")
    return "" if message is None else str(message)


@dataclass(frozen=True)
class Change:
    name: str
    action: str
    level: int | None
    reason: str


def adaptation_changes(
    request: Request, box: Container, participant_id: int, adaptation: dict[str, Any] | None
) -> list[Change]:
    """What the adaptation engine changed, for the person: exercise names in the page's language (the clinic's own
    exercises too); levels simply held are left out (nothing changes for them), a hold with less work is shown."""
    if not adaptation:
        return []
    language = page_language(request)
    moved = [
        change
        for change in adaptation.get("changes", [])
        if change.get("action") in LABELS.actions
        and (change["action"] != "hold" or (change.get("volume_factor") or 1) < 1)
    ]
    if not moved:
        return []
    exercise_ids = [change["exercise_id"] for change in moved]
    with box.uow() as uow:
        catalog = exercises_of(uow, participant_id, exercise_ids)
    names = exercise_names(exercise_ids, language, catalog)
    return [
        Change(
            name=names[change["exercise_id"]],
            action=change["action"],
            level=change.get("to_level"),
            reason=in_language(change.get("reason"), language),
        )
        for change in moved
    ]
