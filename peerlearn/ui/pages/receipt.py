"""Receipt page."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.receipt import ReceiptState as RS


@page(routes.RECEIPT, "Receipt", on_load=[AuthState.require_login, RS.load_receipt])
def receipt_page() -> rx.Component:
    return rx.center(
        rx.cond(
            RS.missing,
            rx.text("Receipt not found."),
            card(
                rx.vstack(
                    rx.heading("Receipt ", RS.number, size="6", id="receipt-number"),
                    rx.foreach(RS.summary, lambda line: rx.text(line, size="2", color_scheme="gray")),
                    rx.table.root(
                        rx.table.body(
                            rx.foreach(
                                RS.lines,
                                lambda l: rx.table.row(
                                    rx.table.cell(l.label), rx.table.cell(l.amount, text_align="right")
                                ),
                            )
                        ),
                        width="100%",
                        id="receipt-lines",
                    ),
                    rx.hstack(
                        rx.text("Net paid", weight="bold"), rx.spacer(), rx.text(RS.total, weight="bold"), width="100%"
                    ),
                    rx.button(rx.icon("download", size=14), "Download PDF", variant="soft", on_click=RS.download_pdf),
                    spacing="3",
                    width="100%",
                ),
                max_width="620px",
            ),
        ),
        padding_y="2em",
    )
