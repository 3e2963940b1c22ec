"""Words for the catalog's codes on the library pages (category, region, position, equipment...), in the reader's
language: English msgids marked with `N_`, translated when the page renders. Templates get a `LibraryWords` as
`w`: `{{ w("category", "neck_motor_control") }}`; a code without a word is shown as it is.
"""

from __future__ import annotations

from neuromotrix.adapters.i18n import N_
from neuromotrix.entrypoints.web.pages.trainer_words import Words

WORDS: dict[str, dict[str, str]] = {
    "category": {
        "relaxation_breathing": N_("Relaxation and breathing"),
        "neck_motor_control": N_("Neck motor control"),
        "neck_isometrics": N_("Neck isometrics"),
        "flexibility": N_("Flexibility"),
        "scapular_posture": N_("Shoulder blades and posture"),
        "trunk_core": N_("Trunk and core"),
        "balance_functional": N_("Balance and daily tasks"),
        "gait": N_("Gait"),
        "fine_motor": N_("Hand and fine motor"),
        "lower_limb_foot": N_("Legs and feet"),
        "aerobic": N_("Aerobic"),
        "face_jaw": N_("Face and jaw"),
    },
    "region": {
        "eyes": N_("Eyes"),
        "mouth": N_("Mouth and jaw"),
        "larynx": N_("Voice (larynx)"),
        "neck": N_("Neck"),
        "trunk": N_("Trunk"),
        "arm": N_("Arm (the affected side)"),
        "hand": N_("Hand (the affected side)"),
        "leg": N_("Leg (the affected side)"),
        "foot": N_("Foot (the affected side)"),
        "arm_left": N_("Left arm"),
        "arm_right": N_("Right arm"),
        "hand_left": N_("Left hand"),
        "hand_right": N_("Right hand"),
        "leg_left": N_("Left leg"),
        "leg_right": N_("Right leg"),
        "foot_left": N_("Left foot"),
        "foot_right": N_("Right foot"),
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
    "condition": {
        "dystonia": N_("Dystonia"),
        "parkinson": N_("Parkinson's disease"),
        "cerebral_palsy": N_("Cerebral palsy"),
    },
    "role": {
        "warm_up": N_("Warm-up"),
        "main": N_("Main part"),
        "cool_down": N_("Cool-down"),
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
    "task": {
        "writing": N_("Writing"),
        "typing": N_("Typing"),
        "instrument": N_("Playing an instrument"),
        "speaking": N_("Speaking"),
        "walking": N_("Walking"),
        "running": N_("Running"),
        "standing": N_("Standing"),
        "chewing": N_("Chewing"),
        "reading": N_("Reading"),
        "screen_work": N_("Screen work"),
        "driving": N_("Driving"),
        "carrying": N_("Carrying"),
    },
    "movement": {
        "neck_rotation_left": N_("Turning the head to the left"),
        "neck_rotation_right": N_("Turning the head to the right"),
        "neck_tilt_left": N_("Tilting the head to the left"),
        "neck_tilt_right": N_("Tilting the head to the right"),
        "neck_flexion": N_("Bending the head forward"),
        "neck_extension": N_("Bending the head back"),
        "shoulder_elevation": N_("Raising the shoulders"),
        "wrist_flexion": N_("Bending the wrist"),
        "wrist_extension": N_("Straightening the wrist back"),
        "ankle_inversion": N_("Turning the ankle in"),
        "walking": N_("Walking"),
        "standing": N_("Standing"),
    },
    "scale": {
        "cr10": N_("Effort 0-10 (Borg CR10)"),
        "rpe": N_("Exertion 6-20 (Borg RPE)"),
        "percent_max": N_("Percentage of maximum"),
        "talk_test": N_("Talk test"),
    },
    "plane": {
        "rotation": N_("Rotation"),
        "tilt": N_("Tilt"),
        "sagittal": N_("Forward or backward"),
        "shift": N_("Shift"),
    },
    "semantics": {
        "counter": N_("Against the person's pull"),
        "bilateral": N_("Both sides equally"),
        "fixed": N_("Always the same direction"),
    },
    "toward": {
        "left": N_("to the left"),
        "right": N_("to the right"),
        "forward": N_("forward"),
        "backward": N_("backward"),
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
    "setting": {
        "home": N_("At home"),
        "clinic": N_("At the clinic"),
        "pool": N_("In the pool"),
    },
    "media_kind": {
        "image": N_("Image"),
        "video": N_("Video"),
    },
}


class LibraryWords(Words):
    """The library's words in one page's language: `w("position", "lying")`, `w.each("region", [...])`."""

    table = WORDS

    def options(self, group: str) -> list[tuple[str, str]]:
        """(code, word) pairs in the vocabulary's order, for a select or a group of checkboxes."""
        return [(code, self._tr.gettext(word)) for code, word in self.table[group].items()]
