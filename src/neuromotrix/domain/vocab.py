"""Closed vocabularies shared by the profile contract, the catalog and the plan contract.

Every list here is public (PRODUCT.md "Contracts", profile-reference.yaml): values may be added, never renamed.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "fr"]
Sex = Literal["female", "male", "other", "unspecified"]
ConditionKind = Literal["dystonia", "parkinson", "cerebral_palsy"]
Distribution = Literal["focal", "segmental", "multifocal", "generalized", "hemidystonia"]
Onset = Literal["infancy", "childhood", "adolescence", "early_adulthood", "late_adulthood", "unknown"]
Course = Literal["static", "progressive"]
Region = Literal[
    "eyes", "mouth", "larynx", "neck", "trunk",
    "arm_left", "arm_right", "hand_left", "hand_right",
    "leg_left", "leg_right", "foot_left", "foot_right",
]  # fmt: skip
Task = Literal[
    "writing", "typing", "instrument", "speaking", "walking", "running", "standing",
    "chewing", "reading", "screen_work", "driving", "carrying",
]  # fmt: skip
Side = Literal["left", "right"]
SideOrNone = Literal["left", "right", "none"]
SagittalToward = Literal["forward", "backward"]
SagittalShift = Literal["forward", "backward", "none"]
CervicalLevel = Literal["collis", "caput", "both"]
HeadTremor = Literal["none", "yes_yes", "no_no", "mixed"]
Stability = Literal["stable", "unstable", "unknown"]
SensoryTrick = Literal["hand_on_chin", "hand_on_cheek", "hand_on_back_of_head", "head_support", "other"]
GmfcsMotorType = Literal["spastic", "dyskinetic", "ataxic", "mixed"]
ChronicProblem = Literal["speech", "swallowing", "breathing", "vision"]
PainfulMovement = Literal[
    "neck_rotation_left", "neck_rotation_right", "neck_tilt_left", "neck_tilt_right",
    "neck_flexion", "neck_extension", "shoulder_elevation", "wrist_flexion", "wrist_extension",
    "ankle_inversion", "walking", "standing",
]  # fmt: skip
MedicationClass = Literal[
    "anticholinergic", "baclofen", "benzodiazepine", "beta_blocker", "dopaminergic",
    "tetrabenazine", "antidepressant", "other",
]  # fmt: skip
MedicationChange = Literal["started", "stopped", "dose_changed"]
DbsTarget = Literal["GPi", "STN", "other"]
DbsProblem = Literal["none", "loss_of_benefit", "device_warning", "battery_low", "shocks", "wound"]
Restriction = Literal[
    "no_resisted_neck", "no_vigorous", "seated_only", "supervised_only", "no_aerobic",
    "no_unsupported_standing", "pregnancy_cleared",
]  # fmt: skip
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Equipment = Literal[
    "chair", "mat", "wall", "towel", "pillow", "mirror", "table", "counter", "step",
    "resistance_band", "ball", "putty", "whiteboard", "poles", "stationary_bike", "treadmill", "pool",
]  # fmt: skip
Setting = Literal["home", "clinic", "pool"]
Goal = Literal[
    "reduce_pain", "posture", "neck_control", "balance", "gait", "fitness", "strength",
    "hand_function", "fatigue", "independence",
]  # fmt: skip

# Plan contract vocabularies.
Category = Literal[
    "relaxation_breathing", "neck_motor_control", "neck_isometrics", "flexibility", "scapular_posture",
    "trunk_core", "balance_functional", "gait", "fine_motor", "lower_limb_foot", "aerobic", "face_jaw",
]  # fmt: skip
Part = Literal["warm_up", "main", "cool_down"]
Position = Literal[
    "lying", "reclined", "sitting_supported", "sitting", "standing_supported", "standing", "walking",
]  # fmt: skip
Plane = Literal["rotation", "tilt", "sagittal", "shift"]
Toward = Literal["left", "right", "forward", "backward"]
Relation = Literal["counter", "bilateral"]
EffortScale = Literal["cr10", "rpe", "percent_max", "talk_test"]
Severity = Literal["emergency", "urgent", "pause", "modify", "info"]
Status = Literal["ready", "needs_clearance", "blocked"]
ToxinPhase = Literal["none", "post_injection", "onset", "peak", "wearing_off"]

WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
POSITIONS: tuple[Position, ...] = get_args(Position)
CATEGORIES: tuple[Category, ...] = get_args(Category)
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)

# BRIEF §3.1 position ladder (lying = quietest dystonic activity); the rank orders the contract's positions.
POSITION_RANK: dict[str, int] = {position: rank for rank, position in enumerate(POSITIONS, start=1)}
SUPPORTED_POSITIONS = frozenset({"lying", "reclined", "sitting_supported", "standing_supported"})
UPRIGHT_POSITIONS = frozenset({"standing_supported", "standing", "walking"})

OPPOSITE: dict[str, str] = {"left": "right", "right": "left", "forward": "backward", "backward": "forward"}
