"""One-line reasons for a recommendation, taken from its strongest component.

The text functions are plain wording; :class:`Explainer` finds the evidence for them (the matched
tags, the co-booked session, the facet pair, the trending facet) in the fitted scorers, so the
engine only ranks and this module only explains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peerlearn.recommender.features import CATEGORY, MENTOR, TAG, ItemFeatures
from peerlearn.recommender.scorers import CollaborativeScorer, PopularityScorer, TrendingScorer, UserBatch


def join_names(names: Sequence[str], limit: int = 2) -> str:
    names = [n for n in names if n][:limit]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def strongest(contributions: dict[str, float]) -> str | None:
    """Name of the component adding most to the score (None if nothing does)."""
    best = max(contributions.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return best[0] if best[1] > 0 else None


def content_reason(matched_tags: Sequence[str], similar_title: str | None) -> str:
    if matched_tags:
        return f"Matches your interest in {join_names(matched_tags)}"
    if similar_title:
        return f"Similar to “{similar_title}”, which you booked"
    return "Matches your profile"


def collab_item_reason(booked_title: str) -> str:
    return f"Learners who booked “{booked_title}” also booked this"


def collab_facet_reason(user_facet: str, item_facet: str, item_facet_is_mentor: bool) -> str:
    if item_facet_is_mentor:
        return f"Learners interested in {user_facet} book this mentor"
    if user_facet == item_facet:
        return f"Popular with learners who book {item_facet} sessions"
    return f"Learners interested in {user_facet} also book {item_facet}"


def popularity_reason(source: str, bookings: int, tag: str | None) -> str:
    if source == "own" and bookings > 0:
        return f"Popular: {bookings} learner{'s' if bookings != 1 else ''} booked"
    if source == "mentor":
        return "New session from a mentor whose sessions are in demand"
    if tag:
        return f"Popular in {tag}"
    return "Popular on PeerLearn"


def trending_reason(facet: str | None, facet_is_mentor: bool = False) -> str:
    if facet and facet_is_mentor:
        return "Sessions by this mentor are trending"
    return f"Trending in {facet}" if facet else "Trending: bookings are picking up"


EXPLORATION_REASON = "New session: be among the first to book"
FALLBACK_REASON = "Popular on PeerLearn"
NEW_REASON = "New on PeerLearn"


class Explainer:
    """Reasons for recommendations, read from the fitted scorers: each names the evidence behind
    the component that added most to the score, so it is true by construction.

    Built once per fit; the scorers it reads are updated in place by ``partial_update``."""

    def __init__(
        self,
        features: ItemFeatures,
        collab: CollaborativeScorer,
        popularity: PopularityScorer,
        trend: TrendingScorer,
        profile_tag_weight: float,
    ) -> None:
        self.features = features
        self.collab = collab
        self.popularity = popularity
        self.trend = trend
        self.profile_tag_weight = profile_tag_weight
        self._kind_masks: dict[tuple[str, ...], np.ndarray] = {}

    def for_learner(self, batch: UserBatch, row: int, collab_item_share: float) -> LearnerExplainer:
        """Reasons for one learner's list (row ``row`` of ``batch``)."""
        return LearnerExplainer(self, batch, row, collab_item_share)

    def item_facet_cols(self, item: int, kinds: tuple[str, ...] = (TAG, CATEGORY, MENTOR)) -> np.ndarray:
        f = self.features
        cols = f.facets.indices[f.facets.indptr[item] : f.facets.indptr[item + 1]]
        kept: np.ndarray = cols[self._kind_mask(kinds)[cols]]
        return kept

    def _kind_mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        """Per facet column: is it one of these kinds (cached until the vocabulary grows)."""
        vocab = self.features.vocab
        mask = self._kind_masks.get(kinds)
        if mask is None or len(mask) != len(vocab):
            mask = self._kind_masks[kinds] = np.isin(np.array(vocab.kind, dtype=object), kinds)
        return mask

    def title(self, item: int) -> str:
        it = self.features.items[item]
        return it.title or str(it.item_id)

    def popularity_text(self, item: int) -> str:
        return popularity_reason(
            self.popularity.prior_source(item), int(self.popularity.count[item]), self.best_tag(item)
        )

    def trending_text(self, item: int) -> str:
        z_item, best, arg = self.trend.parts()
        col = int(arg[item])
        if col >= 0 and best[item] >= z_item[item]:
            vocab = self.features.vocab
            return trending_reason(vocab.display[col], vocab.kind[col] == MENTOR)
        return trending_reason(None)

    def best_tag(self, item: int) -> str | None:
        """The item's tag or category with the highest booking rate."""
        rate = self.popularity.facet_rate
        cols = [c for c in self.item_facet_cols(item, (TAG, CATEGORY)) if c < len(rate)]
        if not cols:
            return None
        name: str = self.features.vocab.display[max(cols, key=lambda c: rate[c])]
        return name


