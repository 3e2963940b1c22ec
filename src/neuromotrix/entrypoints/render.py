"""Rendering plans, screenings and exercises as terminal text, Markdown or JSON, in English or French."""

from __future__ import annotations

import json
from collections.abc import Mapping

from neuromotrix.domain.dosing import WorkingDose
from neuromotrix.domain.exercise import Exercise
from neuromotrix.domain.plan import Block, Plan, PlanDose, Session

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "NeuroMotrix program", "fr": "Programme NeuroMotrix"},
    "status": {"en": "Status", "fr": "Statut"},
    "start": {"en": "Start", "fr": "Début"},
    "screening": {"en": "Screening", "fr": "Dépistage"},
    "no_flags": {"en": "No flags.", "fr": "Aucun signalement."},
    "week": {"en": "Week", "fr": "Semaine"},
    "phase": {"en": "toxin phase", "fr": "phase de toxine"},
    "deload": {"en": "deload week", "fr": "semaine allégée"},
    "session": {"en": "Session", "fr": "Séance"},
    "min": {"en": "min", "fr": "min"},
    "supervised": {"en": "supervised", "fr": "supervisée"},
    "warm_up": {"en": "Warm-up", "fr": "Échauffement"},
    "main": {"en": "Main", "fr": "Partie principale"},
    "cool_down": {"en": "Cool-down", "fr": "Retour au calme"},
    "level": {"en": "level", "fr": "niveau"},
    "why": {"en": "Why", "fr": "Pourquoi"},
    "excluded": {"en": "Left out", "fr": "Exercices écartés"},
    "references": {"en": "References", "fr": "Références"},
    "no_weeks": {
        "en": "No sessions are planned: see the screening flags above.",
        "fr": "Aucune séance n'est planifiée : voir les signalements du dépistage ci-dessus.",
    },
    "warning": {
        "en": "Stop and seek help at once for chest pain or pressure, severe breathlessness, dizziness or faintness, "
        "palpitations, new weakness, numbness, speech or vision change, choking or swallowing trouble, sharp joint "
        "pain, a fall, or escalating spasms. Call 911 in an emergency; 811 for health advice. This program supports "
        "your care team; it does not diagnose or treat.",
        "fr": "Arrêtez et demandez de l'aide immédiatement en cas de douleur ou de pression à la poitrine, "
        "d'essoufflement important, d'étourdissement ou de malaise, de palpitations, de faiblesse nouvelle, "
        "d'engourdissement, de changement de la parole ou de la vision, d'étouffement ou de difficulté à avaler, de "
        "douleur articulaire vive, de chute ou de spasmes qui s'aggravent. Composez le 911 en cas d'urgence; le 811 "
        "pour un conseil santé. Ce programme appuie votre équipe de soins; il ne pose pas de diagnostic et ne traite pas.",
    },
    "sets": {"en": "sets", "fr": "séries"},
    "reps": {"en": "reps", "fr": "répétitions"},
    "hold": {"en": "hold", "fr": "maintien"},
    "rest": {"en": "rest", "fr": "repos"},
    "effort": {"en": "effort", "fr": "effort"},
    "continuous": {"en": "continuous", "fr": "en continu"},
    "id": {"en": "Id", "fr": "Code"},
    "category": {"en": "Category", "fr": "Catégorie"},
    "name": {"en": "Name", "fr": "Nom"},
    "position": {"en": "Position", "fr": "Position"},
    "purpose": {"en": "Purpose", "fr": "But"},
    "instructions": {"en": "Instructions", "fr": "Consignes"},
    "levels": {"en": "Levels", "fr": "Niveaux"},
    "start_level": {"en": "start", "fr": "départ"},
    "contraindications": {"en": "Not for", "fr": "Contre-indications"},
    "cautions": {"en": "Cautions", "fr": "Précautions"},
    "equipment": {"en": "Equipment", "fr": "Équipement"},
    "none": {"en": "none", "fr": "aucun"},
    "outcome": {"en": "Outcome", "fr": "Résultat"},
}
STATUS_WORDS = {
    "ready": {"en": "ready", "fr": "prêt"},
    "needs_clearance": {"en": "needs clearance", "fr": "autorisation requise"},
    "blocked": {"en": "blocked", "fr": "bloqué"},
}
DAY_WORDS = {
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"},
    "fr": {"mon": "lun.", "tue": "mar.", "wed": "mer.", "thu": "jeu.", "fri": "ven.", "sat": "sam.", "sun": "dim."},
}
POSITION_WORDS = {
    "en": {"lying": "lying", "reclined": "reclined", "sitting_supported": "sitting with support",
           "sitting": "sitting", "standing_supported": "standing with support", "standing": "standing",
           "walking": "walking"},
    "fr": {"lying": "couché", "reclined": "semi-allongé", "sitting_supported": "assis avec appui",
           "sitting": "assis", "standing_supported": "debout avec appui", "standing": "debout",
           "walking": "en marchant"},
}  # fmt: skip
PHASE_WORDS = {
    "en": {"none": "none", "post_injection": "injection day", "onset": "onset", "peak": "peak effect",
           "wearing_off": "wearing off"},
    "fr": {"none": "aucune", "post_injection": "jour de l'injection", "onset": "début d'effet",
           "peak": "effet maximal", "wearing_off": "fin d'effet"},
}  # fmt: skip
SCALE_WORDS = {"cr10": "CR10", "rpe": "RPE", "percent_max": "%", "talk_test": "talk test / test de la parole"}


