"""'Next step on your path': sessions teaching the next step of a path the learner follows rise, at the step's level
first, and say 'Next on your path to <goal>' exactly when the boost was added."""

from __future__ import annotations

from peerlearn.recommender.config import DEFAULT_WEIGHTS
from peerlearn.recommender.data import PathStep
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.pathboost import path_reason
from tests.recommender.helpers import NOW, book, item, plain_config

ON_PATH = "Next on your path to "


def build() -> Recommender:
    items = [
        item("sql-beginner", ["SQL"], title="SQL from zero", mentor="a", level=0),
        item("sql-intermediate", ["SQL"], title="Joins", mentor="b", level=1),
        item("sql-advanced", ["SQL"], title="Query plans", mentor="c", level=2),
        item("cook", ["Cooking"], title="Knife skills", mentor="d", level=0),
        item("guitar", ["Guitar"], title="Chords", mentor="e", level=0),
    ]
    crowd = [book(f"u{i}", "cook", 2) for i in range(8)] + [book(f"u{i}", "guitar", 2) for i in range(4)]
    rec = Recommender(plain_config()).fit(items, crowd, now=NOW)
    rec.weights = {"cold": dict(DEFAULT_WEIGHTS), "warm": dict(DEFAULT_WEIGHTS)}
    return rec


def test_the_next_steps_session_leads_and_says_it_is_next_on_the_path() -> None:
    rec = build()
    without = rec.recommend("me", NOW, 5)
    assert without[0].item_id == "cook"
    assert not any(r.explanation.startswith(ON_PATH) for r in without)

    ranked = rec.recommend("me", NOW, 5, path=[PathStep("SQL", 0, "Data analyst")])

    assert ranked[0].item_id == "sql-beginner"
    assert ranked[0].explanation == "Next on your path to Data analyst"
    assert ranked[0].components["path"] == 0.5
    by_id = {r.item_id: r for r in ranked}
    assert by_id["sql-intermediate"].components["path"] == 0.25  # a level above: half the boost
    assert [r.item_id for r in ranked].index("sql-intermediate") < [r.item_id for r in ranked].index("guitar")
    assert "path" not in by_id["sql-advanced"].components  # two levels above: not near
    assert not by_id["sql-advanced"].explanation.startswith(ON_PATH)


def test_the_reason_appears_only_where_the_boost_was_added() -> None:
    rec = build()
    for steps in ([], [PathStep("SQL", 1, "Data analyst")], [PathStep("Rust", 0, "Systems")]):
        for r in rec.recommend("me", NOW, 5, path=steps):
            assert ("path" in r.components) == r.explanation.startswith(ON_PATH), (steps, r)
    unknown = rec.recommend("me", NOW, 5, path=[PathStep("Rust", 0, "Systems")])
    assert [r.item_id for r in unknown] == [r.item_id for r in rec.recommend("me", NOW, 5)]


def test_with_two_paths_the_step_a_session_matches_best_names_its_goal() -> None:
    rec = build()
    steps = [PathStep("SQL", 1, "Data analyst"), PathStep("Guitar", 0, "Band member")]
    by_id = {r.item_id: r for r in rec.recommend("me", NOW, 5, path=steps)}
    assert by_id["sql-intermediate"].explanation == path_reason("Data analyst")
    assert by_id["guitar"].explanation == path_reason("Band member")
    assert not by_id["sql-beginner"].explanation.startswith(ON_PATH)  # below the step's level: no progress


def test_a_learner_with_history_gets_the_boost_too_and_never_for_a_booked_session() -> None:
    rec = build()
    rec.partial_update(book("me", "sql-beginner", 0.5))
    ranked = rec.recommend("me", NOW, 5, path=[PathStep("SQL", 0, "Data analyst")])
    assert "sql-beginner" not in [r.item_id for r in ranked]
    assert ranked[0].item_id == "sql-intermediate" and ranked[0].explanation == path_reason("Data analyst")
