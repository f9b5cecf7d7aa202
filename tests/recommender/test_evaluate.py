import json
import math

import pytest

from peerlearn.recommender.dataio import load_interactions, load_items, parse_time
from peerlearn.recommender.evaluate import evaluate, main
from peerlearn.recommender.metrics import ceiling_metrics, intra_list_diversity, summarise, user_metrics

ITEMS = """item_id,tags,start_at,title,description,mentor_id
A,python|sql,2024-01-01,Intro,,m1
B,python,2024-01-02,Pandas,,m2
C,cooking,2024-01-03,Knives,,m3
D,sql,2024-03-01,Joins,,m4
"""
# train (before 2024-02-01): u1 A; u2 A B; u3 A B C  -> counts A 3, B 2, C 1, D 0
# test: u1 B, u2 D (learners with history), u5 A (without)
INTERACTIONS = """user_id,item_id,timestamp,extra
u1,A,2024-01-05T10:00:00Z,x
u2,A,1704448800,x
u2,B,2024-01-06,x
u3,A,2024-01-07,x
u3,B,2024-01-08,x
u3,C,2024-01-09,x
u1,B,2024-02-02,x
u2,D,2024-02-03,x
u5,A,2024-02-04,x
"""


def test_user_metrics_by_hand():
    p, r, ndcg, hit = user_metrics([2, 3, 4], {2, 4}, 3)
    assert (p, r, hit) == (pytest.approx(2 / 3), 1.0, 1.0)
    assert ndcg == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert user_metrics([9, 8], {1}, 2) == (0.0, 0.0, 0.0, 0.0)


def test_ceiling_and_diversity_by_hand():
    # two relevant, one unreachable: a perfect ranker finds one of two
    assert ceiling_metrics({1, 2}, {1, 5}, 10) == pytest.approx((0.1, 0.5, 1 / (1 + 1 / math.log2(3)), 1.0))
    tags = [frozenset({0, 1}), frozenset({0}), frozenset({2})]
    # pairs: J(0,1) = 1/2, J(0,2) = 0, J(1,2) = 0 -> 1 - 1/6
    assert intra_list_diversity([0, 1, 2], tags, 3) == pytest.approx(5 / 6)
    summary, per_user = summarise([[0, 1], [2]], [{0}, {1}], 2, 4, tags)
    assert summary["coverage"] == 0.75 and summary["hit_rate@2"] == 0.5 and per_user.tolist() == [1.0, 0.0]


def write(tmp_path):
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "interactions.csv").write_text(INTERACTIONS)
    return tmp_path / "items.csv", tmp_path / "interactions.csv"


def test_loader_reads_iso_and_unix_times(tmp_path):
    items_csv, inter_csv = write(tmp_path)
    inter = load_interactions(inter_csv)
    assert inter[1].ts == parse_time("2024-01-05T10:00:00Z")
    assert [i.tags for i in load_items(items_csv)][0] == ["python", "sql"]


def test_harness_on_a_tiny_dataset(tmp_path):
    items_csv, inter_csv = write(tmp_path)
    items, inter = load_items(items_csv), load_interactions(inter_csv)
    res = evaluate(items, inter, [], parse_time("2024-02-01"), "all", k=1, log=lambda *_: None)
    assert (res["users"], res["cold_users"]) == (2, 1)
    pop = res["baselines"]["popular"]
    # u1 (A seen) gets B: hit; u2 (A, B seen) gets C: miss
    assert pop == pytest.approx(
        {"precision@1": 0.5, "recall@1": 0.5, "ndcg@1": 0.5, "hit_rate@1": 0.5, "coverage": 0.5, "diversity": 0.0}
    )
    assert res["baselines_cold"]["popular"]["hit_rate@1"] == 1.0  # u5 gets A
    assert res["ceiling"]["ndcg@1"] == 1.0
    for name in ("random", "popular", "item_knn", "ease", "als"):
        assert set(res["baselines"][name]) == {
            "precision@1",
            "recall@1",
            "ndcg@1",
            "hit_rate@1",
            "coverage",
            "diversity",
        }
    upcoming = evaluate(items, inter, [], parse_time("2024-02-01"), "upcoming", k=1, log=lambda *_: None)
    # only D starts after the cut: u2 can be served perfectly, u1's B cannot be ranked at all
    assert upcoming["ceiling"]["hit_rate@1"] == 0.5
    assert upcoming["engine"]["hit_rate@1"] == 0.5  # D is the only candidate


def test_cli_writes_the_agreed_json(tmp_path, capsys):
    items_csv, inter_csv = write(tmp_path)
    out = tmp_path / "res.json"
    assert (
        main(["--interactions", str(inter_csv), "--items", str(items_csv), "--cut", "2024-02-01", "--json", str(out)])
        == 0
    )
    res = json.loads(out.read_text())
    assert res["k"] == 10 and res["users"] == 2 and res["cold_users"] == 1
    assert set(res["engine"]) == {"precision@10", "recall@10", "ndcg@10", "hit_rate@10", "coverage", "diversity"}
    assert set(res["baselines"]) == {"random", "popular", "item_knn", "ease", "als"}
    assert {"engine_cold", "ceiling"} <= set(res)
    assert "engine" in capsys.readouterr().out


def test_profiles_known_only_after_the_cut_are_left_out(tmp_path):
    from peerlearn.recommender.dataio import load_profiles

    path = tmp_path / "users.csv"
    path.write_text("user_id,tags,as_of\nu1,python|sql,2024-01-01\nu2,cooking,2024-03-01\nu3,art,\n")
    profiles, dropped = load_profiles(path, known_before=parse_time("2024-02-01"))
    assert [(p.user_id, p.tags) for p in profiles] == [("u1", ["python", "sql"]), ("u3", ["art"])]
    assert dropped == 1
