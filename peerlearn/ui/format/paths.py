"""Learning paths as the /paths page shows them: steps with their progress, and the next step's sessions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peerlearn.links import session_link
from peerlearn.paths.public import PathDetailPublic, PathPublic, RankedBy, StepStatus
from peerlearn.ui.format.catalog import session_card

_STATUS_TEXT = {
    StepStatus.DONE: "Done",
    StepStatus.BOOKED: "Booked",
    StepStatus.NEXT: "Next",
    StepStatus.LATER: "Later",
}
_STATUS_COLOR = {
    StepStatus.DONE: "green",
    StepStatus.BOOKED: "blue",
    StepStatus.NEXT: "amber",
    StepStatus.LATER: "gray",
}


@dataclass(frozen=True)
class PathStepRow:
    skill: str
    level: str
    status: str  # done, booked, next, later
    status_text: str
    color: str
    travelled: str  # '12 learners took this step' (empty on a curated path)


@dataclass(frozen=True)
class PathCard:
    id: str
    goal: str
    label: str
    curated: bool
    following: bool
    progress: str
    steps: list[PathStepRow]


@dataclass(frozen=True)
class NextSession:
    id: str
    title: str
    when: str
    level: str
    price: str
    spots: str
    mentor: str
    href: str


def path_card(p: PathPublic) -> PathCard:
    steps = [
        PathStepRow(
            skill=s.skill,
            level=s.level.value,
            status=s.status.value,
            status_text=_STATUS_TEXT[s.status],
            color=_STATUS_COLOR[s.status],
            travelled="" if p.curated else f"{s.learners} learner{'s' if s.learners != 1 else ''} took this step",
        )
        for s in p.steps
    ]
    total = len(p.steps)
    progress = "Goal reached" if p.complete else f"{p.done_steps} of {total} step{'s' if total != 1 else ''} done"
    return PathCard(str(p.id), p.goal, p.label, p.curated, p.following, progress, steps)


def path_cards(paths: Iterable[PathPublic]) -> list[PathCard]:
    return [path_card(p) for p in paths]


def next_step_title(detail: PathDetailPublic) -> str:
    step = next((s for s in detail.steps if s.position == detail.next_position), None)
    return f"Next on your path: {step.skill} ({step.level.value})" if step else ""


def next_sessions(detail: PathDetailPublic, tz: str) -> list[NextSession]:
    out = []
    for s in detail.next_sessions:
        card = session_card(s, tz)
        out.append(
            NextSession(
                card.id, card.title, card.when, card.level, card.price, card.spots, card.mentor, session_link(s.id)
            )
        )
    return out


def ranked_note(detail: PathDetailPublic) -> str:
    if not detail.next_sessions:
        return ""
    if detail.ranked_by is RankedBy.RECOMMENDER:
        return "In your recommendation order, then soonest first."
    return "Soonest first."
