"""Learning paths: type or pick a goal, see the route with your progress, follow it, book its next step."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.format.paths import NextSession, PathCard, PathStepRow
from peerlearn.ui.layout import card, error_callout, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.learning_paths import GOAL_PICKS
from peerlearn.ui.states.learning_paths import PathsState as P


def _goal_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Where do you want to get to?", size="2", weight="medium", as_="label", html_for="goal-input"),
            rx.hstack(
                rx.input(
                    name="goal",
                    placeholder="e.g. Data analyst (empty: your profile's goal)",
                    default_value=P.goal,
                    max_length=200,
                    id="goal-input",
                    flex="1",
                    min_width="0",
                ),
                rx.button("Show path", type="submit", loading=P.loading, id="goal-submit"),
                width="100%",
            ),
            rx.hstack(
                *[
                    rx.button(goal, size="1", variant="soft", type="button", on_click=P.pick_goal(goal))
                    for goal in GOAL_PICKS
                ],
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=P.submit_goal,
        width="100%",
    )


def _step(step: rx.Var[PathStepRow]) -> rx.Component:
    return rx.hstack(
        rx.badge(step.status_text, color_scheme=step.color, variant="soft", min_width="4.5em", justify="center"),
        rx.vstack(
            rx.text(step.skill, " · ", step.level, size="2", weight="medium"),
            rx.cond(step.travelled != "", rx.text(step.travelled, size="1", color_scheme="gray")),
            spacing="0",
        ),
        align="center",
        width="100%",
        class_name="path-step",
        data_status=step.status,
    )


def _path(path: rx.Var[PathCard]) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.badge(path.label, color_scheme=rx.cond(path.curated, "violet", "indigo"), class_name="path-label"),
                rx.spacer(),
                rx.text(path.progress, size="1", color_scheme="gray"),
                width="100%",
                wrap="wrap",
            ),
            rx.heading(path.goal, size="4", overflow_wrap="anywhere"),
            rx.vstack(rx.foreach(path.steps, _step), spacing="2", width="100%"),
            rx.hstack(
                rx.cond(
                    path.following,
                    rx.badge(rx.icon("check", size=12), "Following", color_scheme="green", size="2"),
                    rx.button("Follow this path", size="2", on_click=P.follow(path.id), class_name="follow-path"),
                ),
                rx.button("Next sessions", size="2", variant="outline", on_click=P.show(path.id)),
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        class_name="path-card",
    )


def _session(item: rx.Var[NextSession]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(item.title, size="2", weight="medium", overflow_wrap="anywhere"),
                rx.text(item.when, size="1"),
                rx.text(item.mentor, " · ", item.level, " · ", item.spots, size="1", color_scheme="gray"),
                spacing="1",
                min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.badge(item.price, variant="soft"),
                rx.link(rx.button("Book", size="1"), href=item.href, class_name="book-next-step"),
                align="end",
                spacing="2",
            ),
            width="100%",
        ),
        width="100%",
        class_name="next-session",
    )


def _next_step() -> rx.Component:
    return rx.cond(
        P.next_title != "",
        rx.vstack(
            rx.heading(P.next_title, size="4", id="next-step-title"),
            rx.text(P.next_note, size="1", color_scheme="gray"),
            rx.cond(
                P.sessions.length() > 0,
                rx.vstack(rx.foreach(P.sessions, _session), spacing="2", width="100%"),
                rx.text("No upcoming session for this step yet: look again soon.", size="2"),
            ),
            spacing="2",
            width="100%",
            id="next-step",
        ),
    )


@page(routes.LEARNING_PATHS, "Learning paths", on_load=[AuthState.require_login, P.load_paths])
def learning_paths_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Learning paths", size="7"),
        rx.text(
            "Routes mined from what learners booked, completed and rated well, from where you are to your goal.",
            size="2",
            color_scheme="gray",
        ),
        _goal_form(),
        error_callout(P.error),
        rx.cond(P.message != "", rx.text(P.message, size="2", id="path-message")),
        rx.vstack(rx.foreach(P.results, _path), spacing="3", width="100%", id="path-results"),
        _next_step(),
        rx.cond(
            P.mine.length() > 0,
            rx.vstack(
                rx.heading("Paths you follow", size="5"),
                rx.foreach(P.mine, _path),
                spacing="3",
                width="100%",
                id="my-paths",
            ),
        ),
        spacing="4",
        width="100%",
        max_width="760px",
        margin_x="auto",
        padding_y="1.5em",
    )
