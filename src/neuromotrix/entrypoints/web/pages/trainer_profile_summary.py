"""A profile in readable form for the trainer's pages: groups of (term, description) rows in the reader's
language, leaving out what the profile does not say (a default "no" is not news)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from neuromotrix.adapters.i18n import N_, Translator, format_date
from neuromotrix.domain.profile import CerebralPalsy, Cervical, Dystonia, Parkinson, Profile
from neuromotrix.entrypoints.web.pages.trainer_words import Words

SYMPTOM_FLAGS: dict[str, str] = {
    "tremor": N_("Tremor"),
    "speech_difficulty": N_("Speech difficulty"),
    "swallowing_difficulty": N_("Swallowing difficulty"),
    "breathing_difficulty": N_("Breathing difficulty"),
    "recent_worsening": N_("Recent worsening"),
    "escalating_spasms": N_("Escalating spasms"),
    "fever": N_("Fever"),
    "acute_illness": N_("Acute illness"),
    "new_weakness": N_("New weakness"),
    "numbness": N_("Numbness"),
    "vision_change": N_("Vision change"),
    "gait_or_bladder_change": N_("Change in walking or bladder control"),
    "low_mood_crisis": N_("Low mood crisis"),
}
PAINFUL_MOVEMENTS: dict[str, str] = {
    "neck_rotation_left": N_("Turning the head to the left"),
    "neck_rotation_right": N_("Turning the head to the right"),
    "neck_tilt_left": N_("Tilting the head to the left"),
    "neck_tilt_right": N_("Tilting the head to the right"),
    "neck_flexion": N_("Bending the neck forward"),
    "neck_extension": N_("Bending the neck backward"),
    "shoulder_elevation": N_("Raising the shoulder"),
    "wrist_flexion": N_("Bending the wrist"),
    "wrist_extension": N_("Extending the wrist"),
    "ankle_inversion": N_("Turning the ankle in"),
    "walking": N_("Walking"),
    "standing": N_("Standing still"),
}
CHRONIC_PROBLEMS: dict[str, str] = {
    "speech": N_("Speech"),
    "swallowing": N_("Swallowing"),
    "breathing": N_("Breathing"),
    "vision": N_("Vision"),
}
HEAD_TREMOR: dict[str, str] = {
    "yes_yes": N_("nodding (yes-yes)"),
    "no_no": N_("shaking (no-no)"),
    "mixed": N_("mixed"),
}
MOTOR_TYPES: dict[str, str] = {
    "spastic": N_("spastic"),
    "dyskinetic": N_("dyskinetic"),
    "ataxic": N_("ataxic"),
    "mixed": N_("mixed"),
}


@dataclass
class Group:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, term: str, description: str) -> None:
        self.rows.append((term, description))


class _Summary:
    def __init__(self, tr: Translator) -> None:
        self.tr = tr
        self.w = Words(tr)

    def date(self, value: dt.date) -> str:
        return format_date(value, self.tr.language)

    def listed(self, group: str, codes: object) -> str:
        return ", ".join(self.w.each(group, codes)) if isinstance(codes, tuple | list) else str(codes)

    def yes_no(self, value: bool) -> str:
        return self.tr.gettext("Yes") if value else self.tr.gettext("No")

    def words(self, table: dict[str, str], codes: tuple[str, ...]) -> str:
        return ", ".join(self.tr.gettext(table[code]) if code in table else code for code in codes)


def summarise(profile: Profile, tr: Translator) -> list[Group]:
    """The profile's groups: conditions, symptoms, treatments, screening, activity and preferences, goals."""
    summary = _Summary(tr)
    groups = [_conditions(profile, summary), _symptoms(profile, summary), _treatments(profile, summary)]
    groups += [_screening(profile, summary), _preferences(profile, summary)]
    return [group for group in groups if group.rows]


