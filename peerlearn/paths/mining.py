"""Learning paths mined from journeys: pure code, no I/O.

A journey is one learner's completed sessions in time order, each a ``JourneyStep`` (skill, level rank, rating).
A state is a (skill, level rank) pair; level ranks follow ``SkillLevel``'s order (0 = beginner ... 3 = expert).

The model (``mine_transitions``) is a first-order Markov chain over states:

- Only well-rated completions count: a step rated below ``min_rating`` is dropped from its journey (the learner
  did not gain from it, so the route runs from the step before it to the step after it). An unrated completion
  counts with ``unrated_weight``; a rated one with ``rating / 5``.
- The level ordering holds: a move back down within the same skill, and a repeat of the same state, teach nothing
  about where to go next and are skipped.
- Every journey also starts from ``START``, so a learner with no history still has somewhere to begin.
- The weight of a move a -> b is the sum of the weights of the steps that arrived at b right after a; its
  probability is that weight over everything that left a.

A route (``find_path``) is the most travelled, best-rated one: Dijkstra on ``-log P(b | a)``, so the chosen route
maximises the product of its moves' probabilities. It starts from any state the learner holds (a skill at a level)
or from ``START``, never revisits a state the learner already holds at that level or above, and ends when every goal
skill is held at its goal level or above. With several goal skills the route goes to the cheapest one still
missing, then on from there, until all are covered.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

State = tuple[str, int]
START: State = ("", -1)

MIN_RATING = 4.0
UNRATED_WEIGHT = 0.5


@dataclass(frozen=True)
class JourneyStep:
    skill: str
    level: int
    rating: float | None = None


@dataclass
class TransitionModel:
    """Weighted moves between states; ``weights[a][b]`` and ``counts[a][b]`` (how many learners made the move)."""

    weights: dict[State, dict[State, float]] = field(default_factory=dict)
    counts: dict[State, Counter[State]] = field(default_factory=dict)

    def probability(self, a: State, b: State) -> float:
        out = self.weights.get(a, {})
        total = sum(out.values())
        return out.get(b, 0.0) / total if total else 0.0

    def next_states(self, a: State) -> list[tuple[State, float]]:
        """Where learners went after ``a``, most probable first (ties by state, so the order is stable)."""
        out = self.weights.get(a, {})
        total = sum(out.values())
        if not total:
            return []
        return sorted(((b, w / total) for b, w in out.items()), key=lambda item: (-item[1], item[0]))

    @property
    def states(self) -> set[State]:
        seen = set(self.weights)
        for out in self.weights.values():
            seen.update(out)
        seen.discard(START)
        return seen


class PathOutcome(StrEnum):
    FOUND = "found"
    ALREADY_REACHED = "already_reached"
    UNREACHABLE = "unreachable"
    NO_GOAL = "no_goal"


@dataclass(frozen=True)
class MinedStep:
    skill: str
    level: int
    probability: float  # of this move, given the step before it
    learners: int  # how many learners made this exact move


@dataclass(frozen=True)
class MinedPath:
    outcome: PathOutcome
    steps: tuple[MinedStep, ...] = ()
    missing: tuple[str, ...] = ()  # goal skills no route reaches (outcome UNREACHABLE)

    @property
    def probability(self) -> float:
        return math.prod(step.probability for step in self.steps) if self.steps else 0.0


def step_weight(
    rating: float | None, *, min_rating: float = MIN_RATING, unrated_weight: float = UNRATED_WEIGHT
) -> float:
    """How much one completion counts; 0 when it was rated below ``min_rating``."""
    if rating is None:
        return unrated_weight
    return rating / 5.0 if rating >= min_rating else 0.0


def mine_transitions(
    journeys: Iterable[Sequence[JourneyStep]],
    *,
    min_rating: float = MIN_RATING,
    unrated_weight: float = UNRATED_WEIGHT,
) -> TransitionModel:
    weights: dict[State, dict[State, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[State, Counter[State]] = defaultdict(Counter)
    for journey in journeys:
        previous = START
        for step in journey:
            weight = step_weight(step.rating, min_rating=min_rating, unrated_weight=unrated_weight)
            if weight <= 0:
                continue
            state = (step.skill, step.level)
            if state == previous or (state[0] == previous[0] and state[1] < previous[1]):
                continue
            weights[previous][state] += weight
            counts[previous][state] += 1
            previous = state
    return TransitionModel(
        weights={a: dict(out) for a, out in weights.items()}, counts={a: Counter(c) for a, c in counts.items()}
    )


def _holds(held: Mapping[str, int], state: State) -> bool:
    return state != START and held.get(state[0], -1) >= state[1]


def _route_to_any(
    model: TransitionModel, sources: Iterable[State], targets: set[State], held: Mapping[str, int]
) -> tuple[State, list[State]] | None:
    """Cheapest route (sum of -log P) from any source to any target state: the source it left from and the
    states after it."""
    best: dict[State, float] = {}
    came_from: dict[State, State] = {}
    heap: list[tuple[float, State]] = []
    for source in sources:
        best[source] = 0.0
        heapq.heappush(heap, (0.0, source))
    while heap:
        cost, state = heapq.heappop(heap)
        if cost > best.get(state, math.inf):
            continue
        if state in targets:
            route = [state]
            while route[-1] in came_from:
                route.append(came_from[route[-1]])
            return route[-1], list(reversed(route[:-1]))
        for nxt, probability in model.next_states(state):
            if _holds(held, nxt) or probability <= 0:
                continue
            new_cost = cost - math.log(probability)
            if new_cost < best.get(nxt, math.inf) - 1e-12:
                best[nxt] = new_cost
                came_from[nxt] = state
                heapq.heappush(heap, (new_cost, nxt))
    return None


def find_path(model: TransitionModel, held: Mapping[str, int], goal: Mapping[str, int]) -> MinedPath:
    """The route from what the learner holds (skill -> level rank) to every goal skill (skill -> lowest level
    rank that counts, 0 for any level)."""
    if not goal:
        return MinedPath(PathOutcome.NO_GOAL)
    held = dict(held)
    missing = [skill for skill, level in goal.items() if held.get(skill, -1) < level]
    if not missing:
        return MinedPath(PathOutcome.ALREADY_REACHED)
    steps: list[MinedStep] = []
    position: list[State] = []
    while missing:
        targets = {s for s in model.states if s[0] in missing and s[1] >= goal[s[0]] and not _holds(held, s)}
        # Holding a skill at a level covers its lower levels too: the route may leave from any of them.
        everywhere = [START, *held.items(), *(s for s in model.states if _holds(held, s))]
        found = None
        if targets:
            # On from the last step reached; from anything held (or the usual start) when no route leaves it.
            found = (position and _route_to_any(model, position, targets, held)) or _route_to_any(
                model, everywhere, targets, held
            )
        if not found:
            return MinedPath(PathOutcome.UNREACHABLE, tuple(steps), tuple(sorted(missing)))
        previous, route = found
        for state in route:
            steps.append(
                MinedStep(
                    skill=state[0],
                    level=state[1],
                    probability=model.probability(previous, state),
                    learners=model.counts.get(previous, Counter())[state],
                )
            )
            held[state[0]] = max(held.get(state[0], -1), state[1])
            previous = state
        position = [route[-1]]
        missing = [skill for skill in missing if held.get(skill, -1) < goal[skill]]
    return MinedPath(PathOutcome.FOUND, tuple(steps))


def rank_next(
    model: TransitionModel, history: Sequence[State], *, fallback: Sequence[State] = (), k: int = 3
) -> list[State]:
    """The k most probable next states after a history (its last state; START when empty), never a state the
    history already holds at that level or above; filled up from ``fallback`` (e.g. the most popular states)."""
    held: dict[str, int] = {}
    for skill, level in history:
        held[skill] = max(held.get(skill, -1), level)
    last = history[-1] if history else START
    ranked: list[State] = [s for s, _ in model.next_states(last) if not _holds(held, s)]
    for state in fallback:
        if state not in ranked and not _holds(held, state):
            ranked.append(state)
    return ranked[:k]
