"""Who booked what and when, kept per learner; grows with every partial update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from peerlearn.recommender.data import Id
from peerlearn.recommender.timeutil import decay


class History:
    def __init__(self) -> None:
        self.user_index: dict[Id, int] = {}
        self.user_ids: list[Id] = []
        self.items: list[list[int]] = []
        self.ts: list[list[float]] = []
        self.weight: list[list[float]] = []

    def __len__(self) -> int:
        return len(self.user_ids)

    def user_row(self, user_id: Id, create: bool = False) -> int | None:
        row = self.user_index.get(user_id)
        if row is None and create:
            row = len(self.user_ids)
            self.user_index[user_id] = row
            self.user_ids.append(user_id)
            self.items.append([])
            self.ts.append([])
            self.weight.append([])
        return row

    def add(self, user_id: Id, item: int, ts: float, weight: float = 1.0) -> int:
        row = self.user_row(user_id, create=True)
        assert row is not None
        self.items[row].append(item)
        self.ts[row].append(ts)
        self.weight[row].append(weight)
        return row

    def booked(self, user_id: Id) -> set[int]:
        row = self.user_index.get(user_id)
        return set(self.items[row]) if row is not None else set()

    def item_weights(self, user_id: Id) -> dict[int, float]:
        """Item -> the strongest weight among the learner's events on it (a booking outweighs a click)."""
        row = self.user_index.get(user_id)
        out: dict[int, float] = {}
        if row is not None:
            for item, weight in zip(self.items[row], self.weight[row], strict=True):
                out[item] = max(out.get(item, weight), weight)
        return out

    def has_history(self, user_id: Id) -> bool:
        row = self.user_index.get(user_id)
        return row is not None and bool(self.items[row])

    def matrix(self, user_ids: Sequence[Id], n_items: int, now: float, half_life_days: float) -> sp.csr_matrix:
        """(users x items) of time-decayed interaction weight; unknown users get empty rows."""
        if len(user_ids) == 1:  # a live request: build the one row directly
            row = self.user_index.get(user_ids[0])
            items = self.items[row] if row is not None else []
            w = (
                np.asarray(self.weight[row], dtype=np.float64)
                * decay(now - np.asarray(self.ts[row], dtype=np.float64), half_life_days)
                if row is not None and items
                else np.zeros(0)
            )
            out = sp.csr_matrix((w, np.asarray(items, dtype=np.int64), [0, len(items)]), shape=(1, n_items))
            out.sum_duplicates()
            return out
        rows, cols, vals = [], [], []
        for r, user in enumerate(user_ids):
            row = self.user_index.get(user)
            if row is None or not self.items[row]:
                continue
            items = self.items[row]
            w = np.asarray(self.weight[row]) * decay(now - np.asarray(self.ts[row]), half_life_days)
            rows.extend([r] * len(items))
            cols.extend(items)
            vals.extend(w.tolist())
        out = sp.csr_matrix((vals, (rows, cols)), shape=(len(user_ids), n_items))
        out.sum_duplicates()
        return out

    def all_ts(self) -> np.ndarray:
        return np.fromiter((t for ts in self.ts for t in ts), dtype=np.float64)

    def events(self) -> Iterable[tuple[int, int, float, float]]:
        """(user_row, item, ts, weight) for every stored interaction."""
        for row, items in enumerate(self.items):
            for item, ts, w in zip(items, self.ts[row], self.weight[row], strict=True):
                yield row, item, ts, w
