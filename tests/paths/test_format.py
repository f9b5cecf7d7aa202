"""What the /paths page shows for a path: each step's status in words, the progress line, the next step's title."""

from __future__ import annotations

from peerlearn.models.enums import SkillLevel
from peerlearn.paths.public import PathDetailPublic, PathStepPublic, StepStatus
from peerlearn.ui.format.paths import next_step_title, path_card, ranked_note


def detail(*statuses: StepStatus, curated: bool = False) -> PathDetailPublic:
    steps = [
        PathStepPublic(position=i, skill=f"Skill {i}", level=SkillLevel.BEGINNER, status=s, learners=1, probability=1)
        for i, s in enumerate(statuses, start=1)
    ]
    nxt = next((s.position for s in steps if s.status is StepStatus.NEXT), None)
    done = sum(s.status is StepStatus.DONE for s in steps)
    return PathDetailPublic(
        id=1,
        goal="Goal",
        goal_skills=[],
        curated=curated,
        label="x",
        steps=steps,
        done_steps=done,
        next_position=nxt,
        complete=done == len(steps),
    )


def test_a_path_in_progress_reads_as_steps_done_with_each_steps_status() -> None:
    card = path_card(detail(StepStatus.DONE, StepStatus.BOOKED, StepStatus.NEXT, StepStatus.LATER))

    assert card.progress == "1 of 4 steps done"
    assert [s.status_text for s in card.steps] == ["Done", "Booked", "Next", "Later"]
    assert card.steps[0].travelled == "1 learner took this step"
    assert next_step_title(detail(StepStatus.DONE, StepStatus.NEXT)) == "Next on your path: Skill 2 (beginner)"


def test_a_finished_or_curated_path_says_so() -> None:
    assert path_card(detail(StepStatus.DONE)).progress == "Goal reached"
    assert path_card(detail(StepStatus.NEXT)).progress == "0 of 1 step done"
    assert path_card(detail(StepStatus.NEXT, curated=True)).steps[0].travelled == ""
    assert next_step_title(detail(StepStatus.DONE)) == ""
    assert ranked_note(detail(StepStatus.NEXT)) == ""  # no sessions, no note
