"""Bob's program page for a person planned from the clinic catalog: a clinic exercise chosen for them is in the
table of exercises, and one left out by a safety rule is in the list of what was left out, both by name."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Web
from tests.web.test_intake_templates import enrol_eve
from tests.web.test_library_permissions import add_clinic_exercise

ROTATION_RIGHT: dict[str, Any] = {
    "code": "rotation_right",
    "when": {"all": [{"fact": "cervical.present", "is": True}, {"fact": "cervical.rotation.toward", "eq": "right"}]},
    "text": {"en": "Not with a head turned to the right.", "fr": "Pas avec une tête tournée vers la droite."},
    "refs": ["R61"],
}


def test_clinic_exercises_on_the_program_page(web: Web) -> None:
    goals = ["neck_control", "reduce_pain"]  # Eve's goals: the squeeze is a better fit than some catalog items
    chosen = add_clinic_exercise(web, goals=goals)
    left_out = add_clinic_exercise(
        web, goals=goals, name={"en": "Turning squeeze", "fr": "Serrement tourné"}, contraindications=[ROTATION_RIGHT]
    )
    eve = enrol_eve(web)
    page = web.signed_in("bob").get(f"/participants/{eve}/program")
    assert page.status_code == 200
    table = page.text.split('id="exercises-title"', 1)[1].split("</table>", 1)[0]
    assert f'Seated shoulder-blade squeeze</span> <span class="muted">({chosen})' in table
    assert left_out not in table
    excluded = page.text.split('id="excluded-title"', 1)[1]
    assert "Turning squeeze" in excluded and left_out in excluded, "named, not only by its id"
    assert "Not with a head turned to the right." in excluded, "the reason it was left out"
