"""The session player's answers, carried from step to step in hidden fields (no draft is kept on the server).

Steps: `before` (pain, dystonia, fatigue 0-10), one step per block (`0`, `1`...: done / partly done / skipped,
what was achieved, effort on the block's own scale, pain, "it pulled"), then `after` (the three ratings and a
note). Each POST carries every answer so far; `read_answers` keeps the valid ones (hidden values are checked
again each time, and once more by the service when the session is logged), `check_step` says what is wrong
with the step just answered, in the reader's language, for the error summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from neuromotrix.adapters.i18n import Translator
from neuromotrix.domain.alerts import STOP_REASONS, StopReason
from neuromotrix.entrypoints.web.pages.forms import FormErrors
from neuromotrix.services.participant_view import Card
from neuromotrix.services.session_logs import STATUSES, BlockEntry, SessionEntry

RATINGS = ("pain", "dystonia", "fatigue")
BEFORE, AFTER = "before", "after"
MAX_NOTES = 2000
MAX_KEY = 200
# The API's bounds for what was achieved (entrypoints/web/api/logs.py BlockIn).
ACHIEVED_LIMITS = {"sets": 50, "reps": 500, "hold": 3600}
# The answer's range on each effort scale (services/session_logs.py EFFORT_RANGES; the talk test is 1-3).
EFFORT_POINTS: dict[str, tuple[int, ...]] = {
    "cr10": tuple(range(0, 11)),
    "rpe": tuple(range(6, 21)),
    "percent_max": tuple(range(0, 101, 10)),
    "talk_test": (1, 2, 3),
}


@dataclass
class BlockAnswer:
    status: str | None = None
    sets: int | None = None
    reps: int | None = None
    hold: int | None = None
    effort: int | None = None
    pain: int | None = None
    pulled: bool = False


@dataclass
class Answers:
    key: str
    performed_on: dt.date
    before: dict[str, int] = field(default_factory=dict)
    blocks: dict[int, BlockAnswer] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    notes: str = ""

    @property
    def started(self) -> bool:
        """The before ratings are in: a session can be logged from here on (they are required)."""
        return all(name in self.before for name in RATINGS)

    def hidden(self, *, leave_out: str | None = None) -> list[tuple[str, str]]:
        """The answers as hidden fields, without those of the step `leave_out` (shown as fields on the page)."""
        fields = [("key", self.key), ("performed_on", self.performed_on.isoformat())]
        if leave_out != BEFORE:
            fields += [(f"before_{name}", str(value)) for name, value in self.before.items()]
        for index, block in sorted(self.blocks.items()):
            if leave_out == str(index):
                continue
            fields += [(name, value) for name, value in block_fields(index, block)]
        if leave_out != AFTER:
            fields += [(f"after_{name}", str(value)) for name, value in self.after.items()]
            if self.notes:
                fields.append(("notes", self.notes))
        return fields

    def entry(self, cards: list[Card], *, stop_reason: StopReason | None = None) -> SessionEntry:
        """The log as the service takes it: every block answered so far, in order."""
        blocks = tuple(
            BlockEntry(
                position=index,
                exercise_id=cards[index].exercise_id,
                status=answer.status,
                sets=answer.sets,
                reps=answer.reps,
                hold_s=answer.hold,
                effort=None if answer.effort is None or answer.status == "skipped" else float(answer.effort),
                pain=answer.pain,
                sustained_posture=answer.pulled,
            )
            for index, answer in sorted(self.blocks.items())
            if answer.status is not None and index < len(cards)
        )
        return SessionEntry(
            performed_on=self.performed_on,
            pre_pain=self.before["pain"],
            pre_dystonia=self.before["dystonia"],
            pre_fatigue=self.before["fatigue"],
            post_pain=self.after.get("pain"),
            post_dystonia=self.after.get("dystonia"),
            post_fatigue=self.after.get("fatigue"),
            stop_reason=stop_reason,
            notes=self.notes,
            blocks=blocks,
        )


def block_fields(index: int, block: BlockAnswer) -> list[tuple[str, str]]:
    values = {
        "status": block.status,
        "sets": block.sets,
        "reps": block.reps,
        "hold": block.hold,
        "effort": block.effort,
        "pain": block.pain,
        "pulled": "yes" if block.pulled else None,
    }
    return [(f"b{index}_{name}", str(value)) for name, value in values.items() if value is not None]


def whole(text: str, low: int, high: int) -> int | None:
    """A whole number in [low, high] written in the field, or None."""
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        return None
    value = int(cleaned)
    return value if low <= value <= high else None


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def read_answers(fields: dict[str, str], cards: list[Card], *, key: str, performed_on: dt.date) -> Answers:
    """Every valid answer in the posted fields; anything missing or wrong is left out (and asked again)."""
    answers = Answers(key=key, performed_on=performed_on)
    for name in RATINGS:
        before = whole(fields.get(f"before_{name}", ""), 0, 10)
        if before is not None:
            answers.before[name] = before
        after = whole(fields.get(f"after_{name}", ""), 0, 10)
        if after is not None:
            answers.after[name] = after
    answers.notes = fields.get("notes", "").strip()[:MAX_NOTES]
    for card in cards:
        block = _read_block(fields, card)
        if block != BlockAnswer():
            answers.blocks[card.position] = block
    return answers


def _read_block(fields: dict[str, str], card: Card) -> BlockAnswer:
    prefix = f"b{card.position}_"
    status = fields.get(prefix + "status", "")
    effort = whole(fields.get(prefix + "effort", ""), 0, 100)
    return BlockAnswer(
        status=status if status in STATUSES else None,
        sets=whole(fields.get(prefix + "sets", ""), 0, ACHIEVED_LIMITS["sets"]),
        reps=whole(fields.get(prefix + "reps", ""), 0, ACHIEVED_LIMITS["reps"]),
        hold=whole(fields.get(prefix + "hold", ""), 0, ACHIEVED_LIMITS["hold"]),
        effort=effort if effort in EFFORT_POINTS[card.effort_scale] else None,
        pain=whole(fields.get(prefix + "pain", ""), 0, 10),
        pulled=fields.get(prefix + "pulled") == "yes",
    )


def rating_messages(tr: Translator, moment: str) -> dict[str, str]:
    """What to do when a rating is missing, before or after the session."""
    if moment == BEFORE:
        return {
            "pain": tr.gettext("Choose how much pain you feel now, before the session, from 0 to 10."),
            "dystonia": tr.gettext(
                "Choose how strong the pulling or spasms are now, before the session, from 0 to 10."
            ),
            "fatigue": tr.gettext("Choose how tired you feel now, before the session, from 0 to 10."),
        }
    return {
        "pain": tr.gettext("Choose how much pain you feel now, after the session, from 0 to 10."),
        "dystonia": tr.gettext("Choose how strong the pulling or spasms are now, after the session, from 0 to 10."),
        "fatigue": tr.gettext("Choose how tired you feel now, after the session, from 0 to 10."),
    }


def check_step(tr: Translator, step: str, fields: dict[str, str], cards: list[Card]) -> FormErrors:
    """What is wrong with the answers of `step`, as posted (an empty FormErrors when all is well)."""
    errors = FormErrors()
    if step in (BEFORE, AFTER):
        messages = rating_messages(tr, step)
        for name in RATINGS:
            if whole(fields.get(f"{step}_{name}", ""), 0, 10) is None:
                errors.add(f"{step}_{name}", messages[name], target=f"{step}_{name}-0")
        if step == AFTER and len(fields.get("notes", "").strip()) > MAX_NOTES:
            errors.add(
                "notes",
                tr.gettext("Shorten your note to %(count)s characters or fewer.", count=MAX_NOTES),
            )
        return errors
    card = cards[int(step)]
    _check_block(tr, errors, fields, card)
    return errors


def _check_block(tr: Translator, errors: FormErrors, fields: dict[str, str], card: Card) -> None:
    prefix = f"b{card.position}_"
    status = fields.get(prefix + "status", "")
    if status not in STATUSES:
        errors.add(
            prefix + "status",
            tr.gettext("Choose whether you did this exercise: done, partly done or skipped."),
            target=prefix + "status-done",
        )
    for name, limit in ACHIEVED_LIMITS.items():
        text = fields.get(prefix + name, "").strip()
        if text and whole(text, 0, limit) is None:
            errors.add(
                prefix + name,
                tr.gettext(
                    "Write a whole number from 0 to %(limit)s, or leave it empty if you did what was planned.",
                    limit=limit,
                ),
            )
    points = EFFORT_POINTS[card.effort_scale]
    effort = whole(fields.get(prefix + "effort", ""), 0, 100)
    if status != "skipped" and effort not in points:
        errors.add(
            prefix + "effort",
            tr.gettext("Choose how hard the exercise felt."),
            target=f"{prefix}effort-{points[0]}",
        )
    if status != "skipped" and whole(fields.get(prefix + "pain", ""), 0, 10) is None:
        errors.add(
            prefix + "pain",
            tr.gettext("Choose how much pain you felt during the exercise, from 0 to 10 (0 if none)."),
            target=prefix + "pain-0",
        )


def check_stop(tr: Translator, fields: dict[str, str]) -> tuple[StopReason | None, FormErrors]:
    errors = FormErrors()
    reason = next((known for known in STOP_REASONS if known == fields.get("reason")), None)
    if reason is None:
        errors.add("reason", tr.gettext("Choose why you are stopping."), target=f"reason-{STOP_REASONS[0]}")
    if len(fields.get("notes", "").strip()) > MAX_NOTES:
        errors.add("notes", tr.gettext("Shorten your note to %(count)s characters or fewer.", count=MAX_NOTES))
    return reason, errors


def next_step(step: str, count: int) -> str | None:
    """The step after `step` in a session of `count` blocks; None after the last one (time to log)."""
    if step == BEFORE:
        return "0" if count else AFTER
    if step == AFTER:
        return None
    return str(int(step) + 1) if int(step) + 1 < count else AFTER


def previous_step(step: str, count: int) -> str:
    if step == AFTER:
        return str(count - 1) if count else BEFORE
    if step == BEFORE or int(step) == 0:
        return BEFORE
    return str(int(step) - 1)


def valid_step(text: str, count: int) -> str | None:
    if text in (BEFORE, AFTER):
        return text
    index = whole(text, 0, 1000)
    return None if index is None or index >= count else str(index)


def missing_before_logging(tr: Translator, answers: Answers, count: int) -> FormErrors:
    """The whole log checked once more before it is sent (hidden fields can be lost or changed on the way)."""
    errors = FormErrors()
    if not answers.started:
        errors.add(None, tr.gettext("The ratings from before the session are missing. Go back to the first step and answer them."))  # fmt: skip
    for index in range(count):
        answer = answers.blocks.get(index)
        if answer is None or answer.status is None:
            errors.add(
                None,
                tr.gettext(
                    "Exercise %(number)s has no answer. Go back to it and say whether you did it.", number=index + 1
                ),
            )
    return errors
