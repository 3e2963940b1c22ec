"""The values of the profile contract's closed lists in plain words, in English and French.

One table for the intake wizard, its review, the screening outcome and the clearance-request letter: every
select, radio button and checkbox shows these labels and sends the contract's value. `services/intake_form.py`
lists the values themselves (from domain/vocab.py); tests/web/test_intake_answers.py checks that every value of
every list has its two labels.
"""

from __future__ import annotations

from neuromotrix.domain.alerts import Message

M = Message  # short: the table below is long

# The Parkinson's booleans of the profile that the wizard asks as one group of checkboxes.
PARKINSON_SIGNS = ("freezing", "fluctuations", "orthostatic_hypotension")

LABELS: dict[str, dict[str, M]] = {
    "sex": {
        "female": M("Female", "Femme"),
        "male": M("Male", "Homme"),
        "other": M("Other", "Autre"),
        "unspecified": M("Not specified", "Non précisé"),
    },
    "language": {"en": M("English", "English"), "fr": M("Français", "Français")},
    "condition": {
        "dystonia": M("Dystonia", "Dystonie"),
        "parkinson": M("Parkinson's disease", "Maladie de Parkinson"),
        "cerebral_palsy": M("Cerebral palsy", "Paralysie cérébrale"),
    },
    "distribution": {
        "focal": M("Focal (one region)", "Focale (une région)"),
        "segmental": M("Segmental (neighbouring regions)", "Segmentaire (régions voisines)"),
        "multifocal": M("Multifocal (regions apart)", "Multifocale (régions éloignées)"),
        "generalized": M("Generalized", "Généralisée"),
        "hemidystonia": M("Hemidystonia (one side of the body)", "Hémidystonie (un côté du corps)"),
    },
    "onset": {
        "infancy": M("Infancy (0–2 years)", "Petite enfance (0 à 2 ans)"),
        "childhood": M("Childhood (3–12 years)", "Enfance (3 à 12 ans)"),
        "adolescence": M("Adolescence (13–20 years)", "Adolescence (13 à 20 ans)"),
        "early_adulthood": M("Early adulthood (21–40 years)", "Début de l'âge adulte (21 à 40 ans)"),
        "late_adulthood": M("Late adulthood (over 40)", "Âge adulte avancé (plus de 40 ans)"),
        "unknown": M("Not known", "Inconnu"),
    },
    "course": {"static": M("Stable", "Stable"), "progressive": M("Progressive", "Évolutive")},
    "region": {
        "eyes": M("Eyes and eyelids", "Yeux et paupières"),
        "mouth": M("Mouth and jaw", "Bouche et mâchoire"),
        "larynx": M("Larynx (voice)", "Larynx (voix)"),
        "neck": M("Neck", "Cou"),
        "trunk": M("Trunk", "Tronc"),
        "arm_left": M("Left arm", "Bras gauche"),
        "arm_right": M("Right arm", "Bras droit"),
        "hand_left": M("Left hand", "Main gauche"),
        "hand_right": M("Right hand", "Main droite"),
        "leg_left": M("Left leg", "Jambe gauche"),
        "leg_right": M("Right leg", "Jambe droite"),
        "foot_left": M("Left foot", "Pied gauche"),
        "foot_right": M("Right foot", "Pied droit"),
    },
    "task": {
        "writing": M("Writing", "Écrire"),
        "typing": M("Typing", "Taper au clavier"),
        "instrument": M("Playing an instrument", "Jouer d'un instrument"),
        "speaking": M("Speaking", "Parler"),
        "walking": M("Walking", "Marcher"),
        "running": M("Running", "Courir"),
        "standing": M("Standing", "Se tenir debout"),
        "chewing": M("Chewing", "Mâcher"),
        "reading": M("Reading", "Lire"),
        "screen_work": M("Screen work", "Travail à l'écran"),
        "driving": M("Driving", "Conduire"),
        "carrying": M("Carrying", "Porter des objets"),
    },
    "side": {"none": M("None", "Aucun"), "left": M("Left", "Gauche"), "right": M("Right", "Droite")},
    "sagittal": {
        "none": M("None", "Aucun"),
        "forward": M("Forward (antero-)", "Vers l'avant (antéro-)"),
        "backward": M("Backward (retro-)", "Vers l'arrière (rétro-)"),
    },
    "level": {
        "collis": M("Collis (the neck)", "Colli (le cou)"),
        "caput": M("Caput (the head on the neck)", "Caput (la tête sur le cou)"),
        "both": M("Both", "Les deux"),
    },
    "severity": {
        "0": M("0 – none", "0 – aucune"),
        "1": M("1 – slight", "1 – légère"),
        "2": M("2 – mild", "2 – modérée"),
        "3": M("3 – moderate", "3 – importante"),
        "4": M("4 – severe", "4 – sévère"),
    },
    "head_tremor": {
        "none": M("None", "Aucun"),
        "yes_yes": M("Yes-yes (nodding)", "Oui-oui (de haut en bas)"),
        "no_no": M("No-no (side to side)", "Non-non (de côté)"),
        "mixed": M("Mixed", "Mixte"),
    },
    "stability": {
        "stable": M(
            "Stable: moving the arms does not disturb the head", "Stable : bouger les bras ne dérange pas la tête"
        ),
        "unstable": M("Unstable: moving the arms disturbs the head", "Instable : bouger les bras dérange la tête"),
        "unknown": M("Not known (treated as unstable)", "Inconnue (traitée comme instable)"),
    },
    "sensory_trick": {
        "hand_on_chin": M("Hand on the chin", "Main sur le menton"),
        "hand_on_cheek": M("Hand on the cheek", "Main sur la joue"),
        "hand_on_back_of_head": M("Hand on the back of the head", "Main derrière la tête"),
        "head_support": M("Head against a support", "Tête appuyée sur un support"),
        "other": M("Another gesture", "Un autre geste"),
    },
    "parkinson_sign": {
        "freezing": M("Freezing of gait", "Blocage à la marche (freezing)"),
        "fluctuations": M("ON/OFF motor fluctuations", "Fluctuations motrices ON/OFF"),
        "orthostatic_hypotension": M("Orthostatic hypotension", "Hypotension orthostatique"),
    },
    "stage": {str(n): M(str(n), str(n)) for n in range(1, 6)},
    "motor_type": {
        "spastic": M("Spastic", "Spastique"),
        "dyskinetic": M("Dyskinetic", "Dyskinétique"),
        "ataxic": M("Ataxic", "Ataxique"),
        "mixed": M("Mixed", "Mixte"),
    },
    "new_symptom": {
        "tremor": M("Tremor", "Tremblement"),
        "speech_difficulty": M("Difficulty speaking", "Difficulté à parler"),
        "swallowing_difficulty": M("Difficulty swallowing", "Difficulté à avaler"),
        "breathing_difficulty": M("Difficulty breathing", "Difficulté à respirer"),
        "recent_worsening": M(
            "Sudden worsening, or dystonia spreading to a new region",
            "Aggravation soudaine, ou dystonie qui s'étend à une nouvelle région",
        ),
        "escalating_spasms": M(
            "Spasms quickly getting stronger, more frequent or continuous",
            "Spasmes qui deviennent vite plus forts, plus fréquents ou continus",
        ),
        "fever": M("Fever", "Fièvre"),
        "acute_illness": M("A passing illness (cold, flu)", "Une maladie passagère (rhume, grippe)"),
        "new_weakness": M("Weakness", "Faiblesse"),
        "numbness": M("Numbness or tingling", "Engourdissement ou picotements"),
        "vision_change": M(
            "Double vision, droopy eyelids or another change in vision",
            "Vision double, paupières tombantes ou autre changement de la vision",
        ),
        "gait_or_bladder_change": M(
            "A change in walking or bladder control", "Un changement de la marche ou de la vessie"
        ),
        "low_mood_crisis": M("Hopelessness or thoughts of suicide", "Désespoir ou idées suicidaires"),
    },
    "chronic": {
        "speech": M("Speech", "Parole"),
        "swallowing": M("Swallowing", "Déglutition"),
        "breathing": M("Breathing", "Respiration"),
        "vision": M("Vision", "Vision"),
    },
    "painful_movement": {
        "neck_rotation_left": M("Turning the head to the left", "Tourner la tête vers la gauche"),
        "neck_rotation_right": M("Turning the head to the right", "Tourner la tête vers la droite"),
        "neck_tilt_left": M("Tilting the head to the left", "Pencher la tête vers la gauche"),
        "neck_tilt_right": M("Tilting the head to the right", "Pencher la tête vers la droite"),
        "neck_flexion": M("Bending the head forward", "Pencher la tête vers l'avant"),
        "neck_extension": M("Bending the head backward", "Pencher la tête vers l'arrière"),
        "shoulder_elevation": M("Raising the shoulders", "Hausser les épaules"),
        "wrist_flexion": M("Bending the wrist down", "Plier le poignet vers le bas"),
        "wrist_extension": M("Bending the wrist up", "Plier le poignet vers le haut"),
        "ankle_inversion": M("Turning the ankle in", "Tourner la cheville vers l'intérieur"),
        "walking": M("Walking", "Marcher"),
        "standing": M("Standing", "Se tenir debout"),
    },
    "medication_class": {
        "anticholinergic": M("Anticholinergic", "Anticholinergique"),
        "baclofen": M("Baclofen", "Baclofène"),
        "benzodiazepine": M("Benzodiazepine", "Benzodiazépine"),
        "beta_blocker": M("Beta-blocker", "Bêtabloquant"),
        "dopaminergic": M("Dopaminergic (e.g. levodopa)", "Dopaminergique (p. ex. lévodopa)"),
        "tetrabenazine": M("Tetrabenazine", "Tétrabénazine"),
        "antidepressant": M("Antidepressant", "Antidépresseur"),
        "other": M("Other", "Autre"),
    },
    "medication_change": {
        "started": M("Started", "Commencé"),
        "stopped": M("Stopped", "Arrêté"),
        "dose_changed": M("Dose changed", "Dose modifiée"),
    },
    "dbs_target": {
        "GPi": M("GPi", "GPi"),
        "STN": M("STN", "NST (STN)"),
        "other": M("Other or not known", "Autre ou inconnue"),
    },
    "dbs_problem": {
        "none": M("No problem", "Aucun problème"),
        "loss_of_benefit": M("Loss of benefit", "Perte de l'effet"),
        "device_warning": M("Device warning", "Avertissement de l'appareil"),
        "battery_low": M("Battery low", "Pile faible"),
        "shocks": M("Shocks", "Décharges"),
        "wound": M("Wound problem", "Problème de plaie"),
    },
    "follow_up": {
        "arthritis_osteoporosis_back": M(
            "Arthritis, osteoporosis or back problems", "Arthrite, ostéoporose ou problèmes de dos"
        ),
        "cancer": M("Cancer", "Cancer"),
        "heart_cardiovascular": M("Heart or cardiovascular condition", "Problème cardiaque ou cardiovasculaire"),
        "high_blood_pressure": M("High blood pressure", "Hypertension artérielle"),
        "metabolic": M("Metabolic condition (e.g. diabetes)", "Trouble métabolique (p. ex. diabète)"),
        "mental_health": M(
            "Mental health problem or learning difficulty", "Problème de santé mentale ou trouble d'apprentissage"
        ),
        "respiratory": M("Respiratory disease", "Maladie respiratoire"),
        "spinal_cord_injury": M("Spinal cord injury", "Lésion de la moelle épinière"),
        "stroke": M("Stroke", "Accident vasculaire cérébral"),
        "other_condition": M(
            "Another medical condition (dystonia, Parkinson's disease and cerebral palsy belong here)",
            "Autre problème de santé (la dystonie, la maladie de Parkinson et la paralysie cérébrale en font partie)",
        ),
    },
    "restriction": {
        "no_resisted_neck": M("No neck work against resistance", "Aucun travail du cou contre résistance"),
        "no_vigorous": M("No vigorous effort", "Aucun effort vigoureux"),
        "seated_only": M("Seated exercise only", "Exercice assis seulement"),
        "supervised_only": M("Supervised exercise only", "Exercice supervisé seulement"),
        "no_aerobic": M("No aerobic exercise", "Aucun exercice aérobie"),
        "no_unsupported_standing": M("No standing without a support", "Aucune station debout sans appui"),
        "pregnancy_cleared": M(
            "Exercise during the pregnancy is cleared", "L'exercice pendant la grossesse est autorisé"
        ),
    },
    "weekday": {
        "mon": M("Monday", "Lundi"),
        "tue": M("Tuesday", "Mardi"),
        "wed": M("Wednesday", "Mercredi"),
        "thu": M("Thursday", "Jeudi"),
        "fri": M("Friday", "Vendredi"),
        "sat": M("Saturday", "Samedi"),
        "sun": M("Sunday", "Dimanche"),
    },
    "equipment": {
        "chair": M("Chair", "Chaise"),
        "mat": M("Mat", "Tapis"),
        "wall": M("Wall", "Mur"),
        "towel": M("Towel", "Serviette"),
        "pillow": M("Pillow", "Oreiller"),
        "mirror": M("Mirror", "Miroir"),
        "table": M("Table", "Table"),
        "counter": M("Counter", "Comptoir"),
        "step": M("Step", "Marche"),
        "resistance_band": M("Resistance band", "Bande élastique"),
        "ball": M("Ball", "Ballon"),
        "putty": M("Therapy putty", "Pâte thérapeutique"),
        "whiteboard": M("Whiteboard", "Tableau blanc"),
        "poles": M("Walking poles", "Bâtons de marche"),
        "stationary_bike": M("Stationary bike", "Vélo stationnaire"),
        "treadmill": M("Treadmill", "Tapis roulant"),
        "pool": M("Pool", "Piscine"),
    },
    "setting": {
        "home": M("At home", "À la maison"),
        "clinic": M("At the clinic", "À la clinique"),
        "pool": M("In a pool", "En piscine"),
    },
    "goal": {
        "reduce_pain": M("Less pain", "Moins de douleur"),
        "posture": M("Posture", "Posture"),
        "neck_control": M("Neck control", "Contrôle du cou"),
        "balance": M("Balance", "Équilibre"),
        "gait": M("Walking", "Marche"),
        "fitness": M("Fitness", "Condition physique"),
        "strength": M("Strength", "Force"),
        "hand_function": M("Hand function", "Fonction de la main"),
        "fatigue": M("Managing fatigue", "Gestion de la fatigue"),
        "independence": M("Independence", "Autonomie"),
    },
    "sessions": {str(n): M(str(n), str(n)) for n in range(1, 8)},
    "status": {
        "ready": M("Ready to start", "Peut commencer"),
        "needs_clearance": M("Needs a medical clearance", "Autorisation médicale requise"),
        "blocked": M("Blocked: no exercise for now", "Bloqué : aucun exercice pour l'instant"),
    },
    "flag_severity": {
        "emergency": M("Emergency", "Urgence"),
        "urgent": M("Urgent", "Urgent"),
        "pause": M("Paused", "En pause"),
        "modify": M("Program adapted", "Programme adapté"),
        "info": M("For information", "Pour information"),
    },
}
