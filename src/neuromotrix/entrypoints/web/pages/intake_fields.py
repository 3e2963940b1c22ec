"""The words of the intake wizard: step titles, field labels and the error message of each kind of problem.

Field names are the wizard's (services/intake_form.py); labels are English msgids translated at render time. The
values of closed lists are labelled by services/intake_labels.py, in both languages.
"""

from __future__ import annotations

import re

from neuromotrix.adapters.i18n import N_, Translator
from neuromotrix.services import intake_document, intake_form

STEP_TITLES = {
    "person": N_("About the person"),
    "conditions": N_("Conditions"),
    "dystonia": N_("Dystonia: regions, neck pattern and triggers"),
    "symptoms": N_("Symptoms"),
    "treatments": N_("Treatments"),
    "screening": N_("Screening before exercise (PAR-Q+)"),
    "preferences": N_("Activity and preferences"),
    "goals": N_("Goals"),
    "review": N_("Check the answers"),
}

FIELD_LABELS = {
    "display_name": N_("Name"),
    "language": N_("Language of the program and documents"),
    "email": N_("Login email (optional)"),
    "birth_year": N_("Year of birth"),
    "sex": N_("Sex"),
    "conditions": N_("Conditions"),
    "dystonia.distribution": N_("Distribution of the dystonia"),
    "dystonia.onset": N_("Age at onset"),
    "dystonia.course": N_("Course"),
    "dystonia.exercise_induced": N_("Attacks brought on by prolonged exertion (exercise-induced dystonia)"),
    "dystonia.exercise_induced_max_bout_minutes": N_("Longest continuous bout set by the clinician (minutes)"),
    "parkinson.hoehn_yahr": N_("Hoehn and Yahr stage"),
    "parkinson.signs": N_("Parkinson's features"),
    "cerebral_palsy.gmfcs": N_("GMFCS level"),
    "cerebral_palsy.motor_type": N_("Motor type"),
    "dystonia.regions": N_("Affected regions"),
    "dystonia.task_triggers": N_("Tasks that trigger the dystonia"),
    "cervical.rotation.toward": N_("Rotation: the chin is turned toward"),
    "cervical.rotation.level": N_("Rotation: level"),
    "cervical.rotation.severity": N_("Rotation: severity"),
    "cervical.tilt.toward": N_("Tilt: the ear is pulled toward the shoulder on the"),
    "cervical.tilt.level": N_("Tilt: level"),
    "cervical.tilt.severity": N_("Tilt: severity"),
    "cervical.sagittal.toward": N_("Forward or backward pull"),
    "cervical.sagittal.level": N_("Forward or backward pull: level"),
    "cervical.sagittal.severity": N_("Forward or backward pull: severity"),
    "cervical.lateral_shift": N_("Sideways shift of the head"),
    "cervical.sagittal_shift": N_("Forward or backward shift of the head"),
    "cervical.shoulder_elevation": N_("Raised shoulder"),
    "cervical.tremor": N_("Head tremor"),
    "cervical.stability": N_("Stability when the arms move"),
    "cervical.sensory_tricks": N_("Sensory tricks that ease the pull"),
    "cervical.confirmed_by_clinician": N_("A clinician confirmed this neck pattern"),
    "symptoms.pain_nrs": N_("Average pain over the last week"),
    "symptoms.fatigue_nrs": N_("Fatigue over the last week"),
    "symptoms.new": N_("New or worsening in the last 3 weeks"),
    "symptoms.chronic": N_("Long-standing, stable problems"),
    "symptoms.falls_last_12_months": N_("Falls in the last 12 months"),
    "symptoms.injurious_fall_last_12_months": N_("A fall with an injury in the last 12 months"),
    "symptoms.painful_movements": N_("Painful movements"),
    "toxin.date": N_("Injection %(number)s: date"),
    "toxin.regions": N_("Injection %(number)s: injected regions"),
    "toxin.product": N_("Injection %(number)s: product"),
    "toxin.dose_units": N_("Injection %(number)s: dose in units"),
    "treatments.botulinum_toxin_next_expected_on": N_("Next injection expected on"),
    "med.name": N_("Medication %(number)s: name"),
    "med.class": N_("Medication %(number)s: class"),
    "med.change": N_("Medication %(number)s: recent change"),
    "med.changed_on": N_("Medication %(number)s: date of the change"),
    "dbs.has": N_("Deep brain stimulation (DBS)"),
    "dbs.implanted_on": N_("DBS implanted on"),
    "dbs.target": N_("DBS target"),
    "dbs.problem": N_("DBS problem now"),
    "treatments.recent_surgery_on": N_("Date of the most recent surgery"),
    "screening.pregnant": N_("Pregnant"),
    "screening.breastfeeding": N_("Breastfeeding"),
    "clearance.has": N_("A medical clearance for exercise is on file"),
    "clearance.by": N_("Cleared by (name and role)"),
    "clearance.on": N_("Date on the clearance"),
    "clearance.restrictions": N_("Restrictions the clearance names"),
    "activity.regular_exerciser": N_("Exercises regularly"),
    "activity.minutes_per_week": N_("Minutes of activity in a usual week"),
    "preferences.start_on": N_("Start date"),
    "preferences.weeks": N_("Length of the program in weeks"),
    "preferences.days": N_("Session days"),
    "preferences.sessions_per_week": N_("Sessions per week"),
    "preferences.time_of_day": N_("Time of the sessions"),
    "preferences.minutes_per_session": N_("Minutes per session"),
    "preferences.equipment": N_("Equipment at hand"),
    "preferences.setting": N_("Where the sessions take place"),
    "goals": N_("Goals"),
}

