"""In-app notifications: reminders and alerts for the signed-in user."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
