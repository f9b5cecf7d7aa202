"""The discovery page: search box, facets, sort and pages; times in the viewer's time zone."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from peerlearn.catalog.search import parse_filters, search_sessions
from peerlearn.money import to_minor
from peerlearn.platform.errors import ValidationError
from peerlearn.ui.format.catalog import session_card
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.sponsored import SponsoredState
from peerlearn.ui.views import SessionCard

ANY = "any"
PAGE_SIZE = 12


class DiscoverState(AuthState):
    q: str = ""
    skill: str = ANY
    category: str = ANY
    level: str = ANY
    language: str = ANY
    min_price: str = ""
    max_price: str = ""
    starts_after: str = ""
    starts_before: str = ""
    min_rating: str = ANY
    sort: str = "relevance"
    page: int = 1
    results: list[SessionCard] = []
    total: int = 0
    skills: list[str] = [ANY]
    categories: list[str] = [ANY]
    languages: list[str] = [ANY]
    problem: str = ""
    filters_open: bool = False  # phones: the filters fold away behind a button

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.event
    def toggle_filters(self):
        self.filters_open = not self.filters_open

    @rx.event
    async def set_filter(self, name: str, value: str):
        if name in {
            "q",
            "skill",
            "category",
            "level",
            "language",
            "min_price",
            "max_price",
            "starts_after",
            "starts_before",
            "min_rating",
            "sort",
        }:
            setattr(self, name, value)
        self.page = 1
        return await self._search()

    async def load_discover(self):
        self.q = self.router.url.query_parameters.get("q", self.q)
        return await self._search()

    async def clear_filters(self):
        self.q, self.skill, self.category, self.level, self.language = "", ANY, ANY, ANY, ANY
        self.min_price = self.max_price = self.starts_after = self.starts_before = ""
        self.min_rating, self.sort, self.page = ANY, "relevance", 1
        return await self._search()

    async def go_to_page(self, page: int):
        self.page = max(1, min(page, self.pages))
        return await self._search()

    def _price(self, text: str) -> int | None:
        return to_minor(text.strip(), "USD") if text.strip() else None

    async def _search(self) -> EventSpec | None:
        """The search; then, when it showed sponsored items, the event that records their impressions."""
        self.problem = ""

        def pick(value: str) -> str | None:
            return None if value == ANY else value

        try:
            filters = parse_filters(
                q=self.q,
                skill=pick(self.skill),
                category=pick(self.category),
                level=pick(self.level),
                language=pick(self.language),
                min_price=self._price(self.min_price),
                max_price=self._price(self.max_price),
                starts_after=self.starts_after or None,
                starts_before=self.starts_before or None,
                min_rating=pick(self.min_rating),
                sort=self.sort,
                page=self.page,
                page_size=PAGE_SIZE,
                zone=self.viewer_timezone,
            )
        except (ValidationError, ValueError) as error:
            self.problem = getattr(error, "message", "Prices are amounts like 25 or 25.50.")
            return None
        tz = self.viewer_timezone
        result = await self._read(lambda db: search_sessions(filters, db=db))
        self.total = result.total
        self.results = [session_card(s, tz) for s in result.items]
        self.skills = [ANY] + sorted(result.facets.get("skills", {}))
        self.categories = [ANY] + sorted(result.facets.get("categories", {}))
        self.languages = [ANY] + sorted(result.facets.get("languages", {}))
        shown = [s.id for s in result.items if s.sponsored]
        return SponsoredState.note_shown(shown) if shown else None
