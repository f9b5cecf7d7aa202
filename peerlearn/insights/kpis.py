"""Business KPIs computed from the database for a date range [start, end). Money is reported per currency,
never summed across currencies. Every figure has a definition key into DEFINITIONS."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from peerlearn.models import (
    Booking,
    EvaluationRun,
    InteractionEvent,
    LearningSession,
    LedgerEntry,
    LedgerTransaction,
    MarketingSpend,
    Payment,
    Refund,
    Review,
    SessionSkill,
    Skill,
    User,
)
from peerlearn.models.enums import (
    AttendanceStatus,
    BookingStatus,
    InteractionKind,
    LedgerAccount,
    PaymentStatus,
    RefundStatus,
)
from peerlearn.models.types import as_utc, utcnow
from peerlearn.money import from_minor
from peerlearn.platform.errors import ValidationError
from peerlearn.redis_client import shared_redis
from peerlearn.subscriptions.queries import recurring_revenue

PAID = [PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED]
TAKEN = [BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]

DEFINITIONS: dict[str, str] = {
    "gross_booking_value": (
        "Sum of what learners paid through a gateway for payments made in the range, before refunds (per currency)."
    ),
    "platform_revenue": (
        "PeerLearn's commission: the credit to the platform-revenue ledger account in the range, net of the commission "
        "reversed by refunds (per currency)."
    ),
    "coupon_expense": "Coupon discounts PeerLearn paid for in the range, net of reversals (per currency).",
    "net_revenue": "Platform revenue minus coupon expense (per currency).",
    "refunds": "Sum of refunds issued in the range (per currency).",
    "mrr": (
        "Monthly recurring revenue from mentor subscriptions now: each paying (active or past-due) subscription's "
        "price per month, a yearly price counted as a twelfth; trials pay nothing yet (per currency)."
    ),
    "arr": "Annual recurring revenue: 12 x MRR (subscriptions).",
    "churned_mrr": (
        "MRR of paid subscriptions that ended in the range (cancelled or expired); an upgrade is not churn (per "
        "currency)."
    ),
    "expansion_mrr": "MRR added by upgrades to a dearer plan in the range (per currency).",
    "subscribers_by_plan": "Mentors on each paid plan now, trials included (per currency).",
    "trial_conversion": "Trials that ended in the range and were paid for afterwards, divided by trials ended.",
    "subscription_revenue": (
        "What mentors paid for their plans in the range: the credit to the subscription-revenue ledger account, net "
        "of refunds (per currency). Platform revenue, kept apart from commission."
    ),
    "commission_run_rate": (
        "Commission run-rate: commission (platform revenue from bookings) in the 30 days before the end of the range "
        "(per currency). Not recurring revenue: learners are not subscribed."
    ),
    "commission_run_rate_annual": "Commission run-rate x 12.",
    "revenue_per_active_learner": (
        "Platform revenue in the range divided by active learners in the range (per currency)."
    ),
    "revenue_by_month": "Platform revenue per calendar month (per currency).",
    "gbv_by_gateway": "Gross booking value per payment gateway and currency.",
    "signups_per_week": "New accounts per ISO week (Monday start).",
    "active_learners": "Learners who made at least one booking in the range.",
    "cohort_retention": (
        "For each sign-up month, the share of that month's learners who booked again in each later month."
    ),
    "ltv": (
        "Lifetime value so far: platform revenue from a learner's payments, averaged over every learner who signed up "
        "(per currency)."
    ),
    "projected_ltv": (
        "LTV so far plus the average monthly revenue per learner x the expected remaining months, where the expected "
        "remaining months = r / (1 - r) for the average month-on-month retention r (at most 24)."
    ),
    "cac": (
        "Customer acquisition cost: marketing spend entered for the range divided by sign-ups in the range (per "
        "currency)."
    ),
    "ltv_to_cac": "Projected LTV divided by CAC, in the same currency.",
    "funnel": (
        "Session views, bookings started, bookings paid (or confirmed when free), attended, and reviewed, in the range."
    ),
    "booking_conversion": "Bookings started divided by session views, in the range.",
    "completion_rate": "Bookings completed divided by bookings confirmed, for sessions that started in the range.",
    "cancellation_rate": "Bookings cancelled or refunded divided by all bookings made in the range.",
    "no_show_rate": "No-shows divided by completed plus no-shows, for sessions that started in the range.",
    "seat_utilisation": (
        "Seats booked (confirmed, completed or no-show) divided by seats offered, for sessions that started in the "
        "range."
    ),
    "active_mentor_share": "Mentors with a session starting in the range divided by all mentors.",
    "average_rating": "Mean of review ratings given in the range, with the distribution of 1 to 5 stars.",
    "skills_gap": (
        "Per skill: bookings (demand) and seats offered (supply) for sessions in the range; gap = demand - supply "
        "share."
    ),
    "recommendation_ctr": "Clicks on recommendations divided by recommendation impressions, in the range.",
    "recommendation_conversion": (
        "Bookings made from recommendations divided by recommendation impressions, in the range."
    ),
    "offline_evaluation": "Figures from the latest offline evaluation run of the recommender.",
}


# What each figure is called wherever an admin reads it: the dashboard's cards, the definitions page, the CSV.
LABELS: dict[str, str] = {
    "gross_booking_value": "Gross booking value",
    "platform_revenue": "Platform revenue",
    "coupon_expense": "Coupon expense",
    "net_revenue": "Net revenue",
    "refunds": "Refunds",
    "mrr": "MRR (subscriptions)",
    "arr": "ARR (subscriptions)",
    "churned_mrr": "Churned MRR",
    "expansion_mrr": "Expansion MRR",
    "subscribers_by_plan": "Subscribers by plan",
    "trial_conversion": "Trial conversion",
    "subscription_revenue": "Subscription revenue",
    "commission_run_rate": "Commission run-rate (last 30 days)",
    "commission_run_rate_annual": "Commission run-rate x 12",
    "revenue_per_active_learner": "Revenue per active learner",
    "revenue_by_month": "Platform revenue per month",
    "gbv_by_gateway": "Gross booking value by gateway",
    "signups_per_week": "Sign-ups per week",
    "active_learners": "Active learners",
    "cohort_retention": "Cohort retention",
    "ltv": "LTV so far",
    "projected_ltv": "Projected LTV",
    "average_month_retention": "Average month-on-month retention",
    "cac": "CAC",
    "ltv_to_cac": "LTV:CAC",
    "funnel": "Booking funnel",
    "booking_conversion": "Booking conversion",
    "completion_rate": "Completion rate",
    "cancellation_rate": "Cancellations",
    "no_show_rate": "No-shows",
    "seat_utilisation": "Seat utilisation",
    "active_mentor_share": "Active mentors",
    "average_rating": "Average rating",
    "rating_distribution": "Ratings",
    "skills_gap": "Skills: demand vs supply",
    "impressions": "Recommendation impressions",
    "clicks": "Recommendation clicks",
    "bookings": "Bookings from recommendations",
    "recommendation_ctr": "Recommendation CTR",
    "recommendation_conversion": "Recommendation conversion",
    "offline_evaluation": "Recommender: last offline evaluation",
}
# The figures that are amounts of money per currency, in minor units (some averages carry a fraction of one).
MONEY_KEYS = frozenset(
    {
        "gross_booking_value",
        "platform_revenue",
        "coupon_expense",
        "net_revenue",
        "refunds",
        "mrr",
        "arr",
        "churned_mrr",
        "expansion_mrr",
        "subscription_revenue",
        "commission_run_rate",
        "commission_run_rate_annual",
        "revenue_per_active_learner",
        "ltv",
        "projected_ltv",
        "cac",
    }
)


def label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


class KpiReport(BaseModel):
    start: datetime
    end: datetime
    revenue: dict[str, Any]
    learners: dict[str, Any]
    marketplace: dict[str, Any]
    recommender: dict[str, Any]
    definitions: dict[str, str] = DEFINITIONS


def default_range(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last 90 days, ending at the next whole minute (so repeated requests share a cache entry)."""
    now = now or utcnow()
    end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return end - timedelta(days=90), end


