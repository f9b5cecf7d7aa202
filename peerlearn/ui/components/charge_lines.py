"""What a learner pays, line by line (session price, coupon, service fee, total): checkout, booking, receipt."""

import reflex as rx


def charge_lines(lines, *, id: str) -> rx.Component:
    """Label left, amount right, one row each; the last row (the total) in bold. Wraps on a 360 px phone."""
    return rx.vstack(
        rx.foreach(
            lines,
            lambda line, i: rx.hstack(
                rx.text(line.label, size="2"),
                rx.spacer(),
                rx.text(line.amount, size="2", white_space="nowrap"),
                width="100%",
                padding_y="0.25em",
                border_top=rx.cond(i == lines.length() - 1, "1px solid var(--gray-a6)", "none"),
                font_weight=rx.cond(i == lines.length() - 1, "bold", "normal"),
            ),
        ),
        spacing="0",
        width="100%",
        id=id,
    )
