"""Editing a session: the form starts with the session's values in the mentor's zone, sends only what changed (so a
booked session's title can change while its time and price stay locked), and each refusal lands at its field."""

from dataclasses import asdict

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.catalog import actions as sessions
from peerlearn.catalog.public import to_public
from peerlearn.models import LearningSession
from peerlearn.platform.errors import RuleViolationError
from peerlearn.ui.format.session_form import FieldError, editor_values, error_field, session_changes
from tests.factories import make_session, make_user


def _form_of(db, sid: int, tz: str):
    session = db.get(LearningSession, sid)
    public = to_public([session], db=db)[0]
    values = editor_values(session, public.skills, public.category or "", tz)
    form = {k: v for k, v in asdict(values).items() if k != "requires_approval"}
    return values, form


def test_the_form_starts_with_the_session_in_the_mentors_zone(db):
    mentor = make_user(db, mentor=True)
    sid = make_session(db, mentor, title="Sourdough", price_minor=2550, capacity=4)
    session = db.get(LearningSession, sid)
    values, _ = _form_of(db, sid, "Asia/Kolkata")
    local = session.start_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
    assert (values.title, values.price, values.capacity, values.skills) == ("Sourdough", "25.50", "4", "Python")
    assert (values.date, values.time, values.minutes) == (f"{local:%Y-%m-%d}", f"{local:%H:%M}", "60")


def test_a_booked_session_takes_a_new_title_because_only_changes_are_sent(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, title="Sourdough", price_minor=0, capacity=4)
    bookings.book_session(learner, sid, db=db)
    before, form = _form_of(db, sid, "Europe/Berlin")
    changes = session_changes({**form, "title": "Sourdough basics"}, before, "Europe/Berlin")
    assert changes.model_dump(exclude_unset=True) == {"title": "Sourdough basics"}
    sessions.update_session(mentor, sid, changes, db=db)
    assert db.get(LearningSession, sid).title == "Sourdough basics"


def test_capacity_below_the_seats_taken_is_refused_at_the_capacity_field(db):
    mentor, a, b = make_user(db, mentor=True), make_user(db), make_user(db)
    sid = make_session(db, mentor, capacity=4)
    bookings.book_session(a, sid, db=db)
    bookings.book_session(b, sid, db=db)
    before, form = _form_of(db, sid, "UTC")
    changes = session_changes({**form, "capacity": "1"}, before, "UTC")
    with pytest.raises(RuleViolationError) as refused:
        sessions.update_session(mentor, sid, changes, db=db)
    assert error_field(refused.value, changes) == "capacity"
    assert "2 seats are already taken" in refused.value.message


def test_a_booked_sessions_new_price_is_refused_at_the_price_field(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, capacity=4)
    bookings.book_session(learner, sid, db=db)
    before, form = _form_of(db, sid, "UTC")
    changes = session_changes({**form, "price": "30"}, before, "UTC")
    with pytest.raises(RuleViolationError) as refused:
        sessions.update_session(mentor, sid, changes, db=db)
    assert error_field(refused.value, changes) == "price"


@pytest.mark.parametrize(
    "name, typed, message",
    [("capacity", "many", "Capacity must be a whole number."), ("price", "ten", "is not a price"), ("title", "", "")],
)
def test_bad_input_is_named_by_its_field(db, name, typed, message):
    mentor = make_user(db, mentor=True)
    sid = make_session(db, mentor)
    before, form = _form_of(db, sid, "UTC")
    with pytest.raises(FieldError) as bad:
        session_changes({**form, name: typed}, before, "UTC")
    assert bad.value.field == name and message in str(bad.value)
