"""The directory's default order is "Recommended" and says that a paid plan's directory priority leads it; "Best
rated" is exactly the best rated, whatever anyone's plan."""

from peerlearn.catalog.mentors import MentorFilters, MentorSort, mentor_directory, parse_mentor_filters
from peerlearn.models import MentorProfile
from peerlearn.ui.states.mentors import SORT_EXPLAINED, SORT_LABELS, MentorDirectoryState
from tests.factories import make_session, make_user
from tests.subscriptions.helpers import make_plan
from tests.subscriptions.test_lifecycle import subscribe


def _names(db, **filters) -> list[str]:
    return [m.full_name for m in mentor_directory(MentorFilters(**filters), db=db).items]


def test_best_rated_means_best_rated_and_recommended_says_priority_leads(db):
    star, pro = make_user(db, mentor=True, name="Star Mentor"), make_user(db, mentor=True, name="Pro Mentor")
    for mentor, rating in ((star, 4.9), (pro, 3.5)):
        profile = db.get(MentorProfile, mentor.id)
        profile.rating_avg, profile.rating_count = rating, 10
        db.add(profile)
        make_session(db, mentor)
    db.commit()
    subscribe(db, pro, make_plan(db, "Test Pro"))

    assert _names(db)[:2] == ["Pro Mentor", "Star Mentor"]  # the default: Recommended
    assert _names(db, sort=MentorSort.RATING)[:2] == ["Star Mentor", "Pro Mentor"]  # the label is true
    assert parse_mentor_filters(sort="rating").sort is MentorSort.RATING


def test_the_default_sort_is_labelled_recommended_and_explained():
    default = MentorFilters().sort
    assert default is MentorSort.RECOMMENDED
    assert MentorDirectoryState.get_fields()["sort"].default == default.value
    assert SORT_LABELS[default.value] == "Recommended"
    assert "directory priority come first" in SORT_EXPLAINED[default.value]
    assert SORT_LABELS[MentorSort.RATING.value] == "Best rated"
    assert "plans play no part" in SORT_EXPLAINED[MentorSort.RATING.value]
    assert set(SORT_LABELS) == set(SORT_EXPLAINED) == {s.value for s in MentorSort}
