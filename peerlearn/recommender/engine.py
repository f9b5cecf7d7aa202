"""The Recommender: fit on items + interactions + profiles, then serve lists.

Typical use by the integration layer::

    rec = Recommender().fit(items, interactions, profiles, now)
    rec.recommend(user_id, now, limit=10)          # list[Recommendation]
    rec.partial_update(Interaction(...))            # after each booking
    rec.recommend_mentors(user_id, now); rec.trending(now)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import scipy.sparse as sp

from peerlearn.recommender import explain, pathboost, ranker
from peerlearn.recommender.candidates import candidate_mask
from peerlearn.recommender.config import COLD, COMPONENTS, WARM, RecommenderConfig
from peerlearn.recommender.data import (
    Id,
    Interaction,
    Item,
    MentorRecommendation,
    PathStep,
    Recommendation,
    TrendingItem,
    TrendingTag,
    UserProfile,
)
from peerlearn.recommender.diversity import jaccard_matrix, mmr_rerank
from peerlearn.recommender.features import CATEGORY, MENTOR, TAG, ItemFeatures
from peerlearn.recommender.history import History
from peerlearn.recommender.hybrid import minmax_rows, mix_collab
from peerlearn.recommender.scorers import (
    CollaborativeScorer,
    ContentScorer,
    PopularityScorer,
    TrendingScorer,
    UserBatch,
    resolve_timescales,
)
from peerlearn.recommender.timeutil import DAY, to_seconds
from peerlearn.recommender.tuning import fit_blend, validation_cuts

__all__ = ["COLD", "WARM", "Recommender"]  # the segments are re-exported for the integration layer

_CHUNK = 256


def _now(now: datetime | float | None) -> float:
    return to_seconds(now) if now is not None else datetime.now(UTC).timestamp()


class Recommender:
    def __init__(self, config: RecommenderConfig | None = None) -> None:
        self.config = config or RecommenderConfig()
        self._ties: np.ndarray | None = None
        self.ranker: ranker.LearnedRanker | None = None  # None: the blend serves
        self._reset_blend()

    def _reset_blend(self) -> None:
        """Blend settings back to the configured defaults (per segment)."""
        self.weights = {WARM: dict(self.config.weights), COLD: dict(self.config.weights)}
        share = self.config.collab_item_share
        share = 0.5 if share is None else share
        self.collab_item_share = {WARM: share, COLD: share}
        self.fit_report: dict[str, Any] = {}

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        items: Iterable[Item],
        interactions: Iterable[Interaction],
        profiles: Iterable[UserProfile] = (),
        now: datetime | float | None = None,
    ) -> Recommender:
        """Full retrain. Interactions at or after ``now`` are ignored. With
        ``config.fit_weights`` the blend is fitted on a time-based validation
        split of the training interactions (see :mod:`peerlearn.recommender.tuning`)."""
        started = time.perf_counter()
        self._reset_blend()
        items, interactions, profiles = list(items), list(interactions), list(profiles)
        now_s = _now(now)
        self.ranker = None
        self._build(items, interactions, profiles, now_s)
        self.fit_report["serving"] = "blend"
        if self.config.fit_weights:
            model_before = self._model_before(items, interactions, profiles)
            self.fit_report.update(fit_blend(self, now_s, model_before))
            if self.config.ranker != "blend":
                cfg = self.config
                cuts = validation_cuts(self.history.all_ts(), cfg.validation_fraction, cfg.ranker_windows)
                t0 = time.perf_counter()
                self.ranker, report = ranker.fit_ranker(self, now_s, cuts, model_before)
                report["seconds"] = time.perf_counter() - t0
                self.fit_report["ranker"] = report
                self.fit_report["serving"] = report["serving"]
        self.fit_report["fit_seconds"] = time.perf_counter() - started
        return self

    @property
    def serving(self) -> str:
        """Which ranker orders the lists: "learned" (LightGBM lambdarank) or "blend" (the fitted weights)."""
        return "learned" if self.ranker is not None else "blend"

    def _model_before(
        self, items: list[Item], interactions: list[Interaction], profiles: list[UserProfile]
    ) -> Callable[[float], Recommender]:
        """What the blend is fitted with: a model built on the interactions before a cut, unblended."""
        config = replace(self.config, fit_weights=False)
        built: dict[float, Recommender] = {}  # the blend's validation cuts and the ranker's windows share cuts

        def build(cut: float) -> Recommender:
            if cut not in built:
                sub = Recommender(config)
                sub._build(items, [x for x in interactions if to_seconds(x.ts) < cut], profiles, cut)
                built[cut] = sub
            return built[cut]

        return build

    def _build(
        self, items: list[Item], interactions: list[Interaction], profiles: list[UserProfile], now: float
    ) -> None:
        cfg = self.config
        self.now_fit = now
        self.features = ItemFeatures(items, extra_tags=[t for p in profiles for t in p.tags])
        self.history = History()
        self.first_booked = np.full(len(self.features), np.inf)  # each session's first interaction (its age)
        for x in interactions:
            ts = to_seconds(x.ts)
            idx = self.features.index.get(x.item_id)
            if idx is not None and ts < now:
                self.history.add(x.user_id, idx, ts, x.weight)
                self.first_booked[idx] = min(self.first_booked[idx], ts)
        self.timescales = resolve_timescales(cfg, (now - self.history.all_ts()) / DAY)
        self.profiles: dict[Id, UserProfile] = {}
        self._profile_row: dict[Id, int] = {}
        self._profile_facets = sp.csr_matrix((0, self.features.n_facets))
        self._profile_content = sp.csr_matrix((0, self.features.encoder.dim))
        self.set_profiles(profiles)
        users = list(self.history.user_ids) + [p.user_id for p in profiles if p.user_id not in self.history.user_index]
        x = self.history.matrix(users, len(self.features), now, half_life_days=1e9)
        self.content = ContentScorer(self.features, cfg.profile_tag_weight)
        self.collab = CollaborativeScorer(self.features, cfg.cobooking_shrink).fit(x, self._profile_rows(users))
        self.popularity = PopularityScorer(self.features, self.timescales.popularity).fit(self.history, now)
        self.trend = TrendingScorer(self.features, self.timescales.trend_short, self.timescales.trend_long).fit(
            self.history, now
        )
        self.explainer = explain.Explainer(
            self.features, self.collab, self.popularity, self.trend, cfg.profile_tag_weight
        )

    # ------------------------------------------------------------ profiles
    def set_profiles(self, profiles: Iterable[UserProfile]) -> None:
        """Add or replace declared profiles (tags unknown at fit time are ignored)."""
        profiles = list(profiles)
        if not profiles:
            return
        f = self.features
        rows, cols = [], []
        for r, p in enumerate(profiles):
            for c in {f.vocab.get(TAG, t) for t in p.tags} - {None}:
                rows.append(r)
                cols.append(c)
        facet_rows = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(profiles), f.n_facets))
        content_rows = sp.vstack([f.encoder.encode_tags(p.tags) for p in profiles]).tocsr()
        base = self._profile_facets.shape[0]
        self._profile_facets = sp.vstack([_pad(self._profile_facets, f.n_facets), _pad(facet_rows, f.n_facets)]).tocsr()
        self._profile_content = sp.vstack([self._profile_content, content_rows]).tocsr()
        for k, p in enumerate(profiles):
            self.profiles[p.user_id] = p
            self._profile_row[p.user_id] = base + k

    def _profile_rows(self, user_ids: Sequence[Id]) -> sp.csr_matrix:
        rows = [self._profile_row.get(u, -1) for u in user_ids]
        return _take_rows(self._profile_facets, rows, self.features.n_facets)

    def knows_nothing_about(self, user_id: Id) -> bool:
        """No history, no declared preference and no sessions of their own: the learner's list is the same as
        every other such learner's (a new learner's first minute), so it can be ranked once and shared."""
        profile = self.profiles.get(user_id)
        declared = profile is not None and bool(profile.tags or profile.language or profile.price_cap_minor is not None)
        own = self.features.vocab.get(MENTOR, user_id)
        return not declared and own is None and not self.history.has_history(user_id)

    def user_batch(self, user_ids: Sequence[Id], now: float) -> UserBatch:
        """What the scorers need about these learners, their history decayed to ``now``."""
        rows = [self._profile_row.get(u, -1) for u in user_ids]
        return UserBatch(
            user_ids=list(user_ids),
            history=self.history.matrix(user_ids, len(self.features), now, self.timescales.profile),
            profile_facets=_take_rows(self._profile_facets, rows, self.features.n_facets),
            profile_content=_take_rows(self._profile_content, rows, self.features.encoder.dim),
        )

    def segment(self, user_id: Id) -> str:
        return WARM if self.history.has_history(user_id) else COLD

    # ----------------------------------------------------------- scoring
    def components(self, batch: UserBatch, cand: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Normalised components (users x candidates), plus the two collaborative parts."""
        n_users = len(batch.user_ids)
        item_part = minmax_rows(self.collab.item_part(batch)[:, cand])
        facet_part = minmax_rows(self.collab.facet_part(batch, self.config.profile_tag_weight)[:, cand])
        pop = minmax_rows(self.popularity.score()[cand][None, :])
        trend = minmax_rows(self.trend.score()[cand][None, :])
        comps = {
            "content": minmax_rows(self.content.score(batch)[:, cand]),
            "collab": mix_collab(item_part, facet_part, self._share_column(batch.user_ids)),
            "popularity": np.repeat(pop, n_users, axis=0),
            "trending": np.repeat(trend, n_users, axis=0),
        }
        return comps, {"collab_item": item_part, "collab_facet": facet_part}

    def _share_column(self, user_ids: Sequence[Id]) -> np.ndarray:
        return np.array([self.collab_item_share[self.segment(u)] for u in user_ids])[:, None]

    def _weight_matrix(self, user_ids: Sequence[Id]) -> dict[str, np.ndarray]:
        segs = [self.segment(u) for u in user_ids]
        return {c: np.array([self.weights[s].get(c, 0.0) for s in segs])[:, None] for c in COMPONENTS}

    def _blend(self, comps: dict[str, np.ndarray], user_ids: Sequence[Id]) -> np.ndarray:
        w = self._weight_matrix(user_ids)
        return np.asarray(sum(w[c] * comps[c] for c in COMPONENTS))

    def _scores(
        self,
        batch: UserBatch,
        comps: dict[str, np.ndarray],
        parts: dict[str, np.ndarray],
        cand: np.ndarray,
        now: float,
        must: Sequence[np.ndarray] = (),
    ) -> np.ndarray:
        """(users x candidates) ranking scores, higher first, about 0..1. The learned ranker orders the lists of
        learners with history (it is trained on them), the cold blend those of learners without. The booster runs
        once for the batch: over every candidate when there are at most ``ranker.SCORE_ALL``, otherwise over each
        learner's pool (the best ``ranker_pool`` by the blend and by each component, plus ``must``: the positions
        on their path), min-max per learner to 0..1; the rest keep the blend's order below every pooled one."""
        blended = self._blend(comps, batch.user_ids)
        if self.ranker is None:
            return blended
        rows = np.array([self.segment(u) == WARM for u in batch.user_ids])
        if not rows.any():
            return blended
        if not rows.all():
            out = blended.copy()
            pick = np.flatnonzero(rows)
            users = [batch.user_ids[i] for i in pick]
            must_sub = [must[int(i)] for i in pick] if len(must) else []
            out[pick] = self._ranked(users, _rows(comps, pick), _rows(parts, pick), blended[pick], cand, now, must_sub)
            return out
        return self._ranked(batch.user_ids, comps, parts, blended, cand, now, must)

    def _ranked(
        self,
        user_ids: Sequence[Id],
        comps: dict[str, np.ndarray],
        parts: dict[str, np.ndarray],
        blended: np.ndarray,
        cand: np.ndarray,
        now: float,
        must: Sequence[np.ndarray],
    ) -> np.ndarray:
        assert self.ranker is not None
        n_users, n_cand = blended.shape
        size = self.config.ranker_pool
        if n_cand <= max(ranker.SCORE_ALL, size):
            x = ranker.feature_matrix(self, user_ids, cand, now, comps, parts)
            return np.asarray(minmax_rows(self.ranker.score(x)))
        sources = [blended, comps["content"], parts["collab_item"], parts["collab_facet"]]
        popular = np.argpartition(-comps["popularity"][0], size - 1)[:size]
        pools = []
        for r in range(n_users):
            picks = [np.argpartition(-m[r], size - 1)[:size] for m in sources]
            picks.append(popular)
            if r < len(must) and len(must[r]):
                picks.append(np.asarray(must[r], dtype=np.int64))
            pools.append(np.unique(np.concatenate(picks)))
        width = max(len(p) for p in pools)
        cols = np.array([np.pad(p, (0, width - len(p)), mode="edge") for p in pools])
        x = ranker.feature_matrix(self, user_ids, cand, now, comps, parts, cols)
        pooled = minmax_rows(self.ranker.score(x))
        out = blended - 2.0  # below every pooled candidate, still in the blend's order
        np.put_along_axis(out, cols, pooled, axis=1)
        return out

    # ----------------------------------------------------------- serving
    def recommend(
        self,
        user_id: Id,
        now: datetime | float | None = None,
        limit: int = 10,
        exclude: Collection[Id] = (),
        path: Sequence[PathStep] = (),
    ) -> list[Recommendation]:
        """Top ``limit`` bookable sessions for one learner, diversified and explained. ``path``: the next steps of
        the learning paths they follow (the one followed last first); sessions teaching one get the path boost."""
        now_s = _now(now)
        f = self.features
        mask = candidate_mask(
            f,
            now_s,
            booked=self.history.booked(user_id),
            user_id=user_id,
            profile=self.profiles.get(user_id),
            exclude=[f.index[e] for e in exclude if e in f.index],
        )
        return self._rank([user_id], np.flatnonzero(mask), now_s, limit, paths=[path])[0]

    def recommend_batch(
        self,
        user_ids: Sequence[Id],
        now: datetime | float | None = None,
        limit: int = 10,
        candidate_items: Collection[Id] | None = None,
        with_reasons: bool = True,
    ) -> list[list[Recommendation]]:
        """Many learners at once over a shared candidate set (offline evaluation).
        Without ``candidate_items`` the live filters apply minus the per-learner
        profile preferences; each learner's own and booked sessions are always
        excluded."""
        now_s = _now(now)
        f = self.features
        if candidate_items is None:
            cand = np.flatnonzero(candidate_mask(f, now_s))
        else:
            cand = np.array(sorted(f.index[i] for i in candidate_items if i in f.index), dtype=np.int64)
        out: list[list[Recommendation]] = []
        for start in range(0, len(user_ids), _CHUNK):
            out.extend(self._rank(list(user_ids[start : start + _CHUNK]), cand, now_s, limit, with_reasons))
        return out

    def _rank(
        self,
        user_ids: list[Id],
        cand: np.ndarray,
        now: float,
        limit: int,
        with_reasons: bool = True,
        paths: Sequence[Sequence[PathStep]] | None = None,
    ) -> list[list[Recommendation]]:
        """``paths``: per learner, the next steps of the paths they follow (none when not given)."""
        if len(cand) == 0 or limit <= 0:
            return [[] for _ in user_ids]
        cfg, f = self.config, self.features
        batch = self.user_batch(user_ids, now)
        comps, parts = self.components(batch, cand)
        matches = [pathboost.step_match(f, cand, paths[r] if paths is not None else ()) for r in range(len(user_ids))]
        must = [np.flatnonzero(on_path > 0) for on_path, _ in matches]
        blended = self._scores(batch, comps, parts, cand, now, must) + 1e-9 * self._tie_breaker()[cand][None, :]
        pos_of = np.full(len(f), -1, dtype=np.int64)
        pos_of[cand] = np.arange(len(cand))
        cand_mentors = f.mentor_col[cand]
        results = []
        for r, user in enumerate(user_ids):
            scores = blended[r].copy()
            steps = paths[r] if paths is not None else ()
            on_path, step_of = matches[r]
            boost = cfg.path_boost * on_path
            scores += boost
            booked = (
                pos_of[list(self.history.booked(user))] if self.history.has_history(user) else np.zeros(0, np.int64)
            )
            scores[booked[booked >= 0]] = -np.inf
            own = f.vocab.get(MENTOR, user)
            if own is not None:
                scores[cand_mentors == own] = -np.inf
            pool_n = min(max(cfg.mmr_pool, limit), len(cand))
            pool = np.argpartition(-scores, pool_n - 1)[:pool_n]
            pool = pool[np.argsort(-scores[pool], kind="stable")]
            pool = pool[np.isfinite(scores[pool])]
            sim = jaccard_matrix(f.tag_matrix[cand[pool]]) if cfg.mmr_lambda < 1.0 else None
            order = mmr_rerank(scores[pool], sim, cand_mentors[pool], limit, cfg.mmr_lambda, cfg.mentor_cap)
            picked = [int(pool[o]) for o in order]
            explore = self._exploration_pick(user, now, scores, picked, cand, limit)
            reasons = self._reasons(batch, r) if with_reasons else None
            results.append(
                [
                    self._recommendation(
                        comps,
                        parts,
                        r,
                        cand,
                        p,
                        scores[p],
                        reasons,
                        p == explore,
                        (float(boost[p]), steps[step_of[p]].goal) if boost[p] > 0 else None,
                    )
                    for p in picked
                ]
            )
        return results

    def _tie_breaker(self) -> np.ndarray:
        """Fixed tiny per-item noise: equal scores are ordered at random, not by
        the order items were loaded in."""
        n = len(self.features)
        if self._ties is None or len(self._ties) < n:
            self._ties = np.random.default_rng(self.config.seed + 99991).random(max(n, 1) * 2)
        return self._ties[:n]

    def _exploration_pick(
        self, user: Id, now: float, scores: np.ndarray, picked: list[int], cand: np.ndarray, limit: int
    ) -> int | None:
        """Reserve a share of slots for sessions nobody has booked yet, so new
        sessions get exposure; which one is drawn per learner per day from the
        best few, weighted by score. Replaces the last pick in place."""
        n_slots = int(limit * self.config.exploration_share)
        if n_slots < 1 or not picked:
            return None
        counts = self.popularity.count
        is_new = counts[cand] == 0
        if int(is_new[picked].sum()) >= n_slots or is_new.all():
            return None
        options = np.flatnonzero(is_new & np.isfinite(scores))
        options = options[~np.isin(options, picked)]
        if options.size == 0:
            return None
        top = min(5, options.size)
        best = options[np.argpartition(-scores[options], top - 1)[:top]]
        best = best[np.argsort(-scores[best], kind="stable")]
        w = np.maximum(scores[best], 0) + 1e-6
        day = int(now // DAY)
        draw = int.from_bytes(hashlib.sha256(f"{user}|{day}|{self.config.seed}".encode()).digest()[:8], "big") / 2.0**64
        choice = int(best[min(int(np.searchsorted(np.cumsum(w) / w.sum(), draw, side="right")), len(best) - 1)])
        picked[-1] = choice
        return choice

    def _reasons(self, batch: UserBatch, r: int) -> explain.LearnerExplainer:
        user = batch.user_ids[r]
        share = self.collab_item_share[self.segment(user)]
        return self.explainer.for_learner(batch, r, share, self.profiles.get(user), self.history.item_weights(user))

    def _recommendation(
        self,
        comps: dict[str, np.ndarray],
        parts: dict[str, np.ndarray],
        r: int,
        cand: np.ndarray,
        p: int,
        score: float,
        reasons: explain.LearnerExplainer | None,
        exploration: bool = False,
        path: tuple[float, str] | None = None,
    ) -> Recommendation:
        """Candidate ``p`` for learner ``r`` of the batch; no reason text when ``reasons`` is None. ``path``: the
        path boost added to its score and the goal of the step it teaches (None: no boost), which is then the
        reason given and a ``path`` component."""
        values = {c: float(comps[c][r, p]) for c in COMPONENTS}
        item = int(cand[p])
        if path is not None and reasons is not None:
            text = pathboost.path_reason(path[1])
        elif exploration:
            text = explain.EXPLORATION_REASON
        elif reasons is None:
            text = ""
        else:
            weights = self.weights[self.segment(reasons.batch.user_ids[r])]
            text = reasons.reason(values, weights, item, parts["collab_item"][r, p], parts["collab_facet"][r, p])
        components = {c: round(v, 4) for c, v in values.items()}
        if path is not None:
            components["path"] = round(path[0], 4)
        return Recommendation(
            item_id=self.features.items[item].item_id,
            score=float(score),
            components=components,
            explanation=text,
        )

    # ------------------------------------------------------ incremental
    def partial_update(self, interaction: Interaction) -> bool:
        """Apply one new interaction at once: the learner's history, item
        co-booking, popularity and trending all see it; a booking also takes a
        seat. Returns False for an unknown item (add it with ``upsert_items``)."""
        idx = self.features.index.get(interaction.item_id)
        if idx is None:
            return False
        ts = to_seconds(interaction.ts)
        row = self.history.user_index.get(interaction.user_id)
        previous = list(self.history.items[row]) if row is not None else []
        self.history.add(interaction.user_id, idx, ts, interaction.weight)
        if idx >= len(self.first_booked):
            self.first_booked = np.concatenate([self.first_booked, np.full(idx + 1 - len(self.first_booked), np.inf)])
        self.first_booked[idx] = min(self.first_booked[idx], ts)
        self.collab.add_booking(previous, idx)
        self.popularity.add_booking(idx, ts, interaction.weight)
        self.trend.add_booking(idx, ts, interaction.weight)
        if interaction.kind == "book" and np.isfinite(self.features.capacity[idx]):
            self.features.capacity[idx] = max(self.features.capacity[idx] - 1, 0)
        return True

    def upsert_items(self, items: Iterable[Item]) -> None:
        """New sessions become recommendable at once (content, tags and mentor
        known at the last fit); existing ids get their seats, price, time and
        language refreshed."""
        self.features.add(list(items))

    # ------------------------------------------------------ mentors, trending
    def recommend_mentors(
        self, user_id: Id, now: datetime | float | None = None, limit: int = 10, exclude_booked: bool = False
    ) -> list[MentorRecommendation]:
        """Mentors with bookable sessions, ranked by their best session for this
        learner; the explanation is that session's reason."""
        now_s = _now(now)
        f = self.features
        mask = candidate_mask(
            f, now_s, booked=self.history.booked(user_id), user_id=user_id, profile=self.profiles.get(user_id)
        )
        cand = np.flatnonzero(mask & (f.mentor_col[: len(f)] >= 0))
        if cand.size == 0:
            return []
        if exclude_booked:
            booked_mentors = {int(f.mentor_col[i]) for i in self.history.booked(user_id)}
            cand = cand[~np.isin(f.mentor_col[cand], list(booked_mentors))]
        batch = self.user_batch([user_id], now_s)
        comps, parts = self.components(batch, cand)
        scores = self._scores(batch, comps, parts, cand, now_s)[0]
        best: dict[int, int] = {}
        sessions: dict[int, list[int]] = {}
        for p in np.argsort(-scores, kind="stable"):
            m = int(f.mentor_col[cand[p]])
            sessions.setdefault(m, []).append(int(cand[p]))
            best.setdefault(m, int(p))
        ranked = sorted(best.items(), key=lambda kv: -scores[kv[1]])[:limit]
        reasons = self._reasons(batch, 0)
        out = []
        for m, p in ranked:
            rec = self._recommendation(comps, parts, 0, cand, p, scores[p], reasons)
            out.append(
                MentorRecommendation(
                    mentor_id=f.vocab.values[m],
                    score=float(scores[p]),
                    components=rec.components,
                    explanation=rec.explanation,
                    upcoming_item_ids=[f.items[i].item_id for i in sessions[m][:5]],
                )
            )
        return out

    def trending(
        self, now: datetime | float | None = None, limit: int = 10, tag: str | None = None
    ) -> list[TrendingItem]:
        """Bookable sessions with the fastest-growing demand (optionally within a tag)."""
        f = self.features
        mask = candidate_mask(f, _now(now))
        if tag is not None:
            col = f.vocab.get(TAG, tag)
            if col is None:
                return []
            mask &= np.asarray((f.facets[:, col] > 0).todense()).ravel()
        z_item, best, _ = self.trend.parts()
        cand = np.flatnonzero(mask & (z_item + best > 0))  # only what is actually growing
        score = (z_item + best)[cand] + 1e-9 * self.popularity.score()[cand]
        order = cand[np.argsort(-score, kind="stable")[:limit]]
        return [
            TrendingItem(f.items[i].item_id, float(z_item[i] + best[i]), self.explainer.trending_text(int(i)))
            for i in order
        ]

    def trending_tags(self, limit: int = 10) -> list[TrendingTag]:
        """Tags and categories whose share of recent bookings is growing."""
        z = self.trend.facet_z()
        kinds = self.features.vocab.kind
        cols = [c for c in np.argsort(-z, kind="stable") if z[c] > 0 and kinds[c] in (TAG, CATEGORY)]
        return [TrendingTag(self.features.vocab.display[c], float(z[c])) for c in cols[:limit]]


def _rows(matrices: dict[str, np.ndarray], pick: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[pick] for k, v in matrices.items()}


def _pad(m: sp.csr_matrix, n_cols: int) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], max(n_cols, m.shape[1])))


def _take_rows(m: sp.csr_matrix, rows: list[int], n_cols: int) -> sp.csr_matrix:
    """Rows of m, with -1 giving an empty row."""
    valid = [(k, r) for k, r in enumerate(rows) if r >= 0]
    if not valid:
        return sp.csr_matrix((len(rows), max(n_cols, m.shape[1])))
    if len(rows) == 1:
        return _pad(sp.csr_matrix(m)[rows[0] : rows[0] + 1], n_cols)
    if len(valid) == len(rows):
        return _pad(sp.csr_matrix(m)[rows], n_cols)
    sub = sp.csr_matrix(m)[[r for _, r in valid]]
    place = sp.csr_matrix(
        (np.ones(len(valid)), ([k for k, _ in valid], np.arange(len(valid)))), shape=(len(rows), len(valid))
    )
    return _pad(place @ sub, n_cols)
