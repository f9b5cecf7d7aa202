"""Session search: ranking, every filter, pagination, what never shows, and bad filters."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerlearn.catalog.search import parse_filters, search_sessions
from peerlearn.models import LearningSession, MentorProfile
from peerlearn.models.enums import SessionStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ValidationError
from tests.factories import make_session, make_user


@pytest.fixture
def catalog(db):
    ana = make_user(db, mentor=True, name="Ana Rivera")
    ben = make_user(db, mentor=True, name="Ben Okafor")
    profile = db.get(MentorProfile, ben.id)
    profile.rating_avg, profile.rating_count = 4.8, 10
    db.add(profile)
    ids = {
        "title": make_session(
            db,
            ana,
            title="Pandas deep dive",
            description="Group-by and joins.",
            skills=["Python"],
            category="Data Science",
            level="intermediate",
            start_in=timedelta(days=2),
        ),
        "desc": make_session(
            db,
            ben,
            title="Data wrangling",
            description="We use pandas for everything here.",
            skills=["SQL"],
            category="Data Science",
            price_minor=3000,
            start_in=timedelta(days=3),
        ),
        "spanish": make_session(
            db,
            ben,
            title="Conversational Spanish",
            skills=["Spanish"],
            category="Languages",
            language="Spanish",
            price_minor=1500,
            start_in=timedelta(days=5),
        ),
        "draft": make_session(
            db, ana, title="Pandas draft", skills=["Python"], status="draft", start_in=timedelta(days=6)
        ),
        "cancelled": make_session(db, ana, title="Pandas cancelled", skills=["Python"], start_in=timedelta(days=7)),
        "past": make_session(
            db,
            ana,
            title="Pandas last week",
            skills=["Python"],
            now=utcnow() - timedelta(days=8),
            start_in=timedelta(days=1),
        ),
    }
    db.get(LearningSession, ids["cancelled"]).status = SessionStatus.CANCELLED
    db.commit()
    return ids


def find(db, **filters):
    return search_sessions(parse_filters(**filters), db=db)


def test_title_match_ranks_above_description_match_and_hidden_sessions_never_show(db, catalog):
    result = find(db, q="pandas")
    assert [item.id for item in result.items] == [catalog["title"], catalog["desc"]]
    assert result.total == 2


def test_search_matches_skills_and_mentor_names(db, catalog):
    assert [i.id for i in find(db, q="sql").items] == [catalog["desc"]]
    assert {i.id for i in find(db, q="okafor").items} == {catalog["desc"], catalog["spanish"]}
    assert find(db, q="quantum chromodynamics").total == 0


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"skill": "python"}, ["title"]),
        ({"category": "Languages"}, ["spanish"]),
        ({"level": "intermediate"}, ["title"]),
        ({"language": "spanish"}, ["spanish"]),
        ({"min_price": 1000, "max_price": 2000}, ["spanish"]),
        ({"max_price": 0}, ["title"]),
        ({"min_rating": 4.5}, ["desc", "spanish"]),
    ],
)
def test_each_filter_narrows(db, catalog, filters, expected):
    assert {i.id for i in find(db, **filters).items} == {catalog[name] for name in expected}


def test_date_range_sorts_and_pagination(db, catalog):
    now = utcnow()
    within = find(db, starts_after=now + timedelta(days=2, hours=12), starts_before=now + timedelta(days=4))
    assert [i.id for i in within.items] == [catalog["desc"]]
    by_price = find(db, sort="price_desc")
    assert [i.price_minor for i in by_price.items] == sorted([i.price_minor for i in by_price.items], reverse=True)
    assert [i.id for i in find(db, sort="soonest").items][0] == catalog["title"]
    first, second = find(db, sort="soonest", page_size=2), find(db, sort="soonest", page_size=2, page=2)
    assert first.total == second.total == 3
    assert len(first.items) == 2 and len(second.items) == 1
    assert not {i.id for i in first.items} & {i.id for i in second.items}
    assert first.facets["categories"] == {"Data Science": 2, "Languages": 1}


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"min_price": 500, "max_price": 100}, "min_price"),
        ({"sort": "cheapest"}, "sort"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_bad_filters_are_refused_clearly(filters, message):
    with pytest.raises(ValidationError) as refused:
        parse_filters(**filters)
    assert message in refused.value.message


def test_api_listing_and_bad_filter(api, catalog):
    listing = api.get("/api/sessions/", params={"q": "pandas"})
    assert listing.status_code == 200
    body = listing.json()
    assert body["total"] == 2 and body["items"][0]["id"] == catalog["title"]
    assert {
        "id",
        "title",
        "skills",
        "start_at",
        "end_at",
        "price_minor",
        "currency",
        "capacity",
        "spots_left",
        "mentor",
    } <= set(body["items"][0])
    bad = api.get("/api/sessions/", params={"min_price": 5, "max_price": 1})
    assert bad.status_code == 422 and "min_price" in bad.json()["error"]["message"]


def test_date_filters_mean_whole_days_where_the_viewer_is(db):
    mentor = make_user(db, mentor=True)
    # 22:00 in New York on a day ten days out is 03:00 UTC on the next day.
    ny = ZoneInfo("America/New_York")
    day = (utcnow() + timedelta(days=10)).astimezone(ny).date()
    evening = datetime.combine(day, time(22, 0), tzinfo=ny)
    make_session(db, mentor, title="Late lesson", now=utcnow(), start_in=evening - utcnow())
    db.commit()

    def titles(**dates) -> list[str]:
        return [i.title for i in search_sessions(parse_filters(q="lesson", **dates), db=db).items]

    assert titles(starts_before=day.isoformat(), zone="America/New_York") == ["Late lesson"]  # that day, there
    assert titles(starts_after=day.isoformat(), starts_before=day.isoformat(), zone="America/New_York") == [
        "Late lesson"
    ]
    assert titles(starts_before=day.isoformat(), zone="UTC") == []  # in UTC it is the next day
    next_day = (day + timedelta(days=1)).isoformat()
    assert titles(starts_after=next_day, zone="America/New_York") == []
    assert titles(starts_after=next_day, zone="UTC") == ["Late lesson"]
