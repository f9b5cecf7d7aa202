"""Mentor pages: teaching dashboard, session editor, one session's management."""

import reflex as rx

from peerlearn.models.enums import SkillLevel
from peerlearn.ui import routes
from peerlearn.ui.components.confirm import confirm_dialog
from peerlearn.ui.format.session_form import EditorValues
from peerlearn.ui.layout import card, error_callout, page, stack_on_phone
from peerlearn.ui.pages.login import labelled
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.manage_session import ManageSessionState as M
from peerlearn.ui.states.mentor_verification import MentorVerificationState as V
from peerlearn.ui.states.session_editor import SessionEditorState as E
from peerlearn.ui.states.teaching import TeachingState as T
from peerlearn.ui.views import EarningRow, MentorSessionRow, Participant, PayoutRow, ReviewItem


def _table(headers: list[str], rows, render, empty: str, table_id: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(rows, render)),
                width="100%",
                id=table_id,
            ),
            overflow_x="auto",
            width="100%",
            style=stack_on_phone(headers),
        ),
        rx.text(empty, color_scheme="gray", size="2"),
    )


def _session_row(row: rx.Var[MentorSessionRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row.title, href="/teach/sessions/" + row.id)),
        rx.table.cell(row.when),
        rx.table.cell(rx.badge(row.status, variant="soft")),
        rx.table.cell(row.booked),
        rx.table.cell(row.fill),
        rx.table.cell(row.price),
    )


def _upcoming_row(row: rx.Var[MentorSessionRow]) -> rx.Component:
    """An upcoming session, with Edit while it can still change (a draft or published one)."""
    return rx.table.row(
        rx.table.cell(rx.link(row.title, href="/teach/sessions/" + row.id)),
        rx.table.cell(row.when),
        rx.table.cell(rx.badge(row.status, variant="soft")),
        rx.table.cell(row.booked),
        rx.table.cell(row.fill),
        rx.table.cell(row.price),
        rx.table.cell(
            rx.cond(
                (row.status == "draft") | (row.status == "published"),
                rx.link(
                    rx.button(rx.icon("pencil", size=14), "Edit", size="1", variant="soft"),
                    href="/teach/sessions/" + row.id + "/edit",
                    class_name="edit-session",
                ),
            )
        ),
    )


def _stat(label: str, value) -> rx.Component:
    return card(rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.heading(value, size="6"), spacing="1"))


def _review(item: rx.Var[ReviewItem]) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(item.stars, color=rx.color("amber", 9)), rx.text(item.who, size="2", weight="medium")),
        rx.text(item.comment, size="2"),
        rx.cond(
            item.reply != "",
            rx.text("You replied: ", item.reply, size="1", color_scheme="gray"),
            rx.form(
                rx.hstack(
                    rx.input(type="hidden", name="review_id", value=item.id),
                    rx.input(name="reply", placeholder="Reply once, publicly", size="1", width="18em"),
                    rx.button("Reply", size="1", type="submit"),
                ),
                on_submit=T.reply,
            ),
        ),
        spacing="1",
        padding_y="0.4em",
    )


def _payout_form(e: rx.Var[EarningRow]) -> rx.Component:
    """Ask for the available money (all of it unless a smaller amount is typed)."""
    return rx.cond(
        e.can_request,
        rx.form(
            rx.hstack(
                rx.el.input(type="hidden", name="currency", value=e.currency),
                rx.input(name="amount", default_value=e.available_amount, width="7em", size="1", aria_label="Amount"),
                rx.button("Request payout", size="1", type="submit", class_name="request-payout"),
                spacing="2",
                align="center",
            ),
            on_submit=T.ask_payout,
            reset_on_submit=False,
            key=e.currency + e.available_amount,  # a new balance: the amount starts again from all that is available
        ),
        rx.text("Payouts start at ", e.minimum, size="1", color_scheme="gray"),
    )


def _payout_item(p: rx.Var[PayoutRow]) -> rx.Component:
    return rx.hstack(
        rx.text(p.when, size="2"),
        rx.spacer(),
        rx.text(p.amount, size="2", weight="medium"),
        rx.badge(p.status, color_scheme=rx.cond(p.paid, "green", "amber"), variant="soft"),
        width="100%",
        wrap="wrap",
        align="center",
    )


