"""/api/sessions/ and /api/sessions/{id}/: public discovery (a token is optional)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from peerlearn.accounts.actions import user_for_token
from peerlearn.api.deps import DB, Token, route
from peerlearn.catalog.actions import visible_session
from peerlearn.catalog.public import to_public
from peerlearn.catalog.search import SearchResult, parse_filters, search_sessions
from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.platform.errors import AuthenticationError

router = APIRouter(tags=["discovery"])


@route(router, "GET", "/api/sessions/", response_model=SearchResult)
def list_sessions(
    db: DB,
    q: str = "",
    skill: str | None = None,
    category: str | None = None,
    level: str | None = None,
    language: str | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    min_rating: float | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    filters = parse_filters(
        q=q,
        skill=skill,
        category=category,
        level=level,
        language=language,
        min_price=min_price,
        max_price=max_price,
        starts_after=starts_after,
        starts_before=starts_before,
        min_rating=min_rating,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return search_sessions(filters, db=db)


@route(router, "GET", "/api/sessions/{session_id}/", response_model=LearningSessionPublic)
def get_session(session_id: int, db: DB, token: Token) -> LearningSessionPublic:
    viewer = None
    if token:
        try:
            viewer = user_for_token(token, db=db).id
        except AuthenticationError:
            viewer = None
    return to_public([visible_session(session_id, viewer_id=viewer, db=db)], db=db)[0]
