"""Which items may be shown to a learner at a given moment (hard filters)."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from peerlearn.recommender.data import Id, UserProfile
from peerlearn.recommender.features import MENTOR, ItemFeatures


def candidate_mask(
    features: ItemFeatures,
    now: float,
    *,
    booked: Collection[int] = (),
    user_id: Id | None = None,
    profile: UserProfile | None = None,
    exclude: Collection[int] = (),
    upcoming_only: bool = True,
) -> np.ndarray:
    """Boolean mask over items: starts at or after ``now`` (items without a start
    never expire), has a free seat, is not the learner's own session, not already
    booked, not excluded, and meets the profile's language and price cap."""
    n = len(features)
    mask = features.capacity[:n] > 0
    if upcoming_only:
        mask &= features.start[:n] >= now
    if user_id is not None:
        own = features.vocab.get(MENTOR, user_id)
        if own is not None:
            mask &= features.mentor_col[:n] != own
    for idx in list(booked) + list(exclude):
        if 0 <= idx < n:
            mask[idx] = False
    if profile is not None:
        if profile.language:
            code = features.language_code(profile.language)
            codes = features.lang_code[:n]
            mask &= (codes == -1) | (codes == (-2 if code is None else code))
        if profile.price_cap_minor is not None:
            mask &= features.price[:n] <= profile.price_cap_minor
    return mask
