"""One-line reasons for a recommendation, taken from the components that produced its score.

The text functions are plain wording; :class:`Explainer` finds the evidence for them (the stated
profile terms the item's tags match, the co-booked session, the facet pair, the trending facet) in
the fitted scorers, so the engine only ranks and this module only explains.

Every reason that says something about the learner (an interest, a past session) carries those
claims, and each claim is checked against the learner's actual profile and history before the text
is shown (:meth:`LearnerExplainer.verified`). A reason that fails the check is dropped for the next
component's; an item with no true personal reason gets a neutral one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from peerlearn.recommender.data import UserProfile
from peerlearn.recommender.features import CATEGORY, MENTOR, TAG, ItemFeatures, normalise_tag
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


def content_reason(matched_tags: Sequence[str], similar_title: str | None, booked: bool = True) -> str:
    """Stated terms the item matches, else the past session it is most like."""
    if matched_tags:
        return f"Matches your interest in {join_names(matched_tags)}"
    if similar_title:
        return f"Similar to “{similar_title}”, which you {'booked' if booked else 'viewed'}"
    return NEUTRAL_REASON


def history_reason(facets: Sequence[str]) -> str:
    """Skills or categories of the learner's own past sessions (never called an interest: not stated)."""
    return f"Based on your activity in {join_names(facets)}"


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
NEUTRAL_REASON = "Popular this week"  # for an item with no true personal reason but real demand
OPEN_REASON = "Open for booking"  # ... and for one without that demand either

# What a reason claims about the learner, checked before it is shown.
STATED = "stated"  # a term of their declared profile (skills, interests, domain)
KNOWN = "known"  # a term of their profile or of their past sessions' skills and categories
HISTORY = "history"  # a skill or category of their past sessions
TITLE = "title"  # the title of a session in their history


@dataclass(frozen=True)
class Reason:
    text: str
    claims: tuple[tuple[str, str], ...] = ()  # (STATED | KNOWN | HISTORY | TITLE, the name shown)


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

    def for_learner(
        self,
        batch: UserBatch,
        row: int,
        collab_item_share: float,
        profile: UserProfile | None = None,
        history_weights: dict[int, float] | None = None,
    ) -> LearnerExplainer:
        """Reasons for one learner's list (row ``row`` of ``batch``), checked against their declared
        ``profile`` and ``history_weights`` (item index -> the strongest weight of their events on it)."""
        return LearnerExplainer(self, batch, row, collab_item_share, profile, history_weights or {})

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


BOOKED_WEIGHT = 0.5  # an event this strong (book, attend, rate) means the learner booked the session


