"""The clinic's privacy settings (Québec Law 25): its privacy notice in English and French, the person in charge of
the protection of personal information, and how long professional records are kept (docs/privacy.md).

Anyone may read a clinic's notice (the public `/privacy` page); only a clinic admin changes it, and every change
is audited. A clinic that never saved its settings has an empty notice, no person named and the default
retention period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clinics, privacy_settings
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.services import accounts
from neuromotrix.services.access import Actor, require_admin
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

DEFAULT_RETENTION_YEARS = 10
MAX_RETENTION_YEARS = 100
MAX_NOTICE_CHARACTERS = 20_000


@dataclass(frozen=True)
class PrivacySettings:
    clinic_id: int
    clinic_name: str
    time_zone: str
    officer_name: str
    officer_title: str
    officer_email: str
    notice_en: str
    notice_fr: str
    retention_years: int
    updated_at: dt.datetime | None

    def notice(self, language: str) -> str:
        return self.notice_fr if language == "fr" else self.notice_en

    @property
    def has_officer(self) -> bool:
        return bool(self.officer_name or self.officer_email)


@dataclass(frozen=True)
class ClinicName:
    id: int
    name: str


def clinic_settings(uow: UnitOfWork, clinic_id: int) -> PrivacySettings:
    """A clinic's settings (the defaults until an admin saves them); NotFound for an unknown clinic."""
    row = uow.connection.execute(
        sa.select(clinics.c.id, clinics.c.name, clinics.c.time_zone, privacy_settings)
        .select_from(clinics.outerjoin(privacy_settings, privacy_settings.c.clinic_id == clinics.c.id))
        .where(clinics.c.id == clinic_id)
    ).first()
    if row is None:
        raise NotFound("clinic")
    mapping = row._mapping
    saved = mapping[privacy_settings.c.clinic_id] is not None
    return PrivacySettings(
        clinic_id=int(mapping[clinics.c.id]),
        clinic_name=str(row.name),
        time_zone=str(row.time_zone),
        officer_name=str(row.officer_name or ""),
        officer_title=str(row.officer_title or ""),
        officer_email=str(row.officer_email or ""),
        notice_en=str(row.notice_en or ""),
        notice_fr=str(row.notice_fr or ""),
        retention_years=int(row.retention_years) if saved else DEFAULT_RETENTION_YEARS,
        updated_at=row.updated_at if saved else None,
    )


def all_clinics(uow: UnitOfWork) -> list[ClinicName]:
    """Every clinic, in the order they were created (the public notice page lets a visitor choose one)."""
    rows = uow.connection.execute(sa.select(clinics.c.id, clinics.c.name).order_by(clinics.c.id)).all()
    return [ClinicName(int(row.id), str(row.name)) for row in rows]


def public_notice(uow: UnitOfWork, *, clinic_id: int | None) -> PrivacySettings | None:
    """The notice of a clinic, or of the first clinic when none is named; None when there is no clinic yet."""
    if clinic_id is None:
        first = uow.connection.execute(sa.select(sa.func.min(clinics.c.id))).scalar_one_or_none()
        if first is None:
            return None
        clinic_id = int(first)
    return clinic_settings(uow, clinic_id)


@dataclass(frozen=True)
class SettingsChange:
    officer_name: str
    officer_title: str
    officer_email: str
    notice_en: str
    notice_fr: str
    retention_years: int


def check_change(change: SettingsChange) -> SettingsChange:
    """The change cleaned (spaces trimmed, email lower-cased); InvalidRequest names the first wrong field."""
    email = change.officer_email.strip()
    if email:
        email = accounts.normalise_email(email)
        if len(email) > 254:
            raise InvalidRequest(
                "The email address is too long (254 characters at most).",
                fr="L'adresse courriel est trop longue (254 caractères au plus).",
                field=("officer_email",),
            )
    for field, value in (("officer_name", change.officer_name), ("officer_title", change.officer_title)):
        if len(value.strip()) > 200:
            raise InvalidRequest(
                f"{field} is too long: 200 characters at most.",
                fr=f"{field} est trop long : 200 caractères au plus.",
                field=(field,),
            )
    for field, value in (("notice_en", change.notice_en), ("notice_fr", change.notice_fr)):
        if len(value) > MAX_NOTICE_CHARACTERS:
            raise InvalidRequest(
                f"{field} is too long: {MAX_NOTICE_CHARACTERS} characters at most.",
                fr=f"{field} est trop long : {MAX_NOTICE_CHARACTERS} caractères au plus.",
                field=(field,),
            )
    if not 0 <= change.retention_years <= MAX_RETENTION_YEARS:
        raise InvalidRequest(
            f"The retention period is a number of years from 0 to {MAX_RETENTION_YEARS}; use the period your "
            "professional order requires.",
            fr=(
                f"La durée de conservation est un nombre d'années de 0 à {MAX_RETENTION_YEARS}; utilisez la durée qu'exige "
                "votre ordre professionnel."
            ),
            field=("retention_years",),
        )
    return SettingsChange(
        officer_name=change.officer_name.strip(),
        officer_title=change.officer_title.strip(),
        officer_email=email,
        notice_en=_clean_text(change.notice_en),
        notice_fr=_clean_text(change.notice_fr),
        retention_years=change.retention_years,
    )


def _clean_text(text: str) -> str:
    """Line endings as `\\n`, no trailing spaces at the ends: paragraphs are separated by a blank line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def update_settings(uow: UnitOfWork, actor: Actor, change: SettingsChange, *, now: dt.datetime) -> PrivacySettings:
    """Save the admin's clinic settings (audited with the names of the fields that changed)."""
    require_admin(actor)
    cleaned = check_change(change)
    before = clinic_settings(uow, actor.clinic_id)
    values: dict[str, Any] = {
        "officer_name": cleaned.officer_name,
        "officer_title": cleaned.officer_title,
        "officer_email": cleaned.officer_email,
        "notice_en": cleaned.notice_en,
        "notice_fr": cleaned.notice_fr,
        "retention_years": cleaned.retention_years,
        "updated_by": actor.user_id,
        "updated_at": now,
    }
    changed = [field.name for field in fields(cleaned) if getattr(before, field.name) != getattr(cleaned, field.name)]
    if before.updated_at is None:
        uow.connection.execute(privacy_settings.insert().values(clinic_id=actor.clinic_id, **values))
    else:
        uow.connection.execute(
            privacy_settings.update().where(privacy_settings.c.clinic_id == actor.clinic_id).values(values)
        )
    detail = "changed: " + (", ".join(changed) if changed else "nothing")
    if "retention_years" in changed:
        detail += f"; retention {before.retention_years} -> {cleaned.retention_years} years"
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, "update", "privacy_settings", str(actor.clinic_id), None, detail),
    )
    return clinic_settings(uow, actor.clinic_id)
