"""What the administration pages share: the admin-only dependency, their confirmations, reading dates and
numbers from forms, the clinic's day and time zone, and page-by-page lists.

Every `/admin...` page is for clinic admins only (two-factor is enforced before, by `PageUser`); the services
check the role again and keep each admin to their own clinic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from neuromotrix.adapters.i18n import N_, Translator
from neuromotrix.entrypoints.web.deps import Caller
from neuromotrix.entrypoints.web.pages.deps import require_roles
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.services import privacy
from neuromotrix.services.unit_of_work import UnitOfWork

Admin = Annotated[Caller, Depends(require_roles("admin"))]
PAGE_SIZE = 50

# Confirmations after a redirect (`?notice=key`), shown at the top of the page; only these keys are shown.
ADMIN_NOTICES: dict[str, str] = {
    "role_changed": N_("The role is changed. The person signs in again to use it."),
    "account_on": N_("The account is switched on. The person can sign in again."),
    "account_off": N_("The account is switched off and its sessions are ended."),
    "assigned": N_("The assignment is saved: the trainer now follows this participant."),
    "unassigned": N_("The assignment is ended: the trainer no longer sees this participant."),
    "invited": N_("The invitation is on its way by email. The link works once, until it expires."),
    "withdrawn": N_("The invitation is withdrawn: its link no longer works."),
    "privacy_saved": N_("The privacy settings are saved. The privacy notice page shows them now."),
    "consent_published": N_("The new consent text is published. Everyone is asked to accept it at their next page."),
    "incident_saved": N_("The incident is saved in the register."),
    "erasure_recorded": N_("The erasure request is recorded. Review it, then process it."),
    "erasure_done": N_("The erasure request is carried out. What was done is written below."),
}

ROLE_LABELS: dict[str, str] = {
    "admin": N_("Clinic administrator"),
    "trainer": N_("Trainer"),
    "participant": N_("Participant"),
    "caregiver": N_("Caregiver"),
}


def admin_notice(request: Request) -> str | None:
    """The confirmation named in the query string, translated; None for any other key."""
    key = request.query_params.get("notice", "")
    return page_translator(request).gettext(ADMIN_NOTICES[key]) if key in ADMIN_NOTICES else None


def clinic_day(settings: privacy.PrivacySettings, now: dt.datetime) -> dt.date:
    """Today where the clinic is."""
    return now.astimezone(ZoneInfo(settings.time_zone)).date()


def clinic_context(uow: UnitOfWork, clinic_id: int, now: dt.datetime) -> tuple[privacy.PrivacySettings, dt.date]:
    settings = privacy.clinic_settings(uow, clinic_id)
    return settings, clinic_day(settings, now)


def read_date(
    tr: Translator, errors: FormErrors, fields: dict[str, str], name: str, *, label: str, required: bool
) -> dt.date | None:
    """A date typed as YYYY-MM-DD (what date inputs send); a missing or wrong one adds an error for the field."""
    text = fields.get(name, "").strip()
    if not text:
        if required:
            errors.add(name, tr.gettext("Enter the date: %(label)s, like 2026-11-23.", label=label))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.add(name, tr.gettext("Enter a real date for “%(label)s”, written like 2026-11-23.", label=label))
        return None


def read_whole_number(text: str, *, low: int, high: int) -> int | None:
    """A whole number from low to high, or None."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not cleaned.isdigit():
        return None
    number = int(cleaned)
    return number if low <= number <= high else None


def read_id(text: str | None) -> int | None:
    """A database id from a form or query field, or None."""
    return read_whole_number(text or "", low=1, high=2_147_483_647)


@dataclass(frozen=True)
class Pages:
    """Where a list is, page by page: links keep the filters (`query`)."""

    offset: int
    total: int
    size: int
    path: str
    query: dict[str, str]

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    def _link(self, offset: int) -> str:
        values = {key: value for key, value in self.query.items() if value} | {"offset": str(offset)}
        return f"{self.path}?{urlencode(values)}"

    @property
    def previous(self) -> str | None:
        return self._link(max(0, self.offset - self.size)) if self.offset > 0 else None

    @property
    def next(self) -> str | None:
        return self._link(self.offset + self.size) if self.offset + self.size < self.total else None


def read_offset(text: str | None) -> int:
    return read_whole_number(text or "", low=0, high=2_147_483_647) or 0
