"""/api/payments/...: provider webhooks (signature first), the Razorpay callback, a learner's payments."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel

from peerlearn.api.deps import DB, Admin, CurrentUser, Mentor, route
from peerlearn.api.errors import AUTHENTICATED, PUBLIC, WEBHOOK, error_body
from peerlearn.api.params import Id
from peerlearn.billing import coupons
from peerlearn.billing import payments as payment_service
from peerlearn.billing.coupons import CouponCreate
from peerlearn.billing.earnings import (
    Balance,
    batch_csv,
    create_payout_batch,
    mark_batch_paid,
    mentor_balances,
    payout_total,
)
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import EventNotReadyError
from peerlearn.billing.payouts import PayoutPublic, PayoutRequest, payout_history, request_payout
from peerlearn.billing.public import PaymentPublic, payment_public
from peerlearn.billing.receipts import receipt_for, receipt_pdf
from peerlearn.db import session_scope
from peerlearn.models.types import saved_id
from peerlearn.payments.base import PaymentError, SignatureError

router = APIRouter(tags=["payments"])


async def _webhook(provider: str, request: Request) -> JSONResponse:
    raw = await request.body()
    try:
        with session_scope() as db:
            outcome = payment_service.handle_webhook(provider, raw, dict(request.headers), db=db)
    except SignatureError as error:
        return JSONResponse(error_body("signature_invalid", str(error)), 400)
    except EventNotReadyError as error:
        return JSONResponse(error_body("event_not_ready", error.message), 409)
    except PaymentError as error:
        return JSONResponse(error_body(error.code, str(error)), 400)
    return JSONResponse({"received": True, "outcome": outcome})


@route(router, "POST", "/api/payments/stripe/webhook/", responses=WEBHOOK)
async def stripe_webhook(request: Request) -> JSONResponse:
    return await _webhook("stripe", request)


@route(router, "POST", "/api/payments/razorpay/webhook/", responses=WEBHOOK)
async def razorpay_webhook(request: Request) -> JSONResponse:
    return await _webhook("razorpay", request)


@route(router, "POST", "/api/payments/simulated/webhook/", responses=WEBHOOK)
async def simulated_webhook(request: Request) -> JSONResponse:
    return await _webhook("simulated", request)


@route(router, "GET", "/api/payments/razorpay/callback/", responses=PUBLIC)
def razorpay_callback(request: Request, db: DB) -> RedirectResponse:
    """Razorpay sends the payer back here; the signature is checked against the link id stored at creation."""
    booking_id = payment_service.verify_razorpay_callback(dict(request.query_params), db=db)
    suffix = f"/bookings/{booking_id}?paid=1" if booking_id else "/dashboard?payment=unverified"
    return RedirectResponse(suffix, status_code=303)  # a path: the payer stays on the host they came back to


@route(router, "GET", "/api/payments/", response_model=list[PaymentPublic], responses=AUTHENTICATED)
def my_payments(user: CurrentUser, db: DB) -> list[PaymentPublic]:
    return [payment_public(p) for p in payment_service.payments_of(user, db=db)]


@route(router, "GET", "/api/payments/{payment_id}/receipt/", responses=AUTHENTICATED)
def receipt(payment_id: Id, user: CurrentUser, db: DB) -> Response:
    """The receipt as a PDF download, platform fee shown."""
    data = receipt_for(payment_id, user, db=db)
    return Response(
        receipt_pdf(data),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="peerlearn-receipt-{data.number}.pdf"'},
    )


@route(router, "GET", "/api/mentor/earnings/", responses=AUTHENTICATED)
def mentor_earnings(mentor: Mentor, db: DB) -> list[Balance]:
    return mentor_balances(saved_id(mentor), db=db)


@route(router, "GET", "/api/payouts/", response_model=list[PayoutPublic], responses=AUTHENTICATED)
def my_payouts(mentor: Mentor, db: DB) -> list[PayoutPublic]:
    """The mentor's payouts, newest first (status `draft`: on its way; `paid`)."""
    return payout_history(saved_id(mentor), db=db)


@route(router, "POST", "/api/payouts/", status_code=201, response_model=PayoutPublic, responses=AUTHENTICATED)
def ask_for_payout(data: PayoutRequest, mentor: Mentor, db: DB) -> PayoutPublic:
    """Pay out `amount_minor` (all when left out) of the available balance in `currency`; 409
    `payout_over_available` above it, 409 `payout_below_minimum` under the minimum."""
    return PayoutPublic.model_validate(request_payout(mentor, data.currency, data.amount_minor, db=db))


@route(router, "POST", "/api/admin/payouts/", status_code=201, responses=AUTHENTICATED)
def create_payouts(admin: Admin, db: DB) -> dict:
    batch = create_payout_batch(admin, db=db)
    return {"batch_id": batch.id, "status": batch.status, "total_minor_by_batch": payout_total(saved_id(batch), db=db)}


@route(router, "POST", "/api/admin/payouts/{batch_id}/paid/", responses=AUTHENTICATED)
def payouts_paid(batch_id: Id, admin: Admin, db: DB) -> dict:
    batch = mark_batch_paid(batch_id, db=db)
    return {"batch_id": batch.id, "status": batch.status}


@route(router, "GET", "/api/admin/payouts/{batch_id}/export/", responses=AUTHENTICATED)
def payouts_csv(batch_id: Id, admin: Admin, db: DB) -> Response:
    return Response(
        batch_csv(batch_id, db=db),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="payouts-{batch_id}.csv"'},
    )


@route(router, "POST", "/api/admin/coupons/", status_code=201, responses=AUTHENTICATED)
def create_coupon(data: CouponCreate, admin: Admin, db: DB) -> dict:
    coupon = coupons.create_coupon(data, db=db)
    return {
        "id": coupon.id,
        "code": coupon.code,
        "kind": coupon.kind,
        "value": coupon.value,
        "max_uses": coupon.max_uses,
    }


@route(router, "GET", "/api/admin/ledger/health/", responses=AUTHENTICATED)
def ledger_health(admin: Admin, db: DB) -> dict:
    unbalanced = unbalanced_transactions(db=db)
    return {
        "balanced": not unbalanced,
        "unbalanced": [{"transaction_id": t, "currency": c, "sum_minor": s} for t, c, s in unbalanced],
    }


class PaymentForReview(BaseModel):
    id: int
    booking_id: int
    learner_id: int
    provider: str
    provider_ref: str
    amount_minor: int
    learner_fee_minor: int
    currency: str
    review_reason: str
    flagged_at: str


@route(router, "GET", "/api/admin/payments/review/", response_model=list[PaymentForReview], responses=AUTHENTICATED)
def payments_for_review(admin: Admin, db: DB) -> list[PaymentForReview]:
    """Payments not confirmed because the provider reported another amount or currency. 401/403: not an admin."""
    return [
        PaymentForReview(
            id=p.id,
            booking_id=p.booking_id,
            learner_id=p.learner_id,
            provider=p.provider,
            provider_ref=p.provider_ref,
            amount_minor=p.amount_minor,
            learner_fee_minor=p.learner_fee_minor,
            currency=p.currency,
            review_reason=p.review_reason,
            flagged_at=p.flagged_at.isoformat() if p.flagged_at else "",
        )
        for p in payment_service.payments_needing_review(db=db)
    ]
