"""Mentors as learners judge them before booking: one mentor's profile with the signals the data holds, and the
directory of mentors (filter by skill and words, sort by rating, sessions taught or soonest free seat, paged).

Every signal here is counted from rows that exist: ratings and sessions taught from the mentor profile (kept
current by `booking.reviews.refresh_mentor_rating` and `catalog.actions.complete_session`), learners taught and
repeat learners from attended, completed bookings, replies from reviews, "verified" from the profile's
verification status. Nothing is shown that the data does not say.

The directory reads one page in a constant number of queries: the page of mentors with their next free seat and
the total (one query), then the page's skills (one query).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from peerlearn.booking.public import ReviewPublic
from peerlearn.catalog.public import to_public
from peerlearn.models import Booking, LearningSession, MentorProfile, Profile, Review, SessionSkill, Skill, User
from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.models.enums import AttendanceStatus, BookingStatus, SessionStatus, VerificationStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import NotFoundError, ValidationError
from peerlearn.subscriptions.queries import plan_benefits_subquery, pro_mentor_ids

UPCOMING_LIMIT = 20
TOP_SKILLS = 3
REVIEW_PAGE_SIZE = 5
REVIEW_PAGE_MAX = 50
TAUGHT = (SessionStatus.PUBLISHED, SessionStatus.COMPLETED)  # sessions whose skills a mentor teaches (not drafts)


class MentorSort(StrEnum):
    RECOMMENDED = "recommended"  # the default: a paid plan's directory priority first, then the best rated
    RATING = "rating"  # the best rated, and nothing else (no plan counts)
    SESSIONS_TAUGHT = "sessions_taught"
    SOONEST = "soonest"


class MentorFilters(BaseModel):
    q: str = Field(default="", max_length=200, description="Words in the mentor's name, headline or skills")
    skill: str | None = Field(default=None, max_length=80, description="A skill they teach (its exact name)")
    sort: MentorSort = MentorSort.RECOMMENDED
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class MentorSummary(BaseModel):
    """One mentor in the directory."""

    id: int
    full_name: str
    headline: str = ""
    avatar_url: str = ""
    rating_avg: float = 0.0
    rating_count: int = 0
    sessions_taught: int = 0
    verified: bool = False
    top_skills: list[str] = []
    next_available_at: datetime | None = None  # the start of their soonest published session with a free seat
    open_sessions: int = 0  # upcoming published sessions with a free seat
    pro: bool = False  # their paid plan gives the Pro badge


class MentorDirectoryPage(BaseModel):
    items: list[MentorSummary]
    total: int
    page: int
    page_size: int
    sort: MentorSort


class ReviewPage(BaseModel):
    items: list[ReviewPublic]
    total: int
    page: int
    page_size: int


class MentorProfilePublic(BaseModel):
    """A mentor's public profile: who they are, what they teach, what learners did and said, what is coming up."""

    id: int
    full_name: str
    headline: str = ""
    bio: str = ""
    avatar_url: str = ""
    skills: list[str] = []
    languages: list[str] = []  # the languages of the sessions they teach
    years_experience: int = 0  # as they stated it; 0 when they did not
    verified: bool = False  # the profile's verification status is "verified"
    rating_avg: float = 0.0
    rating_count: int = 0
    sessions_taught: int = 0
    learners_taught: int = 0  # distinct learners who attended a completed session
    repeat_learners: int = 0  # of those, the ones who attended two or more of their sessions
    review_replies: int = 0  # reviews the mentor answered
    member_since: datetime
    pro: bool = False  # their paid plan gives the Pro badge
    upcoming: list[LearningSessionPublic] = []
    reviews: ReviewPage


def parse_mentor_filters(**values: Any) -> MentorFilters:
    """Filters from loose input (query strings, the page's controls); bad values raise a ValidationError."""
    from pydantic import ValidationError as PydanticValidationError

    try:
        return MentorFilters(**{k: v for k, v in values.items() if v not in (None, "")})
    except PydanticValidationError as error:
        item = error.errors()[0]
        where = ".".join(str(p) for p in item["loc"])
        raise ValidationError(f"{where + ': ' if where else ''}{item['msg']}") from None


def _words(q: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in q.lower()).split() if w][:10]


def _listed() -> sa.ColumnElement[bool]:
    """Active mentor accounts with a mentor profile or at least one published session."""
    has_profile = col(MentorProfile.user_id).is_not(None)  # the queries outer-join MentorProfile
    has_session = sa.exists().where(
        col(LearningSession.mentor_id) == col(User.id), col(LearningSession.status) == SessionStatus.PUBLISHED
    )
    return sa.and_(col(User.is_active), col(User.is_mentor), sa.or_(has_profile, has_session))


