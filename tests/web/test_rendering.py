"""The building blocks: locale formatting, the form macros, static files, and pages the CSP can show."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from neuromotrix.adapters.i18n import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_time,
    negotiate,
)
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.entrypoints.web.pages.rendering import environment
from neuromotrix.entrypoints.web.pages.static import static_url
from tests.web.conftest import Web

NBSP, NNBSP = "\u00a0", "\u202f"
EVENING = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC)  # 21:30 on the 23rd in Montréal


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    ("language", "long", "short", "full", "time", "stamp"),
    [
        (
            "en",
            "November 23, 2026",
            "2026-11-23",
            "Monday, November 23, 2026",
            "9:30 p.m.",
            "November 23, 2026, 9:30 p.m.",
        ),
        ("fr", "23 novembre 2026", "2026-11-23", "lundi 23 novembre 2026", "21 h 30", "23 novembre 2026, 21 h 30"),
    ],
)
def test_dates_and_times_in_the_locale_and_the_clinic_time_zone(
    language: str, long: str, short: str, full: str, time: str, stamp: str
) -> None:
    assert format_date(EVENING, language) == long
    assert format_date(EVENING, language, length="short") == short
    assert format_date(EVENING, language, length="full") == full
    assert plain(format_time(EVENING, language)) == time
    assert plain(format_datetime(EVENING, language)) == stamp
    assert format_date(EVENING, language, time_zone="UTC", length="short") == "2026-11-24"


def test_numbers_and_percentages() -> None:
    assert format_number(1234.5, "en") == "1,234.5"
    assert plain(format_number(1234.5, "fr")) == "1 234,5"
    assert plain(format_number(2, "fr", decimals=1)) == "2,0"
    assert format_percent(0.256, "en") == "26%"
    assert plain(format_percent(0.256, "fr")) == "26 %"
    assert plain(format_percent(0.256, "fr", decimals=1)) == "25,6 %"


def test_negotiation() -> None:
    assert negotiate("fr-CA") == "fr"
    assert negotiate("en-GB,fr;q=0.5") == "en"
    assert negotiate("*") is None
    assert negotiate("fr;q=nonsense, en") == "en"
    assert negotiate(None) is None


def test_the_template_filters_are_bound_to_the_language() -> None:
    source = "{{ when|date }} | {{ when|date('short') }} | {{ when|time }} | {{ 1234.5|number }} | {{ 0.5|percent }}"
    assert plain(environment("fr").from_string(source).render(when=EVENING)) == (
        "23 novembre 2026 | 2026-11-23 | 21 h 30 | 1 234,5 | 50 %"
    )
    assert plain(environment("en").from_string(source).render(when=EVENING, time_zone="UTC")) == (
        "November 24, 2026 | 2026-11-24 | 2:30 a.m. | 1,234.5 | 50%"
    )


def render_macro(language: str, call: str, **context: object) -> str:
    template = environment(language).from_string('{% import "macros/forms.html" as forms %}' + call)
    return template.render(**context)


def test_the_scale_is_eleven_large_radio_buttons_in_a_fieldset() -> None:
    html = render_macro(
        "fr", '{{ forms.scale("pain", "Douleur maintenant", scales.pain, errors, value="3") }}', errors=FormErrors()
    )
    assert html.count('type="radio"') == 11
    assert '<fieldset class="scale" aria-describedby="pain-hint">' in html
    assert "<legend>Douleur maintenant</legend>" in html
    assert html.count('class="option"') == 11
    assert 'id="pain-3" name="pain" value="3" checked' in html
    assert html.count("checked") == 1
    assert "Aucune douleur" in html and "Pire imaginable" in html
    assert "aria-invalid" not in html


def test_a_scale_in_error_is_marked_and_linked() -> None:
    errors = FormErrors()
    errors.add("effort", "Choisissez un chiffre de 0 à 10.", target="effort-0")
    html = render_macro(
        "fr",
        '{{ forms.error_summary(errors) }}{{ forms.scale("effort", "Effort", scales.effort, errors) }}',
        errors=errors,
    )
    assert '<a href="#effort-0">Choisissez un chiffre de 0 à 10.</a>' in html
    assert 'aria-describedby="effort-hint effort-error"' in html
    assert html.count('aria-invalid="true"') == 11
    assert "Rien du tout" in html and "Maximal" in html


def test_inputs_tie_hints_and_errors_to_the_field() -> None:
    errors = FormErrors()
    errors.add("email", "Enter your email address.")
    html = render_macro(
        "en", '{{ forms.input("email", "Email", errors, value="a@b", type="email", hint="Your login") }}', errors=errors
    )
    assert '<label for="email">Email</label>' in html
    assert '<p class="hint" id="email-hint">Your login</p>' in html
    assert '<span class="visually-hidden">Error:</span> Enter your email address.' in html
    assert 'value="a@b"' in html and 'aria-invalid="true" aria-describedby="email-hint email-error"' in html
    password = render_macro("en", '{{ forms.input("password", "Password", value="secret", type="password") }}')
    assert "secret" not in password


def test_static_files_are_versioned_and_cached_long(web: Web) -> None:
    page = web.browser().get("/login")
    css = static_url("app.css")
    assert re.fullmatch(r"/static/app\.css\?v=[0-9a-f]{12}", css)
    assert f'href="{css}"' in page.text and f'src="{static_url("app.js")}" defer' in page.text
    response = web.browser().get(css)
    assert response.status_code == 200 and response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "text/css" in response.headers["content-type"]
    assert page.headers["cache-control"] == "no-store", "pages are not cached: they hold CSRF tokens"
    with pytest.raises(ValueError, match="no static file"):
        static_url("../pages/rendering.py")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_pages_need_nothing_the_content_security_policy_forbids(web: Web) -> None:
    bob = web.signed_in("bob")
    pages = [
        web.browser().get("/login"),
        web.browser().get("/forgot"),
        web.browser().get("/invitations/x"),
        web.browser().get("/nowhere"),
        bob.get("/dashboard"),
        bob.get("/admin"),
        web.signed_in("alice").get("/today", follow_redirects=True),  # to /p/{id}/today
    ]
    for page in pages:
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert not INLINE_SCRIPT.search(page.text), page.url
        assert not INLINE_STYLE.search(page.text), page.url
        assert "http://" not in page.text and "https://" not in page.text, "nothing from another site"
        assert '<a class="skip-link" href="#main">' in page.text and '<main id="main"' in page.text
