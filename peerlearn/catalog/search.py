"""Session search: full-text with ranking (PostgreSQL full-text search; a word-matching fallback on
SQLite), facets, sorting and pagination over published sessions that have not started yet."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, Field, model_validator
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from peerlearn.catalog import search_cache
from peerlearn.catalog.public import to_public
from peerlearn.models import Category, LearningSession, MentorProfile, SessionSkill, Skill
from peerlearn.models.catalog import SEARCH_DOCUMENT, LearningSessionPublic
from peerlearn.models.enums import SessionStatus, SkillLevel
from peerlearn.models.types import as_utc, saved_id, utcnow
from peerlearn.platform.errors import ValidationError
from peerlearn.platform.timefmt import valid_zone
from peerlearn.sponsorships import queries as sponsored_placement

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
Sort = Literal["relevance", "soonest", "price", "price_desc", "rating"]
SORTS: tuple[str, ...] = get_args(Sort)


class SessionFilters(BaseModel):
    q: str = Field(default="", max_length=200)
    skill: str | None = Field(default=None, max_length=80)
    category: str | None = Field(default=None, max_length=80)
    level: SkillLevel | None = None
    language: str | None = Field(default=None, max_length=32)
    min_price: int | None = Field(default=None, ge=0)
    max_price: int | None = Field(default=None, ge=0)
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    min_rating: float | None = Field(default=None, ge=0, le=5)
    sort: str = "relevance"
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> SessionFilters:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of: {', '.join(SORTS)}")
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise ValueError("min_price cannot be above max_price")
        if self.starts_after and self.starts_before and as_utc(self.starts_before) < as_utc(self.starts_after):
            raise ValueError("starts_before cannot be earlier than starts_after")
        return self


class SearchResult(BaseModel):
    items: list[LearningSessionPublic]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]] = {}


def _whole_days(values: dict[str, Any], zone: str) -> dict[str, Any]:
    """A bare date ("2026-12-10", a date picker's answer) means that whole day where the person is: "from" its first
    instant, "until" its last, in `zone`. Datetimes are kept as given (naive ones are UTC)."""
    tz = ZoneInfo(valid_zone(zone))
    for name, days_after in (("starts_after", 0), ("starts_before", 1)):
        text = values.get(name)
        if isinstance(text, str) and _DATE_ONLY.fullmatch(text.strip()):
            try:
                day = date.fromisoformat(text.strip())
            except ValueError:
                continue  # not a real day: the validation below says so
            start = datetime.combine(day + timedelta(days=days_after), time.min, tzinfo=tz)
            values[name] = start - timedelta(microseconds=days_after)
    return values


def parse_filters(*, zone: str = "UTC", **values: Any) -> SessionFilters:
    """Filters from loose input (query strings, forms); bad values raise a ValidationError with a clear message.
    `zone`: the viewer's time zone, in which bare dates are read."""
    from pydantic import ValidationError as PydanticValidationError

    values = _whole_days({k: v for k, v in values.items() if v not in (None, "")}, zone)
    try:
        return SessionFilters(**values)
    except PydanticValidationError as error:
        item = error.errors()[0]
        where = ".".join(str(p) for p in item["loc"])
        raise ValidationError(f"{where + ': ' if where else ''}{item['msg'].removeprefix('Value error, ')}") from None


def _words(q: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in q.lower()).split() if len(w) > 1][:10]


