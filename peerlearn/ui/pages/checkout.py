"""Hosted checkout of the simulated gateway: says plainly that it is a simulation."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.charge_lines import charge_lines
from peerlearn.ui.layout import card, page
from peerlearn.ui.pages.login import labelled
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.checkout import CheckoutState as C


@page(routes.SIMULATED_CHECKOUT, "Checkout", on_load=[AuthState.require_login, C.load_checkout])
def checkout_page() -> rx.Component:
    return rx.center(
        card(
            rx.vstack(
                rx.callout(
                    "This is a simulated payment page. No real money moves. "
                    "Use 4242 4242 4242 4242 to pay or 4000 0000 0000 0002 to see a decline.",
                    icon="flask-conical",
                    color_scheme="amber",
                    id="simulation-notice",
                ),
                rx.heading("Pay for your seat", size="6"),
                rx.text(C.title, size="3"),
                rx.heading(C.amount, size="7", id="checkout-amount"),
                charge_lines(C.lines, id="checkout-lines"),
                rx.form(
                    rx.vstack(
                        labelled(
                            "Card number",
                            rx.input(
                                name="card_number",
                                placeholder="4242 4242 4242 4242",
                                width="100%",
                                size="3",
                                id="card-number",
                            ),
                        ),
                        rx.grid(
                            labelled("Expiry", rx.input(placeholder="12/30", size="3")),
                            labelled("CVC", rx.input(placeholder="123", size="3")),
                            columns="2",
                            spacing="3",
                            width="100%",
                        ),
                        rx.button(
                            rx.cond(C.paying, rx.spinner(), rx.text("Pay ", C.amount)),
                            type="submit",
                            size="3",
                            width="100%",
                            disabled=C.paying,
                            id="pay-button",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=C.pay,
                    reset_on_submit=False,
                ),
                rx.cond(
                    C.error != "", rx.callout(C.error, color_scheme="red", icon="triangle-alert", id="checkout-error")
                ),
                spacing="4",
                width="100%",
            ),
            max_width="480px",
        ),
        padding_y="2em",
    )
