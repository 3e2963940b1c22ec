"""Reading a profile document (YAML or JSON) into a validated Profile, with errors a kinesiologist can act on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.domain.errors import ProfileError
from neuromotrix.domain.profile import Profile, resolve_start
from neuromotrix.domain.validation_fr import french_choices, french_message

CONDITION_KINDS = frozenset({"dystonia", "parkinson", "cerebral_palsy"})


def parse_document(text: str, *, source: str) -> Any:
    """JSON when the source ends in .json, else YAML (a superset of JSON)."""
    try:
        if source.endswith(".json"):
            return json.loads(text)
        return load_yaml(text)
    except json.JSONDecodeError as error:
        raise ProfileError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}. "
            "Fix the syntax and run again.",
            fr=(
                f"{source} : JSON non valide (ligne {error.lineno}, colonne {error.colno}) : {error.msg}. "
                "Corrigez la syntaxe et relancez."
            ),
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        where_fr = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ProfileError(
            f"{source}: not valid YAML{where}: {problem}. Fix the syntax and run again.",
            fr=f"{source} : YAML non valide{where_fr} : {problem}. Corrigez la syntaxe et relancez.",
        ) from error


def profile_from_document(document: Any, *, source: str, today: dt.date) -> Profile:
    if not isinstance(document, dict):
        raise ProfileError(
            f"{source}: a profile is a mapping of fields (at least `conditions`), got {type(document).__name__}.",
            fr=(
                f"{source} : un profil est un ensemble de champs (au moins `conditions`), reçu {type(document).__name__}."
            ),
        )
    try:
        profile = Profile.model_validate(document)
    except ValidationError as error:
        raise ProfileError(
            format_validation_error(error, source), fr=format_validation_error(error, source, "fr")
        ) from error
    profile = resolve_start(profile, today)
    _check_dates(profile, source)
    return profile


def load_profile(path: Path, *, today: dt.date) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ProfileError(
            f"{path}: no such file. Give the path of a profile (.yaml or .json).",
            fr=f"{path} : fichier introuvable. Donnez le chemin d'un profil (.yaml ou .json).",
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(
            f"{path}: cannot be read as UTF-8 text ({error}).",
            fr=f"{path} : ne peut pas être lu comme du texte UTF-8 ({error}).",
        ) from error
    return profile_from_document(parse_document(text, source=str(path)), source=str(path), today=today)


def _check_dates(profile: Profile, source: str) -> None:
    start = profile.start_on
    if profile.birth_year is not None and profile.birth_year > start.year:
        raise ProfileError(
            f"{source}: birth_year: {profile.birth_year} is after the start year {start.year}; "
            "give the year of birth (YYYY).",
            fr=(
                f"{source} : birth_year : {profile.birth_year} est après l'année de début {start.year}; "
                "donnez l'année de naissance (AAAA)."
            ),
        )


def field_path(location: tuple[int | str, ...]) -> str:
    """conditions.0.dystonia.regions.1 -> conditions[0].regions[1] (drops pydantic's union tag)."""
    parts: list[str] = []
    previous: int | str | None = None
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif isinstance(previous, int) and part in CONDITION_KINDS:
            pass  # discriminated-union tag, not a field
        elif part.startswith("function-") or part in {"list[...]", "tuple[...]"}:
            pass
        else:
            parts.append(f".{part}" if parts else part)
        previous = part
    return "".join(parts) or "(top level)"


def format_validation_error(error: ValidationError, source: str, language: str = "en") -> str:
    """Every problem of the profile, one per line with its field path, in `language` (`en` or `fr`)."""
    items = _meaningful(error.errors())
    french = language == "fr"
    if french:
        lines = [f"{source} : le profil n'est pas valide ({len(items)} problème(s)) :"]
    else:
        lines = [f"{source}: the profile is not valid ({len(items)} problem(s)):"]
    for item in items:
        path = field_path(tuple(item["loc"]))
        explained = _explain_fr(item, path) if french else _explain(item, path)
        lines.append(f"  - {path}{' :' if french else ':'} {explained}")
    if french:
        lines.append(
            "Voyez docs/profile.md (ou `neuromotrix schema profile`) pour chaque champ et ses valeurs permises."
        )
    else:
        lines.append("See docs/profile.md (or `neuromotrix schema profile`) for every field and its allowed values.")
    return "\n".join(lines)


def _meaningful(items: list[Any]) -> list[Any]:
    """Drop a list's "too short" echo of its own items' errors (pydantic reports both)."""
    locations = [tuple(item["loc"]) for item in items]
    return [
        item
        for item in items
        if not (
            item["type"] == "too_short"
            and any(
                other[: len(item["loc"])] == tuple(item["loc"]) and other != tuple(item["loc"]) for other in locations
            )
        )
    ]


def _explain(item: Any, path: str) -> str:
    kind = item["type"]
    given = item.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(path)
        hint = f" Allowed fields here: {', '.join(allowed)}." if allowed else ""
        return f"unknown field.{hint} Check the spelling; unknown fields are refused so no safety field is lost."
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{given!r} is not allowed. Allowed values: {expected}."
    if kind == "union_tag_invalid":
        tag = given.get("kind") if isinstance(given, dict) else given
        return f"kind {tag!r} is not known. Allowed values: dystonia, parkinson, cerebral_palsy."
    if kind in {"bool_type", "bool_parsing"}:
        return f"{given!r} is not allowed. Allowed values: true, false."
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{given!r} is not a whole number. Give a number such as 3."
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        return f"{given!r} is not a valid date. Give a real calendar date as YYYY-MM-DD."
    if kind == "missing":
        return "this field is required."
    return f"{item['msg']} (given: {given!r})."


def _explain_fr(item: Any, path: str) -> str:
    """The French of `_explain`, case for case."""
    kind = item["type"]
    given = item.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(path)
        hint = f" Champs permis ici : {', '.join(allowed)}." if allowed else ""
        return (
            f"champ inconnu.{hint} Vérifiez l'orthographe; les champs inconnus sont refusés pour qu'aucun champ "
            "de sécurité ne se perde."
        )
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{given!r} n'est pas permis. Valeurs permises : {french_choices(expected)}."
    if kind == "union_tag_invalid":
        tag = given.get("kind") if isinstance(given, dict) else given
        return f"le type (kind) {tag!r} est inconnu. Valeurs permises : dystonia, parkinson, cerebral_palsy."
    if kind in {"bool_type", "bool_parsing"}:
        return f"{given!r} n'est pas permis. Valeurs permises : true, false."
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{given!r} n'est pas un nombre entier. Donnez un nombre comme 3."
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        return f"{given!r} n'est pas une date valide. Donnez une vraie date du calendrier, au format AAAA-MM-JJ."
    if kind == "missing":
        return "ce champ est obligatoire."
    return f"{french_message(kind, item.get('ctx'), item['msg'])} (valeur donnée : {given!r})."


def _allowed_fields(path: str) -> list[str]:
    """Walk the profile JSON Schema along `path` to list the fields allowed at its parent."""
    schema = Profile.model_json_schema(by_alias=True)
    definitions = schema.get("$defs", {})
    node: dict[str, Any] = schema
    segments = [segment for segment in path.replace("[", ".[").split(".") if segment][:-1]
    for segment in segments:
        node = _resolve(node, definitions)
        if segment.startswith("["):
            node = node.get("items", {})
            continue
        node = node.get("properties", {}).get(segment, {})
    node = _resolve(node, definitions)
    return sorted(node.get("properties", {}))


def _resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in node:
            node = definitions[node["$ref"].split("/")[-1]]
        elif "anyOf" in node or "oneOf" in node:
            options = [option for option in node.get("anyOf", node.get("oneOf", [])) if option.get("type") != "null"]
            if len(options) != 1:
                return node
            node = options[0]
        else:
            return node
