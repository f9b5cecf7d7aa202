"""The /mentors directory: words, a skill, a sort and pages; each mentor's next free seat in the viewer's zone."""

from __future__ import annotations

import reflex as rx

from peerlearn.catalog.mentors import MentorSort, mentor_directory, parse_mentor_filters
from peerlearn.platform.errors import ValidationError
from peerlearn.ui.format.mentors import MentorCardView, mentor_cards
from peerlearn.ui.states.auth import AuthState

PAGE_SIZE = 12
SORT_LABELS = {
    MentorSort.RECOMMENDED.value: "Recommended",
    MentorSort.RATING.value: "Best rated",
    MentorSort.SESSIONS_TAUGHT.value: "Most sessions taught",
    MentorSort.SOONEST.value: "Soonest free seat",
}
# What each order means, said under the sort, so the label is the whole truth.
SORT_EXPLAINED = {
    MentorSort.RECOMMENDED.value: "Recommended: mentors whose paid plan includes directory priority come first, "
    "then the best rated.",
    MentorSort.RATING.value: "Best rated first, by learners' average rating and then how many rated; plans play "
    "no part.",
    MentorSort.SESSIONS_TAUGHT.value: "Most sessions taught first.",
    MentorSort.SOONEST.value: "Soonest free seat first; mentors with no open session come last.",
}


class MentorDirectoryState(AuthState):
    q: str = ""
    skill: str = ""
    sort: str = MentorSort.RECOMMENDED.value
    page: int = 1
    total: int = 0
    mentors: list[MentorCardView] = []
    problem: str = ""

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def sort_label(self) -> str:
        return SORT_LABELS.get(self.sort, "")

    @rx.var
    def sort_explained(self) -> str:
        return SORT_EXPLAINED.get(self.sort, "")

    async def load_mentors(self):
        query = self.router.url.query_parameters
        self.q, self.skill = str(query.get("q", self.q)), str(query.get("skill", self.skill))
        await self._search()

    async def submit_search(self, form_data: dict):
        self.q, self.skill, self.page = str(form_data.get("q", "")), str(form_data.get("skill", "")), 1
        await self._search()

    async def set_sort(self, label: str):
        self.sort = next((key for key, text in SORT_LABELS.items() if text == label), MentorSort.RECOMMENDED.value)
        self.page = 1
        await self._search()

    async def clear(self):
        self.q, self.skill, self.sort, self.page = "", "", MentorSort.RECOMMENDED.value, 1
        await self._search()

    async def go_to_page(self, page: int):
        self.page = max(1, min(page, self.pages))
        await self._search()

    async def _search(self) -> None:
        self.problem = ""
        try:
            filters = parse_mentor_filters(
                q=self.q.strip(), skill=self.skill.strip(), sort=self.sort, page=self.page, page_size=PAGE_SIZE
            )
        except ValidationError as error:
            self.problem, self.mentors, self.total = error.message, [], 0
            return
        tz = self.viewer_timezone
        found = await self._read(lambda db: mentor_directory(filters, db=db))
        self.total, self.mentors = found.total, mentor_cards(found.items, tz)
