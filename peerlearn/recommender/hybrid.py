"""Normalise score components, blend them, and fit the blend on validation data."""

from __future__ import annotations

from itertools import product

import numpy as np

from peerlearn.recommender.metrics import ndcg_matrix


def minmax_rows(m: np.ndarray) -> np.ndarray:
    """Per-row min-max over the candidates in view; a constant row carries no
    preference and becomes 0."""
    m = np.asarray(m, dtype=np.float64)
    lo = m.min(axis=1, keepdims=True) if m.shape[1] else np.zeros((m.shape[0], 1))
    hi = m.max(axis=1, keepdims=True) if m.shape[1] else np.zeros((m.shape[0], 1))
    span = hi - lo
    out = np.zeros_like(m)
    np.divide(m - lo, span, out=out, where=span > 1e-12)
    return out


def mix_collab(item_part: np.ndarray, facet_part: np.ndarray, item_share: float | np.ndarray) -> np.ndarray:
    """Collaborative component from its two normalised parts (``item_share`` may be a column, one per learner)."""
    return item_share * item_part + (1.0 - item_share) * facet_part


def blend(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    names = [n for n in weights if n in components]
    out = np.zeros_like(components[names[0]]) if names else np.zeros(0)
    for name in names:
        if weights[name]:
            out = out + weights[name] * components[name]
    return out


def simplex_grid(names: list[str], step: float) -> list[dict[str, float]]:
    """All weight vectors on the simplex with the given step (they sum to 1)."""
    units = int(round(1.0 / step))
    grid = []
    for combo in product(range(units + 1), repeat=len(names) - 1):
        rest = units - sum(combo)
        if rest < 0:
            continue
        grid.append({n: c / units for n, c in zip(names, (*combo, rest), strict=True)})
    return grid


def fit_weights(
    components: dict[str, np.ndarray],
    relevance: np.ndarray,
    k: int,
    default: dict[str, float],
    step: float = 0.1,
    min_gain: float = 0.005,
    groups: np.ndarray | None = None,
) -> tuple[dict[str, float], float, float]:
    """Grid search of blend weights on validation rows.

    Without ``groups`` the objective is NDCG@k. With ``groups`` (e.g. one label
    per validation period) it is the worst group's NDCG relative to the best
    that group could reach on the grid: weights must hold up in every period,
    not just on average, since taste and supply drift over time.

    Returns (weights, objective, default objective). The defaults are kept
    unless the best grid point beats them by ``min_gain`` (relative), which
    guards against chasing validation noise.
    """
    names = list(default)
    grid = simplex_grid(names, step)
    labels = np.unique(groups) if groups is not None else np.zeros(1)
    rows = [np.flatnonzero(groups == g) for g in labels] if groups is not None else [np.arange(len(relevance))]

    def per_group(w: dict[str, float]) -> np.ndarray:
        scores = blend(components, w)
        return np.array([ndcg_matrix(scores[r], relevance[r], k) for r in rows])

    table = np.array([per_group(w) for w in grid])  # (grid x groups)
    base_groups = per_group(default)
    if len(rows) == 1:
        objective, base = table[:, 0], float(base_groups[0])
    else:
        top = np.maximum(table.max(axis=0), 1e-12)
        objective, base = (table / top).min(axis=1), float((base_groups / top).min())
    i = int(np.argmax(objective))
    if objective[i] < base * (1.0 + min_gain) + 1e-12:
        return dict(default), base, base
    return grid[i], float(objective[i]), base
