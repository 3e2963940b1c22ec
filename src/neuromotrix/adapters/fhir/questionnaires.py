"""An instrument of the registry as a FHIR Questionnaire (docs/fhir.md "Questionnaires").

One item per instrument item, `linkId` = the item key. Closed answers are `choice` items whose options are
codings of our `answer-value` code system: the code is the answer's value ("0" … "10"), the display its label.
Numeric answers (seconds, metres, counts) are `decimal` or `integer` items with the standard minValue, maxValue
and questionnaire-unit extensions. French texts travel as the standard translation extension. A licensed
instrument carries no item text unless the clinic entered it (BRIEF §7 licence column).
"""

from __future__ import annotations

import threading
from typing import Any

from neuromotrix.adapters.fhir import codes
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import Instrument, Item

CACHE_SIZE = 256  # instruments × clinics with their own texts; a Questionnaire never changes for a given key
_CACHE: dict[tuple[object, ...], dict[str, Any]] = {}
_LOCK = threading.Lock()

FRENCH_STATUS = {
    "validated": Text(
        en="French texts: published validated translation.", fr="Textes français : traduction validée publiée."
    ),
    "unvalidated": Text(
        en="French texts: not a published validated translation.",
        fr="Textes français : pas une traduction validée publiée.",
    ),
    "licensed": Text(
        en="Licensed instrument: item texts are entered by a clinic that holds the licence.",
        fr="Instrument sous licence : les textes des items sont saisis par une clinique qui détient la licence.",
    ),
}
KINDS = {
    "pro": Text(en="Patient-reported", fr="Rapporté par la personne"),
    "clinro": Text(en="Clinician-rated", fr="Évalué par le clinicien"),
    "perf": Text(en="Performance test", fr="Test de performance"),
}


def machine_name(key: str) -> str:
    """FHIR's computer-friendly name: `pain_nrs` → `PainNrs`."""
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def questionnaire(instrument: Instrument, *, clinic_id: int) -> dict[str, Any]:
    """The validated Questionnaire (as JSON data); built once per instrument version and set of clinic texts.
    Callers must not change it: it is shared by every export."""
    fingerprint = (clinic_id, instrument.key, instrument.version, *(_texts(item) for item in instrument.items))
    with _LOCK:
        cached = _CACHE.get(fingerprint)
    if cached is not None:
        return cached
    document = _questionnaire(instrument, clinic_id=clinic_id)
    from fhir.resources.R4B.questionnaire import Questionnaire

    Questionnaire.model_validate(document)
    with _LOCK:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.clear()
        _CACHE[fingerprint] = document
    return document


def whole_numbers(item: Item) -> bool:
    """A numeric item answered in whole steps from a whole minimum (counts, 0-10 ratings) is an `integer` item."""
    return (
        item.step is not None
        and float(item.step).is_integer()
        and item.minimum is not None
        and float(item.minimum).is_integer()
    )


def questionnaire_id(instrument: Instrument, *, clinic_id: int) -> str:
    return codes.resource_id("Questionnaire", clinic_id, instrument.key, instrument.version)


def _texts(item: Item) -> tuple[str | None, ...]:
    text = item.text
    labels = tuple(option.label.en if option.label else None for option in item.options)
    return (text.en if text else None, text.fr if text else None, *labels)


def _questionnaire(instrument: Instrument, *, clinic_id: int) -> dict[str, Any]:
    status = FRENCH_STATUS[instrument.french]
    kind = KINDS[instrument.kind]
    description = f"{kind.en}. {status.en}"
    document: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument, clinic_id=clinic_id),
        "url": codes.questionnaire_url(instrument.key),
        "version": instrument.version,
        "name": machine_name(instrument.key),
        "title": instrument.name.en,
        "_title": codes.french(instrument.name.fr),
        "status": "active",
        "subjectType": ["Patient"],
        "description": description,
        "_description": codes.french(f"{kind.fr}. {status.fr}"),
        "item": [_item(item) for item in instrument.items],
    }
    if instrument.licence == "licensed":
        document["copyright"] = status.en
        document["_copyright"] = codes.french(status.fr)
    return document


def _item(item: Item) -> dict[str, Any]:
    found: dict[str, Any] = {"linkId": item.key}
    if item.text is not None:
        found["text"] = item.text.en
        found["_text"] = codes.french(item.text.fr)
    if item.options:
        found["type"] = "choice"
        found["answerOption"] = [{"valueCoding": _option(option.value, option.label)} for option in item.options]
        return found
    integer = whole_numbers(item)
    found["type"] = "integer" if integer else "decimal"
    value_type = "valueInteger" if integer else "valueDecimal"
    extensions: list[dict[str, Any]] = []
    if item.minimum is not None:
        extensions.append({"url": codes.MIN_VALUE, value_type: _plain(item.minimum, integer=integer)})
    if item.maximum is not None:
        extensions.append({"url": codes.MAX_VALUE, value_type: _plain(item.maximum, integer=integer)})
    if item.unit:
        extensions.append({"url": codes.QUESTIONNAIRE_UNIT, "valueCoding": codes.coding(codes.UCUM, item.unit)})
    if extensions:
        found["extension"] = extensions
    return found


def _option(value: float, label: Text | None) -> dict[str, Any]:
    coding: dict[str, Any] = codes.coding(codes.ANSWER_VALUES, codes.number_code(value))
    if label is not None:
        coding["display"] = label.en
        coding["_display"] = codes.french(label.fr)
    return coding


def _plain(value: float, *, integer: bool) -> int | float:
    return int(value) if integer or value == int(value) else value