def _teaches_skill_named(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The mentor has a published or completed session with a skill that meets `condition`."""
    return sa.exists().where(
        col(LearningSession.mentor_id) == col(User.id),
        col(LearningSession.status).in_(TAUGHT),
        col(SessionSkill.session_id) == col(LearningSession.id),
        col(Skill.id) == col(SessionSkill.skill_id),
        condition,
    )


def _expertise_text() -> sa.ColumnElement[str]:
    return func.lower(func.coalesce(sa.cast(MentorProfile.expertise, sa.Text), ""))


def _next_free_seats(now: datetime) -> sa.Subquery:
    return (
        select(
            col(LearningSession.mentor_id).label("mentor_id"),
            func.min(LearningSession.start_at).label("next_at"),
            func.count().label("open_sessions"),
        )
        .where(
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.start_at > now,
            col(LearningSession.seats_taken) < col(LearningSession.capacity),
        )
        .group_by(col(LearningSession.mentor_id))
        .subquery("next_free")
    )


def mentor_directory(filters: MentorFilters, *, db: Session, now: datetime | None = None) -> MentorDirectoryPage:
    now = now or utcnow()
    free = _next_free_seats(now)
    plan = plan_benefits_subquery(now)
    rating = func.coalesce(MentorProfile.rating_avg, 0.0)
    taught = func.coalesce(MentorProfile.sessions_taught, 0)
    query = (
        sa.select(  # more columns than sqlmodel's typed select takes; read as plain rows
            col(User.id),
            col(User.full_name),
            col(MentorProfile.headline),
            rating.label("rating_avg"),
            func.coalesce(MentorProfile.rating_count, 0).label("rating_count"),
            taught.label("sessions_taught"),
            col(MentorProfile.verification_status),
            col(MentorProfile.expertise),
            col(Profile.avatar_url),
            free.c.next_at,
            func.coalesce(free.c.open_sessions, 0).label("open_sessions"),
            func.coalesce(plan.c.pro, 0).label("pro"),
            func.count().over().label("total"),
        )
        .outerjoin(MentorProfile, col(MentorProfile.user_id) == col(User.id))
        .outerjoin(Profile, col(Profile.user_id) == col(User.id))
        .outerjoin(free, free.c.mentor_id == col(User.id))
        .outerjoin(plan, plan.c.mentor_id == col(User.id))
        .where(_listed())
    )
    if filters.skill and filters.skill.strip():
        name = filters.skill.strip().lower()
        query = query.where(
            sa.or_(
                _teaches_skill_named(func.lower(Skill.name) == name),
                _expertise_text().contains(f'"{name}"', autoescape=True),
            )
        )
    for word in _words(filters.q):
        query = query.where(
            sa.or_(
                func.lower(User.full_name).contains(word),
                func.lower(func.coalesce(MentorProfile.headline, "")).contains(word),
                _expertise_text().contains(word),
                _teaches_skill_named(func.lower(Skill.name).contains(word)),
            )
        )
    best_rated = [rating.desc(), func.coalesce(MentorProfile.rating_count, 0).desc(), taught.desc()]
    orders: dict[MentorSort, list[Any]] = {
        # The default sort: a paid plan's directory priority first (not used by learners' recommendations), then
        # exactly the best-rated order; the directory says so under its sort.
        MentorSort.RECOMMENDED: [func.coalesce(plan.c.priority, 0).desc(), *best_rated],
        MentorSort.RATING: best_rated,
        MentorSort.SESSIONS_TAUGHT: [taught.desc(), rating.desc()],
        MentorSort.SOONEST: [free.c.next_at.is_(None), free.c.next_at, rating.desc()],
    }
    rows = (
        db.connection()
        .execute(
            query.order_by(*orders[filters.sort], col(User.id))
            .offset((filters.page - 1) * filters.page_size)
            .limit(filters.page_size)
        )
        .all()
    )
    if rows:
        total = rows[0].total
    else:  # past the last page: count on its own
        total = db.exec(select(func.count()).select_from(query.subquery())).one()
    skills = _skills_taught([row.id for row in rows], db=db)
    items = [
        MentorSummary(
            id=row.id,
            full_name=row.full_name,
            headline=row.headline or "",
            avatar_url=row.avatar_url or "",
            rating_avg=float(row.rating_avg),
            rating_count=int(row.rating_count),
            sessions_taught=int(row.sessions_taught),
            verified=row.verification_status == VerificationStatus.VERIFIED,
            top_skills=_skill_list(skills.get(row.id, []), row.expertise or [])[:TOP_SKILLS],
            next_available_at=row.next_at,
            open_sessions=int(row.open_sessions),
            pro=bool(row.pro),
        )
        for row in rows
    ]
    return MentorDirectoryPage(
        items=items, total=total, page=filters.page, page_size=filters.page_size, sort=filters.sort
    )


def _skills_taught(mentor_ids: list[int], *, db: Session) -> dict[int, list[str]]:
    """Each mentor's skills from their published and completed sessions, the most taught first (one query)."""
    if not mentor_ids:
        return {}
    n = func.count()
    rows = db.exec(
        select(LearningSession.mentor_id, Skill.name, n)
        .join(SessionSkill, col(SessionSkill.session_id) == col(LearningSession.id))
        .join(Skill, col(Skill.id) == col(SessionSkill.skill_id))
        .where(col(LearningSession.mentor_id).in_(mentor_ids), col(LearningSession.status).in_(TAUGHT))
        .group_by(col(LearningSession.mentor_id), col(Skill.name))
        .order_by(col(LearningSession.mentor_id), n.desc(), col(Skill.name))
    ).all()
    out: dict[int, list[str]] = defaultdict(list)
    for mentor_id, name, _ in rows:
        out[mentor_id].append(name)
    return out


def _skill_list(taught: list[str], expertise: list[str]) -> list[str]:
    """The skills they teach most first, then the ones they state and have not taught yet (no repeats)."""
    seen: set[str] = set()
    out = []
    for name in [*taught, *expertise]:
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _listed_mentor(mentor_id: int, *, db: Session) -> User:
    user = db.exec(
        select(User)
        .outerjoin(MentorProfile, col(MentorProfile.user_id) == col(User.id))
        .where(col(User.id) == mentor_id, _listed())
    ).first()
    if user is None:
        raise NotFoundError("No such mentor.")
    return user


def mentor_reviews(mentor_id: int, *, db: Session, page: int = 1, page_size: int = REVIEW_PAGE_SIZE) -> ReviewPage:
    """The mentor's reviews, newest first, one page of them with the total."""
    _listed_mentor(mentor_id, db=db)
    return _review_page(mentor_id, page, page_size, db=db)


def _review_page(mentor_id: int, page: int, page_size: int, *, db: Session) -> ReviewPage:
    if not 1 <= page <= 10_000 or not 1 <= page_size <= REVIEW_PAGE_MAX:
        raise ValidationError(f"Reviews: page is 1 to 10000 and page_size 1 to {REVIEW_PAGE_MAX}.")
    total = db.exec(select(func.count()).select_from(Review).where(Review.mentor_id == mentor_id)).one()
    rows = db.exec(
        select(Review, User.full_name)
        .join(User, col(User.id) == Review.learner_id)
        .where(Review.mentor_id == mentor_id)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = [ReviewPublic.model_validate({**r.model_dump(), "learner_name": name}) for r, name in rows]
    return ReviewPage(items=items, total=total, page=page, page_size=page_size)


def _learner_counts(mentor_id: int, *, db: Session) -> tuple[int, int]:
    """(learners who attended a completed session of the mentor, those who attended two or more)."""
    per_learner = (
        select(Booking.learner_id, func.count(func.distinct(Booking.session_id)).label("sessions"))
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .where(
            LearningSession.mentor_id == mentor_id,
            Booking.status == BookingStatus.COMPLETED,
            Booking.attendance == AttendanceStatus.ATTENDED,
        )
        .group_by(col(Booking.learner_id))
        .subquery()
    )
    learners, repeat = db.exec(
        select(func.count(), func.coalesce(func.sum(sa.case((per_learner.c.sessions >= 2, 1), else_=0)), 0))
    ).one()
    return int(learners), int(repeat)


def mentor_profile(
    mentor_id: int,
    *,
    db: Session,
    now: datetime | None = None,
    review_page: int = 1,
    review_page_size: int = REVIEW_PAGE_SIZE,
) -> MentorProfilePublic:
    """The mentor's public profile; NotFoundError for an id that is no listed mentor."""
    now = now or utcnow()
    user = _listed_mentor(mentor_id, db=db)
    reviews = _review_page(mentor_id, review_page, review_page_size, db=db)
    mentor = db.get(MentorProfile, mentor_id) or MentorProfile(user_id=mentor_id)
    profile = db.get(Profile, mentor_id) or Profile(user_id=mentor_id)
    upcoming = db.exec(
        select(LearningSession)
        .where(
            LearningSession.mentor_id == mentor_id,
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.start_at > now,
        )
        .order_by(col(LearningSession.start_at), col(LearningSession.id))
        .limit(UPCOMING_LIMIT)
    ).all()
    languages = db.exec(
        select(LearningSession.language)
        .where(LearningSession.mentor_id == mentor_id, col(LearningSession.status).in_(TAUGHT))
        .group_by(LearningSession.language)
        .order_by(func.count().desc(), LearningSession.language)
    ).all()
    replies = db.exec(
        select(func.count()).select_from(Review).where(Review.mentor_id == mentor_id, Review.reply != "")
    ).one()
    learners, repeat = _learner_counts(mentor_id, db=db)
    return MentorProfilePublic(
        id=mentor_id,
        full_name=user.full_name,
        headline=mentor.headline,
        bio=profile.bio,
        avatar_url=profile.avatar_url,
        skills=_skill_list(_skills_taught([mentor_id], db=db).get(mentor_id, []), list(mentor.expertise)),
        languages=list(languages),
        years_experience=max(mentor.years_experience, 0),
        verified=mentor.verification_status == VerificationStatus.VERIFIED,
        rating_avg=mentor.rating_avg,
        rating_count=mentor.rating_count,
        sessions_taught=mentor.sessions_taught,
        learners_taught=learners,
        repeat_learners=repeat,
        review_replies=int(replies),
        member_since=user.created_at,
        pro=bool(pro_mentor_ids([mentor_id], now, db=db)),
        upcoming=to_public(list(upcoming), db=db),
        reviews=reviews,
    )
