"""The learned ranker: LightGBM lambdarank over the component scores and a few context features.

Trained at every full retrain on time-ordered windows cut from the training period only (the same cuts as the
blend's validation, see :func:`peerlearn.recommender.tuning.validation_cuts`): window j trains a model on the
interactions before cut j and asks it to order what each learner booked in [cut j, cut j-1) among the sessions
bookable then. With two windows or more (and ``config.ranker == "auto"``), a ranker trained on the older ones
must order the latest one at least as well as the fitted blend does, or the blend keeps serving; the served ranker
is then retrained on every window, the older ones now running from their cut to the retrain: the longest horizon
each has, closer to the one a list serves (everything a learner books from now on). Short horizons teach it that
the soonest sessions win, which did not hold on CNPC's later quarters.
Too few learners in the windows: the blend serves (``fit_report["serving"]`` says which).

The ranker learns from, and serves, learners with history only: for a learner without any, every feature but
popularity, trending and the session's own columns is empty, and the blend fitted for them (the cold segment) keeps
serving them.

Features (``FEATURES``), per learner and candidate, NaN when the data does not have it:

- the five normalised components as served (content, collaborative item and facet parts, popularity, trending);
- the learner's history length (distinct sessions, log1p);
- the session's age (days since its first booking), days to its start, its bookings so far and its booking pace
  (bookings per day since the first);
- its price (log1p, minor units), its level minus the mean level of the learner's past sessions, whether its
  language is the learner's (stated, else the most frequent in their history), and its mentor's rating.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from peerlearn.recommender.config import WARM, RecommenderConfig
from peerlearn.recommender.data import Id, UserProfile
from peerlearn.recommender.features import ItemFeatures
from peerlearn.recommender.history import History
from peerlearn.recommender.metrics import ndcg_matrix
from peerlearn.recommender.scorers import PopularityScorer, UserBatch
from peerlearn.recommender.timeutil import DAY

FEATURES = (
    "content",
    "collab_item",
    "collab_facet",
    "popularity",
    "trending",
    "history_len",
    "item_age_days",
    "days_to_start",
    "bookings",
    "booking_pace",
    "price",
    "level_gap",
    "language_match",
    "mentor_rating",
)
COMPONENT_FEATURES = FEATURES[:5]
CONTEXT_FEATURES = FEATURES[5:]
K = 10
MIN_LEARNERS = 50  # learners with a positive in the windows, below which the blend serves
MIN_POSITIVES = 100
SCORE_ALL = 300  # candidates up to which the booster scores all of them, not a pool


class RankerModel(Protocol):
    """What training and scoring need of a built model."""

    config: RecommenderConfig
    history: History
    features: ItemFeatures
    popularity: PopularityScorer
    profiles: dict[Id, UserProfile]
    first_booked: np.ndarray
    weights: dict[str, dict[str, float]]
    collab_item_share: dict[str, float]

    def segment(self, user_id: Id) -> str: ...

    def user_batch(self, user_ids: Sequence[Id], now: float) -> UserBatch: ...

    def components(self, batch: UserBatch, cand: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]: ...


ModelBefore = Callable[[float], RankerModel]


def feature_matrix(
    model: RankerModel,
    user_ids: Sequence[Id],
    cand: np.ndarray,
    now: float,
    comps: dict[str, np.ndarray],
    parts: dict[str, np.ndarray],
    cols: np.ndarray | None = None,
) -> np.ndarray:
    """(users, candidates, features) float32; ``cols`` (users x m) picks candidate positions per learner."""
    f = model.features
    n_users = len(user_ids)
    full = {
        "content": comps["content"],
        "collab_item": parts["collab_item"],
        "collab_facet": parts["collab_facet"],
        "popularity": comps["popularity"],
        "trending": comps["trending"],
    }
    pick = (lambda m: np.take_along_axis(m, cols, axis=1)) if cols is not None else (lambda m: m)
    m = cols.shape[1] if cols is not None else len(cand)
    out = np.full((n_users, m, len(FEATURES)), np.nan, dtype=np.float32)
    for j, name in enumerate(COMPONENT_FEATURES):
        out[:, :, j] = pick(full[name])
    items = cand[cols] if cols is not None else np.broadcast_to(cand, (n_users, m))
    needed, where = np.unique(items, return_inverse=True)
    where = where.reshape(items.shape)
    item_cols = _item_columns(model, now, needed)
    for name in ("item_age_days", "days_to_start", "bookings", "booking_pace", "price", "mentor_rating"):
        out[:, :, FEATURES.index(name)] = item_cols[name][where]
    levels = f.level[: len(f)]
    langs = f.lang_code[: len(f)]
    for r, user in enumerate(user_ids):
        row = model.history.user_index.get(user)
        past = np.unique(np.asarray(model.history.items[row], dtype=np.int64)) if row is not None else np.zeros(0, int)
        out[r, :, FEATURES.index("history_len")] = np.log1p(past.size)
        past_levels = levels[past]
        past_levels = past_levels[np.isfinite(past_levels)]
        if past_levels.size:
            out[r, :, FEATURES.index("level_gap")] = levels[items[r]] - past_levels.mean()
        lang = _learner_language(model, user, past, langs)
        if lang is not None:
            item_lang = langs[items[r]]
            out[r, :, FEATURES.index("language_match")] = np.where(item_lang < 0, np.nan, item_lang == lang)
    return out


def _learner_language(model: RankerModel, user: Id, past: np.ndarray, langs: np.ndarray) -> int | None:
    profile = model.profiles.get(user)
    if profile is not None and profile.language:
        code = model.features.language_code(profile.language)
        return -2 if code is None else code  # a language no session uses matches none
    known = langs[past]
    known = known[known >= 0]
    return int(np.bincount(known).argmax()) if known.size else None


def _item_columns(model: RankerModel, now: float, idx: np.ndarray) -> dict[str, np.ndarray]:
    """The per-session features of the sessions ``idx`` at ``now``."""
    f = model.features
    first = _padded(model.first_booked, idx, np.inf)
    counts = _padded(model.popularity.count, idx, 0.0)
    age = np.where(np.isfinite(first), np.maximum(now - first, 0.0) / DAY, np.nan)
    start = f.start[idx]
    return {
        "item_age_days": age,
        "days_to_start": np.where(np.isfinite(start), (start - now) / DAY, np.nan),
        "bookings": np.log1p(counts),
        "booking_pace": np.where(np.isfinite(age), counts / np.maximum(np.nan_to_num(age), 1.0), 0.0),
        "price": np.log1p(np.maximum(f.price[idx], 0.0)),
        "mentor_rating": np.array([_rating(f.items[i].mentor_rating) for i in idx], dtype=np.float64),
    }


def _padded(values: np.ndarray, idx: np.ndarray, missing: float) -> np.ndarray:
    """values[idx], ``missing`` for sessions added since the array was sized."""
    out = np.full(len(idx), missing)
    ok = idx < len(values)
    out[ok] = values[idx[ok]]
    return out


def _rating(value: float | None) -> float:
    return np.nan if value is None else float(value)


@dataclass
class Window:
    """One training window: rows (learner x sampled candidate) with features, labels, and the blend's scores."""

    x: np.ndarray  # (learners, m, features)
    rel: np.ndarray  # (learners, m) bool
    blend: np.ndarray  # (learners, m); padding is -inf
    width: np.ndarray  # real candidates per learner


