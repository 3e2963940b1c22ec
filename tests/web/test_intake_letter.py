"""The clearance-request letter: printable, in the participant's language, naming the clinic, the person, the
answers that need a clearance, what the physician is asked to confirm, and a signature block."""

from __future__ import annotations

from tests.web.conftest import Web, lang_of
from tests.web.intake_helpers import CERVICAL_DYSTONIA, PARKINSON_FOOT_DYSTONIA, Story, enrol_story, main_text


def _with(story: Story, step: str, **changes: str | list[str]) -> Story:
    return {**story, step: {**story[step], **changes}}


def test_the_letter_is_in_the_participants_language(web: Web) -> None:
    bob = web.signed_in("bob")  # Bob reads English; Paul French
    participant_id = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)
    page = bob.get(f"/participants/{participant_id}/clearance-letter")
    assert page.status_code == 200
    assert lang_of(page) == "fr"
    text = main_text(page)
    for words in (
        "Clinique Demo",
        "23 novembre 2026",
        "Demande d'autorisation médicale pour l'exercice",
        "Paul",
        "1956",
        "Dystonie (Pied gauche); Maladie de Parkinson",
        "Bob, Clinique Demo",
        "PAR-Q+ répondu oui : Prenez-vous actuellement des médicaments prescrits pour une maladie chronique?",
        "question(s) du PAR-Q+ sans réponse",
        "seul",  # the starter program until the clearance
        "Aucun travail du cou contre résistance",
        "Exercice assis seulement",
        "Profession et numéro de permis",
        "Signature",
        "Une autorisation vaut 12 mois à partir de sa date.",
    ):
        assert words in text, words


def test_the_letter_prints_on_its_own(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)
    page = bob.get(f"/participants/{participant_id}/clearance-letter")
    assert "/static/intake.css" in page.text and "/static/intake.js" in page.text
    assert '<button type="button" class="button" data-print hidden>' in page.text  # shown by the script only
    css = bob.get("/static/intake.css").text
    assert "@media print" in css and ".site-header, .site-footer, .letter-tools" in css


def test_a_pregnancy_asks_the_clearance_to_name_it(web: Web) -> None:
    bob = web.signed_in("bob")
    story = _with(CERVICAL_DYSTONIA, "screening", **{"screening.pregnant": "yes"})
    participant_id = enrol_story(bob, story)
    text = main_text(bob.get(f"/participants/{participant_id}/clearance-letter"))
    assert "Exercise during the pregnancy is cleared (needed to clear the pregnancy)" in text


def test_a_heart_answer_says_nothing_is_planned_until_the_clearance(web: Web) -> None:
    bob = web.signed_in("bob")
    story = _with(PARKINSON_FOOT_DYSTONIA, "person", language="en")
    story = _with(story, "screening", **{"parq.heart_condition": "yes"})
    participant_id = enrol_story(bob, story)
    text = main_text(bob.get(f"/participants/{participant_id}/clearance-letter"))
    assert "no exercise is planned until we receive your clearance" in text
    assert "PAR-Q+ answered yes: Has your doctor ever said that you have a heart condition" in text


def test_no_letter_when_no_clearance_is_needed(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, CERVICAL_DYSTONIA)
    page = bob.get(f"/participants/{participant_id}/clearance-letter")
    assert page.status_code == 200
    assert "The screening of Gilles needs no clearance now: there is no letter to print." in main_text(page)
    assert "Signature" not in main_text(page)
