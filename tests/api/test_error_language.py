"""The API words its errors in the caller's language (`Accept-Language`, English by default) and says which in
`Content-Language`; `type`, `loc` and the status never change with the language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import World

FR = {"Accept-Language": "fr-CA,fr;q=0.9"}
EN = {"Accept-Language": "en"}


def _answer(world: World, persona: str, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> Any:
    response = world.client(persona).request(method, path, headers=headers, **kwargs)
    return response


def test_not_found_in_both_languages(world: World) -> None:
    path = "/api/v1/participants/999999"
    english = _answer(world, "bob", "GET", path, EN)
    french = _answer(world, "bob", "GET", path, FR)
    assert english.status_code == french.status_code == 404
    assert english.json() == {"detail": "No such participant, or you may not see it. Check the identifier."}
    assert french.json() == {
        "detail": "Ce participant est introuvable, ou vous n'y avez pas accès. Vérifiez l'identifiant."
    }
    assert (english.headers["content-language"], french.headers["content-language"]) == ("en", "fr")
    assert "accept-language" in french.headers["vary"].lower()


def test_conflict_in_both_languages(world: World) -> None:
    path = f"/api/v1/participants/{world.alice_id}/programs/1/approve"
    english = _answer(world, "bob", "POST", path, EN)
    french = _answer(world, "bob", "POST", path, FR)
    assert english.status_code == french.status_code == 409
    assert english.json() == {"detail": "Version 1 is active, not a draft; only a draft can be approved."}
    assert french.json()["detail"].startswith("La version 1 a le statut active, et non brouillon (draft)")


def test_domain_validation_error_keeps_type_and_loc(world: World) -> None:
    path = "/api/v1/exercises?position=upside_down"
    english = _answer(world, "bob", "GET", path, EN)
    french = _answer(world, "bob", "GET", path, FR)
    assert english.status_code == french.status_code == 422
    [en_item], [fr_item] = english.json()["detail"], french.json()["detail"]
    assert (en_item["loc"], en_item["type"]) == (fr_item["loc"], fr_item["type"]) == (["body"], "invalid")
    assert en_item["msg"].startswith("position: unknown position 'upside_down'. Allowed values: ")
    assert fr_item["msg"].startswith("position : position inconnue 'upside_down'. Valeurs permises : ")
    assert french.headers["content-language"] == "fr"


def test_request_validation_error_translates_msg_only(world: World) -> None:
    body = {"email": "a", "password": "", "extra": 1}
    english = _answer(world, "anonymous", "POST", "/api/v1/auth/login", EN, json=body)
    french = _answer(world, "anonymous", "POST", "/api/v1/auth/login", FR, json=body)
    assert english.status_code == french.status_code == 422
    en_items, fr_items = english.json()["detail"], french.json()["detail"]
    assert [(i["loc"], i["type"]) for i in en_items] == [(i["loc"], i["type"]) for i in fr_items]
    by_field = {item["loc"][-1]: (item["msg"], other["msg"]) for item, other in zip(en_items, fr_items, strict=True)}
    assert by_field["email"] == (
        "String should have at least 3 characters",
        "La chaîne doit compter au moins 3 caractères",
    )
    assert by_field["password"] == (
        "String should have at least 1 character",
        "La chaîne doit compter au moins 1 caractère",
    )
    assert by_field["extra"] == (
        "Extra inputs are not permitted",
        "Champ non permis : retirez-le ou vérifiez son orthographe",
    )
    assert (english.headers["content-language"], french.headers["content-language"]) == ("en", "fr")


def test_missing_body_field_in_french(world: World) -> None:
    french = _answer(world, "anonymous", "POST", "/api/v1/auth/login", FR, json={"email": "bob@example.org"})
    assert french.status_code == 422
    assert french.json()["detail"] == [{"loc": ["body", "password"], "msg": "Champ obligatoire", "type": "missing"}]


def test_unauthenticated_in_both_languages(world: World) -> None:
    english = _answer(world, "anonymous", "GET", "/api/v1/participants", EN)
    french = _answer(world, "anonymous", "GET", "/api/v1/participants", FR)
    assert english.status_code == french.status_code == 401
    assert english.json() == {
        "detail": "Sign in first (POST /api/v1/auth/login), or send an API token as `Authorization: Bearer`."
    }
    assert french.json()["detail"].startswith("Connectez-vous d'abord (POST /api/v1/auth/login)")
    assert french.headers["www-authenticate"] == "Bearer"
    assert french.headers["content-language"] == "fr"


def test_unknown_address_in_both_languages(world: World) -> None:
    english = _answer(world, "bob", "GET", "/api/v1/no-such-thing", EN)
    french = _answer(world, "bob", "GET", "/api/v1/no-such-thing", FR)
    assert english.status_code == french.status_code == 404
    assert (english.json(), french.json()) == ({"detail": "Not Found"}, {"detail": "Introuvable"})
    assert french.headers["content-language"] == "fr"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE, fr;q=0.5, en;q=0.4", "fr"),
        ("en;q=0.3, fr-CA;q=0.8", "fr"),
        ("fr;q=0.2, en;q=0.9", "en"),
        ("fr;q=0, en;q=0.1", "en"),
        ("de, es", "en"),
        ("*", "en"),
        ("fr;q=nonsense, en", "en"),
    ],
)
def test_language_negotiation_by_q_value(world: World, header: str | None, language: str) -> None:
    headers = {} if header is None else {"Accept-Language": header}
    response = _answer(world, "bob", "GET", "/api/v1/participants/999999", headers)
    assert response.status_code == 404
    assert response.headers["content-language"] == language
    assert response.json()["detail"].startswith("Ce participant" if language == "fr" else "No such participant")


def test_success_answers_are_unchanged(world: World) -> None:
    response = _answer(world, "bob", "GET", "/api/v1/exercises", FR)
    assert response.status_code == 200
    assert "content-language" not in response.headers
