"""The safety oracle: hand-written from BRIEF, independent of the planner's rule tables.

Each check takes the profile document (a dict, as the user wrote it) and the plan JSON (a dict, as printed)
and returns a list of violations. Only the catalog's level data (is a level supported, on the back) is read,
because the plan does not repeat it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import Any

from tests.factories import exercise

Doc = dict[str, Any]
Check = Callable[[Doc, Doc], list[str]]

# BRIEF §3.2 cautions and §3.1 principles, as "condition => never these exercises".
NEVER: list[tuple[str, Callable[[Doc], bool], set[str]]] = [
    ("anterocollis (BRIEF NM01, NM02, NI04)", lambda p: _pull(p, "sagittal") == "forward", {"NM01", "NM02", "NI04"}),
    ("retrocollis (BRIEF NI03)", lambda p: _pull(p, "sagittal") == "backward", {"NI03"}),
    ("cervical pattern not stable (BRIEF §1.3, NM08, GA01, AE04)",
     lambda p: _cervical(p) is not None and _cervical(p).get("stability", "unknown") != "stable",
     {"NM08", "GA01", "AE04"}),
    ("dizziness (BRIEF NM06, FL03)", lambda p: _parq(p, "dizziness_or_fainting") is True, {"NM06", "FL03"}),
    ("DBS (BRIEF §6.3 end-range neck)", lambda p: bool(p.get("treatments", {}).get("dbs")), {"FL03"}),
    ("painful wrist extension (TC04)", lambda p: "wrist_extension" in _painful(p), {"TC04"}),
    ("painful shoulder elevation (SP03)", lambda p: "shoulder_elevation" in _painful(p), {"SP03"}),
    ("foot or leg dystonia (BA07, LF04)", lambda p: bool(_regions(p) & {"foot_left", "foot_right", "leg_left",
                                                                        "leg_right"}), {"BA07", "LF04"}),
    ("writing triggers dystonia (§1.5)", lambda p: "writing" in _triggers(p), {"FM04"}),
    ("walking triggers dystonia (§1.5)", lambda p: "walking" in _triggers(p), {"GA01", "GA02", "GA03", "GA04",
                                                                               "AE02", "AE04"}),
    ("swallowing problems (AE03)", lambda p: "swallowing" in p.get("symptoms", {}).get("chronic", [])
     or p.get("symptoms", {}).get("swallowing_difficulty", False), {"AE03"}),
    ("freezing or falls (GA04 dual task)", lambda p: _falls_risk(p), {"GA04"}),
    ("no aerobic clearance restriction", lambda p: "no_aerobic" in _restrictions(p),
     {"AE01", "AE02", "AE03", "AE04", "AE05"}),
]  # fmt: skip

PULL_PLANES = {"rotation": "rotation", "tilt": "tilt", "sagittal": "sagittal"}
SUPPORTED = {"lying", "reclined", "sitting_supported", "standing_supported"}
RANK = {p: i for i, p in enumerate(["lying", "reclined", "sitting_supported", "sitting", "standing_supported",
                                    "standing", "walking"])}  # fmt: skip


def _dystonias(profile: Doc) -> list[Doc]:
    return [c for c in profile["conditions"] if c["kind"] == "dystonia"]


def _cervical(profile: Doc) -> Doc | None:
    return next((d["cervical"] for d in _dystonias(profile) if d.get("cervical")), None)


def _pull(profile: Doc, plane: str) -> str | None:
    cervical = _cervical(profile)
    if cervical is None:
        return None
    if plane == "shift":
        return None
    component = cervical.get(plane)
    return component["toward"] if component else None


def _parq(profile: Doc, question: str) -> Any:
    return profile.get("screening", {}).get("parq", {}).get(question)


def _painful(profile: Doc) -> set[str]:
    return set(profile.get("symptoms", {}).get("painful_movements", []))


def _regions(profile: Doc) -> set[str]:
    return {r for d in _dystonias(profile) for r in d.get("regions", [])}


def _triggers(profile: Doc) -> set[str]:
    return {t for d in _dystonias(profile) for t in d.get("task_triggers", [])}


def _falls_risk(profile: Doc) -> bool:
    symptoms = profile.get("symptoms", {})
    parkinson = [c for c in profile["conditions"] if c["kind"] == "parkinson"]
    cp = [c for c in profile["conditions"] if c["kind"] == "cerebral_palsy"]
    return (
        symptoms.get("falls_last_12_months", 0) >= 2
        or symptoms.get("injurious_fall_last_12_months", False)
        or any(c.get("freezing") for c in parkinson)
        or any((c.get("hoehn_yahr") or 0) >= 3 for c in parkinson)
        or any(c.get("gmfcs") == 3 for c in cp)
    )


def _clearance(profile: Doc) -> Doc | None:
    return profile.get("screening", {}).get("clearance")


def _clearance_valid(profile: Doc, start: dt.date) -> bool:
    clearance = _clearance(profile)
    if not clearance:
        return False
    on = dt.date.fromisoformat(str(clearance["on"]))
    anniversary = on.replace(year=on.year + 1) if not (on.month == 2 and on.day == 29) else dt.date(on.year + 1, 3, 1)
    return on <= start < anniversary


def _restrictions(profile: Doc) -> set[str]:
    """A clearance's restrictions hold even after it expires (until a new clearance replaces it)."""
    clearance = _clearance(profile)
    return set(clearance.get("restrictions", [])) if clearance else set()


