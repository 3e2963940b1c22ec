"""French wording of pydantic's validation messages, keyed by their stable `type` and filled from their `ctx`.

Pydantic words its messages in English only. The API keeps each error's `type` and `loc` as they are (clients key
on them) and, for a French reader, replaces `msg` with the text below. A type not listed keeps pydantic's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _plural(count: Any, one: str, many: str) -> str:
    return one if str(count) in {"0", "1"} else many


def french_choices(expected: Any) -> str:
    """Pydantic lists choices as "'a', 'b' or 'c'"; French joins the last one with « ou »."""
    text = str(expected)
    head, sep, tail = text.rpartition(" or ")
    return f"{head} ou {tail}" if sep else text


def _detail(ctx: Mapping[str, Any]) -> str:
    """The `error` of a ctx: a domain error gives its French text; other details are passed on as they are."""
    error = ctx.get("error", "")
    text = getattr(error, "text", None)
    return str(text("fr")) if callable(text) else str(error)


_FRENCH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda c: "Champ obligatoire",
    "extra_forbidden": lambda c: "Champ non permis : retirez-le ou vérifiez son orthographe",
    "int_parsing": lambda c: "La valeur doit être un nombre entier; ce texte ne se lit pas comme un entier",
    "int_type": lambda c: "La valeur doit être un nombre entier",
    "int_from_float": lambda c: "La valeur doit être un nombre entier, sans partie décimale",
    "float_parsing": lambda c: "La valeur doit être un nombre; ce texte ne se lit pas comme un nombre",
    "float_type": lambda c: "La valeur doit être un nombre",
    "bool_parsing": lambda c: "La valeur doit être un booléen (true ou false); elle ne se lit pas comme tel",
    "bool_type": lambda c: "La valeur doit être un booléen (true ou false)",
    "string_type": lambda c: "La valeur doit être une chaîne de caractères",
    "string_too_short": lambda c: (
        f"La chaîne doit compter au moins {c.get('min_length')} "
        f"{_plural(c.get('min_length'), 'caractère', 'caractères')}"
    ),
    "string_too_long": lambda c: (
        f"La chaîne doit compter au plus {c.get('max_length')} "
        f"{_plural(c.get('max_length'), 'caractère', 'caractères')}"
    ),
    "string_pattern_mismatch": lambda c: f"La chaîne doit correspondre au motif {c.get('pattern')!r}",
    "greater_than": lambda c: f"La valeur doit être supérieure à {c.get('gt')}",
    "greater_than_equal": lambda c: f"La valeur doit être supérieure ou égale à {c.get('ge')}",
    "less_than": lambda c: f"La valeur doit être inférieure à {c.get('lt')}",
    "less_than_equal": lambda c: f"La valeur doit être inférieure ou égale à {c.get('le')}",
    "literal_error": lambda c: f"La valeur doit être {french_choices(c.get('expected', ''))}",
    "enum": lambda c: f"La valeur doit être {french_choices(c.get('expected', ''))}",
    "date_type": lambda c: "La valeur doit être une date valide (AAAA-MM-JJ)",
    "date_parsing": lambda c: "La valeur doit être une date valide au format AAAA-MM-JJ",
    "date_from_datetime_parsing": lambda c: "La valeur doit être une date (AAAA-MM-JJ) ou une date et heure valide",
    "date_from_datetime_inexact": lambda c: "Une date et heure donnée pour une date doit avoir une heure nulle",
    "datetime_type": lambda c: "La valeur doit être une date et heure valide",
    "datetime_parsing": lambda c: "La valeur doit être une date et heure valide (AAAA-MM-JJTHH:MM:SS)",
    "datetime_from_date_parsing": lambda c: "La valeur doit être une date et heure ou une date valide",
    "json_invalid": lambda c: f"JSON non valide : {_detail(c)}",
    "json_type": lambda c: "La valeur doit être du JSON",
    "list_type": lambda c: "La valeur doit être une liste",
    "dict_type": lambda c: "La valeur doit être un objet (dictionnaire)",
    "model_type": lambda c: "La valeur doit être un objet",
    "model_attributes_type": lambda c: "La valeur doit être un objet",
    "too_short": lambda c: (
        f"La liste doit compter au moins {c.get('min_length')} "
        f"{_plural(c.get('min_length'), 'élément', 'éléments')}, et non {c.get('actual_length')}"
    ),
    "too_long": lambda c: (
        f"La liste doit compter au plus {c.get('max_length')} "
        f"{_plural(c.get('max_length'), 'élément', 'éléments')}, et non {c.get('actual_length')}"
    ),
    "uuid_parsing": lambda c: "La valeur doit être un UUID valide",
    "union_tag_invalid": lambda c: (
        f"Valeur de discriminant inconnue; valeurs permises : {french_choices(c.get('expected_tags', ''))}"
    ),
    "value_error": lambda c: f"Valeur non valide : {_detail(c)}",
}

SUPPORTED_TYPES = frozenset(_FRENCH)


def french_message(kind: str, ctx: Mapping[str, Any] | None, english: str) -> str:
    """The French text of a pydantic error of type `kind`; `english` (pydantic's own) for an unlisted type."""
    word = _FRENCH.get(kind)
    return word(ctx or {}) if word is not None else english
