"""Learning-path services: mine the path to a goal from where the learner is, follow a path, curate one, and show a
path with its next step's sessions. The UI and the REST API call these; none of them commits."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from peerlearn.accounts.actions import require_role
from peerlearn.catalog.public import to_public as sessions_public
from peerlearn.insights.recommendations import recommendations_for
from peerlearn.models import LearningPath, LearningPathStep, PathFollow, Profile, Skill, User
from peerlearn.models.enums import SkillLevel, UserRole
from peerlearn.models.types import saved_id, utcnow
from peerlearn.paths import queries
from peerlearn.paths.mining import MinedStep, PathOutcome, TransitionModel, find_path, mine_transitions
from peerlearn.paths.public import PathDetailPublic, PathListPublic, PathPublic, RankedBy
from peerlearn.paths.rules import goal_level, level_at, match_goal
from peerlearn.platform import after_commit
from peerlearn.platform.errors import ValidationError
from peerlearn.platform.text import slugify

GOAL_MAX_LENGTH = 200
NEXT_SESSIONS = 6


def resolve_goal(goal: str | None, learner: User | None, *, db: Session) -> str:
    """The goal as typed; when none is, the learner's career objective, else their learning goals."""
    text = " ".join((goal or "").split())
    if not text and learner is not None:
        profile = db.get(Profile, saved_id(learner))
        if profile is not None:
            text = " ".join((profile.career_objective or profile.learning_goals or "").split())
    if not text:
        raise ValidationError("Type a goal, or add a career objective or learning goals to your profile.")
    if len(text) > GOAL_MAX_LENGTH:
        raise ValidationError(f"A goal is at most {GOAL_MAX_LENGTH} characters.")
    return text


def _goal_key(skills: Sequence[str], level: int) -> str:
    return "|".join(sorted(f"{slugify(s)}:{level}" for s in skills))[:200]


def _route_key(steps: Sequence[tuple[int, SkillLevel]]) -> str:
    return hashlib.sha256(",".join(f"{skill_id}:{level.value}" for skill_id, level in steps).encode()).hexdigest()


def _skill_ids(names: Sequence[str], *, db: Session) -> dict[str, int]:
    if not names:
        return {}
    rows = db.exec(select(Skill.id, Skill.name).where(col(Skill.name).in_(names)))
    return {name: skill_id for skill_id, name in rows if skill_id is not None}


def _save_path(
    goal: str,
    goal_skills: Sequence[str],
    level: int,
    steps: Sequence[tuple[int, SkillLevel, int, float]],
    *,
    curated: bool,
    created_by_id: int | None,
    db: Session,
) -> LearningPath:
    """Store a route once per goal and sequence of steps; asking again answers with the stored one."""
    goal_key = _goal_key(goal_skills, level)
    route_key = _route_key([(skill_id, lv) for skill_id, lv, _, _ in steps])
    existing = select(LearningPath).where(
        col(LearningPath.goal_key) == goal_key,
        col(LearningPath.route_key) == route_key,
        col(LearningPath.curated) == curated,
    )
    found = db.exec(existing).first()
    if found is not None:
        return found
    path = LearningPath(
        goal=goal,
        goal_key=goal_key,
        goal_skills=list(goal_skills),
        route_key=route_key,
        curated=curated,
        created_by_id=created_by_id,
    )
    try:
        with db.begin_nested():
            db.add(path)
            db.flush()
            db.add_all(
                LearningPathStep(
                    path_id=saved_id(path), position=i, skill_id=skill_id, level=lv, learners=n, probability=p
                )
                for i, (skill_id, lv, n, p) in enumerate(steps, start=1)
            )
            db.flush()
    except sa.exc.IntegrityError:  # another request stored the same route first
        found = db.exec(existing).first()
        if found is None:
            raise
        return found
    return path


def _mined_steps(steps: Sequence[MinedStep], *, db: Session) -> list[tuple[int, SkillLevel, int, float]]:
    ids = _skill_ids([s.skill for s in steps], db=db)
    return [(ids[s.skill], level_at(s.level), s.learners, s.probability) for s in steps]


_MODEL_CACHE: dict[tuple[object, ...], tuple[TransitionModel, Counter[str]]] = {}
_MODEL_LOCK = threading.Lock()


def _mined_model(*, db: Session) -> tuple[TransitionModel, Counter[str]]:
    """The transition model over every completed journey, and how often each skill was completed; mined again
    only when the journeys changed (a completion, a review, a session's skills or level), else from this process's
    cache."""
    key = (str(db.get_bind().engine.url), *queries.journeys_version(db=db))
    with _MODEL_LOCK:
        cached = _MODEL_CACHE.get(key)
    if cached is not None:
        return cached
    journeys = queries.completed_journeys(db=db)
    mined = (
        mine_transitions([t.step for t in steps] for steps in journeys.values()),
        Counter(t.step.skill for steps in journeys.values() for t in steps),
    )
    with _MODEL_LOCK:
        _MODEL_CACHE.clear()
        _MODEL_CACHE[key] = mined
    return mined


