"""Item-item relations learned from who booked what: EASE and cosine kNN.

Shared by the engine's item-level co-booking scorer and the offline baselines.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def ease_weights(x: sp.spmatrix, lam: float) -> np.ndarray:
    """EASE (Steck 2019): B = I - P diagMat(1/diag(P)), P = (X'X + lam I)^-1, diag(B) = 0."""
    gram = np.asarray((x.T @ x).todense(), dtype=np.float64)
    gram[np.diag_indices_from(gram)] += lam
    p = np.linalg.inv(gram)
    b = p / (-np.diag(p))
    np.fill_diagonal(b, 0.0)
    return b.astype(np.float32)


def cosine_neighbours(x: sp.spmatrix, k: int = 100, shrink: float = 10.0) -> sp.csr_matrix:
    """Shrunk cosine similarity of item columns, keeping the k strongest per row."""
    x = sp.csr_matrix(x, dtype=np.float64)
    co = (x.T @ x).tocsr()
    norms = np.sqrt(np.asarray(co.diagonal()))
    co.setdiag(0.0)
    co.eliminate_zeros()
    coo = co.tocoo()
    vals = coo.data / (norms[coo.row] * norms[coo.col] + shrink)
    sim = sp.csr_matrix((vals, (coo.row, coo.col)), shape=co.shape)
    return top_k_per_row(sim, k)


def top_k_per_row(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    m = m.tocsr()
    rows, cols, vals = [], [], []
    for r in range(m.shape[0]):
        start, end = m.indptr[r], m.indptr[r + 1]
        if end == start:
            continue
        data, idx = m.data[start:end], m.indices[start:end]
        if len(data) > k:
            keep = np.argpartition(-data, k - 1)[:k]
            data, idx = data[keep], idx[keep]
        rows.append(np.full(len(data), r))
        cols.append(idx)
        vals.append(data)
    if not rows:
        return sp.csr_matrix(m.shape)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=m.shape)
