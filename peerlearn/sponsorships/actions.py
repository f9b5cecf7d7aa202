"""Sponsored placements: buy (prepaid), pause, end early with a refund of the unspent balance, and record
impressions and clicks, each billable one drawn down from the prepaid balance in the ledger.

Ledger (debits positive, credits negative), every transaction summing to zero:
- funding:  SPONSOR_FUNDS +budget,        SPONSOR_PREPAID -budget   (cash in; owed to the mentor until delivered)
- delivery: SPONSOR_PREPAID +charge,      SPONSORED_REVENUE -charge (earned as placements are delivered)
- refund:   SPONSOR_PREPAID +unspent,     SPONSOR_FUNDS -unspent    (cash back to the mentor)
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field, field_validator, model_validator
from sqlmodel import Session, col, func, select

from peerlearn.insights.interactions import log_interaction
from peerlearn.models import LearningSession, LedgerEntry, LedgerTransaction, SponsoredEvent, Sponsorship, User
from peerlearn.models.enums import InteractionKind, LedgerAccount
from peerlearn.models.sponsorship import PricingModel, SponsorshipStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import ErrorCode, NotFoundError, PermissionDeniedError, RuleViolationError
from peerlearn.platform.errors import ValidationError as DomainValidationError
from peerlearn.platform.locks import lock_row
from peerlearn.sponsorships import rules

SOURCE = "sponsored"  # InteractionEvent.source of sponsored impressions and clicks


class SponsorshipCreate(BaseModel):
    session_id: int = Field(ge=1)
    targets: list[str] = Field(default_factory=list, max_length=10, description="Skills or categories")
    starts_on: date
    ends_on: date
    budget_minor: int = Field(gt=0, le=100_000_000)
    daily_cap_minor: int = Field(gt=0, le=100_000_000)
    pricing: PricingModel = PricingModel.CPC
    bid_minor: int = Field(gt=0, le=1_000_000, description="Per click (CPC) or per thousand impressions (CPM)")

    @field_validator("targets")
    @classmethod
    def _clean_targets(cls, targets: list[str]) -> list[str]:
        cleaned = [t.strip() for t in targets if t.strip()]
        if any(len(t) > 80 for t in cleaned):
            raise ValueError("a target is at most 80 characters")
        return cleaned

    @model_validator(mode="after")
    def _consistent(self) -> SponsorshipCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on cannot be before starts_on")
        if self.daily_cap_minor > self.budget_minor:
            raise ValueError("daily_cap_minor cannot be above budget_minor")
        if rules.max_next_charge(self.pricing, self.bid_minor) > self.daily_cap_minor:
            raise ValueError("the daily cap cannot pay for a single click at this bid")
        return self


def _ledger(
    kind: str, memo: str, currency: str, mentor_id: int, moves: list[tuple[LedgerAccount, int]], *, db: Session
) -> LedgerTransaction:
    if sum(amount for _, amount in moves) != 0:
        raise ValueError("a ledger transaction must sum to zero")
    tx = LedgerTransaction(kind=kind, memo=memo)
    db.add(tx)
    db.flush()
    db.add_all(
        LedgerEntry(
            transaction_id=saved_id(tx), account=account, amount_minor=amount, currency=currency, user_id=mentor_id
        )
        for account, amount in moves
    )
    return tx


def _owned(sponsorship_id: int, actor: User, *, db: Session) -> Sponsorship:
    row = lock_row(Sponsorship, sponsorship_id, db=db)
    if row is None or (row.mentor_id != actor.id and not actor.is_admin):
        raise NotFoundError("No such sponsorship.")
    return row


def create_sponsorship(data: SponsorshipCreate, *, actor: User, db: Session, today: date | None = None) -> Sponsorship:
    """A mentor (or an admin for them) buys a placement for one of the mentor's sessions, paid up front.

    Funding is a recorded simulated payment (reference `sim_sponsor_...`) posted to the ledger as a prepaid
    balance; a real gateway checkout for it is not wired yet."""
    today = today or utcnow().date()
    session = db.get(LearningSession, data.session_id)
    if session is None:
        raise NotFoundError("No such session.")
    if session.mentor_id != actor.id and not actor.is_admin:
        raise PermissionDeniedError("Only the session's mentor or an admin can sponsor it.")
    if data.ends_on < today:
        raise DomainValidationError("ends_on is in the past")
    row = Sponsorship(
        mentor_id=session.mentor_id,
        session_id=data.session_id,
        created_by=saved_id(actor),
        targets=data.targets,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        currency=session.currency,
        budget_minor=data.budget_minor,
        daily_cap_minor=data.daily_cap_minor,
        pricing=data.pricing,
        bid_minor=data.bid_minor,
        payment_reference=f"sim_sponsor_{uuid.uuid4().hex}",
    )
    db.add(row)
    db.flush()
    _ledger(
        "sponsorship_funding",
        f"Sponsorship {row.id} funded ({row.payment_reference})",
        row.currency,
        row.mentor_id,
        [(LedgerAccount.SPONSOR_FUNDS, row.budget_minor), (LedgerAccount.SPONSOR_PREPAID, -row.budget_minor)],
        db=db,
    )
    return row


def pause_sponsorship(sponsorship_id: int, *, actor: User, db: Session) -> Sponsorship:
    row = _owned(sponsorship_id, actor, db=db)
    if row.status != SponsorshipStatus.ACTIVE:
        raise RuleViolationError(f"A {row.status} sponsorship cannot be paused.", ErrorCode.INVALID_STATE)
    row.status = SponsorshipStatus.PAUSED
    db.add(row)
    return row


def end_sponsorship(sponsorship_id: int, *, actor: User, db: Session) -> Sponsorship:
    """End a campaign now; whatever of the prepaid balance was not spent goes back to the mentor."""
    row = _owned(sponsorship_id, actor, db=db)
    if row.status == SponsorshipStatus.ENDED:
        raise RuleViolationError("This sponsorship has ended already.", ErrorCode.INVALID_STATE)
    return _end(row, db=db)


def close_finished_sponsorships(*, db: Session, now: datetime | None = None) -> int:
    """Scheduler job: campaigns past their last day, or whose session has started, end with the unspent balance
    refunded."""
    now = now or utcnow()
    rows = db.exec(
        select(Sponsorship)
        .join(LearningSession, col(LearningSession.id) == Sponsorship.session_id)
        .where(
            col(Sponsorship.status).in_([SponsorshipStatus.ACTIVE, SponsorshipStatus.PAUSED]),
            (col(Sponsorship.ends_on) < now.date()) | (col(LearningSession.start_at) <= now),
        )
    ).all()
    for found in rows:
        row = lock_row(Sponsorship, found.id, db=db)
        if row is not None and row.status != SponsorshipStatus.ENDED:
            _end(row, db=db)
    return len(rows)


def _end(row: Sponsorship, *, db: Session) -> Sponsorship:
    unspent = row.budget_minor - row.spent_minor - row.refunded_minor
    if unspent > 0:
        _ledger(
            "sponsorship_refund",
            f"Sponsorship {row.id} unspent balance refunded",
            row.currency,
            row.mentor_id,
            [(LedgerAccount.SPONSOR_PREPAID, unspent), (LedgerAccount.SPONSOR_FUNDS, -unspent)],
            db=db,
        )
        row.refunded_minor += unspent
    row.status = SponsorshipStatus.ENDED
    row.ended_at = utcnow()
    db.add(row)
    return row


def pacing(row: Sponsorship, today: date) -> rules.Pacing:
    spent_today = row.spent_today_minor if row.spent_day == today else 0
    return rules.Pacing(row.budget_minor, row.spent_minor, row.daily_cap_minor, spent_today)


def deliverable(row: Sponsorship, today: date) -> bool:
    """Shown now: active, within its dates, and the budget and today's cap can pay for the next event."""
    return (
        row.status == SponsorshipStatus.ACTIVE
        and rules.in_flight(row.starts_on, row.ends_on, today)
        and rules.can_deliver(pacing(row, today), next_charge_minor=rules.max_next_charge(row.pricing, row.bid_minor))
    )


