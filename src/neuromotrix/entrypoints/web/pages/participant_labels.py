"""Words of the participant's pages for the program's codes (positions, parts, equipment, regions...): English
msgids translated at render (`_(labels.positions[code])` in a template). Stop reasons keep their bilingual labels
in domain/alerts.py (`STOP_LABELS`), shared with the alerts the trainer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from neuromotrix.adapters.i18n import N_

PARTS = {"warm_up": N_("Warm-up"), "main": N_("Main part"), "cool_down": N_("Cool-down")}

POSITIONS = {
    "lying": N_("Lying down"),
    "reclined": N_("Reclined"),
    "sitting_supported": N_("Sitting with support"),
    "sitting": N_("Sitting"),
    "standing_supported": N_("Standing with support"),
    "standing": N_("Standing"),
    "walking": N_("Walking"),
}

EQUIPMENT = {
    "chair": N_("a chair"),
    "mat": N_("a mat"),
    "wall": N_("a wall"),
    "towel": N_("a towel"),
    "pillow": N_("a pillow"),
    "mirror": N_("a mirror"),
    "table": N_("a table"),
    "counter": N_("a counter"),
    "step": N_("a step"),
    "resistance_band": N_("a resistance band"),
    "ball": N_("a ball"),
    "putty": N_("therapy putty"),
    "whiteboard": N_("a whiteboard"),
    "poles": N_("walking poles"),
    "stationary_bike": N_("a stationary bike"),
    "treadmill": N_("a treadmill"),
    "pool": N_("a pool"),
}

STATUSES = {"done": N_("Done"), "partial": N_("Partly done"), "skipped": N_("Skipped")}

ROLES = {
    "participant": N_("participant"),
    "caregiver": N_("caregiver"),
    "trainer": N_("trainer"),
    "admin": N_("clinic admin"),
}

REGIONS = {
    "neck": N_("Neck"),
    "eyes": N_("Eyes or eyelids"),
    "mouth": N_("Mouth or jaw"),
    "larynx": N_("Voice box (larynx)"),
    "trunk": N_("Trunk"),
    "arm_left": N_("Left arm"),
    "arm_right": N_("Right arm"),
    "hand_left": N_("Left hand"),
    "hand_right": N_("Right hand"),
    "leg_left": N_("Left leg"),
    "leg_right": N_("Right leg"),
    "foot_left": N_("Left foot"),
    "foot_right": N_("Right foot"),
}

SEVERITIES = {
    "emergency": N_("Emergency"),
    "urgent": N_("Urgent"),
    "warning": N_("Warning"),
    "info": N_("For information"),
}

# The adaptation engine's actions (services/adaptation_flow.py), as the participant reads them.
ACTIONS = {
    "progress": N_("Moves up to level %(level)s."),
    "regress": N_("Moves down to level %(level)s, easier for now."),
    "pause": N_("Paused for now; it comes back at level %(level)s."),
    "hold": N_("Stays at level %(level)s, with less work for now."),
}

# Borg RPE 6-20 verbal anchors (Borg 1982), for blocks whose effort is on that scale.
RPE_ANCHORS = {
    6: N_("No exertion at all"),
    7: N_("Extremely light"),
    9: N_("Very light"),
    11: N_("Light"),
    13: N_("Somewhat hard"),
    15: N_("Hard"),
    17: N_("Very hard"),
    19: N_("Extremely hard"),
    20: N_("Maximal exertion"),
}

# The talk test (docs/clinical-rules.md): 1 light, 2 moderate, 3 vigorous.
TALK_TEST = {
    1: N_("I could talk in full sentences"),
    2: N_("I could talk, but not sing"),
    3: N_("I could only say a few words"),
}

POST_INJECTION_QUESTIONS = {
    "breathing": N_("Is it harder to breathe than before the injection?"),
    "choking": N_("Have you choked, or felt food or drink go down the wrong way?"),
    "swallowing": N_("Is it harder to swallow than before the injection?"),
    "weakness": N_("Do you have new weakness, for example holding up your head or lifting your arms?"),
    "double_vision": N_("Do you see double?"),
    "drooping_eyelid": N_("Is an eyelid drooping?"),
    "voice_change": N_("Has your voice changed (weaker, hoarse or breathy)?"),
}

# The same, as the history lists what was reported.
POST_INJECTION_SYMPTOMS = {
    "breathing": N_("harder to breathe"),
    "choking": N_("choking"),
    "swallowing": N_("harder to swallow"),
    "weakness": N_("new weakness"),
    "double_vision": N_("double vision"),
    "drooping_eyelid": N_("drooping eyelid"),
    "voice_change": N_("voice change"),
}


@dataclass(frozen=True)
class Labels:
    parts: dict[str, str] = field(default_factory=lambda: PARTS)
    positions: dict[str, str] = field(default_factory=lambda: POSITIONS)
    equipment: dict[str, str] = field(default_factory=lambda: EQUIPMENT)
    statuses: dict[str, str] = field(default_factory=lambda: STATUSES)
    roles: dict[str, str] = field(default_factory=lambda: ROLES)
    regions: dict[str, str] = field(default_factory=lambda: REGIONS)
    severities: dict[str, str] = field(default_factory=lambda: SEVERITIES)
    actions: dict[str, str] = field(default_factory=lambda: ACTIONS)
    rpe: dict[int, str] = field(default_factory=lambda: RPE_ANCHORS)
    talk_test: dict[int, str] = field(default_factory=lambda: TALK_TEST)
    post_injection: dict[str, str] = field(default_factory=lambda: POST_INJECTION_QUESTIONS)
    symptoms: dict[str, str] = field(default_factory=lambda: POST_INJECTION_SYMPTOMS)


LABELS = Labels()
