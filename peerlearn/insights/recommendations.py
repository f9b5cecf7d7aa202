"""Recommendations served from the database: load the marketplace into the ranking core, keep one
model per process up to date (incrementally on every interaction, fully on a schedule in the
background), apply the running A/B experiment, and cache results in Redis when configured."""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections import defaultdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from peerlearn.catalog.public import to_public
from peerlearn.insights import experiments, interactions
from peerlearn.insights.model_feed import (
    ANNOUNCE_PROFILES_SCRIPT,
    PROFILE_WINDOW,
    PROFILES_KEY,
    VERSION_KEY,
    InteractionFeed,
    ProfileFeed,
    counter_value,
)
from peerlearn.models import (
    Category,
    InteractionEvent,
    LearningSession,
    Profile,
    SessionSkill,
    Skill,
    User,
    UserSkill,
)
from peerlearn.models.catalog import LearningSessionPublic, MentorCard
from peerlearn.models.enums import InteractionKind, SessionStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.paths.queries import next_steps
from peerlearn.paths.rules import level_rank
from peerlearn.platform import after_commit
from peerlearn.platform.errors import NotFoundError, ValidationError
from peerlearn.recommender.data import Interaction, Item, PathStep, UserProfile
from peerlearn.recommender.engine import COLD, WARM, Recommender
from peerlearn.redis_client import shared_redis

log = logging.getLogger(__name__)

# How much each kind of interaction tells about a learner's taste.
WEIGHTS = {
    InteractionKind.BOOK: 1.0,
    InteractionKind.ATTEND: 0.5,
    InteractionKind.RATE: 0.5,
    InteractionKind.CLICK: 0.3,
}
RETRAIN_EVERY_SECONDS = 30 * 60
CACHE_SECONDS = 60
FEEDBACK_ACTIONS = {"click": InteractionKind.CLICK, "dismiss": InteractionKind.DISMISS, "book": InteractionKind.BOOK}


class RecommendationPublic(BaseModel):
    session: LearningSessionPublic
    score: float
    components: dict[str, float]
    explanation: str


class MentorRecommendationPublic(BaseModel):
    mentor: MentorCard
    score: float
    explanation: str
    upcoming_session_ids: list[int]


# ---------------------------------------------------------------- loading


def _teaches(event: InteractionEvent) -> bool:
    """Does this event tell the model about taste? A 'book' feedback from the recommendations list only
    attributes a booking that the booking itself already logged, so it is not counted twice."""
    return event.kind in WEIGHTS and not (event.kind == InteractionKind.BOOK and event.source == "recommendations")


def _changes_lists(event: InteractionEvent) -> bool:
    """Does this event change what someone is recommended: taste the model learns, or a dismissed session?"""
    return _teaches(event) or event.kind == InteractionKind.DISMISS


def _session_item(session: LearningSession, tags: list[str], category: str | None) -> Item:
    return Item(
        item_id=session.id,
        tags=tags,
        start_at=session.start_at,
        title=session.title,
        description=session.description,
        mentor_id=session.mentor_id,
        price_minor=session.price_minor,
        language=session.language,
        capacity_left=max(session.capacity - session.seats_taken, 0)
        if session.status == SessionStatus.PUBLISHED
        else 0,
        category=category,
        level=level_rank(session.level),
    )


def teaching_events(*, db: Session, after_id: int = 0) -> list[InteractionEvent]:
    """The interaction rows the model learns from, oldest first."""
    rows = db.exec(
        select(InteractionEvent)
        .where(
            col(InteractionEvent.kind).in_(list(WEIGHTS)),
            col(InteractionEvent.session_id).is_not(None),
            col(InteractionEvent.id) > after_id,
        )
        .order_by(col(InteractionEvent.id))
    )
    return [e for e in rows if _teaches(e)]


def _interaction(event: InteractionEvent) -> Interaction:
    return Interaction(
        user_id=event.user_id,
        item_id=event.session_id,
        ts=event.created_at,
        kind=event.kind.value,
        weight=WEIGHTS[event.kind],
    )


