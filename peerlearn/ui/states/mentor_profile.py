"""A mentor's profile page: who they are, what the data says about them, their upcoming sessions, their reviews."""

from __future__ import annotations

from sqlmodel import Session

from peerlearn.catalog.mentors import REVIEW_PAGE_SIZE, MentorProfilePublic, mentor_profile, mentor_reviews
from peerlearn.platform.errors import NotFoundError
from peerlearn.ui.format.mentors import (
    MentorHeader,
    MentorReview,
    TrustSignal,
    UpcomingSession,
    mentor_header,
    trust_signals,
    upcoming_sessions,
)
from peerlearn.ui.format.mentors import mentor_reviews as review_lines
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment


def _read_profile(mentor_id: int, db: Session) -> MentorProfilePublic | None:
    try:
        return mentor_profile(mentor_id, db=db)
    except NotFoundError:
        return None


class MentorProfileState(AuthState):
    found: bool = True
    mentor: MentorHeader = MentorHeader()
    signals: list[TrustSignal] = []
    skills: list[str] = []
    languages: str = ""
    upcoming: list[UpcomingSession] = []
    reviews: list[MentorReview] = []
    review_total: int = 0
    review_page: int = 1

    async def load_mentor(self):
        mentor_id, tz = last_path_segment(self.router.url.path), self.viewer_timezone
        profile = await self._read(lambda db: _read_profile(mentor_id, db))
        self.found = profile is not None
        if profile is None:
            return
        self.mentor, self.signals = mentor_header(profile), trust_signals(profile, tz)
        self.skills, self.languages = profile.skills, ", ".join(profile.languages)
        self.upcoming = upcoming_sessions(profile.upcoming, tz)
        self.reviews, self.review_total = review_lines(profile.reviews.items, tz), profile.reviews.total
        self.review_page = 1

    async def more_reviews(self):
        """The next page of reviews, added below the ones shown."""
        mentor_id, page, tz = int(self.mentor.id or 0), self.review_page + 1, self.viewer_timezone
        try:
            found = await self._read(lambda db: mentor_reviews(mentor_id, db=db, page=page, page_size=REVIEW_PAGE_SIZE))
        except NotFoundError:
            return
        self.reviews = self.reviews + review_lines(found.items, tz)
        self.review_page, self.review_total = page, found.total
