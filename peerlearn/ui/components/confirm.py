"""A confirmation before something that cannot be undone: it says what will happen, then waits for a choice.

Radix's alert dialog (`rx.alert_dialog`): focus starts on the safe choice, Escape and the safe button change
nothing, and only the red button acts. `on_dismiss` takes the dialog's new open flag (`on_open_change`).
On a phone the two buttons stack full width, the safe one at the bottom.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventHandler, EventType


def confirm_dialog(
    *,
    open_: rx.Var[bool] | bool,
    title: rx.Var[str] | str,
    statement: rx.Var[str] | str,
    confirm_label: str,
    on_confirm: EventType,
    dismiss_label: str,
    on_dismiss: EventHandler,
    dialog_id: str,
    detail: rx.Component | None = None,
) -> rx.Component:
    """`statement`: what happens, in the person's terms ("You'll get a full refund of $40.00 to your card.")."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(statement, size="3", class_name="confirm-statement"),
            rx.box(detail, margin_top="0.6em") if detail is not None else rx.fragment(),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        dismiss_label,
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                        width=rx.breakpoints(initial="100%", sm="auto"),
                        on_click=on_dismiss(False),
                        class_name="confirm-dismiss",
                    )
                ),
                rx.button(  # not an alert_dialog.action: the state closes the dialog once it has acted
                    confirm_label,
                    color_scheme="red",
                    size="3",
                    width=rx.breakpoints(initial="100%", sm="auto"),
                    on_click=on_confirm,
                    class_name="confirm-action",
                ),
                direction=rx.breakpoints(initial="column-reverse", sm="row"),
                justify="end",
                spacing="3",
                margin_top="1.2em",
                width="100%",
            ),
            max_width="480px",
            id=dialog_id,
        ),
        open=open_,
        on_open_change=on_dismiss,  # Escape: as the safe button (the handler takes the new open flag)
    )
