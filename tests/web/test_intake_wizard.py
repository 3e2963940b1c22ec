"""Bob enrols people through the intake wizard: each example profile of examples/ typed in step by step becomes
exactly that profile, screened, with a draft program; a red flag blocks the program and alerts the care team."""

from __future__ import annotations

from typing import Any

import pytest

from neuromotrix.domain.profile import Profile, resolve_start
from neuromotrix.services.participants import stored_document
from tests.api.conftest import NOW, example_profile
from tests.web.conftest import Web
from tests.web.intake_helpers import (
    CERVICAL_DYSTONIA,
    EXAMPLES,
    PARKINSON_FOOT_DYSTONIA,
    Story,
    enrol_story,
    main_text,
    progress,
    walk_to_review,
)


def _sorted_lists(node: Any) -> Any:
    """Order does not matter in the profile's lists (regions, equipment, goals, conditions)."""
    if isinstance(node, dict):
        return {key: _sorted_lists(value) for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_lists(value) for value in node]
        return sorted(items, key=repr)
    return node


def _with(story: Story, step: str, **changes: str | list[str]) -> Story:
    return {**story, step: {**story[step], **changes}}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_example_typed_in_becomes_that_profile(web: Web, example: str) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, EXAMPLES[example])
    stored = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/profile").json()["document"]
    expected = stored_document(resolve_start(Profile.model_validate(example_profile(example)), NOW.date()))
    expected["name"] = EXAMPLES[example]["person"]["display_name"]
    assert _sorted_lists(stored) == _sorted_lists(expected)
    participant = web.world.client("bob").get(f"/api/v1/participants/{participant_id}").json()
    assert participant["language"] == EXAMPLES[example]["person"]["language"]


@pytest.mark.parametrize(
    ("example", "outcome", "words"),
    [
        ("cervical-dystonia", "ready", "Ready to start"),
        ("writers-cramp", "ready", "Ready to start"),
        ("parkinson-foot-dystonia", "needs_clearance", "A medical clearance is needed"),
    ],
)
def test_the_result_page_gives_the_screening_outcome(web: Web, example: str, outcome: str, words: str) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, EXAMPLES[example])
    page = bob.get(f"/participants/{participant_id}/enrolled")
    assert page.status_code == 200
    assert words in main_text(page)
    screening = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/screening").json()
    assert screening["outcome"] == outcome
    versions = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/programs").json()
    assert [version["status"] for version in versions] == ["draft"]  # waits for Bob's approval


def test_ready_links_to_the_program_review(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, CERVICAL_DYSTONIA)
    page = bob.get(f"/participants/{participant_id}/enrolled")
    assert f'href="/participants/{participant_id}/program"' in page.text
    assert bob.get(f"/participants/{participant_id}/program").status_code == 200
    assert bob.get(f"/participants/{participant_id}").status_code == 200


def test_needs_clearance_says_what_and_why_and_offers_the_letter(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)
    text = main_text(bob.get(f"/participants/{participant_id}/enrolled"))
    assert "A medical clearance is needed" in text
    assert "the draft holds only the starter program" in text
    assert (
        "PAR-Q+ answered yes: Are you currently taking prescribed medication for a chronic medical condition?" in text
    )
    assert "PAR-Q+ question(s) unanswered" in text
    page = bob.get(f"/participants/{participant_id}/enrolled")
    assert f'href="/participants/{participant_id}/clearance-letter"' in page.text
    assert f'href="/participants/{participant_id}/clearances"' in page.text


def test_chest_pain_needs_a_clearance_and_plans_nothing_until_then(web: Web) -> None:
    """A PAR-Q+ chest-pain yes is a cardiac answer: no weeks at all until a clearance (docs/clinical-rules.md)."""
    bob = web.signed_in("bob")
    story = _with(PARKINSON_FOOT_DYSTONIA, "screening", **{"parq.chest_pain": "yes"})
    participant_id = enrol_story(bob, story)
    text = main_text(bob.get(f"/participants/{participant_id}/enrolled"))
    assert (
        "A heart-related PAR-Q+ question was answered yes: no exercise is planned until a clearance is on file." in text
    )
    draft = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/programs").json()[-1]
    plan = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/programs/{draft['version']}").json()
    assert plan["plan"]["status"] == "needs_clearance"
    assert plan["plan"]["weeks"] == []


def test_escalating_spasms_block_the_program_and_alert_the_trainer(web: Web) -> None:
    bob = web.signed_in("bob")
    story = _with(CERVICAL_DYSTONIA, "symptoms", **{"symptoms.new": ["escalating_spasms", "breathing_difficulty"]})
    participant_id = enrol_story(bob, story)
    page = bob.get(f"/participants/{participant_id}/enrolled")
    text = main_text(page)
    assert "No exercise for now" in text
    assert "Emergency" in text  # the flag's severity, then what to do
    assert "call 911 now" in text and "call the health line 811" in text
    assert "This service is not monitored around the clock." in text
    alerts = web.world.client("bob").get(f"/api/v1/alerts?participant_id={participant_id}").json()["items"]
    red_flags = [alert for alert in alerts if alert["kind"] == "red_flag"]
    assert red_flags and all(alert["severity"] in ("emergency", "urgent") for alert in red_flags)
    assert f"red-flag alert{'s are' if len(red_flags) > 1 else ' is'} in the needs-attention list" in text
    screening = web.world.client("bob").get(f"/api/v1/participants/{participant_id}/screening").json()
    assert screening["outcome"] == "blocked"
    assert "status_dystonicus" in {flag["code"] for flag in screening["flags"]}


def test_a_paused_program_says_it_waits_for_a_clinician(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, _with(CERVICAL_DYSTONIA, "symptoms", **{"symptoms.new": ["tremor"]}))
    text = main_text(bob.get(f"/participants/{participant_id}/enrolled"))
    assert "No exercise for now" in text
    assert "Paused" in text
    assert "The program stays paused until a clinician has reviewed" in text


def test_the_dystonia_step_is_asked_only_for_a_dystonia(web: Web) -> None:
    bob = web.signed_in("bob")
    story: Story = {"person": {"display_name": "Pia"}, "conditions": {"conditions": ["parkinson"]}}
    review = walk_to_review(bob, story)
    assert progress(review) == (8, 8)
    assert "Dystonia: regions, neck pattern and triggers" not in main_text(review)


def test_a_login_email_sends_an_invitation(web: Web) -> None:
    bob = web.signed_in("bob")
    story = _with(CERVICAL_DYSTONIA, "person", email="gilles@example.org")
    participant_id = enrol_story(bob, story)
    page = bob.get(f"/participants/{participant_id}/enrolled?invited=1")
    assert "An email invites Gilles to open their own account." in main_text(page)
    invitation = web.emails("invitation")[-1]
    assert invitation.to_address == "gilles@example.org"
    link = web.link_in_last_email("invitation")
    assert web.browser().get(link).status_code == 200