def _month(value: datetime) -> str:
    return value.strftime("%Y-%m")


def _money(rows: Iterable[tuple[str, int | None]]) -> dict[str, int]:
    return {currency: int(total or 0) for currency, total in rows}


def revenue(start: datetime, end: datetime, *, db: Session) -> dict[str, Any]:
    paid = db.exec(
        select(Payment.currency, func.sum(Payment.amount_minor))
        .where(col(Payment.status).in_(PAID), col(Payment.paid_at) >= start, col(Payment.paid_at) < end)
        .group_by(col(Payment.currency))
    ).all()

    def ledger(account: LedgerAccount, since: datetime, until: datetime) -> dict[str, int]:
        rows = db.exec(
            select(LedgerEntry.currency, func.sum(LedgerEntry.amount_minor))
            .join(LedgerTransaction, col(LedgerTransaction.id) == LedgerEntry.transaction_id)
            .where(
                LedgerEntry.account == account,
                LedgerTransaction.created_at >= since,
                LedgerTransaction.created_at < until,
            )
            .group_by(col(LedgerEntry.currency))
        ).all()
        return _money(rows)

    platform = {c: -v for c, v in ledger(LedgerAccount.PLATFORM_REVENUE, start, end).items()}
    coupons = ledger(LedgerAccount.COUPON_EXPENSE, start, end)
    refunds = _money(
        db.exec(
            select(Refund.currency, func.sum(Refund.amount_minor))
            .where(Refund.status != RefundStatus.FAILED, Refund.created_at >= start, Refund.created_at < end)
            .group_by(col(Refund.currency))
        ).all()
    )
    run_rate = {c: -v for c, v in ledger(LedgerAccount.PLATFORM_REVENUE, end - timedelta(days=30), end).items()}
    recurring = recurring_revenue(start, end, db=db)
    subscription_revenue = {c: -v for c, v in ledger(LedgerAccount.PLATFORM_SUBSCRIPTION_REVENUE, start, end).items()}
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for created_at, currency, amount in db.exec(
        select(LedgerTransaction.created_at, LedgerEntry.currency, LedgerEntry.amount_minor)
        .join(LedgerEntry, col(LedgerEntry.transaction_id) == LedgerTransaction.id)
        .where(
            LedgerEntry.account == LedgerAccount.PLATFORM_REVENUE,
            LedgerTransaction.created_at >= start,
            LedgerTransaction.created_at < end,
        )
    ).all():
        month = _month(as_utc(created_at))
        by_month[month][currency] = by_month[month].get(currency, 0) - amount
    by_gateway = [
        {"gateway": g, "currency": c, "gbv_minor": int(v)}
        for g, c, v in db.exec(
            select(Payment.provider, Payment.currency, func.sum(Payment.amount_minor))
            .where(col(Payment.status).in_(PAID), col(Payment.paid_at) >= start, col(Payment.paid_at) < end)
            .group_by(col(Payment.provider), col(Payment.currency))
        ).all()
    ]
    active = _active_learners(start, end, db=db)
    currencies = sorted(set(platform) | set(coupons) | set(_money(paid)))
    return {
        "gross_booking_value": _money(paid),
        "platform_revenue": platform,
        "coupon_expense": coupons,
        "net_revenue": {c: platform.get(c, 0) - coupons.get(c, 0) for c in currencies},
        "refunds": refunds,
        "mrr": {f.currency: f.mrr_minor for f in recurring},
        "arr": {f.currency: f.arr_minor for f in recurring},
        "churned_mrr": {f.currency: f.churned_mrr_minor for f in recurring},
        "expansion_mrr": {f.currency: f.expansion_mrr_minor for f in recurring},
        "subscribers_by_plan": {
            f"{plan} in {f.currency}": n for f in recurring for plan, n in sorted(f.subscribers_by_plan.items())
        },
        "trial_conversion": {f.currency: f.trial_conversion for f in recurring},
        "subscription_revenue": subscription_revenue,
        "commission_run_rate": run_rate,
        "commission_run_rate_annual": {c: 12 * v for c, v in run_rate.items()},
        "revenue_per_active_learner": {c: round(v / active, 2) if active else 0.0 for c, v in platform.items()},
        "revenue_by_month": [{"month": m, **by_month[m]} for m in sorted(by_month)],
        "gbv_by_gateway": by_gateway,
    }


