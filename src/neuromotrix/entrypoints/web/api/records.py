"""Health records around the program: toxin injections, clearances (with a document) and screening results."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/participants", tags=["records"])
