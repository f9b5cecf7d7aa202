"""The log-in, sign-up and log-out forms of the pages: plain HTML form posts that set or clear the login cookie.

The login token lives only in an HttpOnly, SameSite=Lax cookie (Secure over https), set and cleared here by the
server, so no page script can read it. Each route:

- refuses a post whose Origin (or, without one, Referer) is not one of the app's own origins (`peerlearn/origins.py`):
  403 with the one error shape, so another site can neither log a visitor in as someone else nor log them out;
- runs the same account rules as the JSON API (password check and throttling, then a short write that issues the
  token; sign-up's password policy; revocation on log-out);
- answers 303 to a page on the origin the person used (never another host: `next` must be a local path), with an
  error code in the query when it failed (`?error=invalid_credentials`, `too_many_attempts&wait=<seconds>`,
  `email_taken`, `weak_password`, `validation_error&field=<name>`, `temporarily_unavailable`), which the page turns
  into a sentence next to the form. The query never carries text to show, so a link cannot put words on the page.

They are browser endpoints, not part of the JSON API (left out of the OpenAPI document); API clients use
`POST /api/auth/login/` and a bearer token.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError as PydanticValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from peerlearn import links
from peerlearn.accounts import actions as accounts
from peerlearn.api.deps import client_address
from peerlearn.config import get_settings
from peerlearn.db import DatabaseBusyError, read_scope, session_scope
from peerlearn.login_cookie import COOKIE_NAME, WEAK_PASSWORD, token_from_cookie_header
from peerlearn.models.types import saved_id
from peerlearn.models.users import UserCreate, UserLogin
from peerlearn.origins import allowed_origins, origin_of
from peerlearn.platform.errors import ErrorCode, PermissionDeniedError, ServiceError, ThrottledError

router = APIRouter(tags=["accounts"], include_in_schema=False)

FormText = Annotated[str, Form()]
_UNAVAILABLE = (DatabaseBusyError, RedisConnectionError, RedisTimeoutError)
_SIGNUP_FIELDS = ("email", "password", "full_name", "role", "timezone", "interests")


def trusted_origin(request: Request) -> str:
    """The origin the form was posted from, when it is one of the app's own; else 403 (`forbidden`)."""
    claimed = request.headers.get("origin")  # "null" (a sandboxed or redirected post) is refused, never looked past
    if claimed is None:  # browsers that send no Origin on a same-origin post still send the Referer
        claimed = request.headers.get("referer", "")
    try:
        origin = origin_of(claimed) if claimed else ""
    except ValueError:  # a port that is not a number
        origin = ""
    if not origin or origin not in allowed_origins(get_settings()):
        raise PermissionDeniedError("This form can only be sent from PeerLearn's own pages.")
    return origin


def _is_https(request: Request, origin: str) -> bool:
    """Secure cookies when the page, this request or PUBLIC_BASE_URL is https (behind a TLS proxy, only the last)."""
    return any(url.startswith("https://") for url in (origin, str(request.url), get_settings().base_url))


def _go(origin: str, path: str, **query: object) -> RedirectResponse:
    """303 to `path` on `origin` (the page's own origin, already checked), with `query` when given."""
    shown = {name: str(value) for name, value in query.items() if value not in (None, "")}
    return RedirectResponse(origin + path + (f"?{urlencode(shown)}" if shown else ""), status_code=303)


def _logged_in(request: Request, origin: str, path: str, token: str) -> RedirectResponse:
    response = _go(origin, path)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=get_settings().login_token_ttl_hours * 3600,
        path="/",
        secure=_is_https(request, origin),
        httponly=True,
        samesite="lax",
    )
    return response


def _error_query(error: ServiceError | Exception) -> dict[str, object]:
    if isinstance(error, ThrottledError):
        return {"error": error.code.value, "wait": error.retry_after_seconds}
    if isinstance(error, ServiceError):
        return {"error": error.code.value}
    return {"error": ErrorCode.BUSY.value}


@router.post(links.LOGIN_FORM, response_class=Response, status_code=303)
def login_form(
    request: Request,
    email: FormText = "",
    password: FormText = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Afterwards: the `next` page when there is one (a local path), else the person's home: a mentor's teaching
    desk, a learner's dashboard."""
    origin = trusted_origin(request)
    target = links.local_path(next_path, "")
    back = {"next": target}
    try:
        data = UserLogin(email=email, password=password)
    except PydanticValidationError:
        return _go(origin, links.LOGIN, error=ErrorCode.INVALID_CREDENTIALS.value, **back)
    client = client_address(request)
    try:
        with read_scope() as db:  # the slow password check holds no write lock
            user_id = saved_id(accounts.check_password(data.email, data.password, client=client, db=db))
        with session_scope() as db:
            user, token = accounts.finish_log_in(user_id, client=client, db=db)
            home = links.TEACH if user.is_mentor else links.DASHBOARD
    except (ServiceError, *_UNAVAILABLE) as error:
        return _go(origin, links.LOGIN, **_error_query(error), **back)
    return _logged_in(request, origin, target or home, token)


@router.post(links.SIGNUP_FORM, response_class=Response, status_code=303)
def signup_form(
    request: Request,
    email: FormText = "",
    password: FormText = "",
    full_name: FormText = "",
    role: FormText = "",
    timezone: FormText = "UTC",
    interests: FormText = "",
) -> Response:
    """`interests`: what the person wants to learn, separated by commas (optional); their first recommendations
    follow it."""
    origin = trusted_origin(request)
    kept = {"role": role if role in ("learner", "mentor") else ""}
    try:
        data = UserCreate(
            email=email.strip(),
            password=password,
            full_name=full_name,
            role=role or "learner",
            timezone=timezone,
            interests=interests.split(","),
        )
    except PydanticValidationError as error:
        field = str(error.errors()[0]["loc"][0]) if error.errors() and error.errors()[0]["loc"] else ""
        field = field if field in _SIGNUP_FIELDS else ""
        return _go(origin, links.SIGNUP, error=ErrorCode.VALIDATION.value, field=field, **kept)
    try:
        password_hash = accounts.hash_new_password(data)  # slow: before the write transaction
    except ServiceError:
        return _go(origin, links.SIGNUP, error=WEAK_PASSWORD, **kept)
    try:
        with session_scope() as db:
            token = accounts.issue_token(accounts.register_user(data, db=db, password_hash=password_hash), db=db)
    except (ServiceError, *_UNAVAILABLE) as error:
        return _go(origin, links.SIGNUP, **_error_query(error), **kept)
    return _logged_in(request, origin, links.PROFILE, token)


@router.post(links.LOGOUT_FORM, response_class=Response, status_code=303)
def logout_form(request: Request) -> Response:
    """Revokes the cookie's token (so a copy of it stops working everywhere), clears the cookie, 303 to /."""
    origin = trusted_origin(request)
    token = token_from_cookie_header(request.headers.get("cookie"))
    if token:
        # A busy database answers the JSON 503 (retry): the cookie is kept, because the token still works.
        with session_scope() as db:
            accounts.log_out(token, db=db)
    response = _go(origin, links.HOME)
    response.delete_cookie(COOKIE_NAME, path="/", secure=_is_https(request, origin), httponly=True, samesite="lax")
    return response