# What to say for each kind of problem (services/intake_document.py `Problem.kind`); %(label)s is the field's label.
MESSAGES = {
    "required": N_("%(label)s: give an answer."),
    "choose": N_("%(label)s: choose one of the options shown."),
    "whole_number": N_("%(label)s: enter a whole number, like 3."),
    "number": N_("%(label)s: enter a number, like 200."),
    "date": N_("%(label)s: enter a real date as year-month-day, like 2026-11-23."),
    "time": N_("%(label)s: enter a time on the 24-hour clock, like 09:30."),
    "email": N_("Enter a complete email address, like name@example.org, or leave the login email empty."),
    "email_taken": N_(
        "This login email already belongs to an account. Enter another address, or leave it empty and invite the "
        "person later."
    ),
    "too_long": N_("%(label)s: make it shorter, %(limit)s characters at most."),
    "min": N_("%(label)s: enter %(limit)s or more."),
    "max": N_("%(label)s: enter %(limit)s or less."),
    "above": N_("%(label)s: enter a number above %(limit)s."),
    "cervical_needs_neck": N_(
        "A neck pattern is described, but the neck is not ticked among the affected regions. Tick Neck, or set "
        "the neck answers back to None, Not known and No."
    ),
    "change_needs_date": N_("%(label)s: enter the date of the change, or choose No recent change."),
    "days": N_("%(label)s: tick each day once, or tick none and choose the number of sessions per week."),
    "birth_after_start": N_("%(label)s: the year of birth is after the start year (%(limit)s). Check the year."),
    "invalid": N_("%(label)s: this answer is not accepted. Check it and change it."),
}
# Clearer words for a missing answer where the field alone does not say what to do.
REQUIRED = {
    "display_name": N_("Enter the person's name, as they like to be called."),
    "conditions": N_("Choose at least one condition."),
    "toxin.date": N_("Injection %(number)s: enter the date of the injection, or empty the whole row."),
    "toxin.regions": N_("Injection %(number)s: tick at least one injected region, or empty the whole row."),
    "med.name": N_("Medication %(number)s: enter its name, or empty the whole row."),
    "dbs.implanted_on": N_("Enter the date the DBS was implanted, or answer No to deep brain stimulation."),
    "clearance.by": N_("Enter who gave the clearance, or answer No to a clearance on file."),
    "clearance.on": N_("Enter the date on the clearance, or answer No to a clearance on file."),
}
NO_FIELD = N_("Some answers could not be used. Check each step and change what is marked.")

ROW = re.compile(r"^(toxin|med)\.(\d+)\.(\w+)$")


def field_label(tr: Translator, name: str) -> str:
    """The label of a wizard field in the page's language."""
    row = ROW.match(name)
    if row is not None:
        return tr.gettext(FIELD_LABELS[f"{row[1]}.{row[3]}"], number=int(row[2]) + 1)
    if name.startswith("parq."):
        return dict(intake_form.parq_questions(tr.language)).get(name[5:], name)
    if name.startswith("follow_up."):
        return intake_form.label("follow_up", name[10:], tr.language)
    return tr.gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else name


def problem_message(tr: Translator, problem: intake_document.Problem) -> str:
    """What is wrong and what to do, in the page's language."""
    if problem.field is None:
        return tr.gettext(NO_FIELD)
    row = ROW.match(problem.field)
    generic = f"{row[1]}.{row[3]}" if row is not None else problem.field
    if problem.kind == "required" and generic in REQUIRED:
        return tr.gettext(REQUIRED[generic], number=int(row[2]) + 1) if row else tr.gettext(REQUIRED[generic])
    limit = "" if problem.limit is None else f"{problem.limit:g}"
    return tr.gettext(
        MESSAGES.get(problem.kind, MESSAGES["invalid"]), label=field_label(tr, problem.field), limit=limit
    )
