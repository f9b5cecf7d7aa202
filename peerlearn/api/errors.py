"""One place that turns service errors and bad input into JSON error responses.

The status rule (README "API errors"): 422 when the input itself is invalid (schema or a service's
ValidationError), 409 when a valid request clashes with the current state (full, overlapping, too
late, wrong status), 401/403/404 for identity, permission and existence, 413 for a body over the
limit, 405 for a method a known path does not take, 429 when throttled. Every error body has the
one shape ``{"error": {"code", "message"}}`` (plus ``fields`` for input errors), documented on every
route through the ``responses=`` dicts below.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from peerlearn.api.security_headers import content_security_policy, static_headers
from peerlearn.config import get_settings
from peerlearn.db import DatabaseBusyError
from peerlearn.platform.errors import (
    AuthenticationError,
    ConflictError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ServiceError,
    ThrottledError,
    ValidationError,
)

log = logging.getLogger(__name__)

_STATUS_BY_ERROR: list[tuple[type[ServiceError], int]] = [
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (RuleViolationError, 409),
    (ValidationError, 422),
    (ThrottledError, 429),
]

_CODE_BY_HTTP_STATUS = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: "method_not_allowed",
    413: "body_too_large",
}


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] | None = None


class ErrorResponse(BaseModel):
    """The one error shape every API route answers with."""

    error: ErrorDetail


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


_DESCRIPTIONS = {
    401: "Not logged in, or the token is invalid or expired",
    403: "Logged in without the role this needs",
    404: "No such resource (or not visible to the caller)",
    405: "The path exists but does not take this method",
    409: "Valid, but clashes with the current state (full, overlapping, too late, wrong status)",
    413: "Request body over the size limit",
    422: "Invalid input (schema or a service's validation rule)",
    429: "Too many attempts; see Retry-After",
    503: "The database is busy or restarting; retry after Retry-After seconds",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: _doc(_DESCRIPTIONS[status]) for status in statuses}


# Per route kind; every route also gets COMMON (bad input, oversized body, wrong method).
COMMON = error_responses(405, 413, 422, 503)
PUBLIC = {**COMMON, **error_responses(404, 409)}
AUTHENTICATED = {**COMMON, **error_responses(401, 403, 404, 409)}
LOGIN = {**PUBLIC, **error_responses(401, 429)}  # wrong email or password is 401
PUBLIC_THROTTLED = {**PUBLIC, **error_responses(429)}
WEBHOOK = {**COMMON, 400: _doc("Signature invalid or the payload is not a known event"), **error_responses(409)}


def error_body(code: str, message: str, **extra: object) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def status_for(error: ServiceError) -> int:
    for error_type, status in _STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 422


def validation_response(error: RequestValidationError) -> JSONResponse:
    fields = [
        {"field": ".".join(str(p) for p in item["loc"] if p != "body"), "message": item["msg"]}
        for item in error.errors()
    ]
    summary = "; ".join(f"{f['field'] or 'body'}: {f['message']}" for f in fields) or "Invalid input."
    return JSONResponse(error_body(ErrorCode.VALIDATION, summary, fields=fields), 422)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, error: ServiceError) -> JSONResponse:
        headers = {}
        if isinstance(error, ThrottledError):
            headers["Retry-After"] = str(error.retry_after_seconds)
        if isinstance(error, AuthenticationError):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(error_body(error.code, error.message), status_for(error), headers=headers)

    @app.exception_handler(DatabaseBusyError)
    async def _busy(_: Request, error: DatabaseBusyError) -> JSONResponse:
        headers = {"Retry-After": str(error.retry_after_seconds)}
        return JSONResponse(error_body(ErrorCode.BUSY, error.message), 503, headers=headers)

    @app.exception_handler(RedisConnectionError)
    @app.exception_handler(RedisTimeoutError)
    async def _redis_down(_: Request, error: Exception) -> JSONResponse:
        """Redis restarting (throttling, caches, placement): as retryable as a busy database, never a 500."""
        log.warning("request refused while Redis is unavailable: %s", error)
        busy = DatabaseBusyError()
        return JSONResponse(
            error_body(ErrorCode.BUSY, busy.message), 503, headers={"Retry-After": str(busy.retry_after_seconds)}
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_input(_: Request, error: RequestValidationError) -> JSONResponse:
        return validation_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI's "error parsing the body" (not UTF-8 JSON): invalid input
            return JSONResponse(error_body(ErrorCode.VALIDATION, "The request body is not valid JSON."), 422)
        code = _CODE_BY_HTTP_STATUS.get(error.status_code, "http_error")
        return JSONResponse(error_body(code, str(error.detail)), error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("Unhandled API error", exc_info=error)
        # Starlette answers this from outside every middleware, so the security headers are added here.
        settings = get_settings()
        headers = {**static_headers(settings), "Content-Security-Policy": content_security_policy(settings)}
        return JSONResponse(error_body("internal_error", "Something went wrong on our side."), 500, headers=headers)
