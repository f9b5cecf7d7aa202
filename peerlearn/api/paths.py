"""/api/paths/...: learning paths toward a goal (mined from journeys, or curated), following one, and the caller's
followed paths with their progress."""

from __future__ import annotations

from fastapi import APIRouter, Query

from peerlearn.api.deps import DB, CurrentUser, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.api.params import Id
from peerlearn.db import session_scope
from peerlearn.paths import actions as paths
from peerlearn.paths.public import PathDetailPublic, PathListPublic, PathPublic

router = APIRouter(tags=["paths"])


@route(router, "GET", "/api/paths/", response_model=PathListPublic, responses=AUTHENTICATED)
def paths_to_goal(
    user: CurrentUser,
    goal: str | None = Query(
        None,
        max_length=paths.GOAL_MAX_LENGTH,
        description="What the learner wants to reach, e.g. 'Data analyst'; without it, the profile's career "
        "objective, else its learning goals (422 when there is neither)",
    ),
) -> PathListPublic:
    """The mined route from where the caller is to the goal's skills, then curated paths to the same skills. The
    mined route is stored (once per goal and sequence of steps) so it can be opened and followed by its id."""
    with session_scope() as db:
        return paths.find_paths(goal, learner=user, db=db)


@route(router, "GET", "/api/paths/me/", response_model=list[PathPublic], responses=AUTHENTICATED)
def my_paths(user: CurrentUser, db: DB) -> list[PathPublic]:
    """The paths the caller follows, most recently followed first, with each step's progress."""
    return paths.my_paths(user, db=db)


@route(router, "GET", "/api/paths/{path_id}/", response_model=PathDetailPublic, responses=AUTHENTICATED)
def path_detail(path_id: Id, user: CurrentUser, db: DB) -> PathDetailPublic:
    """A path with the caller's progress and its next step's upcoming sessions (``ranked_by`` says how)."""
    return paths.path_detail(path_id, learner=user, db=db)


@route(router, "POST", "/api/paths/{path_id}/follow/", response_model=PathPublic, responses=AUTHENTICATED)
def follow(path_id: Id, user: CurrentUser, db: DB) -> PathPublic:
    """Follow a path (a learner account; following again changes nothing)."""
    return paths.follow_path(path_id, user, db=db)
