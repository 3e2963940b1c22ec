"""Words for the catalog's codes on the library pages (category, region, position, equipment...), in the reader's
language: English msgids marked with `N_`, translated when the page renders. Templates get a `LibraryWords` as
`w`: `{{ w("category", "neck_motor_control") }}`; a code without a word is shown as it is.
"""

from __future__ import annotations

from neuromotrix.adapters.i18n import N_
from neuromotrix.entrypoints.web.pages.trainer_words import WORDS as TRAINER_WORDS
from neuromotrix.entrypoints.web.pages.trainer_words import Words

# The groups the trainer's pages already name (positions, equipment, conditions, goals, neck directions, days,
# settings) come from their table; the library adds its own.
WORDS: dict[str, dict[str, str]] = {
    **{
        group: TRAINER_WORDS[group]
        for group in ("position", "equipment", "condition", "goal", "plane", "toward", "weekday", "setting")
    },
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
    "role": {
        "warm_up": N_("Warm-up"),
        "main": N_("Main part"),
        "cool_down": N_("Cool-down"),
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
    "semantics": {
        "counter": N_("Against the person's pull"),
        "bilateral": N_("Both sides equally"),
        "fixed": N_("Always the same direction"),
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