def load_inputs(
    *, db: Session, events: list[InteractionEvent] | None = None
) -> tuple[list[Item], list[Interaction], list[UserProfile]]:
    """Everything the model learns from, read in a handful of queries."""
    tags: dict[int, list[str]] = defaultdict(list)
    for session_id, name in db.exec(
        select(SessionSkill.session_id, Skill.name).join(Skill, col(Skill.id) == SessionSkill.skill_id)
    ).all():
        tags[session_id].append(name)
    categories = dict(db.exec(select(Category.id, Category.name)).all())
    items = [
        _session_item(s, tags[saved_id(s)], categories.get(s.category_id))
        for s in db.exec(select(LearningSession).where(LearningSession.status != SessionStatus.DRAFT))
    ]
    history = [_interaction(e) for e in (teaching_events(db=db) if events is None else events)]
    return items, history, load_profiles(db=db)


def load_profiles(*, db: Session, user_ids: list[int] | None = None) -> list[UserProfile]:
    """What learners declared, as the model reads it: skills, interests and domain as terms, the preferred
    language and price cap as filters (everyone's, or these learners': one each, empty if they have none)."""
    skills: dict[int, list[str]] = defaultdict(list)
    skill_rows = select(UserSkill.user_id, Skill.name).join(Skill, col(Skill.id) == UserSkill.skill_id)
    profile_rows = select(Profile)
    if user_ids is not None:
        skill_rows = skill_rows.where(col(UserSkill.user_id).in_(user_ids))
        profile_rows = profile_rows.where(col(Profile.user_id).in_(user_ids))
    for user_id, name in db.exec(skill_rows).all():
        skills[user_id].append(name)
    declared = {p.user_id: p for p in db.exec(profile_rows)}
    ids = list(declared) if user_ids is None else user_ids
    out = []
    for user_id in ids:
        p = declared.get(user_id)
        terms = skills[user_id] + (list(p.interests) + ([p.domain] if p.domain.strip() else []) if p else [])
        out.append(
            UserProfile(
                user_id=user_id,
                tags=terms,
                language=(p.preferred_language or None) if p else None,
                price_cap_minor=p.price_cap_minor if p else None,
            )
        )
    return out


# ---------------------------------------------------------------- the model of this process


