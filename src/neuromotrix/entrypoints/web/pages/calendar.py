"""The participant's sessions in their own calendar (docs/calendar.md).

- `/p/{participant_id}/calendar`: download the `.ics` file, make a private subscription address (shown once),
  list the addresses and turn them off. For the participant, their caregivers and their trainer (anyone else: 404).
- `/p/{participant_id}/calendar.ics`: the file, for someone signed in.
- `/calendar/{token}.ics`: the subscription feed, read by calendar apps without signing in; an unknown or
  turned-off address is a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from neuromotrix.adapters.ics import MEDIA_TYPE
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.entrypoints.web.api.pagination import Id
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import PageUser
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.participant_common import page_context
from neuromotrix.entrypoints.web.pages.rendering import render
from neuromotrix.services import calendar_feeds, participant_view

router = APIRouter(include_in_schema=False)

# A feed changes when the program does; calendar apps poll it, and nothing in it should sit in a shared cache.
FEED_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def _page(
    request: Request,
    who: Caller,
    box: ContainerDep,
    participant_id: int,
    *,
    created: calendar_feeds.NewFeed | None = None,
    status: str | None = None,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with box.uow() as uow:
        name = participant_view.name_of(uow, who.actor, participant_id)
        feeds = calendar_feeds.list_feeds(uow, who.actor, participant_id)
        clinic = participant_view.clinic_of(uow, participant_id)
    base = box.settings.base_url.rstrip("/")
    new_address = None if created is None else base + created.path
    context = page_context(who, participant_id, name, "calendar") | {
        "feeds": feeds,
        "new_address": new_address,
        "new_webcal": None if new_address is None else "webcal://" + new_address.split("://", 1)[-1],
        "status": status,
        "errors": errors or FormErrors(),
        "values": values or {},
        "time_zone": clinic.time_zone,
        "max_label": calendar_feeds.MAX_LABEL,
    }
    headers = {"Cache-Control": "no-store"} if created is not None else None  # the address is shown once
    return render(request, "calendar/calendar.html", context, status_code=status_code, headers=headers)


@router.get("/p/{participant_id}/calendar")
async def calendar_page(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    return _page(request, who, box, participant_id)


@router.post("/p/{participant_id}/calendar")
async def create_feed(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    fields = await form_fields(request)
    label = fields.get("label", "")
    errors = FormErrors()
    if len(" ".join(label.split())) > calendar_feeds.MAX_LABEL:
        errors.add(
            "label",
            tr.gettext("Shorten the name to %(count)s characters or fewer.", count=calendar_feeds.MAX_LABEL),
        )
        return _page(request, who, box, participant_id, errors=errors, values={"label": label}, status_code=422)
    try:
        with box.uow(write=True) as uow:
            created = calendar_feeds.create_feed(uow, who.actor, participant_id, label=label, now=box.clock())
            uow.commit()
    except Conflict:
        errors.add(
            None,
            tr.gettext(
                "There are already %(count)s private addresses in use. Turn off one you no longer use, then try again.",
                count=calendar_feeds.MAX_ACTIVE_FEEDS,
            ),
        )
        return _page(request, who, box, participant_id, errors=errors, values={"label": label}, status_code=409)
    return _page(request, who, box, participant_id, created=created)


@router.post("/p/{participant_id}/calendar/revoke")
async def revoke_feed(request: Request, participant_id: Id, who: PageUser, box: ContainerDep) -> HTMLResponse:
    tr = page_translator(request)
    fields = await form_fields(request)
    feed = fields.get("feed", "")
    if not feed.isdigit():
        raise InvalidRequest(
            "Choose the address to turn off from the list.",
            fr="Choisissez dans la liste l'adresse à désactiver.",
            field=("feed",),
        )
    with box.uow(write=True) as uow:
        calendar_feeds.revoke_feed(uow, who.actor, participant_id, int(feed), now=box.clock())
        uow.commit()
    status = tr.gettext("The address is turned off. Calendars that used it no longer receive the sessions.")
    return _page(request, who, box, participant_id, status=status)


@router.get("/p/{participant_id}/calendar.ics")
async def download(participant_id: Id, who: PageUser, box: ContainerDep) -> Response:
    with box.uow(write=True) as uow:
        content = calendar_feeds.export_calendar(
            uow, who.actor, participant_id, now=box.clock(), base_url=box.settings.base_url
        )
        uow.commit()
    headers = {"Content-Disposition": 'attachment; filename="neuromotrix-sessions.ics"', "Cache-Control": "no-store"}
    return Response(content, media_type=MEDIA_TYPE, headers=headers)


@router.get("/calendar/{token}.ics")
async def feed(token: str, box: ContainerDep) -> Response:
    with box.uow(write=True) as uow:
        content = calendar_feeds.feed_calendar(uow, token, now=box.clock(), base_url=box.settings.base_url)
        uow.commit()
    return Response(content, media_type=MEDIA_TYPE, headers=FEED_HEADERS)
