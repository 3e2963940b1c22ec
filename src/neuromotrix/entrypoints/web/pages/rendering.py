"""Server-rendered pages: one Jinja2 environment per language, and `render()` for the routes.

    return render(request, "participant/today.html", {"session": session}, status_code=200)

Every template gets, besides its own context:

- `lang` (`en`/`fr`, also an environment global, so macros see it), `user` (the signed-in `Actor`, or None),
  `csrf_token` (put it in every form: `{{ forms.csrf(csrf_token) }}`), `current_path` (path and query),
  `switcher` (the language buttons), `nav` (the role's header links), `notice` (a confirmation or None),
  `errors` (an empty `FormErrors` unless the route passes one), `time_zone` (for the date filters);
- filters bound to the language: `date` (`long` by default; `short`, `medium`, `full`), `datetime`, `time`,
  `number` (`decimals=`), `percent` (a ratio: `0.25|percent`);
- globals: `_`/`gettext`/`ngettext` (newstyle: `_("Hello %(name)s", name=user.name)`), `static("app.css")`,
  `scales` (the 0-10 rating scales), `language_names`.

Autoescaping is on and undefined variables are errors (StrictUndefined).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from neuromotrix.adapters.i18n import (
    DEFAULT_TIME_ZONE,
    LANGUAGE_NAMES,
    LANGUAGES,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_time,
    translations,
)
from neuromotrix.adapters.i18n.formatting import DateLength
from neuromotrix.entrypoints.web.pages.deps import csrf_token_for, path_with_query, remember_csrf_token, signed_in
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.locale import page_language, switcher_next
from neuromotrix.entrypoints.web.pages.navigation import NAV_BY_ROLE
from neuromotrix.entrypoints.web.pages.notices import NOTICES
from neuromotrix.entrypoints.web.pages.scales import SCALES
from neuromotrix.entrypoints.web.pages.static import static_url

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class SwitcherOption:
    code: str
    name: str  # in its own language
    current: bool


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # translated
    current: bool


def _time_zone(context: Context) -> str:
    found = context.get("time_zone")
    return found if isinstance(found, str) else DEFAULT_TIME_ZONE


@cache
def environment(language: str) -> Environment:
    """The environment of one language: its catalog installed, its filters bound to it."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True  # `{% trans %}` blocks join their lines, as tools/i18n.py extracts them
    i18n: Any = env  # the i18n extension adds this method at run time
    i18n.install_gettext_translations(translations(language), newstyle=True)

    @pass_context
    def date(context: Context, value: dt.date | dt.datetime, length: DateLength = "long") -> str:
        return format_date(value, language, length=length, time_zone=_time_zone(context))

    @pass_context
    def datetime(context: Context, value: dt.datetime, length: DateLength = "long") -> str:
        return format_datetime(value, language, length=length, time_zone=_time_zone(context))

    @pass_context
    def time(context: Context, value: dt.datetime | dt.time, length: DateLength = "short") -> str:
        return format_time(value, language, length=length, time_zone=_time_zone(context))

    def number(value: float | int, decimals: int | None = None) -> str:
        return format_number(value, language, decimals=decimals)

    def percent(ratio: float, decimals: int = 0) -> str:
        return format_percent(ratio, language, decimals=decimals)

    env.filters.update(date=date, datetime=datetime, time=time, number=number, percent=percent)
    env.globals.update(lang=language, static=static_url, scales=SCALES, language_names=LANGUAGE_NAMES)
    return env


def warm_up() -> None:
    """Compile the catalogs and build the environments at start-up, so a broken .po file fails there."""
    for language in LANGUAGES:
        environment(language)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    *,
    language: str | None = None,
    lookup_user: bool = True,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page for this request; `language` forces one (e.g. the language just chosen on a form).

    `lookup_user=False` renders without touching the database (the 500 page): no user, the browser's language
    and no language switcher.
    """
    who = signed_in(request) if lookup_user else None
    lang = language or page_language(request, lookup_user=lookup_user)
    env = environment(lang)
    gettext = translations(lang).gettext
    path = path_with_query(request)
    links = NAV_BY_ROLE.get(who.actor.role, ()) if who is not None else ()
    nav = [NavItem(link.path, gettext(link.label), request.url.path == link.path) for link in links]
    notice_key = request.query_params.get("notice", "")
    page: dict[str, Any] = {
        "user": who.actor if who is not None else None,
        "csrf_token": csrf_token_for(request),
        "current_path": path,
        "switcher_next": switcher_next(request),
        "switcher": [SwitcherOption(code, LANGUAGE_NAMES[code], code == lang) for code in LANGUAGES]
        if lookup_user
        else [],
        "nav": nav,
        "notice": gettext(NOTICES[notice_key]) if notice_key in NOTICES else None,
        "errors": FormErrors(),
        "time_zone": DEFAULT_TIME_ZONE,
    }
    html = env.get_template(template).render({**page, **(context or {})})
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    remember_csrf_token(request, response)
    return response
