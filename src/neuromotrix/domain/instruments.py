"""Outcome instruments (BRIEF §7): their items, scoring, missing-item rules and change thresholds.

An instrument is data (`catalog/instruments/<key>.yaml`), validated here when it is built. Scoring is generic:
each item answer is turned into an item score (a closed answer's `score`, e.g. RAND-36's 0–100 recode, or the
answer itself, times the item's `weight`), then each scale applies one method:

- `sum`: the sum of its item scores; a missing item is replaced by the mean of the scale's answered items when
  no more than `max_missing` are missing (0 by default: any missing item leaves the scale unscored);
- `mean`: the mean of the answered item scores (RAND-36: "scales with at least one item answered");
- `percent`: the sum (missing items handled as for `sum`) rescaled to 0–100 between its lowest and highest
  possible value (PDQ-39: sum / (4 × items) × 100; CDIP-58);
- `sum_of_scales` / `mean_of_scales`: totals of other scales (TWSTRS total, PDQ-39 summary index); unscored when
  any component is unscored.

Licensed instruments ship no item text (BRIEF §7 licence column): a clinic holding the licence supplies it
(`Instrument.with_item_texts`).

Pure: no files, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from neuromotrix.domain.assessment_schedule import ScheduleRules
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.exercise import Text

Kind = Literal["pro", "clinro", "perf"]  # BRIEF §7 "Who"
Licence = Literal["free", "licensed"]
Direction = Literal["higher_is_better", "lower_is_better"]
FrenchStatus = Literal["validated", "unvalidated", "licensed"]  # "unvalidated" must be shown as such
Method = Literal["sum", "mean", "percent", "sum_of_scales", "mean_of_scales"]
SNAKE = r"^[a-z][a-z0-9_]*$"
# Scores are rounded so that stored values carry no floating-point noise (66.666666… → 66.6667).
DECIMALS = 4
# Comparisons of a change with a threshold tolerate float noise (1.18 − 1.00 must reach an MDC of 0.18).
_TOLERANCE = 1e-9


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerError(InvalidRequest):
    """An answer does not fit its item; the message names the item and what is allowed."""


class UnknownInstrument(InvalidRequest):
    """No instrument has this key; the message lists the known keys."""


class Option(_Model):
    value: float
    label: Text | None = None  # None only in licensed instruments, whose labels the clinic supplies
    score: float | None = None  # the item score for this answer when it differs from the value (RAND recode)

    @property
    def item_score(self) -> float:
        return self.value if self.score is None else self.score


class Item(_Model):
    key: str = Field(pattern=SNAKE)
    text: Text | None = None  # None for licensed instruments: the clinic supplies the text
    options: tuple[Option, ...] = ()  # closed answers; empty means a numeric answer in [minimum, maximum]
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None  # numeric answers must be minimum + n × step (e.g. whole counts)
    weight: float = 1  # item score = answer × weight (TWSTRS duration factor ×2)
    unit: str | None = None  # UCUM code ("s", "m", "m/s", "{count}", "{score}")
    instructions: Text | None = None  # performance tests: how to run the test (original wording)

    @model_validator(mode="after")
    def _answer_shape(self) -> Item:
        if self.options:
            if self.minimum is not None or self.maximum is not None or self.step is not None:
                raise ValueError(f"item {self.key}: give either options or minimum/maximum, not both")
            values = [option.value for option in self.options]
            if len(set(values)) != len(values):
                raise ValueError(f"item {self.key}: option values must be unique")
        else:
            if self.minimum is None or self.maximum is None:
                raise ValueError(f"item {self.key}: a numeric item needs minimum and maximum")
            if self.minimum >= self.maximum:
                raise ValueError(f"item {self.key}: minimum must be below maximum")
            if self.step is not None and self.step <= 0:
                raise ValueError(f"item {self.key}: step must be positive")
        return self

    def allowed(self, language: str = "en") -> str:
        """The allowed answers, for error messages in `language` (`en` or `fr`)."""
        french = language == "fr"
        if self.options:
            return ("l'une de ces valeurs : " if french else "one of ") + ", ".join(
                _number(option.value) for option in self.options
            )
        if french:
            text = f"un nombre de {_number(self.minimum)} à {_number(self.maximum)}"
            return text + (f" par pas de {_number(self.step)}" if self.step is not None else "")
        text = f"a number from {_number(self.minimum)} to {_number(self.maximum)}"
        if self.step is not None:
            text += f" in steps of {_number(self.step)}"
        return text

    def score_of(self, answer: float) -> float:
        """The item score of a valid answer; raises AnswerError naming the item otherwise."""
        if isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer):
            raise AnswerError(
                f"Item {self.key}: {answer!r} is not a number. Answer {self.allowed()}.",
                fr=f"Élément {self.key} : {answer!r} n'est pas un nombre. Répondez {self.allowed('fr')}.",
                field=("answers", self.key),
            )
        if self.options:
            for option in self.options:
                if math.isclose(option.value, answer, abs_tol=_TOLERANCE):
                    return option.item_score * self.weight
            raise AnswerError(
                f"Item {self.key}: {_number(answer)} is not an allowed answer. Answer {self.allowed()}.",
                fr=f"Élément {self.key} : {_number(answer)} n'est pas une réponse permise. Répondez {self.allowed('fr')}.",
                field=("answers", self.key),
            )
        assert self.minimum is not None and self.maximum is not None  # checked by _answer_shape
        off_step = self.step is not None and not _on_step(answer - self.minimum, self.step)
        if answer < self.minimum or answer > self.maximum or off_step:
            raise AnswerError(
                f"Item {self.key}: {_number(answer)} is out of range. Answer {self.allowed()}.",
                fr=f"Élément {self.key} : {_number(answer)} est hors des limites. Répondez {self.allowed('fr')}.",
                field=("answers", self.key),
            )
        return answer * self.weight

    def score_range(self) -> tuple[float, float]:
        if self.options:
            scores = [option.item_score * self.weight for option in self.options]
        else:
            assert self.minimum is not None and self.maximum is not None
            scores = [self.minimum * self.weight, self.maximum * self.weight]
        return min(scores), max(scores)


class ChangeThreshold(_Model):
    kind: Literal["mcid", "mdc"]
    improvement: float | None = Field(default=None, gt=0)  # points on the scale; None = not established
    worsening: float | None = Field(default=None, gt=0)
    improvement_percent: float | None = Field(default=None, gt=0, le=100)  # pain NRS: 2 points OR 30 %
    source: str = Field(min_length=1)  # BRIEF reference, e.g. "BRIEF §7 [R110]"

    @model_validator(mode="after")
    def _something(self) -> ChangeThreshold:
        if self.improvement is None and self.worsening is None and self.improvement_percent is None:
            raise ValueError("a threshold needs improvement, worsening or improvement_percent")
        return self


class Scale(_Model):
    key: str = Field(pattern=SNAKE)
    name: Text
    items: tuple[str, ...] = ()
    minimum: float
    maximum: float
    direction: Direction
    unit: str | None = None
    mcid: ChangeThreshold | None = None
    mdc: ChangeThreshold | None = None
    loinc: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")
    method: Method = "sum"
    max_missing: int = Field(default=0, ge=0)
    of_scales: tuple[str, ...] = ()  # components of sum_of_scales / mean_of_scales

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        if self.minimum >= self.maximum:
            raise ValueError(f"scale {self.key}: minimum must be below maximum")
        composite = self.method in ("sum_of_scales", "mean_of_scales")
        if composite and (self.items or not self.of_scales):
            raise ValueError(f"scale {self.key}: {self.method} lists of_scales and no items")
        if not composite and (self.of_scales or not self.items):
            raise ValueError(f"scale {self.key}: {self.method} lists items and no of_scales")
        if self.items and self.max_missing >= len(self.items):
            raise ValueError(f"scale {self.key}: max_missing must leave at least one answered item")
        for name, threshold in (("mcid", self.mcid), ("mdc", self.mdc)):
            if threshold is not None and threshold.kind != name:
                raise ValueError(f"scale {self.key}: the {name} threshold has kind {threshold.kind}")
        return self


class ScaleScore(_Model):
    key: str
    value: float | None
    answered: int
    missing: int


class InstrumentScore(_Model):
    instrument: str
    version: str
    scales: tuple[ScaleScore, ...]

    def value(self, scale_key: str) -> float | None:
        for scale in self.scales:
            if scale.key == scale_key:
                return scale.value
        raise KeyError(scale_key)


class Instrument(_Model):
    key: str = Field(pattern=SNAKE)
    version: str = Field(min_length=1)
    name: Text
    kind: Kind
    licence: Licence
    french: FrenchStatus
    home_capable: bool = False  # BRIEF §7 "home-capable" (PRO or performance test with instructions)
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    references: tuple[str, ...] = ()
    notes: Text | None = None  # shown to whoever enters the answers (e.g. "all items are required")

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        item_keys = [item.key for item in self.items]
        _unique(item_keys, "item")
        _unique([scale.key for scale in self.scales], "scale")
        if not self.items or not self.scales:
            raise ValueError("an instrument needs items and scales")
        if (self.licence == "licensed") != (self.french == "licensed"):
            raise ValueError("french is `licensed` exactly when the licence is `licensed`")
        for item in self.items:
            if self.licence == "licensed" and (item.text is not None or any(o.label for o in item.options)):
                raise ValueError(f"item {item.key}: a licensed instrument ships no item text or option label")
            if self.licence == "free" and (item.text is None or any(o.label is None for o in item.options)):
                raise ValueError(f"item {item.key}: a free instrument needs the item text and option labels")
        by_key = {item.key: item for item in self.items}
        earlier: dict[str, Scale] = {}
        for scale in self.scales:
            unknown = [key for key in scale.items if key not in by_key]
            if unknown:
                raise ValueError(f"scale {scale.key}: unknown items {unknown}")
            missing = [key for key in scale.of_scales if key not in earlier]
            if missing:
                raise ValueError(f"scale {scale.key}: of_scales {missing} must be scales listed before it")
            low, high = _possible_range(scale, by_key, earlier)
            if not (math.isclose(low, scale.minimum) and math.isclose(high, scale.maximum)):
                raise ValueError(
                    f"scale {scale.key}: declared range {_number(scale.minimum)}–{_number(scale.maximum)} but its "
                    f"items give {_number(low)}–{_number(high)}"
                )
            earlier[scale.key] = scale
        return self

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise AnswerError(
            f"Instrument {self.key} has no item {key!r}. Known items: {', '.join(i.key for i in self.items)}.",
            fr=(
                f"L'instrument {self.key} n'a pas d'élément {key!r}. Éléments connus : "
                f"{', '.join(i.key for i in self.items)}."
            ),
            field=("answers", key),
        )

    def scale(self, key: str) -> Scale:
        for scale in self.scales:
            if scale.key == key:
                return scale
        raise InvalidRequest(
            f"Instrument {self.key} has no scale {key!r}. Known scales: {', '.join(s.key for s in self.scales)}.",
            fr=(
                f"L'instrument {self.key} n'a pas d'échelle {key!r}. Échelles connues : "
                f"{', '.join(s.key for s in self.scales)}."
            ),
            field=("scale",),
        )

    def with_item_texts(self, texts: Mapping[str, Text]) -> Instrument:
        """This instrument with a licensed clinic's item texts (keys must be item keys)."""
        for key in texts:
            self.item(key)
        items = tuple(
            item.model_copy(update={"text": texts[item.key]}) if item.key in texts else item for item in self.items
        )
        return self.model_copy(update={"items": items})


