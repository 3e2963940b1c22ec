"""Server-rendered pages (HTML). docs/web.md explains how to add one.

`install(app)` registers every page router (add a new module's router to `ROUTERS`) and serves `/static`;
errors on pages are answered as HTML by `entrypoints/web/errors.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from neuromotrix.entrypoints.web.pages import account, auth, home, locale
from neuromotrix.entrypoints.web.pages.rendering import warm_up
from neuromotrix.entrypoints.web.pages.static import STATIC_PREFIX, static_files

ROUTERS: tuple[APIRouter, ...] = (auth.router, locale.router, account.router, home.router)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PREFIX, static_files(), name="static")
    warm_up()
