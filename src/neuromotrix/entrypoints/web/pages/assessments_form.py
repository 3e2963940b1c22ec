"""The form of one outcome instrument, shared by the participant's questionnaire page and the trainer's entry page:
the items as the reader sees them, reading the posted answers, and the service's refusals in the reader's words.

Closed answers are large radio buttons (macros/forms.html `choice`), measured values a number field with its unit;
an item left unanswered is passed on as unanswered: the instrument's own rule for missing items decides (BRIEF §7).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from fastapi import Request

from neuromotrix.adapters.i18n import N_, Translator
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import Instrument, Item
from neuromotrix.entrypoints.web.pages.forms import FormErrors, form_fields
from neuromotrix.entrypoints.web.pages.locale import page_translator
from neuromotrix.entrypoints.web.pages.trainer_common import parse_date, parse_number
from neuromotrix.services import assessments
from neuromotrix.services.access import Actor
from neuromotrix.services.assessments import DuplicateAssessment
from neuromotrix.services.unit_of_work import UnitOfWork

FIELD_PREFIX = "q_"  # form field names: never clash with csrf_token, key or taken_on
MAX_KEY = 200
MAX_RADIO_POINTS = 11  # up to a 0–10 rating as radio buttons; longer ranges are a number field

KIND_LABELS: dict[str, str] = {
    "pro": N_("Questionnaire (self-report)"),
    "clinro": N_("Clinician-rated scale"),
    "perf": N_("Performance test"),
}
REASON_LABELS: dict[str, str] = {
    "baseline": N_("Baseline"),
    "four_weekly": N_("Every 4 weeks"),
    "pre_injection": N_("Before the next injection"),
}
UNITS: dict[str, str] = {
    "s": N_("seconds"),
    "m": N_("metres"),
    "m/s": N_("metres per second"),
    "{count}": N_("count"),
    "{score}": N_("points"),
}


class Option(NamedTuple):
    """An answer as macros/forms.html `choice` takes it: (value, label)."""

    value: str  # as the form sends it
    label: str


@dataclass(frozen=True)
class FieldView:
    key: str
    name: str  # the form field's name and id
    label: str | None  # None: a licensed item whose text the clinic has not entered
    options: tuple[Option, ...]
    minimum: float | None
    maximum: float | None
    unit: str | None


@dataclass(frozen=True)
class FormView:
    key: str
    name: str
    kind: str
    fields: tuple[FieldView, ...]
    unvalidated_french: bool  # the note is shown with French wording that is not a validated translation
    missing_texts: bool


def number_text(value: float) -> str:
    """An option value as the form sends it: `3`, not `3.0`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _option_label(value: float, label: Text | None, language: str) -> str:
    """Licensed instruments ship no option labels: the answer is its number, as on the clinic's paper form."""
    return number_text(value) if label is None else label.in_language(language)


def scale_points(item: Item) -> tuple[float, ...]:
    """A whole-step numeric item with few values (a 0–10 rating) is asked as radio buttons, like the check-ins."""
    if item.options or item.step is None or item.minimum is None or item.maximum is None:
        return ()
    count = round((item.maximum - item.minimum) / item.step) + 1
    if count > MAX_RADIO_POINTS:
        return ()
    return tuple(item.minimum + index * item.step for index in range(count))


def field_name(item_key: str) -> str:
    return f"{FIELD_PREFIX}{item_key}"


def form_view(instrument: Instrument, language: str) -> FormView:
    fields = tuple(
        FieldView(
            key=item.key,
            name=field_name(item.key),
            label=None if item.text is None else item.text.in_language(language),
            options=tuple(
                Option(number_text(option.value), _option_label(option.value, option.label, language))
                for option in item.options
            )
            or tuple(Option(number_text(point), number_text(point)) for point in scale_points(item)),
            minimum=item.minimum,
            maximum=item.maximum,
            unit=item.unit,
        )
        for item in instrument.items
    )
    return FormView(
        key=instrument.key,
        name=instrument.name.in_language(language),
        kind=instrument.kind,
        fields=fields,
        unvalidated_french=language == "fr" and instrument.french == "unvalidated",
        missing_texts=any(field.label is None for field in fields),
    )


def unit_label(tr: Translator, unit: str | None) -> str:
    if unit is None:
        return ""
    return tr.gettext(UNITS[unit]) if unit in UNITS else unit


def units_of(tr: Translator, instrument: Instrument) -> dict[str, str]:
    """The unit of each numeric item, in the reader's words (shown after the item's label)."""
    return {item.key: unit_label(tr, item.unit) for item in instrument.items if not item.options and item.unit}


@dataclass(frozen=True)
class Posted:
    taken_on: dt.date | None
    answers: dict[str, float | None]
    key: str | None


