"""Reviews: one per attended, completed booking; mentors may reply once; averages stay current."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from peerlearn import links
from peerlearn.booking.public import ReviewPublic
from peerlearn.insights.interactions import log_interaction
from peerlearn.models import Booking, LearningSession, MentorProfile, Review, User
from peerlearn.models.enums import AttendanceStatus, BookingStatus, InteractionKind, NotificationKind
from peerlearn.models.inputs import ReviewText
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.platform import notifications
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, RuleViolationError, ValidationError


class ReviewCreate(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: ReviewText = ""


def submit_review(learner: User, session_id: int, data: ReviewCreate, *, db: Session) -> Review:
    booking = db.exec(
        select(Booking).where(
            Booking.session_id == session_id,
            Booking.learner_id == learner.id,
            col(Booking.status).in_([BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CONFIRMED]),
        )
    ).first()
    if booking is None:
        raise NotFoundError("You have no booking for this session.")
    if db.exec(select(Review.id).where(Review.booking_id == booking.id)).first() is not None:
        raise ConflictError("You have already reviewed this session.", ErrorCode.ALREADY_REVIEWED)
    if booking.status != BookingStatus.COMPLETED or booking.attendance != AttendanceStatus.ATTENDED:
        raise RuleViolationError(
            "You can review a session once it is completed and you attended it.", ErrorCode.REVIEW_NOT_ALLOWED
        )
    session = linked_row(LearningSession, session_id, db=db)  # the booking found above points to it
    review = Review(
        booking_id=saved_id(booking),
        session_id=session_id,
        learner_id=saved_id(learner),
        mentor_id=session.mentor_id,
        rating=data.rating,
        comment=data.comment.strip(),
    )
    db.add(review)
    log_interaction(db, saved_id(learner), session_id, InteractionKind.RATE, value=data.rating)
    db.flush()
    refresh_mentor_rating(session.mentor_id, db=db)
    notifications.notify(
        session.mentor_id,
        NotificationKind.REVIEW_RECEIVED,
        f"New review: {data.rating}/5",
        body=data.comment[:200],
        link=links.TEACH,
        db=db,
        email=False,
    )
    return review


def refresh_mentor_rating(mentor_id: int, *, db: Session) -> None:
    avg, count = db.exec(
        select(func.avg(Review.rating), func.count(col(Review.id))).where(Review.mentor_id == mentor_id)
    ).one()
    profile = db.get(MentorProfile, mentor_id) or MentorProfile(user_id=mentor_id)
    profile.rating_avg, profile.rating_count = round(float(avg or 0), 2), int(count)
    db.add(profile)


def reply_to_review(mentor: User, review_id: int, text: str, *, db: Session, now: datetime | None = None) -> Review:
    review = db.get(Review, review_id)
    if review is None or review.mentor_id != mentor.id:
        raise NotFoundError("No such review.")
    if review.reply:
        raise ConflictError("You have already replied to this review.", ErrorCode.ALREADY_REVIEWED)
    clean = text.strip()
    if not clean or len(clean) > 4000:
        raise ValidationError("A reply must be 1 to 4000 characters.")
    review.reply, review.replied_at = clean, now or utcnow()
    db.add(review)
    return review


def session_reviews(mentor_id: int, *, db: Session, limit: int = 20) -> list[ReviewPublic]:
    rows = db.exec(
        select(Review, User.full_name)
        .join(User, col(User.id) == Review.learner_id)
        .where(Review.mentor_id == mentor_id)
        .order_by(col(Review.created_at).desc())
        .limit(limit)
    ).all()
    return [ReviewPublic.model_validate({**r.model_dump(), "learner_name": name}) for r, name in rows]