def _possible_range(scale: Scale, items: Mapping[str, Item], earlier: Mapping[str, Scale]) -> tuple[float, float]:
    if scale.method == "sum":
        ranges = [items[key].score_range() for key in scale.items]
        return sum(low for low, _ in ranges), sum(high for _, high in ranges)
    if scale.method == "mean":
        ranges = [items[key].score_range() for key in scale.items]
        return min(low for low, _ in ranges), max(high for _, high in ranges)
    if scale.method == "percent":
        return 0.0, 100.0
    components = [earlier[key] for key in scale.of_scales]
    if scale.method == "sum_of_scales":
        return sum(c.minimum for c in components), sum(c.maximum for c in components)
    return min(c.minimum for c in components), max(c.maximum for c in components)


def _unique(keys: list[str], what: str) -> None:
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"{what} keys must be unique; repeated: {duplicates}")


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _on_step(offset: float, step: float) -> bool:
    ratio = offset / step
    return math.isclose(ratio, round(ratio), abs_tol=1e-6)


def _score_scale(
    scale: Scale, item_scores: Mapping[str, float | None], items: Mapping[str, Item], done: Mapping[str, ScaleScore]
) -> ScaleScore:
    if scale.of_scales:
        parts = [done[key] for key in scale.of_scales]
        answered = sum(part.answered for part in parts)
        missing = sum(part.missing for part in parts)
        values = [part.value for part in parts]
        if any(value is None for value in values):
            return ScaleScore(key=scale.key, value=None, answered=answered, missing=missing)
        numbers = [value for value in values if value is not None]
        total = sum(numbers) if scale.method == "sum_of_scales" else sum(numbers) / len(numbers)
        return ScaleScore(key=scale.key, value=round(total, DECIMALS), answered=answered, missing=missing)
    answered_scores = [score for key in scale.items if (score := item_scores.get(key)) is not None]
    answered = len(answered_scores)
    missing = len(scale.items) - answered
    if answered == 0 or missing > scale.max_missing:
        return ScaleScore(key=scale.key, value=None, answered=answered, missing=missing)
    mean = sum(answered_scores) / answered
    if scale.method == "mean":
        value = mean
    else:
        # A missing item counts as the mean of the answered ones (equivalent to prorating the sum).
        total = mean * len(scale.items)
        if scale.method == "sum":
            value = total
        else:
            ranges = [items[key].score_range() for key in scale.items]
            low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
            value = (total - low) / (high - low) * 100
    value = min(max(value, scale.minimum), scale.maximum)  # guards float noise only; the range is proven at load
    return ScaleScore(key=scale.key, value=round(value, DECIMALS), answered=answered, missing=missing)


