"""Sponsored placements against the database: prepaid funding and refund in a balanced ledger, delivery stopping
at the budget and the daily cap, click de-dup and the bot rule, the mentor's report, and the Discover merge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.catalog.search import parse_filters, search_sessions
from peerlearn.models import LedgerEntry, Sponsorship, User
from peerlearn.models.enums import LedgerAccount
from peerlearn.models.sponsorship import PricingModel, SponsorshipStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import PermissionDeniedError, RuleViolationError
from peerlearn.sponsorships import actions, queries
from peerlearn.ui.format.catalog import session_card
from tests.factories import make_session, make_user


@pytest.fixture(autouse=True)
def _fresh_active_set() -> Iterator[None]:
    queries.clear_active_cache()
    yield
    queries.clear_active_cache()


def buy(db: Session, mentor: User, session_id: int, **fields) -> Sponsorship:
    today = utcnow().date()
    data = actions.SponsorshipCreate(
        session_id=session_id,
        starts_on=fields.pop("starts_on", today),
        ends_on=fields.pop("ends_on", today + timedelta(days=14)),
        budget_minor=fields.pop("budget_minor", 1000),
        daily_cap_minor=fields.pop("daily_cap_minor", 1000),
        bid_minor=fields.pop("bid_minor", 100),
        **fields,
    )
    row = actions.create_sponsorship(data, actor=mentor, db=db)
    db.commit()
    queries.clear_active_cache()
    return row


def balance(db: Session, account: LedgerAccount) -> int:
    return db.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(LedgerEntry.account == account)
    ).one()


def test_prepaid_balance_and_refund_of_the_unspent_part(db: Session) -> None:
    mentor = make_user(db, mentor=True)
    campaign = buy(db, mentor, make_session(db, mentor), budget_minor=1000, bid_minor=100)
    assert balance(db, LedgerAccount.SPONSOR_PREPAID) == -1000  # owed to the mentor until delivered
    learners = [make_user(db) for _ in range(3)]
    for learner in learners:
        assert actions.record_click(campaign.id, user_id=learner.id, db=db).billed
    db.commit()
    ended = actions.end_sponsorship(campaign.id, actor=mentor, db=db)
    db.commit()
    assert ended.status == SponsorshipStatus.ENDED
    assert (ended.spent_minor, ended.refunded_minor) == (300, 700)
    assert balance(db, LedgerAccount.SPONSOR_PREPAID) == 0
    assert balance(db, LedgerAccount.SPONSORED_REVENUE) == -300
    assert balance(db, LedgerAccount.SPONSOR_FUNDS) == 300  # 1000 in, 700 back
    assert unbalanced_transactions(db=db) == []
    with pytest.raises(RuleViolationError):
        actions.end_sponsorship(campaign.id, actor=mentor, db=db)  # no second refund


def test_budget_exhaustion_stops_delivery(db: Session) -> None:
    mentor = make_user(db, mentor=True)
    campaign = buy(db, mentor, make_session(db, mentor), budget_minor=250, daily_cap_minor=250, bid_minor=100)
    billed = [actions.record_click(campaign.id, user_id=make_user(db).id, db=db).billed for _ in range(4)]
    db.commit()
    assert billed == [True, True, False, False]
    db.refresh(campaign)
    assert campaign.spent_minor == 200  # 50 left cannot pay for a 100 click
    assert actions.record_impression(campaign.id, user_id=None, db=db) is None  # no longer shown
    queries.clear_active_cache()
    assert queries.active_candidates(utcnow().date(), db=db) == []


def test_daily_cap_pauses_until_the_next_day(db: Session) -> None:
    mentor = make_user(db, mentor=True)
    campaign = buy(db, mentor, make_session(db, mentor), budget_minor=1000, daily_cap_minor=200, bid_minor=100)
    now = utcnow()
    for _ in range(3):
        actions.record_click(campaign.id, user_id=make_user(db).id, db=db, now=now)
    db.refresh(campaign)
    assert campaign.spent_minor == 200
    assert actions.record_impression(campaign.id, user_id=None, db=db, now=now) is None
    tomorrow = now + timedelta(days=1)
    assert actions.record_click(campaign.id, user_id=make_user(db).id, db=db, now=tomorrow).billed
    assert actions.record_impression(campaign.id, user_id=None, db=db, now=tomorrow) is not None


def test_clicks_are_deduplicated_per_learner_per_day_and_bots_not_billed(db: Session) -> None:
    mentor, learner = make_user(db, mentor=True), make_user(db)
    campaign = buy(db, mentor, make_session(db, mentor), bid_minor=10, daily_cap_minor=1000)
    now = utcnow()
    first = actions.record_click(campaign.id, user_id=learner.id, db=db, now=now)
    again = actions.record_click(campaign.id, user_id=learner.id, db=db, now=now + timedelta(seconds=5))
    assert (first.billed, again.billed, again.reason) == (True, False, "duplicate")
    assert actions.record_click(campaign.id, user_id=learner.id, db=db, now=now + timedelta(days=1)).billed
    reasons = [
        actions.record_click(campaign.id, user_id=None, client_key="1.2.3.4", db=db, now=now + timedelta(seconds=s))
        for s in range(7)
    ]
    assert [e.billed for e in reasons] == [True] * 5 + [False] * 2
    assert reasons[-1].reason == "bot"
    db.refresh(campaign)
    assert campaign.spent_minor == 10 * 7  # two learner-days + five non-bot anonymous clicks


def test_cpm_draws_down_per_impression_and_report_shows_delivery(db: Session) -> None:
    mentor = make_user(db, mentor=True)
    campaign = buy(db, mentor, make_session(db, mentor), pricing=PricingModel.CPM, bid_minor=500)
    for _ in range(1000):
        actions.record_impression(campaign.id, user_id=None, db=db)
    db.commit()
    report = queries.report(db.get(Sponsorship, campaign.id), db=db)
    assert (report.impressions, report.spent_minor, report.balance_minor) == (1000, 500, 500)
    assert unbalanced_transactions(db=db) == []


def test_pause_and_permissions(db: Session) -> None:
    mentor, other = make_user(db, mentor=True), make_user(db, mentor=True)
    session_id = make_session(db, mentor)
    with pytest.raises(PermissionDeniedError):
        buy(db, other, session_id)
    campaign = buy(db, mentor, session_id)
    assert actions.pause_sponsorship(campaign.id, actor=mentor, db=db).status == SponsorshipStatus.PAUSED
    assert actions.record_impression(campaign.id, user_id=None, db=db) is None
    assert [s.id for s in queries.list_sponsorships(actor=other, db=db)] == []
    assert [s.id for s in queries.list_sponsorships(actor=mentor, db=db)] == [campaign.id]
    admin = make_user(db, admin=True)
    for_them = buy(db, admin, make_session(db, other, start_in=timedelta(days=5)))  # an admin buys for a mentor
    assert (for_them.mentor_id, for_them.created_by) == (other.id, admin.id)
    assert {s.id for s in queries.list_sponsorships(actor=admin, db=db)} == {campaign.id, for_them.id}


def test_discover_labels_the_sponsored_item_and_respects_relevance(db: Session) -> None:
    mentor, sponsor = make_user(db, mentor=True), make_user(db, mentor=True)
    for i in range(6):
        make_session(db, mentor, title=f"Python basics {i}", start_in=timedelta(days=1, hours=i))
    far = make_session(db, sponsor, title="Python for data", start_in=timedelta(days=20))
    guitar = make_session(db, sponsor, title="Guitar chords", skills=["Guitar"], start_in=timedelta(days=21))
    buy(db, sponsor, far, targets=["Python"])
    buy(db, sponsor, guitar)
    page = search_sessions(parse_filters(q="python", page_size=5), db=db)
    flags = [(item.id, item.sponsored) for item in page.items]
    assert flags[1] == (far, True)  # second, never above the first organic result
    assert sum(s for _, s in flags) == 1
    assert [session_card(item, "UTC").sponsored for item in page.items][:2] == [False, True]  # the card's label
    assert guitar not in [i for i, _ in flags]  # below the relevance floor: not a result of this search
    assert search_sessions(parse_filters(q="python", page=2, page_size=5), db=db).items[0].sponsored is False
    soon = parse_filters(q="python", starts_before=(utcnow() + timedelta(days=10)).isoformat())
    assert not any(item.sponsored for item in search_sessions(soon, db=db).items)  # filters apply to it too
    assert search_sessions(parse_filters(q="zzzunmatched"), db=db).items == []  # nothing organic: nothing sponsored
    cached = search_sessions(parse_filters(q="python", page_size=5), db=db)
    assert [(i.id, i.sponsored) for i in cached.items] == flags  # the cache keeps the organic page only


def test_finished_campaigns_end_with_their_balance_refunded(db: Session) -> None:
    mentor = make_user(db, mentor=True)
    today = utcnow().date()
    running = buy(db, mentor, make_session(db, mentor, start_in=timedelta(days=30)), ends_on=today + timedelta(days=9))
    over = buy(db, mentor, make_session(db, mentor, start_in=timedelta(days=3)), ends_on=today + timedelta(days=1))
    actions.record_click(over.id, user_id=make_user(db).id, db=db)
    db.commit()
    assert actions.close_finished_sponsorships(db=db, now=utcnow() + timedelta(days=2)) == 1
    db.commit()
    db.refresh(running)
    db.refresh(over)
    assert (running.status, over.status) == (SponsorshipStatus.ACTIVE, SponsorshipStatus.ENDED)
    assert over.refunded_minor == over.budget_minor - over.spent_minor == 900
    assert unbalanced_transactions(db=db) == []
