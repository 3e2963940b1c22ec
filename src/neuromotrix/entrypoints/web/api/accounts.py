"""Account lifecycle: invitations by email link (caregivers with consent), password reset, user administration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from neuromotrix.entrypoints.web.api.pagination import Id, Limit, Offset
from neuromotrix.entrypoints.web.api.schemas import Page
from neuromotrix.entrypoints.web.api.schemas_accounts import (
    AcceptedOut,
    AcceptIn,
    AssignmentIn,
    AssignmentOut,
    DetailOut,
    InvitationCreatedOut,
    InvitationIn,
    InvitationOut,
    ResetConfirmIn,
    ResetRequestIn,
    RoleName,
    UserAdminOut,
    UserDetailOut,
    UserPatchIn,
)
from neuromotrix.entrypoints.web.deps import CallerDep, ContainerDep
from neuromotrix.services import accounts, admin, invitations

router = APIRouter(prefix="/api/v1", tags=["accounts"])

RESET_QUEUED = (
    "If an account uses this address, a link to choose a new password is on its way; it works once, for "
    "{minutes} minutes. No email after a few minutes? Check the spam folder, then ask again."
)


# Invitations --------------------------------------------------------------------------------------------


@router.post("/invitations", response_model=InvitationCreatedOut, status_code=201, summary="Invite someone by email")
async def create_invitation(body: InvitationIn, who: CallerDep, box: ContainerDep) -> Any:
    """Email a one-time link to open an account. Admins invite any role in their clinic; trainers invite a
    participant's login or a caregiver for a participant assigned to them; participants invite a caregiver for
    themselves (their own consent). A caregiver invitation says who consented (`consent_by`, `consent_name`).
    Inviting the same address again for the same participant replaces the pending invitation and its link."""
    invitee = invitations.Invitee(**body.model_dump())
    settings = box.settings
    with box.uow(write=True) as uow:
        invited = invitations.invite(
            uow, who.actor, invitee, now=box.clock(), base_url=settings.base_url, valid_days=settings.invitation_days
        )
        uow.commit()
    return {
        "id": invited.invitation_id,
        "email": invited.email,
        "role": invited.role,
        "expires_at": invited.expires_at,
        "replaced": invited.replaced,
    }


@router.get("/invitations", response_model=Page[InvitationOut], summary="List pending invitations")
async def list_invitations(who: CallerDep, box: ContainerDep, offset: Offset = 0, limit: Limit = 50) -> Any:
    """Invitations not accepted yet, newest first, expired ones flagged: an admin sees the clinic's; others those
    they sent and those for a participant they may see."""
    with box.uow() as uow:
        items, total = invitations.list_pending(uow, who.actor, now=box.clock(), offset=offset, limit=limit)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.delete("/invitations/{invitation_id}", status_code=204, summary="Withdraw an invitation")
async def revoke_invitation(invitation_id: Id, who: CallerDep, box: ContainerDep) -> None:
    """The link stops working at once."""
    with box.uow(write=True) as uow:
        invitations.revoke(uow, who.actor, invitation_id, now=box.clock())
        uow.commit()


@router.post(
    "/auth/invitations/accept", response_model=AcceptedOut, status_code=201, summary="Accept an invitation (public)"
)
async def accept_invitation(body: AcceptIn, box: ContainerDep) -> Any:
    """Open the invited account with a password (or, for a caregiver who already has an account, add the link to
    it). The link works once. Does not sign in: sign in next with `POST /api/v1/auth/login`."""

    def work() -> invitations.Accepted:
        with box.uow(write=True) as uow:
            accepted = invitations.accept(
                uow, body.token, password=body.password, language=body.language, now=box.clock()
            )
            uow.commit()
            return accepted

    accepted = await run_in_threadpool(work)  # argon2 hashing: off the event loop
    detail = (
        "Welcome back: you can now follow this person too. Sign in with your current password."
        if accepted.existing_account
        else "Your account is open. Sign in with your email and the password you chose."
    )
    return {
        "user_id": accepted.user_id,
        "role": accepted.role,
        "participant_id": accepted.participant_id,
        "existing_account": accepted.existing_account,
        "detail": detail,
    }


# Password reset -----------------------------------------------------------------------------------------


@router.post("/auth/password-reset", response_model=DetailOut, status_code=202, summary="Ask for a password reset link")
async def request_password_reset(body: ResetRequestIn, request: Request, box: ContainerDep) -> Any:
    """Emails a one-time link to the account with this address, if there is one. The answer is the same either
    way, so it does not tell whether an address has an account. Limited per address and per client (429)."""
    settings = box.settings
    with box.uow(write=True) as uow:
        accounts.request_password_reset(
            uow, body.email, limiter=box.login_limiter, client=request.client.host if request.client else "unknown",
            now=box.clock(), minutes=settings.reset_minutes, base_url=settings.base_url,
        )  # fmt: skip
        uow.commit()
    return {"detail": RESET_QUEUED.format(minutes=settings.reset_minutes)}


@router.post("/auth/password-reset/confirm", status_code=204, summary="Choose a new password with a reset link")
async def confirm_password_reset(body: ResetConfirmIn, box: ContainerDep) -> None:
    """Sets the new password; the link is used up and every session of the account ends. Sign in next."""

    def work() -> None:
        with box.uow(write=True) as uow:
            accounts.finish_password_reset(uow, body.token, body.password, now=box.clock(), limiter=box.login_limiter)
            uow.commit()

    await run_in_threadpool(work)


# Users (clinic admins) ----------------------------------------------------------------------------------


@router.get("/users", response_model=Page[UserAdminOut], summary="List the clinic's users (admins)")
async def list_users(
    who: CallerDep, box: ContainerDep, role: RoleName | None = None, offset: Offset = 0, limit: Limit = 50
) -> Any:
    """Every account of your clinic, optionally of one role. Clinic admins only (others: 403)."""
    with box.uow() as uow:
        items, total = admin.list_users(uow, who.actor, role=role, offset=offset, limit=limit)
    return {"items": items, "total": total, "offset": offset, "limit": limit}


@router.get("/users/{user_id}", response_model=UserDetailOut, summary="One user of the clinic (admins)")
async def get_user(user_id: Id, who: CallerDep, box: ContainerDep) -> Any:
    """An account with the participants it is tied to. A user of another clinic is 404."""
    with box.uow() as uow:
        return admin.user_detail(uow, who.actor, user_id)


@router.patch("/users/{user_id}", response_model=UserDetailOut, summary="Change a user's role, name, language or state")
async def update_user(user_id: Id, body: UserPatchIn, who: CallerDep, box: ContainerDep) -> Any:
    """Only the fields sent change. A new role or `active: false` ends the account's sessions. You cannot change
    your own role or switch yourself off (409); a participant's login stays a participant (409)."""
    with box.uow(write=True) as uow:
        changed = admin.update_user(uow, who.actor, user_id, now=box.clock(), **body.model_dump(exclude_none=True))
        uow.commit()
    return changed


@router.post(
    "/users/{user_id}/assignments",
    response_model=AssignmentOut,
    status_code=201,
    summary="Assign a trainer to a participant (admins)",
)
async def assign(user_id: Id, body: AssignmentIn, who: CallerDep, box: ContainerDep) -> Any:
    """The trainer (or admin) `user_id` follows the participant from now on. Assigning twice changes nothing."""
    with box.uow(write=True) as uow:
        admin.assign_trainer(uow, who.actor, user_id, body.participant_id, now=box.clock())
        uow.commit()
    return {"user_id": user_id, "participant_id": body.participant_id}


@router.delete(
    "/users/{user_id}/assignments/{participant_id}", status_code=204, summary="End a trainer's assignment (admins)"
)
async def unassign(user_id: Id, participant_id: Id, who: CallerDep, box: ContainerDep) -> None:
    """The trainer no longer sees the participant."""
    with box.uow(write=True) as uow:
        admin.unassign_trainer(uow, who.actor, user_id, participant_id, now=box.clock())
        uow.commit()