def label(key: str, language: str) -> str:
    return LABELS[key][language]


def plan(result: Plan, output_format: str) -> str:
    if output_format == "json":
        return result.model_dump_json(indent=2) + "\n"
    markdown = output_format == "markdown"
    return _plan_document(result, markdown=markdown)


def check(result: Plan, output_format: str) -> str:
    if output_format == "json":
        payload = {
            "status": result.status,
            "start_on": result.start_on.isoformat(),
            "screening": result.screening.model_dump(mode="json"),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    language = result.language
    lines = [f"{label('outcome', language)}: {STATUS_WORDS[result.status][language]} ({result.status})"]
    lines += _flag_lines(result, bullet="-")
    return "\n".join(lines) + "\n"


def _flag_lines(result: Plan, *, bullet: str) -> list[str]:
    language = result.language
    if not result.screening.flags:
        return [label("no_flags", language)]
    return [
        f"{bullet} [{flag.severity}] {flag.code}: {flag.message} → {flag.action}" for flag in result.screening.flags
    ]


def _plan_document(result: Plan, *, markdown: bool) -> str:
    language = result.language
    h1, h2, h3 = ("# ", "## ", "### ") if markdown else ("", "", "  ")
    status = STATUS_WORDS[result.status][language]
    lines = [f"{h1}{label('title', language)}", ""]
    lines.append(f"{label('status', language)}: {status} · {label('start', language)}: {result.start_on.isoformat()}")
    lines += ["", f"{h2}{label('screening', language)}", *_flag_lines(result, bullet="-"), ""]
    if not result.weeks:
        lines += [label("no_weeks", language), ""]
    for week in result.weeks:
        heading = f"{label('week', language)} {week.week}"
        if week.phase != "none":
            heading += f" · {label('phase', language)}: {PHASE_WORDS[language][week.phase]}"
        if week.deload:
            heading += f" · {label('deload', language)}"
        lines += [f"{h2}{heading}", ""]
        for session in week.sessions:
            lines += _session_lines(session, language, h3=h3, markdown=markdown)
    lines += _excluded_lines(result, h2=h2)
    lines += [f"{h2}{label('references', language)}", ""]
    lines += [f"- [{key}] {citation}" for key, citation in result.references.items()]
    lines += ["", f"**{label('warning', language)}**" if markdown else label("warning", language), ""]
    return "\n".join(lines)


def _session_lines(session: Session, language: str, *, h3: str, markdown: bool) -> list[str]:
    supervised = f" · {label('supervised', language)}" if session.supervised else ""
    lines = [
        f"{h3}{label('session', language)} {session.index} · {DAY_WORDS[language][session.day]} {session.date.isoformat()} "
        f"{session.time} · {session.minutes} {label('min', language)}{supervised}",
        "",
    ]
    for block in session.blocks:
        lines.append(_block_line(block, language, markdown=markdown))
    lines.append("")
    return lines


def _block_line(block: Block, language: str, *, markdown: bool) -> str:
    part = label(block.part, language)
    name = f"**{block.name}**" if markdown else block.name
    level = f"{label('level', language)} {block.level}"
    position = POSITION_WORDS[language][block.position]
    return f"- {part}: {block.exercise_id} {name} ({level}, {position}) — {dose_text(block.dose, language)}"


def dose_text(dose: PlanDose, language: str) -> str:
    parts: list[str] = []
    if dose.reps:
        parts.append(f"{dose.sets} × {dose.reps}")
    elif dose.sets > 1:
        parts.append(f"{dose.sets} {label('sets', language)}")
    if dose.hold_s:
        parts.append(f"{label('hold', language)} {dose.hold_s} s")
    if dose.minutes:
        parts.append(f"{dose.minutes:g} {label('min', language)}")
    if dose.continuous_minutes:
        parts.append(f"{dose.continuous_minutes:g} {label('min', language)} {label('continuous', language)}")
    if dose.rest_s:
        parts.append(f"{label('rest', language)} {dose.rest_s} s")
    target = dose.effort.target
    if isinstance(target, tuple) and target[0] != target[1]:
        shown = f"{target[0]:g}–{target[1]:g}"
    else:
        shown = f"{target[0] if isinstance(target, tuple) else target:g}"
    parts.append(f"{label('effort', language)} {SCALE_WORDS[dose.effort.scale]} {shown}")
    return ", ".join(parts)


def _excluded_lines(result: Plan, *, h2: str) -> list[str]:
    if not result.excluded:
        return []
    lines = [f"{h2}{label('excluded', result.language)}", ""]
    for item in result.excluded:
        lines.append(f"- {item.exercise_id}: " + " ".join(reason.text for reason in item.reasons))
    return [*lines, ""]


def exercise_table(exercises: list[Exercise], language: str) -> str:
    header = f"{label('id', language):<5} {label('category', language):<22} {label('position', language):<22} "
    header += label("name", language)
    rows = [header]
    for exercise in exercises:
        start = exercise.levels[exercise.start_level - 1]
        position = POSITION_WORDS[language][start.position]
        rows.append(f"{exercise.id:<5} {exercise.category:<22} {position:<22} {exercise.name.in_language(language)}")
    return "\n".join(rows) + "\n"


def exercise_detail(exercise: Exercise, references: Mapping[str, str], language: str) -> str:
    lines = [
        f"{exercise.id} — {exercise.name.in_language(language)} ({exercise.category})",
        f"{label('purpose', language)}: {exercise.purpose.in_language(language)}",
        f"{label('equipment', language)}: {', '.join(exercise.equipment) or label('none', language)}",
        "",
        f"{label('instructions', language)}: {exercise.instructions.in_language(language)}",
        "",
        f"{label('levels', language)}:",
    ]
    for number, level in enumerate(exercise.levels, start=1):
        marker = f" ({label('start_level', language)})" if number == exercise.start_level else ""
        dose = dose_text(WorkingDose.from_level(level.dose, exercise.movement_s).to_plan(), language)
        position = POSITION_WORDS[language][level.position]
        lines.append(f"  {number}{marker}. {position}: {level.text.in_language(language)} — {dose}")
    if exercise.contraindications:
        lines += ["", f"{label('contraindications', language)}:"]
        lines += [f"  - {item.text.in_language(language)}" for item in exercise.contraindications]
    if exercise.cautions:
        lines += ["", f"{label('cautions', language)}:"]
        lines += [f"  - {caution.in_language(language)}" for caution in exercise.cautions]
    lines += ["", f"{label('references', language)}:"]
    lines += [f"  [{key}] {citation}" for key, citation in references.items()]
    return "\n".join(lines) + "\n"
