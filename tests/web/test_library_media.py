"""Images and short videos on exercises: Bob adds them at `/library/{id}/media`; their type is read from their
content, their size is limited, their text alternative is required in English and French; they are served at a
stable address with the right headers, to everyone signed in at the clinic (the session player uses them)."""

from __future__ import annotations

from typing import Any

import pytest

from neuromotrix.services import media
from tests.api.conftest import NOW
from tests.web.conftest import Web, csrf_of
from tests.web.participant_helpers import form_of, post
from tests.web.test_library_permissions import add_clinic_exercise, dana, png, staff_actor

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 64
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
    + b"\x00" * 32
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def upload(
    client: Any, exercise_id: str, content: bytes, *, name: str = "photo.png", declared: str = "image/png", **alt: str
) -> Any:
    page = client.get(f"/library/{exercise_id}/media")
    data = {
        "csrf_token": csrf_of(page),
        "alt_en": "Sitting tall, chin level",
        "alt_fr": "Assis bien droit, menton à l'horizontale",
    }
    return client.post(
        f"/library/{exercise_id}/media",
        data=data | alt,
        files={"file": (name, content, declared)},
        follow_redirects=False,
    )


def test_bob_adds_an_image_that_the_library_and_the_player_show(web: Web) -> None:
    bob = web.signed_in("bob")
    added = upload(bob, "NM04", png())
    assert added.status_code == 303 and added.headers["location"] == "/library/NM04/media?notice=media_added"
    page = bob.get(added.headers["location"])
    assert "Added. It is shown on this page and in the session player." in page.text
    assert '<img src="/media/1" alt="Sitting tall, chin level" loading="lazy">' in page.text
    assert '<img src="/media/1" alt="Sitting tall, chin level"' in bob.get("/library/NM04").text
    assert "1 image or video" in bob.get("/library?category=neck_motor_control").text

    with web.container.uow() as uow:
        for_player = media.media_for(uow, staff_actor(web), ["NM04", "NM01"], "fr")
    assert for_player == {
        "NM04": [media.PlayerMedia("/media/1", "image", "image/png", "Assis bien droit, menton à l'horizontale")]
    }


