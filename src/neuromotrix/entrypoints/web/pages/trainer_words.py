"""Words for the codes the trainer's pages show (profile, plan, screening, alerts, program versions), in the
reader's language: English msgids marked with `N_`, translated when the page renders.

Templates get a `Words` as `w`: `{{ w("region", "neck") }}` → "Neck" / "Cou". A code without a word (a value added
to a vocabulary later) is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from neuromotrix.adapters.i18n import N_, Translator

WORDS: dict[str, dict[str, str]] = {
    "alert_severity": {
        "emergency": N_("Emergency"),
        "urgent": N_("Urgent"),
        "warning": N_("Warning"),
        "info": N_("Information"),
    },
    "flag_severity": {
        "emergency": N_("Emergency"),
        "urgent": N_("Urgent"),
        "pause": N_("Pause"),
        "modify": N_("Program adapted"),
        "info": N_("Information"),
    },
    "outcome": {
        "ready": N_("Ready"),
        "needs_clearance": N_("Needs a clearance"),
        "blocked": N_("Blocked"),
    },
    "program_state": {
        "blocked": N_("Blocked by screening"),
        "needs_clearance": N_("Needs a clearance"),
        "draft": N_("Draft to approve"),
        "none": N_("No approved program"),
        "ready": N_("In use"),
    },
    "version_status": {
        "draft": N_("Draft"),
        "active": N_("Active"),
        "superseded": N_("Replaced"),
        "discarded": N_("Discarded"),
    },
    "source": {
        "generated": N_("Generated from the profile"),
        "injection": N_("Regenerated after an injection"),
        "clearance": N_("Regenerated after a clearance"),
        "trainer_edit": N_("Dose changed by a trainer"),
        "trainer_override": N_("Level or pause set by a trainer"),
        "adaptation": N_("Adapted from the sessions"),
        "approval": N_("Approved with later adaptations"),
    },
    "part": {
        "warm_up": N_("Warm-up"),
        "main": N_("Main part"),
        "cool_down": N_("Cool-down"),
    },
    "position": {
        "lying": N_("Lying"),
        "reclined": N_("Reclined"),
        "sitting_supported": N_("Sitting with support"),
        "sitting": N_("Sitting"),
        "standing_supported": N_("Standing with support"),
        "standing": N_("Standing"),
        "walking": N_("Walking"),
    },
    "phase": {
        "none": N_("No toxin phase"),
        "post_injection": N_("Injection days"),
        "onset": N_("Toxin taking effect"),
        "peak": N_("Toxin at peak effect"),
        "wearing_off": N_("Toxin wearing off"),
    },
    "region": {
        "eyes": N_("Eyes"),
        "mouth": N_("Mouth and jaw"),
        "larynx": N_("Voice (larynx)"),
        "neck": N_("Neck"),
        "trunk": N_("Trunk"),
        "arm_left": N_("Left arm"),
        "arm_right": N_("Right arm"),
        "hand_left": N_("Left hand"),
        "hand_right": N_("Right hand"),
        "leg_left": N_("Left leg"),
        "leg_right": N_("Right leg"),
        "foot_left": N_("Left foot"),
        "foot_right": N_("Right foot"),
    },
    "restriction": {
        "no_resisted_neck": N_("No resisted neck work"),
        "no_vigorous": N_("No vigorous effort"),
        "seated_only": N_("Seated exercises only"),
        "supervised_only": N_("Supervised sessions only"),
        "no_aerobic": N_("No aerobic work"),
        "no_unsupported_standing": N_("No standing without support"),
        "pregnancy_cleared": N_("Cleared during pregnancy"),
    },
    "condition": {
        "dystonia": N_("Dystonia"),
        "parkinson": N_("Parkinson's disease"),
        "cerebral_palsy": N_("Cerebral palsy"),
    },
    "distribution": {
        "focal": N_("focal"),
        "segmental": N_("segmental"),
        "multifocal": N_("multifocal"),
        "generalized": N_("generalized"),
        "hemidystonia": N_("hemidystonia"),
    },
    "task": {
        "writing": N_("Writing"),
        "typing": N_("Typing"),
        "instrument": N_("Playing an instrument"),
        "speaking": N_("Speaking"),
        "walking": N_("Walking"),
        "running": N_("Running"),
        "standing": N_("Standing still"),
        "chewing": N_("Chewing"),
        "reading": N_("Reading"),
        "screen_work": N_("Screen work"),
        "driving": N_("Driving"),
        "carrying": N_("Carrying"),
    },
    "goal": {
        "reduce_pain": N_("Less pain"),
        "posture": N_("Posture"),
        "neck_control": N_("Neck control"),
        "balance": N_("Balance"),
        "gait": N_("Walking"),
        "fitness": N_("Fitness"),
        "strength": N_("Strength"),
        "hand_function": N_("Hand function"),
        "fatigue": N_("Less fatigue"),
        "independence": N_("Independence"),
    },
    "equipment": {
        "chair": N_("Chair"),
        "mat": N_("Mat"),
        "wall": N_("Wall"),
        "towel": N_("Towel"),
        "pillow": N_("Pillow"),
        "mirror": N_("Mirror"),
        "table": N_("Table"),
        "counter": N_("Counter"),
        "step": N_("Step"),
        "resistance_band": N_("Resistance band"),
        "ball": N_("Ball"),
        "putty": N_("Putty"),
        "whiteboard": N_("Whiteboard"),
        "poles": N_("Walking poles"),
        "stationary_bike": N_("Stationary bike"),
        "treadmill": N_("Treadmill"),
        "pool": N_("Pool"),
    },
    "setting": {
        "home": N_("At home"),
        "clinic": N_("At the clinic"),
        "pool": N_("In the pool"),
    },
    "weekday": {
        "mon": N_("Monday"),
        "tue": N_("Tuesday"),
        "wed": N_("Wednesday"),
        "thu": N_("Thursday"),
        "fri": N_("Friday"),
        "sat": N_("Saturday"),
        "sun": N_("Sunday"),
    },
    "toward": {
        "left": N_("to the left"),
        "right": N_("to the right"),
        "forward": N_("forward"),
        "backward": N_("backward"),
    },
    "plane": {
        "rotation": N_("Rotation"),
        "tilt": N_("Tilt"),
        "sagittal": N_("Forward or backward"),
        "shift": N_("Shift"),
    },
    "parq": {
        "heart_condition": N_("Heart condition"),
        "chest_pain": N_("Chest pain"),
        "dizziness_or_fainting": N_("Dizziness or fainting"),
        "other_chronic_condition": N_("Another chronic condition"),
        "chronic_medication": N_("Medication for a chronic condition"),
        "bone_joint_problem": N_("Bone or joint problem"),
        "supervised_only": N_("Told to exercise only under supervision"),
    },
    "dose": {
        "sets": N_("Sets"),
        "reps": N_("Repetitions"),
        "hold_s": N_("Hold (seconds)"),
        "rest_s": N_("Rest (seconds)"),
        "minutes": N_("Minutes"),
        "effort": N_("Effort"),
    },
    "injection_source": {
        "recorded": N_("Recorded here"),
        "profile": N_("From the profile"),
    },
}


class Words:
    """The words of one page's language: `w("region", "neck")`, `w.each("region", ["neck", "trunk"])`.

    `table` is the vocabulary (group -> code -> English word, marked for translation); other sections subclass
    this with their own table."""

    table: dict[str, dict[str, str]] = WORDS

    def __init__(self, tr: Translator) -> None:
        self._tr = tr

    def __call__(self, group: str, code: object) -> str:
        text = str(code)
        found = self.table[group].get(text)
        return self._tr.gettext(found) if found is not None else text

    def each(self, group: str, codes: Iterable[object]) -> list[str]:
        return [self(group, code) for code in codes]