class ModelHolder:
    """One trained model per process; swapped whole after a background retrain, updated in place per interaction.

    Interactions and saved profiles recorded by other processes (other workers, other nodes) reach this model
    through the change counter in Redis and the rows themselves; see peerlearn/insights/model_feed.py."""

    def __init__(self) -> None:
        self._model: Recommender | None = None
        self._variants: dict[str, Recommender] = {}
        self._lock = threading.RLock()
        self._feed = InteractionFeed()
        self._profiles = ProfileFeed()
        self.trained_at = 0.0
        self._listings_seen: str | None = None  # the listings counter when the model was trained
        self._listed_here = False  # a session was listed by this process since (the counter when there is no Redis)

    def get(self, *, db: Session) -> Recommender:
        with self._lock:
            if self._model is None or self._listings_moved():
                self._install(*self._train(db))
            else:
                self._catch_up(db)
            self._take_profiles(db)
            assert self._model is not None  # installed above
            return self._model

    @property
    def caught_up_to(self) -> int:
        """The change counter value up to which everything announced is in the model (read under the lock)."""
        return counter_value(self._feed.version)

    def retrain(self, *, db: Session) -> Recommender:
        trained = self._train(db)  # outside the lock: requests keep being served by the old model
        with self._lock:
            self._install(*trained)
        model = trained[0]
        return model

    def _listings_moved(self) -> bool:
        """A session was published (here, or anywhere through Redis) since the model was trained: it cannot rank what
        it has never seen, so it is trained again (about a second on the demo data; mentors list sessions rarely)."""
        return self._listed_here or _listings_version() != self._listings_seen

    def listings_changed(self, _items: list[Any]) -> None:
        """After-commit listener: a session was published."""
        with self._lock:
            self._listed_here = True
        _announce_listings()

    def _train(self, db: Session) -> tuple[Recommender, list[InteractionEvent], str | None, int]:
        version = _feed_version()  # read first: a change after it makes the next request catch up
        with self._lock:
            self._listings_seen, self._listed_here = _listings_version(), False
        local = self._profiles.local  # the same for profiles saved in this process
        events = teaching_events(db=db)
        items, history, profiles = load_inputs(db=db, events=events)
        return Recommender().fit(items, history, profiles, now=utcnow()), events, version, local

    def _install(self, model: Recommender, events: list[InteractionEvent], version: str | None, local: int) -> None:
        self._model, self._variants, self.trained_at = model, {}, time.time()
        self._feed.reset([(saved_id(e), e.created_at) for e in events], utcnow())
        self._feed.version = version
        self._profiles.trained(counter_value(version), local)

    def _catch_up(self, db: Session) -> None:
        """Apply what other processes recorded since this one last looked (one Redis GET when nothing did)."""
        version = _feed_version()
        if version is None or version == self._feed.version or self._model is None:
            return
        rows = teaching_events(db=db, after_id=self._feed.floor)
        fresh = set(self._feed.fresh([(saved_id(e), e.created_at) for e in rows]))
        for event in rows:
            if event.id in fresh:
                self._model.partial_update(_interaction(event))
        self._feed.advance([(saved_id(e), e.created_at) for e in rows], utcnow())
        self._feed.version = version
        self._catch_up_profiles(counter_value(version), db)

    def _catch_up_profiles(self, version: int, db: Session) -> None:
        """Learners whose profile was saved (anywhere) since the last catch-up are taken in before serving."""
        feed = self._profiles
        if version <= feed.mark:
            return
        if feed.behind(version):
            feed.pending.update(p.user_id for p in db.exec(select(Profile)))
        else:
            client = shared_redis()
            assert client is not None  # a counter value above zero comes from Redis
            listed: list[str] = client.zrangebyscore(PROFILES_KEY, f"({feed.mark}", version)  # type: ignore[assignment]  # redis-py types sync and async replies as one union
            feed.pending.update(int(user_id) for user_id in listed)
        feed.mark = version

    def _take_profiles(self, db: Session) -> None:
        """Replace the pending learners' profiles in the model with what the database holds now."""
        pending = self._profiles.pending
        if not pending or self._model is None:
            return
        user_ids = sorted(pending)
        self._model.set_profiles(load_profiles(db=db, user_ids=user_ids))
        pending.difference_update(user_ids)
        self._variants = {}  # variants copy the profile rows: rebuilt from the updated model when next asked for

    def for_weights(self, name: str, weights: dict[str, float] | None, *, db: Session) -> Recommender:
        """The model with an experiment variant's blend weights (sharing everything else)."""
        model = self.get(db=db)
        if not weights:
            return model
        with self._lock:
            if name not in self._variants:
                variant = copy.copy(model)
                variant.weights = {WARM: dict(weights), COLD: dict(weights)}
                self._variants[name] = variant
            return self._variants[name]

    def profiles_saved(self, user_ids: list[int]) -> None:
        """After-commit listener: these learners saved their profile. The model takes it in before it next serves
        (here and, through Redis, on every other process), and their cached lists are dropped at once."""
        user_ids = sorted(set(user_ids))
        with self._lock:
            self._profiles.saved_here(user_ids)
        _announce_profiles(user_ids)

    def observe(self, rows: list[InteractionEvent]) -> None:
        rows = [row for row in rows if _changes_lists(row)]
        if not rows:
            return  # impressions: logged for the KPIs, but no one's list changes, so every cache stays good
        with self._lock:
            if self._model is not None:
                fresh = set(
                    self._feed.fresh([(saved_id(r), r.created_at) for r in rows if r.session_id and _teaches(r)])
                )
                for row in rows:
                    if row.id in fresh:
                        self._model.partial_update(_interaction(row))
        _announce_interactions()
        for row in rows:
            _cache_forget(row.user_id)

    @property
    def lock(self) -> threading.RLock:
        """Held while ranking, so an interaction arriving meanwhile cannot change arrays under the ranker."""
        return self._lock

    def reset(self) -> None:
        with self._lock:
            self._model, self._variants, self.trained_at = None, {}, 0.0
            self._feed = InteractionFeed()
            self._profiles = ProfileFeed()


def _feed_version() -> str | None:
    client = shared_redis()
    value = None if client is None else client.get(VERSION_KEY)
    return None if value is None else str(value)  # the shared client decodes replies to str


LISTINGS_KEY = "peerlearn:rec:listings:version"


def _listings_version() -> str | None:
    client = shared_redis()
    value = None if client is None else client.get(LISTINGS_KEY)
    return None if value is None else str(value)


def _announce_listings() -> None:
    client = shared_redis()
    if client is not None:
        client.incr(LISTINGS_KEY)


def _newly_listed(row: object) -> bool:
    if not isinstance(row, LearningSession) or row.status != SessionStatus.PUBLISHED:
        return False
    state = sa_inspect(row)
    return bool(state.pending or state.attrs.status.history.has_changes())


