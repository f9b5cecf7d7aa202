"""The four score components: content, collaborative, popularity, trending.

Per-user scorers take a :class:`UserBatch` and return a dense (users x items)
matrix over the whole catalogue; global ones return one value per item. The
engine picks the candidate columns. Time-decayed sums are anchored at
the fit time ``ref`` (weight 2 ** ((ts - ref) / half_life)), so events arriving
after a fit can be added without recomputing anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.data import Id
from peerlearn.recommender.features import ItemFeatures
from peerlearn.recommender.history import History
from peerlearn.recommender.sparseops import history_mean
from peerlearn.recommender.sparseops import normalize_rows as normalize
from peerlearn.recommender.timeutil import DAY

DENSE_FACETS_MAX = 4000  # facets (tags + categories + mentors) kept as a dense similarity


@dataclass
class TimeScales:
    """Half-lives in days."""

    popularity: float
    profile: float
    trend_short: float
    trend_long: float


def resolve_timescales(config: RecommenderConfig, ages_days: np.ndarray) -> TimeScales:
    """Fill unset half-lives from the spread of interaction ages, so the same code
    works for minute-level bookings and quarter-level course enrolments."""
    ages = ages_days[np.isfinite(ages_days) & (ages_days > 0)]
    q10, q50, q90 = np.quantile(ages, [0.1, 0.5, 0.9]) if ages.size else (7.0, 30.0, 90.0)
    short = config.trend_short_half_life or max(float(q10), 1.0)
    return TimeScales(
        popularity=config.popularity_half_life or max(float(q50), 1.0),
        profile=config.profile_half_life or max(float(q90), 1.0),
        trend_short=short,
        trend_long=config.trend_long_half_life or max(float(q50), 4.0 * short),
    )


def anchored(ts: np.ndarray, ref: float, half_life_days: float) -> np.ndarray:
    return np.power(2.0, (np.asarray(ts, dtype=np.float64) - ref) / (half_life_days * DAY))


@dataclass
class UserBatch:
    """What the scorers need about a set of learners, built by the engine."""

    user_ids: list[Id]
    history: sp.csr_matrix  # (U x items) time-decayed interaction weights
    profile_facets: sp.csr_matrix  # (U x facets) declared tags
    profile_content: sp.csr_matrix  # (U x content dim) declared tags in content space
    facets: sp.csr_matrix | None = None  # filled by CollaborativeScorer.user_facets


class ContentScorer:
    """Cosine between a learner's content profile and each item.

    Profile = mean of booked items' TF-IDF vectors (time-decayed) + the declared tags.
    """

    name = "content"

    def __init__(self, features: ItemFeatures, profile_weight: float) -> None:
        self.features = features
        self.profile_weight = profile_weight

    def user_vectors(self, batch: UserBatch) -> sp.csr_matrix:
        hist = normalize(batch.history, norm="l1")
        vec = hist @ self.features.content
        if batch.profile_content.nnz:
            vec = vec + self.profile_weight * batch.profile_content
        return normalize(sp.csr_matrix(vec))

    def score(self, batch: UserBatch) -> np.ndarray:
        """(U x all items); computed against the whole catalogue, which is cheaper
        than slicing candidate rows out of the sparse matrix per request."""
        if batch.history.shape[0] == 1:
            one: np.ndarray = (self.features.content @ self._user_vector_one(batch))[None, :]
            return one
        users = self.user_vectors(batch).toarray()
        return np.asarray(self.features.content @ users.T).T

    def _user_vector_one(self, batch: UserBatch) -> np.ndarray:
        """:meth:`user_vectors` for one learner (a live request), as a dense vector."""
        vec = history_mean(self.features.content, batch.history)
        profile = sp.csr_matrix(batch.profile_content)
        vec[profile.indices] += self.profile_weight * profile.data
        norm = np.linalg.norm(vec)
        return vec / norm if norm > 0 else vec


class CollaborativeScorer:
    """Co-booking at two levels.

    - items: shrunk cosine over co-booking counts (``learners who booked X also
      booked Y``); kept as counts so a new booking updates it immediately;
    - facets: the same over tags, categories and mentors, which outlive any one
      session, so a brand-new session still gets collaborative signal.
    """

    name = "collab"

    def __init__(self, features: ItemFeatures, shrink: float = 10.0) -> None:
        self.features = features
        self.shrink = shrink
        self._facets_cut: sp.csr_matrix | None = None  # item facets known at fit, per catalogue size
        self._facets_norm: sp.csr_matrix | None = None  # row-normalised item facets, per catalogue size

    def fit(self, x: sp.csr_matrix, profile_facets: sp.csr_matrix) -> CollaborativeScorer:
        """``x``: binary (users x items); ``profile_facets``: (users x facets) declared tags."""
        x = sp.csr_matrix(x, dtype=np.float64)
        x.data[:] = 1.0
        self.cooc = (x.T @ x).tocsr()
        self.counts = np.asarray(self.cooc.diagonal()).astype(np.float64)
        self.cooc.setdiag(0.0)
        self.cooc.eliminate_zeros()
        self.cooc.sort_indices()
        self.delta: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self._delta_csr: sp.csr_matrix | None = None
        self.n_items_fit = x.shape[1]
        # facet level
        facets = self.features.facets
        self.n_facets_fit = facets.shape[1]
        h = (x @ facets[: x.shape[1]]).tocsr() + _pad_cols(profile_facets, self.n_facets_fit)
        h = sp.csr_matrix(h)
        h.data[:] = 1.0
        co = (h.T @ h).tocoo()
        d = np.asarray((h.T @ h).diagonal()).astype(np.float64)
        vals = co.data / (np.sqrt(d[co.row] * d[co.col]) + self.shrink)
        self.facet_sim = sp.csr_matrix((vals, (co.row, co.col)), shape=(self.n_facets_fit, self.n_facets_fit))
        # Facet co-occurrence is dense-ish; a dense copy makes per-request products cheap.
        self._facet_sim_dense = self.facet_sim.toarray() if self.n_facets_fit <= DENSE_FACETS_MAX else None
        return self

    # --- incremental -------------------------------------------------------
    def add_booking(self, previous_items: list[int], item: int) -> None:
        self._grow(item + 1)
        self.counts[item] += 1.0
        for other in set(previous_items):
            if other != item:
                self.delta[other][item] += 1.0
                self.delta[item][other] += 1.0
        self._delta_csr = None

    def _grow(self, n: int) -> None:
        if n > len(self.counts):
            self.counts = np.concatenate([self.counts, np.zeros(n - len(self.counts))])

    def _delta_matrix(self, n: int) -> sp.csr_matrix | None:
        if not self.delta:
            return None
        if self._delta_csr is None or self._delta_csr.shape[0] < n:
            rows, cols, vals = [], [], []
            for a, row in self.delta.items():
                for b, v in row.items():
                    rows.append(a)
                    cols.append(b)
                    vals.append(v)
            size = max(n, max(rows) + 1, max(cols) + 1)
            self._delta_csr = sp.csr_matrix((vals, (rows, cols)), shape=(size, size))
        return self._delta_csr

    def cooc_with(self, item: int, others: np.ndarray) -> np.ndarray:
        """Co-booking counts of ``item`` with each of ``others`` (fit-time plus since-fit)."""
        out = np.zeros(len(others))
        if item < self.cooc.shape[0]:
            start, end = self.cooc.indptr[item], self.cooc.indptr[item + 1]
            cols, vals = self.cooc.indices[start:end], self.cooc.data[start:end]
            pos = np.searchsorted(cols, others)
            ok = (
                (pos < len(cols)) & (cols[np.minimum(pos, len(cols) - 1)] == others)
                if len(cols)
                else np.zeros(len(others), bool)
            )
            out[ok] = vals[pos[ok]]
        row = self.delta.get(item)
        if row:
            out += np.array([row.get(int(o), 0.0) for o in others])
        return out

    # --- scoring -----------------------------------------------------------
    def item_part(self, batch: UserBatch) -> np.ndarray:
        n = batch.history.shape[1]
        self._grow(n)
        denom = np.sqrt(self.counts[:n] + self.shrink)
        inv = np.divide(1.0, denom, out=np.zeros(n), where=denom > 0)
        if batch.history.shape[0] == 1:
            return self._item_part_one(sp.csr_matrix(batch.history), inv, n)
        hist = sp.csr_matrix(batch.history.multiply(inv[None, :]))
        base = _pad_square(self.cooc, n)
        co = hist @ base
        delta = self._delta_matrix(n)
        if delta is not None:
            co = co + hist @ delta[:n, :n]
        return np.asarray(sp.csr_matrix(co).todense()) * inv[None, :]

    def _item_part_one(self, hist: sp.csr_matrix, inv: np.ndarray, n: int) -> np.ndarray:
        """The same for one learner (a live request): only the co-booking rows of
        the sessions they booked are read."""
        booked, weight = hist.indices, hist.data * inv[hist.indices]
        out = np.zeros(n)
        fit = booked < self.cooc.shape[0]
        if fit.any():
            part = self.cooc[booked[fit]].T @ weight[fit]
            out[: part.shape[0]] += part[:n]
        delta = self._delta_matrix(n)
        if delta is not None and booked.size:
            out += (delta[booked].T @ weight)[:n]
        scaled: np.ndarray = (out * inv)[None, :]
        return scaled

    def user_facets(self, batch: UserBatch, profile_weight: float) -> sp.csr_matrix:
        """(U x facets) what each learner's history and declared tags point at; kept on the batch,
        since scoring and explaining the same list both need it."""
        if batch.facets is None:
            batch.facets = self._user_facets(batch, profile_weight)
        return batch.facets

    def _user_facets(self, batch: UserBatch, profile_weight: float) -> sp.csr_matrix:
        nf = self.n_facets_fit
        facets = self._facets_fit()
        if batch.history.shape[0] == 1:  # a live request: dense arithmetic on one row
            vec = history_mean(facets, batch.history)
            profile = sp.csr_matrix(batch.profile_facets)
            keep = profile.indices < nf
            if keep.any():
                vec[profile.indices[keep]] += profile_weight * profile.data[keep] / np.abs(profile.data[keep]).sum()
            return sp.csr_matrix(vec[None, :])
        if facets.shape[0] != batch.history.shape[1]:
            facets = facets[: batch.history.shape[1]]
        hist = normalize(batch.history, norm="l1") @ facets
        if batch.profile_facets.nnz == 0:
            return sp.csr_matrix(hist)
        prof = normalize(_pad_cols(batch.profile_facets, nf), norm="l1")
        return sp.csr_matrix(hist + profile_weight * prof)

    def _facets_fit(self) -> sp.csr_matrix:
        """Item facets restricted to the facets known at fit, cached per catalogue size."""
        n = len(self.features)
        if self._facets_cut is None or self._facets_cut.shape[0] != n:
            self._facets_cut = sp.csr_matrix(self.features.facets[:, : self.n_facets_fit])
        return self._facets_cut

    def facet_sim_rows(self, facets: np.ndarray) -> np.ndarray:
        """Dense rows of the facet similarity for these facet columns (explanations read them)."""
        if self._facet_sim_dense is not None:
            rows: np.ndarray = self._facet_sim_dense[facets]
            return rows
        return np.asarray(self.facet_sim[facets].todense())

    def facet_part(self, batch: UserBatch, profile_weight: float) -> np.ndarray:
        users = self.user_facets(batch, profile_weight)
        if self._facet_sim_dense is not None:
            affinity = np.asarray(users @ self._facet_sim_dense)  # (U x F) dense
            return np.asarray(self._item_facets() @ affinity.T).T
        affinity = sp.csr_matrix(users @ self.facet_sim)
        return np.asarray((self._item_facets() @ affinity.T).T.todense())

    def _item_facets(self) -> sp.csr_matrix:
        """Row-normalised item facets, refreshed when items were added."""
        n = len(self.features)
        if self._facets_norm is None or self._facets_norm.shape[0] != n:
            self._facets_norm = normalize(self._facets_fit()).tocsr()
        return self._facets_norm


class PopularityScorer:
    """Expected bookings of a session, log-scaled.

    A session's own time-decayed bookings, with a floor for new sessions: the
    prior = average bookings per past session of its mentor (its record),
    shrunk toward the average of its tags and category, each scaled by how
    crowded that tag is among upcoming sessions (see ``_supply_adjustment``). A brand-new session
    thus starts from what its mentor and skills usually draw; while upcoming it is judged by its
    booking pace (see :meth:`expected`), afterwards by max(own, prior) + 0.1 min(own, prior).
    Both are monotone in its own bookings.
    """

    name = "popularity"
    mentor_strength = 2.0  # pseudo-sessions of tag evidence against the mentor's record

    def __init__(self, features: ItemFeatures, half_life_days: float) -> None:
        self.features = features
        self.half_life = half_life_days

    def fit(self, history: History, now: float) -> PopularityScorer:
        n = len(self.features)
        self.ref = now
        ev = np.array(list(history.events()), dtype=np.float64).reshape(-1, 4)
        items = ev[:, 1].astype(np.int64)
        self.own = np.bincount(items, weights=ev[:, 3] * anchored(ev[:, 2], now, self.half_life), minlength=n)
        self.count = np.bincount(items, minlength=n).astype(np.float64)
        first = np.full(n, np.inf)
        np.minimum.at(first, items, ev[:, 2])
        start = self.features.start.copy()
        item_time = np.where(np.isfinite(start), start, first)
        observed = np.isfinite(item_time) & (item_time < now)
        exposure = np.where(observed, anchored(np.where(observed, item_time, now), now, self.half_life), 0.0)
        facets = self.features.facets
        num = facets.T @ np.where(observed, self.own, 0.0)
        den = facets.T @ exposure
        self.global_rate = float(self.own[observed].sum() / exposure.sum()) if exposure.sum() > 0 else 0.0
        upcoming = np.isfinite(start) & (start >= now)
        supply = facets.T @ upcoming.astype(np.float64)
        self.facet_rate = (num + self.global_rate) / (den + 1.0) * _supply_adjustment(den, supply)
        self.facet_evidence = den
        self.prior = self._prior(np.arange(n))
        with np.errstate(invalid="ignore"):
            leads = start[items] - ev[:, 2]
        started = start[items] < now  # sessions still upcoming have not had all their bookings yet
        self.leads = np.sort(leads[np.isfinite(leads) & started])  # how long before its start each booking came
        self._updates = 0
        self._cache_key: tuple[int, int, int] | None = None
        return self

    def booked_share(self) -> np.ndarray:
        """Per item: the share of a session's bookings that usually arrive before now, given how far
        ahead it starts (1 for sessions that have started or have no start time)."""
        start = self.features.start[: len(self.features)]
        lead = np.where(np.isfinite(start), start - self.ref, -np.inf)
        share = np.ones(len(start))
        ahead = lead >= 0
        if self.leads.size and ahead.any():
            later = np.searchsorted(self.leads, lead[ahead], side="right")  # bookings made at most `lead` ahead
            share[ahead] = np.maximum(1.0 - later / self.leads.size, 1.0 / (self.leads.size + 1))
        return share

    def _prior(self, idx: np.ndarray) -> np.ndarray:
        f = self.features
        nf = len(self.facet_rate)
        out = np.empty(len(idx))
        for k, i in enumerate(idx):
            cols = f.facets.indices[f.facets.indptr[i] : f.facets.indptr[i + 1]]
            cols = cols[cols < nf]
            mentor = f.mentor_col[i]
            other = [c for c in cols if c != mentor and self.facet_evidence[c] > 0]
            tag_rate = float(np.mean(self.facet_rate[other])) if other else self.global_rate
            if 0 <= mentor < nf and self.facet_evidence[mentor] > 0:
                e = self.facet_evidence[mentor]
                out[k] = (e * self.facet_rate[mentor] + self.mentor_strength * tag_rate) / (e + self.mentor_strength)
            else:
                out[k] = tag_rate
        return out

    def _grow(self) -> None:
        n = len(self.features)
        if n > len(self.own):
            extra = n - len(self.own)
            self.own = np.concatenate([self.own, np.zeros(extra)])
            self.count = np.concatenate([self.count, np.zeros(extra)])
            self.prior = np.concatenate([self.prior, self._prior(np.arange(n - extra, n))])

    def add_booking(self, item: int, ts: float, weight: float = 1.0) -> None:
        self._grow()
        self.own[item] += weight * float(anchored(np.array([ts]), self.ref, self.half_life)[0])
        self.count[item] += 1.0
        self._updates += 1

    def expected(self) -> np.ndarray:
        """Expected bookings per item (all items).

        An upcoming session is judged by its booking pace: its bookings so far against the share
        that usually arrives this far ahead (a Gamma-Poisson estimate with the prior as mean), so
        a few early bookings lift it well above a session with none. Cached until a booking or a
        session is added or changed."""
        self._refresh()
        return self._expected

    def score(self) -> np.ndarray:
        self._refresh()
        return self._score

    def _refresh(self) -> None:
        self._grow()
        key = (len(self.features), self.features.version, self._updates)
        if self._cache_key == key:
            return
        settled = np.maximum(self.own, self.prior) + 0.1 * np.minimum(self.own, self.prior)
        self._share = self.booked_share()
        pace = (1.0 + self.own) / (1.0 / np.maximum(self.prior, 1e-9) + self._share)
        self._expected: np.ndarray = np.where(self._share < 1.0, pace, settled)
        self._score: np.ndarray = np.log1p(self._expected)
        self._cache_key = key

    def prior_source(self, item: int) -> str:
        """'own' when the session's own bookings dominate, else 'mentor' or 'tags'."""
        self._refresh()
        if self.own[item] >= self.prior[item] * self._share[item]:
            return "own"
        mentor = self.features.mentor_col[item]
        if 0 <= mentor < len(self.facet_evidence) and self.facet_evidence[mentor] > 0:
            return "mentor"
        return "tags"


