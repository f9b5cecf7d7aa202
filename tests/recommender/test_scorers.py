import numpy as np
import pytest

from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.scorers import resolve_timescales
from tests.recommender.helpers import NOW, book, item, plain_config


def scores(rec, user, component):
    """Raw (un-normalised) component scores for one learner, by item id."""
    batch = rec._batch([user], NOW.timestamp())
    ids = [it.item_id for it in rec.features.items]
    if component == "content":
        raw = rec.content.score(batch)[0]
    elif component == "collab_item":
        raw = rec.collab.item_part(batch)[0]
    elif component == "collab_facet":
        raw = rec.collab.facet_part(batch, 0.5)[0]
    elif component == "popularity":
        raw = rec.popularity.score()
    else:
        raw = rec.trend.score()
    return dict(zip(ids, raw, strict=True))


def test_content_cosine_is_one_for_same_tags_and_zero_for_disjoint():
    items = [item("a", ["python", "sql"]), item("b", ["python", "sql"]), item("c", ["cooking"]), item("d", ["python"])]
    rec = Recommender(plain_config()).fit(items, [book("u", "a")], now=NOW)
    s = scores(rec, "u", "content")
    assert s["b"] == pytest.approx(1.0, abs=1e-9)
    assert s["c"] == pytest.approx(0.0, abs=1e-9)
    assert 0.0 < s["d"] < 1.0


def test_content_uses_declared_profile_tags_without_history():
    from peerlearn.recommender.data import UserProfile

    items = [item("a", ["python"]), item("b", ["cooking"])]
    rec = Recommender(plain_config()).fit(items, [book("x", "a")], [UserProfile("new", ["Cooking"])], now=NOW)
    s = scores(rec, "new", "content")
    assert s["b"] > 0.9 and s["a"] == pytest.approx(0.0)


def test_item_cobooking_matches_hand_computed_cosine():
    # u1, u2 booked a+b; u3 booked a+c; target booked a only.
    items = [item(i, ["t"]) for i in "abc"]
    inter = [
        book("u1", "a"),
        book("u1", "b"),
        book("u2", "a"),
        book("u2", "b"),
        book("u3", "a"),
        book("u3", "c"),
        book("me", "a", days_ago=0.001),
    ]
    rec = Recommender(plain_config()).fit(items, inter, now=NOW)
    s = scores(rec, "me", "collab_item")
    # counts: a=4, b=2, c=1; co(a,b)=2, co(a,c)=1; history weight of 'a' ~ 1
    assert s["b"] == pytest.approx(2 / np.sqrt(4 * 2), rel=1e-3)
    assert s["c"] == pytest.approx(1 / np.sqrt(4 * 1), rel=1e-3)


def test_facet_cobooking_reaches_brand_new_items():
    # Learners who book python also book sql; nobody has booked the new sessions.
    old = [item(f"p{i}", ["python"], start_days=-30, mentor=f"mp{i}") for i in range(3)]
    old += [item(f"s{i}", ["sql"], start_days=-30, mentor=f"ms{i}") for i in range(3)]
    new = [item("new_sql", ["sql"], mentor="n1"), item("new_cooking", ["cooking"], mentor="n2")]
    other = [item("c_old", ["cooking"], start_days=-30, mentor="mc")]
    inter = [book(f"u{i}", f"p{i}", 40) for i in range(3)] + [book(f"u{i}", f"s{i}", 40) for i in range(3)]
    inter += [book("cook", "c_old", 40), book("me", "p0", 40)]
    rec = Recommender(plain_config()).fit(old + new + other, inter, now=NOW)
    s = scores(rec, "me", "collab_facet")
    assert s["new_sql"] > 0.3
    assert s["new_cooking"] == pytest.approx(0.0)


def test_popularity_counts_decay_and_mentor_record():
    past = [item(f"old{i}", ["x"], start_days=-10, mentor="star") for i in range(2)] + [
        item("old_weak", ["x"], start_days=-10, mentor="weak")
    ]
    live = [item("busy", ["y"], mentor="z"), item("quiet", ["y"], mentor="z"), item("stale", ["y"], mentor="z")]
    new = [item("new_star", ["x"], mentor="star"), item("new_weak", ["x"], mentor="weak")]
    inter = (
        [book(f"s{i}", "old0", 15) for i in range(20)]
        + [book(f"t{i}", "old1", 15) for i in range(20)]
        + [book("w", "old_weak", 15)]
    )
    inter += [book(f"b{i}", "busy", 1) for i in range(3)] + [book("q", "quiet", 1)] + [book("old", "stale", 300)]
    cfg = plain_config(popularity_half_life=30.0)
    rec = Recommender(cfg).fit(past + live + new, inter, now=NOW)
    s = scores(rec, "anyone", "popularity")
    assert s["busy"] > s["quiet"] > s["stale"]
    assert s["new_star"] > s["new_weak"]
    assert rec.popularity.prior_source(rec.features.index["new_star"]) == "mentor"


def test_trending_prefers_recent_velocity_over_volume():
    items = [item("burst", ["a"], mentor="m1"), item("steady", ["b"], mentor="m2")]
    inter = [book(f"r{i}", "burst", 0.5) for i in range(5)] + [book(f"s{i}", "steady", 20 + i * 3) for i in range(10)]
    cfg = plain_config(trend_short_half_life=2.0, trend_long_half_life=30.0)
    rec = Recommender(cfg).fit(items, inter, now=NOW)
    s = scores(rec, "anyone", "trending")
    assert s["burst"] > 0 and s["steady"] == pytest.approx(0.0)


