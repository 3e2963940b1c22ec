"""QuestionnaireResponses read back into instrument answers (docs/fhir.md "Import").

Accepted: one QuestionnaireResponse, or a Bundle (any type) whose entries are all QuestionnaireResponses, as JSON.
Each response names its questionnaire by our canonical URL (`https://neuromotrix.org/fhir/Questionnaire/<key>`,
optionally `|version`), is `completed` or `amended`, has an `authored` date, and answers each item (matched by
`linkId`, groups flattened) with one valueInteger, valueDecimal, valueQuantity or valueCoding (a code of our
`answer-value` system, i.e. the answer's value). Anything else is refused with the entry and item named: the
caller records nothing from a file that has one bad part.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from neuromotrix.adapters.fhir import codes
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.instruments import Instrument
from neuromotrix.domain.validation_fr import french_message

ACCEPTED_STATUSES = ("completed", "amended")
NUMBER_VALUES = ("valueInteger", "valueDecimal")


class FhirImportError(InvalidRequest):
    """A file or one of its entries cannot be imported; the message names the entry and what to fix."""


@dataclass(frozen=True)
class ParsedResponse:
    index: int  # the entry's position in the bundle (0 for a single resource)
    label: str  # how messages name it: "entry 2 (QuestionnaireResponse pain-1)"
    instrument: str
    version: str | None
    taken_on: dt.date
    subject: Mapping[str, Any] | None
    answers: Mapping[str, float | None]  # by linkId, as given
    units: Mapping[str, str] = field(default_factory=dict)  # UCUM code of each valueQuantity answer, by linkId


def read_responses(document: bytes) -> list[ParsedResponse]:
    """Every QuestionnaireResponse of the file, validated by the R4B models; FhirImportError on the first fault."""
    data = _json(document)
    kind = data.get("resourceType")
    if kind == "Bundle":
        _validate(data, "Bundle", "the bundle")
        entries = data.get("entry") or []
        if not entries:
            raise FhirImportError(
                "The bundle has no entries. Put one QuestionnaireResponse per entry; nothing was imported.",
                fr="Le lot (Bundle) n'a aucune entrée. Mettez une QuestionnaireResponse par entrée; rien n'a été importé.",
                field=("entry",),
            )
        resources = [(index, entry.get("resource")) for index, entry in enumerate(entries)]
    elif kind == "QuestionnaireResponse":
        _validate(data, "QuestionnaireResponse", "the QuestionnaireResponse")
        resources = [(0, data)]
    else:
        raise FhirImportError(
            f"The file is a {kind or 'JSON document without resourceType'}, not a QuestionnaireResponse. Send a "
            "QuestionnaireResponse or a Bundle of them; nothing was imported.",
            fr=(
                f"Le fichier est {('un ' + kind) if kind else 'un document JSON sans resourceType'}, et non une "
                "QuestionnaireResponse. Envoyez une QuestionnaireResponse ou un Bundle de celles-ci; rien n'a été importé."
            ),
            field=("resourceType",),
        )
    return [_parse(index, resource, bundled=kind == "Bundle") for index, resource in resources]


def answers_for(instrument: Instrument, parsed: ParsedResponse) -> dict[str, float | None]:
    """The answers by item key; an unknown linkId is refused with the instrument's item keys."""
    known = {item.key: item for item in instrument.items}
    for link_id in parsed.answers:
        if link_id not in known:
            raise FhirImportError(
                f"{parsed.label}: item {link_id!r} is not an item of {instrument.name.en}. Its linkIds are: "
                f"{', '.join(known)}. Nothing was imported.",
                fr=(
                    f"{french_label(parsed.label)} : l'élément {link_id!r} n'est pas un élément de {instrument.name.fr}. Ses "
                    f"linkId sont : {', '.join(known)}. Rien n'a été importé."
                ),
                field=("entry", parsed.index, "item", link_id),
            )
    for link_id, unit in parsed.units.items():
        expected = known[link_id].unit or "{score}"
        if unit != expected:
            raise FhirImportError(
                f"{parsed.label}: item {link_id!r} is given in {unit!r}; {instrument.name.en} records it in "
                f"{expected!r} (UCUM). Convert the value. Nothing was imported.",
                fr=(
                    f"{french_label(parsed.label)} : l'élément {link_id!r} est donné en {unit!r}; {instrument.name.fr} "
                    f"l'enregistre en {expected!r} (UCUM). Convertissez la valeur. Rien n'a été importé."
                ),
                field=("entry", parsed.index, "item", link_id),
            )
    return dict(parsed.answers)