def blocks(plan: Doc) -> Iterator[tuple[Doc, Doc]]:
    for week in plan["weeks"]:
        for session in week["sessions"]:
            for block in session["blocks"]:
                yield session, block


def check_never(profile: Doc, plan: Doc) -> list[str]:
    used = {block["exercise_id"] for _, block in blocks(plan)}
    problems = []
    for why, applies, forbidden in NEVER:
        if applies(profile) and used & forbidden:
            problems.append(f"{why}: planned {sorted(used & forbidden)}")
    return problems


def check_direction(profile: Doc, plan: Doc) -> list[str]:
    """Work toward the pull is never planned (BRIEF §3.1 principle 2); counter work needs confirmation."""
    problems = []
    cervical = _cervical(profile) or {}
    for _, block in blocks(plan):
        direction = block["direction"]
        if direction is None:
            continue
        plane, toward = direction["plane"], direction["toward"]
        if plane in PULL_PLANES and toward is not None and toward == _pull(profile, plane):
            problems.append(f"{block['exercise_id']} moves toward the {plane} pull ({toward})")
        if plane == "shift" and toward is not None and toward in {cervical.get("lateral_shift"),
                                                                  cervical.get("sagittal_shift")}:  # fmt: skip
            problems.append(f"{block['exercise_id']} shifts toward the pull ({toward})")
        if direction["relation"] == "counter" and not cervical.get("confirmed_by_clinician", False):
            problems.append(f"{block['exercise_id']} counter-direction work without a confirmed pattern")
    return problems


def check_positions(profile: Doc, plan: Doc) -> list[str]:
    problems = []
    gmfcs = max((c.get("gmfcs") or 0 for c in profile["conditions"] if c["kind"] == "cerebral_palsy"), default=0)
    restrictions = _restrictions(profile)
    for _, block in blocks(plan):
        level = exercise(block["exercise_id"]).exercise.levels[block["level"] - 1]
        position = block["position"]
        upright_unsupported = position in {"standing", "walking"} and not level.is_supported
        if (_falls_risk(profile) or "no_unsupported_standing" in restrictions) and upright_unsupported:
            problems.append(f"{block['exercise_id']} unsupported {position} despite falls risk/restriction")
        if gmfcs >= 4 and position in {"standing", "walking"}:
            problems.append(f"{block['exercise_id']} {position} at GMFCS {gmfcs}")
        if "seated_only" in restrictions and RANK[position] > RANK["sitting"]:
            problems.append(f"{block['exercise_id']} {position} despite seated_only")
        if profile.get("screening", {}).get("pregnant") and level.supine:
            problems.append(f"{block['exercise_id']} lying on the back during pregnancy")
    return problems


def check_equipment_and_restrictions(profile: Doc, plan: Doc) -> list[str]:
    have = set(profile["preferences"].get("equipment", ["chair", "wall"]))
    restrictions = _restrictions(profile)
    problems = []
    for _, block in blocks(plan):
        missing = set(block["equipment"]) - have
        if missing:
            problems.append(f"{block['exercise_id']} needs {sorted(missing)}")
        if "no_resisted_neck" in restrictions and block["resisted"] and "neck" in block["regions"]:
            problems.append(f"{block['exercise_id']} resisted neck work despite no_resisted_neck")
    return problems


