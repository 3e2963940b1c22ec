"""Errors: HTML pages in the reader's language for pages, the JSON API unchanged."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import Web, lang_of


def test_an_unknown_page_is_a_french_404_for_a_french_browser(web: Web) -> None:
    response = web.browser(language="fr-CA,fr;q=0.9").get("/nulle-part")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert lang_of(response) == "fr"
    assert "<h1>Page introuvable</h1>" in response.text
    assert "Vérifiez l'adresse" in response.text


def test_the_api_keeps_its_json_errors(web: Web) -> None:
    browser = web.browser(language="fr")
    unknown = browser.get("/api/v1/nowhere")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Introuvable"}  # in the caller's language
    anonymous = browser.get("/api/v1/participants")
    assert anonymous.status_code == 401 and anonymous.headers["content-type"] == "application/json"
    hidden = web.world.client("charlie").get(f"/api/v1/participants/{web.world.alice_id}")
    assert hidden.status_code == 404 and "detail" in hidden.json()
    invalid = web.world.client("bob").get("/api/v1/participants/not-a-number")
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["path", "participant_id"]
    assert browser.get("/healthz").json() == {"status": "ok"}
    assert browser.get("/static/missing.css").status_code == 404


def test_a_wrong_method_on_a_page_is_explained(web: Web) -> None:
    response = web.browser(language="en").put("/login")
    assert response.status_code == 405 and "allow" in response.headers
    assert "This address does not take that request" in response.text


def test_an_unexpected_failure_is_a_500_page_without_the_database(web: Web) -> None:
    app = web.world.client("anonymous").app
    assert isinstance(app, FastAPI)

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/broken-page", broken, include_in_schema=False)
    app.add_api_route("/api/v1/broken", broken, include_in_schema=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Accept-Language"] = "fr"
        page = client.get("/broken-page")
        assert page.status_code == 500 and lang_of(page) == "fr"
        assert "Un problème est survenu de notre côté" in page.text
        assert 'action="/language"' not in page.text, "no forms on the 500 page"
        api = client.get("/api/v1/broken")
        assert api.status_code == 500 and api.text == "Internal Server Error"


def test_pages_are_not_in_the_openapi_document(web: Web) -> None:
    paths = web.browser().get("/openapi.json").json()["paths"]
    assert {path for path in paths if not path.startswith("/api/")} == {"/healthz"}
