"""Learning paths as pages and the API show them: steps with the learner's progress, and the next step's sessions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.models.enums import SkillLevel
from peerlearn.paths.mining import PathOutcome


class StepStatus(StrEnum):
    DONE = "done"  # a completed session in the skill at the step's level or above
    BOOKED = "booked"  # a seat in an upcoming one
    NEXT = "next"  # the first step neither done nor booked: what to book now
    LATER = "later"


class RankedBy(StrEnum):
    RECOMMENDER = "recommender"  # the learner's recommendation order, then start time
    START_TIME = "start_time"


class PathStepPublic(BaseModel):
    position: int
    skill: str
    level: SkillLevel
    status: StepStatus = StepStatus.LATER
    learners: int  # learners who made this move (0 on a curated path)
    probability: float  # share of learners at the step before who moved here


class PathPublic(BaseModel):
    id: int
    goal: str
    goal_skills: list[str]
    curated: bool
    label: str  # 'Curated by PeerLearn' or 'Mined from learners' journeys'
    steps: list[PathStepPublic]
    following: bool = False
    done_steps: int = 0
    next_position: int | None = None  # the first step neither done nor booked
    complete: bool = False


class PathListPublic(BaseModel):
    """The answer to 'how do I get to this goal?': the mined route from where the learner is, and curated paths."""

    goal: str
    goal_skills: list[str]
    outcome: PathOutcome  # of the mining: found, already_reached, unreachable, no_goal
    message: str
    paths: list[PathPublic]


class PathDetailPublic(PathPublic):
    next_sessions: list[LearningSessionPublic] = []
    ranked_by: RankedBy = RankedBy.START_TIME


CURATED_LABEL = "Curated by PeerLearn"
MINED_LABEL = "Mined from learners' journeys"
