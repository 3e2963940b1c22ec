"""Images and short videos attached to exercises (catalog or clinic ones), stored in the database.

- Types are read from the content's first bytes (magic numbers), never from the file name or the declared type:
  PNG, JPEG and WebP images; MP4 and WebM videos. Anything else is refused.
- Size limits: `MAX_IMAGE_BYTES` (2 MiB) for an image, `MAX_VIDEO_BYTES` (20 MiB) for a video.
- Every item has a text alternative in English and in French (required): the `alt` of an image, the
  description of a video, and the text shown where the media cannot be played.
- Media belong to a clinic: staff (trainers, admins) add them; the person who added one or an admin removes it;
  everyone signed in at the clinic (participants and caregivers too: the session player shows them) may fetch
  them at `media_url(id)`. Another clinic's media is `NotFound`.

`media_for(uow, actor, exercise_ids, language)` is what the session player needs: per exercise id, the URL, the
kind (`image` or `video`), the content type and the text alternative in the page's language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import exercise_media
from neuromotrix.domain.errors import Forbidden, InvalidRequest, NotFound
from neuromotrix.services import library
from neuromotrix.services.access import Actor, require_staff
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

MiB = 1024 * 1024
MAX_IMAGE_BYTES = 2 * MiB
MAX_VIDEO_BYTES = 20 * MiB
MAX_ALT_CHARACTERS = 300
MEDIA_PREFIX = "/media"

MediaKind = Literal["image", "video"]
KIND_OF: dict[str, MediaKind] = {
    "image/png": "image",
    "image/jpeg": "image",
    "image/webp": "image",
    "video/mp4": "video",
    "video/webm": "video",
}
EXTENSION_OF = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "video/mp4": "mp4", "video/webm": "webm"}
# ISO base media brands of MP4 files (the `ftyp` box); QuickTime (`qt  `) and HEIF/AVIF images are not MP4 video.
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"dash",
        b"M4V ",
        b"mmp4",
        b"MSNV",
    }
)


def media_url(media_id: int) -> str:
    """The stable address of a stored media item (its content never changes: a new file is a new item)."""
    return f"{MEDIA_PREFIX}/{media_id}"


def sniff(content: bytes) -> str | None:
    """The content type a file's first bytes show, among the accepted ones, else None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in MP4_BRANDS:
        return "video/mp4"
    if content.startswith(b"\x1a\x45\xdf\xa3") and b"\x42\x82\x84webm" in content[:64]:
        return "video/webm"  # an EBML header whose DocType is "webm" (not another Matroska file)
    return None


class MediaError(InvalidRequest):
    """An upload refused: `reason` is `empty`, `type`, `too_large` or `alt` (with `limit` in bytes for
    `too_large`, and `language` for `alt`)."""

    def __init__(
        self, message: str, *, fr: str, reason: str, field: str = "file", limit: int = 0, language: str = ""
    ) -> None:
        super().__init__(message, fr=fr, field=(field,))
        self.reason = reason
        self.limit = limit
        self.language = language


def checked_upload(content: bytes) -> tuple[str, MediaKind]:
    """The real content type and kind of an upload, or `MediaError` saying what is wrong."""
    if not content:
        raise MediaError(
            "The file is empty. Choose a PNG, JPEG or WebP image, or an MP4 or WebM video.",
            fr="Le fichier est vide. Choisissez une image PNG, JPEG ou WebP, ou une vidéo MP4 ou WebM.",
            reason="empty",
        )
    content_type = sniff(content)
    if content_type is None:
        raise MediaError(
            "The file is not a PNG, JPEG or WebP image, nor an MP4 or WebM video (its content says otherwise). "
            "Save it in one of these formats and add it again.",
            fr=(
                "Le fichier n'est ni une image PNG, JPEG ou WebP, ni une vidéo MP4 ou WebM (son contenu dit autre chose). "
                "Enregistrez-le dans l'un de ces formats et ajoutez-le de nouveau."
            ),
            reason="type",
        )
    kind = KIND_OF[content_type]
    limit = MAX_IMAGE_BYTES if kind == "image" else MAX_VIDEO_BYTES
    if len(content) > limit:
        raise MediaError(
            f"The {kind} is larger than {limit // MiB} MiB. Add a smaller or shorter file.",
            fr=(
                f"{'La vidéo' if kind == 'video' else 'L’image'} dépasse {limit // MiB} Mio. Ajoutez un fichier plus petit "
                "ou plus court."
            ),
            reason="too_large",
            limit=limit,
        )
    return content_type, kind


def _checked_alt(alt: str, language: str) -> str:
    text = " ".join(alt.split())
    if not text:
        raise MediaError(
            f"Describe the image or video in {'French' if language == 'fr' else 'English'}: what it shows, for "
            "people who cannot see it.",
            fr=(
                f"Décrivez l'image ou la vidéo en {'français' if language == 'fr' else 'anglais'} : ce qu'elle montre, pour "
                "les personnes qui ne peuvent pas la voir."
            ),
            reason="alt",
            field=f"alt_{language}",
            language=language,
        )
    if len(text) > MAX_ALT_CHARACTERS:
        raise MediaError(
            f"Keep the description under {MAX_ALT_CHARACTERS} characters; the exercise's instructions say the rest.",
            fr=(
                f"Gardez la description sous {MAX_ALT_CHARACTERS} caractères; les consignes de l'exercice disent le reste."
            ),
            reason="alt_long",
            field=f"alt_{language}",
            language=language,
        )
    return text


# Writing --------------------------------------------------------------------------------------------------


