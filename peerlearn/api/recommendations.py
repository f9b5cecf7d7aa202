"""/api/recommendations/...: personal recommendations, mentors, trending, feedback; admin experiments."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, Admin, CurrentUser, route
from peerlearn.api.errors import AUTHENTICATED, PUBLIC
from peerlearn.api.params import MAX_ID, Id
from peerlearn.db import session_scope
from peerlearn.insights import experiments
from peerlearn.insights import recommendations as recs
from peerlearn.models.enums import ExperimentStatus

router = APIRouter(tags=["recommendations"])


class Feedback(BaseModel):
    session_id: int = Field(ge=1, le=MAX_ID)
    action: str = Field(description="click, dismiss or book")


@route(router, "GET", "/api/recommendations/", response_model=list[recs.RecommendationPublic], responses=AUTHENTICATED)
def recommended(user: CurrentUser, db: DB, limit: int = Query(10, ge=1, le=50)) -> list[recs.RecommendationPublic]:
    items = recs.recommendations_for(user, db=db, limit=limit)
    with session_scope() as write:
        recs.record_shown(user, [item.session.id for item in items], db=write)
    return items


@route(
    router,
    "GET",
    "/api/recommendations/mentors/",
    response_model=list[recs.MentorRecommendationPublic],
    responses=AUTHENTICATED,
)
def mentors(user: CurrentUser, db: DB, limit: int = Query(5, ge=1, le=20)) -> list[recs.MentorRecommendationPublic]:
    return recs.mentor_recommendations_for(user, db=db, limit=limit)


@route(
    router, "GET", "/api/recommendations/trending/", response_model=list[recs.RecommendationPublic], responses=PUBLIC
)
def trending(db: DB, limit: int = Query(10, ge=1, le=50)) -> list[recs.RecommendationPublic]:
    return recs.trending_sessions(db=db, limit=limit)


@route(router, "POST", "/api/recommendations/feedback/", status_code=201, responses=AUTHENTICATED)
def feedback(data: Feedback, user: CurrentUser, db: DB) -> dict:
    event = recs.record_feedback(user, data.session_id, data.action, db=db)
    return {"session_id": data.session_id, "action": event.kind}


@route(router, "POST", "/api/admin/experiments/", status_code=201, responses=AUTHENTICATED)
def create_experiment(data: experiments.ExperimentCreate, admin: Admin, db: DB) -> dict:
    experiment = experiments.create_experiment(data, db=db)
    return {"id": experiment.id, "key": experiment.key, "status": experiment.status}


@route(router, "POST", "/api/admin/experiments/{experiment_id}/start/", responses=AUTHENTICATED)
def start_experiment(experiment_id: Id, admin: Admin, db: DB) -> dict:
    return {"status": experiments.set_status(experiment_id, ExperimentStatus.RUNNING, db=db).status}


@route(router, "POST", "/api/admin/experiments/{experiment_id}/stop/", responses=AUTHENTICATED)
def stop_experiment(experiment_id: Id, admin: Admin, db: DB) -> dict:
    return {"status": experiments.set_status(experiment_id, ExperimentStatus.STOPPED, db=db).status}


@route(
    router,
    "GET",
    "/api/admin/experiments/{experiment_id}/results/",
    response_model=experiments.ExperimentResults,
    responses=AUTHENTICATED,
)
def experiment_results(experiment_id: Id, admin: Admin, db: DB) -> experiments.ExperimentResults:
    return experiments.experiment_results(experiment_id, db=db)