def read_posted(tr: Translator, instrument: Instrument, fields: dict[str, str], errors: FormErrors) -> Posted:
    """The answers as numbers; a value that is not an option or outside the range is an error on its field."""
    taken_on = parse_date(fields.get("taken_on"))
    if taken_on is None:
        errors.add("taken_on", tr.gettext("Enter the date it was done as year-month-day, like 2026-11-23."))
    answers: dict[str, float | None] = {}
    for item in instrument.items:
        text = fields.get(field_name(item.key), "").strip()
        answers[item.key] = None if not text else _read_item(tr, item, text, errors)
    if not errors and all(value is None for value in answers.values()):
        first = instrument.items[0] if instrument.items else None
        errors.add(
            None if first is None else field_name(first.key),
            tr.gettext("Answer at least one question, then send the form again."),
            target=None if first is None else _target(first),
        )
    key = fields.get("key", "").strip()
    return Posted(taken_on=taken_on, answers=answers, key=key if key and len(key) <= MAX_KEY else None)


def _target(item: Item) -> str:
    name = field_name(item.key)
    if item.options:
        return f"{name}-{number_text(item.options[0].value)}"
    points = scale_points(item)
    return f"{name}-{number_text(points[0])}" if points else name


def _read_item(tr: Translator, item: Item, text: str, errors: FormErrors) -> float | None:
    name = field_name(item.key)
    values = [option.value for option in item.options] or list(scale_points(item))
    if values:
        allowed = {number_text(value): value for value in values}
        if text in allowed:
            return allowed[text]
        errors.add(name, tr.gettext("Choose one of the answers offered for this question."), target=_target(item))
        return None
    value = parse_number(text, tr.language)
    low, high = item.minimum, item.maximum
    if value is None or (low is not None and value < low) or (high is not None and value > high):
        errors.add(name, _range_message(tr, low, high))
        return None
    return value


def _range_message(tr: Translator, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return tr.gettext("Write a number from %(low)s to %(high)s.", low=number_text(low), high=number_text(high))
    if low is not None:
        return tr.gettext("Write a number of at least %(low)s.", low=number_text(low))
    return tr.gettext("Write a number.")


def explain(tr: Translator, instrument: Instrument, error: InvalidRequest, errors: FormErrors) -> None:
    """A refusal of the service on the field it names, in the reader's words."""
    field = [str(part) for part in error.field]
    if field[:1] == ["taken_on"]:
        errors.add(
            "taken_on", tr.gettext("The date is after today. Enter the date the questionnaire or test was done.")
        )
        return
    if field[:1] == ["answers"] and len(field) > 1 and field[1] in {item.key for item in instrument.items}:
        item = instrument.item(field[1])
        errors.add(
            field_name(item.key),
            tr.gettext("Check this answer: it is not one the question allows."),
            target=_target(item),
        )
        return
    errors.add(None, tr.gettext("The answers could not be recorded. Check them and send the form again."))


@dataclass(frozen=True)
class Submission:
    """A posted questionnaire or test: the reader's words, the raw fields, the answers read, the form's key."""

    tr: Translator
    fields: dict[str, str]
    errors: FormErrors
    posted: Posted
    key: str  # one record per key, so a form sent twice records once
    on_file: list[int] = field(default_factory=list)  # refused as a second entry that day: the entry on file

    def correct_link(self, prefix: str) -> str | None:
        """Where to correct the entry on file, when the form was refused as a second entry of that day."""
        return f"{prefix}/entries/{self.on_file[0]}/correct" if self.on_file else None

    @property
    def readable(self) -> bool:
        return not self.errors and self.posted.taken_on is not None


async def read_submission(request: Request, instrument: Instrument) -> Submission:
    tr = page_translator(request)
    fields = await form_fields(request)
    errors = FormErrors()
    posted = read_posted(tr, instrument, fields, errors)
    return Submission(tr, fields, errors, posted, posted.key or uuid.uuid4().hex)


# The date the clinic is at (for the due list) and the moment of the record, read in the recording transaction.
Moment = Callable[[UnitOfWork], tuple[dt.date, dt.datetime]]


def record_submission(
    box: Container, actor: Actor, participant_id: int, instrument: Instrument, sent: Submission, moment: Moment
) -> bool:
    """Record a readable submission; False, with the service's refusal on its field, when it was refused."""
    if sent.posted.taken_on is None:
        return False
    try:
        with box.uow(write=True) as uow:
            today, now = moment(uow)
            assessments.record_assessment_once(
                uow, actor, participant_id, key=sent.key, instrument=instrument.key, taken_on=sent.posted.taken_on,
                answers=sent.posted.answers, today=today, now=now,
            )  # fmt: skip
            uow.commit()
    except InvalidRequest as error:
        explain(sent.tr, instrument, error, sent.errors)
        return False
    except DuplicateAssessment as error:
        sent.on_file.append(error.existing_id)
        sent.errors.add("taken_on", duplicate_message(sent.tr))
        return False
    return True


def duplicate_message(tr: Translator) -> str:
    return tr.gettext(
        "This questionnaire or test is already recorded for that day. Correct the entry on file instead, or "
        "change the date."
    )
