"""Forgotten passwords and invitations, end to end through the pages: the email's link is followed as the person
would (the outbox holds the emails)."""

from __future__ import annotations

from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import accounts, participants
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, PASSWORD, example_profile
from tests.web.conftest import Web, csrf_of, lang_of, post_form

NEW_PASSWORD = "a brand new passphrase"


def test_forgotten_password_to_new_password(web: Web) -> None:
    browser = web.browser(language="fr")
    asked = post_form(browser, "/forgot", {"email": "alice@example.org"})
    assert asked.status_code == 200
    assert "Si un compte utilise alice@example.org" in asked.text and "pendant 60 minutes" in asked.text
    link = web.link_in_last_email("password_reset")

    form = browser.get(link)
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
    short = browser.post(link, data={"csrf_token": csrf_of(form), "password": "short"})
    assert short.status_code == 422
    assert '<a href="#password">Choisissez un mot de passe d&#39;au moins 10 caractères.' in short.text
    saved = browser.post(link, data={"csrf_token": csrf_of(form), "password": NEW_PASSWORD})
    assert saved.status_code == 303 and saved.headers["location"] == "/login?notice=password_reset"
    assert "Votre nouveau mot de passe est enregistré." in browser.get(saved.headers["location"]).text

    assert web.signed_in("alice", password=NEW_PASSWORD).get("/today", follow_redirects=True).status_code == 200
    reused = browser.post(link, data={"csrf_token": csrf_of(form), "password": NEW_PASSWORD})
    assert reused.status_code == 422 and "Ce lien ne fonctionne plus" in reused.text


def test_the_answer_is_the_same_for_an_unknown_address(web: Web) -> None:
    before = len(web.emails("password_reset"))
    answered = post_form(web.browser(language="en"), "/forgot", {"email": "nobody@example.org"})
    assert answered.status_code == 200 and "If an account uses nobody@example.org" in answered.text
    assert len(web.emails("password_reset")) == before
    invalid = post_form(web.browser(language="en"), "/forgot", {"email": "nobody"})
    assert invalid.status_code == 422 and '<a href="#email">Enter a complete email address' in invalid.text


def test_an_invitation_opens_an_account_in_the_chosen_language(web: Web) -> None:
    invited = web.world.client("dana").post(
        "/api/v1/invitations", json={"email": "fay@example.org", "name": "Fay", "role": "trainer", "language": "fr"}
    )
    assert invited.status_code == 201, invited.text
    link = web.link_in_last_email("invitation")
    browser = web.browser(language="fr-CA")
    form = browser.get(link)
    assert form.status_code == 200 and "Ouvrir votre compte" in form.text
    assert 'id="language-fr" name="language" value="fr" checked' in form.text, "the page's language is the default"

    weak = browser.post(link, data={"csrf_token": csrf_of(form), "password": "short", "language": "en"})
    assert weak.status_code == 422 and 'href="#password"' in weak.text
    assert 'value="en" checked' in weak.text, "the choice is kept"
    no_password = browser.post(link, data={"csrf_token": csrf_of(form), "password": "", "language": "en"})
    assert no_password.status_code == 422 and "Choisissez un mot de passe pour votre nouveau compte" in no_password.text

    opened = browser.post(link, data={"csrf_token": csrf_of(form), "password": NEW_PASSWORD, "language": "en"})
    assert opened.status_code == 200
    assert lang_of(opened) == "en" and "Your account is open" in opened.text and 'href="/login"' in opened.text
    assert lang_of(browser.get("/login")) == "en", "the chosen language is remembered in this browser"

    again = browser.post(link, data={"csrf_token": csrf_of(form), "password": NEW_PASSWORD, "language": "en"})
    assert again.status_code == 422 and "This invitation link cannot be used" in again.text
    fay = web.signed_in("fay", password=NEW_PASSWORD)
    assert fay.get("/").headers["location"] == "/dashboard"
    assert lang_of(fay.get("/dashboard")) == "en"


def test_an_existing_caregiver_accepts_without_a_password(web: Web) -> None:
    with web.container.uow(write=True) as uow:
        bob = accounts.user_by_email(uow, "bob@example.org")
        assert bob is not None
        trainer = Actor(bob.id, bob.clinic_id, "trainer", bob.email, bob.name, "en")
        paul = participants.enrol(
            uow, trainer, display_name="Paul", language="en", profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(),
        )  # fmt: skip
        uow.commit()
    invited = web.world.client("bob").post(
        "/api/v1/invitations",
        json={"email": "carl@example.org", "name": "Carl", "role": "caregiver", "participant_id": paul,
              "consent_by": "guardian", "consent_name": "Pia"},
    )  # fmt: skip
    assert invited.status_code == 201, invited.text
    link = web.link_in_last_email("invitation")
    browser = web.browser(language="en")
    accepted = post_form(browser, link, {"password": "", "language": "en"})
    assert accepted.status_code == 200 and "Invitation accepted" in accepted.text
    assert PASSWORD not in accepted.text
