"""Offline baselines: random, most popular, item-kNN, EASE, ALS on item ids; a content profile on item tags.

Each has ``fit(x)`` on a (users x items) binary training matrix and
``score(rows, candidates)`` returning a (len(rows) x len(candidates)) matrix.
Rows of users without training history (row index -1) get the training
popularity, the usual fallback, so cold users are not ranked by ties alone.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from peerlearn.recommender.itemsim import cosine_neighbours, ease_weights


class Baseline:
    name = "baseline"

    def fit(self, x: sp.csr_matrix) -> Baseline:
        self.x = sp.csr_matrix(x, dtype=np.float32)
        self.pop = np.asarray(self.x.sum(axis=0)).ravel()
        return self

    tie_seed = 12345

    def score(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Scores plus a tiny fixed per-item jitter, so ties are broken at random
        rather than by the order items happen to have in the input file."""
        rows = np.asarray(rows)
        out = np.tile(self.pop[candidates].astype(np.float64), (len(rows), 1))
        warm = rows >= 0
        if warm.any():
            out[warm] = self._warm(rows[warm], candidates)
        scores: np.ndarray = out + 1e-9 * tie_breaker(self.x.shape[1], self.tie_seed)[candidates][None, :]
        return scores

    def _warm(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return np.tile(self.pop[candidates].astype(np.float64), (len(rows), 1))


def tie_breaker(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


class RandomBaseline(Baseline):
    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)

    def score(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return self.rng.random((len(rows), len(candidates)))


class PopularBaseline(Baseline):
    name = "popular"


class ItemKNNBaseline(Baseline):
    name = "item_knn"

    def __init__(self, k: int = 100, shrink: float = 10.0) -> None:
        self.k, self.shrink = k, shrink

    def fit(self, x: sp.csr_matrix) -> Baseline:
        super().fit(x)
        self.sim = cosine_neighbours(self.x, self.k, self.shrink).T.tocsr()  # sim[j, i]
        return self

    def _warm(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return np.asarray((self.x[rows] @ self.sim[:, candidates]).todense(), dtype=np.float64)


class EASEBaseline(Baseline):
    name = "ease"

    def __init__(self, lam: float = 200.0) -> None:
        self.lam = lam

    def fit(self, x: sp.csr_matrix) -> Baseline:
        super().fit(x)
        self.active = np.flatnonzero(self.pop > 0)
        self.pos = np.full(x.shape[1], -1)
        self.pos[self.active] = np.arange(len(self.active))
        self.b = ease_weights(self.x[:, self.active], self.lam)
        return self

    def _warm(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), len(candidates)))
        ca = self.pos[candidates]
        ok = ca >= 0
        if ok.any():
            xa = self.x[rows][:, self.active]
            out[:, ok] = xa @ self.b[:, ca[ok]]
        return out


class ALSBaseline(Baseline):
    """Implicit-feedback ALS (Hu, Koren, Volinsky) from the ``implicit`` library."""

    name = "als"

    def __init__(
        self, factors: int = 64, regularization: float = 0.05, iterations: int = 15, alpha: float = 10.0, seed: int = 0
    ) -> None:
        self.params = dict(
            factors=factors, regularization=regularization, iterations=iterations, alpha=alpha, random_state=seed
        )

    def fit(self, x: sp.csr_matrix) -> Baseline:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        super().fit(x)
        with threadpool_limits(1, "blas"):  # implicit parallelises itself; BLAS threads only contend
            self.model = AlternatingLeastSquares(**self.params, calculate_training_loss=False)
            self.model.fit(self.x, show_progress=False)
        return self

    def _warm(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        users = np.asarray(self.model.user_factors)[rows]
        items = np.asarray(self.model.item_factors)[candidates]
        scores: np.ndarray = (users @ items.T).astype(np.float64)
        return scores


class ContentProfileBaseline(Baseline):
    """The learner's past tags (on CNPC: disciplines and length bands) as a profile, cosine against each item's."""

    name = "content_profile"

    def __init__(self, item_tags: sp.csr_matrix) -> None:
        self.tags = sp.csr_matrix(item_tags, dtype=np.float64)

    def fit(self, x: sp.csr_matrix) -> Baseline:
        super().fit(x)
        norms = np.sqrt(np.asarray(self.tags.multiply(self.tags).sum(axis=1)).ravel())
        self.unit = sp.csr_matrix(self.tags.multiply(1.0 / np.maximum(norms, 1e-12)[:, None]))
        return self

    def _warm(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        profile = np.asarray((self.x[rows] @ self.unit).todense())
        norms = np.linalg.norm(profile, axis=1, keepdims=True)
        profile = profile / np.maximum(norms, 1e-12)
        return np.asarray(self.unit[candidates] @ profile.T).T


def all_baselines(seed: int = 0, ease_lambda: float = 200.0) -> list[Baseline]:
    return [
        RandomBaseline(seed),
        PopularBaseline(),
        ItemKNNBaseline(),
        EASEBaseline(ease_lambda),
        ALSBaseline(seed=seed),
    ]
