"""Admin dashboards (revenue, learners, marketplace, recommender, predictions) and the KPI definitions page."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.confirm import confirm_dialog
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.insights import InsightsState as I
from peerlearn.ui.states.insights_queue import InsightsQueueState as Q
from peerlearn.ui.views import KpiCard, MentorToVerifyRow, PayoutRequestRow, TableRow

COLORS = ["#3e63dd", "#12a594", "#e5484d", "#f76b15"]


def _card(item: rx.Var[KpiCard]) -> rx.Component:
    return card(
        rx.vstack(
            rx.text(item.label, size="1", color_scheme="gray"),
            rx.text(item.value, size="4", weight="bold"),
            spacing="1",
        ),
        class_name="kpi-card",
    )


def _revenue_chart() -> rx.Component:
    """One currency at a time: amounts in different currencies never share an axis."""
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key=I.chart_currency, fill=COLORS[0], name=I.chart_currency),
        rx.recharts.x_axis(data_key="month"),
        rx.recharts.y_axis(),
        rx.recharts.tooltip(),
        data=I.revenue_rows,
        width="100%",
        height=280,
    )


def _currency_switch() -> rx.Component:
    return rx.hstack(
        rx.el.label("Currency", html_for="revenue-currency", font_size="0.85em"),
        rx.select(
            I.currencies,
            value=I.chart_currency,
            on_change=I.set_chart_currency,
            id="revenue-currency",
            aria_label="Currency of the revenue chart",
            size="1",
        ),
        align="center",
        spacing="2",
    )


def _date_field(text: str, field_id: str, value: rx.Var[str], on_change) -> rx.Component:
    return rx.vstack(
        rx.el.label(text, html_for=field_id, font_size="0.8em", color="var(--gray-11)"),
        rx.input(type="date", value=value, on_change=on_change, id=field_id),
        spacing="0",
    )


def _signups_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.line(data_key="signups", stroke=COLORS[0]),
        rx.recharts.x_axis(data_key="week"),
        rx.recharts.y_axis(),
        rx.recharts.tooltip(),
        data=I.signup_rows,
        width="100%",
        height=240,
    )


def _funnel_chart() -> rx.Component:
    """Steps down the side (long names stay readable on a phone), each bar labelled with its count and share."""
    return rx.vstack(
        rx.recharts.bar_chart(
            rx.recharts.bar(
                rx.recharts.label_list(data_key="text", position="right", font_size=11),
                data_key="count",
                fill=COLORS[1],
            ),
            rx.recharts.x_axis(type_="number", hide=True),
            rx.recharts.y_axis(data_key="stage", type_="category", width=110, font_size=11, interval=0),
            rx.recharts.tooltip(),
            data=I.funnel_rows,
            layout="vertical",
            width="100%",
            height=220,
            margin={"right": 90},
        ),
        rx.foreach(
            I.funnel_rows,
            lambda step: rx.hstack(
                rx.text(step["stage"], size="2"),
                rx.spacer(),
                rx.text(step["text"], size="2", weight="bold"),
                width="100%",
            ),
        ),
        rx.text("Share: of session views.", size="1", color_scheme="gray"),
        width="100%",
        spacing="1",
        id="funnel",
    )


def _heat_map() -> rx.Component:
    headers = ["Cohort", "Size"] + [f"+{k}" for k in range(1, 7)]
    return rx.box(
        rx.grid(
            *[rx.text(h, size="1", weight="bold", text_align="center") for h in headers],
            rx.foreach(
                I.cohort_cells,
                lambda cell: rx.box(
                    rx.text(cell.text, size="1"),
                    background=cell.background,
                    text_align="center",
                    padding="0.3em",
                    border_radius="4px",
                ),
            ),
            columns="8",
            spacing="1",
            min_width="480px",
            id="cohort-heatmap",
        ),
        overflow_x="auto",
        width="100%",
    )


def _table(headers: list[str], rows: rx.Var[list[TableRow]], table_id: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(
                rx.foreach(rows, lambda r: rx.table.row(*[rx.table.cell(r.cells[i]) for i in range(len(headers))]))
            ),
            width="100%",
            id=table_id,
        ),
        overflow_x="auto",
        width="100%",
    )


def _empty(text: str, element_id: str) -> rx.Component:
    return rx.text(text, size="2", color_scheme="gray", id=element_id)


def _mentor_row(m: rx.Var[MentorToVerifyRow]) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(rx.text(m.name, weight="bold", size="2"), rx.badge(m.status, variant="soft"), wrap="wrap"),
            rx.text(m.detail, size="1", color_scheme="gray", word_break="break-word"),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.hstack(
            rx.button("Verify", size="2", on_click=Q.verify(m.user_id), class_name="verify-mentor"),
            rx.button(
                "Reject",
                size="2",
                variant="soft",
                color_scheme="red",
                on_click=Q.ask_reject(m.user_id, m.name),
                class_name="reject-mentor",
            ),
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="2",
        align=rx.breakpoints(initial="start", sm="center"),
        width="100%",
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-a4)",
    )


def _payout_row(p: rx.Var[PayoutRequestRow]) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(rx.text(p.mentor, weight="bold", size="2"), rx.text(p.amount, size="2"), wrap="wrap"),
            rx.text("Asked ", p.when, size="1", color_scheme="gray"),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.button("Mark paid", size="2", on_click=Q.ask_pay(p.id, p.mentor, p.amount), class_name="pay-payout"),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="2",
        align=rx.breakpoints(initial="start", sm="center"),
        width="100%",
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-a4)",
    )


def _admin_queue() -> rx.Component:
    return rx.grid(
        card(
            rx.heading("Mentors to verify", size="4"),
            rx.cond(
                Q.mentors.length() > 0,
                rx.vstack(
                    rx.foreach(Q.mentors, _mentor_row),
                    rx.cond(
                        Q.more_mentors,
                        rx.text("More are waiting: the next ones appear as you decide these.", size="1"),
                    ),
                    spacing="0",
                    width="100%",
                ),
                _empty(
                    "No mentor is waiting. A mentor appears here when they start teaching or ask to be verified; "
                    "verifying gives their profile the Verified badge.",
                    "mentors-to-verify-empty",
                ),
            ),
            id="mentors-to-verify",
        ),
        card(
            rx.heading("Payout requests", size="4"),
            rx.text("Send the money, then mark the request paid: the mentor sees it as paid.", size="1"),
            rx.cond(
                Q.payouts.length() > 0,
                rx.vstack(rx.foreach(Q.payouts, _payout_row), spacing="0", width="100%"),
                _empty(
                    "No payout request is waiting. One appears here when a mentor asks for their available earnings.",
                    "payout-requests-empty",
                ),
            ),
            id="payout-requests",
        ),
        confirm_dialog(
            open_=Q.reject_id > 0,
            title="Reject " + Q.reject_name + "?",
            statement="Their profile will not get the Verified badge, and they leave this list.",
            confirm_label="Reject mentor",
            on_confirm=Q.reject,
            dismiss_label="Keep waiting",
            on_dismiss=Q.keep_mentor,
            dialog_id="reject-mentor-dialog",
        ),
        confirm_dialog(
            open_=Q.pay_id > 0,
            title="Mark this payout paid?",
            statement=Q.pay_statement,
            confirm_label="Mark paid",
            on_confirm=Q.pay,
            dismiss_label="Not yet",
            on_dismiss=Q.keep_payout,
            dialog_id="mark-paid-dialog",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="3",
        width="100%",
    )


@page(routes.INSIGHTS, "Business dashboards", on_load=[AuthState.require_admin, I.load_insights, Q.load_queue])
def insights_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Business dashboards", size="7"),
            rx.spacer(),
            _date_field("From", "insights-from", I.start_date, I.set_start_date),
            _date_field("Until (inclusive)", "insights-until", I.end_date, I.set_end_date),
            rx.button(rx.icon("download", size=14), "CSV", variant="soft", on_click=I.export_csv),
            rx.link("Definitions", href=routes.INSIGHTS_DEFINITIONS),
            width="100%",
            wrap="wrap",
            align="end",
        ),
        rx.cond(I.problem != "", rx.callout(I.problem, color_scheme="red")),
        _admin_queue(),
        rx.grid(
            rx.foreach(I.cards, _card), columns=rx.breakpoints(initial="1", sm="2", lg="4"), spacing="3", width="100%"
        ),
        rx.callout(
            I.ledger_note,
            icon="scale",
            color_scheme=rx.cond(I.ledger_note.contains("IMBALANCE"), "red", "green"),
            id="ledger-health",
        ),
        card(
            rx.hstack(
                rx.heading("Platform revenue per month", size="4"),
                rx.spacer(),
                rx.cond(I.currencies.length() > 1, _currency_switch()),
                width="100%",
                wrap="wrap",
                align="center",
            ),
            rx.cond(
                I.currencies.length() > 0,
                rx.vstack(
                    rx.box(_revenue_chart(), width="100%"),
                    rx.text("In ", I.chart_currency, ", main units.", size="1", color_scheme="gray"),
                    width="100%",
                ),
                rx.text(
                    "No platform revenue in these dates yet. Each month's commission appears here, one currency "
                    "at a time, once a paid booking lands.",
                    size="2",
                    color_scheme="gray",
                    id="revenue-chart-empty",
                ),
            ),
            id="revenue-chart",
        ),
        card(
            rx.heading("Gross booking value by gateway", size="4"),
            _table(["Gateway", "Currency", "GBV"], I.gateways, "gbv-by-gateway"),
        ),
        rx.grid(
            card(rx.heading("Sign-ups per week", size="4"), _signups_chart()),
            card(rx.heading("Booking funnel", size="4"), _funnel_chart()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        card(
            rx.form(
                rx.hstack(
                    rx.heading("Marketing spend", size="3"),
                    rx.input(name="month", placeholder="2026-01", width="7em"),
                    rx.input(name="amount", placeholder="Amount", width="8em"),
                    rx.select(["USD", "EUR", "GBP", "INR"], name="currency", default_value="USD"),
                    rx.button("Save", type="submit", variant="soft"),
                    rx.text("(feeds CAC and LTV:CAC)", size="1", color_scheme="gray"),
                    wrap="wrap",
                    align="center",
                ),
                on_submit=I.submit_spend,
            )
        ),
        card(rx.heading("Cohort retention (booked again in month +1, +2, …)", size="4"), _heat_map()),
        card(
            rx.heading("Skills: demand vs supply", size="4"),
            rx.cond(
                I.skills_rows.length() > 0,
                _table(
                    ["Skill", "Bookings", "Seats offered", "Gap (share)"],
                    I.skills_rows,
                    "skills-gap",
                ),
                rx.text(
                    "No skills to compare yet. Each skill appears here once sessions teaching it start within the "
                    "chosen dates, with its bookings beside the seats on offer.",
                    size="2",
                    color_scheme="gray",
                    id="skills-gap-empty",
                ),
            ),
        ),
        card(
            rx.heading("Recommender: last offline evaluation", size="4"),
            rx.cond(
                I.offline.length() > 0,
                _table(
                    ["Model", "NDCG@10", "Recall@10", "Hit rate@10", "Coverage"],
                    I.offline,
                    "offline-evaluation",
                ),
                rx.text(
                    "No offline evaluation yet. When the recommender is tested against past bookings, its scores "
                    "appear here: how often a session the learner really booked was among the ten suggested, for "
                    "PeerLearn's model and for simple rules to compare with.",
                    size="2",
                    color_scheme="gray",
                    id="offline-evaluation-empty",
                ),
            ),
        ),
        card(
            rx.heading("Recommendation experiments", size="4"),
            rx.cond(
                I.experiments.length() > 0,
                _table(
                    [
                        "Experiment",
                        "Status",
                        "Variant",
                        "Exposed",
                        "Booking conversion (95% CI)",
                        "CTR",
                        "p vs control",
                        "Verdict",
                    ],
                    I.experiments,
                    "experiments",
                ),
                rx.text(
                    "No experiments yet. An experiment shows some learners their recommendations ranked another way; "
                    "once one runs, each version's click rate, bookings and a verdict appear here.",
                    size="2",
                    color_scheme="gray",
                    id="experiments-empty",
                ),
            ),
        ),
        card(
            rx.heading("Learners at risk of churning", size="4"),
            rx.text(I.churn_note, size="2", color_scheme="gray", id="churn-note"),
            rx.cond(
                I.at_risk.length() > 0,
                _table(
                    ["Learner", "Churn probability", "Days since last booking", "Bookings (90 d)"],
                    I.at_risk,
                    "at-risk",
                ),
            ),
        ),
        on_mount=I.watch,
        on_unmount=I.stop_watching,
        spacing="4",
        width="100%",
    )


@page(routes.INSIGHTS_DEFINITIONS, "KPI definitions", on_load=[AuthState.require_admin, I.load_insights])
def definitions_page() -> rx.Component:
    return rx.vstack(
        rx.heading("What each number means", size="7"),
        card(
            rx.foreach(
                I.definitions,
                lambda d: rx.vstack(
                    rx.text(d.label, weight="bold", size="2"),
                    rx.text(d.text, size="2"),
                    spacing="0",
                    padding_y="0.4em",
                ),
            )
        ),
        spacing="4",
        width="100%",
    )
