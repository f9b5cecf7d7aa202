"""Churn: the probability that an active learner books nothing in the next 60 days.

Trained on the database with an honest time split: features are computed at a
snapshot from what happened before it, labels from the 60 days after it. The
model trains on one snapshot and is evaluated (ROC AUC, Brier score, a
reliability table) on a later one, against a recency-only baseline."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sqlmodel import Session, col, select

from peerlearn.insights.kpis import PAID
from peerlearn.models import Booking, EvaluationRun, InteractionEvent, Payment, Review, User
from peerlearn.models.enums import BookingStatus, InteractionKind
from peerlearn.models.types import as_utc, utcnow

HORIZON = timedelta(days=60)
ACTIVE_WINDOW = timedelta(days=90)
FEATURES = (
    "recency_days",
    "bookings_90d",
    "bookings_all",
    "spend",
    "ratings_given",
    "cancellations",
    "rec_clicks",
    "tenure_days",
)
MIN_LEARNERS = 40


@dataclass
class ChurnModel:
    trained_at: datetime
    enough_data: bool
    message: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    pipeline: Pipeline | None = None


@dataclass
class _History:
    signup: dict[int, datetime]
    bookings: dict[int, list[tuple[datetime, str]]]
    spend: dict[int, list[tuple[datetime, int]]]
    ratings: dict[int, list[datetime]]
    clicks: dict[int, list[datetime]]


def _load(*, db: Session) -> _History:
    # A selected enum column is typed by its `str` base (SQLModel's `select` overloads); the values are BookingStatus.
    bookings: defaultdict[int, list[tuple[datetime, str]]] = defaultdict(list)
    spend: defaultdict[int, list[tuple[datetime, int]]] = defaultdict(list)
    ratings: defaultdict[int, list[datetime]] = defaultdict(list)
    clicks: defaultdict[int, list[datetime]] = defaultdict(list)
    for learner, created, status in db.exec(select(Booking.learner_id, Booking.created_at, Booking.status)).all():
        bookings[learner].append((as_utc(created), status))
    for learner, paid_at, amount in db.exec(
        select(Payment.learner_id, Payment.paid_at, Payment.amount_minor).where(col(Payment.status).in_(PAID))
    ).all():
        if paid_at is not None:  # a paid status always has its time
            spend[learner].append((as_utc(paid_at), amount))
    for learner, created in db.exec(select(Review.learner_id, Review.created_at)).all():
        ratings[learner].append(as_utc(created))
    for learner, created in db.exec(
        select(InteractionEvent.user_id, InteractionEvent.created_at).where(
            InteractionEvent.kind == InteractionKind.CLICK, InteractionEvent.source == "recommendations"
        )
    ).all():
        clicks[learner].append(as_utc(created))
    signup = {
        uid: as_utc(c)
        for uid, c in db.exec(select(User.id, User.created_at).where(User.is_learner, col(User.is_admin).is_(False)))
        if uid is not None
    }
    return _History(signup, bookings, spend, ratings, clicks)


def _snapshot(h: _History, at: datetime) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Learners active in the 90 days before `at`, their features then, and whether they churned after."""
    ids, rows, labels = [], [], []
    for uid, joined in h.signup.items():
        past = [(t, s) for t, s in h.bookings.get(uid, []) if t < at]
        if joined >= at or not any(t >= at - ACTIVE_WINDOW for t, _ in past):
            continue
        last = max(t for t, _ in past)
        rows.append(
            [
                (at - last).days,
                sum(1 for t, _ in past if t >= at - ACTIVE_WINDOW),
                len(past),
                sum(a for t, a in h.spend.get(uid, []) if t < at) / 100,
                sum(1 for t in h.ratings.get(uid, []) if t < at),
                sum(1 for t, s in past if s in (BookingStatus.CANCELLED, BookingStatus.REFUNDED)),
                sum(1 for t in h.clicks.get(uid, []) if t < at),
                (at - joined).days,
            ]
        )
        labels.append(0 if any(at <= t < at + HORIZON for t, _ in h.bookings.get(uid, [])) else 1)
        ids.append(uid)
    return ids, np.array(rows, dtype=float).reshape(-1, len(FEATURES)), np.array(labels)


