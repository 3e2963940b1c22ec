"""The web application: JSON API under /api/v1 (OpenAPI at /openapi.json), pages, security headers, lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neuromotrix import __version__
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web import errors, pages
from neuromotrix.entrypoints.web.api import (
    accounts,
    alerts,
    assessments,
    auth,
    catalog,
    fhir,
    logs,
    notifications,
    participants,
    privacy,
    programs,
    records,
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; object-src 'none'",
    "Cache-Control": "no-store",
}

_HEADER_BYTES = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _HEADER_BYTES if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers HEAD as the same GET without its body (RFC 9110 §9.3.2), for every page and API route.

    The web framework routes HEAD nowhere (405), yet link checkers, calendar clients checking a subscription and
    monitoring probes send it. The request goes on as a GET, so status, headers and Content-Length are the GET's;
    the body is dropped here as well as by the server, so the answer is right whatever runs the app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        # A copy: the server keeps its own scope, in which the request is still a HEAD.
        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def create_app(box: Container | None = None) -> FastAPI:
    container = box or Container()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from neuromotrix.services.jobs import JobRunner

        # Each worker runs the job runner in a background thread; claims keep the workers from sending twice.
        runner = JobRunner(container) if container.settings.jobs else None
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()  # hands back the emails it has not sent, before the engine goes away
            container.close()  # flushes buffered audit records before the process ends

    app = FastAPI(
        title="NeuroMotrix API",
        version=__version__,
        description="Participants, programs, sessions, adaptation and needs-attention alerts. "
        "Cookie sessions (send X-CSRF-Token on unsafe requests) or bearer API tokens.",
        lifespan=lifespan,
    )
    app.state.container = container
    errors.install(app)
    for module in (auth, accounts, participants, records, programs, logs, alerts, notifications, catalog):
        app.include_router(module.router)
    app.include_router(auth.tokens)
    app.include_router(privacy.router)  # data export and consent (docs/privacy.md)
    app.include_router(assessments.router)  # outcome instruments (docs/api.md "Outcome instruments")
    app.include_router(fhir.router)  # FHIR R4 export and QuestionnaireResponse import (docs/fhir.md)
    pages.install(app)  # server-rendered pages and /static (docs/web.md)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # outermost: every layer below sees a GET

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
