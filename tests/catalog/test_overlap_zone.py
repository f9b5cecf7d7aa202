"""A mentor refused for an overlap is told the other session's time in the zone they entered it in."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.catalog import actions as sessions
from peerlearn.models.catalog import LearningSessionCreate
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, ErrorCode
from tests.factories import make_session, make_user


def _clash(start: datetime) -> LearningSessionCreate:
    return LearningSessionCreate(
        title="Clash", start_at=start + timedelta(minutes=30), end_at=start + timedelta(minutes=90), skills=["Go"]
    )


def test_the_overlap_refusal_quotes_the_editors_zone_else_the_profile_zone(db):
    mentor = make_user(db, mentor=True, timezone="Asia/Kolkata")
    day = utcnow().date() + timedelta(days=5)
    start = datetime(day.year, day.month, day.day, 12, 30, tzinfo=UTC)
    make_session(db, mentor, start_in=start - utcnow(), title="First")
    with pytest.raises(ConflictError) as on_page:
        sessions.create_sessions(mentor, _clash(start), db=db, zone="Asia/Tokyo")
    db.rollback()
    assert on_page.value.code == ErrorCode.MENTOR_OVERLAP
    assert "21:30 GMT+9 (Asia/Tokyo)" in on_page.value.message
    with pytest.raises(ConflictError) as over_rest:
        sessions.create_sessions(mentor, _clash(start), db=db)
    db.rollback()
    assert "18:00 GMT+5:30 (Asia/Kolkata)" in over_rest.value.message and "UTC" not in over_rest.value.message
