from peerlearn.recommender.data import Interaction, UserProfile
from peerlearn.recommender.engine import Recommender
from tests.recommender.helpers import NOW, book, item, only, plain_config


def catalogue_and_bookings():
    past = [item(f"old{i}", ["python"], start_days=-20, mentor="star") for i in range(3)]
    past += [item("old_cook", ["cooking"], start_days=-20, mentor="cook")]
    live = [
        item("py_live", ["python"], mentor="star"),
        item("cook_live", ["cooking"], mentor="cook"),
        item("sql_new", ["sql"], mentor="nobody"),
    ]
    inter = [book(f"s{i}{j}", f"old{j}", 25) for i in range(10) for j in range(3)]
    inter += [book("c0", "old_cook", 25)]
    inter += [book(f"p{i}", "py_live", 1) for i in range(4)] + [book("c1", "cook_live", 1)]
    return past + live, inter


def test_learner_without_history_still_gets_explained_recommendations():
    items, inter = catalogue_and_bookings()
    rec = Recommender(plain_config()).fit(items, inter, now=NOW)
    recs = rec.recommend("brand_new_learner", NOW, 3)
    assert [r.item_id for r in recs][0] == "py_live"  # popular and trending, the only signals there are
    assert all(r.explanation for r in recs)
    assert rec.segment("brand_new_learner") == "cold"


def test_declared_profile_steers_a_cold_learner():
    items, inter = catalogue_and_bookings()
    profile = UserProfile("newbie", ["Cooking"])
    rec = Recommender(plain_config()).fit(items, inter, [profile], now=NOW)
    rec.weights["cold"] = {"content": 0.6, "collab": 0.0, "popularity": 0.2, "trending": 0.2}
    recs = rec.recommend("newbie", NOW, 3)
    assert recs[0].item_id == "cook_live"
    assert recs[0].explanation == "Matches your interest in cooking"


def test_new_session_of_a_strong_mentor_starts_above_an_unknown_one():
    items, inter = catalogue_and_bookings()
    items.append(item("py_new", ["sql"], mentor="star"))
    rec = Recommender(plain_config()).fit(items, inter, now=NOW)
    rec.weights["cold"] = only("popularity")
    ranked = [r.item_id for r in rec.recommend("anyone", NOW, 10)]
    assert ranked.index("py_new") < ranked.index("sql_new")
    top = next(r for r in rec.recommend("anyone", NOW, 10) if r.item_id == "py_new")
    assert top.explanation == "New session from a mentor whose sessions are in demand"


def test_exploration_reserves_a_slot_for_unbooked_sessions():
    booked = [item(f"b{i}", ["x"], mentor=f"m{i}") for i in range(10)]
    fresh = [item("fresh", ["x"], mentor="f")]
    inter = [book(f"u{i}{j}", f"b{i}", 1) for i in range(10) for j in range(10 - i)]
    config = plain_config(exploration_share=0.1)
    rec = Recommender(config).fit(booked + fresh, inter, now=NOW)
    rec.weights["cold"] = only("popularity")
    recs = rec.recommend("newcomer", NOW, 10)
    assert "fresh" in [r.item_id for r in recs]
    assert next(r for r in recs if r.item_id == "fresh").explanation.startswith("New session")
    no_explore = Recommender(plain_config()).fit(booked + fresh, inter, now=NOW)
    no_explore.weights["cold"] = only("popularity")
    assert "fresh" not in [r.item_id for r in no_explore.recommend("newcomer", NOW, 10)]


def test_upserted_session_is_recommendable_without_retrain():
    items, inter = catalogue_and_bookings()
    rec = Recommender(plain_config()).fit(items, inter, now=NOW)
    rec.upsert_items([item("late_py", ["python"], mentor="star")])
    rec.partial_update(Interaction("p0", "late_py", NOW))
    assert "late_py" in [r.item_id for r in rec.recommend("someone", NOW, 10)]
    assert "late_py" not in [r.item_id for r in rec.recommend("p0", NOW, 10)]  # p0 booked it