def names_participant(subject: Mapping[str, Any] | None, participant_id: int) -> bool:
    """Whether a response's subject is this participant (or names no one we can check)."""
    if not subject:
        return True
    reference = subject.get("reference")
    identifier = subject.get("identifier")
    if reference is None and identifier is None:
        return True  # a display name only: nothing to contradict the participant named by the caller
    ours = codes.patient_id(participant_id)
    if reference is not None and reference not in (codes.urn(ours), f"Patient/{ours}"):
        return False
    if identifier is not None:
        return bool(identifier.get("system") == codes.PARTICIPANT_ID and identifier.get("value") == str(participant_id))
    return True


def _json(document: bytes) -> dict[str, Any]:
    try:
        data = json.loads(document)
    except UnicodeDecodeError as error:
        raise FhirImportError(
            f"The file is not UTF-8 text ({error.reason} at byte {error.start}). Send FHIR JSON; nothing was imported.",
            fr=(
                f"Le fichier n'est pas du texte UTF-8 ({error.reason} à l'octet {error.start}). Envoyez du JSON FHIR; rien "
                "n'a été importé."
            ),
            field=("file",),
        ) from error
    except json.JSONDecodeError as error:
        raise FhirImportError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. Send a FHIR "
            "QuestionnaireResponse or Bundle as JSON; nothing was imported.",
            fr=(
                f"Le fichier n'est pas du JSON valide : {error.msg} à la ligne {error.lineno}, colonne {error.colno}. Envoyez "
                "une QuestionnaireResponse ou un Bundle FHIR en JSON; rien n'a été importé."
            ),
            field=("file",),
        ) from error
    if not isinstance(data, dict):
        raise FhirImportError(
            "The file holds JSON but not a FHIR resource (an object with resourceType). Nothing was imported.",
            fr=(
                "Le fichier contient du JSON, mais pas une ressource FHIR (un objet avec resourceType). Rien n'a été importé."
            ),
            field=("file",),
        )
    return data


def _validate(data: dict[str, Any], resource_type: str, what: str) -> None:
    """The R4B model's verdict, first error named by its path (e.g. entry 2 → resource → item 0 → answer)."""
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    try:
        if resource_type == "Bundle":
            Bundle.model_validate(data)
        else:
            QuestionnaireResponse.model_validate(data)
    except (ValidationError, ValueError, TypeError) as error:
        problems = error.errors() if isinstance(error, ValidationError) else []
        if problems:
            first = problems[0]
            location = tuple(first.get("loc", ()))
            path = " → ".join(str(part) for part in location) or resource_type
            message = f"{what.capitalize()} is not valid FHIR R4: {path}: {first.get('msg', 'invalid')}."
            french = french_message(str(first.get("type", "")), first.get("ctx"), str(first.get("msg", "invalid")))
            message_fr = f"{_upper_first(french_label(what))} n'est pas du FHIR R4 valide : {path} : {french}."
        else:
            location = ()
            message = f"{what.capitalize()} is not valid FHIR R4: {error}."
            message_fr = f"{_upper_first(french_label(what))} n'est pas du FHIR R4 valide : {error}."
        raise FhirImportError(
            message + " Fix it and send the file again; nothing was imported.",
            fr=message_fr + " Corrigez-le et envoyez le fichier de nouveau; rien n'a été importé.",
            field=location,
        ) from error


def french_label(label: str) -> str:
    """The French of how messages name an entry ("entry 2 (QuestionnaireResponse pain-1)", "the bundle")."""
    for english, french in _LABELS_FR:
        if label.startswith(english):
            return french + label[len(english) :]
    return label


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_LABELS_FR = (("entry ", "l'entrée "), ("the QuestionnaireResponse", "la QuestionnaireResponse"), ("the bundle", "le Bundle"))  # fmt: skip


