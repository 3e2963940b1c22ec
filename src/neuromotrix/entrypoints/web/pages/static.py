"""Our stylesheet and script under `/static`: cached for a year, with the file's content hash in the URL.

A changed file gets a new URL (`/static/app.css?v=<hash>`), so browsers never keep an old version; the long
cache header replaces the middleware's `no-store` for these files only.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
STATIC_PREFIX = "/static"
LONG_CACHE = "public, max-age=31536000, immutable"


class VersionedStatic(StaticFiles):
    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = LONG_CACHE
        return response


@cache
def _fingerprint(name: str) -> str:
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise ValueError(f"no static file {name!r} in {STATIC_DIR}")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """`static_url("app.css")` → `/static/app.css?v=3f2a...` (templates: `{{ static("app.css") }}`)."""
    return f"{STATIC_PREFIX}/{name}?v={_fingerprint(name)}"


def static_files() -> VersionedStatic:
    return VersionedStatic(directory=STATIC_DIR)
