"""Tunable settings of the recommender, with the defaults the brief asks for."""

from __future__ import annotations

from dataclasses import dataclass, field

COMPONENTS = ("content", "collab", "popularity", "trending")
# Learners with booking history (warm) and without (cold) get their own blend.
WARM, COLD = "warm", "cold"
DEFAULT_WEIGHTS = {"content": 0.4, "collab": 0.3, "popularity": 0.2, "trending": 0.1}


@dataclass
class RecommenderConfig:
    # Blend weights; with fit_weights they are replaced by values fitted on a
    # time-based validation split of the training data (per segment).
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    fit_weights: bool = True
    validation_fraction: float = 0.2  # share of training interactions per validation window
    validation_folds: int = 2  # rolling-origin windows, latest first
    max_validation_users: int = 3000  # per segment (warm, cold), over all folds
    validation_sampled_candidates: int = 300  # per user, positives kept
    weight_grid_step: float = 0.1
    min_fit_gain: float = 0.005  # relative NDCG gain needed to move off the defaults
    # Collaborative = mix of item-level co-booking and facet-level (tags, mentors)
    # association; share of the item-level part. None -> fitted on validation.
    collab_item_share: float | None = None
    # Which items the validation split ranks: "upcoming" (start_at after the
    # validation cut, like live sessions) or "all" (anything not yet booked).
    candidate_mode: str = "upcoming"
    # Time scales in days; None -> derived from the spread of interaction ages.
    popularity_half_life: float | None = None
    profile_half_life: float | None = None
    trend_short_half_life: float | None = None
    trend_long_half_life: float | None = None
    # Item-level co-booking: shrunk cosine over co-booking counts, kept as
    # counts so a new booking updates it at once.
    cobooking_shrink: float = 10.0
    profile_tag_weight: float = 0.5  # declared tags vs. the whole (averaged) booking history
    # Re-ranking and serving.
    mmr_lambda: float = 0.85  # 1.0 = pure relevance
    mmr_pool: int = 50
    mentor_cap: int = 2
    exploration_share: float = 0.1  # slots reserved for sessions with no bookings yet
    # Added to the blended score (which is at most 1) of a session teaching the next step of a path the learner
    # follows, times how well it matches (see peerlearn/recommender/pathboost.py).
    path_boost: float = 0.5
    # The learned ranker (peerlearn/recommender/ranker.py): LightGBM lambdarank over the components and context
    # features, trained at every retrain with fit_weights. "auto": it serves unless the data is too thin or, trained
    # on the older windows, it orders the latest one worse than the fitted blend; "learned": it serves whenever the
    # data suffices; "blend": never trained.
    ranker: str = "auto"
    ranker_windows: int = 3  # time-ordered training windows, latest first
    ranker_max_learners: int = 3000  # over all windows
    ranker_sampled_candidates: int = 100  # per learner, positives kept
    ranker_rounds: int = 100
    # Live requests over more than ranker.SCORE_ALL candidates: the booster scores the union of the best ranker_pool
    # by each component (and the blend), so a request costs one predict call on at most a few hundred rows.
    ranker_pool: int = 20
    seed: int = 0
