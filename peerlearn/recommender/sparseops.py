"""Small sparse-matrix helpers for the hot path (sklearn's normalize validates
its input on every call, which costs more than the arithmetic here)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def normalize_rows(m: sp.spmatrix, norm: str = "l2") -> sp.csr_matrix:
    """Rows scaled to unit L2 (or L1) norm; all-zero rows stay zero."""
    m = sp.csr_matrix(m, dtype=np.float64, copy=True)
    if m.nnz == 0:
        return m
    vals = m.data * m.data if norm == "l2" else np.abs(m.data)
    sums = np.add.reduceat(vals, m.indptr[:-1][np.diff(m.indptr) > 0])
    scale = np.zeros(m.shape[0])
    nonempty = np.diff(m.indptr) > 0
    sums = np.sqrt(sums) if norm == "l2" else sums
    scale[nonempty] = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    m.data *= np.repeat(scale, np.diff(m.indptr))
    return m


def history_mean(matrix: sp.csr_matrix, history: sp.csr_matrix) -> np.ndarray:
    """One learner's history row (1 x items) times ``matrix`` (items x features), the row
    L1-normalised first: the weighted mean of the booked items' rows, as a dense vector."""
    items, weights = history.indices, history.data
    total = np.abs(weights).sum() if items.size else 0.0
    if total == 0:
        return np.zeros(matrix.shape[1])
    # Gather the booked rows straight from the CSR arrays: cheaper than slicing a sub-matrix.
    starts, ends = matrix.indptr[items], matrix.indptr[items + 1]
    lengths = ends - starts
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    scale = np.repeat(weights / total, lengths)
    return np.bincount(matrix.indices[positions], weights=matrix.data[positions] * scale, minlength=matrix.shape[1])
