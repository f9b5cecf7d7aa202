"""/api/bookings/... and /api/notifications/: a learner's bookings, reschedules, approvals, notifications."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, CurrentUser, Learner, Mentor, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.api.params import MAX_ID, Id
from peerlearn.booking import actions as booking_service
from peerlearn.booking.public import BookingPublic
from peerlearn.models.types import saved_id
from peerlearn.platform import notifications

router = APIRouter(tags=["bookings"])


class RescheduleRequest(BaseModel):
    session_id: int = Field(ge=1, le=MAX_ID)


class DecisionRequest(BaseModel):
    accept: bool


class NotificationList(BaseModel):
    unread: int
    items: list[notifications.NotificationPublic]


@route(router, "GET", "/api/bookings/", response_model=list[BookingPublic], responses=AUTHENTICATED)
def list_bookings(user: CurrentUser, db: DB) -> list[BookingPublic]:
    return booking_service.list_bookings(user, db=db)


@route(router, "GET", "/api/bookings/{booking_id}/", response_model=BookingPublic, responses=AUTHENTICATED)
def get_booking(booking_id: Id, user: CurrentUser, db: DB) -> BookingPublic:
    return booking_service.get_booking(user, booking_id, db=db)


@route(
    router,
    "POST",
    "/api/bookings/{booking_id}/reschedule/",
    response_model=BookingPublic,
    responses=AUTHENTICATED,
)
def reschedule(booking_id: Id, data: RescheduleRequest, learner: Learner, db: DB) -> BookingPublic:
    moved = booking_service.reschedule_booking(learner, booking_id, data.session_id, db=db)
    return booking_service.get_booking(learner, saved_id(moved), db=db)


@route(router, "POST", "/api/bookings/{booking_id}/decision/", responses=AUTHENTICATED)
def decide(booking_id: Id, data: DecisionRequest, mentor: Mentor, db: DB) -> dict:
    booking = booking_service.decide_booking(mentor, booking_id, data.accept, db=db)
    return {"booking_id": booking.id, "status": booking.status}


@route(router, "GET", "/api/notifications/", response_model=NotificationList, responses=AUTHENTICATED)
def list_notifications(user: CurrentUser, db: DB) -> NotificationList:
    return NotificationList(
        unread=notifications.unread_count(saved_id(user), db=db),
        items=notifications.list_notifications(saved_id(user), db=db),
    )


@route(router, "POST", "/api/notifications/read/", status_code=204, responses=AUTHENTICATED)
def read_all(user: CurrentUser, db: DB) -> None:
    notifications.mark_all_read(saved_id(user), db=db)
