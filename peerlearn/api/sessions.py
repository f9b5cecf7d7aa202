"""/api/sessions/...: mentors manage sessions; learners book, cancel, wait and review."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, CurrentUser, Learner, Mentor, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.api.params import Id
from peerlearn.booking import actions as booking_service
from peerlearn.booking.public import BookingPublic
from peerlearn.booking.queries import active_booking
from peerlearn.booking.reviews import ReviewCreate, submit_review
from peerlearn.booking.waitlist import join_waitlist, waitlist_position
from peerlearn.catalog import actions as session_service
from peerlearn.catalog.public import to_public
from peerlearn.models import LearningSession
from peerlearn.models.catalog import LearningSessionCreate, LearningSessionPublic, LearningSessionUpdate
from peerlearn.models.types import saved_id
from peerlearn.platform.errors import NotFoundError

router = APIRouter(tags=["sessions"])


class CreatedSessions(BaseModel):
    items: list[LearningSessionPublic]


class BookRequest(BaseModel):
    coupon_code: str | None = Field(default=None, max_length=40)


class BookResponse(BookingPublic):
    pass


@route(
    router, "POST", "/api/sessions/create/", status_code=201, response_model=CreatedSessions, responses=AUTHENTICATED
)
def create_session(data: LearningSessionCreate, mentor: Mentor, db: DB) -> CreatedSessions:
    return CreatedSessions(items=to_public(session_service.create_sessions(mentor, data, db=db), db=db))


@route(
    router, "POST", "/api/sessions/{session_id}/publish/", response_model=LearningSessionPublic, responses=AUTHENTICATED
)
def publish_session(session_id: Id, mentor: Mentor, db: DB) -> LearningSessionPublic:
    return to_public([session_service.publish_session(mentor, session_id, db=db)], db=db)[0]


@route(
    router,
    "POST",
    "/api/sessions/{session_id}/unpublish/",
    response_model=LearningSessionPublic,
    responses=AUTHENTICATED,
)
def unpublish_session(session_id: Id, mentor: Mentor, db: DB) -> LearningSessionPublic:
    return to_public([session_service.unpublish_session(mentor, session_id, db=db)], db=db)[0]


@route(
    router, "PUT", "/api/sessions/{session_id}/update/", response_model=LearningSessionPublic, responses=AUTHENTICATED
)
def update_session(session_id: Id, data: LearningSessionUpdate, mentor: Mentor, db: DB) -> LearningSessionPublic:
    return to_public([session_service.update_session(mentor, session_id, data, db=db)], db=db)[0]


@route(
    router,
    "POST",
    "/api/sessions/{session_id}/complete/",
    response_model=LearningSessionPublic,
    responses=AUTHENTICATED,
)
def complete_session(session_id: Id, mentor: Mentor, db: DB) -> LearningSessionPublic:
    return to_public([session_service.complete_session(mentor, session_id, db=db)], db=db)[0]


@route(router, "GET", "/api/sessions/{session_id}/participants/", responses=AUTHENTICATED)
def participants(session_id: Id, mentor: Mentor, db: DB) -> list[dict[str, Any]]:
    return booking_service.session_participants(mentor, session_id, db=db)


@route(
    router,
    "POST",
    "/api/sessions/{session_id}/book/",
    status_code=201,
    response_model=BookResponse,
    responses=AUTHENTICATED,
)
def book(session_id: Id, learner: Learner, db: DB, data: BookRequest | None = None) -> BookResponse:
    booking, _ = booking_service.book_session(
        learner, session_id, coupon_code=(data.coupon_code if data else None), db=db
    )
    return BookResponse(**booking_service.get_booking(learner, saved_id(booking), db=db).model_dump())


@route(router, "DELETE", "/api/sessions/{session_id}/cancel/", responses=AUTHENTICATED)
def cancel(session_id: Id, user: CurrentUser, db: DB) -> dict[str, Any]:
    """The session's mentor cancels the session; a learner cancels their own booking of it."""
    session = db.get(LearningSession, session_id)
    if session is None:
        raise NotFoundError("No such session.")
    if session.mentor_id == user.id:
        cancelled = session_service.cancel_session(user, session_id, db=db)
        return {"session_id": cancelled.id, "status": cancelled.status}
    booking = active_booking(session_id, saved_id(user), db=db)
    if booking is None:
        raise NotFoundError("You have no active booking for this session.")
    cancelled_booking, refunded = booking_service.cancel_booking(user, saved_id(booking), db=db)
    return {
        "booking_id": cancelled_booking.id,
        "status": cancelled_booking.status,
        "refund_minor": refunded,
        "currency": cancelled_booking.currency,
    }


@route(router, "POST", "/api/sessions/{session_id}/waitlist/", status_code=201, responses=AUTHENTICATED)
def waitlist(session_id: Id, learner: Learner, db: DB) -> dict[str, Any]:
    entry = join_waitlist(learner, session_id, db=db)
    return {
        "session_id": session_id,
        "status": entry.status,
        "position": waitlist_position(session_id, saved_id(learner), db=db),
    }


@route(router, "POST", "/api/sessions/{session_id}/reviews/", status_code=201, responses=AUTHENTICATED)
def review(session_id: Id, data: ReviewCreate, learner: Learner, db: DB) -> dict[str, Any]:
    created = submit_review(learner, session_id, data, db=db)
    return {"id": created.id, "rating": created.rating, "comment": created.comment}


@route(
    router,
    "POST",
    "/api/bookings/{booking_id}/attendance/",
    status_code=204,
    response_class=Response,
    responses=AUTHENTICATED,
)
def attendance(booking_id: Id, mentor: Mentor, db: DB, attended: bool = True) -> Response:
    session_service.mark_attendance(mentor, booking_id, attended, db=db)
    return Response(status_code=204)