def _base_query(filters: SessionFilters, now: datetime) -> SelectOfScalar[int | None]:
    query = (
        select(col(LearningSession.id))
        .outerjoin(MentorProfile, col(MentorProfile.user_id) == LearningSession.mentor_id)
        .where(
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.start_at >= as_utc(filters.starts_after)
            if filters.starts_after
            else LearningSession.start_at > now,
        )
    )
    if filters.starts_before:
        query = query.where(LearningSession.start_at <= as_utc(filters.starts_before))
    if filters.skill:
        query = query.where(
            col(LearningSession.id).in_(
                select(SessionSkill.session_id)
                .join(Skill, col(Skill.id) == SessionSkill.skill_id)
                .where(func.lower(Skill.name) == filters.skill.strip().lower())
            )
        )
    if filters.category:
        query = query.where(
            col(LearningSession.category_id).in_(
                select(Category.id).where(func.lower(Category.name) == filters.category.strip().lower())
            )
        )
    if filters.level:
        query = query.where(LearningSession.level == filters.level)
    if filters.language:
        query = query.where(func.lower(LearningSession.language) == filters.language.strip().lower())
    if filters.min_price is not None:
        query = query.where(LearningSession.price_minor >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(LearningSession.price_minor <= filters.max_price)
    if filters.min_rating is not None:
        query = query.where(func.coalesce(MentorProfile.rating_avg, 0) >= filters.min_rating)
    return query


def _postgres_rank(q: str) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """websearch_to_tsquery against the indexed weighted document (title A, skills and mentor B, description C)."""
    query = func.websearch_to_tsquery("english", q)
    return SEARCH_DOCUMENT.op("@@")(query), func.ts_rank(SEARCH_DOCUMENT, query)


def _sqlite_rank(words: list[str]) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """Every word must appear in the title, description, skills or mentor's name; title and skill hits count more."""
    haystack = func.lower(LearningSession.title + " " + LearningSession.search_tags + " " + LearningSession.description)
    condition = sa.and_(*[haystack.contains(w) for w in words])
    hits = (
        sa.case((func.lower(LearningSession.title).contains(w), 3), else_=0)
        + sa.case((func.lower(LearningSession.search_tags).contains(w), 2), else_=0)
        + 1
        for w in words
    )
    rank = sum(hits, sa.literal(0))
    return condition, rank


def search_sessions(filters: SessionFilters, *, db: Session, now: datetime | None = None) -> SearchResult:
    """A page of results with its total and facets. Identical searches are answered from the cache until the
    catalogue changes; a fresh one costs three round trips for the page and one for the facets."""
    if now is not None:  # a search "as of" another time is never cached
        return _with_sponsored(_search(filters, db=db, now=now), filters, db=db, now=now)
    question = f"{db.get_bind().dialect.name}:{filters.model_dump_json()}"
    page = search_cache.cached(
        "page",
        question,
        lambda: _search(filters, db=db, now=utcnow(), with_facets=False),
        dump=SearchResult.model_dump_json,
        load=SearchResult.model_validate_json,
    )
    facet_question = f"{db.get_bind().dialect.name}:{filters.model_dump_json(exclude={'sort', 'page', 'page_size'})}"
    facets = search_cache.cached(
        "facets",
        facet_question,
        lambda: _facets(_matching(filters, utcnow(), db=db)[0].subquery(), db=db),
        dump=json.dumps,
        load=json.loads,
    )
    return _with_sponsored(page.model_copy(update={"facets": facets}), filters, db=db, now=utcnow())


def _with_sponsored(result: SearchResult, filters: SessionFilters, *, db: Session, now: datetime) -> SearchResult:
    """Sponsored items (labelled `sponsored`) merged into the first page per request, after the cache, so a
    campaign's budget and daily cap hold. Only sessions that are themselves results of this search are candidates
    (peerlearn.sponsorships.rules states the placement and relevance rules)."""
    if filters.page != 1 or not result.items:
        return result

    def matching(ids: list[int]) -> dict[int, str]:
        query = _matching(filters, now, db=db)[0].where(col(LearningSession.id).in_(ids))
        rows = db.exec(
            select(
                LearningSession.id, LearningSession.title, LearningSession.search_tags, LearningSession.description
            ).where(col(LearningSession.id).in_(query.subquery().select()))
        ).all()
        return {int(i or 0): f"{title} {tags} {text}" for i, title, tags, text in rows}

    def load(ids: list[int]) -> list[LearningSessionPublic]:
        rows = {saved_id(s): s for s in db.exec(select(LearningSession).where(col(LearningSession.id).in_(ids)))}
        return [item.model_copy(update={"sponsored": True}) for item in to_public([rows[i] for i in ids], db=db)]

    placed = sponsored_placement.place(
        result.items,
        query=filters.q,
        skill=filters.skill,
        category=filters.category,
        today=now.date(),
        db=db,
        matching=matching,
        load=load,
    )
    return result.model_copy(update={"items": [item for item, _ in placed]})


def _matching(
    filters: SessionFilters, now: datetime, *, db: Session
) -> tuple[SelectOfScalar[int | None], sa.ColumnElement[Any]]:
    query = _base_query(filters, now)
    rank: sa.ColumnElement[Any] = sa.literal(0)
    words = _words(filters.q)
    if words:
        if db.get_bind().dialect.name == "postgresql":
            condition, rank = _postgres_rank(filters.q)
        else:
            condition, rank = _sqlite_rank(words)
        query = query.where(condition)
    return query, rank


def _search(filters: SessionFilters, *, db: Session, now: datetime, with_facets: bool = True) -> SearchResult:
    query, rank = _matching(filters, now, db=db)
    orders: dict[str, list[Any]] = {
        "relevance": [rank.desc(), LearningSession.start_at],
        "soonest": [LearningSession.start_at],
        "price": [LearningSession.price_minor, LearningSession.start_at],
        "price_desc": [col(LearningSession.price_minor).desc(), LearningSession.start_at],
        "rating": [func.coalesce(MentorProfile.rating_avg, 0).desc(), LearningSession.start_at],
    }
    order = orders[filters.sort]
    page = (
        db.connection()  # plain rows of (id, total): no ORM entities to build
        .execute(
            query.add_columns(func.count().over().label("total"))
            .order_by(*order, col(LearningSession.id))
            .offset((filters.page - 1) * filters.page_size)
            .limit(filters.page_size)
        )
        .all()
    )
    page_ids = [row[0] for row in page]
    if page:
        total = page[0][1]
    else:  # past the last page: the total needs its own count
        total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = {saved_id(s): s for s in db.exec(select(LearningSession).where(col(LearningSession.id).in_(page_ids)))}
    items = to_public([rows[i] for i in page_ids if i in rows], db=db)
    facets = _facets(query.subquery(), db=db) if with_facets else {}
    return SearchResult(items=items, total=total, page=filters.page, page_size=filters.page_size, facets=facets)


FACET_SKILLS = 15


def _facets(ids_subquery: sa.Subquery, *, db: Session) -> dict[str, dict[str, int]]:
    """Counts of the current result set by skill, category, level and language, in one round trip."""
    matching = sa.select(ids_subquery.c.id)
    in_results = col(LearningSession.id).in_(matching)
    by_skill: sa.Select[str, Any, int] = (
        sa.select(sa.literal("skills").label("facet"), col(Skill.name).label("value"), func.count().label("n"))
        .join(SessionSkill, col(SessionSkill.skill_id) == col(Skill.id))
        .where(col(SessionSkill.session_id).in_(matching))
        .group_by(Skill.name)
    )
    by_category = (
        sa.select(sa.literal("categories"), col(Category.name), func.count())
        .join(LearningSession, col(LearningSession.category_id) == col(Category.id))
        .where(in_results)
        .group_by(Category.name)
    )
    by_level = (
        sa.select(sa.literal("levels"), sa.cast(LearningSession.level, sa.String), func.count())
        .where(in_results)
        .group_by(LearningSession.level)
    )
    by_language = (
        sa.select(sa.literal("languages"), col(LearningSession.language), func.count())
        .where(in_results)
        .group_by(LearningSession.language)
    )
    facets: dict[str, list[tuple[str, int]]] = {"skills": [], "categories": [], "levels": [], "languages": []}
    rows: sa.CursorResult[str, Any, int] = db.connection().execute(
        sa.union_all(by_skill, by_category, by_level, by_language)
    )
    for facet, value, count in rows.tuples():
        facets[str(facet)].append((str(value), int(count)))
    ordered = {name: dict(sorted(pairs, key=lambda p: (-p[1], p[0]))) for name, pairs in facets.items()}
    ordered["skills"] = dict(list(ordered["skills"].items())[:FACET_SKILLS])
    return ordered
