"""Receipts for payments and their refunds, as data and as a PDF (fpdf2), service fee and platform fee shown."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from pydantic import BaseModel
from sqlmodel import Session, col, select

from peerlearn.billing.fees import SERVICE_FEE_LABEL
from peerlearn.models import Booking, LearningSession, Payment, Refund, User
from peerlearn.models.enums import RefundStatus
from peerlearn.models.types import linked_row
from peerlearn.money import format_money
from peerlearn.platform.errors import NotFoundError
from peerlearn.platform.timefmt import format_local, user_zone


class ReceiptLine(BaseModel):
    label: str
    amount: str


class Receipt(BaseModel):
    number: str
    issued_at: datetime
    learner_name: str
    learner_email: str
    session_title: str
    session_start_at: datetime
    mentor_name: str
    provider: str
    status: str
    lines: list[ReceiptLine]
    total: str
    timezone: str = "UTC"  # the learner's: the PDF quotes its times there


def charge_lines(price_minor: int, discount_minor: int, fee_minor: int, currency: str) -> list[ReceiptLine]:
    """What a learner pays, line by line: the session's price, the coupon, the service fee, and the total.

    The same lines on the checkout page, the booking's confirmation and the receipt.
    """

    def money(amount: int) -> str:
        return format_money(amount, currency)

    lines = [ReceiptLine(label="Session price", amount=money(price_minor))]
    if discount_minor:
        lines.append(ReceiptLine(label="Coupon discount", amount=money(-discount_minor)))
    if fee_minor:
        lines.append(ReceiptLine(label=SERVICE_FEE_LABEL, amount=money(fee_minor)))
    lines.append(ReceiptLine(label="Total", amount=money(max(price_minor - discount_minor, 0) + fee_minor)))
    return lines


def charge_sentence(price_minor: int, discount_minor: int, fee_minor: int, currency: str) -> str:
    """The same as one sentence, for a notification or an e-mail: 'You paid $25.63 (...)'."""
    lines = charge_lines(price_minor, discount_minor, fee_minor, currency)
    parts = ", ".join(f"{line.label.lower()} {line.amount}" for line in lines[:-1])
    return f"You paid {lines[-1].amount} ({parts})."


def receipt_for(payment_id: int, viewer: User, *, db: Session) -> Receipt:
    payment = db.get(Payment, payment_id)
    if payment is None or (payment.learner_id != viewer.id and not viewer.is_admin):
        raise NotFoundError("No such payment.")
    booking = linked_row(Booking, payment.booking_id, db=db)
    session = linked_row(LearningSession, booking.session_id, db=db)
    learner, mentor = linked_row(User, payment.learner_id, db=db), linked_row(User, session.mentor_id, db=db)

    def money(amount: int) -> str:
        return format_money(amount, payment.currency)

    price = payment.amount_minor - payment.learner_fee_minor + booking.discount_minor
    lines = charge_lines(price, booking.discount_minor, payment.learner_fee_minor, payment.currency)[:-1]
    lines.append(ReceiptLine(label="Paid", amount=money(payment.amount_minor)))
    lines.append(ReceiptLine(label="of which PeerLearn platform fee", amount=money(payment.platform_fee_minor)))
    zone = user_zone(learner.id, db=db)  # the payer's: a receipt quotes its times where they paid
    refunds = db.exec(
        select(Refund)
        .where(Refund.payment_id == payment.id, Refund.status != RefundStatus.FAILED)
        .order_by(col(Refund.id))
    ).all()
    for refund in refunds:
        lines.append(
            ReceiptLine(
                label=f"Refund on {format_local(refund.created_at, zone, always_year=True)} "
                f"({refund.reason or 'refund'})",
                amount=money(-refund.amount_minor),
            )
        )
    return Receipt(
        number=f"PL-{payment.id:06d}",
        issued_at=payment.paid_at or payment.created_at,
        learner_name=learner.full_name,
        timezone=zone,
        learner_email=learner.email,
        session_title=session.title,
        session_start_at=session.start_at,
        mentor_name=mentor.full_name,
        provider=payment.provider,
        status=payment.status.value,
        lines=lines,
        total=money(payment.amount_minor - payment.refunded_minor),
    )


def receipt_pdf(receipt: Receipt) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, "PeerLearn receipt", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for text in (
        f"Receipt {receipt.number}  ·  {format_local(receipt.issued_at, receipt.timezone, always_year=True)}",
        f"Billed to {receipt.learner_name} <{receipt.learner_email}>",
        f"Session: {receipt.session_title} with {receipt.mentor_name}, "
        f"{format_local(receipt.session_start_at, receipt.timezone, always_year=True)}",
        f"Paid through: {receipt.provider}  ·  Status: {receipt.status}",
    ):
        pdf.cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in receipt.lines:
        pdf.cell(130, 8, _latin1(line.label), border="B")
        pdf.cell(0, 8, _latin1(line.amount), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(130, 10, "Net paid")
    pdf.cell(0, 10, _latin1(receipt.total), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    """The core PDF fonts are Latin-1; spell out currency signs they lack."""
    return text.replace("₹", "INR ").replace("€", "EUR ").encode("latin-1", "replace").decode("latin-1")