def _parse(index: int, resource: Any, *, bundled: bool) -> ParsedResponse:
    label = f"entry {index}" if bundled else "the QuestionnaireResponse"
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        found = resource.get("resourceType") if isinstance(resource, dict) else None
        raise FhirImportError(
            f"{label.capitalize()} is {('a ' + found) if found else 'not a resource'}, not a QuestionnaireResponse. "
            "Only QuestionnaireResponse entries are imported; remove the others. Nothing was imported.",
            fr=(
                f"{_upper_first(french_label(label))} est {('un ' + found) if found else 'autre chose qu’une ressource'}, et non "
                "une QuestionnaireResponse. Seules les entrées QuestionnaireResponse sont importées; retirez les autres. Rien "
                "n'a été importé."
            ),
            field=("entry", index, "resource"),
        )
    if resource.get("id"):
        label = f"{label} (QuestionnaireResponse {resource['id']})"
    status = resource.get("status")
    if status not in ACCEPTED_STATUSES:
        raise FhirImportError(
            f"{label}: status is {status!r}; only completed or amended responses are imported. Nothing was imported.",
            fr=(
                f"{french_label(label)} : le statut est {status!r}; seules les réponses complétées (completed) ou modifiées "
                "(amended) sont importées. Rien n'a été importé."
            ),
            field=("entry", index, "status"),
        )
    instrument, version = _questionnaire(label, index, resource.get("questionnaire"))
    items = resource.get("item") or []
    return ParsedResponse(
        index=index,
        label=label,
        instrument=instrument,
        version=version,
        taken_on=_authored(label, index, resource.get("authored")),
        subject=resource.get("subject"),
        answers=_answers(label, index, items),
        units=_units(items),
    )


def _questionnaire(label: str, index: int, canonical: Any) -> tuple[str, str | None]:
    if not isinstance(canonical, str) or not canonical.startswith(codes.QUESTIONNAIRE_BASE):
        raise FhirImportError(
            f"{label}: questionnaire {canonical!r} is not a NeuroMotrix questionnaire. Name it "
            f"{codes.QUESTIONNAIRE_BASE}<instrument> (docs/fhir.md lists them). Nothing was imported.",
            fr=(
                f"{french_label(label)} : le questionnaire {canonical!r} n'est pas un questionnaire NeuroMotrix. Nommez-le "
                f"{codes.QUESTIONNAIRE_BASE}<instrument> (docs/fhir.md les énumère). Rien n'a été importé."
            ),
            field=("entry", index, "questionnaire"),
        )
    key, _, version = canonical.removeprefix(codes.QUESTIONNAIRE_BASE).partition("|")
    return key, version or None


def _authored(label: str, index: int, authored: Any) -> dt.date:
    """The day the answers were given, as written (a time zone does not move it to another day)."""
    try:
        if isinstance(authored, str) and len(authored) >= 10:
            return dt.date.fromisoformat(authored[:10])
    except ValueError:
        pass
    raise FhirImportError(
        f"{label}: authored is {authored!r}; give the full date the answers were given (YYYY-MM-DD or a date-time). "
        "Nothing was imported.",
        fr=(
            f"{french_label(label)} : authored vaut {authored!r}; donnez la date complète à laquelle les réponses ont été "
            "données (AAAA-MM-JJ ou une date et heure). Rien n'a été importé."
        ),
        field=("entry", index, "authored"),
    )


def _flatten(items: list[Any]) -> Iterator[dict[str, Any]]:
    """Items with their nested items (groups, and items under an answer), depth first."""
    for item in items:
        yield item
        yield from _flatten(item.get("item") or [])
        for answer in item.get("answer") or []:
            yield from _flatten(answer.get("item") or [])