def _conditions(profile: Profile, s: _Summary) -> Group:
    tr = s.tr
    group = Group(tr.gettext("Conditions"))
    for condition in profile.conditions:
        name = s.w("condition", condition.kind)
        if isinstance(condition, Dystonia):
            group.add(name, s.w("distribution", condition.distribution))
            if condition.regions:
                group.add(tr.gettext("Affected regions"), s.listed("region", condition.regions))
            if condition.task_triggers:
                group.add(tr.gettext("Triggered by"), s.listed("task", condition.task_triggers))
            if condition.exercise_induced:
                group.add(
                    tr.gettext("Exercise-induced"),
                    tr.gettext("Yes: bouts of %(minutes)s minutes at most", minutes=condition.max_bout_minutes),
                )
            if condition.cervical is not None:
                group.rows.extend(_cervical(condition.cervical, s))
        elif isinstance(condition, Parkinson):
            details = []
            if condition.hoehn_yahr is not None:
                details.append(tr.gettext("Hoehn and Yahr stage %(stage)s", stage=condition.hoehn_yahr))
            if condition.freezing:
                details.append(tr.gettext("freezing of gait"))
            if condition.fluctuations:
                details.append(tr.gettext("motor fluctuations"))
            if condition.orthostatic_hypotension:
                details.append(tr.gettext("orthostatic hypotension"))
            group.add(name, ", ".join(details) or tr.gettext("No details given"))
        elif isinstance(condition, CerebralPalsy):
            details = []
            if condition.gmfcs is not None:
                details.append(tr.gettext("GMFCS level %(level)s", level=condition.gmfcs))
            if condition.motor_type is not None:
                details.append(s.words(MOTOR_TYPES, (condition.motor_type,)))
            group.add(name, ", ".join(details) or tr.gettext("No details given"))
    return group


def _cervical(cervical: Cervical, s: _Summary) -> list[tuple[str, str]]:
    tr = s.tr
    pulls = []
    for plane, component in (("rotation", cervical.rotation), ("tilt", cervical.tilt), ("sagittal", cervical.sagittal)):
        if component is not None:
            pulls.append(
                tr.gettext(
                    "%(plane)s %(toward)s (severity %(severity)s of 4)",
                    plane=s.w("plane", plane),
                    toward=s.w("toward", component.toward),
                    severity=component.severity,
                )
            )
    rows = [(tr.gettext("Head pulled"), "; ".join(pulls) or tr.gettext("No direction given"))]
    if cervical.tremor != "none":
        rows.append((tr.gettext("Head tremor"), s.words(HEAD_TREMOR, (cervical.tremor,))))
    rows.append((tr.gettext("Pattern confirmed by a clinician"), s.yes_no(cervical.confirmed_by_clinician)))
    return rows


def _symptoms(profile: Profile, s: _Summary) -> Group:
    tr, symptoms = s.tr, profile.symptoms
    group = Group(tr.gettext("Symptoms"))
    group.add(tr.gettext("Pain"), tr.gettext("%(value)s out of 10", value=symptoms.pain_nrs))
    group.add(tr.gettext("Fatigue"), tr.gettext("%(value)s out of 10", value=symptoms.fatigue_nrs))
    new = tuple(name for name in SYMPTOM_FLAGS if getattr(symptoms, name))
    if new:
        group.add(tr.gettext("New or worse in the last 3 weeks"), s.words(SYMPTOM_FLAGS, new))
    if symptoms.chronic:
        group.add(tr.gettext("Long-standing problems"), s.words(CHRONIC_PROBLEMS, symptoms.chronic))
    if symptoms.painful_movements:
        group.add(tr.gettext("Painful movements"), s.words(PAINFUL_MOVEMENTS, symptoms.painful_movements))
    if symptoms.falls_last_12_months:
        falls = tr.ngettext("%(num)s fall", "%(num)s falls", symptoms.falls_last_12_months)
        if symptoms.injurious_fall_last_12_months:
            falls = tr.gettext("%(falls)s, with an injury", falls=falls)
        group.add(tr.gettext("Falls in the last 12 months"), falls)
    return group


