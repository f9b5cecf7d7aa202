"""/api/mentors/...: the mentor directory and a mentor's public profile (a token is not needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from peerlearn.api.deps import DB, route
from peerlearn.api.errors import PUBLIC
from peerlearn.api.params import Id
from peerlearn.catalog.mentors import (
    REVIEW_PAGE_MAX,
    REVIEW_PAGE_SIZE,
    MentorDirectoryPage,
    MentorFilters,
    MentorProfilePublic,
    MentorSort,
    mentor_directory,
    mentor_profile,
)

router = APIRouter(tags=["mentors"])


@route(router, "GET", "/api/mentors/", response_model=MentorDirectoryPage, responses=PUBLIC)
def list_mentors(
    db: DB,
    q: Annotated[str, Query(max_length=200, description="Words in the mentor's name, headline or skills")] = "",
    skill: Annotated[str | None, Query(max_length=80, description="A skill they teach, by its name")] = None,
    sort: Annotated[
        MentorSort,
        Query(
            description="recommended (the default: mentors whose plan gives directory priority first, then best "
            "rated), rating (best rated first), sessions_taught (most first), soonest (soonest free seat)"
        ),
    ] = MentorSort.RECOMMENDED,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> MentorDirectoryPage:
    """Mentors with a profile or a published session, one page of them with the total (422 for a bad sort or
    page)."""
    filters = MentorFilters(q=q, skill=skill, sort=sort, page=page, page_size=page_size)
    return mentor_directory(filters, db=db)


@route(router, "GET", "/api/mentors/{mentor_id}/", response_model=MentorProfilePublic, responses=PUBLIC)
def get_mentor(
    mentor_id: Id,
    db: DB,
    review_page: Annotated[int, Query(ge=1, le=10_000, description="Which page of reviews, newest first")] = 1,
    review_page_size: Annotated[int, Query(ge=1, le=REVIEW_PAGE_MAX)] = REVIEW_PAGE_SIZE,
) -> MentorProfilePublic:
    """A mentor's profile: trust signals counted from the data, upcoming published sessions, a page of reviews.
    404 when the id is no listed mentor."""
    return mentor_profile(mentor_id, db=db, review_page=review_page, review_page_size=review_page_size)
