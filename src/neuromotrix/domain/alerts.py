"""What needs a trainer's attention, and why a session stopped (BRIEF §4.5, §6.3).

Plain values shared by the adaptation engine, the needs-attention rules and the storage layer. Texts are
bilingual so every edge (API, pages, emails) can show them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

AlertSeverity = Literal["emergency", "urgent", "warning", "info"]
ALERT_SEVERITIES: tuple[AlertSeverity, ...] = get_args(AlertSeverity)

AlertKind = Literal[
    "red_flag",  # an emergency or urgent screening flag (BRIEF §6.3)
    "hard_stop",  # a session ended on a hard-stop reason (BRIEF §4.5)
    "max_pain",  # pain 10/10 reported before, during or after a session
    "flare",  # a dystonia flare (24-hour rule or provocation during a session)
    "item_paused",  # two consecutive flares or two sustained postures paused an exercise
    "adaptation",  # the program changed itself inside an approved version
    "adherence_drop",  # adherence over 7 or 30 days fell by >= 20 % (relative)
    "missed_checkin",  # the next-day check-in was not entered
    "clearance_expiring",  # PAR-Q+ clearance ends within the notice period
    "clearance_expired",
    "post_injection_symptom",  # swallowing, breathing or weakness after a neck or face injection
    "escalation",  # an urgent alert not acknowledged within the clinic's delay
    "program_draft",  # a regenerated program waits for approval
]
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)

# Every hard stop of BRIEF §4.5 plus the softer reasons a person may give; a closed, public list.
StopReason = Literal[
    "chest_pain",
    "severe_breathlessness",
    "dizziness",
    "palpitations",
    "new_weakness",
    "numbness",
    "speech_change",
    "vision_change",
    "choking_or_swallowing",
    "sharp_joint_pain",
    "fall",
    "escalating_spasms",
    "pain",
    "pulling",
    "fatigue",
    "other",
]
STOP_REASONS: tuple[StopReason, ...] = get_args(StopReason)

# BRIEF §4.5 "Hard stop (end session, show guidance)": these always end the session and raise an alert.
HARD_STOPS: dict[StopReason, AlertSeverity] = {
    "chest_pain": "emergency",
    "severe_breathlessness": "emergency",
    "dizziness": "urgent",
    "palpitations": "urgent",
    "new_weakness": "emergency",
    "numbness": "emergency",
    "speech_change": "emergency",
    "vision_change": "emergency",
    "choking_or_swallowing": "emergency",
    "sharp_joint_pain": "urgent",
    "fall": "urgent",
    "escalating_spasms": "urgent",
}


@dataclass(frozen=True)
class Message:
    """A bilingual text."""

    en: str
    fr: str

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class Alert:
    """Something a trainer should see. `key` makes an alert idempotent: the same key is raised once."""

    kind: AlertKind
    severity: AlertSeverity
    message: Message
    key: str
    exercise_id: str | None = None


STOP_LABELS: dict[StopReason, Message] = {
    "chest_pain": Message("Chest pain or pressure", "Douleur ou serrement à la poitrine"),
    "severe_breathlessness": Message("Severe shortness of breath", "Essoufflement important"),
    "dizziness": Message("Dizziness or feeling faint", "Étourdissement ou sensation de malaise"),
    "palpitations": Message("Palpitations", "Palpitations"),
    "new_weakness": Message("New weakness", "Nouvelle faiblesse"),
    "numbness": Message("Numbness", "Engourdissement"),
    "speech_change": Message("Change in speech", "Changement de la parole"),
    "vision_change": Message("Change in vision", "Changement de la vision"),
    "choking_or_swallowing": Message("Choking or trouble swallowing", "Étouffement ou difficulté à avaler"),
    "sharp_joint_pain": Message("Sharp joint pain", "Douleur articulaire vive"),
    "fall": Message("A fall", "Une chute"),
    "escalating_spasms": Message("Spasms getting stronger and spreading", "Spasmes de plus en plus forts et étendus"),
    "pain": Message("Pain", "Douleur"),
    "pulling": Message("Dystonic pulling or spasm", "Tiraillement ou spasme dystonique"),
    "fatigue": Message("Too tired to continue", "Trop fatigué pour continuer"),
    "other": Message("Another reason", "Une autre raison"),
}


def is_hard_stop(reason: StopReason | None) -> bool:
    return reason is not None and reason in HARD_STOPS
