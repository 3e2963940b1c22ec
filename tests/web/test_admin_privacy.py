"""The clinic's privacy notice, its person in charge and its consent text (Québec Law 25): Dana writes them, anyone
reads the notice, and every user accepts the current consent text before anything else, again when it changes,
on the invitation page when opening an account, or through the API."""

from __future__ import annotations

import re

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import consent_acceptances, consent_texts
from neuromotrix.services import accounts
from tests.api.conftest import NOW
from tests.web.admin_support import audit_rows, dana, through_consent
from tests.web.conftest import Web, csrf_of, post_form

NOTICE_FR = "La clinique recueille vos données de santé pour adapter vos exercices.\n\nElles restent au Québec."
NOTICE_EN = "The clinic collects your health information to adapt your exercises.\n\nIt stays in Québec."
SETTINGS = {
    "officer_name": "Danielle Roy",
    "officer_title": "Directrice de la clinique",
    "officer_email": "Vie.Privee@Clinique.example.org",
    "notice_fr": NOTICE_FR,
    "notice_en": NOTICE_EN,
    "retention_years": "5",
}
CONSENT = {"text_fr": "J'accepte que la clinique traite mes renseignements.", "text_en": "I agree to the clinic."}


def publish(web: Web, **texts: str) -> None:
    browser = dana(web)
    through_consent(browser, "/admin/consent")
    published = post_form(browser, "/admin/consent", CONSENT | texts)
    assert published.status_code == 303, published.text


def test_dana_writes_the_notice_and_anyone_reads_it(web: Web) -> None:
    browser = dana(web)
    form = browser.get("/admin/privacy")
    assert form.status_code == 200 and 'value="10"' in form.text
    wrong = browser.post(
        "/admin/privacy",
        data={"csrf_token": csrf_of(form), **SETTINGS, "officer_email": "roy", "retention_years": "ten"},
    )
    assert wrong.status_code == 422
    assert 'href="#officer_email"' in wrong.text and 'href="#retention_years"' in wrong.text
    assert NOTICE_EN.split("\n")[0] in wrong.text, "what was typed is kept"
    saved = browser.post("/admin/privacy", data={"csrf_token": csrf_of(form), **SETTINGS})
    assert saved.headers["location"] == "/admin/privacy?notice=privacy_saved"
    assert "The privacy settings are saved." in browser.get(saved.headers["location"]).text
    assert audit_rows(web, object_type="privacy_settings")[-1].detail.startswith("changed: officer_name")

    french = web.browser(language="fr").get("/privacy")
    assert french.status_code == 200 and '<html lang="fr">' in french.text
    assert "La clinique recueille vos données de santé" in french.text and "Elles restent au Québec." in french.text
    assert "Danielle Roy" in french.text and 'href="mailto:vie.privee@clinique.example.org"' in french.text
    english = web.browser(language="en").get("/privacy")
    assert "The clinic collects your health information" in english.text and "Person in charge" in english.text
    assert "5 years after the last activity." in browser.get("/admin").text


def test_the_notice_of_each_clinic(web: Web) -> None:
    with web.container.uow(write=True) as uow:
        other = accounts.create_clinic(uow, "Centre Sainte-Émilie", now=NOW)
        uow.commit()
    anonymous = web.browser(language="en").get("/privacy")
    assert "Clinique Demo" in anonymous.text and "has not published its privacy notice here yet" in anonymous.text
    assert f'href="/privacy?clinic={other}"' in anonymous.text, "visitors can choose another clinic"
    chosen = web.browser(language="en").get(f"/privacy?clinic={other}")
    assert "Centre Sainte-Émilie" in chosen.text and "The clinic has not named this person here yet." in chosen.text
    assert web.browser().get("/privacy?clinic=999").status_code == 404
    assert web.browser().get("/privacy?clinic=abc").status_code == 422
    bob = web.signed_in("bob").get("/privacy")
    assert "Clinique Demo" in bob.text and "Other clinics" not in bob.text


def test_a_consent_text_is_asked_for_before_anything_else(web: Web) -> None:
    alice = web.signed_in("alice")
    publish(web)
    sent = alice.get("/p/1/history")
    assert sent.status_code == 303 and sent.headers["location"] == "/consent?next=%2Fp%2F1%2Fhistory"
    page = alice.get(sent.headers["location"])
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "J&#39;accepte que la clinique traite mes renseignements." in page.text
    assert 'value="accept">J\'accepte</button>' in page.text
    assert alice.get("/privacy").status_code == 200, "the notice stays readable"
    answered = alice.post(
        "/consent", data={"csrf_token": csrf_of(page), "decision": "accept", "version": "1", "next": "/p/1/history"}
    )
    assert answered.headers["location"] == "/p/1/history"
    assert not alice.get("/today").headers.get("location", "").startswith("/consent")
    with web.container.uow() as uow:
        accepted = uow.connection.execute(sa.select(consent_acceptances)).one()
    assert (accepted.user_id, accepted.language, accepted.via) == (web.world.ids["alice"], "fr", "page")
    again = alice.get("/consent")
    assert "Vous avez accepté cette version le" in again.text and 'name="decision"' not in again.text

    publish(web, text_en="Version two.", text_fr="Version deux.")
    changed = alice.get("/today")
    assert changed.headers["location"].startswith("/consent")
    assert "Le texte a changé depuis que vous l'avez accepté." in alice.get("/consent").text


