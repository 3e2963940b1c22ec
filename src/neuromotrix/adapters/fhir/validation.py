"""Validating resources through the fhir.resources R4B models, fast enough for a whole history (docs/fhir.md).

A bundle repeats the same elements many times: the patient reference, a category, the code of "pain before the
session", a quantity of 3 {score}, a questionnaire item answered "2". An element marked with `share` is validated
once by its own model; a resource that holds that very element (the same dict object) is then validated with the
element's validated model in its place, which pydantic accepts without validating it again. Every resource is still
built by its model, and every element in it has been validated, but each distinct element only once: this is what
keeps a 12-week export under 100 ms (docs/performance.md).
"""

from __future__ import annotations

from typing import Any


class Validator:
    """Validates resources and shared elements; keeps the shared dicts alive so their ids stay unique."""

    def __init__(self) -> None:
        self._resources = _resource_models()
        self._elements = _element_models()
        self._shared: dict[int, tuple[dict[str, Any], Any]] = {}

    def share(self, element: str, data: dict[str, Any]) -> dict[str, Any]:
        """Validate `data` as an `element` (CodeableConcept, Reference, Quantity...) once; returns it unchanged."""
        if id(data) not in self._shared:
            self._shared[id(data)] = (data, self._elements[element](data))
        return data

    def resource(self, resource: dict[str, Any]) -> Any:
        """The validated model of a resource (pydantic errors propagate: a wrong resource is a bug in the mapping)."""
        view = {key: self._swap(value) for key, value in resource.items()}
        return self._resources[resource["resourceType"]](view)

    def _swap(self, value: Any) -> Any:
        if isinstance(value, dict):
            found = self._shared.get(id(value))
            return value if found is None else found[1]
        if isinstance(value, list):
            return [self._swap(item) for item in value]
        return value


def _resource_models() -> dict[str, Any]:
    """Model validators by resource type (imported here: fhir.resources takes ~0.3 s to import)."""
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.careplan import CarePlan
    from fhir.resources.R4B.condition import Condition
    from fhir.resources.R4B.observation import Observation
    from fhir.resources.R4B.patient import Patient
    from fhir.resources.R4B.questionnaire import Questionnaire
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    models: list[Any] = [Bundle, CarePlan, Condition, Observation, Patient, Questionnaire, QuestionnaireResponse]
    return {model.__name__: model.model_validate for model in models}


def _element_models() -> dict[str, Any]:
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.observation import ObservationComponent
    from fhir.resources.R4B.quantity import Quantity
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponseItem
    from fhir.resources.R4B.reference import Reference

    models: list[Any] = [CodeableConcept, ObservationComponent, Quantity, QuestionnaireResponseItem, Reference]
    return {model.__name__: model.model_validate for model in models}