@sa_event.listens_for(OrmSession, "before_flush")
def _note_listings(db: OrmSession, _context: object, _instances: object) -> None:
    """A session published (created so, or a draft published) is one the model has never seen."""
    if any(_newly_listed(row) for row in (*db.new, *db.dirty)):
        after_commit.defer(db, after_commit.LISTINGS, True)


def _announce_interactions() -> None:
    client = shared_redis()
    if client is not None:
        client.incr(VERSION_KEY)


def _announce_profiles(user_ids: list[int]) -> None:
    client = shared_redis()
    if client is not None and user_ids:
        keys = [VERSION_KEY, PROFILES_KEY, *(_cache_name(u) for u in user_ids)]
        client.eval(ANNOUNCE_PROFILES_SCRIPT, len(keys), *keys, PROFILE_WINDOW, *user_ids)


MODEL = ModelHolder()
interactions.add_observer(MODEL.observe)
after_commit.add_listener(after_commit.PROFILES, MODEL.profiles_saved)
after_commit.add_listener(after_commit.LISTINGS, MODEL.listings_changed)


def retrain_if_due(*, db: Session, now: datetime | None = None) -> int:
    """Scheduler job: a full retrain every RETRAIN_EVERY_SECONDS (runs off the request path)."""
    if MODEL.trained_at and time.time() - MODEL.trained_at < RETRAIN_EVERY_SECONDS:
        return 0
    MODEL.retrain(db=db)
    return 1


# ---------------------------------------------------------------- cache


def _cache_name(user_id: int) -> str:
    return f"peerlearn:rec:{user_id}"


def _cache_get(user_id: int, key: str) -> list[dict[str, Any]] | None:
    """A cached list, unless it was ranked before the learner's latest profile save (by any process)."""
    client = shared_redis()
    if client is None:
        return None
    pipe = client.pipeline(transaction=False)
    pipe.hget(_cache_name(user_id), key)
    pipe.zscore(PROFILES_KEY, user_id)
    raw, saved_at = pipe.execute()
    if not raw:
        return None
    entry = json.loads(raw)
    if not isinstance(entry, dict):  # written before lists carried their counter value
        return None
    if saved_at is not None and saved_at > entry["ranked_at"]:
        return None
    items: list[dict[str, Any]] = entry["items"]
    return items


def _cache_put(user_id: int, key: str, value: list[dict[str, Any]], ranked_at: int) -> None:
    """``ranked_at``: the change counter value the model had caught up to when it ranked these."""
    client = shared_redis()
    if client is not None:
        name = _cache_name(user_id)
        client.hset(name, key, json.dumps({"ranked_at": ranked_at, "items": value}, default=str))
        client.expire(name, CACHE_SECONDS)


# A learner the model knows nothing about (no history, no declared preference, nothing dismissed, no path followed,
# no sessions of their own) gets the same list as every other such learner: ranked once per worker and shared
# through Redis for as long as a learner's own list is kept. Everything that makes a learner known also takes them
# off this list.
BLANK_CACHE = "peerlearn:rec:blank"


def _shared_get(key: str) -> list[dict[str, Any]] | None:
    client = shared_redis()
    raw = None if client is None else client.hget(BLANK_CACHE, key)
    if not raw:
        return None
    items: list[dict[str, Any]] = json.loads(raw)  # type: ignore[arg-type]  # the shared client decodes replies to str
    return items


def _shared_put(key: str, value: list[dict[str, Any]]) -> None:
    client = shared_redis()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        pipe.hset(BLANK_CACHE, key, json.dumps(value, default=str))
        pipe.expire(BLANK_CACHE, CACHE_SECONDS, nx=True)
        pipe.execute()


def _cache_forget(user_id: int) -> None:
    client = shared_redis()
    if client is not None:
        client.delete(_cache_name(user_id))


# ---------------------------------------------------------------- serving


def _dismissed(user_id: int, *, db: Session) -> set[int]:
    return {
        session_id
        for session_id in db.exec(
            select(InteractionEvent.session_id).where(
                InteractionEvent.user_id == user_id, InteractionEvent.kind == InteractionKind.DISMISS
            )
        ).all()
        if session_id is not None
    }


def _path_steps(user_id: int, *, db: Session, now: datetime) -> list[PathStep]:
    """The next steps of the learning paths the learner follows, as the ranking core takes them. Read per request,
    so a step booked or completed moves the boost on; a follow drops the cached list (see paths.actions)."""
    return [PathStep(s.skill, s.level, s.goal) for s in next_steps(user_id, db=db, now=now)]


