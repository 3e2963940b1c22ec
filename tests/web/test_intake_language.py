"""The wizard, its messages, its review and the outcome in French for a trainer who reads French."""

from __future__ import annotations

from tests.web.conftest import Web, lang_of, post_form
from tests.web.intake_helpers import PARKINSON_FOOT_DYSTONIA, current_step, enrol_story, main_text, press

NBSP = "\u00a0"


def test_the_wizard_speaks_french(web: Web) -> None:
    bob = web.signed_in("bob")
    assert post_form(bob, "/language", {"language": "fr", "next": "/participants/new"}).status_code == 303
    page = bob.get("/participants/new")
    assert lang_of(page) == "fr"
    text = main_text(page)
    assert "Inscrire un participant ou une participante · Étape 1 sur 8" in text
    assert "À propos de la personne" in text and "Femme" in text and "Non précisé" in text
    refused = press(bob, page, {"birth_year": "soixante"})
    assert refused.status_code == 422
    assert "<title>Erreur" in refused.text
    assert f"Année de naissance{NBSP}: entrez un nombre entier, comme 3." in refused.text
    assert "Entrez le nom de la personne, comme elle aime être appelée." in main_text(refused)
    page = press(bob, refused, {"display_name": "Paul", "birth_year": "1956", "language": "fr"})
    page = press(bob, page, {"conditions": ["parkinson"]})
    assert current_step(page) == "symptoms"
    page = press(bob, press(bob, page))
    assert current_step(page) == "screening"
    assert "Votre médecin vous a-t-il déjà dit que vous aviez un problème cardiaque ou de l'hypertension?" in main_text(
        page
    )
    while current_step(page) != "review":
        page = press(bob, page)
    text = main_text(page)
    assert "Vérifier les réponses" in text and "Maladie de Parkinson" in text and "Sans réponse" in text
    assert "Modifier" in text


def test_the_outcome_speaks_french(web: Web) -> None:
    bob = web.signed_in("bob")
    participant_id = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)
    assert post_form(bob, "/language", {"language": "fr", "next": "/dashboard"}).status_code == 303
    text = main_text(bob.get(f"/participants/{participant_id}/enrolled"))
    assert "Inscription de Paul terminée" in text
    assert "Dépistage du 23 novembre 2026 : Autorisation médicale requise" in text  # main_text: plain spaces
    assert "Une autorisation médicale est nécessaire" in text
    assert "Imprimer la lettre de demande d'autorisation" in text
