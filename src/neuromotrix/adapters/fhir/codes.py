"""Code systems, canonical URLs and stable resource ids of our FHIR resources (docs/fhir.md "Identifiers")."""

from __future__ import annotations

import functools
import uuid
from typing import Any

BASE = "https://neuromotrix.org/fhir"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRE_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"

# Our own code systems: used where no standard code exists, always with a readable `display` and `text`.
PARTICIPANT_ID = f"{BASE}/NamingSystem/participant-id"
MEASURES = f"{BASE}/CodeSystem/session-measure"
EXERCISES = f"{BASE}/CodeSystem/exercise"
CONDITIONS = f"{BASE}/CodeSystem/condition"
INSTRUMENTS = f"{BASE}/CodeSystem/instrument"
SCALES = f"{BASE}/CodeSystem/instrument-scale"
ANSWER_VALUES = f"{BASE}/CodeSystem/answer-value"
QUESTIONNAIRE_BASE = f"{BASE}/Questionnaire/"

# One namespace for every id we derive, so the same record always gets the same id (re-exports replace, not add).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


@functools.lru_cache(maxsize=65_536)  # a warm export of a long history reuses its ids instead of hashing again
def resource_id(kind: str, *key: object) -> str:
    """A stable id for a record: the same participant, program or log always maps to the same UUID."""
    return str(uuid.uuid5(NAMESPACE, "/".join([kind, *(str(part) for part in key)])))


def urn(identifier: str) -> str:
    return f"urn:uuid:{identifier}"


def patient_id(participant_id: int) -> str:
    return resource_id("Patient", participant_id)


def patient_reference(participant_id: int) -> dict[str, str]:
    return {"reference": urn(patient_id(participant_id))}


def questionnaire_url(instrument_key: str) -> str:
    """The canonical URL of an instrument's Questionnaire; a QuestionnaireResponse names it (with `|version`)."""
    return QUESTIONNAIRE_BASE + instrument_key


def number_code(value: float) -> str:
    """An answer value as a code: 3.0 → "3", 0.5 → "0.5" (what `answer-value` codes look like)."""
    return f"{value:g}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def quantity(value: float, unit: str | None) -> dict[str, Any]:
    """A UCUM quantity; a score without a physical unit is the UCUM annotation `{score}`."""
    code = unit or "{score}"
    return {"value": value, "unit": code, "system": UCUM, "code": code}


def french(text: str) -> dict[str, Any]:
    """The French version of a string element, as the standard translation extension (`_element`)."""
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [{"url": "lang", "valueCode": "fr"}, {"url": "content", "valueString": text}],
            }
        ]
    }
