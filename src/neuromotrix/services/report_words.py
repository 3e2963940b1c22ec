"""The words of the PDF reports, in English and French (services/reports.py).

The reports are documents handed over on paper, not pages: their texts live here as bilingual pairs, like the
command line's (entrypoints/render.py), and are filled with `str.format` fields. The clearance letter is the
exception: it reuses the intake letter page's own gettext messages so both say exactly the same thing.
"""

from __future__ import annotations

from typing import Any

from neuromotrix.adapters.i18n import format_number
from neuromotrix.domain.alerts import Message

W: dict[str, Message] = {
    # Every document
    "footer": Message("{clinic} · NeuroMotrix", "{clinic} · NeuroMotrix"),
    "not_a_device": Message(
        "NeuroMotrix supports the care team; it is not a medical device and does not diagnose or treat.",
        "NeuroMotrix appuie l'équipe de soins; ce n'est pas un dispositif médical et il ne pose pas de diagnostic "
        "et ne traite pas.",
    ),
    "item": Message("Item", "Élément"),
    "detail": Message("Detail", "Détail"),
    "person": Message("Person", "Personne"),
    "clinic": Message("Clinic", "Clinique"),
    "printed_on": Message("Printed on", "Imprimé le"),
    # The handout
    "handout_title": Message("Exercise program: {name}", "Programme d'exercices : {name}"),
    "program_version": Message("Program", "Programme"),
    "version_approved": Message("version {version}, approved on {date}", "version {version}, approuvée le {date}"),
    "version_plain": Message("version {version}", "version {version}"),
    "program_start": Message("Program start", "Début du programme"),
    "emergency_number": Message("Emergency", "Urgence"),
    "health_line": Message("Health advice", "Conseil santé"),
    "handout_intro": Message(
        "This handout lists your exercises for the coming week, how much to do, and when to stop. Your trainer "
        "gives you a new one when your program changes.",
        "Ce document présente vos exercices de la semaine à venir, la quantité à faire et quand arrêter. Votre "
        "entraîneur vous en remet un nouveau quand votre programme change.",
    ),
    "handout_needs_clearance": Message(
        "Until your physician's clearance is received, the program stays gentle: light effort, supported "
        "positions, relaxation, breathing and range of motion.",
        "En attendant l'autorisation de votre médecin, le programme reste doux : effort léger, positions avec "
        "appui, relaxation, respiration et amplitude de mouvement.",
    ),
    "warnings_heading": Message("Warning signs: stop and get help", "Signes d'alerte : arrêtez et demandez de l'aide"),
    "emergency_intro": Message(
        "Stop at once and call {number} (emergency) if you have:",
        "Arrêtez immédiatement et appelez le {number} (urgence) si vous avez :",
    ),
    "emergency_action": Message(
        "Call {number} now. Do not drive yourself.", "Appelez le {number} maintenant. Ne conduisez pas vous-même."
    ),
    "urgent_intro": Message(
        "Stop the session and rest if you have:", "Arrêtez la séance et reposez-vous si vous avez :"
    ),
    "urgent_action": Message(
        "Call {health} or your care team today; call {number} if it gets worse.",
        "Appelez le {health} ou votre équipe de soins aujourd'hui; appelez le {number} si cela s'aggrave.",
    ),
    "not_monitored": Message(
        "Nobody watches your answers around the clock: do not wait for a call from your trainer.",
        "Personne ne surveille vos réponses en tout temps : n'attendez pas un appel de votre entraîneur.",
    ),
    "tell_trainer": Message(
        "Tell your trainer about any warning sign, even once it has passed.",
        "Signalez tout signe d'alerte à votre entraîneur, même une fois passé.",
    ),
    "sessions_heading": Message("Sessions from {start} to {end}", "Séances du {start} au {end}"),
    "sessions_intro": Message(
        "Do the exercises in the order given. Rest as long as you need between them.",
        "Faites les exercices dans l'ordre indiqué. Reposez-vous autant qu'il le faut entre eux.",
    ),
    "no_sessions": Message("No session is planned in these days.", "Aucune séance n'est prévue ces jours-là."),
    "session_heading": Message("{day} at {time} · about {minutes} min", "{day} à {time} · environ {minutes} min"),
    "supervised": Message("with your trainer", "avec votre entraîneur"),
    "part": Message("Part", "Partie"),
    "exercise": Message("Exercise", "Exercice"),
    "dose": Message("How much", "Quantité"),
    "warm_up": Message("Warm-up", "Échauffement"),
    "main": Message("Main part", "Partie principale"),
    "cool_down": Message("Cool-down", "Retour au calme"),
    "exercises_heading": Message("How to do each exercise", "Comment faire chaque exercice"),
    "level": Message("Level:", "Niveau :"),
    "position": Message("Position:", "Position :"),
    "equipment": Message("Equipment:", "Équipement :"),
    "none": Message("none", "aucun"),
    "schedule_heading": Message("Your next sessions", "Vos prochaines séances"),
    "date": Message("Date", "Date"),
    "time": Message("Time", "Heure"),
    "minutes": Message("Minutes", "Minutes"),
    # Doses
    "sets_reps": Message("{sets} × {reps} repetitions", "{sets} × {reps} répétitions"),
    "sets": Message("{sets} sets", "{sets} séries"),
    "times": Message("{sets} times", "{sets} fois"),
    "hold": Message("hold {seconds} s", "maintenir {seconds} s"),
    "for_minutes": Message("{minutes} min", "{minutes} min"),
    "continuous": Message("{minutes} min without stopping", "{minutes} min sans arrêt"),
    "rest": Message("rest {seconds} s", "repos {seconds} s"),
    "effort_cr10": Message("effort {target} out of 10", "effort {target} sur 10"),
    "effort_rpe": Message("effort {target} on the 6–20 scale", "effort {target} sur l'échelle de 6 à 20"),
    "effort_percent_max": Message("{target} % of your maximum", "{target} % de votre maximum"),
    "effort_talk_test": Message("talk test {target} of 3", "test de la parole {target} sur 3"),
    # The progress report
    "progress_title": Message("Progress report: {name}", "Rapport d'évolution : {name}"),
    "progress_intro": Message(
        "For the treating specialist. Summary of the exercise program followed with NeuroMotrix over the period "
        "below: adherence, symptoms reported before and after sessions, outcome measures and program changes.",
        "À l'intention du médecin traitant. Résumé du programme d'exercices suivi avec NeuroMotrix pendant la "
        "période ci-dessous : assiduité, symptômes notés avant et après les séances, mesures de résultats et "
        "modifications du programme.",
    ),
    "period": Message("Period", "Période"),
    "period_value": Message("{start} to {end} ({days} days)", "du {start} au {end} ({days} jours)"),
    "cycle": Message("Toxin cycle", "Cycle de toxine"),
    "cycle_value": Message(
        "cycle {number} of {count}: injection of {date}", "cycle {number} sur {count} : injection du {date}"
    ),
    "no_cycle": Message(
        "no botulinum toxin injection recorded: chosen period",
        "aucune injection de toxine botulique enregistrée : période choisie",
    ),
    "chosen_period": Message("chosen period", "période choisie"),
    "conditions": Message("Conditions", "Affections"),
    "adherence_heading": Message("Adherence", "Assiduité"),
    "adherence_intro": Message(
        "Sessions done out of sessions planned, week by week. Overall: {done} of {planned} ({rate}).",
        "Séances faites sur séances prévues, semaine par semaine. Au total : {done} sur {planned} ({rate}).",
    ),
    "adherence_none": Message(
        "No session was planned in this period.", "Aucune séance n'était prévue pendant cette période."
    ),
    "week": Message("Week", "Semaine"),
    "week_value": Message("{start} – {end}", "{start} – {end}"),
    "planned": Message("Planned", "Prévues"),
    "done": Message("Done", "Faites"),
    "rate": Message("Rate", "Taux"),
    "symptoms_heading": Message("Symptom diary", "Journal des symptômes"),
    "symptoms_intro": Message(
        "Mean ratings (0 to 10) before → after the sessions of each week: pain, dystonic pulling and spasms, "
        "fatigue. “–” when nothing was rated.",
        "Moyennes des notes (0 à 10) avant → après les séances de chaque semaine : douleur, tiraillements et "
        "spasmes dystoniques, fatigue. « – » quand rien n'a été noté.",
    ),
    "symptoms_none": Message(
        "No session was logged in this period.", "Aucune séance n'a été consignée pendant cette période."
    ),
    "sessions": Message("Sessions", "Séances"),
    "pain": Message("Pain", "Douleur"),
    "dystonia": Message("Dystonia", "Dystonie"),
    "fatigue": Message("Fatigue", "Fatigue"),
    "stops_note": Message(
        "Sessions stopped early for a warning sign: {count} ({reasons}).",
        "Séances arrêtées pour un signe d'alerte : {count} ({reasons}).",
    ),
    "scores_heading": Message("Outcome measures", "Mesures de résultats"),
    "scores_intro": Message(
        "First and latest score of each scale in the period. A change beyond an established minimal clinically "
        "important difference (MCID) is labelled clinically meaningful; beyond only the minimal detectable change "
        "(MDC), beyond measurement error; any other change gets no label.",
        "Premier et dernier score de chaque échelle pendant la période. Un changement qui dépasse la différence "
        "minimale cliniquement importante (DMCI) établie est qualifié de cliniquement significatif; s'il dépasse "
        "seulement le changement minimal détectable (CMD), d'au-delà de l'erreur de mesure; tout autre changement "
        "n'a pas de qualificatif.",
    ),
    "scores_none": Message(
        "No outcome measure was recorded in this period.",
        "Aucune mesure de résultat n'a été notée pendant cette période.",
    ),
    "scale": Message("Scale", "Échelle"),
    "baseline": Message("First", "Premier"),
    "latest": Message("Latest", "Dernier"),
    "change": Message("Change", "Changement"),
    "threshold": Message("MCID / MDC", "DMCI / CMD"),
    "meaning": Message("Interpretation", "Interprétation"),
    "score_on": Message("{value} ({date})", "{value} ({date})"),
    "improved": Message("improved", "amélioration"),
    "worsened": Message("worsened", "détérioration"),
    "unchanged": Message("no change", "aucun changement"),
    "clinically_meaningful": Message("clinically meaningful", "cliniquement significatif"),
    "beyond_measurement_error": Message("beyond measurement error", "au-delà de l'erreur de mesure"),
    "one_score": Message("one score only", "un seul score"),
    "changes_heading": Message("Program changes", "Modifications du programme"),
    "changes_intro": Message(
        "Each new version of the program in the period, with its reason.",
        "Chaque nouvelle version du programme pendant la période, avec sa raison.",
    ),
    "changes_none": Message(
        "The program did not change in this period.", "Le programme n'a pas changé pendant cette période."
    ),
    "version": Message("Version", "Version"),
    "what": Message("What changed", "Ce qui a changé"),
    "reason": Message("Reason", "Raison"),
    "injections_heading": Message("Botulinum toxin injections", "Injections de toxine botulique"),
    "injections_intro": Message("Injections in the period.", "Injections pendant la période."),
    "injections_none": Message("No injection in this period.", "Aucune injection pendant cette période."),
    "regions": Message("Regions", "Régions"),
    "product": Message("Product", "Produit"),
    "units": Message("Units", "Unités"),
    "unknown": Message("not given", "non précisé"),
    "report_note": Message(
        "Ratings are entered by the person (or their caregiver) in NeuroMotrix; they are not clinical "
        "examinations. Questions about this report: {clinic}.",
        "Les notes sont saisies par la personne (ou son proche aidant) dans NeuroMotrix; ce ne sont pas des "
        "examens cliniques. Questions sur ce rapport : {clinic}.",
    ),
    # Program change descriptions
    "change_progress": Message("{exercise}: up to level {level}", "{exercise} : monte au niveau {level}"),
    "change_regress": Message("{exercise}: down to level {level}", "{exercise} : descend au niveau {level}"),
    "change_pause": Message("{exercise}: paused", "{exercise} : suspendu"),
    "change_hold": Message("{exercise}: held at level {level}", "{exercise} : maintenu au niveau {level}"),
    "change_trainer_override": Message("{exercise}: set by the trainer", "{exercise} : réglé par l'entraîneur"),
    "change_trainer_release": Message(
        "{exercise}: handed back to the adaptation rules", "{exercise} : rendu aux règles d'adaptation"
    ),
    "change_trainer_edit": Message(
        "{exercise}: dose changed by the trainer", "{exercise} : dose modifiée par l'entraîneur"
    ),
    "change_other": Message("{exercise}: changed", "{exercise} : modifié"),
    "source_generated": Message("new program", "nouveau programme"),
    "reason_intake": Message("Program made at intake", "Programme établi à l'accueil"),
    "reason_adaptation": Message(
        "Adapted from the sessions logged (progression and flare rules)",
        "Adapté d'après les séances consignées (règles de progression et de poussée)",
    ),
    "reason_approval": Message(
        "Approved with the adaptations made since it was drafted",
        "Approuvé avec les adaptations faites depuis sa préparation",
    ),
    "reason_injection": Message("Toxin injection on {date} recorded", "Injection de toxine du {date} enregistrée"),
    "reason_clearance": Message("Medical clearance recorded", "Autorisation médicale enregistrée"),
}


def word(key: str, language: str, **values: Any) -> str:
    """The text `key` in `language`, its `{fields}` filled in."""
    text = W[key].in_language(language)
    return text.format(**values) if values else text


def number(value: float, language: str) -> str:
    """A score or a mean: at most one decimal, in the language's way (3.5 / 3,5)."""
    return format_number(round(value, 1), language)