class LearnedRanker:
    """A LightGBM booster with the feature layout above; ``score`` ranks one batch of learners in one call."""

    def __init__(self, booster: Any) -> None:
        self.booster = booster

    def score(self, x: np.ndarray) -> np.ndarray:
        """(users, candidates, features) -> (users, candidates) scores, one predict call for the whole batch."""
        u, c, nf = x.shape
        if u * c == 0:
            return np.zeros((u, c))
        flat = self.booster.predict(x.reshape(u * c, nf), num_threads=1)
        return np.asarray(flat, dtype=np.float64).reshape(u, c)

    def importance(self) -> dict[str, float]:
        gains = self.booster.feature_importance(importance_type="gain")
        total = float(gains.sum()) or 1.0
        return {name: round(float(g) / total, 4) for name, g in zip(FEATURES, gains, strict=True)}


def lgb_params(config: RecommenderConfig) -> dict[str, Any]:
    return {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [K],
        "lambdarank_truncation_level": 2 * K,
        "learning_rate": 0.07,
        "num_leaves": 15,
        "min_data_in_leaf": 50,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": config.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 1,
        "verbose": -1,
    }


def train(windows: Sequence[Window], config: RecommenderConfig) -> LearnedRanker:
    import lightgbm as lgb

    xs, ys, groups = [], [], []
    for w in windows:
        for r in range(len(w.width)):
            k = int(w.width[r])
            if k and w.rel[r, :k].any():
                xs.append(w.x[r, :k])
                ys.append(w.rel[r, :k].astype(np.float32))
                groups.append(k)
    data = lgb.Dataset(
        np.vstack(xs), label=np.concatenate(ys), group=groups, feature_name=list(FEATURES), free_raw_data=True
    )
    booster = lgb.train(lgb_params(config), data, num_boost_round=config.ranker_rounds)
    return LearnedRanker(booster)