def _active_learners(start: datetime, end: datetime, *, db: Session) -> int:
    return db.exec(
        select(func.count(func.distinct(Booking.learner_id))).where(
            Booking.created_at >= start, Booking.created_at < end
        )
    ).one()


def learners(start: datetime, end: datetime, *, db: Session) -> dict[str, Any]:
    people = db.exec(select(User.id, User.created_at).where(User.is_learner, col(User.is_admin).is_(False))).all()
    weeks: dict[str, int] = defaultdict(int)
    for _, created in people:
        created = as_utc(created)
        if start <= created < end:
            monday = (created - timedelta(days=created.weekday())).date()
            weeks[monday.isoformat()] += 1
    signup_month = {uid: _month(as_utc(created)) for uid, created in people if uid is not None}
    booked_months: dict[int, set[str]] = defaultdict(set)
    for learner_id, created in db.exec(select(Booking.learner_id, Booking.created_at)).all():
        booked_months[learner_id].add(_month(as_utc(created)))
    cohorts = _cohorts(signup_month, booked_months, end)
    platform_by_learner = _platform_revenue_by_learner(db=db)
    n_learners = max(len(people), 1)
    ltv = {
        c: round(sum(v.get(c, 0) for v in platform_by_learner.values()) / n_learners, 2)
        for c in {c for v in platform_by_learner.values() for c in v}
    }
    retention = _average_month_retention(cohorts)
    remaining_months = min(24.0, retention / (1 - retention)) if retention < 1 else 24.0
    months_observed = max(1.0, (end - min((as_utc(c) for _, c in people), default=end)).days / 30)
    projected = {c: round(v + v / months_observed * remaining_months, 2) for c, v in ltv.items()}
    spend = _money(
        db.exec(
            select(MarketingSpend.currency, func.sum(MarketingSpend.amount_minor))
            .where(MarketingSpend.month >= start.date(), MarketingSpend.month < end.date())
            .group_by(col(MarketingSpend.currency))
        ).all()
    )
    signups = sum(weeks.values())
    cac = {c: round(v / signups, 2) for c, v in spend.items()} if signups else {}
    return {
        "signups_per_week": [{"week": w, "signups": weeks[w]} for w in sorted(weeks)],
        "active_learners": _active_learners(start, end, db=db),
        "cohort_retention": cohorts,
        "ltv": ltv,
        "projected_ltv": projected,
        "average_month_retention": round(retention, 4),
        "cac": cac,
        "ltv_to_cac": {c: round(projected[c] / cac[c], 2) for c in cac if c in projected and cac[c]},
    }


