"""Changing subscriptions: checkout (new or upgrade with proration), provider events, cancel at period end.

Provider events arrive through the payments webhook (signature, then the event id under a unique constraint); this
module applies them: each moves the state machine in ``rules`` and books what was paid in the ledger.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, select

from peerlearn import links
from peerlearn.billing.ledger import record_subscription_charge
from peerlearn.billing.provider_events import payment_settings
from peerlearn.config import get_settings
from peerlearn.models import Subscription, SubscriptionCharge, SubscriptionPlan, SubscriptionPrice, User
from peerlearn.models.enums import NotificationKind
from peerlearn.models.subscription import BillingInterval, SubscriptionStatus
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.money import format_money, normalize_currency
from peerlearn.payments.base import (
    PaymentError,
    PaymentEvent,
    PaymentEventKind,
    RecurringGateway,
    SubscriptionCheckoutRequest,
)
from peerlearn.payments.registry import select_gateway
from peerlearn.platform import notifications
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, PermissionDeniedError, ValidationError
from peerlearn.platform.locks import lock_row
from peerlearn.subscriptions import rules
from peerlearn.subscriptions.queries import live_subscription, state_of

log = logging.getLogger(__name__)

SUBSCRIPTION_KINDS = frozenset(
    {
        PaymentEventKind.SUBSCRIPTION_ACTIVATED,
        PaymentEventKind.SUBSCRIPTION_RENEWED,
        PaymentEventKind.SUBSCRIPTION_PAYMENT_FAILED,
        PaymentEventKind.SUBSCRIPTION_CANCELLED,
    }
)


class SubscriptionError(ConflictError):
    code = ErrorCode.PAYMENT_ERROR


def start_checkout(
    mentor: User,
    plan_id: int,
    interval: BillingInterval,
    *,
    db: Session,
    currency: str = "USD",
    now: datetime | None = None,
) -> Subscription:
    """A hosted checkout for ``plan_id``: a new subscription, or an upgrade charged the proration now (the billing
    period stays). Returns the incomplete subscription with its ``checkout_url``."""
    if not mentor.is_mentor:
        raise PermissionDeniedError("Only mentors can subscribe to a plan.")
    now = now or utcnow()
    try:
        code = normalize_currency(currency)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    plan = db.get(SubscriptionPlan, plan_id)
    if plan is None or not plan.active or plan.is_default:
        raise NotFoundError("No such plan on offer.")
    price = db.exec(
        select(SubscriptionPrice).where(
            SubscriptionPrice.plan_id == plan_id,
            SubscriptionPrice.currency == code,
            SubscriptionPrice.interval == interval,
        )
    ).first()
    if price is None:
        raise ValidationError(f"The {plan.name} plan has no {interval.value}ly price in {code}.")
    mentor_id = saved_id(mentor)
    current = live_subscription(mentor_id, db=db)
    prorated, trial = 0, False
    if current is not None:
        if current.plan_id == plan_id and current.interval == interval:
            raise ConflictError(f"You are already on the {plan.name} plan.", ErrorCode.INVALID_STATE)
        if current.currency != code or rules.monthly_minor(price.amount_minor, interval) <= rules.monthly_minor(
            current.amount_minor, current.interval
        ):
            raise ConflictError(
                "Only an upgrade to a dearer plan in the same currency can be made now; cancel to change otherwise.",
                ErrorCode.INVALID_STATE,
            )
        if current.current_period_start_at and current.current_period_end_at:
            # Same interval: the unused share of the price difference; another interval: a new period starts.
            if current.interval == interval:
                prorated = rules.proration_minor(
                    current.amount_minor,
                    price.amount_minor,
                    period_start_at=current.current_period_start_at,
                    period_end_at=current.current_period_end_at,
                    at=now,
                )
            else:
                credit = rules.proration_minor(
                    0,
                    current.amount_minor,
                    period_start_at=current.current_period_start_at,
                    period_end_at=current.current_period_end_at,
                    at=now,
                )
                prorated = max(price.amount_minor - credit, 0)
    else:
        had_trial = db.exec(
            select(Subscription.id).where(
                Subscription.mentor_id == mentor_id, col(Subscription.trial_end_at).is_not(None)
            )
        ).first()
        trial = plan.trial_days > 0 and had_trial is None
    sub = Subscription(
        mentor_id=mentor_id,
        plan_id=plan_id,
        interval=interval,
        amount_minor=price.amount_minor,
        currency=code,
        provider="",
        replaces_id=current.id if current else None,
        prorated_minor=prorated,
        created_at=now,
    )
    try:
        gateway = select_gateway(code, payment_settings())
    except PaymentError as error:
        raise SubscriptionError(f"No payment provider can take this subscription: {error}") from error
    if not isinstance(gateway, RecurringGateway):
        raise SubscriptionError(f"Subscriptions through {gateway.name} are not available yet.")
    sub.provider = gateway.name
    db.add(sub)
    db.flush()
    first = prorated if current is not None else (0 if trial else price.amount_minor)
    base = get_settings().base_url
    try:
        result = gateway.create_subscription_checkout(
            SubscriptionCheckoutRequest(
                subscription_id=saved_id(sub),
                plan_name=plan.name,
                amount_minor=price.amount_minor,
                first_charge_minor=first,
                currency=code,
                interval=interval.value,
                customer_email=mentor.email,
                success_url=f"{base}{links.MENTOR_PLANS}?subscribed=1",
                cancel_url=f"{base}{links.MENTOR_PLANS}",
                idempotency_key=f"subscription-{sub.id}",
            )
        )
    except PaymentError as error:
        log.warning("subscription checkout failed for mentor %s: %s (%s)", mentor_id, error, error.detail)
        raise SubscriptionError(f"The payment provider could not start a checkout: {error}") from error
    sub.provider_ref, sub.checkout_url = result.provider_ref, result.checkout_url
    db.add(sub)
    db.flush()
    return sub


def first_charge_minor(sub: Subscription, *, db: Session) -> int:
    """What the checkout of ``sub`` charges now: the proration on an upgrade, nothing in a trial, else the price."""
    if sub.replaces_id is not None:
        return sub.prorated_minor
    return 0 if trial_days_for(sub, db=db) else sub.amount_minor


def trial_days_for(sub: Subscription, *, db: Session) -> int:
    if sub.replaces_id is not None:
        return 0
    plan = linked_row(SubscriptionPlan, sub.plan_id, db=db)
    if plan.trial_days <= 0:
        return 0
    had_trial = db.exec(
        select(Subscription.id).where(
            Subscription.mentor_id == sub.mentor_id,
            col(Subscription.trial_end_at).is_not(None),
            Subscription.id != sub.id,
        )
    ).first()
    return 0 if had_trial is not None else plan.trial_days


def cancel_at_period_end(mentor: User, *, db: Session, now: datetime | None = None) -> Subscription:
    """Stop renewing: the benefits stay until the paid period ends, then the subscription is cancelled."""
    sub = live_subscription(saved_id(mentor), db=db)
    if sub is None:
        raise NotFoundError("You have no subscription to cancel.")
    sub = lock_row(Subscription, sub.id, db=db) or sub
    sub.cancel_at_period_end = True
    db.add(sub)
    db.flush()
    return sub


def settle_subscriptions(*, db: Session, now: datetime | None = None) -> int:
    """Let time act: end subscriptions cancelled at their period end and past-due ones whose grace ran out.
    Returns how many ended."""
    now = now or utcnow()
    ended = 0
    for sub in db.exec(select(Subscription).where(col(Subscription.status).in_(list(rules.LIVE)))).all():
        status = rules.next_status(state_of(sub), rules.SubscriptionEvent.PERIOD_ENDED, now=now)
        if status != sub.status:
            _end(sub, status, now=now, db=db)
            ended += 1
    return ended


def apply_subscription_event(event: PaymentEvent, *, db: Session, now: datetime | None = None) -> str:
    """Apply a verified, newly recorded provider event. Returns 'applied', 'ignored' or 'flagged'."""
    now = now or utcnow()
    sub = _subscription_for(event, db=db)
    if sub is None:
        log.warning("subscription event %s for an unknown subscription", event.event_id)
        return "ignored"
    try:
        if event.kind == PaymentEventKind.SUBSCRIPTION_ACTIVATED:
            return _activated(sub, event, db=db, now=now)
        if event.kind == PaymentEventKind.SUBSCRIPTION_RENEWED:
            return _renewed(sub, event, db=db, now=now)
        if event.kind == PaymentEventKind.SUBSCRIPTION_PAYMENT_FAILED:
            return _payment_failed(sub, event, db=db, now=now)
        _end(sub, rules.next_status(state_of(sub), rules.SubscriptionEvent.CANCELLED, now=now), now=now, db=db)
    except rules.TransitionError as error:
        log.warning("subscription %s: event %s not applied: %s", sub.id, event.event_id, error)
        return "ignored"
    return "applied"


def _subscription_for(event: PaymentEvent, *, db: Session) -> Subscription | None:
    query = select(Subscription).where(Subscription.provider == event.provider)
    if event.kind == PaymentEventKind.SUBSCRIPTION_ACTIVATED and event.provider_ref:
        query = query.where(Subscription.provider_ref == event.provider_ref)
    elif event.provider_subscription_id:
        query = query.where(Subscription.provider_subscription_id == event.provider_subscription_id)
    else:
        return None
    found = db.exec(query).first()
    return lock_row(Subscription, found.id, db=db) if found else None


def _charge_matches(sub: Subscription, event: PaymentEvent, expected: int) -> bool:
    return (event.amount_minor or 0) == expected and (event.currency or sub.currency).upper() == sub.currency


def _activated(sub: Subscription, event: PaymentEvent, *, db: Session, now: datetime) -> str:
    other = live_subscription(sub.mentor_id, db=db)
    if other is not None and other.id != sub.replaces_id:  # two checkouts paid at once: never two live plans
        _flag(sub, f"paid while subscription {other.id} is live", db=db)
        return "flagged"
    expected = first_charge_minor(sub, db=db)
    if not _charge_matches(sub, event, expected):
        _flag(sub, f"activation reported {event.amount_minor} {event.currency}, expected {expected}", db=db)
        return "flagged"
    trial_days = trial_days_for(sub, db=db)
    sub.status = rules.next_status(state_of(sub), rules.SubscriptionEvent.ACTIVATED, now=now, trial=trial_days > 0)
    sub.provider_subscription_id = event.provider_subscription_id or sub.provider_subscription_id
    sub.started_at = now
    old = lock_row(Subscription, sub.replaces_id, db=db) if sub.replaces_id else None
    if old is not None and old.current_period_end_at is not None and old.interval == sub.interval:
        sub.current_period_start_at, sub.current_period_end_at = old.current_period_start_at, old.current_period_end_at
    else:
        sub.current_period_start_at = event.period_start_at or now
        sub.current_period_end_at = event.period_end_at or rules.period_end(sub.current_period_start_at, sub.interval)
    if trial_days:
        sub.trial_end_at = sub.current_period_end_at
    db.add(sub)
    if old is not None:
        _end(old, SubscriptionStatus.CANCELLED, now=now, db=db)
    kind = "proration" if old is not None else "initial"
    if expected:
        _book(sub, kind, expected, event, db=db, now=now)
    plan = linked_row(SubscriptionPlan, sub.plan_id, db=db)
    _notify(sub, f"Welcome to {plan.name}", _welcome(sub, plan, trial_days, expected), db=db)
    return "applied"


def _welcome(sub: Subscription, plan: SubscriptionPlan, trial_days: int, charged: int) -> str:
    if trial_days:
        return f"Your {trial_days}-day trial of {plan.name} has started; its benefits apply to bookings made from now."
    paid = format_money(charged, sub.currency)
    return f"You paid {paid}; {plan.name}'s benefits apply to bookings made from now."


def _renewed(sub: Subscription, event: PaymentEvent, *, db: Session, now: datetime) -> str:
    if not _charge_matches(sub, event, sub.amount_minor):
        _flag(sub, f"renewal reported {event.amount_minor} {event.currency}, expected {sub.amount_minor}", db=db)
        return "flagged"
    was = sub.status
    sub.status = rules.next_status(state_of(sub), rules.SubscriptionEvent.RENEWED, now=now)
    start = event.period_start_at or sub.current_period_end_at or now
    sub.current_period_start_at = start
    sub.current_period_end_at = event.period_end_at or rules.period_end(start, sub.interval)
    sub.grace_until_at = None
    db.add(sub)
    _book(sub, "renewal", sub.amount_minor, event, db=db, now=now)
    if was == SubscriptionStatus.PAST_DUE:
        _notify(sub, "Payment received", "Your plan's payment went through; your benefits continue.", db=db)
    return "applied"


def _payment_failed(sub: Subscription, event: PaymentEvent, *, db: Session, now: datetime) -> str:
    sub.status = rules.next_status(state_of(sub), rules.SubscriptionEvent.PAYMENT_FAILED, now=now)
    period_end = sub.current_period_end_at or now
    sub.grace_until_at = sub.grace_until_at or rules.grace_until(period_end)
    db.add(sub)
    db.add(
        SubscriptionCharge(
            subscription_id=saved_id(sub),
            kind="renewal",
            amount_minor=event.amount_minor or sub.amount_minor,
            currency=sub.currency,
            succeeded=False,
            created_at=now,
        )
    )
    _notify(
        sub,
        "Your plan's payment failed",
        f"We could not charge {format_money(sub.amount_minor, sub.currency)} for your plan. Update your card "
        f"before {sub.grace_until_at:%d %b %Y} (UTC) to keep your benefits; we will retry the payment.",
        db=db,
    )
    return "applied"


def _end(sub: Subscription, status: SubscriptionStatus, *, now: datetime, db: Session) -> None:
    sub.status, sub.ended_at = status, now
    db.add(sub)


def _book(sub: Subscription, kind: str, amount: int, event: PaymentEvent, *, db: Session, now: datetime) -> None:
    charge = SubscriptionCharge(
        subscription_id=saved_id(sub),
        kind=kind,
        amount_minor=amount,
        currency=sub.currency,
        provider_payment_id=event.provider_payment_id or "",
        created_at=now,
    )
    db.add(charge)
    db.flush()
    record_subscription_charge(charge, mentor_id=sub.mentor_id, db=db)


def _notify(sub: Subscription, title: str, body: str, *, db: Session) -> None:
    notifications.notify(sub.mentor_id, NotificationKind.SUBSCRIPTION, title, body=body, link=links.MENTOR_PLANS, db=db)


def _flag(sub: Subscription, why: str, *, db: Session) -> None:
    log.error("subscription %s: %s; not applied", sub.id, why)
    notifications.notify_admins(
        NotificationKind.PAYMENT_NEEDS_REVIEW,
        f"Subscription {sub.id} needs review",
        body=f"The provider's report did not match what was charged: {why}. Check it in the provider's dashboard.",
        link=links.INSIGHTS,
        db=db,
    )