def window_ndcg(window: Window, scores: np.ndarray) -> float:
    s = np.where(np.arange(scores.shape[1])[None, :] < window.width[:, None], scores, -np.inf)
    return ndcg_matrix(s, window.rel, K)


def fit_ranker(
    engine: RankerModel, now: float, cuts: list[float], model_before: ModelBefore
) -> tuple[LearnedRanker | None, dict[str, Any]]:
    """Train on the windows before ``now``; returns (ranker or None for the blend, report)."""
    cfg = engine.config
    report: dict[str, Any] = {"serving": "blend"}
    if not cuts:
        report["reason"] = "too little history for a training window"
        return None, report
    rng = np.random.default_rng(cfg.seed + 7)
    # Window 0 is [cut 0, now); for the check the older ones run from their cut to cut 0, so none sees the labels
    # of the held-out window 0. Each is ranked over every session bookable at its cut.
    ends = [now] + [cuts[0]] * (len(cuts) - 1)
    per_window = max(cfg.ranker_max_learners // len(cuts), MIN_LEARNERS)
    windows = []
    for cut, end in zip(cuts, ends, strict=True):
        w = _window(engine, model_before(cut), cut, end, per_window, rng)
        if w is not None:
            windows.append(w)
    learners = sum(int((w.rel.any(axis=1)).sum()) for w in windows)
    positives = sum(int(w.rel.sum()) for w in windows)
    report.update(windows=len(windows), learners=learners, positives=positives)
    if learners < MIN_LEARNERS or positives < MIN_POSITIVES:
        report["reason"] = f"too thin: {learners} learners, {positives} positives in the windows"
        return None, report
    if cfg.ranker == "auto" and len(windows) >= 2 and int(windows[0].rel.any(axis=1).sum()) >= MIN_LEARNERS // 2:
        check = train(windows[1:], cfg)
        latest = windows[0]
        ranker_ndcg = window_ndcg(latest, check.score(latest.x))
        blend_ndcg = window_ndcg(latest, latest.blend)
        report["holdout_ndcg"] = {"ranker": ranker_ndcg, "blend": blend_ndcg}
        if ranker_ndcg < blend_ndcg:
            report["reason"] = "the ranker trained on older windows ordered the latest one worse than the blend"
            return None, report
    if len(cuts) > 1:
        # The served ranker learns from every window over the longest horizon each has: from its cut to now.
        expanded = [_window(engine, model_before(cut), cut, now, per_window, rng) for cut in cuts[1:]]
        windows = windows[:1] + [w for w in expanded if w is not None]
    ranker = train(windows, cfg)
    report["serving"] = "learned"
    report["importance"] = ranker.importance()
    return ranker, report


def _fitted_blend(
    engine: RankerModel,
    sub: RankerModel,
    users: Sequence[Id],
    comps: dict[str, np.ndarray],
    parts: dict[str, np.ndarray],
) -> np.ndarray:
    """What the engine's fitted blend (weights and collaborative share per segment) gives on ``sub``'s components,
    the segment being the learner's at the window's cut."""
    out = np.zeros_like(comps["content"])
    for r, user in enumerate(users):
        seg = sub.segment(user)
        w, share = engine.weights[seg], engine.collab_item_share[seg]
        collab = share * parts["collab_item"][r] + (1.0 - share) * parts["collab_facet"][r]
        out[r] = (
            w.get("content", 0.0) * comps["content"][r]
            + w.get("collab", 0.0) * collab
            + w.get("popularity", 0.0) * comps["popularity"][r]
            + w.get("trending", 0.0) * comps["trending"][r]
        )
    return out


def _window(
    engine: RankerModel, sub: RankerModel, cut: float, end: float, max_users: int, rng: np.random.Generator
) -> Window | None:
    """Learners who booked in [cut, end), each with their positives and sampled other candidates, scored by ``sub``
    (built before ``cut``) exactly as it would have served them at ``cut``."""
    cfg = engine.config
    relevant: dict[Id, set[int]] = {}
    for row, item, t, _ in engine.history.events():
        if cut <= t < end:
            user = engine.history.user_ids[row]
            if item not in sub.history.booked(user):
                relevant.setdefault(user, set()).add(item)
    f = sub.features
    start = f.start[: len(f)]
    if cfg.candidate_mode == "upcoming":
        # Every session bookable at the cut, as a list at the cut would rank them: a session starting after ``end``
        # has had less time to be booked, as at serving time.
        cand = np.flatnonzero(start >= cut)
    else:
        cand = np.arange(len(f))
    if cand.size == 0:
        return None
    pos_of = np.full(len(f), -1, dtype=np.int64)
    pos_of[cand] = np.arange(len(cand))
    users = sorted((u for u in relevant if sub.segment(u) == WARM and (pos_of[list(relevant[u])] >= 0).any()), key=str)
    if not users:
        return None
    if len(users) > max_users:
        users = [users[i] for i in sorted(rng.choice(len(users), max_users, replace=False))]
    m = min(cfg.ranker_sampled_candidates, len(cand))
    xs, rels, blends, widths = [], [], [], []
    for s in range(0, len(users), 256):
        chunk = users[s : s + 256]
        batch = sub.user_batch(chunk, cut)
        comps, parts = sub.components(batch, cand)
        blended = _fitted_blend(engine, sub, chunk, comps, parts)
        cols = np.zeros((len(chunk), m), dtype=np.int64)
        rel = np.zeros((len(chunk), m), dtype=bool)
        width = np.zeros(len(chunk), dtype=np.int64)
        for r, user in enumerate(chunk):
            pos = pos_of[list(relevant[user])]
            pos = pos[pos >= 0][:m]
            blocked = np.zeros(len(cand), dtype=bool)
            blocked[pos] = True
            booked = pos_of[list(sub.history.booked(user))] if sub.history.has_history(user) else np.zeros(0, int)
            blocked[booked[booked >= 0]] = True
            free = np.flatnonzero(~blocked)
            neg = rng.choice(free, size=min(m - len(pos), free.size), replace=False)
            picked = np.concatenate([pos, neg]).astype(np.int64)
            order = rng.permutation(len(picked))  # so that ties cannot favour the positives
            k = len(picked)
            cols[r, :k] = picked[order]
            rel[r, :k] = np.concatenate([np.ones(len(pos), bool), np.zeros(len(neg), bool)])[order]
            width[r] = k
        x = feature_matrix(sub, chunk, cand, cut, comps, parts, cols)
        b = np.take_along_axis(blended, cols, axis=1)
        b[np.arange(m)[None, :] >= width[:, None]] = -np.inf
        xs.append(x)
        rels.append(rel)
        blends.append(b)
        widths.append(width)
    return Window(np.concatenate(xs), np.concatenate(rels), np.concatenate(blends), np.concatenate(widths))