def add_media(
    uow: UnitOfWork,
    actor: Actor,
    exercise_id: str,
    *,
    content: bytes,
    alt_en: str,
    alt_fr: str,
    now: dt.datetime,
) -> int:
    """Store an image or a video for an exercise of the catalog or of the actor's clinic; its new id."""
    require_staff(actor)
    if not library.exists(uow, actor, exercise_id):
        raise NotFound("exercise")
    texts = {"en": _checked_alt(alt_en, "en"), "fr": _checked_alt(alt_fr, "fr")}
    content_type, kind = checked_upload(content)
    media_id = uow.connection.execute(
        exercise_media.insert()
        .values(
            clinic_id=actor.clinic_id,
            exercise_id=exercise_id,
            kind=kind,
            content_type=content_type,
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            alt_en=texts["en"],
            alt_fr=texts["fr"],
            created_by=actor.user_id,
            created_at=now,
        )
        .returning(exercise_media.c.id)
    ).scalar_one()
    _audit(uow, actor, "create", int(media_id), f"{exercise_id} {content_type} {len(content)} bytes", now)
    return int(media_id)


def delete_media(uow: UnitOfWork, actor: Actor, exercise_id: str, media_id: int, *, now: dt.datetime) -> None:
    """Remove a media item: the person who added it, or a clinic admin."""
    require_staff(actor)
    row = uow.connection.execute(
        sa.select(exercise_media.c.id, exercise_media.c.created_by).where(
            exercise_media.c.id == media_id,
            exercise_media.c.clinic_id == actor.clinic_id,
            exercise_media.c.exercise_id == exercise_id,
        )
    ).first()
    if row is None:
        raise NotFound("media")
    if actor.role != "admin" and row.created_by != actor.user_id:
        raise Forbidden(
            "Only the person who added this media, or a clinic admin, may remove it.",
            fr="Seule la personne qui a ajouté ce média, ou un administrateur de la clinique, peut le retirer.",
        )
    uow.connection.execute(exercise_media.delete().where(exercise_media.c.id == media_id))
    _audit(uow, actor, "delete", media_id, exercise_id, now)


def _audit(uow: UnitOfWork, actor: Actor, action: str, media_id: int, detail: str, now: dt.datetime) -> None:
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, action, "exercise_media", str(media_id), None, detail)
    )


# Reading --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaInfo:
    """A media item without its bytes."""

    id: int
    exercise_id: str
    kind: MediaKind
    content_type: str
    size_bytes: int
    alt_en: str
    alt_fr: str
    created_by: int | None
    created_at: dt.datetime

    @property
    def url(self) -> str:
        return media_url(self.id)

    def alt(self, language: str) -> str:
        return self.alt_fr if language == "fr" else self.alt_en


@dataclass(frozen=True)
class PlayerMedia:
    """What the session player shows: `<img src=url alt=alt>` or `<video controls src=url>` with `alt` as the
    description and the text shown where the video cannot play."""

    url: str
    kind: MediaKind
    content_type: str
    alt: str


@dataclass(frozen=True)
class MediaFile:
    content: bytes
    content_type: str
    sha256: str
    file_name: str


INFO_COLUMNS = [column for column in exercise_media.c if column.name not in ("content", "sha256", "clinic_id")]


def _info(row: sa.Row[Any]) -> MediaInfo:
    return MediaInfo(**{column.name: getattr(row, column.name) for column in INFO_COLUMNS})


def list_media(uow: UnitOfWork, actor: Actor, exercise_id: str) -> list[MediaInfo]:
    """The clinic's media of one exercise, oldest first."""
    require_staff(actor)
    return media_of(uow, actor.clinic_id, [exercise_id]).get(exercise_id, [])


def media_of(uow: UnitOfWork, clinic_id: int, exercise_ids: Iterable[str]) -> dict[str, list[MediaInfo]]:
    wanted = sorted(set(exercise_ids))
    if not wanted:
        return {}
    rows = uow.connection.execute(
        sa.select(*INFO_COLUMNS)
        .where(exercise_media.c.clinic_id == clinic_id, exercise_media.c.exercise_id.in_(wanted))
        .order_by(exercise_media.c.id)
    )
    found: dict[str, list[MediaInfo]] = {}
    for row in rows:
        found.setdefault(row.exercise_id, []).append(_info(row))
    return found


def media_for(
    uow: UnitOfWork, actor: Actor, exercise_ids: Iterable[str], language: str
) -> dict[str, list[PlayerMedia]]:
    """For the session player: each exercise's media (oldest first) with its text in `language`; exercises
    without media are left out (the player shows the text instructions only). Anyone signed in at the clinic."""
    return {
        exercise_id: [PlayerMedia(item.url, item.kind, item.content_type, item.alt(language)) for item in items]
        for exercise_id, items in media_of(uow, actor.clinic_id, exercise_ids).items()
    }


def media_file(uow: UnitOfWork, actor: Actor, media_id: int) -> MediaFile:
    """The stored bytes, for anyone signed in at the media's clinic; `NotFound` otherwise."""
    row = uow.connection.execute(
        sa.select(
            exercise_media.c.exercise_id,
            exercise_media.c.content,
            exercise_media.c.content_type,
            exercise_media.c.sha256,
        ).where(exercise_media.c.id == media_id, exercise_media.c.clinic_id == actor.clinic_id)
    ).first()
    if row is None:
        raise NotFound("media")
    name = f"{row.exercise_id}-{media_id}.{EXTENSION_OF[row.content_type]}"
    return MediaFile(bytes(row.content), row.content_type, row.sha256, name)