def score(instrument: Instrument, answers: Mapping[str, float | None]) -> InstrumentScore:
    """Score a set of answers; AnswerError names the first item whose answer is not allowed."""
    items = {item.key: item for item in instrument.items}
    for key in answers:
        if key not in items:
            instrument.item(key)  # raises AnswerError listing the known items
    item_scores: dict[str, float | None] = {}
    for key, item in items.items():
        answer = answers.get(key)
        item_scores[key] = None if answer is None else item.score_of(answer)
    done: dict[str, ScaleScore] = {}
    for scale in instrument.scales:
        done[scale.key] = _score_scale(scale, item_scores, items, done)
    return InstrumentScore(instrument=instrument.key, version=instrument.version, scales=tuple(done.values()))


class ChangeLabel(StrEnum):
    CLINICALLY_MEANINGFUL = "clinically_meaningful"
    BEYOND_MEASUREMENT_ERROR = "beyond_measurement_error"
    NONE = "none"


class Change(_Model):
    delta: float
    improved: bool | None
    label: ChangeLabel


def _reaches(threshold: ChangeThreshold | None, improved: bool, size: float, percent: float | None) -> bool:
    if threshold is None:
        return False
    points = threshold.improvement if improved else threshold.worsening
    if points is not None and size >= points - _TOLERANCE:
        return True
    share = threshold.improvement_percent if improved else None
    return share is not None and percent is not None and percent >= share - _TOLERANCE