def _draw_down(row: Sponsorship, charge: int, today: date, *, db: Session) -> bool:
    if charge <= 0:
        return True
    if not deliverable(row, today) or charge > rules.remaining(pacing(row, today)):
        return False
    row.spent_today_minor = pacing(row, today).spent_today_minor + charge
    row.spent_day = today
    row.spent_minor += charge
    _ledger(
        "sponsored_delivery",
        f"Sponsorship {row.id} delivered",
        row.currency,
        row.mentor_id,
        [(LedgerAccount.SPONSOR_PREPAID, charge), (LedgerAccount.SPONSORED_REVENUE, -charge)],
        db=db,
    )
    return True


def record_impression(
    sponsorship_id: int, *, user_id: int | None, client_key: str = "", db: Session, now: datetime | None = None
) -> SponsoredEvent | None:
    """One sponsored item shown; a CPM campaign pays its share of the per-thousand bid. None when the campaign can
    no longer be delivered (paused, ended, out of dates, budget or today's cap spent)."""
    now = now or utcnow()
    row = lock_row(Sponsorship, sponsorship_id, db=db)
    if row is None or not deliverable(row, now.date()):
        return None
    charge = rules.cpm_charge(row.bid_minor, row.impressions) if row.pricing == PricingModel.CPM else 0
    if not _draw_down(row, charge, now.date(), db=db):
        return None
    row.impressions += 1
    db.add(row)
    event = SponsoredEvent(
        sponsorship_id=saved_id(row),
        user_id=user_id,
        kind=InteractionKind.IMPRESSION,
        charge_minor=charge,
        billed=charge > 0,
        client_key=client_key[:64],
        created_at=now,
    )
    db.add(event)
    if user_id is not None:
        log_interaction(db, user_id, row.session_id, InteractionKind.IMPRESSION, source=SOURCE)
    return event


