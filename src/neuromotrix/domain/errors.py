"""The exception tree, in one place; `entrypoints/web/errors.py` maps it to HTTP in one handler.

NeuroMotrixError
├── ProfileError      a profile document is invalid (CLI exit 2, API 422); the message names the field path
│                     and the allowed values
├── CatalogError      (neuromotrix.catalog.loader) the shipped catalog or rule tables are invalid (exit 1)
├── InvalidRequest    a request is well-formed but not acceptable (API 422; `field` names the path)
├── NotFound          the object does not exist *or the caller may not see it* (API 404, never 403)
├── Conflict          the request clashes with the current state (API 409)
├── AuthError         not signed in, bad credentials, expired or revoked session or token (API 401)
├── Forbidden         signed in and allowed to see the object, but not to do this to it (API 403)
└── RateLimited       too many attempts; `retry_after` seconds (API 429)
"""

from __future__ import annotations


class NeuroMotrixError(Exception):
    """Base of every error the application raises on purpose."""


class ProfileError(NeuroMotrixError):
    """The profile is invalid; `str(error)` is a complete, actionable message."""


class InvalidRequest(NeuroMotrixError):
    """`field` is the path of the wrong value; `where` the part of a request it is in (body, query, path)."""

    def __init__(self, message: str, *, field: tuple[str | int, ...] = (), where: str = "body") -> None:
        super().__init__(message)
        self.field = field
        self.where = where


class NotFound(NeuroMotrixError):
    def __init__(self, what: str = "object") -> None:
        super().__init__(f"No such {what}, or you may not see it. Check the identifier.")
        self.what = what


class Conflict(NeuroMotrixError):
    """The message says what clashed and what to do."""


class AuthError(NeuroMotrixError):
    """The message says what to do (sign in again, check the token...)."""


class TotpRequired(AuthError):
    """The password was right; the two-factor code is missing or wrong."""


class Forbidden(NeuroMotrixError):
    """The message says who may do this."""


class RateLimited(NeuroMotrixError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts. Wait {retry_after} seconds and try again.")
        self.retry_after = retry_after