def _earnings_card() -> rx.Component:
    return card(
        rx.heading("Earnings", size="5"),
        _table(
            ["Currency", "In escrow", "Available", "Requested", "Paid out", ""],
            T.earnings,
            lambda e: rx.table.row(
                rx.table.cell(e.currency),
                rx.table.cell(e.pending),
                rx.table.cell(e.available),
                rx.table.cell(e.requested),
                rx.table.cell(e.paid),
                rx.table.cell(_payout_form(e)),
            ),
            "No earnings yet. What learners pay for your sessions shows here, held for 48 hours after each session "
            "ends, then available to pay out.",
            "earnings",
        ),
        rx.heading("Payouts", size="3", padding_top="0.8em"),
        rx.cond(
            T.payouts.length() > 0,
            rx.vstack(rx.foreach(T.payouts, _payout_item), spacing="2", width="100%", id="payout-history"),
            rx.text(
                "No payouts yet. Request your available earnings here; each payout is listed with its status.",
                size="2",
                color_scheme="gray",
                id="payout-history-empty",
            ),
        ),
    )


def _verification() -> rx.Component:
    """Where the mentor's verification stands; while nothing waits, a way to ask (with what the admin can check)."""
    return card(
        rx.hstack(
            rx.icon("badge-check", size=18, color=rx.cond(V.verified, rx.color("green", 10), rx.color("gray", 10))),
            rx.heading("Verification", size="4"),
            rx.badge(V.verification_status, variant="soft", id="verification-status"),
            align="center",
            spacing="2",
        ),
        rx.text(V.verification_message, size="2", margin_top="0.4em", id="verification-message"),
        rx.cond(
            V.can_ask,
            rx.form(
                rx.flex(
                    rx.input(
                        name="note",
                        placeholder="What can the admin check? e.g. a LinkedIn or portfolio link",
                        max_length=300,
                        flex="1",
                        width="100%",
                        id="verification-note",
                    ),
                    rx.button("Ask to be verified", type="submit", id="ask-verification"),
                    direction=rx.breakpoints(initial="column", sm="row"),
                    gap="2",
                    width="100%",
                ),
                on_submit=V.ask_verification,
                reset_on_submit=True,
                margin_top="0.6em",
                width="100%",
            ),
        ),
        id="verification-card",
    )


@page(routes.TEACH, "Teach", on_load=[AuthState.require_mentor, T.load_teaching, V.load_verification])
def teaching_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Your teaching", size="7"),
            rx.spacer(),
            rx.link(
                rx.button(rx.icon("sparkles", size=16), "Plans", variant="soft", id="teach-plans"),
                href=routes.MENTOR_PLANS,
            ),
            rx.link(rx.button(rx.icon("plus", size=16), "New session", id="new-session"), href=routes.TEACH_NEW),
            width="100%",
            wrap="wrap",
        ),
        rx.grid(
            _stat("Average rating", T.rating),
            _stat("Upcoming sessions", T.upcoming.length()),
            rx.foreach(T.earnings, lambda e: _stat(rx.text("Available ", e.currency), e.available)),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
        ),
        _verification(),
        rx.cond(
            T.approvals.length() > 0,
            card(
                rx.heading("Waiting for your approval", size="4"),
                rx.foreach(
                    T.approvals,
                    lambda a: rx.hstack(
                        rx.text(a.learner, " → ", a.title, size="2"),
                        rx.spacer(),
                        rx.button("Accept", size="1", on_click=T.decide(a.booking_id, True)),
                        rx.button(
                            "Decline",
                            size="1",
                            color_scheme="red",
                            variant="soft",
                            on_click=T.decide(a.booking_id, False),
                        ),
                        width="100%",
                    ),
                ),
            ),
        ),
        card(
            rx.heading("Next two weeks (", T.timezone, ")", size="5"),
            rx.grid(
                rx.foreach(
                    T.calendar,
                    lambda d: rx.box(
                        rx.text(d.day, size="1", weight="bold"),
                        rx.text(d.sessions, size="1", white_space="pre-wrap"),
                        padding="0.5em",
                        border_radius="6px",
                        min_height="5em",
                        background=rx.cond(d.busy, rx.color("indigo", 3), rx.color("gray", 2)),
                    ),
                ),
                columns=rx.breakpoints(initial="2", sm="4", md="7"),
                spacing="2",
                width="100%",
                id="teaching-calendar",
            ),
        ),
        card(
            rx.heading("Upcoming", size="5"),
            _table(
                ["Session", "When", "Status", "Booked", "Fill", "Price", ""],
                T.upcoming,
                _upcoming_row,
                "No upcoming sessions. Create one to start teaching.",
                "teaching-upcoming",
            ),
        ),
        _earnings_card(),
        card(
            rx.heading("Recent reviews", size="5"),
            rx.cond(
                T.reviews.length() > 0,
                rx.foreach(T.reviews, _review),
                rx.text("No reviews yet.", size="2", color_scheme="gray"),
            ),
        ),
        card(
            rx.heading("Past sessions", size="5"),
            _table(
                ["Session", "When", "Status", "Booked", "Fill", "Price"],
                T.past,
                _session_row,
                "Nothing yet.",
                "teaching-past",
            ),
        ),
        spacing="4",
        width="100%",
    )


