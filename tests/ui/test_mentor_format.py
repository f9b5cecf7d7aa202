"""How the mentor directory and profile read: only signals that hold, times in the viewer's zone with it named."""

from __future__ import annotations

from datetime import UTC, datetime

from peerlearn.catalog.mentors import MentorProfilePublic, MentorSummary, ReviewPage
from peerlearn.ui.format.mentors import initials, mentor_card, trust_signals

JOINED = datetime(2026, 3, 10, 12, tzinfo=UTC)


def _profile(**fields) -> MentorProfilePublic:
    return MentorProfilePublic(
        id=7,
        full_name="Ada Lovelace",
        member_since=JOINED,
        reviews=ReviewPage(items=[], total=0, page=1, page_size=5),
        **fields,
    )


def test_a_new_mentor_shows_no_claims_only_when_they_joined():
    signals = trust_signals(_profile(), "UTC")
    assert [s.key for s in signals] == ["member"]
    assert signals[0].text == "Member since March 2026"


def test_each_signal_appears_when_the_data_holds_it():
    p = _profile(
        verified=True,
        sessions_taught=1,
        learners_taught=12,
        repeat_learners=3,
        review_replies=2,
        rating_count=9,
        years_experience=6,
    )
    texts = {s.key: s.text for s in trust_signals(p, "UTC")}
    assert texts == {
        "verified": "Verified mentor",
        "taught": "1 session taught",
        "learners": "12 learners attended",
        "repeat": "3 learners came back for more",
        "replies": "Replied to 2 of 9 reviews",
        "years": "6 years of experience",
        "member": "Member since March 2026",
    }


def test_a_directory_card_names_the_zone_of_the_next_free_seat_and_says_new_when_unrated():
    start = datetime(2026, 12, 10, 17, tzinfo=UTC)
    card = mentor_card(MentorSummary(id=3, full_name="Bo Busy", next_available_at=start), "Asia/Kolkata")
    assert card.next_free.startswith("Next free seat ") and "(Asia/Kolkata)" in card.next_free
    assert "22:30" in card.next_free
    assert (card.rating, card.reviews, card.taught, card.href) == ("New", "No reviews yet", "", "/mentors/3")
    idle = mentor_card(MentorSummary(id=4, full_name="Quinn", rating_avg=4.5, rating_count=2), "UTC")
    assert (idle.next_free, idle.has_next, idle.rating, idle.reviews) == (
        "No open sessions right now",
        False,
        "4.5",
        "2 reviews",
    )


def test_initials():
    assert [initials(n) for n in ("Ada Lovelace", "Cher", "", "  jean  paul  sartre ")] == ["AL", "C", "?", "JS"]
