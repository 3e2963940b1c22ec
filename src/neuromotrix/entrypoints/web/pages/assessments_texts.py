"""The outcome instruments for staff (part of the library): `/instruments` lists them with their licence and the
status of their French wording, `/instruments/{key}` lets a clinic that holds the licence of a licensed instrument
enter its item texts in English and French (they are never shipped: BRIEF §7 licence column).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from neuromotrix.adapters.i18n import N_, Translator
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import Instrument
from neuromotrix.entrypoints.web.deps import ContainerDep
from neuromotrix.entrypoints.web.pages.assessments_form import KIND_LABELS
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.library_common import Staff
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import assessments
from neuromotrix.services.assessments import MAX_ITEM_TEXT

router = APIRouter(include_in_schema=False)

FRENCH_LABELS: dict[str, str] = {
    "validated": N_("Validated French version"),
    "unvalidated": N_("French wording not a published validated translation"),
    "licensed": N_("Licensed: your clinic enters the wording"),
}
LICENCE_LABELS: dict[str, str] = {"free": N_("Free to use"), "licensed": N_("Licensed")}


@router.get("/instruments")
async def instruments(request: Request, who: Staff, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    with box.uow() as uow:
        found = assessments.instruments_for_clinic(uow, who.actor.clinic_id)
    rows = [
        {
            "key": instrument.key,
            "name": instrument.name.in_language(tr.language),
            "kind": tr.gettext(KIND_LABELS[instrument.kind]),
            "licence": tr.gettext(LICENCE_LABELS[instrument.licence]),
            "french": tr.gettext(FRENCH_LABELS[instrument.french]),
            "licensed": instrument.licence == "licensed",
            "entered": sum(item.text is not None for item in instrument.items),
            "item_count": len(instrument.items),
        }
        for instrument in found
    ]
    return render(request, "assessments/instruments.html", {"rows": rows, "saved": request.query_params.get("saved")})


def _licensed(box: ContainerDep, who: Any, key: str) -> Instrument:
    with box.uow() as uow:
        try:
            found = assessments.instrument_for_clinic(uow, who.actor.clinic_id, key)
        except InvalidRequest as error:
            raise NotFound("licensed instrument") from error
    if found.licence != "licensed":
        raise NotFound("licensed instrument")
    return found


def _page(
    request: Request,
    instrument: Instrument,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    tr = page_translator(request)
    if values is None:
        values = {}
        for item in instrument.items:
            if item.text is not None:
                values[f"{item.key}-en"], values[f"{item.key}-fr"] = item.text.en, item.text.fr
    context = {
        "instrument": instrument,
        "name": instrument.name.in_language(tr.language),
        "keys": [item.key for item in instrument.items],
        "errors": errors or FormErrors(),
        "values": values,
        "max_text": MAX_ITEM_TEXT,
    }
    return render(request, "assessments/texts.html", context, status_code=status_code)


@router.get("/instruments/{key}")
async def texts_form(request: Request, key: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _page(request, _licensed(box, who, key))


def read_texts(tr: Translator, instrument: Instrument, fields: dict[str, str], errors: FormErrors) -> dict[str, Text]:
    """Items with both texts filled in; an item with one language only, or a text too long, is an error."""
    texts = {}
    for item in instrument.items:
        english = fields.get(f"{item.key}-en", "").strip()
        french = fields.get(f"{item.key}-fr", "").strip()
        if not english and not french:
            continue
        for language, value in (("en", english), ("fr", french)):
            name = f"{item.key}-{language}"
            if not value:
                errors.add(
                    name,
                    tr.gettext("Enter the text of item %(key)s in both languages, or leave both empty.", key=item.key),
                )
            elif len(value) > MAX_ITEM_TEXT:
                errors.add(name, tr.gettext("Shorten this text to %(count)s characters or fewer.", count=MAX_ITEM_TEXT))
        if english and french:
            texts[item.key] = Text(en=english, fr=french)
    if not errors and not texts:
        first = instrument.items[0].key
        errors.add(f"{first}-en", tr.gettext("Enter the text of at least one item, in English and French."))
    return texts


@router.post("/instruments/{key}", response_model=None)
async def save_texts(request: Request, key: str, who: Staff, box: ContainerDep) -> Response:
    tr = page_translator(request)
    instrument = _licensed(box, who, key)
    fields = await form_fields(request)
    errors = FormErrors()
    texts = read_texts(tr, instrument, fields, errors)
    if errors:
        return _page(request, instrument, errors=errors, values=fields, status_code=422)
    with box.uow(write=True) as uow:
        assessments.set_instrument_texts(uow, who.actor, instrument.key, texts, now=box.clock())
        uow.commit()
    return RedirectResponse(f"/instruments?saved={instrument.key}", status_code=303)