def _field(label, name: str, control: rx.Component) -> rx.Component:
    """A labelled input with its own error line under it (set by the edit form's checks and the domain's rules)."""
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label"),
        control,
        rx.cond(
            E.field_errors.contains(name),
            rx.text(E.field_errors[name], size="2", color_scheme="red", id=f"error-{name}", role="alert"),
        ),
        spacing="1",
        width="100%",
    )


def _editor_form(v, *, editing: bool = False, **props) -> rx.Component:
    """The session form. `v`: the values it starts with (`EditorValues()` for a new session, `E.before` to edit)."""
    two = lambda *children: rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")
    text = lambda name, width="100%", **props: rx.input(name=name, default_value=getattr(v, name), width=width, **props)
    return rx.form(
        rx.vstack(
            _field("Title", "title", text("title", required=True, id="session-title-input")),
            _field(
                "Description",
                "description",
                rx.text_area(name="description", rows="4", width="100%", default_value=v.description),
            ),
            two(
                _field(
                    "Skills (comma separated)", "skills", text("skills", placeholder="Python, SQL", id="session-skills")
                ),
                _field("Category", "category", text("category", placeholder="Programming")),
            ),
            two(
                _field(
                    "Level",
                    "level",
                    rx.select([lvl.value for lvl in SkillLevel], name="level", default_value=v.level),
                ),
                _field("Language", "language", text("language")),
            ),
            two(
                _field(
                    rx.text("Date (", E.timezone, ")"),
                    "date",
                    text("date", type="date", required=True, id="session-date", width="auto"),
                ),
                _field("Start time", "time", text("time", type="time", required=True, id="session-time", width="auto")),
            ),
            two(
                _field("Duration (minutes)", "minutes", text("minutes")),
                _field("Seats (1 for 1:1)", "capacity", text("capacity", id="session-capacity")),
            ),
            two(
                _field("Price", "price", text("price", id="session-price")),
                _field(
                    "Currency",
                    "currency",
                    rx.select(["USD", "EUR", "GBP", "INR"], name="currency", default_value=v.currency),
                ),
            ),
            two(
                _field("Minimum booking notice (minutes)", "notice", text("notice")),
                _field("Cancellation cut-off (hours before)", "cutoff", text("cutoff")),
            ),
            two(
                _field(
                    "Refund when a learner cancels in time",
                    "refund_policy",
                    rx.select(["full", "partial", "none"], name="refund_policy", default_value=v.refund_policy),
                ),
                _field("Partial refund (%)", "partial_percent", text("partial_percent")),
            ),
            two(
                _field("Buffer between your sessions (minutes)", "buffer", text("buffer")),
                rx.fragment()
                if editing
                else labelled("Repeat weekly for (weeks)", rx.input(name="weeks", default_value="1", width="100%")),
            ),
            rx.hstack(
                rx.checkbox("I approve each booking", name="requires_approval", default_checked=v.requires_approval),
                rx.fragment() if editing else rx.checkbox("Save as draft", name="draft"),
                spacing="5",
                wrap="wrap",
            ),
            rx.button(
                "Save changes" if editing else "Create session",
                type="submit",
                size="3",
                id="save-session" if editing else "create-session",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=E.submit_edit if editing else E.submit_session,
        reset_on_submit=False,
        **props,
    )


def _advice_form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Pricing advice", size="4"),
                rx.hstack(
                    rx.input(name="skills", placeholder="Skills, e.g. Python", width="16em"),
                    rx.input(name="price", placeholder="Price", width="7em"),
                    rx.select(["USD", "EUR", "GBP", "INR"], name="currency", default_value="USD"),
                    rx.input(name="capacity", placeholder="Seats", width="6em"),
                    rx.button("Advise me", type="submit", variant="soft"),
                    wrap="wrap",
                ),
                rx.foreach(E.advice, lambda line: rx.text(line, size="2", color_scheme="gray")),
                spacing="2",
                width="100%",
            ),
            on_submit=E.get_advice,
            reset_on_submit=False,
        )
    )


@page(routes.TEACH_NEW, "New session", on_load=[AuthState.require_mentor, E.load_editor])
def new_session_page() -> rx.Component:
    return rx.vstack(
        rx.heading("New session", size="7"),
        _advice_form(),
        error_callout(E.editor_error),
        card(_editor_form(EditorValues())),
        spacing="4",
        width="100%",
    )