def recommendations_for(
    user: User, *, db: Session, limit: int = 10, now: datetime | None = None
) -> list[RecommendationPublic]:
    if not 1 <= limit <= 50:
        raise ValidationError("limit must be between 1 and 50.")
    variant = experiments.variant_for(saved_id(user), db=db)
    cache_key = f"{limit}:{variant.name if variant else '-'}"
    cached = _cache_get(saved_id(user), cache_key)
    if cached is not None:
        return [RecommendationPublic.model_validate(item) for item in cached]
    model = MODEL.for_weights(variant.name if variant else "", variant.weights if variant else None, db=db)
    dismissed = _dismissed(saved_id(user), db=db)
    path = _path_steps(saved_id(user), db=db, now=now or utcnow())
    with MODEL.lock:
        blank = not dismissed and not path and model.knows_nothing_about(saved_id(user))
    if blank and (shared := _shared_get(cache_key)) is not None:
        return [RecommendationPublic.model_validate(item) for item in shared]
    with MODEL.lock:
        ranked_at = MODEL.caught_up_to
        ranked = model.recommend(user.id, now=now or utcnow(), limit=limit, exclude=dismissed, path=path)
    sessions = {
        s.id: s
        for s in db.exec(select(LearningSession).where(col(LearningSession.id).in_([r.item_id for r in ranked])))
    }
    public = {p.id: p for p in to_public(list(sessions.values()), db=db)}
    out = [
        RecommendationPublic(
            session=public[r.item_id],
            score=round(r.score, 4),
            components={k: round(v, 4) for k, v in r.components.items()},
            explanation=r.explanation,
        )
        for r in ranked
        if r.item_id in public and public[r.item_id].spots_left > 0
    ]
    dumped = [item.model_dump(mode="json") for item in out]
    if blank:
        _shared_put(cache_key, dumped)
    else:
        _cache_put(saved_id(user), cache_key, dumped, ranked_at)
    return out


def mentor_recommendations_for(user: User, *, db: Session, limit: int = 5) -> list[MentorRecommendationPublic]:
    model = MODEL.get(db=db)
    with MODEL.lock:
        ranked = model.recommend_mentors(user.id, now=utcnow(), limit=limit)
    cards = {}
    for rec in ranked:
        sessions = db.exec(select(LearningSession).where(col(LearningSession.id).in_(rec.upcoming_item_ids))).all()
        if sessions:
            cards[rec.mentor_id] = to_public(list(sessions), db=db)[0].mentor
    return [
        MentorRecommendationPublic(
            mentor=cards[r.mentor_id],
            score=round(r.score, 4),
            explanation=r.explanation,
            upcoming_session_ids=list(r.upcoming_item_ids),
        )
        for r in ranked
        if r.mentor_id in cards
    ]


def trending_sessions(*, db: Session, limit: int = 10) -> list[RecommendationPublic]:
    model = MODEL.get(db=db)
    with MODEL.lock:
        ranked = model.trending(now=utcnow(), limit=limit)
    sessions = db.exec(select(LearningSession).where(col(LearningSession.id).in_([r.item_id for r in ranked]))).all()
    public = {p.id: p for p in to_public(list(sessions), db=db)}
    return [
        RecommendationPublic(
            session=public[r.item_id],
            score=round(r.score, 4),
            components={"trending": round(r.score, 4)},
            explanation=r.explanation,
        )
        for r in ranked
        if r.item_id in public
    ]


def record_feedback(
    user: User, session_id: int, action: str, *, db: Session, source: str = "recommendations"
) -> InteractionEvent:
    kind = FEEDBACK_ACTIONS.get(action)
    if kind is None:
        raise ValidationError(f"Unknown action '{action}'; use one of: {', '.join(FEEDBACK_ACTIONS)}.")
    if db.get(LearningSession, session_id) is None:
        raise NotFoundError("No such session.")
    return interactions.log_interaction(db, saved_id(user), session_id, kind, source=source)


def record_shown(user: User, session_ids: list[int], *, db: Session) -> None:
    """What a learner was shown: their first exposure to a running experiment, and one impression per session.
    Its own short write, after the read that ranked them."""
    variant = experiments.variant_for(saved_id(user), db=db)
    if variant is not None:
        experiments.record_exposure(saved_id(user), variant, db=db)
    interactions.log_impressions(db, saved_id(user), session_ids, source="recommendations")
