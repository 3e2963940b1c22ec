"""Request and response models of the account-lifecycle routes: invitations, password reset, user administration."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from neuromotrix.entrypoints.web.api.pagination import MAX_ID
from neuromotrix.entrypoints.web.api.schemas import Language, Out, Strict

RoleName = Literal["admin", "trainer", "participant", "caregiver"]
ConsentBy = Literal["participant", "guardian"]
# Identifiers are 32-bit integers in the database (PostgreSQL `integer`): a larger one is refused here (422)
# instead of failing in the driver.
Id = Annotated[int, Field(le=MAX_ID)]
Email = Annotated[str, Field(min_length=3, max_length=254, description="Email address (the sign-in name).")]
Token = Annotated[str, Field(min_length=1, max_length=200, description="The token: the end of the emailed link.")]


class InvitationIn(Strict):
    email: Email
    name: str = Field(min_length=1, max_length=200, description="How the person is called in the email and the app.")
    role: RoleName
    participant_id: Id | None = Field(
        None, description="Required for a participant's login (a participant without one) and for a caregiver."
    )
    consent_by: ConsentBy | None = Field(
        None, description="Caregivers only: who consented to the caregiver seeing the participant's data."
    )
    consent_name: str | None = Field(
        None, min_length=1, max_length=200, description="Caregivers only: the name of the person who consented."
    )
    language: Language | None = Field(
        None, description="Language of the email and the new account; default: the participant's, else yours."
    )


class InvitationCreatedOut(Out):
    id: int
    email: str
    role: str
    expires_at: dt.datetime
    replaced: bool = Field(description="True when it re-sent a pending invitation: the earlier link stops working.")


class InvitationOut(Out):
    id: int
    email: str
    name: str
    role: str
    participant_id: int | None
    consent_by: str | None
    consent_name: str | None
    invited_by: int | None
    created_at: dt.datetime
    expires_at: dt.datetime
    expired: bool


class AcceptIn(Strict):
    token: Token
    password: str | None = Field(
        None, max_length=1000, description="The new account's password; not used when the account already exists."
    )
    language: Language | None = Field(None, description="The new account's language.")


class AcceptedOut(Out):
    user_id: int
    role: str
    participant_id: int | None
    existing_account: bool = Field(description="True when a caregiver link was added to an account that existed.")
    detail: str


class ResetRequestIn(Strict):
    email: Email


class DetailOut(Out):
    detail: str


class ResetConfirmIn(Strict):
    token: Token
    password: str = Field(min_length=1, max_length=1000, description="The new password (at least 10 characters).")


class UserAdminOut(Out):
    id: int
    email: str
    name: str
    role: str
    language: str
    active: bool
    two_factor: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


class UserDetailOut(UserAdminOut):
    participant_ids: list[int] = Field(
        description="Participants followed (trainer, admin), looked after (caregiver) or their own (participant)."
    )


class UserPatchIn(Strict):
    role: RoleName | None = Field(None, description="A new role ends the account's sessions.")
    name: str | None = Field(None, min_length=1, max_length=200)
    language: Language | None = None
    active: bool | None = Field(None, description="false switches the account off and ends its sessions.")


class AssignmentIn(Strict):
    participant_id: Id


class AssignmentOut(Out):
    user_id: int
    participant_id: int
