"""Who may use the exercise library. Bob (trainer) and Dana (clinic admin) use it; Alice (participant) and Carl
(her caregiver) get the 403 page; Olga, a trainer at another clinic, never sees the Clinique Demo's own exercises,
media or templates (404, as if they did not exist), and the clinic's people never see hers.

The helpers here (another clinic, Dana signed in, a clinic exercise, a PNG) serve the other library tests.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pyotp
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import users
from neuromotrix.services import accounts, library, media, templates
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW, PASSWORD, TOTP_SECRET
from tests.web.conftest import Web, csrf_of, post_form


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def exercise_document(**changes: Any) -> dict[str, Any]:
    """A valid clinic exercise, as a catalog document: a seated shoulder-blade squeeze with three levels."""

    def level(reps: int) -> dict[str, Any]:
        return {
            "position": "sitting",
            "dose": {"sets": 1, "reps": reps, "hold_s": 3, "rest_s": 30, "effort": {"scale": "cr10", "target": [1, 2]}},
            "text": {"en": f"Sitting, {reps} squeezes", "fr": f"Assis, {reps} serrements"},
        }

    document: dict[str, Any] = {
        "category": "scapular_posture",
        "name": {"en": "Seated shoulder-blade squeeze", "fr": "Serrement des omoplates assis"},
        "purpose": {"en": "Wakes up the muscles between the shoulder blades.", "fr": "Active les muscles entre les omoplates."},
        "instructions": {"en": "Sit tall. Squeeze the shoulder blades gently together, then release.",
                         "fr": "Assoyez-vous bien droit. Serrez doucement les omoplates, puis relâchez."},
        "conditions": ["dystonia"],
        "regions": ["trunk"],
        "equipment": ["chair"],
        "levels": [level(6), level(8), level(10)],
        "refs": ["R3"],
    }  # fmt: skip
    return document | changes


def staff_actor(web: Web, persona: str = "bob") -> Actor:
    with web.container.uow() as uow:
        clinic = uow.connection.execute(
            sa.select(users.c.clinic_id).where(users.c.id == web.world.ids[persona])
        ).scalar_one()
    role = "admin" if persona == "dana" else "trainer"
    return Actor(web.world.ids[persona], int(clinic), role, f"{persona}@example.org", persona.title(), "en", True)


def add_clinic_exercise(web: Web, persona: str = "bob", **changes: Any) -> str:
    with web.container.uow(write=True) as uow:
        exercise_id = library.create_custom(uow, staff_actor(web, persona), exercise_document(**changes), now=NOW)
        uow.commit()
    return exercise_id


def olga(web: Web) -> tuple[TestClient, Actor]:
    """Olga, a trainer of another clinic (the Centre Sainte-Émilie), signed in through the pages."""
    with web.container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Centre Sainte-Émilie", now=NOW)
        user = accounts.create_user(
            uow, clinic_id=clinic, email="olga@example.org", name="Olga", role="trainer", now=NOW, password=PASSWORD,
            language="en",
        )  # fmt: skip
        uow.commit()
    actor = Actor(user, clinic, "trainer", "olga@example.org", "Olga", "en", True)
    return web.signed_in("olga"), actor


def dana(web: Web) -> TestClient:
    """Dana, the clinic admin, signed in through `/login` with her password and her app's code."""
    browser = web.browser()
    first = post_form(browser, "/login", {"email": "dana@example.org", "password": PASSWORD})
    code = pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now)
    signed = browser.post(
        "/login", data={"csrf_token": csrf_of(first), "email": "dana@example.org", "password": PASSWORD, "totp": code}
    )
    assert signed.status_code == 303, signed.text
    return browser


LIBRARY_PAGES = ("/library", "/library/NM04", "/library/NM04/media", "/library/custom/new", "/library/templates")


def test_trainers_and_admins_use_the_library(web: Web) -> None:
    for browser in (web.signed_in("bob"), dana(web)):
        for path in LIBRARY_PAGES:
            assert browser.get(path).status_code == 200, path
    header = web.signed_in("bob").get("/library").text
    assert '<a href="/library" aria-current="page">Library</a>' in header


def test_participants_and_caregivers_get_the_403_page(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    for persona, home in (("alice", "/today"), ("carl", "/people")):
        browser = web.signed_in(persona)
        for path in (*LIBRARY_PAGES, f"/library/{exercise_id}", f"/participants/{web.world.alice_id}/save-template"):
            assert browser.get(path).status_code == 403, (persona, path)
        start = browser.get(home, follow_redirects=True)
        assert start.status_code == 200 and 'href="/library"' not in start.text, "no Library link in their header"
        posted = post_form(browser, "/library/custom/new", {"name_en": "x"}, form_page="/library")
        assert posted.status_code == 403


def test_another_clinics_exercises_media_and_templates_are_not_found(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    with web.container.uow(write=True) as uow:
        bob = staff_actor(web)
        media_id = media.add_media(uow, bob, exercise_id, content=png(), alt_en="A chair", alt_fr="Une chaise", now=NOW)
        uow.commit()
    bob_browser = web.signed_in("bob")
    saved = post_form(bob_browser, f"/participants/{web.world.alice_id}/save-template", {"name": "Starter"})
    assert saved.status_code == 303, saved.text
    template_id = int(saved.headers["location"].split("/")[-1].split("?")[0])

    browser, olga_actor = olga(web)
    for path in (
        f"/library/{exercise_id}",
        f"/library/custom/{exercise_id}/edit",
        f"/library/{exercise_id}/media",
        f"/media/{media_id}",
        f"/library/templates/{template_id}",
        f"/participants/{web.world.alice_id}/save-template",
    ):
        assert browser.get(path).status_code == 404, path
    listed = browser.get("/library").text
    assert exercise_id not in listed and "Seated shoulder-blade squeeze" not in listed
    assert "Starter" not in browser.get("/library/templates").text
    for path, data in (
        (f"/library/custom/{exercise_id}/edit", {"name_en": "Mine now"}),
        (f"/library/{exercise_id}/media/{media_id}/delete", {}),
        (f"/library/templates/{template_id}/delete", {}),
        (f"/library/templates/{template_id}/apply", {"participant_id": str(web.world.alice_id), "preferences": "no"}),
        (f"/participants/{web.world.alice_id}/save-template", {"name": "Taken"}),
    ):
        posted = post_form(browser, path, data, form_page="/library")
        assert posted.status_code == 404, path

    # Olga's own clinic exercise gets the same first id: ids are per clinic, and never mixed.
    with web.container.uow(write=True) as uow:
        hers = library.create_custom(uow, olga_actor, exercise_document(), now=NOW)
        uow.commit()
    assert hers == exercise_id == "XA01"
    with web.container.uow() as uow:
        assert library.get(uow, staff_actor(web), exercise_id).exercise.name.en == "Seated shoulder-blade squeeze"
        assert templates.list_templates(uow, olga_actor) == []
        assert media.media_for(uow, olga_actor, [exercise_id], "en") == {}


def test_a_participant_may_fetch_her_clinics_media_for_the_player(web: Web) -> None:
    with web.container.uow(write=True) as uow:
        media_id = media.add_media(
            uow, staff_actor(web), "NM04", content=png(), alt_en="Start", alt_fr="Départ", now=NOW
        )
        uow.commit()
    for persona in ("alice", "carl", "bob"):
        answer = web.signed_in(persona).get(f"/media/{media_id}")
        assert answer.status_code == 200 and answer.content == png(), persona
    assert web.browser().get(f"/media/{media_id}").status_code == 303, "anonymous visitors sign in first"
