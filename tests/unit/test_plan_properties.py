"""Safety invariants of the planner over thousands of generated profiles (DESIGN.md "Quality bar")."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, seed, settings

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.planner import generate_plan
from neuromotrix.domain.profile import Profile
from neuromotrix.services.schemas import contract_schema
from tests import safety_oracle
from tests.strategies import BLOCKING_FLAGS, RED_FLAG_TRIGGERS, START, profiles

NORMAL_EXAMPLES = 2000
SLOW_EXAMPLES = 10000
# The slow run is cut into parts with seeds of their own (each part repeatable, no two alike), so the workers of a
# parallel test run share it instead of one worker running all 10,000 profiles while the others wait.
SLOW_PARTS = 5


@cache
def plan_validator() -> jsonschema.protocols.Validator:
    schema = contract_schema("plan")
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema)


def plan_document(document: dict[str, Any]) -> tuple[dict[str, Any], str]:
    profile = Profile.model_validate(document)
    plan = generate_plan(profile, load_catalog())
    text = plan.model_dump_json(indent=2)
    return json.loads(text), text


def check_profile(document: dict[str, Any], counts: Counter[str]) -> None:
    plan, text = plan_document(document)
    problems = safety_oracle.violations(document, plan)
    assert not problems, "\n".join(problems)
    plan_validator().validate(plan)
    assert plan_document(document)[1] == text, "same input must give byte-identical output"
    _record(document, plan, counts)


def _record(document: dict[str, Any], plan: dict[str, Any], counts: Counter[str]) -> None:
    labels = {f"status:{plan['status']}"}
    cervical = safety_oracle._cervical(document)
    if (
        cervical
        and cervical.get("confirmed_by_clinician")
        and "resistance_band" in document["preferences"]["equipment"]
    ):
        labels.add("confirmed cervical pattern with band")
    injections = document.get("treatments", {}).get("botulinum_toxin", [])
    if any("neck" in i["regions"] and 0 <= (START - _date(i["date"])).days <= 14 for i in injections):
        labels.add("neck injection within 14 days before start")
    labels |= {f"flag:{flag['code']}" for flag in plan["screening"]["flags"] if flag["code"] in RED_FLAG_TRIGGERS}
    for label in sorted(labels):
        event(label)
    counts.update(labels)
    counts["profiles"] += 1


def _date(value: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value)


def run_properties(examples: int, *, part: int | None = None) -> Counter[str]:
    """`examples` generated profiles through every check; repeatable: the same ones on every run (a `part` gets
    its own seed, so parts never repeat each other)."""
    counts: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
        derandomize=part is None,
    )
    @given(profiles)
    def property_holds(document: dict[str, Any]) -> None:
        check_profile(document, counts)

    if part is not None:
        property_holds = seed(part)(property_holds)
    property_holds()
    return counts


def assert_weights(counts: Counter[str]) -> None:
    total = counts["profiles"]
    assert total >= 0.9 * NORMAL_EXAMPLES or total >= 1000
    assert counts["confirmed cervical pattern with band"] / total >= 0.20
    assert counts["neck injection within 14 days before start"] / total >= 0.20
    for code in RED_FLAG_TRIGGERS:
        share = counts[f"flag:{code}"] / total
        assert share >= 0.05, f"red flag {code} appears in only {share:.1%} of generated profiles"
    assert counts["status:ready"] + counts["status:needs_clearance"] >= 0.25 * total, "too few plans with weeks"


def test_safety_invariants_hold_for_2000_generated_profiles() -> None:
    counts = run_properties(NORMAL_EXAMPLES)
    assert_weights(counts)


@pytest.mark.slow
@pytest.mark.parametrize("part", range(1, SLOW_PARTS + 1))
def test_safety_invariants_hold_for_10000_generated_profiles(part: int) -> None:
    counts = run_properties(SLOW_EXAMPLES // SLOW_PARTS, part=part)
    assert_weights(counts)


def test_every_blocking_trigger_is_a_red_flag_of_the_table() -> None:
    codes = {flag.code for flag in load_catalog().rules.red_flags}
    assert set(RED_FLAG_TRIGGERS) == codes
    assert codes >= BLOCKING_FLAGS
