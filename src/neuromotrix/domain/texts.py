"""Bilingual texts of the planner's reasons. Placeholders are filled with str.format."""

from __future__ import annotations

from neuromotrix.domain.exercise import Text

T = Text

EXCLUDE_EQUIPMENT = T(
    en="Needs equipment you do not have: {items}.",
    fr="Demande de l'équipement que vous n'avez pas : {items}.",
)
EXCLUDE_TRIGGER = T(
    en="Practises a task that triggers your dystonia ({items}); trigger tasks are never prescribed as exercise.",
    fr="Sollicite une tâche qui déclenche votre dystonie ({items}); les tâches déclencheuses ne sont jamais prescrites.",
)
EXCLUDE_PAINFUL = T(
    en="Loads a movement you report as painful ({items}).",
    fr="Sollicite un mouvement que vous signalez comme douloureux ({items}).",
)
EXCLUDE_TOWARD_PULL = T(
    en="Would move or press the head toward your pull ({toward}); work toward the pull is never planned.",
    fr="Amènerait ou pousserait la tête vers le sens du tirage ({toward}); ce travail n'est jamais planifié.",
)
EXCLUDE_UNCONFIRMED = T(
    en="Direction-specific neck work waits until a clinician confirms your cervical pattern.",
    fr="Le travail du cou propre à une direction attend qu'un clinicien confirme votre patron cervical.",
)
EXCLUDE_POSITION = T(
    en="No level of this exercise fits your position limits ({limits}).",
    fr="Aucun niveau de cet exercice ne respecte vos limites de position ({limits}).",
)
EXCLUDE_NO_RESISTED_NECK = T(
    en="Your clearance excludes resisted neck work.",
    fr="Votre autorisation exclut le travail du cou contre résistance.",
)
EXCLUDE_NO_AEROBIC = T(
    en="Your clearance excludes aerobic work.",
    fr="Votre autorisation exclut le travail aérobie.",
)
EXCLUDE_STARTER = T(
    en="Not in the starter program offered until a valid clearance is on file.",
    fr="Ne fait pas partie du programme de départ offert jusqu'à ce qu'une autorisation valide soit consignée.",
)
EXCLUDE_INDOOR = T(
    en="Outdoor or treadmill aerobic work is left out because of the risk of falls with eyelid spasms.",
    fr="L'aérobie à l'extérieur ou sur tapis roulant est retirée à cause du risque de chute avec les spasmes des paupières.",
)
EXCLUDE_TOXIN = T(
    en="Not scheduled on {dates}: {why}",
    fr="Non planifié le {dates} : {why}",
)
TOXIN_INJECTED_REGION = T(
    en="no resisted loading of the injected region on the injection day and the next.",
    fr="aucune charge contre résistance de la région injectée le jour de l'injection et le lendemain.",
)
TOXIN_NECK_WINDOW = T(
    en="in the 14 days after a neck injection only neck isometrics at 20 % effort or less are allowed as resisted neck or shoulder work.",
    fr="dans les 14 jours suivant une injection au cou, seuls les isométriques du cou à 20 % d'effort ou moins sont permis comme travail contre résistance du cou ou de l'épaule.",
)
TOXIN_FACE_WINDOW = T(
    en="jaw work is held in the 14 days after a face injection.",
    fr="le travail de la mâchoire est suspendu dans les 14 jours suivant une injection au visage.",
)
REASON_SELECTED = T(
    en="Chosen for {why}.",
    fr="Choisi pour {why}.",
)
REASON_COUNTER = T(
    en="Counter-direction work: your head is pulled {pull}; this exercise works {toward}.",
    fr="Travail dans le sens opposé : votre tête est tirée {pull}; cet exercice travaille {toward}.",
)
REASON_BILATERAL = T(
    en="Symmetric neck work: it does not move toward the side of your pull.",
    fr="Travail symétrique du cou : il ne va pas du côté du tirage.",
)
REASON_LEVEL = T(
    en="Level {level} of {count}: {text}. Progression changes one variable at a time, every {interval} weeks when no hold applies.",
    fr="Niveau {level} sur {count} : {text}. La progression change une variable à la fois, toutes les {interval} semaines sans période de maintien.",
)
REASON_HOLD_MEDICATION = T(
    en="Progression held: a medication changed less than 7 days before this week.",
    fr="Progression suspendue : un médicament a changé moins de 7 jours avant cette semaine.",
)
REASON_HOLD_TOXIN = T(
    en="Progression held during the 14 days after the injection.",
    fr="Progression suspendue pendant les 14 jours suivant l'injection.",
)
REASON_HOLD_STARTER = T(
    en="Starter program: levels do not progress until a clearance is on file.",
    fr="Programme de départ : les niveaux ne progressent pas avant qu'une autorisation soit consignée.",
)
REASON_DELOAD = T(
    en="Deload: volume reduced by about 30 % in the week after an injection.",
    fr="Allègement : volume réduit d'environ 30 % dans la semaine suivant une injection.",
)
REASON_NECK_ISOMETRIC_CAP = T(
    en="Neck isometrics capped at {cap} % effort in the 14 days after a neck injection.",
    fr="Isométriques du cou limités à {cap} % d'effort dans les 14 jours suivant une injection au cou.",
)
REASON_LIGHT = T(
    en="Starter program: light effort only until a clearance is on file.",
    fr="Programme de départ : effort léger seulement jusqu'à ce qu'une autorisation soit consignée.",
)
REASON_MODERATE = T(
    en="No vigorous effort (screening or clearance): effort capped at moderate.",
    fr="Aucun effort vigoureux (dépistage ou autorisation) : effort limité à modéré.",
)
REASON_RPE_ONLY = T(
    en="Beta-blockers blunt the heart rate: effort is rated by perceived exertion and the talk test.",
    fr="Les bêtabloquants ralentissent le cœur : l'effort est évalué par la perception de l'effort et le test de la parole.",
)
REASON_HEAT = T(
    en="Anticholinergic medication reduces sweating: stay cool and drink water.",
    fr="Les anticholinergiques réduisent la transpiration : restez au frais et buvez de l'eau.",
)
REASON_BOUT_CAP = T(
    en="Exercise-induced dystonia: continuous bouts are capped at {cap} min with {rest} s rest between bouts.",
    fr="Dystonie déclenchée par l'effort : les périodes continues sont limitées à {cap} min avec {rest} s de repos entre elles.",
)
REASON_SUPPORTED = T(
    en="Standing and walking work keeps a hand on a support ({why}).",
    fr="Le travail debout et à la marche garde une main sur un appui ({why}).",
)
REASON_SLOW_TRANSITIONS = T(
    en="Orthostatic hypotension: change position slowly and pause before standing up.",
    fr="Hypotension orthostatique : changez de position lentement et faites une pause avant de vous lever.",
)
REASON_TEMPO = T(
    en="Dyskinetic cerebral palsy: slower tempo, movements take longer.",
    fr="Paralysie cérébrale dyskinétique : tempo plus lent, les mouvements prennent plus de temps.",
)
REASON_TRIMMED = T(
    en="Sets reduced to fit the session's time budget.",
    fr="Séries réduites pour respecter la durée de la séance.",
)
REASON_PHASE = T(en="{text}", fr="{text}")
REASON_DBS = T(
    en="DBS: no forceful end-range neck movements and no pressure over the leads or stimulator.",
    fr="Stimulation cérébrale profonde : pas de mouvements forcés du cou en fin d'amplitude ni de pression sur les fils ou le boîtier.",
)
REASON_NO_SUPINE = T(
    en="Pregnancy: no prolonged lying on the back.",
    fr="Grossesse : pas de position prolongée sur le dos.",
)
DIRECTION_WORDS = {
    "left": T(en="to the left", fr="vers la gauche"),
    "right": T(en="to the right", fr="vers la droite"),
    "forward": T(en="forward", fr="vers l'avant"),
    "backward": T(en="backward", fr="vers l'arrière"),
}
POSITION_LIMIT_WORDS = {
    "supported_upright_only": T(en="supported standing and walking only", fr="debout et marche avec appui seulement"),
    "lying_sitting_supported_standing_only": T(
        en="lying, sitting or supported standing only", fr="couché, assis ou debout avec appui seulement"
    ),
    "seated_only": T(en="seated work only", fr="travail assis seulement"),
    "no_supine": T(en="no lying on the back", fr="pas de position sur le dos"),
    "starter": T(en="supported positions of the starter program", fr="positions avec appui du programme de départ"),
    "trigger": T(en="trigger tasks", fr="tâches déclencheuses"),
    "painful": T(en="painful movements", fr="mouvements douloureux"),
    "equipment": T(en="equipment at hand", fr="équipement disponible"),
    "slow_transitions": T(en="no fast position changes", fr="pas de changement de position rapide"),
}
CONDITION_WORDS = {
    "dystonia": T(en="dystonia", fr="la dystonie"),
    "parkinson": T(en="Parkinson's disease", fr="la maladie de Parkinson"),
    "cerebral_palsy": T(en="cerebral palsy", fr="la paralysie cérébrale"),
}
GOAL_WORDS = {
    "reduce_pain": T(en="less pain", fr="moins de douleur"),
    "posture": T(en="posture", fr="la posture"),
    "neck_control": T(en="neck control", fr="le contrôle du cou"),
    "balance": T(en="balance", fr="l'équilibre"),
    "gait": T(en="walking", fr="la marche"),
    "fitness": T(en="fitness", fr="la condition physique"),
    "strength": T(en="strength", fr="la force"),
    "hand_function": T(en="hand function", fr="la fonction de la main"),
    "fatigue": T(en="managing fatigue", fr="la gestion de la fatigue"),
    "independence": T(en="independence", fr="l'autonomie"),
}
AND_WORD = T(en=" and ", fr=" et ")
# Adjustments (domain/adjustments.py): from the adaptation engine or a trainer.
REASON_ADJUSTED_LEVEL = T(
    en="Level {level} of {count}: {text}. Held at this level from {date} ({by}): {why}",
    fr="Niveau {level} sur {count} : {text}. Maintenu à ce niveau à partir du {date} ({by}) : {why}",
)
REASON_ADJUSTED_VOLUME = T(
    en="Volume reduced by {percent} % from {date} ({by}): {why}",
    fr="Volume réduit de {percent} % à partir du {date} ({by}) : {why}",
)
REASON_ADJUSTED_VOLUME_UNTIL = T(
    en="Volume reduced by {percent} % from {date} to {last} ({by}): {why}",
    fr="Volume réduit de {percent} % du {date} au {last} ({by}) : {why}",
)
EXCLUDE_PAUSED = T(
    en="Paused from {date} ({by}): {why}",
    fr="Suspendu à partir du {date} ({by}) : {why}",
)
BY_ADAPTATION = T(en="adapted from the session logs", fr="adapté d'après les séances consignées")
BY_TRAINER = T(en="set by the trainer", fr="fixé par l'entraîneur")