def check_toxin(profile: Doc, plan: Doc) -> list[str]:
    """BRIEF §5.2: 14 days after a neck injection, neck isometrics <= 20 % only, no other resisted neck work."""
    injections = profile.get("treatments", {}).get("botulinum_toxin", [])
    neck_dates = [dt.date.fromisoformat(str(i["date"])) for i in injections if "neck" in i["regions"]]
    problems = []
    for session, block in blocks(plan):
        day = dt.date.fromisoformat(session["date"])
        if not any(0 <= (day - injected).days <= 14 for injected in neck_dates):
            continue
        neck_or_shoulder = "neck" in block["regions"] or block["category"] in {"neck_motor_control",
                                                                               "neck_isometrics",
                                                                               "scapular_posture"}  # fmt: skip
        if not (block["resisted"] and neck_or_shoulder):
            continue
        effort = block["dose"]["effort"]
        high = effort["target"][1] if isinstance(effort["target"], list) else effort["target"]
        if block["category"] != "neck_isometrics":
            problems.append(f"{session['date']} {block['exercise_id']} resisted neck/shoulder work after injection")
        elif effort["scale"] != "percent_max" or high > 20:
            problems.append(f"{session['date']} {block['exercise_id']} isometric above 20 % after injection")
    return problems


def check_time(profile: Doc, plan: Doc) -> list[str]:
    """docs/plan.md: minutes = ceil(sum(sets*reps*(hold+movement) + sets*rest + 60*(minutes+continuous)) / 60)."""
    budget = profile["preferences"].get("minutes_per_session", 30)
    problems = []
    for week in plan["weeks"]:
        for session in week["sessions"]:
            seconds = 0.0
            for block in session["blocks"]:
                d = block["dose"]
                seconds += d["sets"] * d["reps"] * (d["hold_s"] + d["movement_s"]) + d["sets"] * d["rest_s"]
                seconds += 60 * (d["minutes"] + d["continuous_minutes"])
            minutes = math.ceil(seconds / 60)
            if minutes != session["minutes"]:
                problems.append(f"session {session['index']}: reported {session['minutes']}, formula {minutes}")
            if session["minutes"] > budget:
                problems.append(f"session {session['index']}: {session['minutes']} min over budget {budget}")
    return problems


def check_status(profile: Doc, plan: Doc) -> list[str]:
    problems = []
    severities = {flag["severity"] for flag in plan["screening"]["flags"]}
    blocking = bool(severities & {"emergency", "urgent", "pause"})
    if blocking != (plan["status"] == "blocked"):
        problems.append(f"status {plan['status']} with severities {sorted(severities)}")
    if plan["status"] == "blocked" and plan["weeks"]:
        problems.append("blocked plan has weeks")
    if plan["status"] == "needs_clearance":
        for _, block in blocks(plan):
            effort = block["dose"]["effort"]
            high = effort["target"][1] if isinstance(effort["target"], list) else effort["target"]
            light = {"cr10": 2, "rpe": 11, "percent_max": 20, "talk_test": 1}[effort["scale"]]
            if block["resisted"] or block["position"] not in SUPPORTED or high > light:
                problems.append(f"{block['exercise_id']} outside the starter subset")
    return problems


def check_bouts(profile: Doc, plan: Doc) -> list[str]:
    caps = [d.get("exercise_induced_max_bout_minutes") or 10 for d in _dystonias(profile) if d.get("exercise_induced")]
    if not caps:
        return []
    cap = min(caps)
    return [
        f"{block['exercise_id']} bout of {block['dose']['continuous_minutes']}/{block['dose']['minutes']} min > {cap}"
        for _, block in blocks(plan)
        if max(block["dose"]["continuous_minutes"], block["dose"]["minutes"]) > cap
    ]


ALL_CHECKS: list[Check] = [
    check_never,
    check_direction,
    check_positions,
    check_equipment_and_restrictions,
    check_toxin,
    check_time,
    check_status,
    check_bouts,
]


def violations(profile: Doc, plan: Doc) -> list[str]:
    return [problem for check in ALL_CHECKS for problem in check(profile, plan)]
