"""Hosted checkout of the simulated gateway: says plainly that it is a simulation."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.charge_lines import charge_lines
from peerlearn.ui.components.simulated_payment import simulated_payment
from peerlearn.ui.layout import page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.checkout import CheckoutState as C


@page(routes.SIMULATED_CHECKOUT, "Checkout", on_load=[AuthState.require_login, C.load_checkout])
def checkout_page() -> rx.Component:
    return simulated_payment(
        rx.heading("Pay for your seat", size="6"),
        rx.text(C.title, size="3"),
        rx.heading(C.amount, size="7", id="checkout-amount"),
        charge_lines(C.lines, id="checkout-lines"),
        notice="This is a simulated payment page. No real money moves. "
        "Use 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to see a decline.",
        paying=C.paying,
        error=C.error,
        on_submit=C.pay,
        pay_label=rx.text("Pay ", C.amount),
    )