@page(routes.TEACH_EDIT, "Edit session", on_load=[AuthState.require_mentor, E.load_edit])
def edit_session_page() -> rx.Component:
    """The new-session form, prefilled; once learners booked, time and price stay as they are (the domain's rule)."""
    return rx.vstack(
        rx.heading("Edit session", size="7"),
        error_callout(E.editor_error),
        rx.cond(
            E.edit_id > 0,
            rx.vstack(
                rx.link("Back to this session", href="/teach/sessions/" + E.edit_id.to_string(), size="2"),
                # mounted once loaded, and again on each load (key), so its inputs start with the session's values
                card(_editor_form(E.before, editing=True, key=E.edit_version.to_string())),
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


def _person(row: rx.Var[Participant]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.learner),
        rx.table.cell(rx.badge(row.status, variant="soft")),
        rx.table.cell(row.attendance),
        rx.table.cell(
            rx.cond(
                (row.booking_id != "") & M.started,
                rx.hstack(
                    rx.button("Attended", size="1", variant="soft", on_click=M.mark(row.booking_id, True)),
                    rx.button(
                        "No-show",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=M.mark(row.booking_id, False),
                    ),
                ),
            )
        ),
    )


@page(routes.TEACH_SESSION, "Manage session", on_load=[AuthState.require_mentor, M.load_manage])
def manage_session_page() -> rx.Component:
    return rx.vstack(
        rx.heading(M.info.title, size="7", id="manage-title"),
        rx.hstack(
            rx.badge(M.info.status, size="2", id="manage-status"),
            rx.text(M.info.when),
            rx.text(M.info.booked, " booked"),
            rx.text(M.info.price),
            wrap="wrap",
            spacing="3",
        ),
        rx.hstack(
            rx.cond(M.info.status == "draft", rx.button("Publish", on_click=M.publish)),
            rx.cond(M.info.status == "published", rx.button("Unpublish", variant="soft", on_click=M.unpublish)),
            rx.cond(
                (M.info.status == "published") & M.started,
                rx.button("Take attendance from the live room", variant="soft", on_click=M.apply_room_attendance),
            ),
            rx.cond((M.info.status == "published") & M.ended, rx.button("Mark completed", on_click=M.complete)),
            rx.cond(
                (M.info.status == "draft") | ((M.info.status == "published") & ~M.started),
                rx.link(
                    rx.button(rx.icon("pencil", size=16), "Edit", variant="soft"),
                    href="/teach/sessions/" + M.session_id.to_string() + "/edit",
                    id="edit-session",
                ),
            ),
            rx.link(rx.button("View public page", variant="outline"), href="/sessions/" + M.session_id.to_string()),
            rx.cond(
                M.can_open_room,
                rx.button(rx.icon("video", size=16), "Open the room now", on_click=M.open_room_now, id="open-room-now"),
                rx.link(
                    rx.button(rx.icon("video", size=16), "Open the live room", variant="soft"),
                    href="/room/" + M.session_id.to_string(),
                ),
            ),
            wrap="wrap",
        ),
        rx.cond(
            (M.info.status == "published") & (M.room.note != ""),
            rx.text(M.room.note, size="2", color_scheme="gray", id="manage-room-note"),
        ),
        card(
            rx.heading("Learners and waitlist", size="4"),
            _table(
                ["Learner", "Status", "Attendance", ""], M.people, _person, "Nobody has booked yet.", "participants"
            ),
        ),
        rx.cond(
            (M.info.status == "published") & ~M.started,  # once live or over, a session can no longer be cancelled
            card(
                rx.form(
                    rx.vstack(
                        rx.heading("Cancel this session", size="4"),
                        rx.text("Every learner is refunded in full and told at once.", size="2", color_scheme="gray"),
                        rx.input(name="reason", placeholder="Reason shown to learners", width="100%"),
                        rx.button("Cancel session", color_scheme="red", type="submit", id="cancel-session"),
                        spacing="2",
                    ),
                    on_submit=M.ask_cancel,
                    reset_on_submit=False,
                ),
                id="cancel-session-card",
            ),
        ),
        confirm_dialog(
            open_=M.cancel_asked,
            title="Cancel " + M.info.title + "?",
            statement=M.cancel_statement,
            detail=rx.cond(
                M.cancel_reason != "",
                rx.text("Reason they will read: ", M.cancel_reason, size="2", color_scheme="gray"),
            ),
            confirm_label="Cancel session",
            on_confirm=M.cancel,
            dismiss_label="Keep session",
            on_dismiss=M.keep_session,
            dialog_id="cancel-session-dialog",
        ),
        spacing="4",
        width="100%",
    )
