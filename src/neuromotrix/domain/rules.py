"""A tiny, closed rule language over facts, so that clinical rules live in data files.

A rule is a mapping, one of:
    {fact: NAME, OP: VALUE}     OP in eq, ne, in, not_in, has, has_any, lacks, gte, lte, gt, lt, is
    {all: [RULE, ...]}  {any: [RULE, ...]}  {not: RULE}
`has`/`has_any`/`lacks` test set-valued facts; comparisons with a missing value (none) are false;
`is` compares with true/false/null exactly (so an unanswered PAR-Q+ question is neither yes nor no).
Rules are compiled once, at catalog load, into plain predicates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from neuromotrix.domain.facts import FACTS, Facts

Predicate = Callable[[Facts], bool]

_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda value, operand: value == operand,
    "ne": lambda value, operand: value != operand,
    "in": lambda value, operand: value in operand,
    "not_in": lambda value, operand: value not in operand,
    "has": lambda value, operand: operand in value,
    "has_any": lambda value, operand: not value.isdisjoint(operand),
    "lacks": lambda value, operand: operand not in value,
    "gte": lambda value, operand: value is not None and value >= operand,
    "lte": lambda value, operand: value is not None and value <= operand,
    "gt": lambda value, operand: value is not None and value > operand,
    "lt": lambda value, operand: value is not None and value < operand,
    "is": lambda value, operand: value is operand,
}
OPERATORS = frozenset(_COMPARATORS)


class RuleError(ValueError):
    """A rule in a data file is malformed; the message names the offending part."""


def compile_rule(rule: Any, where: str = "rule") -> Predicate:
    if not isinstance(rule, Mapping):
        raise RuleError(f"{where}: a rule must be a mapping, got {type(rule).__name__}")
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        return _compile_group(key, rule, where)
    if "not" in rule:
        if len(rule) != 1:
            raise RuleError(f"{where}: `not` takes exactly one rule and nothing beside it")
        inner = compile_rule(rule["not"], f"{where}.not")
        return lambda facts: not inner(facts)
    return _compile_leaf(rule, where)


def _compile_group(key: str, rule: Mapping[str, Any], where: str) -> Predicate:
    members = rule[key]
    if len(rule) != 1 or not isinstance(members, list) or not members:
        raise RuleError(f"{where}: `{key}` takes a non-empty list of rules and nothing beside it")
    predicates = tuple(compile_rule(member, f"{where}.{key}[{index}]") for index, member in enumerate(members))
    if key == "all":
        return lambda facts: all(predicate(facts) for predicate in predicates)
    return lambda facts: any(predicate(facts) for predicate in predicates)


def _compile_leaf(rule: Mapping[str, Any], where: str) -> Predicate:
    name = rule.get("fact")
    if name not in FACTS:
        raise RuleError(f"{where}: unknown fact {name!r}; known facts: {', '.join(sorted(FACTS))}")
    operators = [key for key in rule if key != "fact"]
    if len(operators) != 1 or operators[0] not in OPERATORS:
        raise RuleError(f"{where}: give exactly one operator out of {', '.join(sorted(OPERATORS))}")
    operator = operators[0]
    operand = rule[operator]
    if operator in {"in", "not_in", "has_any"}:
        if not isinstance(operand, list):
            raise RuleError(f"{where}: `{operator}` needs a list")
        operand = frozenset(operand)
    compare = _COMPARATORS[operator]

    def predicate(facts: Facts) -> bool:
        return compare(facts[name], operand)

    return predicate
