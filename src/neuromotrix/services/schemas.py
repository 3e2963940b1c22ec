"""JSON Schemas of the public contracts (PRODUCT.md "Contracts")."""

from __future__ import annotations

import json
from typing import Any

from neuromotrix.domain.plan import Plan
from neuromotrix.domain.profile import Profile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def contract_schema(contract: str) -> dict[str, Any]:
    if contract == "profile":
        schema = Profile.model_json_schema(by_alias=True, mode="validation")
        title, description = "NeuroMotrix profile", "A person's health profile (the profile contract)."
    elif contract == "plan":
        schema = Plan.model_json_schema(by_alias=True, mode="serialization")
        title, description = (
            "NeuroMotrix plan",
            "What `neuromotrix plan --format json` prints (the plan contract).",
        )
    else:
        raise ValueError(f"unknown contract {contract!r}; use profile or plan")
    return {"$schema": SCHEMA_DIALECT, "title": title, "description": description, **_without_title(schema)}


def _without_title(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in {"title", "description"}}


def schema_json(contract: str) -> str:
    return json.dumps(contract_schema(contract), indent=2, ensure_ascii=False)