class LearnerExplainer:
    """Reasons for the items of one learner's list; what depends only on the learner is worked out
    once per list."""

    def __init__(self, explainer: Explainer, batch: UserBatch, row: int, collab_item_share: float) -> None:
        self.ex = explainer
        self.batch = batch
        self.row = row
        self.collab_item_share = collab_item_share
        self._facets: np.ndarray | None = None
        self._facet_rows: tuple[np.ndarray, np.ndarray] | None = None

    def reason(
        self,
        values: dict[str, float],
        weights: dict[str, float],
        item: int,
        collab_item: float,
        collab_facet: float,
    ) -> str:
        """The reason for ``item`` given its normalised component values and the learner's blend
        weights; ``collab_item``/``collab_facet`` are the two parts of its collaborative value."""
        name = strongest({c: weights.get(c, 0.0) * v for c, v in values.items()})
        ex = self.ex
        if name == "content":
            matched = self.matched_tags(item)
            return content_reason(matched, None if matched else self.similar_booked(item))
        if name == "collab":
            share = self.collab_item_share
            if share * collab_item >= (1 - share) * collab_facet:
                j = self.top_cobooked(item)
                if j is not None:
                    return collab_item_reason(ex.title(j))
            pair = self.top_facet_pair(item)
            if pair is not None:
                a, b = pair
                vocab = ex.features.vocab
                return collab_facet_reason(vocab.display[a], vocab.display[b], vocab.kind[b] == MENTOR)
        if name == "popularity":
            return ex.popularity_text(item)
        if name == "trending":
            return ex.trending_text(item)
        return NEW_REASON if ex.popularity.count[item] == 0 else FALLBACK_REASON

    def facets(self) -> np.ndarray:
        """The learner's facet weights (history + declared tags)."""
        if self._facets is None:
            row = self.ex.collab.user_facets(self.batch, self.ex.profile_tag_weight)[self.row]
            self._facets = np.asarray(row.todense()).ravel()
        return self._facets

    def booked(self) -> np.ndarray:
        """Item indices in the learner's history row (read straight from the CSR arrays)."""
        h = self.batch.history
        items: np.ndarray = h.indices[h.indptr[self.row] : h.indptr[self.row + 1]]
        return items

    def matched_tags(self, item: int) -> list[str]:
        """Up to two of the item's tags or categories the learner cares about, strongest first."""
        h = self.facets()
        cols = [c for c in self.ex.item_facet_cols(item, (TAG, CATEGORY)) if c < len(h) and h[c] > 0]
        cols.sort(key=lambda c: -h[c])
        names: list[str] = []
        for c in cols:
            name = self.ex.features.vocab.display[c]
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names[:2]

    def similar_booked(self, item: int) -> str | None:
        """The title of the booked item closest in content to ``item``."""
        hist = self.booked()
        if len(hist) == 0:
            return None
        content = self.ex.features.content
        sims = np.asarray((content[hist] @ content[item].T).todense()).ravel()
        return self.ex.title(int(hist[int(np.argmax(sims))]))

    def top_cobooked(self, item: int) -> int | None:
        """The booked item that contributes most to this item's co-booking score."""
        hist = self.booked()
        if len(hist) == 0:
            return None
        collab = self.ex.collab
        contrib = collab.cooc_with(item, hist) / np.sqrt(collab.counts[hist] + collab.shrink)
        j = int(np.argmax(contrib))
        return int(hist[j]) if contrib[j] > 0 else None

    def top_facet_pair(self, item: int) -> tuple[int, int] | None:
        """(the learner's facet, the item's facet) that tie them most strongly."""
        collab = self.ex.collab
        if self._facet_rows is None:  # the learner's facets x all facets, weighted: once per list
            h = self.facets()
            users = np.flatnonzero(h)
            self._facet_rows = (users, collab.facet_sim_rows(users) * h[users][:, None])
        users, weighted = self._facet_rows
        cols = self.ex.item_facet_cols(item)
        cols = cols[cols < collab.n_facets_fit]
        if not len(users) or not len(cols):
            return None
        sub = weighted[:, cols]
        best = int(np.argmax(sub))
        if sub.flat[best] <= 0:
            return None
        a, b = divmod(best, len(cols))
        return int(users[a]), int(cols[b])
