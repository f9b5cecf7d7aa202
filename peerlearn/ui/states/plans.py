"""A mentor's plans page and the simulated gateway's subscription checkout page.

Paying on the simulated page runs the simulated provider in-process: it signs the ``subscription.activated`` webhook
a real provider would send, and that webhook is verified, recorded and applied like Stripe's and Razorpay's.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import reflex as rx
from sqlmodel import Session

from peerlearn.accounts import actions as accounts
from peerlearn.db import session_scope
from peerlearn.models import SubscriptionPlan, User
from peerlearn.models.subscription import BillingInterval, SubscriptionStatus
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.money import format_money
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.subscriptions import actions, simulated
from peerlearn.subscriptions.queries import active_plans, live_subscription, plan_in_effect
from peerlearn.ui import routes
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState


@dataclass(frozen=True)
class PlanCard:
    id: int
    name: str
    price: str  # '$15.00 a month · $150.00 a year' or 'Free'
    benefits: list[str]
    current: bool
    paid: bool


def _benefits(plan: SubscriptionPlan) -> list[str]:
    lines = []
    if plan.commission_bps is not None:
        lines.append(f"{plan.commission_bps / 100:g} % commission on bookings made while subscribed")
    else:
        lines.append("The standard commission on bookings")
    if plan.pro_badge:
        lines.append("A Pro badge on your profile and directory card")
    if plan.directory_priority:
        lines.append("Listed first in the mentor directory's default order")
    if plan.trial_days:
        lines.append(f"{plan.trial_days}-day free trial the first time")
    return lines


def _read_plans(user: User, db: Session) -> tuple[list[PlanCard], str]:
    mentor_id = saved_id(user)
    now = utcnow()
    current = plan_in_effect(mentor_id, now, db=db)
    sub = live_subscription(mentor_id, db=db)
    cards = []
    for plan, prices in active_plans(db=db):
        usd = {p.interval: p.amount_minor for p in prices if p.currency == "USD"}
        price = " · ".join(
            f"{format_money(usd[i], 'USD')} a {i.value}"
            for i in (BillingInterval.MONTH, BillingInterval.YEAR)
            if i in usd
        )
        is_current = (current is not None and current.id == plan.id) or (current is None and plan.is_default)
        cards.append(PlanCard(plan.id, plan.name, price or "Free", _benefits(plan), is_current, bool(usd)))
    status = ""
    if sub is not None and sub.current_period_end_at is not None:
        plan = linked_row(SubscriptionPlan, sub.plan_id, db=db)
        end = f"{sub.current_period_end_at:%d %b %Y} (UTC)"
        price = f"{format_money(sub.amount_minor, sub.currency)} a {sub.interval.value}"
        if sub.cancel_at_period_end:
            status = f"{plan.name} ends on {end}; it will not renew."
        elif sub.status == SubscriptionStatus.TRIALING:
            status = f"Your {plan.name} trial ends on {end}; then {price}."
        elif sub.status == SubscriptionStatus.PAST_DUE and sub.grace_until_at is not None:
            status = f"Your {plan.name} payment failed; update your card before {sub.grace_until_at:%d %b %Y} (UTC)."
        else:
            status = f"{plan.name} renews on {end} at {price}."
    return cards, status


class PlansState(AuthState):
    plans: list[PlanCard] = []
    status: str = ""
    error: str = ""

    async def load_plans(self):
        self.error = ""
        try:
            self.plans, self.status = await self._as_user(_read_plans)
        except AuthenticationError:
            return rx.redirect(f"{routes.LOGIN}?next={routes.MENTOR_PLANS}")

    async def choose(self, plan_id: int):
        def start(user: User, db: Session) -> str:
            sub = actions.start_checkout(user, plan_id, BillingInterval.MONTH, db=db)
            # The simulated page is ours: a path keeps the mentor on the host they are logged in on.
            return urlsplit(sub.checkout_url).path if sub.provider == "simulated" else sub.checkout_url

        try:
            url = await self._as_user(start, write=True)
        except ServiceError as error:
            return rx.toast.error(error.message)
        return rx.redirect(url)

    async def cancel(self):
        return await self._perform(
            lambda user, db: actions.cancel_at_period_end(user, db=db),
            "Your plan will not renew; its benefits last until the period ends.",
            self.load_plans,
        )


def _pay(token: str, ref: str, card_number: str) -> None:
    with session_scope() as db:
        user = accounts.user_for_token(token, db=db)
        simulated.pay_checkout(ref, card_number, db=db, mentor_id=saved_id(user))


class SubscriptionCheckoutState(AuthState):
    ref: str = ""
    plan: str = ""
    amount: str = ""
    error: str = ""
    paying: bool = False

    async def load_checkout(self):
        self.error, self.paying = "", False
        self.ref = ref = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

        def read(user: User, db: Session) -> tuple[str, str]:
            sub = simulated.checkout(ref, db=db, mentor_id=saved_id(user))
            plan = linked_row(SubscriptionPlan, sub.plan_id, db=db)
            due = actions.first_charge_minor(sub, db=db)
            every = f"then {format_money(sub.amount_minor, sub.currency)} a {sub.interval.value}"
            return plan.name, f"{format_money(due, sub.currency)} now, {every}"

        try:
            self.plan, self.amount = await self._as_user(read)
        except ServiceError as error:
            self.error = error.message

    async def pay(self, form: dict):
        self.error, self.paying = "", True
        yield
        try:
            await run_blocking(_pay, self._login_token(), self.ref, form.get("card_number", ""))
        except ServiceError as error:
            self.error, self.paying = error.message, False
            return
        self.paying = False
        yield rx.redirect(f"{routes.MENTOR_PLANS}?subscribed=1")
