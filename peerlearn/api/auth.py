"""/api/auth and /api/users: accounts over REST."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from peerlearn.accounts import actions as accounts
from peerlearn.accounts import password_reset
from peerlearn.api.deps import DB, CurrentUser, ReadDB, Token, client_address, route
from peerlearn.api.errors import AUTHENTICATED, LOGIN, PUBLIC, PUBLIC_THROTTLED
from peerlearn.db import session_scope
from peerlearn.models.types import saved_id
from peerlearn.models.users import (
    MentorProfileCreate,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    ProfilePublic,
    ProfileUpdate,
    UserCreate,
    UserLogin,
    UserPublic,
)

router = APIRouter(tags=["accounts"])


class TokenResponse(BaseModel):
    user: UserPublic
    token: str
    token_type: str = "bearer"


@route(router, "POST", "/api/auth/register/", status_code=201, response_model=TokenResponse, responses=PUBLIC_THROTTLED)
def register(data: UserCreate) -> TokenResponse:
    password_hash = accounts.hash_new_password(data)  # slow: before the write transaction, not inside it
    with session_scope() as db:
        user = accounts.register_user(data, db=db, password_hash=password_hash)
        return TokenResponse(user=accounts.user_public(user), token=accounts.issue_token(user, db=db))


@route(router, "POST", "/api/auth/login/", response_model=TokenResponse, responses=LOGIN)
def login(data: UserLogin, request: Request, db: ReadDB) -> TokenResponse:
    client = client_address(request)
    checked = accounts.check_password(data.email, data.password, client=client, db=db)
    with session_scope() as write:
        user, token = accounts.finish_log_in(saved_id(checked), client=client, db=write)
    return TokenResponse(user=accounts.user_public(user), token=token)


@route(router, "POST", "/api/auth/logout/", status_code=204, response_class=Response, responses=AUTHENTICATED)
def logout(user: CurrentUser, token: Token, db: DB) -> Response:
    accounts.log_out(token, db=db)
    return Response(status_code=204)


@route(router, "POST", "/api/auth/password/", status_code=204, response_class=Response, responses=AUTHENTICATED)
def change_password(data: PasswordChange, user: CurrentUser, db: DB) -> Response:
    accounts.change_password(user, data, db=db)
    return Response(status_code=204)


class ResetRequested(BaseModel):
    detail: str = "If an account uses this email, a link to choose a new password is on its way."


@route(
    router,
    "POST",
    "/api/auth/password-reset/",
    status_code=202,
    response_model=ResetRequested,
    responses=PUBLIC_THROTTLED,
)
def request_password_reset(data: PasswordResetRequest, request: Request, db: DB) -> ResetRequested:
    """Mails a single-use reset link. The answer is the same whether or not the email has an account. 422: bad
    input; 429: this client asked too often."""
    password_reset.request_password_reset(data.email, client=client_address(request), db=db)
    return ResetRequested()


@route(
    router,
    "POST",
    "/api/auth/password-reset/confirm/",
    status_code=204,
    response_class=Response,
    responses=PUBLIC,
)
def confirm_password_reset(data: PasswordResetConfirm, request: Request, db: DB) -> Response:
    """Sets a new password with the link's token and ends every login. 422 `reset_token_invalid`: unknown, used or
    expired link; 422 `validation_error`: the password is too easy to guess (the message says how to pick one)."""
    password_reset.reset_password(data.token, data.new_password, client=client_address(request), db=db)
    return Response(status_code=204)


@route(router, "GET", "/api/users/profile/", response_model=ProfilePublic, responses=AUTHENTICATED)
def read_profile(user: CurrentUser, db: DB) -> ProfilePublic:
    return accounts.get_profile(user.id, db=db)


@route(router, "POST", "/api/users/mentor/", status_code=201, response_model=ProfilePublic, responses=AUTHENTICATED)
def become_mentor(data: MentorProfileCreate, user: CurrentUser, db: DB) -> ProfilePublic:
    """Adds the mentor role and a mentor profile to the signed-in learner's own account. 409 `already_mentor`: the
    account already teaches; 422: no headline (3 to 200 characters) or more than 20 skills."""
    accounts.become_mentor(user, data, db=db)
    return accounts.get_profile(saved_id(user), db=db)


@route(router, "PUT", "/api/users/profile/update/", response_model=ProfilePublic, responses=AUTHENTICATED)
def update_profile(data: ProfileUpdate, user: CurrentUser, db: DB) -> ProfilePublic:
    return accounts.update_profile(user, data, db=db)
