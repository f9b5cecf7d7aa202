"""Advice for mentors drafting a session: a price range from comparable sessions, and the chance that a
booking ends attended and rated 4 or more (a model trained on past bookings, evaluated on a time split)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sqlmodel import Session, col, func, select

from peerlearn.models import Booking, LearningSession, MentorProfile, Review, SessionSkill, Skill
from peerlearn.models.enums import AttendanceStatus, BookingStatus, SessionStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.money import format_money

MIN_COMPARABLE = 5
MIN_TRAINING = 60


class PriceSuggestion(BaseModel):
    low_minor: int | None
    high_minor: int | None
    currency: str
    reason: str


class SuccessHint(BaseModel):
    probability: float | None
    reason: str


def suggest_price(skills: list[str], currency: str, *, db: Session) -> PriceSuggestion:
    """The middle half of prices of comparable sessions that filled at least half their seats.

    Comparable means the same skill and the same currency.
    """
    names = [s.strip().lower() for s in skills if s.strip()]
    query = (
        select(LearningSession.price_minor, LearningSession.capacity, func.count(col(Booking.id)))
        .join(SessionSkill, col(SessionSkill.session_id) == LearningSession.id)
        .join(Skill, col(Skill.id) == SessionSkill.skill_id)
        .outerjoin(
            Booking,
            (col(Booking.session_id) == LearningSession.id)
            & col(Booking.status).in_([BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]),
        )
        .where(
            func.lower(Skill.name).in_(names),
            LearningSession.currency == currency.upper(),
            LearningSession.price_minor > 0,
        )
        .group_by(col(LearningSession.id), col(LearningSession.price_minor), col(LearningSession.capacity))
    )
    rows = db.exec(query).all() if names else []
    filled = [price for price, capacity, booked in rows if booked >= capacity / 2]
    if len(filled) < MIN_COMPARABLE:
        return PriceSuggestion(
            low_minor=None,
            high_minor=None,
            currency=currency.upper(),
            reason=(
                f"Too few comparable {currency.upper()} sessions that filled up ({len(filled)}) to suggest a price yet."
            ),
        )
    low, high = (int(v) for v in np.percentile(filled, [25, 75]))
    return PriceSuggestion(
        low_minor=low,
        high_minor=high,
        currency=currency.upper(),
        reason=f"Half of the {len(filled)} comparable sessions ({', '.join(skills)}) that filled at least half "
        f"their seats charged between {format_money(low, currency)} and {format_money(high, currency)}.",
    )


def _rows(db: Session, until: datetime) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per finished booking: mentor rating and count, price, capacity, hour of day; outcome attended and rated 4+."""
    reviews = dict(db.exec(select(Review.booking_id, Review.rating)).all())
    data = db.exec(
        select(Booking, LearningSession, MentorProfile)
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .outerjoin(MentorProfile, col(MentorProfile.user_id) == LearningSession.mentor_id)
        .where(LearningSession.status == SessionStatus.COMPLETED, LearningSession.end_at < until)
    ).all()
    x = np.array(
        [
            [
                (m.rating_avg if m else 0) or 0,
                (m.rating_count if m else 0) or 0,
                s.price_minor / 100,
                s.capacity,
                s.start_at.hour,
            ]
            for _, s, m in data
        ],
        dtype=np.float64,
    ).reshape(-1, 5)
    y = np.array(
        [1 if b.attendance == AttendanceStatus.ATTENDED and reviews.get(saved_id(b), 0) >= 4 else 0 for b, _, _ in data]
    )
    when = np.array([s.start_at.timestamp() for _, s, _ in data])
    return x, y, when


class _SuccessModel:
    def __init__(self) -> None:
        self.pipeline = None
        self.auc: float | None = None
        self.trained_at: datetime | None = None
        self.trained_on = -1
        self.lock = threading.Lock()

    def ensure(self, db: Session) -> None:
        """Train at first use, then again daily or as soon as more sessions have finished."""
        finished = db.exec(
            select(func.count()).select_from(LearningSession).where(LearningSession.status == SessionStatus.COMPLETED)
        ).one()
        with self.lock:
            if self.trained_at and finished == self.trained_on and utcnow() - self.trained_at < timedelta(days=1):
                return
            x, y, when = _rows(db, utcnow())
            self.trained_at, self.trained_on = utcnow(), finished
            if len(y) < MIN_TRAINING or len(set(y)) < 2:
                self.pipeline = None
                return
            order = np.argsort(when)
            cut = int(len(order) * 0.75)  # train on the earlier three quarters, evaluate on the latest quarter
            train, test = order[:cut], order[cut:]
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(x[train], y[train])
            self.auc = (
                round(float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1])), 3)
                if len(set(y[test])) == 2
                else None
            )
            self.pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(x, y)


_MODEL = _SuccessModel()


def session_success_hint(
    mentor_id: int, price_minor: int, capacity: int, start_at: datetime, *, db: Session
) -> SuccessHint:
    _MODEL.ensure(db)
    if _MODEL.pipeline is None:
        return SuccessHint(
            probability=None, reason="Not enough finished sessions yet to estimate how bookings will go."
        )
    profile = db.get(MentorProfile, mentor_id)
    features = np.array(
        [
            [
                profile.rating_avg if profile else 0,
                profile.rating_count if profile else 0,
                price_minor / 100,
                capacity,
                start_at.hour,
            ]
        ]
    )
    probability = float(_MODEL.pipeline.predict_proba(features)[0, 1])
    quality = f" (model ROC AUC {_MODEL.auc} on the latest quarter of bookings)" if _MODEL.auc is not None else ""
    return SuccessHint(
        probability=round(probability, 3),
        reason=f"About {probability:.0%} of bookings like this end attended and rated 4 or more{quality}.",
    )
