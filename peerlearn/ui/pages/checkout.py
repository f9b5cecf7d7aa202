"""Hosted checkout of the simulated gateway: says plainly that it is a simulation, and how long the seat is held."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.charge_lines import charge_lines
from peerlearn.ui.components.simulated_payment import simulated_payment
from peerlearn.ui.layout import page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.checkout import CheckoutState as C


def _hold_ended() -> rx.Component:
    return rx.vstack(
        rx.callout(
            "Your seat hold ran out before payment, so the seat went back and nothing was charged. "
            "Start again to book it, if a seat is still free.",
            icon="timer-off",
            color_scheme="orange",
            id="hold-ended",
            width="100%",
        ),
        rx.link(rx.button("Start again", size="3", width="100%"), href=C.restart_url, width="100%", id="start-again"),
        spacing="3",
        width="100%",
    )


@page(routes.SIMULATED_CHECKOUT, "Checkout", on_load=[AuthState.require_login, C.load_checkout])
def checkout_page() -> rx.Component:
    return rx.box(
        simulated_payment(
            rx.heading("Pay for your seat", size="6"),
            rx.text(C.title, size="3"),
            rx.heading(C.amount, size="7", id="checkout-amount"),
            charge_lines(C.lines, id="checkout-lines"),
            rx.cond(
                C.hold_note != "",
                rx.callout(C.hold_note, icon="timer", color_scheme="blue", id="hold-countdown", width="100%"),
            ),
            notice="This is a simulated payment page. No real money moves. "
            "Use 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to see a decline.",
            paying=C.paying,
            error=C.error,
            on_submit=C.pay,
            pay_label=rx.text("Pay ", C.amount),
            closed=C.hold_over,
            closed_notice=_hold_ended(),
        ),
        on_mount=C.watch,  # the hold counts down (the dashboard's poll loop)
        on_unmount=C.stop_watching,
        width="100%",
    )
