"""Where pages send people: each role's home, the navigation links, and safe `next` addresses."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from neuromotrix.adapters.i18n import N_

# `/` sends each role to its own start page.
HOME_BY_ROLE = {"participant": "/today", "caregiver": "/people", "trainer": "/dashboard", "admin": "/admin"}


@dataclass(frozen=True)
class NavLink:
    path: str
    label: str  # an English msgid, translated when the page renders


# The header's links per role; a new section adds its link here (and its msgid to the catalog).
NAV_BY_ROLE: dict[str, tuple[NavLink, ...]] = {
    "participant": (NavLink("/today", N_("Today")),),
    "caregiver": (NavLink("/people", N_("People I help")),),
    "trainer": (
        NavLink("/dashboard", N_("Dashboard")),
        NavLink("/participants/new", N_("Enrol a participant")),
        NavLink("/library", N_("Library")),
    ),
    "admin": (
        NavLink("/admin", N_("Administration")),
        NavLink("/dashboard", N_("Dashboard")),
        NavLink("/participants/new", N_("Enrol a participant")),
        NavLink("/library", N_("Library")),
    ),
}


def safe_next(value: str | None, default: str = "/") -> str:
    """A path on this site to go on to after a form, or `default`: never another site (open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def login_url(next_path: str | None = None, *, notice: str | None = None) -> str:
    query: dict[str, str] = {}
    if next_path and safe_next(next_path) != "/":
        query["next"] = safe_next(next_path)
    if notice:
        query["notice"] = notice
    return "/login" + (f"?{urlencode(query)}" if query else "")
