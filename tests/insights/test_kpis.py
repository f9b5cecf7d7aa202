"""Each KPI against a small marketplace whose figures are worked out by hand: two currencies, a refund,
a cancelled booking, a no-show, a review; plus access control and the churn model's honesty."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.booking.actions import book_session, cancel_booking
from peerlearn.booking.reviews import ReviewCreate, submit_review
from peerlearn.catalog.actions import complete_session, mark_attendance
from peerlearn.insights import kpis
from peerlearn.models import InteractionEvent
from peerlearn.models.enums import InteractionKind
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user, token_for


def pay(db, learner, session_id):
    booking, payment = book_session(learner, session_id, db=db)
    db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=db), db=db)
    db.commit()
    return booking


@pytest.fixture
def market(db):
    now = utcnow()
    mentor = make_user(db, mentor=True)
    a, b, c = make_user(db), make_user(db), make_user(db)
    s1 = make_session(db, mentor, price_minor=10000, currency="USD", capacity=5, start_in=timedelta(days=3))
    s2 = make_session(db, mentor, price_minor=50000, currency="INR", capacity=5, start_in=timedelta(days=4))
    s3 = make_session(db, mentor, price_minor=4000, currency="USD", capacity=5, start_in=timedelta(days=5))
    s4 = make_session(
        db, mentor, capacity=5, now=now - timedelta(days=3), start_in=timedelta(days=2)
    )  # free, ended yesterday
    pay(db, a, s1)
    pay(db, b, s2)
    refunded = pay(db, c, s3)
    cancel_booking(c, refunded.id, db=db)  # full refund of 40.00 USD
    past = now - timedelta(days=3)
    book_session(a, s4, db=db, now=past)
    no_show = book_session(b, s4, db=db, now=past)[0]
    dropped = book_session(c, s4, db=db, now=past)[0]
    cancel_booking(c, dropped.id, db=db, now=past)
    mark_attendance(mentor, no_show.id, False, db=db)
    complete_session(mentor, s4, db=db)
    db.commit()
    submit_review(a, s4, ReviewCreate(rating=4), db=db)
    db.add_all(InteractionEvent(user_id=a.id, session_id=s1, kind=InteractionKind.VIEW) for _ in range(10))
    db.commit()
    return {"mentor": mentor, "learner": a}


def test_revenue_kpis_per_currency(db, market):
    report = kpis.kpi_report(utcnow() - timedelta(days=30), utcnow() + timedelta(seconds=1), db=db)
    revenue = report.revenue
    assert revenue["gross_booking_value"] == {"USD": 14000, "INR": 50000}
    assert revenue["platform_revenue"] == {
        "USD": 1200,
        "INR": 6000,
    }  # the refund reversed the 4.80 fee of the 40.00 payment
    assert revenue["refunds"] == {"USD": 4000}
    assert revenue["net_revenue"] == {"USD": 1200, "INR": 6000}
    assert revenue["commission_run_rate"] == {"USD": 1200, "INR": 6000}
    assert revenue["commission_run_rate_annual"] == {"USD": 14400, "INR": 72000}
    assert revenue["mrr"] == {} and revenue["arr"] == {}  # no mentor subscribes: commission is not recurring revenue
    assert revenue["revenue_per_active_learner"] == {"USD": 400.0, "INR": 2000.0}
    assert {(g["gateway"], g["currency"], g["gbv_minor"]) for g in revenue["gbv_by_gateway"]} == {
        ("simulated", "USD", 14000),
        ("simulated", "INR", 50000),
    }


def test_marketplace_kpis(db, market):
    report = kpis.kpi_report(utcnow() - timedelta(days=30), utcnow(), db=db)
    m = report.marketplace
    assert [f["count"] for f in m["funnel"]] == [10, 6, 6, 1, 1]
    assert m["booking_conversion"] == 0.6
    assert m["cancellation_rate"] == round(2 / 6, 4)
    assert m["completion_rate"] == round(1 / 3, 4)  # of the 3 confirmed bookings of the session that ran, 1 completed
    assert m["no_show_rate"] == 0.5
    assert m["seat_utilisation"] == 0.4
    assert m["active_mentor_share"] == 1.0
    assert m["average_rating"] == 4.0 and m["rating_distribution"]["4"] == 1
    assert report.learners["active_learners"] == 3


def test_definitions_cover_every_reported_kpi(db, market):
    report = kpis.kpi_report(None, None, db=db)
    reported = (
        set(report.revenue)
        | set(report.marketplace)
        | {
            "signups_per_week",
            "active_learners",
            "cohort_retention",
            "ltv",
            "projected_ltv",
            "cac",
            "ltv_to_cac",
            "recommendation_ctr",
        }
    )
    missing = {k for k in reported if k not in kpis.DEFINITIONS and k not in ("rating_distribution", "coupon_expense")}
    assert not missing


def test_kpi_api_access_and_csv(api, db, market):
    assert api.get("/api/admin/kpis/").status_code == 401
    assert api.get("/api/admin/kpis/", headers=token_for(db, market["learner"])).status_code == 403
    admin = token_for(db, make_user(db, admin=True))
    body = api.get("/api/admin/kpis/", headers=admin).json()
    assert body["revenue"]["platform_revenue"] == {"USD": 1200, "INR": 6000}
    assert "platform_revenue" in body["definitions"]
    csv_text = api.get("/api/admin/kpis/export/", headers=admin).text
    assert "# Booking funnel" in csv_text and "Session views,10,1.0" in csv_text
    bad = api.get(
        "/api/admin/kpis/", params={"start": "2026-05-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}, headers=admin
    )
    assert bad.status_code == 422
    churn = api.get("/api/admin/predictions/churn/", headers=admin).json()
    assert churn["enough_data"] is False and "Not enough history" in churn["message"]


def test_marketing_spend_gives_cac(api, db, market):
    admin = token_for(db, make_user(db, admin=True))
    month = utcnow().date().replace(day=1).isoformat()
    assert (
        api.post(
            "/api/admin/marketing-spend/",
            json={"month": month, "amount_minor": 30000, "currency": "USD"},
            headers=admin,
        ).status_code
        == 201
    )
    start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    report = kpis.kpi_report(start, utcnow() + timedelta(days=1), db=db)
    signups = sum(w["signups"] for w in report.learners["signups_per_week"])
    assert report.learners["cac"] == {"USD": round(30000 / signups, 2)}


@pytest.mark.slow  # seeds the whole demo marketplace and trains on it five times: 30-60 s
def test_churn_model_ranks_better_than_recency_only_across_anchors(db):
    """The model's ROC AUC beats a recency-only baseline on average over five weekly anchors.

    One anchor is not a fair test: probing 4 demo seeds x 5 anchors (Dec 2026), the model won on ROC AUC at 19 of
    20, by +0.03 to +0.12 on average per seed, but lost by 0.08 at one. Its Brier score was worse than recency-only
    at 11 of the 20, so calibration is not claimed here: the model ranks learners better, it is not better calibrated.
    The seed instant is fixed so the demo data, and so this test, is deterministic.
    """
    from peerlearn.demo_data import seed_demo
    from peerlearn.insights.churn import train_churn

    seeded_at = datetime(2026, 12, 2, tzinfo=UTC)
    seed_demo(db=db, now=seeded_at)
    db.commit()
    margins = []
    for weeks_back in range(5):
        model = train_churn(db=db, now=seeded_at - timedelta(weeks=weeks_back))
        assert model.enough_data
        margins.append(model.figures["roc_auc"] - model.figures["recency_only_roc_auc"])
    assert sum(margins) / len(margins) > 0
    assert sum(m > 0 for m in margins) >= 3


def test_cached_report_is_reused_until_new_money_lands(db, market):
    first = kpis.cached_kpi_report(None, None, db=db)
    assert kpis.cached_kpi_report(None, None, db=db).revenue == first.revenue
    mentor, learner = make_user(db), make_user(db)
    mentor.is_mentor = True
    db.add(mentor)
    db.commit()
    pay(db, learner, make_session(db, mentor, price_minor=2000, capacity=2, start_in=timedelta(days=9)))
    after = kpis.cached_kpi_report(None, None, db=db)
    assert after.revenue["platform_revenue"]["USD"] == first.revenue["platform_revenue"]["USD"] + 240
