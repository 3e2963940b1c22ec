"""The wizard's model without a browser: every closed list worded in both languages from one table, a new intake
starts from the contract's defaults, answers become exactly the profile they describe, the carried state is read
back or refused."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from neuromotrix.domain import vocab
from neuromotrix.domain.profile import Profile, resolve_start
from neuromotrix.entrypoints.web.pages.intake import decode_state, encode_state
from neuromotrix.services import intake_document, intake_form
from neuromotrix.services.intake_labels import LABELS

TODAY = dt.date(2026, 11, 23)


def test_every_value_of_every_list_has_its_words_in_both_languages() -> None:
    assert set(intake_form.LISTS) == set(LABELS)
    for list_name, listed in intake_form.LISTS.items():
        assert set(listed) == set(LABELS[list_name]), list_name
        for value in listed:
            words = LABELS[list_name][value]
            assert words.en.strip() and words.fr.strip(), (list_name, value)
    assert intake_form.LISTS["region"] == get_args(vocab.Region)
    assert [value for value, _ in intake_form.options("equipment", "fr")] == list(vocab.EQUIPMENT)


def test_a_new_intake_starts_from_the_contracts_defaults() -> None:
    answers = intake_form.initial_answers() | {"display_name": ["Pia"], "conditions": ["dystonia"]}
    checked = intake_document.check(answers, today=TODAY)
    assert checked.problems == ()
    assert checked.profile is not None
    # The wizard asks how many sessions a week (3 unless changed) and records the answer; the contract's default
    # (none given: 3, spread evenly) plans the same sessions.
    expected = Profile.model_validate(
        {"name": "Pia", "conditions": [{"kind": "dystonia"}], "preferences": {"sessions_per_week": 3}}
    )
    assert resolve_start(checked.profile, TODAY) == resolve_start(expected, TODAY)


def test_the_carried_state_is_read_back_or_refused() -> None:
    answers = {"display_name": ["Zoé « Z »"], "goals": ["balance", "gait"]}
    assert decode_state(encode_state(answers, ["person"])) == (answers, ["person"])
    for broken in ("", "[]", "{", '{"answers": {"a": "b"}, "seen": []}', '{"answers": {}}', "x" * 300_000):
        assert decode_state(broken) is None


def _profile(**answers: list[str]) -> Profile:
    checked = intake_document.check(
        intake_form.initial_answers() | {"display_name": ["Pia"], "conditions": ["dystonia"]} | answers, today=TODAY
    )
    assert checked.profile is not None, checked.problems
    return checked.profile


def test_a_neck_without_a_described_pattern_records_none() -> None:
    assert _profile(**{"dystonia.regions": ["neck"]}).cervical is None
    cervical = _profile(**{"dystonia.regions": ["neck"], "cervical.tilt.toward": ["left"]}).cervical
    assert cervical is not None and cervical.tilt is not None and cervical.tilt.toward == "left"
    assert cervical.rotation is None and cervical.confirmed_by_clinician is False


def test_unanswered_parq_questions_are_left_out_and_yes_no_are_kept() -> None:
    parq = _profile(**{"parq.chest_pain": ["no"], "parq.supervised_only": ["yes"], "follow_up.cancer": ["no"]})
    assert parq.screening.parq.chest_pain is False and parq.screening.parq.supervised_only is True
    assert parq.screening.parq.heart_condition is None
    assert parq.screening.parq_follow_up == {"cancer": False}


def test_days_replace_the_number_of_sessions() -> None:
    preferences = _profile(**{"preferences.days": ["mon", "thu"], "preferences.sessions_per_week": ["5"]}).preferences
    assert preferences.days == ("mon", "thu") and preferences.sessions_per_week is None


def test_a_product_name_longer_than_the_api_takes_is_refused() -> None:
    answers = intake_form.initial_answers() | {"display_name": ["Pia"], "conditions": ["dystonia"]}
    answers |= {"toxin.0.date": ["2026-11-05"], "toxin.0.regions": ["neck"], "toxin.0.product": ["x" * 101]}
    problems = intake_document.check(answers, today=TODAY).problems
    assert problems == (intake_document.Problem("toxin.0.product", "too_long", 100),)
