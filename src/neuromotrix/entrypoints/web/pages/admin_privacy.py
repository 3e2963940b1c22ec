"""The clinic's privacy settings and consent text (clinic admins): the privacy notice in English and French, the
person in charge of the protection of personal information, the retention period of professional records, and
the versioned consent text that every user accepts (docs/privacy.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.admin_common import Admin, admin_notice, clinic_context, read_whole_number
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import consent, privacy

router = APIRouter(include_in_schema=False)
SETTINGS_FIELDS = ("officer_name", "officer_title", "officer_email", "notice_en", "notice_fr", "retention_years")


# Privacy notice, person in charge, retention ------------------------------------------------------------


def _settings_page(
    request: Request, who: Caller, box: ContainerDep, *, values: dict[str, str] | None, errors: FormErrors
) -> HTMLResponse:
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
    shown = values or {name: str(getattr(settings, name)) for name in SETTINGS_FIELDS}
    context = {
        "settings": settings,
        "values": shown,
        "errors": errors,
        "limits": (0, privacy.MAX_RETENTION_YEARS),
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/privacy.html", context, status_code=422 if errors else 200)


@router.get("/admin/privacy")
async def settings_form(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _settings_page(request, who, box, values=None, errors=FormErrors())


@router.post("/admin/privacy", response_model=None)
async def save_settings(request: Request, who: Admin, box: ContainerDep) -> Response:
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in SETTINGS_FIELDS}
    errors = FormErrors()
    email = values["officer_email"].strip()
    if email and "@" not in email.strip("@"):
        errors.add("officer_email", tr.gettext("Enter a complete email address, like name@example.org."))
    years = read_whole_number(values["retention_years"], low=0, high=privacy.MAX_RETENTION_YEARS)
    if years is None:
        errors.add(
            "retention_years",
            tr.gettext("Enter a number of years from 0 to %(high)s: the period your professional order requires.", high=privacy.MAX_RETENTION_YEARS),
        )  # fmt: skip
    for name in ("officer_name", "officer_title"):
        if len(values[name].strip()) > 200:
            errors.add(name, tr.gettext("Shorten this to 200 characters or fewer."))
    for name in ("notice_en", "notice_fr"):
        if len(values[name]) > privacy.MAX_NOTICE_CHARACTERS:
            errors.add(name, tr.gettext("Shorten the notice to %(count)s characters or fewer.", count=privacy.MAX_NOTICE_CHARACTERS))  # fmt: skip
    if errors or years is None:
        return _settings_page(request, who, box, values=values, errors=errors)
    change = privacy.SettingsChange(
        officer_name=values["officer_name"],
        officer_title=values["officer_title"],
        officer_email=email,
        notice_en=values["notice_en"],
        notice_fr=values["notice_fr"],
        retention_years=years,
    )
    try:
        with box.uow(write=True) as uow:
            privacy.update_settings(uow, who.actor, change, now=box.clock())
            uow.commit()
    except InvalidRequest:
        errors.add("officer_email", tr.gettext("Enter a complete email address, like name@example.org."))
        return _settings_page(request, who, box, values=values, errors=errors)
    return RedirectResponse("/admin/privacy?notice=privacy_saved", status_code=303)


# Consent text ---------------------------------------------------------------------------------------------


def _consent_page(
    request: Request, who: Caller, box: ContainerDep, *, values: dict[str, str] | None, errors: FormErrors
) -> HTMLResponse:
    with box.uow() as uow:
        settings, _ = clinic_context(uow, who.actor.clinic_id, box.clock())
        versions = consent.history(uow, who.actor)
        accounts = consent.active_accounts(uow, who.actor)
    current = versions[0]["text"] if versions else None
    shown = values or {
        "text_en": current.text_en if current else "",
        "text_fr": current.text_fr if current else "",
    }
    context = {
        "versions": versions,
        "current": current,
        "accounts": accounts,
        "next_version": (current.version + 1) if current else 1,
        "values": shown,
        "errors": errors,
        "notice": admin_notice(request),
        "time_zone": settings.time_zone,
    }
    return render(request, "admin/consent.html", context, status_code=422 if errors else 200)


@router.get("/admin/consent")
async def consent_texts(request: Request, who: Admin, box: ContainerDep) -> HTMLResponse:
    return _consent_page(request, who, box, values=None, errors=FormErrors())


@router.post("/admin/consent", response_model=None)
async def publish(request: Request, who: Admin, box: ContainerDep) -> Response:
    """A new version of the consent text: everyone accepts it again at their next page."""
    tr = page_translator(request)
    fields = await form_fields(request)
    values = {name: fields.get(name, "") for name in ("text_en", "text_fr")}
    errors = FormErrors()
    if not values["text_en"].strip():
        errors.add("text_en", tr.gettext("Write the consent text in English."))
    if not values["text_fr"].strip():
        errors.add("text_fr", tr.gettext("Write the consent text in French."))
    for name in ("text_en", "text_fr"):
        if len(values[name]) > consent.MAX_TEXT_CHARACTERS:
            errors.add(name, tr.gettext("Shorten the text to %(count)s characters or fewer.", count=consent.MAX_TEXT_CHARACTERS))  # fmt: skip
    if errors:
        return _consent_page(request, who, box, values=values, errors=errors)
    try:
        with box.uow(write=True) as uow:
            consent.publish(uow, who.actor, text_en=values["text_en"], text_fr=values["text_fr"], now=box.clock())
            uow.commit()
    except Conflict:
        errors.add("text_en", tr.gettext("This is the current text, word for word. Change it before publishing a new version."))  # fmt: skip
        return _consent_page(request, who, box, values=values, errors=errors)
    return RedirectResponse("/admin/consent?notice=consent_published", status_code=303)
