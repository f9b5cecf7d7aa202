"""A mentor's subscription through the simulated gateway's recurring mode: subscribe, renew, fail and recover,
cancel at period end, upgrade with proration; the commission of their bookings; the ledger; MRR."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from peerlearn.billing.ledger import record_subscription_refund, unbalanced_transactions
from peerlearn.billing.payments import handle_webhook
from peerlearn.booking import actions as bookings
from peerlearn.models import LedgerEntry, Notification, Payment, Subscription, SubscriptionCharge
from peerlearn.models.enums import LedgerAccount, NotificationKind
from peerlearn.models.subscription import BillingInterval, SubscriptionStatus
from peerlearn.models.types import utcnow
from peerlearn.subscriptions import actions, simulated
from peerlearn.subscriptions.queries import plan_in_effect, pro_mentor_ids, recurring_revenue
from tests.factories import make_session, make_user, pay
from tests.subscriptions.helpers import make_plan

CARD = "4242 4242 4242 4242"


def subscribe(db, mentor, plan, interval=BillingInterval.MONTH, now=None):
    sub = actions.start_checkout(mentor, plan.id, interval, db=db, now=now)
    db.commit()
    assert "/pay/simulated/subscription/" in sub.checkout_url
    paid = simulated.pay_checkout(sub.provider_ref, CARD, db=db, now=now)
    db.commit()
    return paid


def revenue(db, mentor_id):
    return sum(
        -e.amount_minor
        for e in db.exec(select(LedgerEntry).where(LedgerEntry.account == LedgerAccount.PLATFORM_SUBSCRIPTION_REVENUE))
    )


def test_subscribe_then_renew_books_platform_revenue_and_the_same_delivery_twice_changes_nothing(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    sub = subscribe(db, mentor, plan)
    assert sub.status == SubscriptionStatus.ACTIVE
    assert plan_in_effect(mentor.id, utcnow(), db=db).id == plan.id
    assert pro_mentor_ids([mentor.id], utcnow(), db=db) == {mentor.id}
    first_end = sub.current_period_end_at
    body, headers = simulated.invoice_delivery(sub, paid=True)
    assert handle_webhook("simulated", body, headers, db=db) == "applied"
    assert handle_webhook("simulated", body, headers, db=db) == "duplicate"
    db.commit()
    db.refresh(sub)
    assert sub.current_period_start_at == first_end and sub.current_period_end_at > first_end
    assert revenue(db, mentor.id) == 3000  # two months of 15.00, as platform revenue
    assert unbalanced_transactions(db=db) == []


def test_failed_renewal_is_past_due_with_a_notice_then_recovers(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    sub = subscribe(db, mentor, plan)
    simulated.bill(sub, paid=False, db=db)
    db.commit()
    db.refresh(sub)
    assert sub.status == SubscriptionStatus.PAST_DUE
    assert sub.grace_until_at == sub.current_period_end_at + timedelta(days=7)
    notes = db.exec(select(Notification).where(Notification.user_id == mentor.id)).all()
    assert any(n.kind == NotificationKind.SUBSCRIPTION and "failed" in n.title for n in notes)
    assert plan_in_effect(mentor.id, sub.current_period_end_at + timedelta(days=1), db=db) is not None  # grace
    simulated.bill(sub, paid=True, db=db)  # the provider's retry pays
    db.commit()
    db.refresh(sub)
    assert sub.status == SubscriptionStatus.ACTIVE and sub.grace_until_at is None
    assert revenue(db, mentor.id) == 3000


def test_unpaid_past_grace_expires_and_the_benefits_stop(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    sub = subscribe(db, mentor, plan)
    simulated.bill(sub, paid=False, db=db)
    db.commit()
    db.refresh(sub)
    assert actions.settle_subscriptions(db=db, now=sub.grace_until_at + timedelta(seconds=1)) == 1
    db.commit()
    db.refresh(sub)
    assert sub.status == SubscriptionStatus.EXPIRED
    assert plan_in_effect(mentor.id, utcnow(), db=db) is None


def test_cancel_at_period_end_keeps_the_plan_until_then(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    sub = subscribe(db, mentor, plan)
    actions.cancel_at_period_end(mentor, db=db)
    db.commit()
    assert actions.settle_subscriptions(db=db, now=sub.current_period_end_at - timedelta(minutes=1)) == 0
    assert plan_in_effect(mentor.id, sub.current_period_end_at - timedelta(minutes=1), db=db) is not None
    assert actions.settle_subscriptions(db=db, now=sub.current_period_end_at) == 1
    db.commit()
    db.refresh(sub)
    assert sub.status == SubscriptionStatus.CANCELLED
    assert pro_mentor_ids([mentor.id], sub.current_period_end_at, db=db) == set()


def test_upgrade_halfway_charges_the_proration_and_keeps_the_period(db):
    mentor = make_user(db, mentor=True)
    pro, premium = make_plan(db, "Test Pro"), make_plan(db, "Test Premium", monthly=3000, yearly=30000)
    start = datetime(2026, 4, 1, tzinfo=UTC)
    old = subscribe(db, mentor, pro, now=start)
    assert old.current_period_end_at == datetime(2026, 5, 1, tzinfo=UTC)
    upgrade = actions.start_checkout(mentor, premium.id, BillingInterval.MONTH, db=db, now=start + timedelta(days=15))
    db.commit()
    assert upgrade.prorated_minor == 750  # half of (30.00 - 15.00)
    new = simulated.pay_checkout(upgrade.provider_ref, CARD, db=db, now=start + timedelta(days=15))
    db.commit()
    db.refresh(old)
    assert new.status == SubscriptionStatus.ACTIVE and old.status == SubscriptionStatus.CANCELLED
    assert new.current_period_end_at == datetime(2026, 5, 1, tzinfo=UTC)
    charges = db.exec(select(SubscriptionCharge).where(SubscriptionCharge.subscription_id == new.id)).all()
    assert [(c.kind, c.amount_minor) for c in charges] == [("proration", 750)]
    assert revenue(db, mentor.id) == 1500 + 750


def test_commission_is_the_plan_rate_for_bookings_made_while_subscribed_only(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro", commission_bps=800)
    learner, other = make_user(db), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD", capacity=5)
    before, _ = bookings.book_session(learner, sid, db=db)  # booked on the free plan
    db.commit()
    subscribe(db, mentor, plan)
    after, _ = bookings.book_session(other, sid, db=db)
    db.commit()
    pay(db, before.id)
    pay(db, after.id)
    fee = {p.booking_id: p.platform_fee_minor for p in db.exec(select(Payment))}
    assert fee[before.id] == 300  # 12 % of 25.00: the rate when it was booked
    assert fee[after.id] == 200  # 8 %: the plan's rate
    assert unbalanced_transactions(db=db) == []


def test_a_subscription_refund_reverses_the_revenue_and_balances(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    sub = subscribe(db, mentor, plan)
    charge = db.exec(select(SubscriptionCharge).where(SubscriptionCharge.subscription_id == sub.id)).one()
    record_subscription_refund(charge, 500, mentor_id=mentor.id, db=db)
    db.commit()
    assert revenue(db, mentor.id) == 1000
    assert unbalanced_transactions(db=db) == []


def test_mrr_figures_on_a_small_hand_computed_fixture(db):
    """In USD: A monthly 15.00, B yearly 150.00 (12.50 a month), C monthly 15.00 upgraded to 30.00 (expansion
    15.00), D monthly 15.00 ended at the provider (churn 15.00); in EUR: E monthly 14.00.
    MRR USD = 15.00 + 12.50 + 30.00 = 57.50; ARR = 690.00."""
    pro, premium = make_plan(db, "Test Pro"), make_plan(db, "Test Premium", monthly=3000, yearly=30000)
    eur = make_plan(db, "Test Euro", monthly=1400, yearly=14000, currency="EUR")
    start = utcnow() - timedelta(days=10)
    a, b, c, d, e = (make_user(db, mentor=True) for _ in range(5))
    subscribe(db, a, pro, now=start)
    subscribe(db, b, pro, BillingInterval.YEAR, now=start)
    subscribe(db, c, pro, now=start)
    upgrade = actions.start_checkout(c, premium.id, BillingInterval.MONTH, db=db, now=start + timedelta(days=1))
    db.commit()
    simulated.pay_checkout(upgrade.provider_ref, CARD, db=db, now=start + timedelta(days=1))
    gone = subscribe(db, d, pro, now=start)
    simulated.cancel_at_provider(gone, db=db, now=start + timedelta(days=2))
    actions.start_checkout(e, eur.id, BillingInterval.MONTH, db=db, currency="EUR", now=start)
    db.commit()
    simulated.pay_checkout(
        db.exec(select(Subscription).where(Subscription.mentor_id == e.id)).one().provider_ref, CARD, db=db, now=start
    )
    db.commit()
    figures = {f.currency: f for f in recurring_revenue(start - timedelta(days=1), utcnow(), db=db)}
    usd = figures["USD"]
    assert usd.mrr_minor == 5750 and usd.arr_minor == 69000
    assert usd.expansion_mrr_minor == 1500
    assert usd.churned_mrr_minor == 1500
    assert usd.subscribers_by_plan == {"Test Pro": 2, "Test Premium": 1}
    assert figures["EUR"].mrr_minor == 1400 and figures["EUR"].subscribers_by_plan == {"Test Euro": 1}


def test_a_trial_charges_nothing_and_counts_as_converted_once_renewed(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Trial", trial_days=14)
    start = utcnow() - timedelta(days=40)
    sub = subscribe(db, mentor, plan, now=start)
    assert sub.status == SubscriptionStatus.TRIALING and revenue(db, mentor.id) == 0
    assert sub.trial_end_at == sub.current_period_end_at == sub.current_period_start_at + timedelta(days=14)
    simulated.bill(sub, paid=True, db=db, now=sub.current_period_end_at)
    db.commit()
    db.refresh(sub)
    assert sub.status == SubscriptionStatus.ACTIVE
    figure = recurring_revenue(start, utcnow(), db=db)[0]
    assert (figure.trials_ended, figure.trials_converted, figure.trial_conversion) == (1, 1, 1.0)


def test_the_dashboard_shows_subscription_mrr_and_keeps_the_commission_run_rate_apart(db):
    from peerlearn.insights import kpis

    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro", yearly=15000)
    learner = make_user(db)
    subscribe(db, mentor, plan, BillingInterval.YEAR)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    revenue = kpis.kpi_report(utcnow() - timedelta(days=1), utcnow() + timedelta(minutes=1), db=db).revenue
    assert revenue["mrr"] == {"USD": 1250} and revenue["arr"] == {"USD": 15000}
    assert revenue["subscription_revenue"] == {"USD": 15000}
    assert revenue["commission_run_rate"] == {"USD": 200}  # 8 % of 25.00, commission only
    assert revenue["subscribers_by_plan"] == {"Test Pro in USD": 1}


def test_a_pro_mentor_comes_first_in_the_directory_default_sort_and_wears_the_badge(db):
    from peerlearn.catalog.mentors import MentorFilters, MentorSort, mentor_directory, mentor_profile
    from peerlearn.models import MentorProfile

    plan = make_plan(db, "Test Pro")
    star, pro = make_user(db, mentor=True, name="Star Mentor"), make_user(db, mentor=True, name="Pro Mentor")
    for mentor, rating in ((star, 4.9), (pro, 3.5)):
        profile = db.get(MentorProfile, mentor.id)
        profile.rating_avg, profile.rating_count = rating, 10
        db.add(profile)
        make_session(db, mentor)
    db.commit()
    names = [m.full_name for m in mentor_directory(MentorFilters(), db=db).items]
    assert names.index("Star Mentor") < names.index("Pro Mentor")
    subscribe(db, pro, plan)
    page = mentor_directory(MentorFilters(), db=db).items
    assert [m.full_name for m in page][:2] == ["Pro Mentor", "Star Mentor"]
    assert [m.pro for m in page][:2] == [True, False]
    by_sessions = mentor_directory(MentorFilters(sort=MentorSort.SESSIONS_TAUGHT), db=db).items
    assert [m.full_name for m in by_sessions].index("Star Mentor") < [m.full_name for m in by_sessions].index(
        "Pro Mentor"
    )  # only the default sort
    assert mentor_profile(pro.id, db=db).pro and not mentor_profile(star.id, db=db).pro


def test_two_checkouts_paid_one_after_the_other_leave_one_live_plan_and_tell_the_admins(db):
    mentor, plan = make_user(db, mentor=True), make_plan(db, "Test Pro")
    make_user(db, admin=True)
    first = actions.start_checkout(mentor, plan.id, BillingInterval.MONTH, db=db)
    second = actions.start_checkout(mentor, plan.id, BillingInterval.MONTH, db=db)  # another tab, before paying
    db.commit()
    simulated.pay_checkout(first.provider_ref, CARD, db=db)
    db.commit()
    body, headers = simulated.pay_delivery(second.provider_ref, CARD, db=db)
    assert handle_webhook("simulated", body, headers, db=db) == "flagged"
    db.commit()
    live = db.exec(select(Subscription).where(Subscription.status == SubscriptionStatus.ACTIVE)).all()
    assert [s.id for s in live] == [first.id]
    assert db.exec(select(Notification).where(Notification.kind == NotificationKind.PAYMENT_NEEDS_REVIEW)).first()