def _answers(label: str, index: int, items: list[Any]) -> dict[str, float | None]:
    answers: dict[str, float | None] = {}
    for item in _flatten(items):
        link_id = str(item.get("linkId"))  # required by the model, checked when the file was validated
        given = [answer for answer in item.get("answer") or [] if _has_value(answer)]
        if not given:
            continue  # a group, or an item left unanswered (the instrument's missing-item rule applies)
        where = ("entry", index, "item", link_id)
        if link_id in answers:
            raise FhirImportError(
                f"{label}: item {link_id!r} appears twice; answer it once. Nothing was imported.",
                fr=f"{french_label(label)} : l'élément {link_id!r} apparaît deux fois; répondez-y une seule fois. Rien n'a été importé.",
                field=where,
            )
        if len(given) > 1:
            raise FhirImportError(
                f"{label}: item {link_id!r} has {len(given)} answers; each item takes one. Nothing was imported.",
                fr=(
                    f"{french_label(label)} : l'élément {link_id!r} a {len(given)} réponses; chaque élément en prend une seule. Rien "
                    "n'a été importé."
                ),
                field=where,
            )
        answers[link_id] = _value(label, link_id, given[0], where)
    return answers


def _units(items: list[Any]) -> dict[str, str]:
    """The unit of each valueQuantity answer (its UCUM code, else its unit text)."""
    found: dict[str, str] = {}
    for item in _flatten(items):
        for answer in item.get("answer") or []:
            quantity = answer.get("valueQuantity")
            if isinstance(quantity, dict) and (quantity.get("code") or quantity.get("unit")):
                found[str(item.get("linkId"))] = str(quantity.get("code") or quantity.get("unit"))
    return found


def _has_value(answer: Mapping[str, Any]) -> bool:
    return any(key.startswith("value") for key in answer)


def _value(label: str, link_id: str, answer: Mapping[str, Any], where: tuple[str | int, ...]) -> float:
    for key in NUMBER_VALUES:
        if key in answer:
            return _finite(label, link_id, answer[key], where)
    if "valueQuantity" in answer:
        return _finite(label, link_id, answer["valueQuantity"].get("value"), where)
    if "valueCoding" in answer:
        coding = answer["valueCoding"]
        system = coding.get("system")
        if system not in (None, codes.ANSWER_VALUES):
            raise FhirImportError(
                f"{label}: item {link_id!r} is answered with a code of {system}; use a code of {codes.ANSWER_VALUES} "
                "(the answer's value) or valueInteger/valueDecimal. Nothing was imported.",
                fr=(
                    f"{french_label(label)} : l'élément {link_id!r} est répondu avec un code de {system}; utilisez un code de "
                    f"{codes.ANSWER_VALUES} (la valeur de la réponse) ou valueInteger/valueDecimal. Rien n'a été importé."
                ),
                field=where,
            )
        try:
            return _finite(label, link_id, float(coding.get("code", "")), where)
        except ValueError:
            pass
        raise FhirImportError(
            f"{label}: item {link_id!r} is answered with code {coding.get('code')!r}, which is not a value; the code is "
            'the answer\'s value (e.g. "3"). Nothing was imported.',
            fr=(
                f"{french_label(label)} : l'élément {link_id!r} est répondu avec le code {coding.get('code')!r}, qui n'est pas "
                'une valeur; le code est la valeur de la réponse (p. ex. "3"). Rien n\'a été importé.'
            ),
            field=where,
        )
    kind = next(key for key in answer if key.startswith("value"))
    raise FhirImportError(
        f"{label}: item {link_id!r} is answered with {kind}; answer with valueInteger, valueDecimal, valueQuantity or "
        "valueCoding. Nothing was imported.",
        fr=(
            f"{french_label(label)} : l'élément {link_id!r} est répondu avec {kind}; répondez avec valueInteger, "
            "valueDecimal, valueQuantity ou valueCoding. Rien n'a été importé."
        ),
        field=where,
    )


def _finite(label: str, link_id: str, value: Any, where: tuple[str | int, ...]) -> float:
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    if not math.isfinite(number):
        raise FhirImportError(
            f"{label}: item {link_id!r} has no numeric value. Nothing was imported.",
            fr=f"{french_label(label)} : l'élément {link_id!r} n'a pas de valeur numérique. Rien n'a été importé.",
            field=where,
        )
    return number
