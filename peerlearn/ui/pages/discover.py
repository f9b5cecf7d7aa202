"""Find sessions: search, filter, sort, page through; recommendations for signed-in learners."""

import reflex as rx

from peerlearn.models.enums import SkillLevel
from peerlearn.ui import routes
from peerlearn.ui.components.recommended import recommended_strip
from peerlearn.ui.components.zone_switcher import heading_with_zone_switcher
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.discover import ANY
from peerlearn.ui.states.discover import DiscoverState as D
from peerlearn.ui.states.recommendations import RecommendationsState
from peerlearn.ui.states.sponsored import SponsoredState
from peerlearn.ui.views import SessionCard


def _select(label: str, name: str, options, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.select(options, value=value, on_change=lambda v: D.set_filter(name, v), size="2", width="100%"),
        spacing="1",
        width="100%",
    )


def _text(label: str, name: str, value, placeholder: str = "", type_: str = "text") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.input(
            value=value,
            placeholder=placeholder,
            type=type_,
            size="2",
            width="100%",
            on_change=lambda v: D.set_filter(name, v),
            debounce_timeout=400,
        ),
        spacing="1",
        width="100%",
    )


def _filters_toggle() -> rx.Component:
    """Phones only: the filters stay folded until asked for, so results come first."""
    return rx.button(
        rx.icon("sliders-horizontal", size=16),
        rx.cond(D.filters_open, "Hide filters", "Filters"),
        variant="soft",
        width="100%",
        on_click=D.toggle_filters,
        display=["flex", "flex", "flex", "none"],
        id="filters-toggle",
    )


def _filters() -> rx.Component:
    folded = rx.cond(D.filters_open, "block", "none")
    return rx.box(
        _filter_card(),
        display=[folded, folded, folded, "block"],  # beside the results from "md" (62em) on
        width="100%",
        min_width="0",
        id="filters",
    )


def _filter_card() -> rx.Component:
    return card(
        rx.vstack(
            _select("Skill", "skill", D.skills, D.skill),
            _select("Category", "category", D.categories, D.category),
            _select("Level", "level", [ANY] + [level.value for level in SkillLevel], D.level),
            _select("Language", "language", D.languages, D.language),
            rx.grid(
                _text("Min price", "min_price", D.min_price, "0"),
                _text("Max price", "max_price", D.max_price, "50"),
                columns="2",
                spacing="2",
                width="100%",
            ),
            _text("From", "starts_after", D.starts_after, type_="date"),
            _text("Until", "starts_before", D.starts_before, type_="date"),
            _select("Mentor rating", "min_rating", [ANY, "3", "4", "4.5"], D.min_rating),
            rx.button("Clear filters", variant="soft", width="100%", on_click=D.clear_filters),
            spacing="3",
            width="100%",
        )
    )


def _result(item: rx.Var[SessionCard]) -> rx.Component:
    """A result card, a link to the session; a sponsored one records its click on the way there."""
    return rx.cond(
        item.sponsored,
        rx.box(
            _result_card(item),
            on_click=SponsoredState.open_sponsored(item.id),
            cursor="pointer",
            role="link",
            class_name="sponsored-result",
        ),
        rx.link(_result_card(item), href="/sessions/" + item.id, underline="none", color="inherit"),
    )


def _result_card(item: rx.Var[SessionCard]) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    item.sponsored,
                    rx.badge("Sponsored", color_scheme="gray", variant="surface", class_name="sponsored-label"),
                ),
                rx.badge(item.level, variant="soft"),
                rx.badge(item.language, variant="outline"),
                rx.spacer(),
                rx.text(item.price, weight="bold"),
                width="100%",
            ),
            rx.heading(item.title, size="4", overflow_wrap="anywhere"),
            rx.text(item.when, size="2"),
            rx.text(item.skills, size="1", color_scheme="gray"),
            rx.hstack(
                rx.text(  # the card is a link to the session already: no link inside a link
                    item.mentor,
                    size="2",
                    text_decoration="underline",
                    cursor="pointer",
                    role="link",
                    class_name="mentor-link",
                    on_click=rx.redirect(item.mentor_href).stop_propagation.prevent_default,
                ),
                rx.badge(rx.icon("star", size=12), item.rating, color_scheme="amber"),
                rx.spacer(),
                rx.text(item.spots, size="1", color_scheme="gray"),
                width="100%",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
        class_name="session-result",
    )


def _empty() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("No sessions match", size="4"),
            rx.text("Try fewer words, a wider date range, or clear the filters. Popular skills right now: ", size="2"),
            rx.hstack(
                *[
                    rx.button(s, size="1", variant="soft", on_click=D.set_filter("q", s))
                    for s in ("Python", "Spanish", "Public Speaking")
                ],
                wrap="wrap",
            ),
            rx.button("Clear all filters", on_click=D.clear_filters),
            spacing="3",
        ),
        id="empty-results",
    )


@page(
    routes.DISCOVER,
    "Find sessions",
    on_load=[AuthState.load_session, D.load_discover, RecommendationsState.load_recommendations],
)
def discover_page() -> rx.Component:
    return rx.vstack(
        heading_with_zone_switcher("Find a session"),
        rx.hstack(
            rx.input(
                placeholder="Search by topic, skill or mentor",
                value=D.q,
                on_change=lambda v: D.set_filter("q", v),
                debounce_timeout=400,
                size="3",
                width="100%",
                id="search-input",
            ),
            rx.select(
                ["relevance", "soonest", "price", "price_desc", "rating"],
                value=D.sort,
                on_change=lambda v: D.set_filter("sort", v),
                size="3",
            ),
            width="100%",
        ),
        rx.cond(D.problem != "", rx.callout(D.problem, color_scheme="red", icon="triangle-alert")),
        _filters_toggle(),
        rx.grid(
            _filters(),
            rx.vstack(
                rx.text(D.total, " sessions", size="2", color_scheme="gray", id="result-count"),
                rx.cond(
                    D.total > 0,
                    rx.grid(
                        rx.foreach(D.results, _result),
                        columns=rx.breakpoints(initial="1", md="2"),
                        spacing="3",
                        width="100%",
                        id="results",
                    ),
                    _empty(),
                ),
                rx.hstack(
                    rx.button("Previous", variant="soft", disabled=D.page <= 1, on_click=D.go_to_page(D.page - 1)),
                    rx.text("Page ", D.page, " of ", D.pages, size="2"),
                    rx.button("Next", variant="soft", disabled=D.page >= D.pages, on_click=D.go_to_page(D.page + 1)),
                    align="center",
                ),
                width="100%",
                min_width="0",
                spacing="3",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            style={"grid-template-columns": rx.breakpoints(initial="minmax(0, 1fr)", md="260px minmax(0, 1fr)")},
        ),
        recommended_strip(),
        spacing="4",
        width="100%",
    )
