"""The language switcher never loses work: in the intake wizard it posts the wizard's own form, so the answers
(this step's too) come back in the other language; after a form answered with an error, it goes back to a page a
GET can open, never to a POST-only address."""

from __future__ import annotations

import re

import httpx2 as httpx
from fastapi.testclient import TestClient

from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.intake_helpers import current_step, form_values, press, value_of


def switch_in_wizard(
    client: TestClient, page: httpx.Response, language: str, changes: dict[str, str]
) -> httpx.Response:
    """Press a header language button of the wizard (it belongs to the wizard's form) after typing `changes`."""
    assert f'form="intake-form" class="button button-secondary" name="action" value="language:{language}"' in page.text
    data: dict[str, list[str]] = {}
    for name, value in form_values(page):
        if name not in changes:
            data.setdefault(name, []).append(value)
    data |= {name: [value] for name, value in changes.items()}
    data["action"] = [f"language:{language}"]
    return client.post("/participants/new", data=data, follow_redirects=False)


def test_switching_language_mid_wizard_keeps_every_answer(web: Web) -> None:
    bob = web.signed_in("bob")
    first = bob.get("/participants/new")
    second = press(bob, first, {"display_name": "Gilles", "language": "en", "birth_year": "1972"})
    assert current_step(second) == "conditions"
    french = switch_in_wizard(bob, second, "fr", {"conditions": "dystonia"})
    assert french.status_code == 200 and lang_of(french) == "fr"
    assert current_step(french) == "conditions", "the same step, not the first one"
    assert value_of(french, "conditions") == ["dystonia"], "the answer typed on this step is kept"
    assert '"display_name":["Gilles"]' in value_of(french, "state")[0].replace(" ", "")
    assert "Étape 2 sur" in french.text
    assert lang_of(bob.get("/library")) == "fr", "the account's setting follows, as with the switcher"
    back = switch_in_wizard(bob, french, "en", {})
    assert lang_of(back) == "en" and value_of(back, "conditions") == ["dystonia"]


def test_the_enter_key_still_means_continue(web: Web) -> None:
    """The language buttons come before the form: a hidden copy of the main action comes before them."""
    page = web.signed_in("bob").get("/participants/new")
    buttons = re.findall(r'<button[^>]*form="intake-form"[^>]*value="([^"]+)"', page.text)
    assert buttons[0] == "next" and buttons[1:] == ["language:en", "language:fr"]


def test_after_an_error_the_switcher_returns_to_a_page_that_opens(web: Web) -> None:
    bob = web.signed_in("bob")
    # A form whose address a GET also opens: back to it.
    refused = post_form(bob, "/library/custom/new", {"name_en": ""})
    assert refused.status_code == 422
    assert '<input type="hidden" name="next" value="/library/custom/new">' in refused.text
    # A POST-only address: back to the page the form was on (the Referer), else the start page.
    page = bob.get("/library/templates")
    token = csrf_of(page)
    answered = bob.post(
        "/library/custom/XA01/restore", data={"csrf_token": token}, headers={"referer": "http://testserver/library"}
    )
    assert answered.status_code == 404
    assert '<input type="hidden" name="next" value="/library">' in answered.text
    without = bob.post("/library/custom/XA01/restore", data={"csrf_token": token})
    assert '<input type="hidden" name="next" value="/">' in without.text
    elsewhere = bob.post(
        "/library/custom/XA01/restore", data={"csrf_token": token}, headers={"referer": "https://example.com/library"}
    )
    assert '<input type="hidden" name="next" value="/">' in elsewhere.text, "never another site"