def test_the_file_is_served_with_its_type_inline_cached_and_never_sniffed(web: Web) -> None:
    bob = web.signed_in("bob")
    assert upload(bob, "NM04", png(8, 8)).status_code == 303
    answer = web.signed_in("alice").get("/media/1")
    assert answer.status_code == 200 and answer.content == png(8, 8)
    headers = answer.headers
    assert headers["content-type"] == "image/png"
    assert headers["content-disposition"] == 'inline; filename="NM04-1.png"'
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, max-age=31536000, immutable"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["content-length"] == str(len(png(8, 8)))

    again = bob.get("/media/1", headers={"If-None-Match": headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    part = bob.get("/media/1", headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == b"\x89PNG\r\n\x1a\n"
    assert part.headers["content-range"] == f"bytes 0-7/{len(png(8, 8))}"
    tail = bob.get("/media/1", headers={"Range": "bytes=-4"})
    assert tail.status_code == 206 and tail.content == png(8, 8)[-4:]
    beyond = bob.get("/media/1", headers={"Range": "bytes=100000-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(png(8, 8))}"
    assert bob.get("/media/2").status_code == 404
    assert bob.get("/media/99999999999").status_code == 404


def test_a_video_plays_with_controls_and_its_text(web: Web) -> None:
    bob = web.signed_in("bob")
    exercise_id = add_clinic_exercise(web)
    added = upload(bob, exercise_id, MP4, name="squeeze.mov", declared="video/quicktime")
    assert added.status_code == 303, added.text
    page = bob.get(f"/library/{exercise_id}").text
    assert '<video controls preload="metadata" aria-label="Sitting tall, chin level">' in page
    assert '<source src="/media/1" type="video/mp4">' in page and "autoplay" not in page
    served = bob.get("/media/1")
    assert served.headers["content-type"] == "video/mp4", "the content decides, not the declared type"
    assert served.headers["content-disposition"] == f'inline; filename="{exercise_id}-1.mp4"'
    assert upload(bob, exercise_id, WEBM, name="clip.webm", declared="video/webm").status_code == 303
    assert bob.get("/media/2").headers["content-type"] == "video/webm"


@pytest.mark.parametrize(
    ("content", "name", "declared"),
    [
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif", "image/gif"),
        (b"<!doctype html><script>alert(1)</script>", "page.png", "image/png"),
        (b"%PDF-1.7\n", "letter.png", "image/png"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "clip.mp4", "video/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "clip.webm", "video/webm"),
    ],
)
def test_a_file_that_is_not_an_accepted_image_or_video_is_refused(
    web: Web, content: bytes, name: str, declared: str
) -> None:
    refused = upload(web.signed_in("bob"), "NM04", content, name=name, declared=declared)
    assert refused.status_code == 422
    assert (
        '<a href="#file">This file is not a PNG, JPEG or WebP image, nor an MP4 or WebM video (its content says '
        "otherwise). Save it in one of these formats, then add it again.</a>"
    ) in refused.text
    assert "Sitting tall, chin level</textarea>" in refused.text, "the descriptions stay"
    with web.container.uow() as uow:
        assert media.list_media(uow, staff_actor(web), "NM04") == []


def test_sizes_are_limited_and_the_limit_is_said(web: Web) -> None:
    big = png() + b"\x00" * (media.MAX_IMAGE_BYTES - len(png()) + 1)
    refused = upload(web.signed_in("bob"), "NM04", big)
    assert refused.status_code == 422
    assert '<a href="#file">The image is larger than 2 MiB. Save it smaller' in refused.text
    just = png() + b"\x00" * (media.MAX_IMAGE_BYTES - len(png()))
    assert upload(web.signed_in("bob"), "NM04", just).status_code == 303

    with pytest.raises(media.MediaError) as too_long:
        media.checked_upload(MP4 + b"\x00" * media.MAX_VIDEO_BYTES)
    assert too_long.value.reason == "too_large" and too_long.value.limit == 20 * 1024 * 1024
    assert "larger than 20 MiB" in str(too_long.value)
    assert media.checked_upload(JPEG) == ("image/jpeg", "image")
    assert media.checked_upload(WEBP) == ("image/webp", "image")


def test_the_text_alternative_is_required_in_both_languages(web: Web) -> None:
    bob = web.signed_in("bob")
    missing = upload(bob, "NM04", png(), alt_en="", alt_fr="  ")
    assert missing.status_code == 422
    assert '<a href="#alt_en">Describe it in English: what the image or video shows' in missing.text
    assert '<a href="#alt_fr">Describe it in French: what the image or video shows' in missing.text
    empty = upload(bob, "NM04", b"")
    assert '<a href="#file">Choose a file: a PNG, JPEG or WebP image, or an MP4 or WebM video.</a>' in empty.text
    long = upload(bob, "NM04", png(), alt_en="x" * 301)
    assert '<a href="#alt_en">Keep the description under 300 characters' in long.text


def test_who_removes_a_media_item(web: Web) -> None:
    bob = web.signed_in("bob")
    assert upload(bob, "NM04", png()).status_code == 303
    assert upload(bob, "NM04", JPEG, name="b.jpg", declared="image/jpeg").status_code == 303
    charlie = web.signed_in("charlie")
    page = charlie.get("/library/NM04/media")
    assert 'action="/library/NM04/media/1/delete"' not in page.text, "not his to remove"
    refused = charlie.post("/library/NM04/media/1/delete", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 403
    bob_page = bob.get("/library/NM04/media")
    assert bob.post("/library/NM01/media/1/delete", data={"csrf_token": csrf_of(bob_page)}).status_code == 404
    removed = bob.post("/library/NM04/media/1/delete", data={"csrf_token": csrf_of(bob_page)})
    assert removed.status_code == 303 and removed.headers["location"] == "/library/NM04/media?notice=media_removed"
    assert bob.get("/media/1").status_code == 404
    admin = dana(web)
    admin_page = admin.get("/library/NM04/media")
    assert admin.post("/library/NM04/media/2/delete", data={"csrf_token": csrf_of(admin_page)}).status_code == 303
    with web.container.uow() as uow:
        assert media.list_media(uow, staff_actor(web), "NM04") == []


def test_media_of_an_unknown_exercise_cannot_be_added(web: Web) -> None:
    bob = web.signed_in("bob")
    assert bob.get("/library/ZZ99/media").status_code == 404
    with pytest.raises(Exception, match="No such exercise"), web.container.uow(write=True) as uow:
        media.add_media(uow, staff_actor(web), "ZZ99", content=png(), alt_en="a", alt_fr="b", now=NOW)


def test_the_session_player_shows_the_media_of_the_exercise_with_its_instructions(web: Web) -> None:
    alice, bob = web.signed_in("alice"), web.signed_in("bob")
    before = {"go": "next", "before_pain": "3", "before_dystonia": "3", "before_fatigue": "2"}
    start = form_of(alice.get(f"/p/{web.world.alice_id}/session"), "step-form")
    card = post(alice, start, before)
    assert form_of(card, "step-form").hidden["step"] == "0"
    assert 'class="exercise-media"' not in card.text  # nothing added yet: the written instructions only
    today = bob.get(f"/api/v1/participants/{web.world.alice_id}/today").json()
    assert upload(bob, today["session"]["blocks"][0]["exercise_id"], png()).status_code == 303
    shown = post(alice, start, before)
    assert '<img src="/media/1" alt="Assis bien droit, menton' in shown.text  # Alice reads French
    assert 'class="instructions"' in shown.text
