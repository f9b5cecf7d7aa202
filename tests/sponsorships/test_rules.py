"""Sponsored placement rules, without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from peerlearn.sponsorships import rules


@dataclass(frozen=True)
class Item:
    id: int


def organic(n: int) -> list[Item]:
    return [Item(i) for i in range(1, n + 1)]


def sponsored(*ids: int) -> list[Item]:
    return [Item(i) for i in ids]


def ranks(page: list[tuple[Item, bool]]) -> list[int]:
    return [rank for rank, (_, is_sponsored) in enumerate(page, start=1) if is_sponsored]


def test_at_most_one_in_top_five_and_two_in_top_ten() -> None:
    page = rules.merge(organic(20), sponsored(101, 102, 103, 104))
    assert ranks(page) == [2, 7]
    top5 = [s for _, s in page[:5]]
    top10 = [s for _, s in page[:10]]
    assert sum(top5) == 1 and sum(top10) == 2
    assert len(page) == 22


def test_never_above_the_first_organic_result() -> None:
    page = rules.merge(organic(1), sponsored(101, 102))
    assert [(i.id, s) for i, s in page] == [(1, False), (101, True)]


def test_nothing_organic_means_nothing_sponsored() -> None:
    assert rules.merge([], sponsored(101, 102)) == []


def test_a_session_already_on_the_page_is_not_shown_twice() -> None:
    page = rules.merge(organic(10), sponsored(3, 3, 101))
    ids = [i.id for i, _ in page]
    assert len(ids) == len(set(ids))
    assert [i.id for i, s in page if s] == [101]


def test_relevance_floor_query_words_and_targets() -> None:
    text = "Intro to Python programming python data"
    assert rules.is_relevant([], text, query="python")
    assert not rules.is_relevant([], text, query="python guitar")  # half the words: below the floor
    assert rules.is_relevant(["Python"], text, query="python")
    assert not rules.is_relevant(["Guitar"], text, query="python")  # targets elsewhere
    assert rules.is_relevant(["Data Science"], text, query="", category="data science")
    assert rules.is_relevant(["Guitar"], text, query="")  # a bare browse


def test_pacing_stops_at_budget_and_daily_cap() -> None:
    fresh = rules.Pacing(budget_minor=1000, spent_minor=0, daily_cap_minor=300, spent_today_minor=0)
    assert rules.can_deliver(fresh, next_charge_minor=100)
    capped = rules.Pacing(budget_minor=1000, spent_minor=300, daily_cap_minor=300, spent_today_minor=300)
    assert not rules.can_deliver(capped, next_charge_minor=100)
    spent = rules.Pacing(budget_minor=1000, spent_minor=950, daily_cap_minor=5000, spent_today_minor=0)
    assert rules.remaining(spent) == 50
    assert not rules.can_deliver(spent, next_charge_minor=100)


def test_cpm_thousand_impressions_cost_exactly_the_bid() -> None:
    charges = [rules.cpm_charge(1234, n) for n in range(2000)]
    assert sum(charges[:1000]) == 1234 and sum(charges) == 2468
    assert max(charges) <= rules.max_next_charge("cpm", 1234) == 2
    assert rules.cpc_charge(75) == rules.max_next_charge("cpc", 75) == 75


def test_click_dedup_and_bot_rule() -> None:
    assert rules.click_billable(same_learner_today=0, recent_clicks_last_minute=0) == (True, "")
    assert rules.click_billable(same_learner_today=1, recent_clicks_last_minute=1) == (False, "duplicate")
    assert rules.click_billable(same_learner_today=0, recent_clicks_last_minute=5) == (False, "bot")


def test_attribution_window_is_seven_days() -> None:
    click = datetime(2026, 12, 1, tzinfo=UTC)
    assert rules.attributed(click, click + timedelta(days=6, hours=23))
    assert not rules.attributed(click, click + timedelta(days=7, seconds=1))
    assert not rules.attributed(click, click - timedelta(seconds=1))
