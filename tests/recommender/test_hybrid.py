import numpy as np
import pytest

from peerlearn.recommender.hybrid import blend, fit_weights, minmax_rows, mix_collab, simplex_grid
from peerlearn.recommender.metrics import ndcg_matrix


def test_minmax_rows_and_constant_rows():
    m = np.array([[1.0, 3.0, 2.0], [5.0, 5.0, 5.0]])
    out = minmax_rows(m)
    assert out[0].tolist() == [0.0, 1.0, 0.5]
    assert out[1].tolist() == [0.0, 0.0, 0.0]


def test_blend_and_collab_mix_are_weighted_sums():
    a, b = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    assert blend({"a": a, "b": b}, {"a": 0.25, "b": 0.75}).tolist() == [[0.25, 0.75]]
    assert mix_collab(a, b, 0.2).tolist() == [[0.2, 0.8]]


def test_simplex_grid_covers_the_simplex():
    grid = simplex_grid(["a", "b", "c"], 0.5)
    assert len(grid) == 6  # C(2 + 2, 2)
    assert all(sum(w.values()) == pytest.approx(1.0) for w in grid)
    assert {"a": 1.0, "b": 0.0, "c": 0.0} in grid


def test_fit_weights_finds_the_informative_component():
    rng = np.random.default_rng(0)
    rel = np.zeros((200, 30), dtype=bool)
    rel[np.arange(200), rng.integers(0, 30, 200)] = True
    signal = rel * 0.6 + rng.random((200, 30)) * 0.5
    noise = rng.random((200, 30))
    comps = {"content": noise, "collab": signal, "popularity": noise[::-1], "trending": noise[:, ::-1]}
    default = {"content": 0.4, "collab": 0.3, "popularity": 0.2, "trending": 0.1}
    weights, best, base = fit_weights(comps, rel, 10, default)
    assert weights["collab"] >= 0.8
    assert best > base
    assert best == pytest.approx(ndcg_matrix(blend(comps, weights), rel, 10))


def test_fit_weights_keeps_defaults_without_real_gain():
    rel = np.zeros((50, 20), dtype=bool)
    rel[:, 0] = True
    same = np.tile(np.linspace(1, 0, 20), (50, 1))
    comps = {c: same for c in ("content", "collab", "popularity", "trending")}
    default = {"content": 0.4, "collab": 0.3, "popularity": 0.2, "trending": 0.1}
    weights, best, base = fit_weights(comps, rel, 10, default)
    assert weights == default and best == base == pytest.approx(1.0)


def test_ndcg_matrix_by_hand():
    scores = np.array([[0.9, 0.8, 0.1], [0.1, 0.2, 0.3]])
    rel = np.array([[False, True, False], [True, False, False]])
    # user 1: hit at rank 2 -> 1/log2(3); user 2: hit at rank 3 -> 1/log2(4) = 0.5
    expected = (1 / np.log2(3) + 0.5) / 2
    assert ndcg_matrix(scores, rel, 3) == pytest.approx(expected)


def test_grouped_objective_prefers_weights_that_hold_in_every_period():
    # 'collab' is perfect in a long first period and misleading in a short second one.
    rng = np.random.default_rng(3)
    n, c = 1000, 20
    rel = np.zeros((n, c), dtype=bool)
    rel[np.arange(n), rng.integers(0, c, n)] = True
    groups = np.repeat([0, 1], [900, 100])
    noise = rng.random((n, c))
    steady = rel * 0.6 + rng.random((n, c))
    flaky = np.where(groups[:, None] == 0, rel * 1.0 + 0.2 * rng.random((n, c)), rel * -1.0 + rng.random((n, c)))
    comps = {"content": steady, "collab": flaky, "popularity": noise, "trending": noise}
    default = {"content": 0.25, "collab": 0.25, "popularity": 0.25, "trending": 0.25}
    pooled, _, _ = fit_weights(comps, rel, 10, default, min_gain=0.0)
    robust, objective, _ = fit_weights(comps, rel, 10, default, min_gain=0.0, groups=groups)
    assert robust["collab"] < pooled["collab"]
    assert 0.0 < objective <= 1.0  # worst period's NDCG relative to its own best
