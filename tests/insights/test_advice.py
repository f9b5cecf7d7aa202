"""Mentors' pricing advice and success hint: grounded in comparable sessions, and honest when data is thin."""

from datetime import timedelta

import pytest

from peerlearn.demo_data import seed_demo
from peerlearn.insights.advice import session_success_hint, suggest_price
from peerlearn.models.types import utcnow
from tests.factories import make_user


def test_with_too_little_data_the_advice_says_so(db):
    mentor = make_user(db, mentor=True)
    assert suggest_price(["Underwater Basket Weaving"], "USD", db=db).low_minor is None
    hint = session_success_hint(mentor.id, 2000, 4, utcnow() + timedelta(days=3), db=db)
    assert hint.probability is None and "Not enough" in hint.reason


@pytest.mark.slow  # seeds the whole demo marketplace: 25-35 s
def test_price_range_comes_from_comparable_sessions_that_filled(db):
    seed_demo(db=db)
    db.commit()
    suggestion = suggest_price(["Public Speaking", "German", "Spanish"], "USD", db=db)
    assert suggestion.low_minor is not None and 0 < suggestion.low_minor <= suggestion.high_minor
    assert "comparable" in suggestion.reason
    mentor = make_user(db, mentor=True)
    hint = session_success_hint(mentor.id, 2000, 4, utcnow() + timedelta(days=3), db=db)
    assert hint.probability is not None and 0 < hint.probability < 1