def find_paths(goal: str | None, *, learner: User | None, db: Session, now: datetime | None = None) -> PathListPublic:
    """The most travelled, best-rated route from where the learner is to the goal's skills (stored, so it can be
    opened and followed), and the curated paths to the same skills."""
    now = now or utcnow()
    text = resolve_goal(goal, learner, db=db)
    model, taken = _mined_model(db=db)
    goal_skills = match_goal(text, queries.skill_vocabulary(db=db), taken)
    level = goal_level(text)
    held = queries.held_levels(saved_id(learner), db=db) if learner is not None else {}
    mined = find_path(model, held=held, goal={skill: level for skill in goal_skills})
    paths: list[LearningPath] = []
    if mined.outcome is PathOutcome.FOUND:
        steps = _mined_steps(mined.steps, db=db)
        paths.append(_save_path(text, goal_skills, level, steps, curated=False, created_by_id=None, db=db))
    wanted = set(goal_skills)
    paths += [
        p for p in queries.curated_paths(db=db) if wanted & set(p.goal_skills) or slugify(p.goal) == slugify(text)
    ]
    return PathListPublic(
        goal=text,
        goal_skills=goal_skills,
        outcome=mined.outcome,
        message=_message(mined.outcome, text, goal_skills, mined.missing),
        paths=queries.to_public(paths, db=db, learner_id=saved_id(learner) if learner else None, now=now),
    )


def _message(outcome: PathOutcome, goal: str, skills: Sequence[str], missing: Sequence[str]) -> str:
    named = ", ".join(skills)
    if outcome is PathOutcome.NO_GOAL:
        return f"No skill in the catalog matches '{goal}'. Try naming a skill, like Python or Japanese."
    if outcome is PathOutcome.ALREADY_REACHED:
        return f"You already hold {named} at this level: this goal is reached."
    if outcome is PathOutcome.UNREACHABLE:
        return f"No learner has travelled to {', '.join(missing)} yet, so there is no mined path there."
    return f"The route learners took most, and rated well, to {named}."


def follow_path(path_id: int, learner: User, *, db: Session, now: datetime | None = None) -> PathPublic:
    """Follow a path (again is no change); its progress comes from the learner's bookings. Following changes what
    the learner is recommended (the next step is boosted), so once it commits their cached lists are dropped the
    way a saved profile's are."""
    require_role(learner, UserRole.LEARNER)
    path = queries.get_path(path_id, db=db)
    already = db.exec(
        select(PathFollow).where(col(PathFollow.path_id) == path_id, col(PathFollow.learner_id) == saved_id(learner))
    ).first()
    if already is None:
        try:
            with db.begin_nested():
                db.add(PathFollow(path_id=path_id, learner_id=saved_id(learner)))
                db.flush()
            after_commit.defer(db, after_commit.PROFILES, saved_id(learner))
        except sa.exc.IntegrityError:  # the same learner, twice at once: one follow stands
            pass
    [public] = queries.to_public([path], db=db, learner_id=saved_id(learner), now=now or utcnow())
    return public


def create_curated_path(admin: User, goal: str, steps: Sequence[tuple[str, SkillLevel]], *, db: Session) -> PathPublic:
    """An admin's own path to a goal, labelled as curated; its steps are skills already in the catalog."""
    require_role(admin, UserRole.ADMIN)
    text = resolve_goal(goal, None, db=db)
    if not steps:
        raise ValidationError("A path needs at least one step.")
    ids = _skill_ids([name for name, _ in steps], db=db)
    unknown = [name for name, _ in steps if name not in ids]
    if unknown:
        raise ValidationError(f"Not in the catalog: {', '.join(unknown)}.")
    goal_skills = list(dict.fromkeys(name for name, _ in steps))[-1:]  # the last step is where the path leads
    rows = [(ids[name], SkillLevel(level), 0, 0.0) for name, level in steps]
    path = _save_path(text, goal_skills, 0, rows, curated=True, created_by_id=saved_id(admin), db=db)
    [public] = queries.to_public([path], db=db, learner_id=None, now=utcnow())
    return public


def path_detail(path_id: int, *, learner: User | None, db: Session, now: datetime | None = None) -> PathDetailPublic:
    """A path with the learner's progress and the upcoming sessions of its next step, in the learner's
    recommendation order (then soonest first)."""
    now = now or utcnow()
    path = queries.get_path(path_id, db=db)
    learner_id = saved_id(learner) if learner is not None else None
    [public] = queries.to_public([path], db=db, learner_id=learner_id, now=now)
    detail = PathDetailPublic(**public.model_dump())
    if public.next_position is None:
        return detail
    step = db.get(LearningPathStep, (saved_id(path), public.next_position))
    if step is None:
        return detail
    sessions = queries.upcoming_sessions_for_step(step, learner_id=learner_id, db=db, now=now)
    ranked_by = RankedBy.START_TIME
    if learner is not None and sessions:
        order = {r.session.id: i for i, r in enumerate(recommendations_for(learner, db=db, limit=50, now=now))}
        if any(s.id in order for s in sessions):
            ranked_by = RankedBy.RECOMMENDER
        sessions.sort(key=lambda s: (order.get(saved_id(s), len(order)), s.start_at, saved_id(s)))
    detail.next_sessions = sessions_public(sessions[:NEXT_SESSIONS], db=db)
    detail.ranked_by = ranked_by
    return detail


def my_paths(learner: User, *, db: Session, now: datetime | None = None) -> list[PathPublic]:
    return queries.to_public(
        queries.followed_paths(saved_id(learner), db=db), db=db, learner_id=saved_id(learner), now=now or utcnow()
    )
