"""Reading a posted form and collecting what is wrong with it, for the error summary and the fields.

The pattern (pages/auth.py `login` shows it whole): read the fields with `form_fields`, check them, add one
`FormErrors` entry per wrong field with a message that says what to do, and when there are errors render the
same template again with `errors` and the submitted `values` (never a password), status 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request


async def form_fields(request: Request) -> dict[str, str]:
    """The text fields of the posted form (the last value when a name repeats; files are left out)."""
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


@dataclass(frozen=True)
class FieldError:
    field: str | None  # None: about the whole form (the summary shows it without a link)
    message: str
    target: str | None  # the id the summary links to: the field's input, or the first option of a choice


class FormErrors:
    """Errors of one form submission, in the order the fields appear."""

    def __init__(self) -> None:
        self._items: list[FieldError] = []

    def add(self, field: str | None, message: str, *, target: str | None = None) -> None:
        """One error; `target` defaults to the field's id (macros use the field name as id; a 0-10 scale's first
        option is `<name>-0`, a choice's `<name>-<first value>`)."""
        self._items.append(FieldError(field, message, target or field))

    def get(self, field: str) -> str | None:
        return next((item.message for item in self._items if item.field == field), None)

    def __contains__(self, field: object) -> bool:
        return any(item.field == field for item in self._items)

    def __iter__(self) -> Iterator[FieldError]:
        return iter(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)
