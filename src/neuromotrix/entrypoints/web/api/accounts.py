"""Account lifecycle: invitations by email link (caregivers with consent), password reset, user administration."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["accounts"])