class TrendingScorer:
    """Booking velocity against a baseline, for items and for facets.

    recent = short-half-life decayed count, expected = long-half-life count
    scaled to the short window (for facets also to the platform's overall
    growth); z = (recent - expected) / sqrt(expected + 1), clipped at 0.
    An item's trend is its own z plus its strongest facet's, each scaled by
    the catalogue maximum.
    """

    name = "trending"

    def __init__(self, features: ItemFeatures, short_days: float, long_days: float) -> None:
        self.features = features
        self.short, self.long = short_days, long_days

    def fit(self, history: History, now: float) -> TrendingScorer:
        n = len(self.features)
        self.ref = now
        ev = np.array(list(history.events()), dtype=np.float64).reshape(-1, 4)
        items = ev[:, 1].astype(np.int64)
        self.item_recent = np.bincount(items, weights=ev[:, 3] * anchored(ev[:, 2], now, self.short), minlength=n)
        self.item_long = np.bincount(items, weights=ev[:, 3] * anchored(ev[:, 2], now, self.long), minlength=n)
        self.n_facets = self.features.n_facets
        self._cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        return self

    def add_booking(self, item: int, ts: float, weight: float = 1.0) -> None:
        n = len(self.features)
        if n > len(self.item_recent):
            pad = np.zeros(n - len(self.item_recent))
            self.item_recent = np.concatenate([self.item_recent, pad])
            self.item_long = np.concatenate([self.item_long, pad])
        t = np.array([ts])
        self.item_recent[item] += weight * float(anchored(t, self.ref, self.short)[0])
        self.item_long[item] += weight * float(anchored(t, self.ref, self.long)[0])
        self._cache = None

    def _z(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(item z, facet z, per-item best facet z, per-item best facet column)."""
        if self._cache is None or len(self._cache[0]) != len(self.features):
            n = len(self.features)
            recent = np.concatenate([self.item_recent, np.zeros(n - len(self.item_recent))])
            long = np.concatenate([self.item_long, np.zeros(n - len(self.item_long))])
            ratio = self.short / self.long
            expected = long * ratio
            z_item = np.maximum((recent - expected) / np.sqrt(expected + 1.0), 0.0)
            facets = self.features.facets[:, : self.n_facets]
            f_recent = facets.T @ recent
            f_long = facets.T @ long
            growth = recent.sum() / long.sum() if long.sum() > 0 else ratio
            f_expected = f_long * growth
            z_facet = np.maximum((f_recent - f_expected) / np.sqrt(f_expected + 1.0), 0.0)
            z_item, z_facet = _scaled(z_item), _scaled(z_facet)
            weighted = facets.multiply(z_facet[None, :]).tocsr()
            if weighted.shape[1] and weighted.nnz:
                best = np.asarray(weighted.max(axis=1).todense()).ravel()
                arg = np.asarray(weighted.argmax(axis=1)).ravel()
            else:
                best, arg = np.zeros(n), np.full(n, -1)
            self._cache = (z_item, z_facet, best, np.where(best > 0, arg, -1))
        return self._cache

    def facet_z(self) -> np.ndarray:
        return self._z()[1]

    def parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(item part, facet part, strongest facet column or -1), all items."""
        z_item, _, best, arg = self._z()
        return z_item, best, arg

    def score(self) -> np.ndarray:
        item, facet, _ = self.parts()
        total: np.ndarray = item + facet
        return total


def _supply_adjustment(past: np.ndarray, upcoming: np.ndarray) -> np.ndarray:
    """Per facet: its share of past sessions over its share of upcoming ones.

    A facet's demand is split among the sessions that compete for it: when a
    skill has twice its usual share of upcoming sessions, each can expect about
    half its usual bookings. 1 everywhere when nothing is upcoming."""
    if upcoming.sum() <= 0 or past.sum() <= 0:
        return np.ones_like(past)
    ratio: np.ndarray = ((past + 1.0) / (past.sum() + 1.0)) / ((upcoming + 1.0) / (upcoming.sum() + 1.0))
    return ratio


def _scaled(v: np.ndarray) -> np.ndarray:
    m = v.max() if v.size else 0.0
    return v / m if m > 0 else v


def _pad_cols(m: sp.spmatrix, n: int) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    if m.shape[1] >= n:
        return m[:, :n] if m.shape[1] > n else m
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n))


def _pad_square(m: sp.csr_matrix, n: int) -> sp.csr_matrix:
    if m.shape[0] == n:
        return m
    if m.shape[0] > n:
        return m[:n, :n]
    m = m.tocoo()
    return sp.csr_matrix((m.data, (m.row, m.col)), shape=(n, n))