def _reliability(y: np.ndarray, p: np.ndarray, bins: int = 5) -> list[dict[str, Any]]:
    edges = np.linspace(0, 1, bins + 1)
    table = []
    for lo, hi in pairwise(edges):
        inside = (p >= lo) & (p < hi) if hi < 1 else (p >= lo)
        if inside.any():
            table.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(inside.sum()),
                    "predicted": round(float(p[inside].mean()), 3),
                    "observed": round(float(y[inside].mean()), 3),
                }
            )
    return table


def train_churn(*, db: Session, now: datetime | None = None) -> ChurnModel:
    now = now or utcnow()
    h = _load(db=db)
    test_at, train_at = now - HORIZON, now - 2 * HORIZON
    _, x_train, y_train = _snapshot(h, train_at)
    _, x_test, y_test = _snapshot(h, test_at)
    if len(y_train) < MIN_LEARNERS or len(y_test) < MIN_LEARNERS or len(set(y_train)) < 2 or len(set(y_test)) < 2:
        return ChurnModel(
            now,
            False,
            f"Not enough history to predict churn honestly yet (need {MIN_LEARNERS} active learners with both "
            f"outcomes in each of two 60-day windows; have {len(y_train)} and {len(y_test)}).",
        )
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x_train, y_train)
    recency = LogisticRegression().fit(x_train[:, :1], y_train)
    p_model, p_recency = model.predict_proba(x_test)[:, 1], recency.predict_proba(x_test[:, :1])[:, 1]
    figures = {
        "train_snapshot": train_at.date().isoformat(),
        "test_snapshot": test_at.date().isoformat(),
        "train_learners": int(len(y_train)),
        "test_learners": int(len(y_test)),
        "test_churn_rate": round(float(y_test.mean()), 3),
        "roc_auc": round(float(roc_auc_score(y_test, p_model)), 4),
        "recency_only_roc_auc": round(float(roc_auc_score(y_test, p_recency)), 4),
        "brier": round(float(brier_score_loss(y_test, p_model)), 4),
        "recency_only_brier": round(float(brier_score_loss(y_test, p_recency)), 4),
        "reliability": _reliability(y_test, p_model),
        "coefficients": dict(zip(FEATURES, (round(float(c), 3) for c in model[-1].coef_[0]), strict=True)),
    }
    # What ships is refitted on the latest labelled snapshot, so it knows the most recent behaviour.
    final = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x_test, y_test)
    return ChurnModel(now, True, figures=figures, pipeline=final)


_cache: dict[str, ChurnModel] = {}
_lock = threading.Lock()


def current_model(*, db: Session) -> ChurnModel:
    with _lock:
        if "model" not in _cache:
            _cache["model"] = train_churn(db=db)
        return _cache["model"]


def retrain_churn_model(*, db: Session, now: datetime | None = None) -> int:
    """Scheduler job: retrain once a day; the figures are kept as an evaluation run for the dashboard."""
    model = _cache.get("model")
    if model is not None and utcnow() - model.trained_at < timedelta(days=1):
        return 0
    model = train_churn(db=db, now=now)
    with _lock:
        _cache["model"] = model
    db.add(EvaluationRun(kind="churn_model", figures=model.figures or {"message": model.message}))
    return 1


def at_risk(*, db: Session, limit: int = 20) -> tuple[ChurnModel, list[dict[str, Any]]]:
    """Active learners now, most likely to churn first."""
    model = current_model(db=db)
    if not model.enough_data or model.pipeline is None:
        return model, []
    h = _load(db=db)
    ids, x, _ = _snapshot(h, utcnow())
    if not ids:
        return model, []
    probability = model.pipeline.predict_proba(x)[:, 1]
    names = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(ids))).all())
    order = np.argsort(-probability)[:limit]
    return model, [
        {
            "learner_id": ids[i],
            "name": names.get(ids[i], ""),
            "churn_probability": round(float(probability[i]), 3),
            "days_since_last_booking": int(x[i, 0]),
            "bookings_90d": int(x[i, 1]),
        }
        for i in order
    ]
