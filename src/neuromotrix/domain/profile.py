"""The profile contract (PRODUCT.md "Contracts"; shared/contracts/profile-reference.yaml).

The profile is a value object: validated once, then read by screening and planning. Unknown keys are an error
(a typo must never silently drop a safety field) and every closed list is enforced with the field path named.
Fields beyond profile-reference.yaml are optional extensions documented in docs/profile.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

from neuromotrix.domain import vocab

Nrs = Annotated[StrictInt, Field(ge=0, le=10)]
Severity04 = Annotated[StrictInt, Field(ge=0, le=4)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SidedComponent(_Model):
    toward: vocab.Side
    level: vocab.CervicalLevel = "both"
    severity: Severity04 = 1


class SagittalComponent(_Model):
    toward: vocab.SagittalToward
    level: vocab.CervicalLevel = "both"
    severity: Severity04 = 1


class Cervical(_Model):
    """Cervical pattern (BRIEF §1.3). `toward` is where the head is pulled."""

    rotation: SidedComponent | None = None
    tilt: SidedComponent | None = None
    sagittal: SagittalComponent | None = None
    lateral_shift: vocab.SideOrNone = "none"
    sagittal_shift: vocab.SagittalShift = "none"
    shoulder_elevation: vocab.SideOrNone = "none"
    tremor: vocab.HeadTremor = "none"
    stability: vocab.Stability = "unknown"
    sensory_tricks: tuple[vocab.SensoryTrick, ...] = ()
    confirmed_by_clinician: StrictBool = False


class Dystonia(_Model):
    kind: Literal["dystonia"]
    distribution: vocab.Distribution = "focal"
    onset: vocab.Onset = "unknown"
    course: vocab.Course = "static"
    regions: tuple[vocab.Region, ...] = ()
    task_triggers: tuple[vocab.Task, ...] = ()
    exercise_induced: StrictBool = False
    exercise_induced_max_bout_minutes: Annotated[StrictInt, Field(ge=1, le=60)] | None = None
    cervical: Cervical | None = None

    @model_validator(mode="after")
    def _cervical_needs_neck(self) -> Dystonia:
        if self.cervical is not None and "neck" not in self.regions:
            raise ValueError("`cervical` is only allowed when `regions` includes neck; add neck or remove cervical")
        return self

    @property
    def max_bout_minutes(self) -> int | None:
        """BRIEF §1.5: PED caps continuous bouts; default 10 minutes unless the clinician set another cap."""
        if not self.exercise_induced:
            return None
        return self.exercise_induced_max_bout_minutes or 10


class Parkinson(_Model):
    kind: Literal["parkinson"]
    hoehn_yahr: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    freezing: StrictBool = False
    fluctuations: StrictBool = False
    orthostatic_hypotension: StrictBool = False


class CerebralPalsy(_Model):
    kind: Literal["cerebral_palsy"]
    gmfcs: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    motor_type: vocab.GmfcsMotorType | None = None


Condition = Annotated[Dystonia | Parkinson | CerebralPalsy, Field(discriminator="kind")]


class Symptoms(_Model):
    """Booleans describe what is NEW or WORSENING in the last 3 weeks."""

    pain_nrs: Nrs = 0
    fatigue_nrs: Nrs = 0
    tremor: StrictBool = False
    speech_difficulty: StrictBool = False
    swallowing_difficulty: StrictBool = False
    breathing_difficulty: StrictBool = False
    recent_worsening: StrictBool = False
    chronic: tuple[vocab.ChronicProblem, ...] = ()
    falls_last_12_months: Annotated[StrictInt, Field(ge=0, le=365)] = 0
    injurious_fall_last_12_months: StrictBool = False
    painful_movements: tuple[vocab.PainfulMovement, ...] = ()
    # Extensions (docs/profile.md): red flags of BRIEF §6.3 that the reference profile cannot express.
    escalating_spasms: StrictBool = False
    fever: StrictBool = False
    acute_illness: StrictBool = False
    new_weakness: StrictBool = False
    numbness: StrictBool = False
    vision_change: StrictBool = False
    gait_or_bladder_change: StrictBool = False
    low_mood_crisis: StrictBool = False


class Injection(_Model):
    date: dt.date
    regions: tuple[vocab.Region, ...] = Field(min_length=1)
    product: str | None = None
    dose_units: Annotated[float, Field(gt=0)] | None = None


class Medication(_Model):
    name: str = Field(min_length=1)
    medication_class: vocab.MedicationClass = Field("other", alias="class")
    change: vocab.MedicationChange | None = None
    changed_on: dt.date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _change_needs_date(self) -> Medication:
        if self.change is not None and self.changed_on is None:
            raise ValueError("`change` needs `changed_on` (the date of the change, YYYY-MM-DD)")
        return self


class Dbs(_Model):
    implanted_on: dt.date
    target: Literal["GPi", "STN", "other"] = "other"
    problem: vocab.DbsProblem = "none"


class Treatments(_Model):
    botulinum_toxin: tuple[Injection, ...] = ()
    botulinum_toxin_next_expected_on: dt.date | None = None
    medications: tuple[Medication, ...] = ()
    dbs: Dbs | None = None
    recent_surgery_on: dt.date | None = None

    @field_validator("botulinum_toxin")
    @classmethod
    def _oldest_first(cls, injections: tuple[Injection, ...]) -> tuple[Injection, ...]:
        return tuple(sorted(injections, key=lambda injection: injection.date))

    @property
    def next_injection_expected_on(self) -> dt.date | None:
        """Default: the last injection + 12 weeks (BRIEF §5.1 re-injection interval)."""
        if self.botulinum_toxin_next_expected_on is not None:
            return self.botulinum_toxin_next_expected_on
        if not self.botulinum_toxin:
            return None
        return self.botulinum_toxin[-1].date + dt.timedelta(weeks=12)


class Parq(_Model):
    """The seven PAR-Q+ general questions: True = yes, False = no, None (omitted) = unanswered."""

    heart_condition: StrictBool | None = None
    chest_pain: StrictBool | None = None
    dizziness_or_fainting: StrictBool | None = None
    other_chronic_condition: StrictBool | None = None
    chronic_medication: StrictBool | None = None
    bone_joint_problem: StrictBool | None = None
    supervised_only: StrictBool | None = None


class Clearance(_Model):
    by: str = Field(min_length=1)
    on: dt.date
    restrictions: tuple[vocab.Restriction, ...] = ()


FollowUpGroup = Literal[
    "arthritis_osteoporosis_back", "cancer", "heart_cardiovascular", "high_blood_pressure", "metabolic",
    "mental_health", "respiratory", "spinal_cord_injury", "stroke", "other_condition",
]  # fmt: skip


class Screening(_Model):
    parq: Parq = Parq()
    # Extension: PAR-Q+ pages 2-3. True = at least one follow-up "yes" in that group, False = all "no".
    parq_follow_up: dict[FollowUpGroup, StrictBool] = Field(default_factory=dict)
    pregnant: StrictBool = False
    breastfeeding: StrictBool = False
    clearance: Clearance | None = None


class Activity(_Model):
    regular_exerciser: StrictBool = False
    minutes_per_week: Annotated[StrictInt, Field(ge=0, le=3000)] = 0


def _default_equipment() -> tuple[vocab.Equipment, ...]:
    return ("chair", "wall")


class Preferences(_Model):
    start_on: dt.date | None = None
    weeks: Annotated[StrictInt, Field(ge=1, le=16)] = 8
    days: tuple[vocab.Weekday, ...] | None = None
    sessions_per_week: Annotated[StrictInt, Field(ge=1, le=7)] | None = None
    time_of_day: str = Field("10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    minutes_per_session: Annotated[StrictInt, Field(ge=10, le=90)] = 30
    equipment: tuple[vocab.Equipment, ...] = Field(default_factory=_default_equipment)
    setting: vocab.Setting = "home"

    @model_validator(mode="after")
    def _days_consistent(self) -> Preferences:
        if self.days is not None:
            if not self.days:
                raise ValueError("`days` must name at least one day (mon..sun), or use sessions_per_week")
            if len(set(self.days)) != len(self.days):
                raise ValueError("`days` lists a day twice; name each day once")
            if self.sessions_per_week is not None and self.sessions_per_week != len(self.days):
                raise ValueError("`days` and `sessions_per_week` disagree; give one of them")
        return self

    @property
    def session_count(self) -> int:
        if self.days is not None:
            return len(self.days)
        return self.sessions_per_week or 3


class Profile(_Model):
    name: str | None = None
    birth_year: Annotated[StrictInt, Field(ge=1900, le=2100)] | None = None
    sex: vocab.Sex = "unspecified"
    language: vocab.Language = "en"
    conditions: tuple[Condition, ...] = Field(min_length=1)
    symptoms: Symptoms = Symptoms()
    treatments: Treatments = Treatments()
    screening: Screening = Screening()
    activity: Activity = Activity()
    preferences: Preferences = Preferences()
    goals: tuple[vocab.Goal, ...] = ()

    @property
    def dystonias(self) -> tuple[Dystonia, ...]:
        return tuple(c for c in self.conditions if isinstance(c, Dystonia))

    @property
    def parkinsons(self) -> tuple[Parkinson, ...]:
        return tuple(c for c in self.conditions if isinstance(c, Parkinson))

    @property
    def cerebral_palsies(self) -> tuple[CerebralPalsy, ...]:
        return tuple(c for c in self.conditions if isinstance(c, CerebralPalsy))

    @property
    def cervical(self) -> Cervical | None:
        for dystonia in self.dystonias:
            if dystonia.cervical is not None:
                return dystonia.cervical
        return None

    @property
    def start_on(self) -> dt.date:
        """The resolved start date; `resolve_start` must have been applied (the CLI does it)."""
        if self.preferences.start_on is None:
            raise ValueError("start_on is not resolved; call resolve_start(profile, today) first")
        return self.preferences.start_on


def resolve_start(profile: Profile, today: dt.date) -> Profile:
    """Fill `preferences.start_on` with today's date when omitted; the clock stays outside the domain."""
    if profile.preferences.start_on is not None:
        return profile
    preferences = profile.preferences.model_copy(update={"start_on": today})
    return profile.model_copy(update={"preferences": preferences})