class LearnerExplainer:
    """Reasons for the items of one learner's list; what depends only on the learner is worked out
    once per list."""

    def __init__(
        self,
        explainer: Explainer,
        batch: UserBatch,
        row: int,
        collab_item_share: float,
        profile: UserProfile | None = None,
        history_weights: dict[int, float] | None = None,
    ) -> None:
        self.ex = explainer
        self.batch = batch
        self.row = row
        self.collab_item_share = collab_item_share
        self.profile = profile
        self.history_weights = history_weights or {}
        self._facets: np.ndarray | None = None
        self._facet_rows: tuple[np.ndarray, np.ndarray] | None = None
        self._stated: np.ndarray | None = None
        self._truth: dict[str, frozenset[str]] | None = None

    def reason(
        self,
        values: dict[str, float],
        weights: dict[str, float],
        item: int,
        collab_item: float,
        collab_facet: float,
    ) -> str:
        """The reason for ``item`` given its normalised component values and the learner's blend
        weights; ``collab_item``/``collab_facet`` are the two parts of its collaborative value.

        Components are tried from the one adding most to the score down; the first whose evidence
        holds for this learner gives the text, else a neutral one."""
        contributions = {c: weights.get(c, 0.0) * v for c, v in values.items()}
        for name in sorted((c for c, v in contributions.items() if v > 0), key=lambda c: -contributions[c]):
            found = self.component_reason(name, item, collab_item, collab_facet)
            if found is not None and self.verified(found):
                return found.text
        return self.neutral(item, values)

    def component_reason(self, name: str, item: int, collab_item: float, collab_facet: float) -> Reason | None:
        """What component ``name`` says about ``item``, with the claims it makes (None: no evidence)."""
        ex = self.ex
        if name == "content":
            stated = self.matched_tags(item)
            if stated:
                return Reason(content_reason(stated, None), tuple((STATED, t) for t in stated))
            similar = self.similar_booked(item)
            if similar is not None:
                title, weight = ex.title(similar), self.history_weights.get(similar, 1.0)
                return Reason(content_reason([], title, weight >= BOOKED_WEIGHT), ((TITLE, title),))
            past = self.history_tags(item)
            return Reason(history_reason(past), tuple((HISTORY, t) for t in past)) if past else None
        if name == "collab":
            share = self.collab_item_share
            if share * collab_item >= (1 - share) * collab_facet:
                j = self.top_cobooked(item)
                if j is not None:
                    return Reason(collab_item_reason(ex.title(j)), ((TITLE, ex.title(j)),))
            pair = self.top_facet_pair(item)
            if pair is not None:
                a, b = pair
                vocab = ex.features.vocab
                text = collab_facet_reason(vocab.display[a], vocab.display[b], vocab.kind[b] == MENTOR)
                return Reason(text, ((KNOWN, vocab.display[a]),))
            return None
        if name == "popularity":
            return Reason(ex.popularity_text(item))
        if name == "trending":
            return Reason(ex.trending_text(item))
        return None

    def neutral(self, item: int, values: dict[str, float]) -> str:
        """A reason that claims nothing about the learner."""
        if self.ex.popularity.count[item] == 0:
            return NEW_REASON
        return NEUTRAL_REASON if values.get("popularity", 0.0) >= 0.5 else OPEN_REASON

    # ------------------------------------------------------------------ the check
    def truth(self) -> dict[str, frozenset[str]]:
        """What is actually known about the learner, read from their declared profile and their
        history (not from the scoring rows the reasons were found in)."""
        if self._truth is None:
            f = self.ex.features
            stated = frozenset(normalise_tag(t) for t in (self.profile.tags if self.profile else ()))
            past: set[str] = set()
            titles: set[str] = set()
            for idx in self.history_weights:
                cols = f.facets.indices[f.facets.indptr[idx] : f.facets.indptr[idx + 1]]
                past.update(normalise_tag(f.vocab.display[c]) for c in cols if f.vocab.kind[c] in (TAG, CATEGORY))
                titles.add(self.ex.title(idx))
            self._truth = {
                STATED: stated,
                HISTORY: frozenset(past),
                KNOWN: stated | frozenset(past),
                TITLE: frozenset(titles),
            }
        return self._truth

    def verified(self, reason: Reason) -> bool:
        """Is every claim the reason makes about the learner true of their profile and history?"""
        truth = self.truth()
        return all((name if kind == TITLE else normalise_tag(name)) in truth[kind] for kind, name in reason.claims)

    # ------------------------------------------------------------------ evidence
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

    def stated(self) -> np.ndarray:
        """The learner's declared profile as facet weights (the row the scorers used)."""
        if self._stated is None:
            p = self.batch.profile_facets
            self._stated = np.asarray(p[self.row].todense()).ravel() if p.shape[0] else np.zeros(0)
        return self._stated

    def matched_tags(self, item: int) -> list[str]:
        """Up to two of the item's tags or categories the learner stated in their profile (the
        terms that tie the item to the declared part of their content profile)."""
        return self._named(item, self.stated())

    def history_tags(self, item: int) -> list[str]:
        """Up to two of the item's tags or categories that the learner's past sessions share."""
        f = self.ex.features
        past = np.zeros(f.n_facets)
        hist = self.booked()
        if len(hist):
            cols = np.concatenate([f.facets.indices[f.facets.indptr[i] : f.facets.indptr[i + 1]] for i in hist])
            np.add.at(past, cols, 1.0)
        return self._named(item, past)

    def _named(self, item: int, weights: np.ndarray) -> list[str]:
        cols = [c for c in self.ex.item_facet_cols(item, (TAG, CATEGORY)) if c < len(weights) and weights[c] > 0]
        cols.sort(key=lambda c: -weights[c])
        names: list[str] = []
        for c in cols:
            name = self.ex.features.vocab.display[c]
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names[:2]

    def similar_booked(self, item: int) -> int | None:
        """The session in the learner's history closest in content to ``item`` (None if none is alike)."""
        hist = self.booked()
        if len(hist) == 0:
            return None
        content = self.ex.features.content
        sims = np.asarray((content[hist] @ content[item].T).todense()).ravel()
        best = int(np.argmax(sims))
        return int(hist[best]) if sims[best] > 0 else None

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
            users = users[self.ex._kind_mask((TAG, CATEGORY))[users]]  # a mentor is not something one is into
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
