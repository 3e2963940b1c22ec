"""Images and short videos of an exercise: `/library/{exercise_id}/media` (list, add, remove; staff) and the
file itself at `/media/{media_id}` for anyone signed in at the clinic (the session player shows it to
participants and caregivers).

The file is served as stored, with its real type (read from its content at upload), `Content-Disposition:
inline`, `X-Content-Type-Options: nosniff`, a sandboxing Content-Security-Policy, and a private year-long cache
(a media item never changes: a new file is a new item, at a new address). Byte ranges are answered, so a video
can be scrubbed and played by every browser.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from neuromotrix.adapters.i18n import Translator
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.library_common import Staff, checked_id, exercise_id_of, render_library
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.services import library, media, templates

router = APIRouter(include_in_schema=False)

MEDIA_CACHE = "private, max-age=31536000, immutable"
MEDIA_CSP = "default-src 'none'; sandbox"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    exercise_id: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    with box.uow() as uow:
        found = library.get(uow, who.actor, exercise_id)
        items = media.list_media(uow, who.actor, exercise_id)
        zone = templates.clinic_time_zone(uow, who.actor.clinic_id)
    context = {
        "time_zone": zone,
        "entry": found,
        "exercise": found.exercise,
        "media": items,
        "errors": errors or FormErrors(),
        "values": values or {},
        "max_image_mib": media.MAX_IMAGE_BYTES // media.MiB,
        "max_video_mib": media.MAX_VIDEO_BYTES // media.MiB,
    }
    return render_library(request, "library/media.html", context, status_code=422 if errors else 200)


@router.get("/library/{exercise_id}/media")
async def media_page(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> HTMLResponse:
    return _page(request, who, box, exercise_id_of(exercise_id))


@router.post("/library/{exercise_id}/media", response_model=None)
async def upload(request: Request, exercise_id: str, who: Staff, box: ContainerDep) -> Response:
    wanted = exercise_id_of(exercise_id)
    tr = page_translator(request)
    form = await request.form()
    alt = {name: str(form.get(name) or "") for name in ("alt_en", "alt_fr")}
    upload_file = form.get("file")
    content = b""
    try:
        if isinstance(upload_file, UploadFile):
            content = await upload_file.read(media.MAX_VIDEO_BYTES + 1)  # enough to tell "too large" from the rest
    finally:
        await form.close()  # the uploaded file's temporary copy
    errors = FormErrors()
    for language, label in (
        ("en", tr.gettext("Describe it in English: what the image or video shows, for people who cannot see it.")),
        ("fr", tr.gettext("Describe it in French: what the image or video shows, for people who cannot see it.")),
    ):
        if not alt[f"alt_{language}"].strip():
            errors.add(f"alt_{language}", label)
    if not content:
        errors.add("file", tr.gettext("Choose a file: a PNG, JPEG or WebP image, or an MP4 or WebM video."))
    if errors:
        return _page(request, who, box, wanted, errors=errors, values=alt)
    try:
        with box.uow(write=True) as uow:
            media.add_media(
                uow, who.actor, wanted, content=content, alt_en=alt["alt_en"], alt_fr=alt["alt_fr"], now=box.clock()
            )
            uow.commit()
    except media.MediaError as error:
        errors.add(str(error.field[0]), _refusal(error, tr))
        return _page(request, who, box, wanted, errors=errors, values=alt)
    return RedirectResponse(f"/library/{wanted}/media?notice=media_added", status_code=303)


def _refusal(error: media.MediaError, tr: Translator) -> str:
    if error.reason == "too_large":
        megabytes = error.limit // media.MiB
        if error.limit == media.MAX_IMAGE_BYTES:
            return str(
                tr.gettext(
                    "The image is larger than %(size)s MiB. Save it smaller (fewer pixels, or JPEG or WebP), then add it again.",
                    size=megabytes,
                )
            )
        return str(
            tr.gettext(
                "The video is larger than %(size)s MiB. Keep it short (a few repetitions) or save it at a lower quality, then add it again.",
                size=megabytes,
            )
        )
    if error.reason == "alt_long":
        return str(
            tr.gettext(
                "Keep the description under %(count)s characters; the instructions say the rest.",
                count=media.MAX_ALT_CHARACTERS,
            )
        )
    if error.reason == "alt":
        return str(tr.gettext("Describe the image or video in both languages."))
    if error.reason == "empty":
        return str(tr.gettext("The file is empty. Choose a PNG, JPEG or WebP image, or an MP4 or WebM video."))
    return str(
        tr.gettext(
            "This file is not a PNG, JPEG or WebP image, nor an MP4 or WebM video (its content says otherwise). Save it in one of these formats, then add it again."
        )
    )


@router.post("/library/{exercise_id}/media/{media_id:int}/delete")
async def remove(request: Request, exercise_id: str, media_id: int, who: Staff, box: ContainerDep) -> RedirectResponse:
    wanted = exercise_id_of(exercise_id)
    with box.uow(write=True) as uow:
        media.delete_media(uow, who.actor, wanted, checked_id(media_id, "media"), now=box.clock())
        uow.commit()
    return RedirectResponse(f"/library/{wanted}/media?notice=media_removed", status_code=303)


@router.get(f"{media.MEDIA_PREFIX}/{{media_id:int}}")
async def media_file(request: Request, media_id: int, who: PageUser, box: ContainerDep) -> Response:
    with box.uow() as uow:
        found = media.media_file(uow, who.actor, checked_id(media_id, "media"))
    etag = f'"{found.sha256}"'
    headers = {
        "Cache-Control": MEDIA_CACHE,
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Content-Disposition": f'inline; filename="{found.file_name}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_CSP,
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    size = len(found.content)
    try:
        wanted = _byte_range(request.headers.get("range"), size)
    except UnsatisfiableRangeError:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    if wanted is None:
        return Response(found.content, media_type=found.content_type, headers=headers)
    start, end = wanted
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(found.content[start : end + 1], status_code=206, media_type=found.content_type, headers=headers)


class UnsatisfiableRangeError(Exception):
    """The asked byte range is outside the file (answered 416)."""


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range asked for (first and last byte), or None for the whole file (no Range header, or one
    this route does not split, such as several ranges: the whole file answers them all)."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise UnsatisfiableRangeError()
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise UnsatisfiableRangeError()
    return start, end
