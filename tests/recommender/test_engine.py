import numpy as np

from peerlearn.recommender.diversity import jaccard_matrix, mmr_rerank
from peerlearn.recommender.engine import Recommender
from tests.recommender.helpers import NOW, book, item, only, plain_config


def test_mmr_trades_relevance_for_diversity_and_caps_mentors():
    import scipy.sparse as sp

    tags = sp.csr_matrix(np.array([[1, 0], [1, 0], [0, 1]]))
    sim = jaccard_matrix(tags)
    assert sim[0, 1] == 1.0 and sim[0, 2] == 0.0
    rel = [1.0, 0.9, 0.5]
    assert mmr_rerank(rel, sim, [-1, -1, -1], 2, lam=1.0) == [0, 1]
    assert mmr_rerank(rel, sim, [-1, -1, -1], 2, lam=0.5) == [0, 2]
    assert mmr_rerank(rel, sim, [7, 7, 8], 2, lam=1.0, mentor_cap=1) == [0, 2]
    assert mmr_rerank(rel, sim, [7, 7, 7], 3, lam=1.0, mentor_cap=1) == [0, 1, 2]  # cap relaxed to fill


def test_recommend_mentors_ranks_by_their_best_session():
    items = [
        item("py1", ["python"], mentor="ana"),
        item("py2", ["python"], mentor="ana"),
        item("ck", ["cooking"], mentor="bob"),
        item("mine", ["python"], mentor="me"),
    ]
    past = [item("old", ["python"], start_days=-5, mentor="zed")]
    rec = Recommender(plain_config()).fit(items + past, [book("me", "old", 10), book("x", "ck", 1)], now=NOW)
    rec.weights["warm"] = only("content")
    mentors = rec.recommend_mentors("me", NOW, 5)
    assert [m.mentor_id for m in mentors] == ["ana", "bob"]  # never oneself, never without upcoming sessions
    assert set(mentors[0].upcoming_item_ids) == {"py1", "py2"}


def test_trending_list_and_tags():
    items = [
        item("hot", ["ai"], mentor="a"),
        item("cold", ["art"], mentor="b"),
        item("gone", ["ai"], start_days=-1, mentor="c"),
    ]
    inter = [book(f"u{i}", "hot", 0.1) for i in range(6)] + [book(f"v{i}", "cold", 40) for i in range(6)]
    rec = Recommender(plain_config(trend_short_half_life=1.0, trend_long_half_life=30.0)).fit(items, inter, now=NOW)
    top = rec.trending(NOW, 5)
    assert top[0].item_id == "hot" and "gone" not in [t.item_id for t in top]
    assert rec.trending_tags(3)[0].tag == "ai"
    assert [t.item_id for t in rec.trending(NOW, 5, tag="ai")] == ["hot"]
    assert rec.trending(NOW, 5, tag="art") == []  # bookings long ago: nothing is growing there
    assert top[0].explanation in ("Trending in ai", "Trending: bookings are picking up")


def test_fit_learns_weights_on_a_validation_split():
    # Learners keep booking sessions of their own topic, so the personal components
    # (content and tag-level co-booking, which both see the topic) should win.
    rng = np.random.default_rng(1)
    topics = ["python", "cooking", "music", "chess"]
    items, inter = [], []
    for day in range(0, 100, 5):
        for t in topics:
            items.append(item(f"{t}{day}", [t], start_days=day - 100 + 1, mentor=f"{t}-m{day % 3}"))
    for u in range(60):
        topic = topics[u % 4]
        for day in rng.choice(range(0, 100, 5), 8, replace=False):
            inter.append(book(f"u{u}", f"{topic}{day}", 100 - int(day)))
        inter.append(book(f"u{u}", f"{topics[(u + 1) % 4]}{int(rng.choice(range(0, 100, 5)))}", 50))
    rec = Recommender(plain_config(fit_weights=True, max_validation_users=200)).fit(items, inter, now=NOW)
    assert rec.fit_report["fitted"] is True
    assert rec.weights["warm"]["content"] + rec.weights["warm"]["collab"] >= 0.8
    assert abs(sum(rec.weights["warm"].values()) - 1.0) < 1e-9
