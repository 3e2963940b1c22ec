"""Pre-participation screening (BRIEF §6): PAR-Q+, ACSM 2015 and the dystonia red flags.

Outcome (PRODUCT.md "Contracts"): `blocked` when any flag is emergency, urgent or pause; otherwise
`needs_clearance` when a flag needs a clearance that no valid one satisfies; otherwise `ready`.
An omitted PAR-Q+ answer is unanswered, never "no" (BRIEF §6.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from neuromotrix.domain import vocab
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.profile import FollowUpGroup, Profile
from neuromotrix.domain.ruletables import RuleTables

BLOCKING = frozenset({"emergency", "urgent", "pause"})
SEVERITY_ORDER = {"emergency": 0, "urgent": 1, "pause": 2, "modify": 3, "info": 4}
# Clearance restrictions that act as planner effects; the others are applied as exclusions by the planner.
RESTRICTION_EFFECTS = {
    "no_vigorous": "no_vigorous",
    "seated_only": "seated_only",
    "no_unsupported_standing": "supported_upright_only",
    "supervised_only": "supervision_required",
}


@dataclass(frozen=True)
class RaisedFlag:
    code: str
    severity: vocab.Severity
    message: Text
    action: Text
    refs: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    requires_clearance: bool = False
    clearance_must_name: str | None = None


@dataclass(frozen=True)
class ScreeningResult:
    outcome: vocab.Status
    flags: tuple[RaisedFlag, ...]
    effects: frozenset[str]
    clearance_valid: bool
    restrictions: frozenset[str]
    cardiac_yes_without_clearance: bool
    unmet_clearance: tuple[str, ...] = field(default=())

    @property
    def starter_only(self) -> bool:
        return self.outcome == "needs_clearance"

    @property
    def has_weeks(self) -> bool:
        """PRODUCT.md: blocked -> []; needs_clearance with an uncleared cardiac PAR-Q+ yes -> []."""
        if self.outcome == "blocked":
            return False
        return not (self.outcome == "needs_clearance" and self.cardiac_yes_without_clearance)


def screen(profile: Profile, facts: Mapping[str, Any], rules: RuleTables) -> ScreeningResult:
    clearance = profile.screening.clearance
    clearance_valid = bool(facts["clearance.valid"])
    restrictions = _restrictions(clearance.restrictions if clearance else (), clearance_valid=clearance_valid)
    flags: list[RaisedFlag] = [
        RaisedFlag(
            code=flag.code,
            severity=flag.severity,
            message=flag.message,
            action=flag.action,
            refs=flag.refs,
            effects=flag.effects,
            requires_clearance=flag.requires_clearance,
            clearance_must_name=flag.clearance_must_name,
        )
        for flag, predicate in rules.red_flag_predicates
        if predicate(facts)
    ]
    flags += parq_flags(profile, facts, rules, clearance_valid=clearance_valid)
    flags += acsm_flags(facts, clearance_valid=clearance_valid)
    flags += clearance_flags(profile, facts, restrictions)
    flags.sort(key=lambda flag: SEVERITY_ORDER[flag.severity])  # stable: table order within a severity
    unmet = tuple(flag.code for flag in flags if not _clearance_satisfied(flag, clearance_valid, restrictions))
    outcome: vocab.Status = "ready"
    if any(flag.severity in BLOCKING for flag in flags):
        outcome = "blocked"
    elif unmet:
        outcome = "needs_clearance"
    effects = {effect for flag in flags for effect in flag.effects}
    effects |= {RESTRICTION_EFFECTS[item] for item in restrictions if item in RESTRICTION_EFFECTS}
    cardiac = any(facts[f"parq.{q.code}"] is True for q in rules.screening.parq.questions if q.cardiac)
    return ScreeningResult(
        outcome=outcome,
        flags=tuple(flags),
        effects=frozenset(effects),
        clearance_valid=clearance_valid,
        restrictions=restrictions,
        cardiac_yes_without_clearance=cardiac and not clearance_valid,
        unmet_clearance=unmet,
    )


def _restrictions(listed: Iterable[str], *, clearance_valid: bool) -> frozenset[str]:
    """Restrictions outlive their clearance: an expired clearance no longer clears anything, but what it
    forbade stays forbidden until a new clearance is recorded. Only `pregnancy_cleared` needs a valid one."""
    restrictions = frozenset(listed)
    return restrictions if clearance_valid else restrictions - {"pregnancy_cleared"}


def _clearance_satisfied(flag: RaisedFlag, clearance_valid: bool, restrictions: frozenset[str]) -> bool:
    if not flag.requires_clearance:
        return True
    if not clearance_valid:
        return False
    return flag.clearance_must_name is None or flag.clearance_must_name in restrictions


# --- PAR-Q+ (BRIEF §6.1) -------------------------------------------------------------------------------------


def parq_flags(
    profile: Profile, facts: Mapping[str, Any], rules: RuleTables, *, clearance_valid: bool = False
) -> list[RaisedFlag]:
    questions = rules.screening.parq.questions
    refs = rules.screening.parq.refs
    follow_up = profile.screening.parq_follow_up
    flags: list[RaisedFlag] = []
    unanswered = [q for q in questions if facts[f"parq.{q.code}"] is None]
    for question in questions:
        if facts[f"parq.{question.code}"] is not True:
            continue
        groups = question.follow_up
        # PAR-Q+ pages 2-3: all follow-up answers "no" -> ready; any "yes" or unanswered -> seek clearance.
        cleared_by_follow_up = bool(groups) and all(
            follow_up.get(cast(FollowUpGroup, group)) is False for group in groups
        )
        flags.append(
            _parq_yes_flag(question.code, question.text, refs, cleared_by_follow_up, question.cardiac, clearance_valid)
        )
    if unanswered:
        flags.append(_parq_unanswered_flag([q.text for q in unanswered], refs, clearance_valid))
    if facts["parq.supervised_only"] is True:
        flags.append(
            RaisedFlag(
                code="parq_supervision_required",  # not parq_supervised_only: that is Q7's own "yes" flag
                severity="modify",
                message=Text(
                    en="A doctor advised medically supervised activity only.",
                    fr="Un médecin a recommandé uniquement de l'activité physique supervisée médicalement.",
                ),
                action=Text(en="Every session is marked supervised.", fr="Chaque séance est marquée « supervisée »."),
                refs=refs,
                effects=("supervision_required",),
            )
        )
    if not unanswered and not any(facts[f"parq.{q.code}"] for q in questions):
        flags.extend(_parq_all_no_flags(facts, refs))
    return flags


def _parq_yes_flag(
    code: str, question: Text, refs: tuple[str, ...], cleared: bool, cardiac: bool, clearance_valid: bool
) -> RaisedFlag:
    if clearance_valid and not cleared:
        action = Text(
            en="A valid clearance is on file and covers this answer; its restrictions are applied.",
            fr="Une autorisation valide est consignée et couvre cette réponse; ses restrictions sont appliquées.",
        )
    elif cleared:
        action = Text(
            en="All follow-up answers are no: ready to become more active; start slowly and build up.",
            fr="Toutes les réponses de suivi sont non : prêt à devenir plus actif; commencez lentement et progressez.",
        )
    elif cardiac:
        action = Text(
            en="Have a physician's clearance recorded before any exercise program starts (ePARmed-X+ or a physician).",
            fr="Faites consigner l'autorisation d'un médecin avant tout programme d'exercice (ePARmed-X+ ou un médecin).",
        )
    else:
        action = Text(
            en="Complete the PAR-Q+ follow-up questions or record a clinician's clearance; until then only the starter program is offered.",
            fr="Répondez aux questions de suivi du PAR-Q+ ou consignez l'autorisation d'un clinicien; d'ici là, seul le programme de départ est offert.",
        )
    return RaisedFlag(
        code=f"parq_{code}",
        severity="info",
        message=Text(en=f"PAR-Q+ answered yes: {question.en}", fr=f"PAR-Q+ répondu oui : {question.fr}"),
        action=action,
        refs=refs,
        requires_clearance=not cleared,
    )


def _parq_unanswered_flag(questions: Iterable[Text], refs: tuple[str, ...], clearance_valid: bool) -> RaisedFlag:
    questions = list(questions)
    covered = Text(
        en=" A valid clearance is on file and covers them for now.",
        fr=" Une autorisation valide est consignée et les couvre pour l'instant.",
    )
    return RaisedFlag(
        code="parq_unanswered",
        severity="info",
        message=Text(
            en=f"{len(questions)} PAR-Q+ question(s) unanswered: " + " / ".join(q.en for q in questions),
            fr=f"{len(questions)} question(s) du PAR-Q+ sans réponse : " + " / ".join(q.fr for q in questions),
        ),
        action=Text(
            en="Answer every PAR-Q+ question (an unanswered question is never read as no) or record a clinician's clearance."
            + (covered.en if clearance_valid else ""),
            fr="Répondez à toutes les questions du PAR-Q+ (une question sans réponse n'est jamais lue comme un non) ou consignez l'autorisation d'un clinicien."
            + (covered.fr if clearance_valid else ""),
        ),
        refs=refs,
        requires_clearance=True,
    )


def _parq_all_no_flags(facts: Mapping[str, Any], refs: tuple[str, ...]) -> list[RaisedFlag]:
    age = facts["age"]
    if age is None or age <= 45 or facts["activity.regular_exerciser"] or facts["clearance.valid"]:
        return []
    return [
        RaisedFlag(
            code="parq_over_45_not_vigorous",
            severity="modify",
            message=Text(
                en="Over 45 and not used to vigorous exercise.",
                fr="Plus de 45 ans et pas habitué à l'exercice vigoureux.",
            ),
            action=Text(
                en="No vigorous effort until a qualified exercise professional has been consulted.",
                fr="Aucun effort vigoureux avant d'avoir consulté un professionnel de l'exercice qualifié.",
            ),
            refs=refs,
            effects=("no_vigorous",),
        )
    ]


# --- ACSM 2015 (BRIEF §6.2) ----------------------------------------------------------------------------------


def acsm_flags(facts: Mapping[str, Any], *, clearance_valid: bool) -> list[RaisedFlag]:
    """ACSM pre-participation algorithm; PAR-Q+ Q1 stands for known cardiovascular disease, Q2/Q3 for symptoms."""
    known_disease = facts["parq.heart_condition"] is True
    symptoms = facts["parq.chest_pain"] is True or facts["parq.dizziness_or_fainting"] is True
    exercising = bool(facts["activity.regular_exerciser"])
    refs = ("R35",)
    if symptoms:
        return [
            RaisedFlag(
                code="acsm_symptoms",
                severity="info",
                message=Text(
                    en="Signs or symptoms suggestive of cardiovascular disease (ACSM).",
                    fr="Signes ou symptômes évocateurs d'une maladie cardiovasculaire (ACSM).",
                ),
                action=Text(
                    en="Stop exercising and seek medical clearance; return only after clearance.",
                    fr="Cessez l'exercice et obtenez une autorisation médicale; reprenez seulement après l'autorisation.",
                ),
                refs=refs,
                requires_clearance=True,
            )
        ]
    if known_disease and not exercising:
        return [
            RaisedFlag(
                code="acsm_clearance_recommended",
                severity="info",
                message=Text(
                    en="Known cardiovascular disease and not exercising regularly (ACSM).",
                    fr="Maladie cardiovasculaire connue et pas d'exercice régulier (ACSM).",
                ),
                action=Text(
                    en="Medical clearance is recommended, then light to moderate effort.",
                    fr="Une autorisation médicale est recommandée, puis un effort léger à modéré.",
                ),
                refs=refs,
                requires_clearance=True,
            )
        ]
    if known_disease and exercising and not clearance_valid:
        return [
            RaisedFlag(
                code="acsm_no_vigorous_without_clearance",
                severity="modify",
                message=Text(
                    en="Known cardiovascular disease, exercising regularly, no symptoms (ACSM).",
                    fr="Maladie cardiovasculaire connue, exercice régulier, aucun symptôme (ACSM).",
                ),
                action=Text(
                    en="Moderate effort may continue; vigorous effort waits for medical clearance.",
                    fr="L'effort modéré peut continuer; l'effort vigoureux attend une autorisation médicale.",
                ),
                refs=refs,
                effects=("no_vigorous",),
            )
        ]
    return []


# --- Clearance (PRODUCT.md: valid 12 months; restrictions enforced) -----------------------------------------


def clearance_flags(profile: Profile, facts: Mapping[str, Any], restrictions: frozenset[str]) -> list[RaisedFlag]:
    clearance = profile.screening.clearance
    if clearance is None:
        return []
    if not facts["clearance.valid"]:
        return [
            RaisedFlag(
                code="clearance_not_valid",
                severity="info",
                message=Text(
                    en=f"The clearance by {clearance.by} dated {clearance.on.isoformat()} is not valid on the start "
                    "date (older than 12 months, or dated after it).",
                    fr=f"L'autorisation de {clearance.by} datée du {clearance.on.isoformat()} n'est pas valide à la "
                    "date de début (plus de 12 mois, ou postérieure à celle-ci).",
                ),
                action=Text(
                    en="Record a new clearance. Its restrictions still apply until then.",
                    fr="Consignez une nouvelle autorisation. Ses restrictions s'appliquent jusque-là.",
                ),
                refs=("R36",),
            )
        ]
    if not restrictions - {"pregnancy_cleared"}:
        return []
    listed = ", ".join(sorted(restrictions))
    return [
        RaisedFlag(
            code="clearance_restrictions",
            severity="modify",
            message=Text(
                en=f"Clearance restrictions from {clearance.by}: {listed}.",
                fr=f"Restrictions de l'autorisation de {clearance.by} : {listed}.",
            ),
            action=Text(en="The program respects every restriction.", fr="Le programme respecte chaque restriction."),
            refs=("R36",),
        )
    ]