def _treatments(profile: Profile, s: _Summary) -> Group:
    tr, treatments = s.tr, profile.treatments
    group = Group(tr.gettext("Treatments"))
    if treatments.botulinum_toxin:
        last = treatments.botulinum_toxin[-1]
        group.add(
            tr.gettext("Last toxin injection"),
            tr.gettext("%(date)s: %(regions)s", date=s.date(last.date), regions=s.listed("region", last.regions)),
        )
    if treatments.next_injection_expected_on is not None:
        group.add(tr.gettext("Next injection expected"), s.date(treatments.next_injection_expected_on))
    for medication in treatments.medications:
        text = medication.name
        if medication.change is not None and medication.changed_on is not None:
            text = tr.gettext(
                "%(name)s (changed on %(date)s)", name=medication.name, date=s.date(medication.changed_on)
            )
        group.add(tr.gettext("Medication"), text)
    if treatments.dbs is not None:
        group.add(
            tr.gettext("Deep brain stimulation"),
            tr.gettext("Implanted on %(date)s", date=s.date(treatments.dbs.implanted_on)),
        )
    if treatments.recent_surgery_on is not None:
        group.add(tr.gettext("Recent surgery"), s.date(treatments.recent_surgery_on))
    return group


def _screening(profile: Profile, s: _Summary) -> Group:
    tr, screening = s.tr, profile.screening
    group = Group(tr.gettext("Readiness and clearance"))
    answered_yes = [name for name, value in screening.parq.model_dump().items() if value is True]
    group.add(
        tr.gettext("PAR-Q+ answered yes"),
        ", ".join(s.w("parq", name) for name in answered_yes) if answered_yes else tr.gettext("None"),
    )
    if screening.pregnant:
        group.add(tr.gettext("Pregnant"), tr.gettext("Yes"))
    if screening.breastfeeding:
        group.add(tr.gettext("Breastfeeding"), tr.gettext("Yes"))
    clearance = screening.clearance
    if clearance is not None:
        text = tr.gettext("By %(name)s on %(date)s", name=clearance.by, date=s.date(clearance.on))
        if clearance.restrictions:
            text = tr.gettext(
                "%(clearance)s; restrictions: %(restrictions)s",
                clearance=text,
                restrictions=s.listed("restriction", clearance.restrictions),
            )
        group.add(tr.gettext("Clearance"), text)
    return group


def _preferences(profile: Profile, s: _Summary) -> Group:
    tr, preferences, activity = s.tr, profile.preferences, profile.activity
    group = Group(tr.gettext("Activity and preferences"))
    group.add(
        tr.gettext("Active now"),
        tr.ngettext("%(num)s minute a week", "%(num)s minutes a week", activity.minutes_per_week),
    )
    if preferences.start_on is not None:
        group.add(tr.gettext("Program start"), s.date(preferences.start_on))
    group.add(tr.gettext("Length"), tr.ngettext("%(num)s week", "%(num)s weeks", preferences.weeks))
    if preferences.days is not None:
        group.add(tr.gettext("Days"), s.listed("weekday", preferences.days))
    else:
        count = preferences.session_count
        group.add(tr.gettext("Sessions"), tr.ngettext("%(num)s a week", "%(num)s a week", count))
    group.add(
        tr.gettext("Session length"),
        tr.ngettext("%(num)s minute at most", "%(num)s minutes at most", preferences.minutes_per_session),
    )
    group.add(tr.gettext("Equipment"), s.listed("equipment", preferences.equipment) or tr.gettext("None"))
    group.add(tr.gettext("Where"), s.w("setting", preferences.setting))
    if profile.goals:
        group.add(tr.gettext("Goals"), s.listed("goal", profile.goals))
    return group
