"""Which of our languages a browser prefers, from its `Accept-Language` header (RFC 9110 §12.5.4)."""

from __future__ import annotations

from babel import negotiate_locale

from neuromotrix.adapters.i18n.catalogs import LANGUAGES

MAX_RANGES = 20  # a header is short; a long one is cut rather than parsed at length


def preferred_ranges(header: str) -> list[str]:
    """The language ranges of the header, most preferred first (ranges with q=0 are refused, so left out)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:MAX_RANGES]):
        name, _, parameters = item.strip().partition(";")
        name = name.strip()
        if not name or name == "*":
            continue
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            weighted.append((-weight, position, name))
    return [name for _, _, name in sorted(weighted)]


def negotiate(header: str | None) -> str | None:
    """`fr` or `en` as the header prefers them (`fr-CA` counts as `fr`), or None when it names neither."""
    if not header:
        return None
    found = negotiate_locale(preferred_ranges(header), list(LANGUAGES), sep="-")
    return found if found in LANGUAGES else None
