"""Maximal marginal relevance re-ranking with a per-mentor cap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


def jaccard_matrix(tags: sp.csr_matrix) -> np.ndarray:
    """Pairwise Jaccard similarity of the rows of a binary (items x tags) matrix."""
    tags = sp.csr_matrix(tags)
    # A short list (the re-ranking pool): dense over just the tags it uses is cheapest.
    used, columns = np.unique(tags.indices, return_inverse=True)
    dense = np.zeros((tags.shape[0], used.size))
    dense[np.repeat(np.arange(tags.shape[0]), np.diff(tags.indptr)), columns] = 1.0
    inter = dense @ dense.T
    size = dense.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0)
    return out


def mmr_rerank(
    relevance: Sequence[float],
    similarity: np.ndarray | None,
    mentors: Sequence[int],
    k: int,
    lam: float = 0.85,
    mentor_cap: int | None = 2,
) -> list[int]:
    """Greedy MMR over a pool sorted best first: pick k positions maximising
    ``lam * relevance - (1 - lam) * max similarity to the items already picked``,
    relevance min-max scaled over the pool.

    At most ``mentor_cap`` per mentor (mentor < 0 = none) while enough other
    items remain; then the cap is relaxed to fill the list. ``lam = 1`` keeps
    the relevance order (apart from the cap), and only then may ``similarity`` be None.
    """
    rel = np.asarray(relevance, dtype=np.float64)
    if rel.size:  # relevance is taken relative to the pool, so lam means the same for flat and peaked lists
        span = rel.max() - rel.min()
        rel = (rel - rel.min()) / span if span > 1e-12 else np.zeros_like(rel)
    mentor_of = np.asarray(mentors)
    n = len(rel)
    k = min(k, n)
    chosen: list[int] = []
    taken = np.zeros(n, dtype=bool)
    capped = np.zeros(n, dtype=bool)
    max_sim = np.zeros(n)
    per_mentor: dict[int, int] = {}
    while len(chosen) < k:
        gain = lam * rel - (1.0 - lam) * max_sim
        gain[taken] = -np.inf
        if mentor_cap is not None and (~taken & ~capped).any():
            gain[capped] = -np.inf
        best = int(np.argmax(gain))
        if not np.isfinite(gain[best]):
            break
        taken[best] = True
        chosen.append(best)
        m = int(mentor_of[best])
        if m >= 0 and mentor_cap is not None:
            per_mentor[m] = per_mentor.get(m, 0) + 1
            if per_mentor[m] >= mentor_cap:
                capped |= mentor_of == m
        if lam < 1.0:
            if similarity is None:
                raise ValueError("MMR with lam < 1 needs the similarity matrix")
            max_sim = np.maximum(max_sim, similarity[best])
    return chosen
