"""/api/sessions/ and /api/sessions/{id}/: public discovery (a token is optional)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from peerlearn.accounts.actions import user_for_token
from peerlearn.api.deps import DB, Token, route
from peerlearn.api.errors import PUBLIC
from peerlearn.api.params import Amount, Id
from peerlearn.catalog.actions import visible_session
from peerlearn.catalog.public import to_public
from peerlearn.catalog.search import SearchResult, Sort, parse_filters, search_sessions
from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.models.enums import SkillLevel
from peerlearn.platform.errors import AuthenticationError

router = APIRouter(tags=["discovery"])


@route(router, "GET", "/api/sessions/", response_model=SearchResult, responses=PUBLIC)
def list_sessions(
    db: DB,
    q: Annotated[str, Query(max_length=200)] = "",
    skill: Annotated[str | None, Query(max_length=80)] = None,
    category: Annotated[str | None, Query(max_length=80)] = None,
    level: SkillLevel | None = None,
    language: Annotated[str | None, Query(max_length=32)] = None,
    min_price: Amount = None,
    max_price: Amount = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    min_rating: Annotated[float | None, Query(ge=0, le=5)] = None,
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
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


@route(router, "GET", "/api/sessions/{session_id}/", response_model=LearningSessionPublic, responses=PUBLIC)
def get_session(session_id: Id, db: DB, token: Token) -> LearningSessionPublic:
    viewer = None
    if token:
        try:
            viewer = user_for_token(token, db=db).id
        except AuthenticationError:
            viewer = None
    return to_public([visible_session(session_id, viewer_id=viewer, db=db)], db=db)[0]
