"""The Pro badge reaches the directory card and the profile header only for a mentor whose plan gives it."""

from __future__ import annotations

from datetime import UTC, datetime

from peerlearn.catalog.mentors import MentorProfilePublic, MentorSummary, ReviewPage
from peerlearn.ui.format.mentors import mentor_card, mentor_header


def _profile(pro: bool) -> MentorProfilePublic:
    return MentorProfilePublic(
        id=7,
        full_name="Ada Lovelace",
        member_since=datetime(2025, 3, 1, tzinfo=UTC),
        pro=pro,
        reviews=ReviewPage(items=[], total=0, page=1, page_size=5),
    )


def test_the_badge_shows_for_a_pro_mentor_only():
    assert mentor_card(MentorSummary(id=1, full_name="Ada", pro=True), "UTC").pro is True
    assert mentor_card(MentorSummary(id=2, full_name="Bob"), "UTC").pro is False
    assert mentor_header(_profile(True)).pro is True
    assert mentor_header(_profile(False)).pro is False
