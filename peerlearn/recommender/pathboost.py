"""'Next step on your path': a boost for sessions that teach the next step of a learning path the learner follows.

The integration layer passes the learner's next steps (skill, level rank, goal) with the request; this module turns
them into one value per candidate: 1 for a session in the step's skill at the step's level (at any level when the
step names none), ``NEAR_LEVEL`` for one a level above or of unknown level, 0 otherwise. A session
below the step's level does not count: taking it would not move the learner along the path. The engine adds
``path_boost`` times the value to the blended score and, only where the value is above 0, says why with
:func:`path_reason` naming the goal of the step that matched, so the reason is true by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peerlearn.recommender.data import PathStep
from peerlearn.recommender.features import TAG, ItemFeatures

NEAR_LEVEL = 0.5


def path_reason(goal: str) -> str:
    return f"Next on your path to {goal}"


def step_match(features: ItemFeatures, cand: np.ndarray, steps: Sequence[PathStep]) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: how well it teaches one of ``steps`` (0..1), and which step (-1: none). On a tie the earlier
    step wins, so the integration layer orders the steps by preference (the path followed last first)."""
    value = np.zeros(len(cand))
    which = np.full(len(cand), -1, dtype=np.int64)
    if not steps or len(cand) == 0:
        return value, which
    sub = features.facets[cand]
    level = features.level[cand]
    for k, step in enumerate(steps):
        col = features.vocab.get(TAG, step.skill)
        if col is None or col >= sub.shape[1]:
            continue  # a skill no session had when the model was fitted
        teaches = np.asarray(sub[:, col].todense()).ravel() > 0
        if step.level is None:
            fit = np.ones(len(cand))
        else:
            above = level - step.level
            fit = np.where(
                np.isnan(level), NEAR_LEVEL, np.where(above == 0, 1.0, np.where(above == 1, NEAR_LEVEL, 0.0))
            )
        fit = np.where(teaches, fit, 0.0)
        better = fit > value
        value[better] = fit[better]
        which[better] = k
    return value, which
