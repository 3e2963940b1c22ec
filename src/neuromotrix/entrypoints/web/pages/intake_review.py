"""The review step of the intake wizard: every answer in plain words, grouped by the step that asks it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from neuromotrix.adapters.i18n import N_, Translator, format_date
from neuromotrix.entrypoints.web.pages.intake_fields import STEP_TITLES, field_label
from neuromotrix.services import intake_form
from neuromotrix.services.intake_form import Answers, value, values

ANSWER_WORDS = {"yes": N_("Yes"), "no": N_("No"), "unanswered": N_("Not answered")}


@dataclass(frozen=True)
class Row:
    label: str
    text: str


@dataclass(frozen=True)
class Section:
    step: str
    title: str
    rows: tuple[Row, ...]


class _Words:
    """Answers in plain words, in one language."""

    def __init__(self, answers: Answers, tr: Translator) -> None:
        self.answers = answers
        self.tr = tr
        self.language = tr.language
        self.rows: list[Row] = []

    def none(self) -> str:
        return self.tr.gettext("None")

    def listed(self, list_name: str, items: list[str]) -> str:
        known = [
            intake_form.label(list_name, item, self.language) for item in items if item in intake_form.LISTS[list_name]
        ]
        return ", ".join(known) if known else self.none()

    def one(self, list_name: str, name: str) -> str:
        given = value(self.answers, name)
        if given in intake_form.LISTS[list_name]:
            return intake_form.label(list_name, given, self.language)
        return given or self.tr.gettext("Not given")

    def answer(self, name: str) -> str:
        given = value(self.answers, name) or "unanswered"
        return self.tr.gettext(ANSWER_WORDS.get(given, ANSWER_WORDS["unanswered"]))

    def date(self, name: str, *, empty: str | None = None) -> str:
        given = value(self.answers, name)
        try:
            return format_date(dt.date.fromisoformat(given), self.language)
        except ValueError:
            return given or (empty if empty is not None else self.tr.gettext("Not given"))

    def text(self, name: str) -> str:
        return value(self.answers, name) or self.tr.gettext("Not given")

    def add(self, name: str, text: str) -> None:
        self.rows.append(Row(field_label(self.tr, name), text))

    def add_list(self, name: str, list_name: str) -> None:
        self.add(name, self.listed(list_name, values(self.answers, name)))

    def take(self) -> tuple[Row, ...]:
        taken, self.rows = tuple(self.rows), []
        return taken


def review_sections(answers: Answers, tr: Translator) -> list[Section]:
    words = _Words(answers, tr)
    steps = [step for step in intake_form.steps_for(answers) if step != "review"]
    builders = {
        "person": _person, "conditions": _conditions, "dystonia": _dystonia, "symptoms": _symptoms,
        "treatments": _treatments, "screening": _screening, "preferences": _preferences, "goals": _goals,
    }  # fmt: skip
    sections = []
    for step in steps:
        builders[step](words)
        sections.append(Section(step, tr.gettext(STEP_TITLES[step]), words.take()))
    return sections


def _person(w: _Words) -> None:
    w.add("display_name", w.text("display_name"))
    w.add("language", w.one("language", "language"))
    w.add("email", value(w.answers, "email") or w.tr.gettext("None: no login for now"))
    w.add("birth_year", w.text("birth_year"))
    w.add("sex", w.one("sex", "sex"))


def _conditions(w: _Words) -> None:
    kinds = values(w.answers, "conditions")
    w.add_list("conditions", "condition")
    if "dystonia" in kinds:
        for name in ("distribution", "onset", "course"):
            w.add(f"dystonia.{name}", w.one(name, f"dystonia.{name}"))
        w.add("dystonia.exercise_induced", w.answer("dystonia.exercise_induced"))
        if value(w.answers, "dystonia.exercise_induced") == "yes":
            w.add("dystonia.exercise_induced_max_bout_minutes", w.text("dystonia.exercise_induced_max_bout_minutes"))
    if "parkinson" in kinds:
        w.add("parkinson.hoehn_yahr", value(w.answers, "parkinson.hoehn_yahr") or w.tr.gettext("Not known"))
        w.add_list("parkinson.signs", "parkinson_sign")
    if "cerebral_palsy" in kinds:
        w.add("cerebral_palsy.gmfcs", value(w.answers, "cerebral_palsy.gmfcs") or w.tr.gettext("Not known"))
        motor_type = value(w.answers, "cerebral_palsy.motor_type")
        w.add(
            "cerebral_palsy.motor_type",
            w.one("motor_type", "cerebral_palsy.motor_type") if motor_type else w.tr.gettext("Not known"),
        )


def _dystonia(w: _Words) -> None:
    w.add_list("dystonia.regions", "region")
    w.add_list("dystonia.task_triggers", "task")
    if "neck" not in values(w.answers, "dystonia.regions"):
        return
    for plane in intake_form.CERVICAL_PLANES:
        name = f"cervical.{plane}.toward"
        toward = value(w.answers, name)
        if toward in ("", "none"):
            w.add(name, w.none())
            continue
        w.add(
            name,
            w.tr.gettext(
                "%(toward)s; level: %(level)s; severity: %(severity)s",
                toward=w.one("sagittal" if plane == "sagittal" else "side", name),
                level=w.one("level", f"cervical.{plane}.level"),
                severity=w.one("severity", f"cervical.{plane}.severity"),
            ),
        )
    lists = {"lateral_shift": "side", "sagittal_shift": "sagittal", "shoulder_elevation": "side",
             "tremor": "head_tremor", "stability": "stability"}  # fmt: skip
    for name, list_name in lists.items():
        w.add(f"cervical.{name}", w.one(list_name, f"cervical.{name}"))
    w.add_list("cervical.sensory_tricks", "sensory_trick")
    w.add("cervical.confirmed_by_clinician", w.answer("cervical.confirmed_by_clinician"))


def _symptoms(w: _Words) -> None:
    w.add("symptoms.pain_nrs", w.tr.gettext("%(value)s out of 10", value=w.text("symptoms.pain_nrs")))
    w.add("symptoms.fatigue_nrs", w.tr.gettext("%(value)s out of 10", value=w.text("symptoms.fatigue_nrs")))
    w.add_list("symptoms.new", "new_symptom")
    w.add_list("symptoms.chronic", "chronic")
    w.add("symptoms.falls_last_12_months", w.text("symptoms.falls_last_12_months"))
    w.add("symptoms.injurious_fall_last_12_months", w.answer("symptoms.injurious_fall_last_12_months"))
    w.add_list("symptoms.painful_movements", "painful_movement")


def _treatments(w: _Words) -> None:
    injections = 0
    for row in range(intake_form.row_count(w.answers, "toxin")):
        prefix = f"toxin.{row}"
        if not value(w.answers, f"{prefix}.date") and not values(w.answers, f"{prefix}.regions"):
            continue
        injections += 1
        parts = [w.date(f"{prefix}.date"), w.listed("region", values(w.answers, f"{prefix}.regions"))]
        parts += [item for item in (value(w.answers, f"{prefix}.product"),) if item]
        dose = value(w.answers, f"{prefix}.dose_units")
        if dose:
            parts.append(w.tr.gettext("%(dose)s units", dose=dose))
        w.rows.append(Row(w.tr.gettext("Toxin injection %(number)s", number=injections), "; ".join(parts)))
    if not injections:
        w.rows.append(Row(w.tr.gettext("Toxin injections"), w.none()))
    w.add("treatments.botulinum_toxin_next_expected_on",
          w.date("treatments.botulinum_toxin_next_expected_on", empty=w.tr.gettext("12 weeks after the last injection")))  # fmt: skip
    medications = 0
    for row in range(intake_form.row_count(w.answers, "med")):
        prefix = f"med.{row}"
        if not value(w.answers, f"{prefix}.name"):
            continue
        medications += 1
        parts = [value(w.answers, f"{prefix}.name"), w.one("medication_class", f"{prefix}.class")]
        if value(w.answers, f"{prefix}.change"):
            parts.append(w.tr.gettext("%(change)s on %(date)s", change=w.one("medication_change", f"{prefix}.change"),
                                      date=w.date(f"{prefix}.changed_on")))  # fmt: skip
        w.rows.append(Row(w.tr.gettext("Medication %(number)s", number=medications), "; ".join(parts)))
    if not medications:
        w.rows.append(Row(w.tr.gettext("Medications"), w.none()))
    if value(w.answers, "dbs.has") == "yes":
        w.add("dbs.has", "; ".join([
            w.tr.gettext("Implanted on %(date)s", date=w.date("dbs.implanted_on")),
            w.one("dbs_target", "dbs.target"), w.one("dbs_problem", "dbs.problem"),
        ]))  # fmt: skip
    else:
        w.add("dbs.has", w.tr.gettext("No"))
    w.add("treatments.recent_surgery_on", w.date("treatments.recent_surgery_on", empty=w.none()))


def _screening(w: _Words) -> None:
    for code, question in intake_form.parq_questions(w.language):
        w.rows.append(Row(question, w.answer(f"parq.{code}")))
    for group in intake_form.LISTS["follow_up"]:
        if value(w.answers, f"follow_up.{group}") in ("yes", "no"):
            w.rows.append(Row(w.tr.gettext("Follow-up: %(group)s", group=intake_form.label("follow_up", group, w.language)),
                              w.answer(f"follow_up.{group}")))  # fmt: skip
    w.add("screening.pregnant", w.answer("screening.pregnant"))
    w.add("screening.breastfeeding", w.answer("screening.breastfeeding"))
    if value(w.answers, "clearance.has") != "yes":
        w.add("clearance.has", w.tr.gettext("No"))
        return
    w.add(
        "clearance.has", w.tr.gettext("By %(by)s on %(date)s", by=w.text("clearance.by"), date=w.date("clearance.on"))
    )
    w.add_list("clearance.restrictions", "restriction")


def _preferences(w: _Words) -> None:
    w.add("activity.regular_exerciser", w.answer("activity.regular_exerciser"))
    w.add("activity.minutes_per_week", w.text("activity.minutes_per_week"))
    w.add("preferences.start_on", w.date("preferences.start_on", empty=w.tr.gettext("The day of enrolment")))
    w.add("preferences.weeks", w.text("preferences.weeks"))
    if values(w.answers, "preferences.days"):
        w.add_list("preferences.days", "weekday")
    else:
        w.add("preferences.sessions_per_week", w.text("preferences.sessions_per_week"))
    w.add("preferences.time_of_day", w.text("preferences.time_of_day"))
    w.add("preferences.minutes_per_session", w.text("preferences.minutes_per_session"))
    w.add_list("preferences.equipment", "equipment")
    w.add("preferences.setting", w.one("setting", "preferences.setting"))


def _goals(w: _Words) -> None:
    w.add_list("goals", "goal")
