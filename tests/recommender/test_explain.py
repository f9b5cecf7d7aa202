import pytest

from peerlearn.recommender import explain
from peerlearn.recommender.data import UserProfile
from peerlearn.recommender.engine import Recommender
from tests.recommender.helpers import NOW, book, item, only, plain_config


def test_strongest_picks_the_largest_contribution():
    assert explain.strongest({"content": 0.1, "collab": 0.3, "popularity": 0.2}) == "collab"
    assert explain.strongest({"content": 0.0, "collab": 0.0}) is None


def test_reason_texts():
    assert explain.content_reason(["Python", "SQL"], None) == "Matches your interest in Python and SQL"
    assert explain.collab_item_reason("Intro to SQL") == "Learners who booked “Intro to SQL” also booked this"
    assert explain.trending_reason("Data Science") == "Trending in Data Science"
    assert explain.popularity_reason("own", 3, None) == "Popular: 3 learners booked"


def build():
    items = [
        item("intro", ["Python", "SQL"], start_days=-10, title="Intro to SQL", mentor="a"),
        item("pandas", ["Python", "SQL", "Data Science"], title="Pandas", mentor="b"),
        item("cook", ["Cooking"], title="Knife skills", mentor="c"),
    ]
    inter = [book(f"u{i}", "intro", 20) for i in range(5)] + [book(f"u{i}", "pandas", 1) for i in range(5)]
    inter += [book("me", "intro", 20)] + [book(f"k{i}", "cook", 0.2) for i in range(8)]
    return Recommender(plain_config(trend_short_half_life=1.0, trend_long_half_life=30.0)).fit(items, inter, now=NOW)


@pytest.mark.parametrize(
    ("component", "item_id", "expected"),
    [
        ("content", "pandas", "Similar to “Intro to SQL”, which you booked"),  # booked, never stated
        ("collab", "pandas", "Learners who booked “Intro to SQL” also booked this"),
        ("popularity", "cook", "Popular: 8 learners booked"),
        ("trending", "cook", "Trending in Cooking"),
    ],
)
def test_explanation_follows_the_strongest_component(component, item_id, expected):
    rec = build()
    rec.weights["warm"] = only(component)
    recs = {r.item_id: r for r in rec.recommend("me", NOW, 5)}
    assert recs[item_id].explanation == expected
    assert (
        max(recs[item_id].components, key=recs[item_id].components.get) == component
        or recs[item_id].components[component] == 1.0
    )


def test_a_content_match_names_only_what_the_learner_stated():
    items = [
        item("intro", ["Python", "SQL"], start_days=-10, title="Intro to SQL", mentor="a"),
        item("pandas", ["Python", "SQL", "Data Science"], title="Pandas", mentor="b"),
        item("cook", ["Cooking"], title="Knife skills", mentor="c"),
    ]
    inter = [book("me", "intro", 20)] + [book(f"u{i}", "intro", 20) for i in range(3)]
    rec = Recommender(plain_config()).fit(items, inter, [UserProfile("me", ["sql"])], now=NOW)
    rec.weights["warm"] = only("content")
    assert rec.recommend("me", NOW, 5)[0].explanation == "Matches your interest in SQL"
    rec.set_profiles([UserProfile("me", [])])  # interests removed: the booked session is the reason now
    assert rec.recommend("me", NOW, 5)[0].explanation == "Similar to “Intro to SQL”, which you booked"


def test_components_are_reported_normalised():
    rec = build()
    for r in rec.recommend("me", NOW, 5):
        assert set(r.components) == {"content", "collab", "popularity", "trending"}
        assert all(0.0 <= v <= 1.0 for v in r.components.values())
