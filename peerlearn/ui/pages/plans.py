"""A mentor's plans (/teach/plans) and the simulated gateway's subscription checkout, which says it is a simulation."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.simulated_payment import simulated_payment
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.plans import PlanCard
from peerlearn.ui.states.plans import PlansState as P
from peerlearn.ui.states.plans import SubscriptionCheckoutState as C


def _plan(plan: rx.Var[PlanCard]) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.heading(plan.name, size="5"),
                rx.cond(plan.current, rx.badge("Your plan", color_scheme="green")),
                align="center",
                wrap="wrap",
                spacing="2",
            ),
            rx.text(plan.price, size="3", weight="medium"),
            rx.unordered_list(rx.foreach(plan.benefits, lambda b: rx.list_item(rx.text(b, size="2")))),
            rx.cond(
                plan.paid & ~plan.current,
                rx.button("Choose monthly", on_click=P.choose(plan.id), size="3", width="100%", class_name="choose"),
            ),
            spacing="3",
            width="100%",
        ),
        class_name="plan-card",
        data_plan=plan.name,
    )


@page(routes.MENTOR_PLANS, "Plans", on_load=[AuthState.require_mentor, P.load_plans])
def plans_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Plans", size="7"),
        rx.text("A paid plan lowers your commission and shows learners a Pro badge.", size="3", color_scheme="gray"),
        rx.cond(
            P.status != "",
            rx.callout(P.status, icon="info", id="plan-status", width="100%"),
        ),
        rx.grid(rx.foreach(P.plans, _plan), columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
        rx.cond(
            P.status != "",
            rx.button("Cancel at period end", on_click=P.cancel, variant="soft", color_scheme="red", id="cancel-plan"),
        ),
        spacing="4",
        width="100%",
        max_width="900px",
        margin_x="auto",
        padding_y="2em",
    )


@page(
    routes.SIMULATED_SUBSCRIPTION_CHECKOUT,
    "Subscribe",
    on_load=[AuthState.require_mentor, C.load_checkout],
)
def subscription_checkout_page() -> rx.Component:
    return simulated_payment(
        rx.heading("Subscribe to ", C.plan, size="6"),
        rx.text(C.amount, size="4", id="subscription-amount"),
        notice="This is a simulated payment page. No real money moves. Use 4242 4242 4242 4242 to pay.",
        paying=C.paying,
        error=C.error,
        on_submit=C.pay,
        pay_label=rx.text("Subscribe"),
        card_details=False,
    )
