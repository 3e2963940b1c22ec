"""The 0-10 rating scales of the forms (`forms.scale` in templates/macros/forms.html), with their anchor words.

Templates get them as `scales.pain`, `scales.effort`, `scales.dystonia` and `scales.fatigue`.
"""

from __future__ import annotations

from dataclasses import dataclass

from neuromotrix.adapters.i18n import N_


@dataclass(frozen=True)
class Scale:
    hint: str  # shown under the question: what 0 and 10 mean
    anchors: dict[int, str]  # words shown next to some numbers (English msgids, translated at render)


SCALES: dict[str, Scale] = {
    "pain": Scale(
        hint=N_("0 means no pain, 10 the worst pain you can imagine."),
        anchors={0: N_("No pain"), 5: N_("Moderate"), 10: N_("Worst imaginable")},
    ),
    # Borg CR10 verbal anchors (Borg 1982), as the program's effort targets use them.
    "effort": Scale(
        hint=N_("How hard it felt: 0 means no effort at all, 10 the hardest you could do."),
        anchors={
            0: N_("Nothing at all"),
            1: N_("Very light"),
            2: N_("Light"),
            3: N_("Moderate"),
            5: N_("Hard"),
            7: N_("Very hard"),
            10: N_("Maximal"),
        },
    ),
    "dystonia": Scale(
        hint=N_("How strong the pulling, twisting or spasms are: 0 means none, 10 the strongest you know."),
        anchors={0: N_("None"), 5: N_("Moderate"), 10: N_("Strongest")},
    ),
    "fatigue": Scale(
        hint=N_("0 means not tired at all, 10 completely exhausted."),
        anchors={0: N_("Not tired"), 5: N_("Moderate"), 10: N_("Exhausted")},
    ),
}