def record_click(
    sponsorship_id: int, *, user_id: int | None, client_key: str = "", db: Session, now: datetime | None = None
) -> SponsoredEvent:
    """A click on a sponsored item, always logged; billed (CPC) only when it is the learner's first on this
    campaign today, the learner or client is not clicking like a bot, and the budget and today's cap allow."""
    now = now or utcnow()
    row = lock_row(Sponsorship, sponsorship_id, db=db)
    if row is None:
        raise NotFoundError("No such sponsorship.")
    day_start = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    clicks = select(func.count()).select_from(SponsoredEvent).where(SponsoredEvent.kind == InteractionKind.CLICK)
    same_today = (
        db.exec(
            clicks.where(
                SponsoredEvent.sponsorship_id == row.id,
                SponsoredEvent.user_id == user_id,
                SponsoredEvent.created_at >= day_start,
            )
        ).one()
        if user_id is not None
        else 0
    )
    who = col(SponsoredEvent.user_id) == user_id if user_id is not None else SponsoredEvent.client_key == client_key
    recent = (
        db.exec(clicks.where(who, SponsoredEvent.created_at > now - timedelta(minutes=1))).one()
        if user_id is not None or client_key
        else 0
    )
    billed, reason = rules.click_billable(same_learner_today=same_today, recent_clicks_last_minute=recent)
    charge = rules.cpc_charge(row.bid_minor) if row.pricing == PricingModel.CPC else 0
    if billed and charge and not _draw_down(row, charge, now.date(), db=db):
        billed, reason = False, "not_delivering"
    row.clicks += 1
    db.add(row)
    event = SponsoredEvent(
        sponsorship_id=saved_id(row),
        user_id=user_id,
        kind=InteractionKind.CLICK,
        charge_minor=charge if billed else 0,
        billed=billed and charge > 0,
        reason=reason,
        client_key=client_key[:64],
        created_at=now,
    )
    db.add(event)
    db.flush()
    if user_id is not None:
        log_interaction(db, user_id, row.session_id, InteractionKind.CLICK, source=SOURCE)
    return event
