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

Every error carries its message in English (`str(error)`, for logs, the CLI and tests) and in French (`fr=`);
`error.text(language)` gives the one a reader asked for. NotFound and RateLimited word their own message in both.
"""

from __future__ import annotations


class NeuroMotrixError(Exception):
    """Base of every error the application raises on purpose; `fr` is the French text of the message."""

    def __init__(self, message: str = "", *, fr: str | None = None) -> None:
        super().__init__(message)
        self.fr = fr

    def text(self, language: str) -> str:
        """The message in `language` (`en` or `fr`); the English one when no French was given."""
        if language == "fr" and self.fr is not None:
            return self.fr
        return str(self)


class ProfileError(NeuroMotrixError):
    """The profile is invalid; `str(error)` is a complete, actionable message."""


class InvalidRequest(NeuroMotrixError):
    """`field` is the path of the wrong value; `where` the part of a request it is in (body, query, path)."""

    def __init__(
        self, message: str, *, fr: str | None = None, field: tuple[str | int, ...] = (), where: str = "body"
    ) -> None:
        super().__init__(message, fr=fr)
        self.field = field
        self.where = where


# The French subject for each `what` of NotFound, with its article ("Ce"/"Cette"/"Cet" agree with the noun).
NOT_FOUND_FR: dict[str, str] = {
    "object": "Cet objet",
    "alert": "Cette alerte",
    "API token": "Ce jeton d'API",
    "approved program": "Ce programme approuvé",
    "assessment": "Cette évaluation",
    "assignment": "Ce suivi",
    "calendar": "Ce calendrier",
    "calendar address": "Cette adresse de calendrier",
    "clearance document": "Ce document d'autorisation médicale",
    "clinic": "Cette clinique",
    "erasure request": "Cette demande d'effacement",
    "exercise": "Cet exercice",
    "incident": "Cet incident",
    "instrument": "Cet instrument",
    "invitation": "Cette invitation",
    "licensed instrument": "Cet instrument sous licence",
    "media": "Ce média",
    "notification": "Cette notification",
    "participant": "Ce participant",
    "profile": "Ce profil",
    "profile version": "Cette version du profil",
    "program": "Ce programme",
    "program version": "Cette version du programme",
    "questionnaire": "Ce questionnaire",
    "report": "Ce rapport",
    "screening result": "Ce résultat de dépistage",
    "session": "Cette séance",
    "session log": "Ce journal de séance",
    "template": "Ce modèle",
    "user": "Cet utilisateur",
}


class NotFound(NeuroMotrixError):
    """`what` names the object in English; `fr_what` is the French subject ("Cette séance") when `what` is not
    one of NOT_FOUND_FR's nouns (for instance when it carries an identifier)."""

    def __init__(self, what: str = "object", *, fr_what: str | None = None) -> None:
        subject = fr_what or NOT_FOUND_FR.get(what, "Cet objet")
        super().__init__(
            f"No such {what}, or you may not see it. Check the identifier.",
            fr=f"{subject} est introuvable, ou vous n'y avez pas accès. Vérifiez l'identifiant.",
        )
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
        super().__init__(
            f"Too many attempts. Wait {retry_after} seconds and try again.",
            fr=f"Trop de tentatives. Attendez {retry_after} secondes, puis réessayez.",
        )
        self.retry_after = retry_after
