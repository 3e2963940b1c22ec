"""The exercise catalog model (BRIEF §3): what a catalog YAML entry must contain, validated at load.

A level is one rung of the exercise's ladder; neighbouring levels differ in exactly one training variable
(BRIEF §4.4 "change one variable at a time"), which `Exercise` checks when it is built.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from neuromotrix.domain import vocab
from neuromotrix.domain.rules import Predicate, compile_rule

ID_PATTERN = re.compile(r"^[A-Z]{2}\d{2}$")
SNAKE = r"^[a-z][a-z0-9_]*$"
# Catalog region tokens: the profile's regions plus limb names resolved to the person's affected side(s).
LIMB_TOKENS = ("arm", "hand", "leg", "foot")
RegionToken = Literal[
    "eyes", "mouth", "larynx", "neck", "trunk",
    "arm_left", "arm_right", "hand_left", "hand_right",
    "leg_left", "leg_right", "foot_left", "foot_right",
    "arm", "hand", "leg", "foot",
]  # fmt: skip
Role = Literal["warm_up", "main", "cool_down"]
Movement = vocab.PainfulMovement
# Qualitative level variables (the ladder's non-numeric rungs).
VARIANT_KEYS = frozenset(
    {
        "range",
        "speed",
        "support",
        "load",
        "complexity",
        "eyes",
        "surface",
        "base",
        "side",
        "cue",
        "arms",
        "stance",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


class Effort(_Model):
    scale: vocab.EffortScale
    target: int | float | tuple[int | float, int | float]

    @model_validator(mode="after")
    def _ordered(self) -> Effort:
        if isinstance(self.target, tuple) and self.target[0] > self.target[1]:
            raise ValueError("effort target [low, high] must have low <= high")
        return self


class Dose(_Model):
    sets: Annotated[StrictInt, Field(ge=1, le=10)] = 1
    reps: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    hold_s: Annotated[StrictInt, Field(ge=0, le=600)] = 0
    minutes: Annotated[float, Field(ge=0, le=60)] = 0
    continuous_minutes: Annotated[float, Field(ge=0, le=60)] = 0
    rest_s: Annotated[StrictInt, Field(ge=0, le=600)] = 0
    effort: Effort | None = None

    @model_validator(mode="after")
    def _has_volume(self) -> Dose:
        if self.reps == 0 and self.minutes == 0 and self.continuous_minutes == 0:
            raise ValueError("a dose needs reps, minutes or continuous_minutes")
        return self


TRAINING_VARIABLES = ("sets", "reps", "hold_s", "minutes", "continuous_minutes", "effort")


class Level(_Model):
    position: vocab.Position
    dose: Dose
    text: Text
    equipment: tuple[vocab.Equipment, ...] = ()
    variant: dict[str, str] = Field(default_factory=dict)
    supported: StrictBool | None = None
    supine: StrictBool = False
    tasks: tuple[vocab.Task, ...] = ()

    @model_validator(mode="after")
    def _known_variants(self) -> Level:
        unknown = set(self.variant) - VARIANT_KEYS
        if unknown:
            raise ValueError(f"unknown variant keys {sorted(unknown)}; allowed: {sorted(VARIANT_KEYS)}")
        return self

    @property
    def is_supported(self) -> bool:
        """Supported = lying, reclined, supported sitting/standing, or a level marked as holding support."""
        if self.supported is not None:
            return self.supported
        return self.position in vocab.SUPPORTED_POSITIONS or self.position == "sitting"

    def variables(self) -> dict[str, Any]:
        values: dict[str, Any] = {"position": self.position, "equipment": frozenset(self.equipment)}
        values.update({name: getattr(self.dose, name) for name in TRAINING_VARIABLES})
        values.update({f"variant.{key}": value for key, value in self.variant.items()})
        return values


def changed_variables(lower: Level, upper: Level) -> list[str]:
    before, after = lower.variables(), upper.variables()
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


class Direction(_Model):
    """Neck direction semantics (BRIEF §3.1 principle 2), resolved against the person's pattern by the planner."""

    plane: vocab.Plane
    semantics: Literal["counter", "bilateral", "fixed"]
    toward: vocab.Toward | None = None

    @model_validator(mode="after")
    def _fixed_has_toward(self) -> Direction:
        if (self.semantics == "fixed") != (self.toward is not None):
            raise ValueError("`toward` is required for semantics `fixed` and forbidden otherwise")
        return self


class Contraindication(_Model):
    code: str = Field(pattern=SNAKE)
    when: dict[str, Any]
    text: Text
    refs: tuple[str, ...] = ()


class Exercise(_Model):
    id: str
    category: vocab.Category
    name: Text
    purpose: Text
    instructions: Text
    regions: tuple[RegionToken, ...] = ()
    conditions: tuple[vocab.ConditionKind, ...] = Field(min_length=1)
    indication: dict[str, Any] | None = None
    goals: tuple[vocab.Goal, ...] = ()
    roles: tuple[Role, ...] = ("main",)
    equipment: tuple[vocab.Equipment, ...] = ()
    direction: Direction | None = None
    resisted: StrictBool = False
    movement_s: Annotated[StrictInt, Field(ge=0, le=30)] = 3
    starter: StrictBool = False
    start_level: Annotated[StrictInt, Field(ge=1)] = 1
    levels: tuple[Level, ...] = Field(min_length=3)
    tasks: tuple[vocab.Task, ...] = ()
    movements: tuple[Movement, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()
    cautions: tuple[Text, ...] = ()
    refs: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"id {self.id!r} must be two capital letters and two digits, e.g. NM04")
        if self.start_level > len(self.levels):
            raise ValueError(f"start_level {self.start_level} is beyond the {len(self.levels)} levels")
        for index in range(1, len(self.levels)):
            changed = changed_variables(self.levels[index - 1], self.levels[index])
            if len(changed) != 1:
                raise ValueError(
                    f"levels {index} and {index + 1} must differ in exactly one variable, they differ in "
                    f"{changed or 'nothing'}"
                )
        compile_rule(self.indication, "indication") if self.indication is not None else None
        for item in self.contraindications:
            compile_rule(item.when, f"contraindications[{item.code}].when")
        return self


class CompiledExercise:
    """An exercise with its rules compiled to predicates (built once per catalog load)."""

    __slots__ = (
        "conditions", "contraindications", "equipment", "exercise", "indication", "ladder_cache",
        "level_equipment", "level_tasks", "movements", "reason_cache", "tasks",
    )  # fmt: skip

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.indication: Predicate | None = (
            compile_rule(exercise.indication, f"{exercise.id}.indication") if exercise.indication else None
        )
        self.contraindications: tuple[tuple[Contraindication, Predicate], ...] = tuple(
            (item, compile_rule(item.when, f"{exercise.id}.{item.code}")) for item in exercise.contraindications
        )
        self.conditions = frozenset(exercise.conditions)
        self.equipment = frozenset(exercise.equipment)
        self.tasks = frozenset(exercise.tasks)
        self.movements = frozenset(exercise.movements)
        # What a level's usability can depend on, so usable ladders can be cached per situation.
        self.level_equipment = frozenset(item for level in exercise.levels for item in level.equipment)
        self.level_tasks = frozenset(task for level in exercise.levels for task in level.tasks)
        # Per-process memo of derived, immutable values (reasons, converted doses), keyed by what they depend on.
        self.reason_cache: dict[tuple[Any, ...], Any] = {}
        self.ladder_cache: dict[tuple[object, ...], tuple[tuple[int, ...], int, list[str]]] = {}
