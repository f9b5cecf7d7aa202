"""The REST API, mounted in front of Reflex on the same port."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from peerlearn.api import auth, bookings, discovery, insights, live, payments, recommendations, sessions
from peerlearn.api.errors import error_body, install_error_handlers
from peerlearn.platform.errors import ErrorCode

ROUTERS = [
    auth.router,
    discovery.router,
    sessions.router,
    bookings.router,
    payments.router,
    recommendations.router,
    insights.router,
    live.router,
]


def create_api() -> FastAPI:
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

    @api.api_route("/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def _unknown_api_path(path: str, request: Request) -> JSONResponse:
        return JSONResponse(error_body(ErrorCode.NOT_FOUND, f"No API route {request.method} /api/{path}"), 404)

    return api
