"""After the intake, a ready participant can start from one of the clinic's templates: the outcome page offers
them (a plain form, no script), the choice is checked, and the template's changes go into the waiting draft
through the same safety rules as by hand."""

from __future__ import annotations

from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import participants, programs
from tests.api.conftest import NOW, example_profile
from tests.web.conftest import Web, post_form
from tests.web.test_library_permissions import staff_actor
from tests.web.test_library_templates import saved_template, tune_alices_program


def enrol_eve(web: Web) -> int:
    """Eve, just enrolled: her draft waits for review (as the wizard leaves it)."""
    bob = staff_actor(web)
    with web.container.uow(write=True) as uow:
        eve = participants.enrol(
            uow, bob, display_name="Eve", language="en", profile=parse_profile(example_profile()), now=NOW,
            today=NOW.date(),
        )  # fmt: skip
        programs.generate(uow, bob, eve, now=NOW, reason="intake")
        uow.commit()
    return eve


def test_a_ready_participant_starts_from_a_template(web: Web) -> None:
    tune_alices_program(web)
    template_id = saved_template(web)
    eve = enrol_eve(web)
    bob = web.signed_in("bob")
    page = bob.get(f"/participants/{eve}/enrolled")
    assert "Start from a clinic template" in page.text
    assert f'<option value="{template_id}">Neck starter</option>' in page.text

    wrong = post_form(bob, f"/participants/{eve}/enrolled", {"preferences": "maybe"})
    assert wrong.status_code == 422
    assert "Choose the template to start from." in wrong.text and 'href="#template_id"' in wrong.text
    assert "Say whether to use the template&#39;s preferences too." in wrong.text
    assert wrong.text.count("<h1>") == 1 and "<title>Error:" in wrong.text

    done = post_form(bob, f"/participants/{eve}/enrolled", {"template_id": str(template_id), "preferences": "no"})
    assert done.status_code == 200, done.text
    assert "Template “Neck starter” applied to Eve" in done.text
    assert "The changes are in draft version" in done.text, "the draft still waits for the trainer's approval"
    with web.container.uow() as uow:
        draft = programs.latest_version(uow, eve, "draft")
        assert draft is not None and draft.source in {"trainer_edit", "trainer_override"}


def test_no_offer_without_templates_and_none_from_another_clinic(web: Web) -> None:
    eve = enrol_eve(web)
    bob = web.signed_in("bob")
    assert "Start from a clinic template" not in bob.get(f"/participants/{eve}/enrolled").text
    unknown = post_form(bob, f"/participants/{eve}/enrolled", {"template_id": "999", "preferences": "no"})
    assert unknown.status_code == 404
