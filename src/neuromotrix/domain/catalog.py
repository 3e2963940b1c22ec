"""The loaded catalog: exercises with compiled rules, references and rule tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from neuromotrix.domain.exercise import CompiledExercise
from neuromotrix.domain.ruletables import RuleTables


@dataclass(frozen=True)
class Catalog:
    exercises: Mapping[str, CompiledExercise]
    references: Mapping[str, str]
    rules: RuleTables
