"""Languages of the user interface: gettext catalogs (Babel), language negotiation and locale formatting.

Source strings are English, in the templates (`{% trans %}`, `_()`) and in Python (`translator.gettext()`,
`N_()`); the French catalog is `locales/fr/LC_MESSAGES/messages.po`, compiled in memory at first use (no build
step, no .mo file). `python tools/i18n.py extract` updates the catalog from the sources and `check` fails on a
string without a French translation (docs/web.md).
"""

from __future__ import annotations

from neuromotrix.adapters.i18n.catalogs import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    LOCALES,
    N_,
    Translator,
    is_language,
    translations,
    translator,
)
from neuromotrix.adapters.i18n.formatting import (
    DEFAULT_TIME_ZONE,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_time,
)
from neuromotrix.adapters.i18n.negotiation import negotiate

__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_TIME_ZONE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "Translator",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_time",
    "is_language",
    "negotiate",
    "translations",
    "translator",
]
