"""The exception tree (domain/errors.py) mapped to HTTP in one place. Every body says what to do."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from neuromotrix.domain.errors import (
    AuthError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NeuroMotrixError,
    NotFound,
    ProfileError,
    RateLimited,
)

STATUS = {
    InvalidRequest: 422,
    ProfileError: 422,
    NotFound: 404,
    Conflict: 409,
    AuthError: 401,
    Forbidden: 403,
    RateLimited: 429,
}


def _status(error: NeuroMotrixError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NeuroMotrixError)
    status = _status(error)
    body: dict[str, object] = {"detail": str(error)}
    headers: dict[str, str] = {}
    if isinstance(error, InvalidRequest):
        body = {"detail": [{"loc": [error.where, *error.field], "msg": str(error), "type": "invalid"}]}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, AuthError):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [
        {"loc": list(item.get("loc", ())), "msg": str(item.get("msg", "")), "type": str(item.get("type", ""))}
        for item in error.errors()
    ]
    return JSONResponse({"detail": details}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(NeuroMotrixError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
