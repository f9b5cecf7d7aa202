"""Pure rules for sponsored placements: where a sponsored item may go in a page of organic results,
whether it is relevant enough to show, pacing against budget and daily cap, what an impression or a click
costs, and which clicks are billed. No database, no clock: callers pass the facts in.

Relevance (the floor), concretely: a sponsored session is a candidate for a search only when
1. the session itself is a result of the same search (every filter and every query word matches it; the
   caller checks this with the same SQL as the organic search), and
2. the campaign's targets overlap what was asked: a campaign targeting skills or categories is shown only
   when the search names one of them (skill or category filter, or a query word equal to a target word),
   or when the search names nothing at all (a bare browse of Discover). A campaign with no targets relies on
   rule 1 alone.
The relevance score is the share of query words found in the session's own text (title, skills, category);
rule 1 makes it 1.0 for every candidate, and RELEVANCE_FLOOR states that nothing less is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from peerlearn.money import prorate

# 1-based ranks a sponsored item may take: at most 1 in the top 5 and 2 in the top 10, never first.
SLOT_RANKS: tuple[int, ...] = (2, 7)
RELEVANCE_FLOOR = 1.0
IMPRESSIONS_PER_CPM = 1000
BOT_CLICKS_PER_MINUTE = 5  # more clicks than this in one minute from one learner or client are not billed
ATTRIBUTION_WINDOW = timedelta(days=7)

T = TypeVar("T")


def _terms(text: str) -> set[str]:
    return {w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split() if len(w) > 1}


def relevance(query: str, session_text: str) -> float:
    """Share of the query's words found in the session's text; 1.0 for an empty query."""
    wanted = _terms(query)
    if not wanted:
        return 1.0
    return len(wanted & _terms(session_text)) / len(wanted)


def targets_match(targets: Iterable[str], *, query: str, skill: str | None, category: str | None) -> bool:
    """Rule 2 of the module docstring: targeting must overlap what the search names."""
    wanted = {t.strip().lower() for t in targets if t.strip()}
    if not wanted:
        return True
    named = {v.strip().lower() for v in (skill, category) if v and v.strip()}
    words = _terms(query)
    if not named and not words:
        return True  # a bare browse: any relevant campaign may show
    if named & wanted:
        return True
    return any(_terms(target) and _terms(target) <= words for target in wanted)


def is_relevant(
    targets: Iterable[str],
    session_text: str,
    *,
    query: str,
    skill: str | None = None,
    category: str | None = None,
    floor: float = RELEVANCE_FLOOR,
) -> bool:
    return relevance(query, session_text) >= floor and targets_match(
        targets, query=query, skill=skill, category=category
    )


def merge(organic: Sequence[T], sponsored: Sequence[T], *, key: str = "id") -> list[tuple[T, bool]]:
    """The page with sponsored items in their slots, as (item, is_sponsored).

    - nothing organic: nothing sponsored either;
    - a sponsored item never comes first, and at most one sits in the top 5 and two in the top 10;
    - a slot is filled only when every rank above it is filled (no sponsored item trails a short page
      past where organic results end, except right after them);
    - an item already on the organic page, or already placed, is not shown twice.
    """
    if not organic:
        return []
    seen = {getattr(item, key) for item in organic}
    queue = []
    for item in sponsored:
        ident = getattr(item, key)
        if ident not in seen:
            seen.add(ident)
            queue.append(item)
    page: list[tuple[T, bool]] = [(item, False) for item in organic]
    for rank in SLOT_RANKS:
        if not queue:
            break
        index = rank - 1
        if index > len(page):
            break
        page.insert(index, (queue.pop(0), True))
    return page


@dataclass(frozen=True)
class Pacing:
    budget_minor: int
    spent_minor: int
    daily_cap_minor: int
    spent_today_minor: int


def remaining(p: Pacing) -> int:
    """What may still be spent now: the smaller of the budget left and the day's cap left."""
    return max(0, min(p.budget_minor - p.spent_minor, p.daily_cap_minor - p.spent_today_minor))


def can_deliver(p: Pacing, *, next_charge_minor: int) -> bool:
    """Delivery stops once the budget or today's cap cannot pay for the next billable event."""
    return remaining(p) >= max(1, next_charge_minor)


def in_flight(starts_on: date, ends_on: date, today: date) -> bool:
    return starts_on <= today <= ends_on


def cpc_charge(bid_minor: int) -> int:
    """A billed click costs the bid."""
    return bid_minor


def cpm_charge(bid_minor: int, impressions_before: int) -> int:
    """The share of the per-thousand bid for the next impression, rounded so that every thousand impressions
    cost exactly the bid (cumulative rounding through money.prorate)."""
    return prorate(1, IMPRESSIONS_PER_CPM, bid_minor, already=impressions_before % IMPRESSIONS_PER_CPM)


def max_next_charge(pricing: str, bid_minor: int) -> int:
    """The most the next billable event can cost: the bid for a click, a thousandth of it (rounded up) for CPM."""
    if pricing == "cpc":
        return bid_minor
    return -(-bid_minor // IMPRESSIONS_PER_CPM)


def click_billable(*, same_learner_today: int, recent_clicks_last_minute: int) -> tuple[bool, str]:
    """(billed, reason). The learner's first click on a campaign each UTC day is billed; later ones that day are
    duplicates. A learner or client clicking more than BOT_CLICKS_PER_MINUTE times a minute is treated as a bot."""
    if recent_clicks_last_minute >= BOT_CLICKS_PER_MINUTE:
        return False, "bot"
    if same_learner_today > 0:
        return False, "duplicate"
    return True, ""


def attributed(click_at: datetime, booked_at: datetime) -> bool:
    """A booking counts for a campaign when it comes within 7 days after a click on it."""
    return click_at <= booked_at <= click_at + ATTRIBUTION_WINDOW
