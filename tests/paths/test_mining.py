"""Path mining on hand-made journeys: the route learners travelled most, with good ratings, is the path."""

from __future__ import annotations

import pytest

from peerlearn.paths.mining import (
    START,
    JourneyStep,
    PathOutcome,
    find_path,
    mine_transitions,
    rank_next,
)

B, I, A = 0, 1, 2


def j(*steps: tuple[str, int, float | None]) -> list[JourneyStep]:
    return [JourneyStep(skill, level, rating) for skill, level, rating in steps]


# Four learners go Excel -> SQL -> Python -> Data analysis, all well rated; two take a shortcut
# Excel -> Statistics -> Data analysis but rate Statistics badly; one goes SQL -> SQL intermediate.
JOURNEYS = [
    j(("Excel", B, 5), ("SQL", B, 5), ("Python", B, 4), ("Data analysis", I, 5)),
    j(("Excel", B, 4), ("SQL", B, 5), ("Python", B, 5), ("Data analysis", I, 4)),
    j(("Excel", B, 5), ("SQL", B, 4), ("Python", B, 5), ("Data analysis", I, 5)),
    j(("Excel", B, None), ("SQL", B, 5), ("Python", B, 4), ("Data analysis", I, 5)),
    j(("Excel", B, 5), ("Statistics", B, 2), ("Data analysis", I, 5)),
    j(("Excel", B, 5), ("Statistics", B, 1), ("Data analysis", I, 5)),
    j(("SQL", B, 5), ("SQL", I, 5)),
]


def route(path) -> list[tuple[str, int]]:
    return [(step.skill, step.level) for step in path.steps]


def test_a_new_learner_gets_the_most_travelled_well_rated_route_to_the_goal() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={}, goal={"Data analysis": 0})

    assert path.outcome is PathOutcome.FOUND
    assert route(path) == [("Excel", B), ("SQL", B), ("Python", B), ("Data analysis", I)]
    assert path.steps[0].learners == 6  # six of seven learners started with Excel
    assert path.steps[1].learners == 4
    assert 0 < path.probability < 1


def test_badly_rated_steps_do_not_count_so_the_shortcut_through_them_is_not_a_path() -> None:
    model = mine_transitions(JOURNEYS)

    assert model.probability(("Excel", B), ("Statistics", B)) == 0.0
    # The badly rated step is skipped: those two learners still show Excel leads to Data analysis.
    assert model.counts[("Excel", B)][("Data analysis", I)] == 2


def test_the_shortcut_wins_once_it_is_rated_well_and_travelled_more() -> None:
    rated_well = [j(("Excel", B, 5), ("Statistics", B, 5), ("Data analysis", I, 5))] * 6
    model = mine_transitions(JOURNEYS + rated_well)

    path = find_path(model, held={}, goal={"Data analysis": 0})

    assert route(path) == [("Excel", B), ("Statistics", B), ("Data analysis", I)]


def test_the_route_starts_from_what_the_learner_already_holds() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={"Excel": B, "SQL": B}, goal={"Data analysis": 0})

    assert route(path) == [("Python", B), ("Data analysis", I)]


def test_a_goal_level_above_what_the_learner_holds_is_still_a_step() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={"SQL": B}, goal={"SQL": I})

    assert route(path) == [("SQL", I)]


def test_a_goal_already_reached_is_an_empty_path_that_says_so() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={"Data analysis": A}, goal={"Data analysis": I})

    assert path.outcome is PathOutcome.ALREADY_REACHED and path.steps == ()


def test_an_unreachable_goal_is_an_empty_path_naming_the_missing_skill() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={}, goal={"Japanese": 0})

    assert path.outcome is PathOutcome.UNREACHABLE
    assert path.steps == () and path.missing == ("Japanese",)


def test_no_goal_skills_is_its_own_outcome() -> None:
    assert find_path(mine_transitions(JOURNEYS), held={}, goal={}).outcome is PathOutcome.NO_GOAL


def test_cycles_in_journeys_neither_loop_nor_send_the_learner_back_down() -> None:
    cyclic = [
        j(("Go", B, 5), ("Rust", B, 5), ("Go", B, 5), ("Rust", B, 5), ("Go", I, 5)),
        j(("Go", I, 5), ("Go", B, 5), ("Rust", I, 5)),  # moving back down is skipped
        j(("Go", B, 5), ("Go", B, 5), ("Rust", I, 5)),  # a repeat is skipped
    ]
    model = mine_transitions(cyclic)

    assert model.probability(("Go", I), ("Go", B)) == 0.0
    assert model.probability(("Go", B), ("Go", B)) == 0.0
    path = find_path(model, held={}, goal={"Rust": I})
    assert path.outcome is PathOutcome.FOUND
    states = route(path)
    assert states[-1] == ("Rust", I) and len(states) == len(set(states))


def test_a_path_to_several_goal_skills_covers_each_of_them() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={}, goal={"Python": 0, "SQL": I})

    states = route(path)
    assert ("Python", B) in states and ("SQL", I) in states
    assert path.outcome is PathOutcome.FOUND


@pytest.mark.parametrize(
    ("history", "expected_first"),
    [([], ("Excel", B)), ([("Excel", B)], ("SQL", B)), ([("Excel", B), ("SQL", B)], ("Python", B))],
)
def test_rank_next_predicts_the_usual_next_step(history, expected_first) -> None:
    model = mine_transitions(JOURNEYS)

    assert rank_next(model, history, k=3)[0] == expected_first


def test_rank_next_fills_up_from_the_fallback_and_never_repeats_what_is_held() -> None:
    model = mine_transitions(JOURNEYS)

    ranked = rank_next(model, [("Data analysis", I)], fallback=[("Data analysis", B), ("Excel", B)], k=3)

    assert ranked == [("Excel", B)]
    assert START not in model.states


def test_holding_a_skill_above_the_travelled_level_still_leaves_from_it() -> None:
    model = mine_transitions(JOURNEYS)

    path = find_path(model, held={"Excel": A, "SQL": I}, goal={"Data analysis": 0})

    assert route(path) == [("Python", B), ("Data analysis", I)]
