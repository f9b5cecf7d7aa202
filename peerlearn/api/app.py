"""The REST API, mounted in front of Reflex on the same port.

Reflex mounts its own app (event socket, /ping, the compiled pages in production) inside this one, so
the middleware added here (security headers, the /api body limit) and Reflex's CORS list reach every
response the port serves.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from peerlearn.api import (
    auth,
    auth_forms,
    bookings,
    discovery,
    insights,
    live,
    mentors,
    paths,
    payments,
    recommendations,
    sessions,
    sponsorships,
    subscriptions,
)
from peerlearn.api.body_limit import BodySizeLimitMiddleware
from peerlearn.api.errors import error_body, install_error_handlers
from peerlearn.api.security_headers import SecurityHeadersMiddleware
from peerlearn.config import get_settings
from peerlearn.platform.errors import ErrorCode

ROUTERS = [
    auth.router,
    auth_forms.router,
    discovery.router,
    sessions.router,
    bookings.router,
    payments.router,
    recommendations.router,
    insights.router,
    live.router,
    paths.router,
    mentors.router,
    subscriptions.router,
    sponsorships.router,
]
CATCH_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _allowed_methods(path: str) -> list[str]:
    """The methods the API's routes take on this path (the routers carry no prefix, so paths match as-is)."""
    allowed: set[str] = set()
    for router in ROUTERS:
        for candidate in router.routes:
            if isinstance(candidate, APIRoute) and candidate.path_regex.match(path):
                allowed |= candidate.methods or set()
    return sorted(allowed)


def create_api() -> FastAPI:
    settings = get_settings()
    api = FastAPI(
        title="PeerLearn API",
        version="1.0",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    install_error_handlers(api)
    for router in ROUTERS:
        api.include_router(router)

    @api.api_route("/api/{path:path}", methods=CATCH_ALL_METHODS, include_in_schema=False)
    async def _unknown_api_path(path: str, request: Request) -> JSONResponse:
        allowed = _allowed_methods(request.url.path)
        if allowed:
            message = f"{request.method} is not allowed on /api/{path}; use {', '.join(allowed)}."
            return JSONResponse(error_body("method_not_allowed", message), 405, headers={"Allow": ", ".join(allowed)})
        return JSONResponse(error_body(ErrorCode.NOT_FOUND, f"No API route {request.method} /api/{path}"), 404)

    api.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    api.add_middleware(SecurityHeadersMiddleware, settings=settings)
    return api
