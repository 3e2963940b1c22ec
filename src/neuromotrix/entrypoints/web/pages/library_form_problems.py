"""The catalog model's problems with a clinic exercise (`services/library.validate_document`), each worded on
its form field in the reader's language: the field the error summary links to, and a message that says what to
change. Problems the form itself already reports (a missing text, a number that is not one) never reach here."""

from __future__ import annotations

import re
from collections.abc import Iterable

from neuromotrix.adapters.i18n import Translator
from neuromotrix.domain.exercise import VARIANT_KEYS
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.library_form import (
    LIST_FIELDS,
    MIN_LEVELS,
    RULE_KEYS,
    TEXT_FIELDS,
    Parsed,
    dose_label,
)
from neuromotrix.entrypoints.web.pages.library_words import WORDS
from neuromotrix.services.library import Problem

DOSE_TARGETS = {"sets", "reps", "hold_s", "rest_s", "minutes", "continuous_minutes"}
LEVEL_STEPS = re.compile(r"levels (\d+) and (\d+) must differ in exactly one variable, they differ in (.*)$")


def add_problems(errors: FormErrors, problems: Iterable[Problem], parsed: Parsed, tr: Translator) -> None:
    """Each problem of the model as an error on its field, in the reader's language."""
    problems = list(problems)
    in_levels = any(problem.path[:1] == ("levels",) and len(problem.path) > 1 for problem in problems)
    for problem in problems:
        if problem.path == ("levels",) and in_levels:
            continue  # "fewer than 3 valid levels" only repeats what is wrong in a level
        name, message = _worded(problem, parsed, tr)
        if name not in errors:
            errors.add(name, message, target=_target(name))


def _target(name: str) -> str:
    if name in LIST_FIELDS:
        return f"{name}-{next(iter(WORDS[LIST_FIELDS[name]]))}"
    return name


def _row(parsed: Parsed, index: object) -> int:
    return parsed.level_rows[index] if isinstance(index, int) and 0 <= index < len(parsed.level_rows) else 1


def _worded(problem: Problem, parsed: Parsed, tr: Translator) -> tuple[str, str]:
    path = problem.path
    head = path[0] if path else ""
    if problem.kind == "unknown_refs":
        keys = ", ".join(str(key) for key in problem.context.get("keys", []))
        return "refs", tr.gettext(
            "Unknown reference keys: %(keys)s. Use keys of the catalog bibliography, like R3.", keys=keys
        )
    if head in RULE_KEYS:
        return "rules", tr.gettext(
            "The rules cannot be used (%(detail)s). Correct them as in the catalog files.", detail=_where(problem)
        )
    if head == "levels" and len(path) >= 2:
        return _level_problem(problem, _row(parsed, path[1]), tr)
    if head == "levels":
        message = tr.gettext(
            "Give at least %(count)s levels: the exercise's ladder, from the easiest.", count=MIN_LEVELS
        )
        return "levels", message
    if head == "direction":
        return "direction_plane", tr.gettext(
            "For “always the same direction”, choose where the head moves; for the other kinds, leave the direction empty."
        )
    if head == "movement_s":
        return "movement_s", _limit(problem, tr, tr.gettext("Movement time per repetition"))
    if head == "start_level":
        return "start_level", _limit(problem, tr, tr.gettext("Start level"))
    if head == "cautions":
        return "cautions_en", tr.gettext("Give each caution in both languages, one per line.")
    if not path:
        return _model_problem(problem, parsed, tr)
    return _nearest_field(str(head)), tr.gettext(
        "This value is not accepted (%(detail)s). Correct it and save again.", detail=_where(problem)
    )


def _level_problem(problem: Problem, row: int, tr: Translator) -> tuple[str, str]:
    prefix = f"level{row}_"
    rest = problem.path[2:]
    if rest[:1] == ("dose",):
        leaf = rest[1] if len(rest) > 1 else None
        if leaf == "effort":
            return f"{prefix}effort_target", tr.gettext(
                "Level %(n)s: write the effort target as low-high with the low number first, like 1-2.", n=row
            )
        if isinstance(leaf, str) and leaf in DOSE_TARGETS:
            return f"{prefix}{leaf}", _limit(problem, tr, dose_label(tr, row, leaf))
        return f"{prefix}reps", tr.gettext("Level %(n)s: give repetitions, minutes or continuous minutes.", n=row)
    if rest[:1] == ("variant",):
        allowed = ", ".join(sorted(VARIANT_KEYS))
        return f"{prefix}variant", tr.gettext(
            "Level %(n)s: variant names must be among %(names)s.", n=row, names=allowed
        )
    if rest[:1] in (("equipment",), ("tasks",)):
        return f"{prefix}{rest[0]}", tr.gettext("Choose from the list.")
    if rest[:1] == ("text",):
        return f"{prefix}text_en", tr.gettext("Level %(n)s: describe the level in English and in French.", n=row)
    return f"{prefix}position", tr.gettext(
        "Level %(n)s: this value is not accepted (%(detail)s).", n=row, detail=_where(problem)
    )


def _model_problem(problem: Problem, parsed: Parsed, tr: Translator) -> tuple[str, str]:
    steps = LEVEL_STEPS.search(problem.message)
    if steps is not None:
        low, high = _row(parsed, int(steps.group(1)) - 1), _row(parsed, int(steps.group(2)) - 1)
        differences = steps.group(3)
        message = (
            tr.gettext(
                "Levels %(low)s and %(high)s are the same. Each level changes exactly one thing from the one before (a dose, the position, a variant).",
                low=low,
                high=high,
            )
            if differences == "nothing"
            else tr.gettext(
                "Levels %(low)s and %(high)s differ in more than one thing (%(what)s). Each level changes exactly one thing from the one before.",
                low=low,
                high=high,
                what=differences.strip("[]").replace("'", ""),
            )
        )
        return f"level{high}_position", message
    if "start_level" in problem.message:
        return "start_level", tr.gettext(
            "The start level must be one of the levels given: from 1 to %(count)s.", count=len(parsed.level_rows)
        )
    if "indication" in problem.message or "contraindications" in problem.message:
        return "rules", tr.gettext(
            "The rules cannot be used (%(detail)s). Correct them as in the catalog files.", detail=problem.message
        )
    return "name_en", tr.gettext(
        "This exercise is not accepted (%(detail)s). Correct it and save again.", detail=problem.message
    )


def _limit(problem: Problem, tr: Translator, what: str) -> str:
    context = problem.context
    if "ge" in context:
        return tr.gettext("%(what)s: enter %(limit)s or more.", what=what, limit=context["ge"])
    if "gt" in context:
        return tr.gettext("%(what)s: enter more than %(limit)s.", what=what, limit=context["gt"])
    if "le" in context:
        return tr.gettext("%(what)s: enter %(limit)s or less.", what=what, limit=context["le"])
    if "lt" in context:
        return tr.gettext("%(what)s: enter less than %(limit)s.", what=what, limit=context["lt"])
    return tr.gettext("%(what)s: enter a whole number, like 2.", what=what)


def _where(problem: Problem) -> str:
    location = ".".join(str(part) for part in problem.path)
    return f"{location}: {problem.message}" if location else problem.message


def _nearest_field(head: str) -> str:
    if head in TEXT_FIELDS:
        return f"{head}_en"
    if head in LIST_FIELDS or head in ("category", "refs"):
        return head
    return "name_en"