def test_partial_update_changes_trending_and_cobooking_at_once():
    items = [item("a", ["t"]), item("b", ["u"]), item("c", ["v"])]
    inter = [book(f"x{i}", "c", 20) for i in range(3)] + [book("me", "a", 2)]
    rec = Recommender(plain_config(trend_short_half_life=2.0, trend_long_half_life=30.0)).fit(items, inter, now=NOW)
    before = scores(rec, "anyone", "trending")["b"]
    from peerlearn.recommender.data import Interaction

    rec.partial_update(Interaction("me", "b", NOW))  # 'me' already booked 'a'
    assert scores(rec, "anyone", "trending")["b"] > before
    a, b = rec.features.index["a"], rec.features.index["b"]
    assert rec.collab.cooc_with(a, np.array([b]))[0] == 1.0
    # a learner who booked only 'a' now gets 'b' through co-booking
    rec.partial_update(Interaction("fresh", "a", NOW))
    assert scores(rec, "fresh", "collab_item")["b"] > 0


def test_timescales_follow_the_data_when_unset():
    ages = np.array([1.0] * 10 + [10.0] * 40 + [100.0] * 50)
    ts = resolve_timescales(RecommenderConfig(), ages)
    assert ts.trend_short == pytest.approx(np.quantile(ages, 0.1))
    assert ts.trend_long >= 4 * ts.trend_short
    fixed = resolve_timescales(RecommenderConfig(trend_short_half_life=3.0, popularity_half_life=9.0), ages)
    assert fixed.trend_short == 3.0 and fixed.popularity == 9.0


def test_one_learner_scores_like_a_batch():
    # Live requests take a one-learner shortcut; it must agree with the batched path used offline.
    items = [item(f"i{k}", [f"t{k % 3}"], mentor=f"m{k % 2}") for k in range(8)]
    inter = [book(f"u{k}", f"i{k % 8}", 5) for k in range(12)] + [
        book(f"u{k}", f"i{(k + 3) % 8}", 4) for k in range(12)
    ]
    rec = Recommender(plain_config()).fit(items, inter, now=NOW)
    from peerlearn.recommender.data import Interaction

    rec.partial_update(Interaction("u1", "i6", NOW))  # since-fit co-booking too
    batch = rec._batch(["u1", "u2"], rec.now_fit)
    together = rec.collab.item_part(batch)
    for r, user in enumerate(["u1", "u2"]):
        alone = rec.collab.item_part(rec._batch([user], rec.now_fit))[0]
        assert np.allclose(alone, together[r])


def test_an_upcoming_session_is_judged_by_its_booking_pace():
    # Past sessions got 1 booking in 10 more than 5 days ahead, 9 in the last day.
    past = [item(f"old{k}", ["x"], start_days=-10, mentor=f"p{k}") for k in range(4)]
    inter = []
    for k in range(4):
        inter += [book(f"e{k}", f"old{k}", 18)] + [book(f"l{k}-{j}", f"old{k}", 11) for j in range(9)]
    upcoming = [item("early", ["x"], start_days=5, mentor="n1"), item("none", ["x"], start_days=5, mentor="n2")]
    inter.append(book("keen", "early", 1))
    rec = Recommender(plain_config(popularity_half_life=1e6)).fit(past + upcoming, inter, now=NOW)
    pop, idx = rec.popularity, rec.features.index
    share = pop.booked_share()
    assert share[idx["early"]] == pytest.approx(0.1) and share[idx["old0"]] == 1.0
    expected = pop.expected()
    # Gamma-Poisson: (1 + bookings so far) / (1 / prior + share): one early booking doubles the estimate.
    assert expected[idx["early"]] == pytest.approx(2 * expected[idx["none"]])
    assert pop.prior_source(idx["early"]) == "own"


def test_a_crowded_skill_shares_its_demand_among_its_upcoming_sessions():
    past = [item(f"a{k}", ["a"], start_days=-10, mentor=f"pa{k}") for k in range(2)]
    past += [item(f"b{k}", ["b"], start_days=-10, mentor=f"pb{k}") for k in range(2)]
    inter = [book(f"u{k}-{j}", f"{t}{k}", 12) for t in "ab" for k in range(2) for j in range(5)]
    upcoming = [item(f"new_a{k}", ["a"], mentor=f"na{k}") for k in range(3)] + [item("new_b", ["b"], mentor="nb")]
    rec = Recommender(plain_config(popularity_half_life=1e6)).fit(past + upcoming, inter, now=NOW)
    prior, idx = rec.popularity.prior, rec.features.index
    # Same past demand for a and b; a has 3 upcoming sessions to b's 1: (3 + 1) / (1 + 1) = 2x less each.
    assert prior[idx["new_b"]] == pytest.approx(2 * prior[idx["new_a0"]])


def test_one_learner_content_and_tag_scores_match_the_batch():
    from peerlearn.recommender.data import UserProfile

    items = [
        item(f"i{k}", [f"t{k % 3}", "common"], mentor=f"m{k % 2}", title=f"Session about topic {k % 4}")
        for k in range(8)
    ]
    inter = [book(f"u{k}", f"i{k % 8}", 5 + k) for k in range(12)] + [
        book(f"u{k}", f"i{(k + 3) % 8}", 4) for k in range(12)
    ]
    profiles = [UserProfile("u1", ["t2", "unknown tag"]), UserProfile("fresh", ["t1"])]
    rec = Recommender(plain_config()).fit(items, inter, profiles, now=NOW)
    users = ["u1", "u2", "fresh", "nobody"]
    together = rec._batch(users, rec.now_fit)
    content, facets = rec.content.score(together), rec.collab.facet_part(together, 0.5)
    for r, user in enumerate(users):
        alone = rec._batch([user], rec.now_fit)
        assert np.allclose(rec.content.score(alone)[0], content[r])
        assert np.allclose(rec.collab.facet_part(alone, 0.5)[0], facets[r])
