"""The exception tree, in one place.

NeuroMotrixError
├── ProfileError   a profile document is invalid (CLI exit 2, API 422); the message names the field path and
│                  the allowed values
└── CatalogError   (neuromotrix.catalog.loader) the shipped catalog or rule tables are invalid (exit 1)
"""

from __future__ import annotations


class NeuroMotrixError(Exception):
    """Base of every error the application raises on purpose."""


class ProfileError(NeuroMotrixError):
    """The profile is invalid; `str(error)` is a complete, actionable message."""
