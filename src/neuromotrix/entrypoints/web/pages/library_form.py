"""The clinic exercise form: the posted fields as the catalog document (the other way round is
library_form_values.py; the catalog model's problems, worded per field, library_form_problems.py).

The form carries the whole catalog entry: texts in English and French; category, conditions, regions, roles,
goals, equipment, trigger tasks and painful movements; resistance, starter, movement time and start level; the
neck direction; cautions (one per line, in both languages); references; the levels (position, dose, effort,
variant, support, equipment, tasks and text), one fieldset per level; and the rules (indication and
contraindications) written as in the catalog files (YAML). Checking the shape of each value (a number, a choice
from a list, a text in both languages) happens here; what makes an exercise valid is the catalog's own model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from starlette.datastructures import FormData

from neuromotrix.adapters.i18n import Translator
from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.domain.vocab import CATEGORIES, POSITIONS
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.library_words import WORDS

MIN_LEVELS = 3
MAX_LEVELS = 10
LANGUAGES = ("en", "fr")
TEXT_FIELDS = ("name", "purpose", "instructions")
LIST_FIELDS = {  # form field → vocabulary (library_words group)
    "conditions": "condition",
    "regions": "region",
    "roles": "role",
    "goals": "goal",
    "equipment": "equipment",
    "tasks": "task",
    "movements": "movement",
}
LEVEL_LIST_FIELDS = {"equipment": "equipment", "tasks": "task"}
WHOLE = ("sets", "reps", "hold_s", "rest_s")
DECIMAL = ("minutes", "continuous_minutes")
RULE_KEYS = ("indication", "contraindications")
Values = dict[str, str | list[str]]


def read_values(form: FormData) -> Values:
    """Every posted text field; fields that repeat (checkboxes) as lists."""
    values: Values = {}
    for name in form:
        items = [item for item in form.getlist(name) if isinstance(item, str)]
        values[name] = items if _is_list(name) else (items[-1] if items else "")
    return values


def _is_list(name: str) -> bool:
    if name in LIST_FIELDS:
        return True
    match = re.fullmatch(r"level\d+_(\w+)", name)
    return match is not None and match.group(1) in LEVEL_LIST_FIELDS


def text(values: Mapping[str, str | list[str]], name: str) -> str:
    found = values.get(name, "")
    return found.strip() if isinstance(found, str) else ""


def chosen(values: Mapping[str, str | list[str]], name: str) -> list[str]:
    found = values.get(name, [])
    return [found] if isinstance(found, str) and found else list(found) if isinstance(found, list) else []


def level_count(values: Mapping[str, str | list[str]]) -> int:
    """How many level fieldsets the form shows: what was posted (at least 3)."""
    given = text(values, "level_count")
    count = int(given) if given.isdigit() else MIN_LEVELS
    return max(MIN_LEVELS, min(MAX_LEVELS, count))


@dataclass
class Parsed:
    document: dict[str, Any]
    errors: FormErrors
    level_rows: list[int] = field(default_factory=list)  # the form's level number of each document level


class _Reader:
    def __init__(self, values: Mapping[str, str | list[str]], tr: Translator) -> None:
        self.values = values
        self.tr = tr
        self.errors = FormErrors()

    def texts(self, name: str, *, labels: Mapping[str, str], target: str | None = None) -> dict[str, str]:
        found = {language: text(self.values, f"{name}_{language}") for language in LANGUAGES}
        for language in LANGUAGES:
            if not found[language]:
                self.errors.add(f"{name}_{language}", labels[language], target=target)
        return found

    def choices(self, name: str, group: str, *, target_name: str | None = None) -> list[str]:
        allowed = WORDS[group]
        picked = chosen(self.values, name)
        if any(code not in allowed for code in picked):
            first = next(iter(allowed))
            self.errors.add(
                target_name or name, self.tr.gettext("Choose from the list."), target=f"{target_name or name}-{first}"
            )
        return [code for code in allowed if code in picked]

    def number(self, name: str, label: str, *, whole: bool) -> int | float | None:
        raw = text(self.values, name).replace(",", ".").replace(" ", "")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if value != value or (whole and not value.is_integer()):
            message = (
                self.tr.gettext("%(what)s: enter a whole number, like 2.", what=label)
                if whole
                else self.tr.gettext("%(what)s: enter a number, like 2 or 2.5.", what=label)
            )
            self.errors.add(name, message)
            return None
        return int(value) if value.is_integer() else value


def to_document(values: Mapping[str, str | list[str]], tr: Translator) -> Parsed:
    """The catalog document the form describes, and what is wrong with its shape (the model checks the rest)."""
    read = _Reader(values, tr)
    document: dict[str, Any] = {}
    document["name"] = read.texts(
        "name", labels={"en": tr.gettext("Enter the name in English."), "fr": tr.gettext("Enter the name in French.")}
    )
    category = text(values, "category")
    if category not in CATEGORIES:
        read.errors.add("category", tr.gettext("Choose the category of the exercise."))
    document["category"] = category
    document["purpose"] = read.texts(
        "purpose",
        labels={"en": tr.gettext("Enter the purpose in English."), "fr": tr.gettext("Enter the purpose in French.")},
    )
    document["instructions"] = read.texts(
        "instructions",
        labels={
            "en": tr.gettext("Enter the instructions in English."),
            "fr": tr.gettext("Enter the instructions in French."),
        },
    )
    for name, group in LIST_FIELDS.items():
        document[name] = read.choices(name, group)
    if not document["conditions"]:
        read.errors.add(
            "conditions", tr.gettext("Choose at least one condition the exercise is for."), target="conditions-dystonia"
        )
    if not document["roles"]:
        document["roles"] = ["main"]
    document["resisted"] = text(values, "resisted") == "yes"
    document["starter"] = text(values, "starter") == "yes"
    for name, label, default in (
        ("movement_s", tr.gettext("Movement time per repetition"), 3),
        ("start_level", tr.gettext("Start level"), 1),
    ):
        number = read.number(name, label, whole=True)
        document[name] = default if number is None else number
    document["direction"] = _direction(read)
    document["cautions"] = _cautions(read)
    document["refs"] = [key for key in re.split(r"[\s,;]+", text(values, "refs")) if key]
    if not document["refs"]:
        read.errors.add("refs", tr.gettext("Give at least one reference key of the catalog bibliography, like R3."))
    document.update(_rules(read))
    levels, rows = _levels(read)
    document["levels"] = levels
    return Parsed(document, read.errors, rows)


def _direction(read: _Reader) -> dict[str, Any] | None:
    plane = text(read.values, "direction_plane")
    if not plane:
        return None
    if plane not in WORDS["plane"]:
        read.errors.add("direction_plane", read.tr.gettext("Choose a plane from the list, or none."))
        return None
    semantics = text(read.values, "direction_semantics") or "counter"
    toward = text(read.values, "direction_toward") or None
    if semantics not in WORDS["semantics"] or (toward is not None and toward not in WORDS["toward"]):
        read.errors.add("direction_semantics", read.tr.gettext("Choose the kind of direction from the list."))
    return {"plane": plane, "semantics": semantics, "toward": toward}


def _cautions(read: _Reader) -> list[dict[str, str]]:
    lines = {language: _lines(text(read.values, f"cautions_{language}")) for language in LANGUAGES}
    if len(lines["en"]) != len(lines["fr"]):
        read.errors.add(
            "cautions_fr",
            read.tr.gettext(
                "Give each caution in both languages, one per line: there are %(en)s in English and %(fr)s in French.",
                en=len(lines["en"]),
                fr=len(lines["fr"]),
            ),
        )
    return [{"en": en, "fr": fr} for en, fr in zip(lines["en"], lines["fr"], strict=False)]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _rules(read: _Reader) -> dict[str, Any]:
    raw = text(read.values, "rules")
    if not raw:
        return {}
    message = read.tr.gettext(
        "Write the rules as in the catalog files: YAML with `indication` and `contraindications` only. Check the example in the hint."
    )
    try:
        parsed = load_yaml(raw)
    except yaml.YAMLError:
        read.errors.add("rules", message)
        return {}
    if not isinstance(parsed, dict) or not set(parsed) <= set(RULE_KEYS):
        read.errors.add("rules", message)
        return {}
    return {key: parsed[key] for key in RULE_KEYS if key in parsed}


def _levels(read: _Reader) -> tuple[list[dict[str, Any]], list[int]]:
    levels: list[dict[str, Any]] = []
    rows: list[int] = []
    count = level_count(read.values)
    for row in range(1, count + 1):
        prefix = f"level{row}_"
        if _blank_level(read.values, prefix):
            continue
        levels.append(_level(read, row, prefix))
        rows.append(row)
    if len(levels) < MIN_LEVELS:
        first_blank = next((row for row in range(1, count + 1) if row not in rows), 1)
        read.errors.add(
            "levels",
            read.tr.gettext(
                "Give at least %(count)s levels: the exercise's ladder, from the easiest.", count=MIN_LEVELS
            ),
            target=f"level{first_blank}_position",
        )
    return levels, rows


def _blank_level(values: Mapping[str, str | list[str]], prefix: str) -> bool:
    for name, value in values.items():
        if not name.startswith(prefix) or name.endswith("_supported"):
            continue
        if value and (value != "auto"):
            return False
    return True


def _level(read: _Reader, row: int, prefix: str) -> dict[str, Any]:
    tr = read.tr
    position = text(read.values, f"{prefix}position")
    if position not in POSITIONS:
        read.errors.add(f"{prefix}position", tr.gettext("Level %(n)s: choose the position.", n=row))
    level: dict[str, Any] = {"position": position}
    dose: dict[str, Any] = {}
    for name in (*WHOLE, *DECIMAL):
        number = read.number(f"{prefix}{name}", dose_label(tr, row, name), whole=name in WHOLE)
        if number is not None:
            dose[name] = number
    effort = _effort(read, row, prefix)
    if effort is not None:
        dose["effort"] = effort
    level["dose"] = dose
    level["text"] = read.texts(
        f"{prefix}text",
        labels={
            "en": tr.gettext("Level %(n)s: describe the level in English.", n=row),
            "fr": tr.gettext("Level %(n)s: describe the level in French.", n=row),
        },
    )
    for name, group in LEVEL_LIST_FIELDS.items():
        picked = read.choices(f"{prefix}{name}", group)
        if picked:
            level[name] = picked
    variant = _variant(read, row, prefix)
    if variant:
        level["variant"] = variant
    supported = text(read.values, f"{prefix}supported")
    if supported in ("yes", "no"):
        level["supported"] = supported == "yes"
    if text(read.values, f"{prefix}supine") == "yes":
        level["supine"] = True
    return level


def dose_label(tr: Translator, row: int, name: str) -> str:
    labels = {
        "sets": tr.gettext("Level %(n)s, sets", n=row),
        "reps": tr.gettext("Level %(n)s, repetitions", n=row),
        "hold_s": tr.gettext("Level %(n)s, hold in seconds", n=row),
        "rest_s": tr.gettext("Level %(n)s, rest in seconds", n=row),
        "minutes": tr.gettext("Level %(n)s, minutes", n=row),
        "continuous_minutes": tr.gettext("Level %(n)s, continuous minutes", n=row),
    }
    return labels[name]


def _effort(read: _Reader, row: int, prefix: str) -> dict[str, Any] | None:
    scale = text(read.values, f"{prefix}effort_scale")
    raw = text(read.values, f"{prefix}effort_target").replace(",", ".").replace("–", "-").replace(" ", "")
    if not scale and not raw:
        return None
    if scale not in WORDS["scale"]:
        read.errors.add(
            f"{prefix}effort_scale",
            read.tr.gettext("Level %(n)s: choose the effort scale, or clear the effort target.", n=row),
        )
        return None
    parts = raw.split("-") if raw else []
    numbers = [_number(part) for part in parts]
    if not parts or len(parts) > 2 or any(number is None for number in numbers):
        read.errors.add(
            f"{prefix}effort_target",
            read.tr.gettext(
                "Level %(n)s: write the effort target as one number, like 3, or low-high, like 1-2.", n=row
            ),
        )
        return None
    target: Any = numbers[0] if len(numbers) == 1 else numbers
    return {"scale": scale, "target": target}


def _number(value: str) -> int | float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _variant(read: _Reader, row: int, prefix: str) -> dict[str, str]:
    raw = text(read.values, f"{prefix}variant")
    found: dict[str, str] = {}
    for part in (piece.strip() for piece in re.split(r"[;\n]+", raw)):
        if not part:
            continue
        key, separator, value = part.partition(":")
        if not separator or not key.strip() or not value.strip():
            read.errors.add(
                f"{prefix}variant",
                read.tr.gettext(
                    "Level %(n)s: write each variant as name: value, separated by semicolons, like range: smaller.",
                    n=row,
                ),
            )
            return {}
        found[key.strip()] = value.strip()
    return found
