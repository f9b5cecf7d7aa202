"""The simulated gateway's hosted payment page: a notice that no real money moves, what is being paid for, and a
card form (4242 4242 4242 4242 pays). Checkout for a seat and for a plan share it."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from peerlearn.ui.layout import card
from peerlearn.ui.pages.login import labelled


def simulated_payment(
    *summary: rx.Component,
    notice: str,
    paying: rx.Var[bool],
    error: rx.Var[str],
    on_submit: EventType,
    pay_label: rx.Component,
    card_details: bool = True,
    closed: rx.Var[bool] | None = None,
    closed_notice: rx.Component | None = None,
) -> rx.Component:
    """`closed` (with `closed_notice` in the form's place): nothing can be paid any more, e.g. a seat hold ran out."""
    fields = [
        labelled(
            "Card number",
            rx.input(name="card_number", placeholder="4242 4242 4242 4242", width="100%", size="3", id="card-number"),
        )
    ]
    if card_details:
        fields.append(
            rx.grid(
                labelled("Expiry", rx.input(placeholder="12/30", size="3")),
                labelled("CVC", rx.input(placeholder="123", size="3")),
                columns="2",
                spacing="3",
                width="100%",
            )
        )
    form = rx.form(
        rx.vstack(
            *fields,
            rx.button(
                rx.cond(paying, rx.spinner(), pay_label),
                type="submit",
                size="3",
                width="100%",
                disabled=paying,
                id="pay-button",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
    )
    payable = form if closed is None else rx.cond(closed, closed_notice, form)
    return rx.center(
        card(
            rx.vstack(
                rx.callout(notice, icon="flask-conical", color_scheme="amber", id="simulation-notice"),
                *summary,
                payable,
                rx.cond(error != "", rx.callout(error, color_scheme="red", icon="triangle-alert", id="checkout-error")),
                spacing="4",
                width="100%",
            ),
            max_width="480px",
        ),
        padding_y="2em",
    )
