"""Offline ranking metrics (per user, then averaged) and list-level measures.

Definitions used throughout:
- precision@k = hits in the top k / k
- recall@k = hits in the top k / number of relevant items
- NDCG@k = DCG / ideal DCG with binary gains, DCG = sum 1/log2(rank+1)
- hit rate@k = share of users with at least one hit
- coverage = distinct items recommended to anyone / candidate catalogue size
- intra-list diversity = 1 - mean pairwise Jaccard similarity of item tag sets
  within a list (lists with fewer than two items count as 0 diversity)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

_DISCOUNT = 1.0 / np.log2(np.arange(2, 1002))


def user_metrics(ranked: Sequence[int], relevant: set[int], k: int) -> tuple[float, float, float, float]:
    """(precision, recall, ndcg, hit) for one user's ranked list."""
    top = list(ranked[:k])
    if not relevant:
        return 0.0, 0.0, 0.0, 0.0
    gains = np.array([1.0 if item in relevant else 0.0 for item in top])
    hits = float(gains.sum())
    dcg = float((gains * _DISCOUNT[: len(gains)]).sum())
    idcg = float(_DISCOUNT[: min(len(relevant), k)].sum())
    return hits / k, hits / len(relevant), dcg / idcg, float(hits > 0)


def ceiling_metrics(relevant: set[int], reachable: set[int], k: int) -> tuple[float, float, float, float]:
    """What a perfect ranker gets when only ``reachable`` relevant items can be ranked."""
    ideal = [item for item in relevant if item in reachable][:k]
    return user_metrics(ideal, relevant, k)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def intra_list_diversity(ranked: Sequence[int], tag_sets: Sequence[frozenset[int]], k: int) -> float:
    top = list(ranked[:k])
    if len(top) < 2:
        return 0.0
    sims = [jaccard(tag_sets[a], tag_sets[b]) for a, b in combinations(top, 2)]
    return 1.0 - float(np.mean(sims))


def summarise(
    lists: Sequence[Sequence[int]],
    relevant: Sequence[set[int]],
    k: int,
    catalogue_size: int,
    tag_sets: Sequence[frozenset[int]] | None = None,
) -> tuple[dict[str, float], np.ndarray]:
    """Averaged metrics, plus the per-user NDCG array (for bootstrap intervals)."""
    per_user = np.array([user_metrics(r, rel, k) for r, rel in zip(lists, relevant, strict=True)]).reshape(-1, 4)
    n = len(per_user)
    shown = {item for r in lists for item in r[:k]}
    out = {
        f"precision@{k}": float(per_user[:, 0].mean()) if n else 0.0,
        f"recall@{k}": float(per_user[:, 1].mean()) if n else 0.0,
        f"ndcg@{k}": float(per_user[:, 2].mean()) if n else 0.0,
        f"hit_rate@{k}": float(per_user[:, 3].mean()) if n else 0.0,
        "coverage": len(shown) / catalogue_size if catalogue_size else 0.0,
    }
    if tag_sets is not None:
        out["diversity"] = float(np.mean([intra_list_diversity(r, tag_sets, k) for r in lists])) if n else 0.0
    return out, per_user[:, 2]


def ndcg_matrix(scores: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Mean NDCG@k of a (users x candidates) score matrix against a boolean relevance
    matrix of the same shape (vectorised; used when fitting blend weights)."""
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    gains = np.take_along_axis(relevance, top, axis=1).astype(np.float64)
    dcg = (gains * _DISCOUNT[:k]).sum(axis=1)
    n_rel = np.minimum(relevance.sum(axis=1), k)
    idcg = np.cumsum(_DISCOUNT[:k])[np.maximum(n_rel - 1, 0)]
    valid = n_rel > 0
    return float((dcg[valid] / idcg[valid]).mean()) if valid.any() else 0.0


def bootstrap_diff(a: np.ndarray, b: np.ndarray, n_boot: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """Paired bootstrap of mean(a - b): (mean, 2.5th percentile, 97.5th percentile)."""
    diff = np.asarray(a) - np.asarray(b)
    if diff.size == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    for i in range(n_boot):
        means[i] = diff[rng.integers(0, diff.size, diff.size)].mean()
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))
