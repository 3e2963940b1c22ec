"""Property tests of the screening outcome (PRODUCT.md "Contracts", BRIEF §6).

Generated: every PAR-Q+ answer yes / no / unanswered (omitted or explicit null), the follow-up groups, a clearance
absent / valid / expired / future-dated with restrictions, age, exercise habit, pregnancy and the symptoms that
raise blocking and non-blocking red flags.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.screening import BLOCKING, ScreeningResult, screen
from tests.factories import START, make_profile

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "neuromotrix" / "catalog" / "rules"
RULES = RuleTables.from_documents({p.stem: read_yaml(p) for p in sorted(RULES_DIR.glob("*.yaml"))})

QUESTIONS = [question.code for question in RULES.screening.parq.questions]
CARDIAC_SYMPTOMS = ("chest_pain", "dizziness_or_fainting")
FOLLOW_UP_GROUPS = sorted({group for question in RULES.screening.parq.questions for group in question.follow_up})
RESTRICTIONS = [
    "no_resisted_neck",
    "no_vigorous",
    "seated_only",
    "supervised_only",
    "no_aerobic",
    "no_unsupported_standing",
    "pregnancy_cleared",
]
SYMPTOMS = [
    "escalating_spasms",
    "recent_worsening",
    "tremor",
    "breathing_difficulty",
    "swallowing_difficulty",
    "fever",
    "low_mood_crisis",
    "numbness",
]

UNANSWERED = "unanswered"  # the key is left out of the profile
answer = st.sampled_from([True, False, None, UNANSWERED])
clearance_on = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=364).map(lambda days: ("valid", START - dt.timedelta(days=days))),
    st.integers(min_value=365, max_value=800).map(lambda days: ("expired", START - dt.timedelta(days=days))),
    st.integers(min_value=1, max_value=60).map(lambda days: ("future", START + dt.timedelta(days=days))),
)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    parq = {code: value for code in QUESTIONS if (value := draw(answer)) != UNANSWERED}
    follow_up = draw(st.dictionaries(st.sampled_from(FOLLOW_UP_GROUPS), st.booleans()))
    screening: dict[str, Any] = {"parq": parq, "parq_follow_up": follow_up, "pregnant": draw(st.booleans())}
    clearance = draw(clearance_on)
    if clearance is not None:
        restrictions = draw(st.lists(st.sampled_from(RESTRICTIONS), unique=True, max_size=3))
        screening["clearance"] = {"by": "Dr. Gagnon", "on": clearance[1], "restrictions": restrictions}
    return {
        "birth_year": draw(st.integers(min_value=1940, max_value=2015)),
        "conditions": [{"kind": "dystonia", "regions": ["neck"]}],
        "symptoms": dict.fromkeys(draw(st.lists(st.sampled_from(SYMPTOMS), unique=True, max_size=2)), True),
        "screening": screening,
        "activity": {"regular_exerciser": draw(st.booleans())},
    }


def screened(document: dict[str, Any]) -> ScreeningResult:
    profile = make_profile(document)
    return screen(profile, derive_facts(profile), RULES)


def valid_clearance_dated(document: dict[str, Any]) -> bool:
    clearance = document["screening"].get("clearance")
    return clearance is not None and START - dt.timedelta(days=364) <= clearance["on"] <= START


@settings(max_examples=300)
@given(profiles())
def test_never_ready_while_a_parq_answer_is_missing_and_no_valid_clearance_is_on_file(document: dict[str, Any]) -> None:
    result = screened(document)
    parq = document["screening"]["parq"]
    if any(parq.get(code) is None for code in QUESTIONS) and not result.clearance_valid:
        assert result.outcome != "ready"
        assert "parq_unanswered" in {flag.code for flag in result.flags}


@settings(max_examples=300)
@given(profiles())
def test_blocked_exactly_when_a_blocking_flag_is_raised(document: dict[str, Any]) -> None:
    result = screened(document)
    blocking = any(flag.severity in BLOCKING for flag in result.flags)
    assert (result.outcome == "blocked") == blocking
    if blocking:
        assert not result.has_weeks


@settings(max_examples=300)
@given(profiles())
def test_needs_clearance_exactly_when_not_blocked_and_a_clearance_is_unmet(document: dict[str, Any]) -> None:
    result = screened(document)
    if result.outcome != "blocked":
        assert (result.outcome == "needs_clearance") == bool(result.unmet_clearance)
    if result.outcome == "ready":
        assert result.unmet_clearance == ()


@settings(max_examples=300)
@given(profiles())
def test_clearance_counts_only_when_dated_within_12_months_on_or_before_start(document: dict[str, Any]) -> None:
    result = screened(document)
    assert result.clearance_valid == valid_clearance_dated(document)
    if not result.clearance_valid:
        # An expired clearance clears nothing, but its restrictions stay until a new one is recorded.
        assert "pregnancy_cleared" not in result.restrictions


@settings(max_examples=300)
@given(profiles())
def test_a_cardiac_symptom_without_valid_clearance_is_never_ready_and_gets_no_weeks(document: dict[str, Any]) -> None:
    result = screened(document)
    parq = document["screening"]["parq"]
    if any(parq.get(code) is True for code in CARDIAC_SYMPTOMS) and not result.clearance_valid:
        assert result.outcome != "ready"
        assert not result.has_weeks


@settings(max_examples=300)
@given(profiles())
def test_with_a_valid_clearance_only_a_blocking_flag_or_an_unnamed_pregnancy_keeps_the_plan_back(
    document: dict[str, Any],
) -> None:
    result = screened(document)
    if result.clearance_valid and result.outcome != "blocked":
        pregnancy_unnamed = document["screening"]["pregnant"] and "pregnancy_cleared" not in result.restrictions
        assert (result.outcome == "needs_clearance") == pregnancy_unnamed
        assert result.has_weeks


@settings(max_examples=300)
@given(profiles())
def test_weeks_are_withheld_only_when_blocked_or_a_cardiac_yes_is_uncleared(document: dict[str, Any]) -> None:
    result = screened(document)
    expected = result.outcome == "blocked" or (
        result.outcome == "needs_clearance" and result.cardiac_yes_without_clearance
    )
    assert result.has_weeks is not expected


@settings(max_examples=300)
@given(profiles())
def test_flags_come_most_severe_first_with_unique_codes(document: dict[str, Any]) -> None:
    result = screened(document)
    order = ["emergency", "urgent", "pause", "modify", "info"]
    ranks = [order.index(flag.severity) for flag in result.flags]
    assert ranks == sorted(ranks)
    raised = [flag.code for flag in result.flags]
    assert len(raised) == len(set(raised)), raised
