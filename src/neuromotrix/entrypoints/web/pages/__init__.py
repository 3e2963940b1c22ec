"""Server-rendered pages (HTML). docs/web.md explains how to add one.

`install(app)` registers every page router (add a new module's router to `ROUTERS`) and serves `/static`;
errors on pages are answered as HTML by `entrypoints/web/errors.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from neuromotrix.entrypoints.web.pages import (
    account,
    admin,
    admin_audit,
    admin_erasure,
    admin_incidents,
    admin_invitations,
    admin_privacy,
    assessments_corrections,
    assessments_participant,
    assessments_texts,
    assessments_trainer,
    auth,
    calendar,
    intake,
    library,
    locale,
    participant,
    privacy,
    reports,
    trainer_dashboard,
    trainer_participant,
    trainer_program,
    trainer_records,
)
from neuromotrix.entrypoints.web.pages.deps import ConsentRequiredError
from neuromotrix.entrypoints.web.pages.rendering import warm_up
from neuromotrix.entrypoints.web.pages.static import STATIC_PREFIX, static_files

ROUTERS: tuple[APIRouter, ...] = (auth.router, locale.router, account.router)
ROUTERS += (privacy.router, admin.router, admin_invitations.router, admin_audit.router, admin_privacy.router)
ROUTERS += (admin_incidents.router, admin_erasure.router)
ROUTERS += (trainer_dashboard.router, trainer_participant.router, trainer_records.router, trainer_program.router)
ROUTERS += participant.ROUTERS
ROUTERS += (intake.router,)
ROUTERS += (reports.router,)  # PDF handouts, progress reports and clearance letters (docs/reports.md)
ROUTERS += (library.router,)  # the exercise library, its media and program templates
# Outcome instruments: the participant's questionnaires, the trainer's Outcomes section, licensed texts.
ROUTERS += (assessments_participant.router, assessments_trainer.router, assessments_texts.router)
ROUTERS += (assessments_corrections.router,)  # correcting or withdrawing a recorded entry
ROUTERS += (calendar.router,)  # the sessions as a calendar file and private feeds (docs/calendar.md)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(ConsentRequiredError, privacy.consent_required)
    app.mount(STATIC_PREFIX, static_files(), name="static")
    warm_up()
