"""One place that turns service errors and bad input into JSON error responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

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
)

log = logging.getLogger(__name__)

_STATUS_BY_ERROR: list[tuple[type[ServiceError], int]] = [
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (RuleViolationError, 422),
    (ThrottledError, 429),
]


def error_body(code: str, message: str, **extra: object) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def status_for(error: ServiceError) -> int:
    for error_type, status in _STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 400


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
        fields = [
            {"field": ".".join(str(p) for p in item["loc"] if p != "body"), "message": item["msg"]}
            for item in error.errors()
        ]
        summary = "; ".join(f"{f['field'] or 'body'}: {f['message']}" for f in fields) or "Invalid input."
        return JSONResponse(error_body(ErrorCode.VALIDATION, summary, fields=fields), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND}.get(
            error.status_code, "http_error"
        )
        return JSONResponse(error_body(code, str(error.detail)), error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("Unhandled API error", exc_info=error)
        return JSONResponse(error_body("internal_error", "Something went wrong on our side."), 500)
