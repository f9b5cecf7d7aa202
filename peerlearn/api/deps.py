"""Request dependencies: a transactional DB session and the caller's identity."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from peerlearn.accounts.actions import require_role, user_for_token
from peerlearn.db import read_scope, session_scope
from peerlearn.models import User
from peerlearn.models.enums import UserRole

_bearer = HTTPBearer(auto_error=False)


READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_db(request: Request) -> Iterator[Session]:
    """GET requests read in a transaction that never takes SQLite's write lock; the others may write."""
    with read_scope() if request.method in READ_METHODS else session_scope() as db:
        yield db


DB = Annotated[Session, Depends(get_db)]


def get_read_db() -> Iterator[Session]:
    """A read-only transaction whatever the method, for a route that reads first and writes in its own short step."""
    with read_scope() as db:
        yield db


ReadDB = Annotated[Session, Depends(get_read_db)]


def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str | None:
    return credentials.credentials if credentials else None


Token = Annotated[str | None, Depends(bearer_token)]


def current_user(token: Token, db: DB) -> User:
    return user_for_token(token, db=db)


CurrentUser = Annotated[User, Depends(current_user)]


def role_required(role: UserRole) -> Callable[..., User]:
    def dependency(user: CurrentUser) -> User:
        require_role(user, role)
        return user

    return dependency


Learner = Annotated[User, Depends(role_required(UserRole.LEARNER))]
Mentor = Annotated[User, Depends(role_required(UserRole.MENTOR))]
Admin = Annotated[User, Depends(role_required(UserRole.ADMIN))]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def route(router: APIRouter, method: str, path: str, **kwargs: Any) -> Callable:
    """Register a path with and without its trailing slash (both are documented as valid)."""

    def decorator(func: Callable) -> Callable:
        router.add_api_route(path, func, methods=[method], **kwargs)
        alternate = path.rstrip("/") if path.endswith("/") else path + "/"
        router.add_api_route(alternate, func, methods=[method], include_in_schema=False, **kwargs)
        return func

    return decorator
