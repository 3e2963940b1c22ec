"""A stored clinic exercise (or a catalog exercise to start from) as the values of the clinic exercise form:
the inverse of `library_form.to_document`, so that editing and saving without a change gives back the same
exercise (tests/integration/test_library_services.py checks it on the whole catalog)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from neuromotrix.entrypoints.web.pages.library_form import (
    DECIMAL,
    LANGUAGES,
    LEVEL_LIST_FIELDS,
    LIST_FIELDS,
    MIN_LEVELS,
    RULE_KEYS,
    TEXT_FIELDS,
    WHOLE,
    Values,
)


def from_document(document: Mapping[str, Any]) -> Values:
    values: Values = {}
    for name in TEXT_FIELDS:
        for language in LANGUAGES:
            values[f"{name}_{language}"] = str((document.get(name) or {}).get(language, ""))
    values["category"] = str(document.get("category", ""))
    for name in LIST_FIELDS:
        values[name] = [str(code) for code in document.get(name) or []]
    values["resisted"] = "yes" if document.get("resisted") else ""
    values["starter"] = "yes" if document.get("starter") else ""
    values["movement_s"] = _shown(document.get("movement_s", 3))
    values["start_level"] = _shown(document.get("start_level", 1))
    direction = document.get("direction") or {}
    values["direction_plane"] = str(direction.get("plane") or "")
    values["direction_semantics"] = str(direction.get("semantics") or "")
    values["direction_toward"] = str(direction.get("toward") or "")
    for language in LANGUAGES:
        values[f"cautions_{language}"] = "\n".join(
            str(item.get(language, "")) for item in document.get("cautions") or []
        )
    values["refs"] = ", ".join(document.get("refs") or [])
    rules = {key: document[key] for key in RULE_KEYS if document.get(key)}
    values["rules"] = yaml.safe_dump(rules, allow_unicode=True, sort_keys=False, width=100) if rules else ""
    levels = list(document.get("levels") or [])
    values["level_count"] = str(max(MIN_LEVELS, len(levels)))
    for row, level in enumerate(levels, start=1):
        values.update(_level_values(row, level))
    return values


def _level_values(row: int, level: Mapping[str, Any]) -> Values:
    prefix = f"level{row}_"
    dose = level.get("dose") or {}
    values: Values = {f"{prefix}position": str(level.get("position", ""))}
    for name in (*WHOLE, *DECIMAL):
        values[f"{prefix}{name}"] = _shown(dose.get(name)) if dose.get(name) else ""
    effort = dose.get("effort") or {}
    target = effort.get("target")
    values[f"{prefix}effort_scale"] = str(effort.get("scale") or "")
    values[f"{prefix}effort_target"] = (
        "-".join(_shown(part) for part in target) if isinstance(target, list | tuple) else _shown(target)
    )
    for language in LANGUAGES:
        values[f"{prefix}text_{language}"] = str((level.get("text") or {}).get(language, ""))
    for name in LEVEL_LIST_FIELDS:
        values[f"{prefix}{name}"] = [str(code) for code in level.get(name) or []]
    values[f"{prefix}variant"] = "; ".join(f"{key}: {value}" for key, value in (level.get("variant") or {}).items())
    supported = level.get("supported")
    values[f"{prefix}supported"] = "auto" if supported is None else "yes" if supported else "no"
    values[f"{prefix}supine"] = "yes" if level.get("supine") else ""
    return values


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