def test_the_text_shown_is_the_one_accepted(web: Web) -> None:
    bob = web.signed_in("bob")
    publish(web)
    page = bob.get("/consent")
    publish(web, text_en="A newer text.", text_fr="Un texte plus récent.")
    stale = bob.post("/consent", data={"csrf_token": csrf_of(page), "decision": "accept", "version": "1"})
    assert stale.status_code == 422 and "The text changed while you were reading it." in stale.text
    assert "A newer text." in stale.text
    nothing = bob.post("/consent", data={"csrf_token": csrf_of(page), "version": "2"})
    assert nothing.status_code == 422 and "Answer with one of the two buttons" in nothing.text


def test_saying_no_signs_out_and_is_recorded(web: Web) -> None:
    carl = web.signed_in("carl")
    publish(web)
    page = carl.get("/consent")
    declined = carl.post("/consent", data={"csrf_token": csrf_of(page), "decision": "decline", "version": "1"})
    assert declined.status_code == 200 and "You did not agree" in declined.text
    assert "Signed in as" not in declined.text
    assert carl.get("/people").headers["location"].startswith("/login")
    assert audit_rows(web, action="decline")[-1].actor == "carl@example.org"
    with web.container.uow() as uow:
        assert uow.connection.execute(sa.select(consent_acceptances)).first() is None


def test_dana_publishes_versions(web: Web) -> None:
    browser = dana(web)
    empty = browser.get("/admin/consent")
    assert "No consent text is published yet" in empty.text and "Publish version 1" in empty.text
    missing = post_form(browser, "/admin/consent", {"text_en": "Only English.", "text_fr": ""})
    assert missing.status_code == 422 and 'href="#text_fr"' in missing.text
    assert (
        post_form(browser, "/admin/consent", CONSENT).headers["location"] == "/admin/consent?notice=consent_published"
    )
    assert browser.get("/admin/users").headers["location"] == "/consent?next=%2Fadmin%2Fusers", "Dana too"
    page = browser.get("/consent")
    browser.post("/consent", data={"csrf_token": csrf_of(page), "decision": "accept", "version": "1"})
    listed = browser.get("/admin/consent")
    assert "In force: version 1" in listed.text and "Publish version 2" in listed.text
    assert re.search(r"<td>1 account</td>", listed.text)
    same = post_form(browser, "/admin/consent", CONSENT)
    assert same.status_code == 422 and "This is the current text, word for word." in same.text
    with web.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(consent_texts)).scalar_one() == 1


def test_the_api_reads_and_accepts_the_consent(web: Web) -> None:
    alice = web.world.client("alice")
    nothing = alice.get("/api/v1/consent")
    assert nothing.status_code == 200 and nothing.json() == {
        "version": None, "text_en": None, "text_fr": None, "published_at": None, "accepted_at": None,
        "required": False,
    }  # fmt: skip
    assert alice.post("/api/v1/consent", json={"version": 1}).status_code == 409
    publish(web)
    asked = alice.get("/api/v1/consent").json()
    assert asked["version"] == 1 and asked["required"] is True and asked["text_fr"] == CONSENT["text_fr"]
    assert alice.get(f"/api/v1/participants/{web.world.alice_id}").status_code == 200, "the API does not block"
    assert alice.post("/api/v1/consent", json={"version": 2}).status_code == 409
    accepted = alice.post("/api/v1/consent", json={"version": 1, "language": "fr"})
    assert accepted.status_code == 200 and accepted.json()["required"] is False
    first = accepted.json()["accepted_at"]
    assert alice.post("/api/v1/consent", json={"version": 1}).json()["accepted_at"] == first
    assert web.world.client("anonymous").get("/api/v1/consent").status_code == 401


def test_the_invitation_page_asks_for_consent(web: Web) -> None:
    publish(web)
    invited = web.world.client("dana").post(
        "/api/v1/invitations", json={"email": "fay@example.org", "name": "Fay", "role": "trainer", "language": "en"}
    )
    assert invited.status_code == 201, invited.text
    link = web.link_in_last_email("invitation")
    browser = web.browser(language="en")
    form = browser.get(link)
    assert "I agree to the clinic." in form.text and 'name="consent_version" value="1"' in form.text
    data = {"csrf_token": csrf_of(form), "password": "a long enough password", "language": "en"}
    refused = browser.post(link, data=data | {"consent_version": "1"})
    assert refused.status_code == 422 and 'href="#consent"' in refused.text
    opened = browser.post(link, data=data | {"consent_version": "1", "consent": "accepted"})
    assert opened.status_code == 200, opened.text
    with web.container.uow() as uow:
        row = uow.connection.execute(sa.select(consent_acceptances)).one()
    assert row.via == "invitation"
    fay = post_form(web.browser(), "/login", {"email": "fay@example.org", "password": "a long enough password"})
    assert fay.headers["location"] == "/"
    assert web.browser().get(link).status_code == 200, "a used link shows no consent text and says so on posting"
