"""Start pages of each role, as placeholders: the participant, caregiver, trainer and admin sections replace
them (and keep the paths, which `/` and the header links point to)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from neuromotrix.adapters.i18n import N_
from neuromotrix.entrypoints.web.deps import Caller, ContainerDep
from neuromotrix.entrypoints.web.pages.deps import require_roles
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

HEADINGS = {
    "/today": N_("Today"),
    "/people": N_("People I help"),
    "/dashboard": N_("Dashboard"),
    "/admin": N_("Administration"),
}


def _placeholder(request: Request, box: ContainerDep) -> HTMLResponse:
    heading = page_translator(request).gettext(HEADINGS[request.url.path])
    return render(request, "home/placeholder.html", {"heading": heading, "today": box.clock()})


@router.get("/today")
async def today(
    request: Request, box: ContainerDep, _who: Annotated[Caller, Depends(require_roles("participant"))]
) -> HTMLResponse:
    return _placeholder(request, box)


@router.get("/people")
async def people(
    request: Request, box: ContainerDep, _who: Annotated[Caller, Depends(require_roles("caregiver"))]
) -> HTMLResponse:
    return _placeholder(request, box)


@router.get("/dashboard")
async def dashboard(
    request: Request, box: ContainerDep, _who: Annotated[Caller, Depends(require_roles("trainer"))]
) -> HTMLResponse:
    return _placeholder(request, box)


@router.get("/admin")
async def admin(
    request: Request, box: ContainerDep, _who: Annotated[Caller, Depends(require_roles("admin"))]
) -> HTMLResponse:
    return _placeholder(request, box)
