"""The participant's and the caregiver's pages, one module per area; `pages/__init__.py` installs `ROUTERS`.

- participant_today.py: `/today`, `/people`, `/p/{id}/today`
- participant_player.py: `/p/{id}/session` (the step-by-step player) and `/p/{id}/session/stop`
- participant_checkins.py: `/p/{id}/checkin` (next day), `/p/{id}/post-injection`
- participant_history.py: `/p/{id}/history`, `/p/{id}/progress`, `/p/{id}/charts/{kind}.svg`
- participant_injections.py: `/p/{id}/injections`
"""

from __future__ import annotations

from fastapi import APIRouter

from neuromotrix.entrypoints.web.pages import (
    participant_checkins,
    participant_history,
    participant_injections,
    participant_player,
    participant_today,
)

ROUTERS: tuple[APIRouter, ...] = (
    participant_today.router,
    participant_player.router,
    participant_checkins.router,
    participant_history.router,
    participant_injections.router,
)
