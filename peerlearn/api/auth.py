"""/api/auth and /api/users: accounts over REST."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from peerlearn.accounts import actions as accounts
from peerlearn.api.deps import DB, CurrentUser, Token, client_address, route
from peerlearn.api.errors import AUTHENTICATED, LOGIN, PUBLIC_THROTTLED
from peerlearn.models.users import PasswordChange, ProfilePublic, ProfileUpdate, UserCreate, UserLogin, UserPublic

router = APIRouter(tags=["accounts"])


class TokenResponse(BaseModel):
    user: UserPublic
    token: str
    token_type: str = "bearer"


@route(router, "POST", "/api/auth/register/", status_code=201, response_model=TokenResponse, responses=PUBLIC_THROTTLED)
def register(data: UserCreate, db: DB) -> TokenResponse:
    user = accounts.register_user(data, db=db)
    return TokenResponse(user=accounts.user_public(user), token=accounts.issue_token(user, db=db))


@route(router, "POST", "/api/auth/login/", response_model=TokenResponse, responses=LOGIN)
def login(data: UserLogin, request: Request, db: DB) -> TokenResponse:
    user, token = accounts.log_in(data.email, data.password, client=client_address(request), db=db)
    return TokenResponse(user=accounts.user_public(user), token=token)


@route(router, "POST", "/api/auth/logout/", status_code=204, response_class=Response, responses=AUTHENTICATED)
def logout(user: CurrentUser, token: Token, db: DB) -> Response:
    accounts.log_out(token, db=db)
    return Response(status_code=204)


@route(router, "POST", "/api/auth/password/", status_code=204, response_class=Response, responses=AUTHENTICATED)
def change_password(data: PasswordChange, user: CurrentUser, db: DB) -> Response:
    accounts.change_password(user, data, db=db)
    return Response(status_code=204)


@route(router, "GET", "/api/users/profile/", response_model=ProfilePublic, responses=AUTHENTICATED)
def read_profile(user: CurrentUser, db: DB) -> ProfilePublic:
    return accounts.get_profile(user.id, db=db)


@route(router, "PUT", "/api/users/profile/update/", response_model=ProfilePublic, responses=AUTHENTICATED)
def update_profile(data: ProfileUpdate, user: CurrentUser, db: DB) -> ProfilePublic:
    return accounts.update_profile(user, data, db=db)