def _cohorts(
    signup_month: dict[int, str], booked_months: dict[int, set[str]], end: datetime, horizon: int = 6
) -> list[dict[str, Any]]:
    members: dict[str, list[int]] = defaultdict(list)
    for uid, month in signup_month.items():
        members[month].append(uid)
    rows = []
    for month in sorted(members)[-12:]:
        year, mon = map(int, month.split("-"))
        shares = []
        for k in range(1, horizon + 1):
            later = date(year + (mon - 1 + k) // 12, (mon - 1 + k) % 12 + 1, 1)
            if later > end.date():
                break
            later_key = later.strftime("%Y-%m")
            shares.append(
                round(sum(1 for u in members[month] if later_key in booked_months.get(u, ())) / len(members[month]), 4)
            )
        rows.append({"cohort": month, "size": len(members[month]), "retention": shares})
    return rows


def _average_month_retention(cohorts: list[dict[str, Any]]) -> float:
    firsts = [c["retention"][0] for c in cohorts if c["retention"] and c["size"] >= 5]
    return sum(firsts) / len(firsts) if firsts else 0.0


def _platform_revenue_by_learner(*, db: Session) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for learner_id, currency, amount in db.exec(
        select(Payment.learner_id, LedgerEntry.currency, func.sum(LedgerEntry.amount_minor))
        .join(LedgerTransaction, col(LedgerTransaction.id) == LedgerEntry.transaction_id)
        .join(Payment, col(Payment.id) == LedgerTransaction.payment_id)
        .where(LedgerEntry.account == LedgerAccount.PLATFORM_REVENUE)
        .group_by(col(Payment.learner_id), col(LedgerEntry.currency))
    ).all():
        out[learner_id][currency] = -int(amount)
    return out


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return func.sum(sa.case((condition, 1), else_=0))


def marketplace(start: datetime, end: datetime, *, db: Session) -> dict[str, Any]:
    """Aggregated in SQL: no booking row is loaded into Python."""
    views = db.exec(
        select(func.count())
        .select_from(InteractionEvent)
        .where(
            InteractionEvent.kind == InteractionKind.VIEW,
            InteractionEvent.created_at >= start,
            InteractionEvent.created_at < end,
        )
    ).one()
    made, paid, cancelled = db.exec(
        select(
            func.count(),
            _count_if(col(Booking.confirmed_at).is_not(None)),
            _count_if(col(Booking.status).in_([BookingStatus.CANCELLED, BookingStatus.REFUNDED])),
        ).where(Booking.created_at >= start, Booking.created_at < end)
    ).one()
    # Five columns: past the four SQLModel's `select` is typed for, so this one is a SQLAlchemy Core select.
    attended, confirmed, completed, no_shows, booked = (
        db.connection()
        .execute(
            sa.select(
                _count_if(col(Booking.attendance) == AttendanceStatus.ATTENDED),
                _count_if(col(Booking.confirmed_at).is_not(None)),
                _count_if(col(Booking.status) == BookingStatus.COMPLETED),
                _count_if(col(Booking.status) == BookingStatus.NO_SHOW),
                _count_if(col(Booking.status).in_(TAKEN)),
            )
            .join(LearningSession, col(LearningSession.id) == Booking.session_id)
            .where(col(LearningSession.start_at) >= start, col(LearningSession.start_at) < end)
        )
        .one()
    )
    made, paid, cancelled = made or 0, paid or 0, cancelled or 0
    attended, confirmed, completed, no_shows, booked = (
        v or 0 for v in (attended, confirmed, completed, no_shows, booked)
    )
    reviewed = db.exec(
        select(func.count()).select_from(Review).where(Review.created_at >= start, Review.created_at < end)
    ).one()
    offered, active_mentors = db.exec(
        select(
            func.coalesce(func.sum(LearningSession.capacity), 0), func.count(func.distinct(LearningSession.mentor_id))
        ).where(LearningSession.start_at >= start, LearningSession.start_at < end)
    ).one()
    mentors = db.exec(select(func.count()).select_from(User).where(User.is_mentor)).one()
    ratings = dict(
        db.exec(
            select(Review.rating, func.count())
            .where(Review.created_at >= start, Review.created_at < end)
            .group_by(col(Review.rating))
        ).all()
    )
    n_ratings = sum(ratings.values())
    return {
        "funnel": [
            {"stage": "Session views", "count": views},
            {"stage": "Bookings started", "count": made},
            {"stage": "Paid or confirmed", "count": paid},
            {"stage": "Attended", "count": attended},
            {"stage": "Reviewed", "count": reviewed},
        ],
        "booking_conversion": round(made / views, 4) if views else 0.0,
        "completion_rate": round(completed / confirmed, 4) if confirmed else 0.0,
        "cancellation_rate": round(cancelled / made, 4) if made else 0.0,
        "no_show_rate": round(no_shows / (completed + no_shows), 4) if completed + no_shows else 0.0,
        "seat_utilisation": round(booked / offered, 4) if offered else 0.0,
        "active_mentor_share": round(active_mentors / mentors, 4) if mentors else 0.0,
        "average_rating": round(sum(r * n for r, n in ratings.items()) / n_ratings, 2) if n_ratings else None,
        "rating_distribution": {str(star): ratings.get(star, 0) for star in range(1, 6)},
        "skills_gap": _skills_gap(start, end, db=db),
    }


def _skills_gap(start: datetime, end: datetime, *, db: Session, top: int = 10) -> list[dict[str, Any]]:
    in_range = sa.and_(col(LearningSession.start_at) >= start, col(LearningSession.start_at) < end)
    supply = dict(
        db.exec(
            select(Skill.name, func.sum(LearningSession.capacity))
            .join(SessionSkill, col(SessionSkill.skill_id) == Skill.id)
            .join(LearningSession, col(LearningSession.id) == SessionSkill.session_id)
            .where(in_range)
            .group_by(col(Skill.name))
        ).all()
    )
    demand = dict(
        db.exec(
            select(Skill.name, func.count(col(Booking.id)))
            .join(SessionSkill, col(SessionSkill.skill_id) == Skill.id)
            .join(LearningSession, col(LearningSession.id) == SessionSkill.session_id)
            .join(Booking, col(Booking.session_id) == LearningSession.id)
            .where(in_range, col(Booking.status).in_(TAKEN))
            .group_by(col(Skill.name))
        ).all()
    )
    total_demand, total_supply = max(sum(demand.values()), 1), max(sum(supply.values()), 1)
    rows: list[dict[str, Any]] = [
        {
            "skill": k,
            "demand": int(demand.get(k, 0)),
            "supply": int(supply[k]),
            "gap": round(demand.get(k, 0) / total_demand - supply[k] / total_supply, 4),
        }
        for k in supply
    ]
    return sorted(rows, key=lambda r: -r["demand"])[:top]


def recommender(start: datetime, end: datetime, *, db: Session) -> dict[str, Any]:
    def count(kind: InteractionKind) -> int:
        return db.exec(
            select(func.count())
            .select_from(InteractionEvent)
            .where(
                InteractionEvent.kind == kind,
                InteractionEvent.source == "recommendations",
                InteractionEvent.created_at >= start,
                InteractionEvent.created_at < end,
            )
        ).one()

    impressions, clicks, books = (
        count(InteractionKind.IMPRESSION),
        count(InteractionKind.CLICK),
        count(InteractionKind.BOOK),
    )
    latest = db.exec(
        select(EvaluationRun)
        .where(EvaluationRun.kind == "recommender_offline")
        .order_by(col(EvaluationRun.created_at).desc())
    ).first()
    return {
        "impressions": impressions,
        "clicks": clicks,
        "bookings": books,
        "recommendation_ctr": round(clicks / impressions, 4) if impressions else 0.0,
        "recommendation_conversion": round(books / impressions, 4) if impressions else 0.0,
        "offline_evaluation": latest.figures if latest else None,
    }


def kpi_report(start: datetime | None, end: datetime | None, *, db: Session) -> KpiReport:
    default_start, default_end = default_range()
    start, end = as_utc(start or default_start), as_utc(end or default_end)
    if end <= start:
        raise ValidationError("The end of the range must be after its start.")
    return KpiReport(
        start=start,
        end=end,
        revenue=revenue(start, end, db=db),
        learners=learners(start, end, db=db),
        marketplace=marketplace(start, end, db=db),
        recommender=recommender(start, end, db=db),
    )


_memory_cache: dict[str, str] = {}
CACHE_ENTRIES = 32
CACHE_SECONDS = 300


def cached_kpi_report(start: datetime | None, end: datetime | None, *, db: Session) -> KpiReport:
    """The report, reused until a booking, payment or refund lands (Redis when configured, memory otherwise)."""
    default_start, default_end = default_range()
    start, end = as_utc(start or default_start), as_utc(end or default_end)
    key = f"peerlearn:kpis:{start.isoformat()}:{end.isoformat()}:{':'.join(map(str, data_version(db=db)))}"
    client = shared_redis()
    raw = client.get(key) if client else _memory_cache.get(key)
    if raw:
        return KpiReport.model_validate_json(str(raw))  # the shared client decodes replies to str
    report = kpi_report(start, end, db=db)
    if client:
        client.set(key, report.model_dump_json(), ex=CACHE_SECONDS)
    else:
        if len(_memory_cache) >= CACHE_ENTRIES:
            _memory_cache.pop(next(iter(_memory_cache)))
        _memory_cache[key] = report.model_dump_json()
    return report


def _major(amount_minor: int | float, currency: str) -> str:
    """An amount in the currency's main unit as the CSV writes it: 1250 USD -> '12.50' (averages to the cent)."""
    return str(from_minor(int(round(amount_minor)), currency))


def _currencies(values: Iterable[dict[str, Any]]) -> list[str]:
    return sorted({c for v in values for c in v})


def _summary_rows(report: KpiReport) -> tuple[list[str], list[list[Any]]]:
    """Section, KPI, Value, then one 'Amount (XXX)' column per currency in major units; a money figure fills only
    its currency columns, any other figure only Value."""
    sections = (
        ("Revenue", report.revenue),
        ("Learners", report.learners),
        ("Marketplace", report.marketplace),
        ("Recommender", report.recommender),
    )
    scalars = [(name, k, v) for name, values in sections for k, v in values.items() if not isinstance(v, list)]
    currencies = _currencies(v for _, k, v in scalars if k in MONEY_KEYS and isinstance(v, dict))
    rows: list[list[Any]] = []
    for section, key, value in scalars:
        if key == "offline_evaluation":
            continue  # a table of its own
        if key in MONEY_KEYS and isinstance(value, dict):
            amounts = [_major(value[c], c) if c in value else "" for c in currencies]
            rows.append([section, label(key), "", *amounts])
        elif isinstance(value, dict):  # per currency (LTV:CAC) or per star (ratings): one row each
            rows += [[section, f"{label(key)} ({k})", v, *[""] * len(currencies)] for k, v in sorted(value.items())]
        else:
            rows.append([section, label(key), "" if value is None else value, *[""] * len(currencies)])
    return ["Section", "KPI", "Value", *[f"Amount ({c})" for c in currencies]], rows


def _offline_rows(figures: dict[str, Any] | None) -> tuple[list[str], list[list[Any]]]:
    if not figures:
        return [], []
    k = figures.get("k", 10)
    models = [("engine", figures.get("engine", {})), ("engine (new learners)", figures.get("engine_cold", {}))]
    models += sorted(figures.get("baselines", {}).items())
    metrics = [f"ndcg@{k}", f"recall@{k}", f"hit_rate@{k}", "coverage"]
    header = ["Model", f"NDCG@{k}", f"Recall@{k}", f"Hit rate@{k}", "Coverage"]
    return header, [[name, *[m.get(x, "") for x in metrics]] for name, m in models if m]


def report_csv(report: KpiReport) -> str:
    """Every table of the report as CSV: one block per table, headed by its name. Money has one column per currency
    with the currency in the header ('Revenue (USD)'), in major units ('12.50'); no column mixes currencies."""
    out = io.StringIO()
    writer = csv.writer(out)

    def block(name: str, header: list[str], rows: list[list[Any]]) -> None:
        writer.writerow([f"# {name}"])
        if rows:
            writer.writerow(header)
            writer.writerows(rows)
        writer.writerow([])

    block("Summary", *_summary_rows(report))
    by_month = report.revenue["revenue_by_month"]
    currencies = _currencies({k: v for k, v in row.items() if k != "month"} for row in by_month)
    block(
        label("revenue_by_month"),
        ["Month", *[f"Revenue ({c})" for c in currencies]],
        [[row["month"], *[_major(row.get(c, 0), c) for c in currencies]] for row in by_month],
    )
    gateways = report.revenue["gbv_by_gateway"]
    gbv: dict[str, dict[str, int]] = defaultdict(dict)
    for g in gateways:
        gbv[g["gateway"]][g["currency"]] = g["gbv_minor"]
    gbv_currencies = _currencies(gbv.values())
    block(
        label("gbv_by_gateway"),
        ["Gateway", *[f"GBV ({c})" for c in gbv_currencies]],
        [[name, *[_major(gbv[name][c], c) if c in gbv[name] else "" for c in gbv_currencies]] for name in sorted(gbv)],
    )
    block(
        label("signups_per_week"),
        ["Week (starts Monday)", "Sign-ups"],
        [[w["week"], w["signups"]] for w in report.learners["signups_per_week"]],
    )
    cohorts = report.learners["cohort_retention"]
    months = max((len(c["retention"]) for c in cohorts), default=0)
    block(
        label("cohort_retention"),
        ["Sign-up month", "Learners", *[f"Booked again in month +{i + 1} (share)" for i in range(months)]],
        [[c["cohort"], c["size"], *c["retention"]] for c in cohorts],
    )
    funnel = report.marketplace["funnel"]
    top = funnel[0]["count"] if funnel else 0
    block(
        label("funnel"),
        ["Step", "Count", "Share of session views"],
        [[f["stage"], f["count"], round(f["count"] / top, 4) if top else ""] for f in funnel],
    )
    block(
        label("skills_gap"),
        ["Skill", "Bookings", "Seats offered", "Gap (share)"],
        [[r["skill"], r["demand"], r["supply"], r["gap"]] for r in report.marketplace["skills_gap"]],
    )
    block(label("offline_evaluation"), *_offline_rows(report.recommender.get("offline_evaluation")))
    return out.getvalue()


def data_version(*, db: Session) -> tuple[int, int, int]:
    """Changes whenever a booking, payment or refund lands (cheap: three max() reads)."""
    latest = [
        db.exec(select(func.coalesce(func.max(col(model.id)), 0))).one()
        for model in (Booking, Payment, LedgerTransaction)
    ]
    return latest[0] or 0, latest[1] or 0, latest[2] or 0


def record_marketing_spend(month: date, amount_minor: int, currency: str, *, db: Session) -> MarketingSpend:
    if amount_minor < 0:
        raise ValidationError("Marketing spend cannot be negative.")
    first = month.replace(day=1)
    row = db.exec(
        select(MarketingSpend).where(MarketingSpend.month == first, MarketingSpend.currency == currency.upper())
    ).first()
    row = row or MarketingSpend(month=first, amount_minor=0, currency=currency.upper())
    row.amount_minor = amount_minor
    db.add(row)
    return row
