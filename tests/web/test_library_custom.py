"""Bob writes the clinic's own exercises through `/library/custom/new`: the form carries the whole catalog entry
and is checked with the catalog's own model, every problem named on its field in the reader's language."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import library_exercises
from tests.web.conftest import Web, csrf_of, post_form
from tests.web.test_library_permissions import add_clinic_exercise

NEW = "/library/custom/new"


def level(row: int, *, reps: str, sets: str = "1", position: str = "sitting") -> dict[str, str]:
    return {
        f"level{row}_position": position,
        f"level{row}_sets": sets,
        f"level{row}_reps": reps,
        f"level{row}_hold_s": "3",
        f"level{row}_rest_s": "30",
        f"level{row}_effort_scale": "cr10",
        f"level{row}_effort_target": "1-2",
        f"level{row}_text_en": f"Sitting, {reps} squeezes",
        f"level{row}_text_fr": f"Assis, {reps} serrements",
    }


def form(**changes: Any) -> dict[str, Any]:
    """The form of a valid exercise (as a browser posts it; checkboxes as lists)."""
    fields: dict[str, Any] = {
        "level_count": "3",
        "name_en": "Seated shoulder-blade squeeze",
        "name_fr": "Serrement des omoplates assis",
        "purpose_en": "Wakes up the muscles between the shoulder blades.",
        "purpose_fr": "Active les muscles entre les omoplates.",
        "instructions_en": "Sit tall. Squeeze the shoulder blades gently together, then release.",
        "instructions_fr": "Assoyez-vous bien droit. Serrez doucement les omoplates, puis relâchez.",
        "category": "scapular_posture",
        "conditions": ["dystonia", "parkinson"],
        "regions": ["trunk"],
        "equipment": ["chair"],
        "goals": ["posture"],
        "movement_s": "2",
        "start_level": "1",
        "cautions_en": "Keep the shoulders low.\nStop if the neck pulls.",
        "cautions_fr": "Gardez les épaules basses.\nArrêtez si le cou tire.",
        "refs": "R3, R61",
        "rules": "contraindications:\n  - code: shoulder_pain\n    when: {fact: symptoms.pain_nrs, gte: 7}\n"
        "    text: {en: Not with severe pain., fr: Pas avec une douleur sévère.}\n",
        **level(1, reps="6"),
        **level(2, reps="8"),
        **level(3, reps="10"),
    }
    return fields | changes


def post(web: Web, data: dict[str, Any], path: str = NEW, *, browser: Any = None) -> Any:
    client = browser or web.signed_in("bob")
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_of(page), **data}, follow_redirects=False)


def stored(web: Web) -> list[Any]:
    with web.container.uow() as uow:
        return list(uow.connection.execute(sa.select(library_exercises).order_by(library_exercises.c.number)))


def test_bob_adds_a_clinic_exercise_then_edits_it(web: Web) -> None:
    bob = web.signed_in("bob")
    saved = post(web, form(), browser=bob)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/library/XA01?notice=exercise_created"
    page = bob.get(saved.headers["location"])
    assert "Exercise saved in your clinic&#39;s library." in page.text
    assert "Seated shoulder-blade squeeze" in page.text and "Serrement des omoplates assis" in page.text
    assert "Not with severe pain." in page.text and "Keep the shoulders low." in page.text
    assert "The program generator may choose it for your clinic's participants" in page.text
    (row,) = stored(web)
    assert (row.exercise_id, row.number, row.document["refs"]) == ("XA01", 1, ["R3", "R61"])
    assert row.document["contraindications"][0]["when"] == {"fact": "symptoms.pain_nrs", "gte": 7}

    listed = bob.get("/library?category=scapular_posture&position=sitting&equipment=chair").text
    assert "Seated shoulder-blade squeeze" in listed and "Clinic exercise" in listed
    assert "Seated shoulder-blade squeeze" not in bob.get("/library?position=lying").text

    edit = bob.get("/library/custom/XA01/edit")
    assert edit.status_code == 200 and 'value="Seated shoulder-blade squeeze"' in edit.text
    assert 'id="conditions-parkinson" name="conditions" value="parkinson" checked' in edit.text
    changed = post(web, form(name_en="Shoulder-blade squeeze, seated"), "/library/custom/XA01/edit", browser=bob)
    assert changed.status_code == 303 and changed.headers["location"] == "/library/XA01?notice=exercise_updated"
    assert "Shoulder-blade squeeze, seated" in bob.get("/library/XA01").text
    assert [row.exercise_id for row in stored(web)] == ["XA01"]

    again = post(web, form(), browser=bob)
    assert again.headers["location"] == "/library/XA02?notice=exercise_created", "the clinic's next id"


def test_missing_texts_are_named_on_their_fields(web: Web) -> None:
    refused = post(web, form(name_fr="", instructions_fr=" ", level2_text_fr="", conditions=[]))
    assert refused.status_code == 422
    assert refused.text.count('<div class="error-summary"') == 1
    assert "<title>Error: New clinic exercise" in refused.text
    for target, message in (
        ("name_fr", "Enter the name in French."),
        ("instructions_fr", "Enter the instructions in French."),
        ("level2_text_fr", "Level 2: describe the level in French."),
        ("conditions-dystonia", "Choose at least one condition the exercise is for."),
    ):
        assert f'<a href="#{target}">{message}</a>' in refused.text
    assert 'id="name_fr" name="name_fr" type="text" aria-invalid="true"' in refused.text
    assert 'value="Seated shoulder-blade squeeze"' in refused.text, "what was typed stays"
    assert stored(web) == []


def test_the_catalogs_rules_refuse_a_bad_ladder_and_bad_values(web: Web) -> None:
    two_changes = post(web, form(**level(2, reps="8", sets="2")))
    assert two_changes.status_code == 422
    assert (
        '<a href="#level2_position">Levels 1 and 2 differ in more than one thing (reps, sets). '
        "Each level changes exactly one thing from the one before.</a>"
    ) in two_changes.text

    same = post(web, form(**level(2, reps="6")))
    assert '<a href="#level2_position">Levels 1 and 2 are the same.' in same.text

    values = post(
        web,
        form(level1_reps="500", level3_effort_target="2-1", start_level="5", refs="R3, R999", movement_s="45"),
    )
    assert values.status_code == 422
    for target, message in (
        ("level1_reps", "Level 1, repetitions: enter 100 or less."),
        ("level3_effort_target", "Level 3: write the effort target as low-high with the low number first, like 1-2."),
        ("movement_s", "Movement time per repetition: enter 30 or less."),
    ):
        assert f'<a href="#{target}">{message}</a>' in values.text, target
    summary = values.text.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li>") == 3 and "not accepted" not in summary, "one message per wrong value, no echo"
    start = post(web, form(start_level="5"))
    assert '<a href="#start_level">The start level must be one of the levels given: from 1 to 3.</a>' in start.text
    refs = post(web, form(refs="R3, R999"))
    assert '<a href="#refs">Unknown reference keys: R999.' in refs.text

    shape = post(
        web, form(level1_sets="two", level2_effort_target="hard", rules="indication: [", level3_variant="wider")
    )
    for target in ("level1_sets", "level2_effort_target", "rules", "level3_variant"):
        assert f'<a href="#{target}">' in shape.text, target
    rules = post(web, form(rules="indication: {fact: no_such_fact, is: true}\n"))
    assert '<a href="#rules">The rules cannot be used (' in rules.text and "no_such_fact" in rules.text
    dose = post(web, form(level1_reps="", level1_hold_s=""))
    assert '<a href="#level1_reps">Level 1: give repetitions, minutes or continuous minutes.</a>' in dose.text

    short = post(web, form(**dict.fromkeys(level(3, reps="10"), "")))
    assert '<a href="#level3_position">Give at least 3 levels' in short.text
    assert stored(web) == []


def test_add_a_level_sends_the_form_back_with_one_more(web: Web) -> None:
    more = post(web, form(action="add_level"))
    assert more.status_code == 200
    assert 'name="level_count" value="4"' in more.text and 'id="level4_position"' in more.text
    assert 'value="Seated shoulder-blade squeeze"' in more.text
    assert stored(web) == []
    four = post(web, form(level_count="4", **level(4, reps="12")))
    assert four.status_code == 303
    assert len(stored(web)[0].document["levels"]) == 4


def test_a_catalog_exercise_is_a_starting_point(web: Web) -> None:
    bob = web.signed_in("bob")
    page = bob.get(f"{NEW}?from=nm01")
    assert page.status_code == 200
    assert 'value="Lying chin nod"' in page.text and 'name="level_count" value="7"' in page.text
    assert "anterocollis" in page.text, "the contraindications come along, as YAML"
    assert bob.get(f"{NEW}?from=ZZ99").status_code == 404
    assert "Start a clinic exercise from this one" in bob.get("/library/NM01").text


def test_the_form_in_french(web: Web) -> None:
    bob = web.signed_in("bob")
    switched = post_form(bob, "/language", {"language": "fr", "next": NEW}, form_page=NEW)
    assert switched.status_code == 303
    refused = post(web, form(name_fr=""), browser=bob)
    assert '<html lang="fr">' in refused.text and "<title>Erreur\u00a0: Nouvel exercice de la clinique" in refused.text
    assert '<a href="#name_fr">Entrez le nom en français.</a>' in refused.text
    ladder = post(web, form(**level(2, reps="8", sets="2")), browser=bob)
    assert "Les niveaux 1 et 2 diffèrent sur plus d’un point (reps, sets)." in ladder.text


def test_a_clinic_exercise_id_is_never_a_catalog_one(web: Web) -> None:
    assert add_clinic_exercise(web) == "XA01"
    assert web.signed_in("bob").get("/library/custom/NM04/edit").status_code == 404, "catalog items are not edited"
