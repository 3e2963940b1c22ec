"""Every error the application raises on purpose carries a French text next to its English one.

The scan reads src/neuromotrix: each call that builds a NeuroMotrixError (or a subclass, wherever it is declared)
must pass `fr=`, except the classes that word their own message in both languages. The other tests check that
wording, and the French of pydantic's validation messages and of the profile validation report.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from neuromotrix.domain.errors import NOT_FOUND_FR, Conflict, InvalidRequest, NotFound, ProfileError, RateLimited
from neuromotrix.domain.validation_fr import SUPPORTED_TYPES, french_message
from neuromotrix.services.intake import IntakeInvalidError
from neuromotrix.services.intake_document import Problem as IntakeProblem
from neuromotrix.services.library import ExerciseDocumentError
from neuromotrix.services.library import Problem as ExerciseProblem
from neuromotrix.services.profiles import profile_from_document

SOURCE = Path(__file__).resolve().parents[2] / "src" / "neuromotrix"


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    name: str
    call: ast.Call | None  # None: the class itself is raised (`raise Conflict`)

    def __str__(self) -> str:
        return f"{self.path.relative_to(SOURCE.parent)}:{self.line} {self.name}"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SOURCE.rglob("*.py"))}


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """NeuroMotrixError and every class deriving from it, by name, across the whole package."""
    names = {"NeuroMotrixError"}
    grown = True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                known = isinstance(node, ast.ClassDef) and node.name in names
                if isinstance(node, ast.ClassDef) and not known and any(_name(b) in names for b in node.bases):
                    names.add(node.name)
                    grown = True
    return names


def _self_worded(trees: dict[Path, ast.Module], classes: set[str]) -> dict[str, bool]:
    """The error classes whose own `__init__` words the message (it takes no `fr`), and whether that wording
    passes French on (`super().__init__(..., fr=...)`)."""
    found: dict[str, bool] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ClassDef) and node.name in classes):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    parameters = {argument.arg for argument in [*item.args.args, *item.args.kwonlyargs]}
                    if "fr" not in parameters:
                        found[node.name] = any(
                            isinstance(call, ast.Call)
                            and isinstance(call.func, ast.Attribute)
                            and call.func.attr == "__init__"
                            and any(keyword.arg == "fr" for keyword in call.keywords)
                            for call in ast.walk(item)
                        )
    return found


TREES = _trees()
CLASSES = _error_classes(TREES)
SELF_WORDED = _self_worded(TREES, CLASSES)


def _sites() -> Iterator[Site]:
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in CLASSES:
                yield Site(path, node.lineno, str(_name(node.func)), node)
            elif isinstance(node, ast.Raise) and node.exc is not None and _name(node.exc) in CLASSES:
                yield Site(path, node.lineno, str(_name(node.exc)), None)


SITES = list(_sites())


def test_the_scan_finds_the_raise_sites() -> None:
    assert len(SITES) > 250
    assert {"InvalidRequest", "Conflict", "Forbidden", "AuthError", "ProfileError", "NotFound"} <= {
        site.name for site in SITES
    }


def _missing_french(site: Site) -> str | None:
    if site.call is None:
        return None if site.name in SELF_WORDED else "raised as a bare class: build it with a message and fr="
    if site.name == "NotFound":
        what = site.call.args[0] if site.call.args else None
        if any(keyword.arg == "fr_what" for keyword in site.call.keywords):
            return None
        if isinstance(what, ast.Constant) and what.value not in NOT_FOUND_FR:
            return f"NotFound({what.value!r}): add the noun to NOT_FOUND_FR (domain/errors.py) or pass fr_what="
        if isinstance(what, ast.JoinedStr):
            return "NotFound with a built `what`: pass fr_what= (the French subject)"
        return None
    if site.name in SELF_WORDED:
        return None
    french = next((keyword.value for keyword in site.call.keywords if keyword.arg == "fr"), None)
    if french is None or (isinstance(french, ast.Constant) and french.value is None):
        return "no fr= (French message)"
    english = site.call.args[0] if site.call.args else None
    if isinstance(french, ast.Constant) and isinstance(english, ast.Constant) and french.value == english.value:
        return "fr= repeats the English text"
    return None


def test_classes_that_word_their_own_message_give_french_too() -> None:
    assert {"NotFound", "RateLimited", "IntakeInvalidError", "ExerciseDocumentError"} <= set(SELF_WORDED)
    assert not [name for name, french in SELF_WORDED.items() if not french], "their __init__ must pass fr="


def test_every_raised_error_has_french() -> None:
    problems = [f"{site}: {problem}" for site in SITES if (problem := _missing_french(site)) is not None]
    assert not problems, "Errors without French:\n" + "\n".join(problems)


def test_text_gives_the_language_asked_for_and_english_otherwise() -> None:
    error = Conflict("Already done.", fr="Déjà fait.")
    assert (str(error), error.text("en"), error.text("fr")) == ("Already done.", "Already done.", "Déjà fait.")
    assert Conflict("Only English.").text("fr") == "Only English."
    invalid = InvalidRequest("Bad.", fr="Mauvais.", field=("a", 1), where="query")
    assert (invalid.field, invalid.where, invalid.text("fr")) == (("a", 1), "query", "Mauvais.")


@pytest.mark.parametrize("what", sorted(NOT_FOUND_FR))
def test_not_found_words_each_noun_in_french(what: str) -> None:
    error = NotFound(what)
    assert str(error) == f"No such {what}, or you may not see it. Check the identifier."
    assert error.text("fr") == (
        f"{NOT_FOUND_FR[what]} est introuvable, ou vous n'y avez pas accès. Vérifiez l'identifiant."
    )
    assert NotFound(f"user {what}", fr_what=f"L'utilisateur {what}").text("fr").startswith(f"L'utilisateur {what} ")


@given(st.integers(min_value=1, max_value=86_400))
def test_rate_limited_says_how_long_in_both_languages(seconds: int) -> None:
    error = RateLimited(seconds)
    assert str(error) == f"Too many attempts. Wait {seconds} seconds and try again."
    assert error.text("fr") == f"Trop de tentatives. Attendez {seconds} secondes, puis réessayez."


def test_self_worded_errors_have_french() -> None:
    intake = IntakeInvalidError([IntakeProblem("email", "email_taken")])
    assert intake.fr == "email : email_taken"
    refs = ExerciseDocumentError([ExerciseProblem(("refs",), "unknown_refs", "unknown", {}, "inconnues")])
    assert refs.text("fr") == "refs : inconnues"
    too_big = ExerciseDocumentError([ExerciseProblem(("levels", 0, "reps"), "less_than_equal", "Input...", {"le": 30})])
    assert too_big.text("fr") == "levels.0.reps : La valeur doit être inférieure ou égale à 30"


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=1, le=10)
    name: str = Field(min_length=2, max_length=4)
    items: list[int] = Field(min_length=1, max_length=2)


def _errors(data: object) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data)
    return caught.value.errors()


def test_pydantic_messages_have_french_with_their_values() -> None:
    found = {
        item["type"]: french_message(item["type"], item.get("ctx"), item["msg"])
        for data in ({"count": 0, "name": "x", "items": [], "other": 1}, {"count": 11, "name": "abcde", "items": [1, 2, 3]})
        for item in _errors(data)
    }  # fmt: skip
    assert found == {
        "greater_than_equal": "La valeur doit être supérieure ou égale à 1",
        "less_than_equal": "La valeur doit être inférieure ou égale à 10",
        "string_too_short": "La chaîne doit compter au moins 2 caractères",
        "string_too_long": "La chaîne doit compter au plus 4 caractères",
        "too_short": "La liste doit compter au moins 1 élément, et non 0",
        "too_long": "La liste doit compter au plus 2 éléments, et non 3",
        "extra_forbidden": "Champ non permis : retirez-le ou vérifiez son orthographe",
    }
    assert (
        french_message("literal_error", {"expected": "'a', 'b' or 'c'"}, "x") == "La valeur doit être 'a', 'b' ou 'c'"
    )
    assert french_message("value_error", {"error": Conflict("No.", fr="Non.")}, "x") == "Valeur non valide : Non."
    assert french_message("some_future_type", None, "English as it was") == "English as it was"


def test_the_types_the_api_promises_are_all_worded() -> None:
    promised = {
        "missing", "extra_forbidden", "int_parsing", "int_type", "float_parsing", "bool_parsing", "string_type",
        "string_too_short", "string_too_long", "greater_than", "greater_than_equal", "less_than", "less_than_equal",
        "literal_error", "enum", "date_parsing", "date_from_datetime_parsing", "datetime_parsing", "json_invalid",
        "list_type", "dict_type", "too_short", "too_long", "value_error",
    }  # fmt: skip
    assert promised <= SUPPORTED_TYPES


def test_the_profile_report_is_worded_in_french_field_by_field() -> None:
    import datetime as dt

    document = {"conditions": [{"kind": "parkinson", "hoehn_yahr": "x"}], "colour": "blue"}
    with pytest.raises(ProfileError) as caught:
        profile_from_document(document, source="p.yaml", today=dt.date(2026, 1, 5))
    english, french = str(caught.value), caught.value.text("fr")
    assert english.startswith("p.yaml: the profile is not valid (")
    assert french.startswith("p.yaml : le profil n'est pas valide (")
    assert english.count("\n  - ") == french.count("\n  - ") >= 2
    assert "colour : champ inconnu." in french
    assert french.endswith("pour chaque champ et ses valeurs permises.")
