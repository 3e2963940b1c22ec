"""The ASGI application object for `uvicorn neuromotrix.entrypoints.web.main:app` (one per worker process)."""

from __future__ import annotations

from neuromotrix.entrypoints.web.app import create_app

app = create_app()
