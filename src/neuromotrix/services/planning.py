"""Use case: screen a profile and generate its plan."""

from __future__ import annotations

from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain.plan import Plan
from neuromotrix.domain.planner import generate_plan
from neuromotrix.domain.profile import Profile


def make_plan(profile: Profile) -> Plan:
    """The plan for a profile whose start date is resolved (see services.profiles.load_profile), from the shipped
    catalog: a profile file belongs to no clinic. A participant's programs plan from their clinic's catalog
    (services/clinic_catalog.py)."""
    return generate_plan(profile, load_catalog())


def plan_json(plan: Plan) -> str:
    """The plan JSON contract, byte-for-byte deterministic (two-space indent, trailing newline)."""
    return plan.model_dump_json(indent=2) + "\n"
