"""Bob deletes a clinic exercise nothing uses, or retires one a program uses, through a confirmation page that
works without JavaScript; a retired exercise can be put back in use. Olga, of another clinic, gets the 404 page."""

from __future__ import annotations

from neuromotrix.adapters.db.tables import program_templates
from neuromotrix.services import templates
from tests.api.conftest import NOW
from tests.web.conftest import Web, post_form
from tests.web.test_library_permissions import add_clinic_exercise, olga, staff_actor


def test_an_unused_exercise_is_deleted_after_a_confirmation(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    bob = web.signed_in("bob")
    page = bob.get(f"/library/{exercise_id}")
    assert f'href="/library/custom/{exercise_id}/delete"' in page.text
    confirm = bob.get(f"/library/custom/{exercise_id}/delete")
    assert confirm.status_code == 200
    assert "No program or template uses it" in confirm.text and "Delete the exercise" in confirm.text
    done = post_form(bob, f"/library/custom/{exercise_id}/delete", {})
    assert (done.status_code, done.headers["location"]) == (303, "/library?notice=exercise_deleted")
    assert "Exercise deleted, with its images and videos." in bob.get(done.headers["location"]).text
    assert bob.get(f"/library/{exercise_id}").status_code == 404


def test_an_exercise_a_template_uses_is_retired_then_put_back(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    content = templates.TemplateContent((templates.TemplateItem(exercise_id, {"reps": 6}),), {})
    with web.container.uow(write=True) as uow:
        uow.connection.execute(
            program_templates.insert().values(
                clinic_id=staff_actor(web).clinic_id, name="Shoulders", document=content.to_json(), created_at=NOW
            )
        )
        uow.commit()
    bob = web.signed_in("bob")
    confirm = bob.get(f"/library/custom/{exercise_id}/delete")
    assert "Shoulders" in confirm.text and "Retire the exercise" in confirm.text
    done = post_form(bob, f"/library/custom/{exercise_id}/delete", {})
    assert done.headers["location"] == f"/library/{exercise_id}?notice=exercise_retired"
    page = bob.get(done.headers["location"])
    assert "Retired." in page.text and "Put it back in use" in page.text
    assert "Retired</span>" in bob.get("/library?category=scapular_posture").text
    back = post_form(bob, f"/library/custom/{exercise_id}/restore", {}, form_page=f"/library/{exercise_id}")
    assert back.headers["location"] == f"/library/{exercise_id}?notice=exercise_restored"
    assert "Put it back in use" not in bob.get(f"/library/{exercise_id}").text


def test_the_confirmation_is_in_french(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    charlie = web.signed_in("charlie")
    switched = post_form(charlie, "/language", {"language": "fr", "next": "/library"}, form_page="/library")
    assert switched.status_code == 303
    confirm = charlie.get(f"/library/custom/{exercise_id}/delete")
    assert "Supprimer l'exercice de la clinique XA01?" in confirm.text
    assert "Aucun programme ni modèle ne l'utilise." in confirm.text


def test_another_clinic_cannot_delete_or_see_the_confirmation(web: Web) -> None:
    exercise_id = add_clinic_exercise(web)
    other, _ = olga(web)
    assert other.get(f"/library/custom/{exercise_id}/delete").status_code == 404
    assert web.signed_in("bob").get("/library/custom/NM04/delete").status_code == 404, "a catalog exercise stays"
    assert web.signed_in("alice").get(f"/library/custom/{exercise_id}/delete").status_code == 403