def _below_mdc(mdc: ChangeThreshold | None, improved: bool, size: float) -> bool:
    if mdc is None:
        return False
    points = mdc.improvement if improved else mdc.worsening
    return points is not None and size < points - _TOLERANCE


def classify_change(scale: Scale, baseline: float, current: float) -> Change:
    """Label a change (BRIEF §7; issue 5 item 2): beyond an established MCID → clinically meaningful; otherwise
    beyond the MDC → beyond measurement error; otherwise no label. A change smaller than an established MDC is
    never called clinically meaningful, whatever the MCID: it cannot be told apart from measurement error."""
    delta = round(current - baseline, 9)
    if delta == 0:
        return Change(delta=0.0, improved=None, label=ChangeLabel.NONE)
    improved = (delta > 0) == (scale.direction == "higher_is_better")
    size = abs(delta)
    # Percent thresholds (pain: 30 % reduction) are relative to the baseline's distance from the scale's floor.
    room = baseline - scale.minimum
    percent = size / room * 100 if room > 0 else None
    if _reaches(scale.mcid, improved, size, percent) and not _below_mdc(scale.mdc, improved, size):
        label = ChangeLabel.CLINICALLY_MEANINGFUL
    elif _reaches(scale.mdc, improved, size, percent):
        label = ChangeLabel.BEYOND_MEASUREMENT_ERROR
    else:
        label = ChangeLabel.NONE
    return Change(delta=delta, improved=improved, label=label)


class InstrumentRegistry:
    """The instruments of the catalog, in a stable order, with the schedule's batteries."""

    def __init__(
        self,
        instruments: Iterable[Instrument],
        *,
        batteries: Mapping[str, Iterable[str]],
        schedule: ScheduleRules,
    ) -> None:
        self._instruments = {instrument.key: instrument for instrument in instruments}
        self._batteries = {condition: tuple(keys) for condition, keys in batteries.items()}
        self.schedule = schedule
        for condition, keys in self._batteries.items():
            unknown = [key for key in keys if key not in self._instruments]
            if unknown:
                raise ValueError(f"battery {condition}: unknown instruments {unknown}")
        unknown_skips = sorted(schedule.not_at_baseline - self._instruments.keys())
        if unknown_skips:
            raise ValueError(f"not_at_baseline: unknown instruments {unknown_skips}")

    def get(self, key: str) -> Instrument:
        try:
            return self._instruments[key]
        except KeyError:
            raise UnknownInstrument(
                f"Unknown instrument {key!r}. Use one of: {', '.join(self._instruments)}.",
                fr=f"Instrument inconnu : {key!r}. Utilisez l'un de ceux-ci : {', '.join(self._instruments)}.",
                field=("instrument",),
            ) from None

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self._instruments.values())

    def __len__(self) -> int:
        return len(self._instruments)

    def __contains__(self, key: object) -> bool:
        return key in self._instruments

    def keys(self) -> tuple[str, ...]:
        return tuple(self._instruments)

    def conditions(self) -> tuple[str, ...]:
        return tuple(self._batteries)

    def battery(self, conditions: Iterable[str]) -> tuple[str, ...]:
        """The scheduled instruments for someone with these conditions, in registry order (unknown conditions
        add nothing)."""
        wanted = {key for condition in conditions for key in self._batteries.get(condition, ())}
        return tuple(key for key in self._instruments if key in wanted)
