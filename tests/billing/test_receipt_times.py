"""A receipt (its page lines and its PDF) quotes its times in the payer's zone, named, always with the year."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from peerlearn.billing.payments import refund_booking
from peerlearn.billing.receipts import receipt_for, receipt_pdf
from peerlearn.booking import actions as bookings
from peerlearn.models import Refund
from peerlearn.models.types import utcnow
from peerlearn.ui.format.bookings import receipt_summary
from tests.factories import make_session, make_user, pay


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in fpdf2's (deflated) content stream."""
    start = pdf.index(b"stream", pdf.index(b"/Filter /FlateDecode")) + len(b"stream\n")
    text = zlib.decompress(pdf[start : pdf.index(b"endstream", start)]).decode("latin-1")
    return text.replace("\\(", "(").replace("\\)", ")")


def test_a_new_york_payers_receipt_quotes_new_york_time_with_the_year(db):
    mentor = make_user(db, mentor=True, timezone="Asia/Kolkata")
    payer, admin = make_user(db, timezone="America/New_York"), make_user(db, admin=True, timezone="Asia/Kolkata")
    now = utcnow()
    next_year = now.year + 1
    start = datetime(next_year, 1, 5, 17, 0, tzinfo=UTC)  # 12:00 EST in New York; 22:30 in Kolkata
    sid = make_session(db, mentor, start_in=start - now, now=now, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(payer, sid, db=db)
    db.commit()
    pay(db, booking.id)
    refund_booking(booking, 500, reason="goodwill", db=db)
    refund = db.exec(select(Refund)).one()
    refund.created_at = datetime(next_year, 1, 2, 3, 0, tzinfo=UTC)
    db.add(refund)
    db.commit()

    receipt = receipt_for(payment.id, payer, db=db)
    summary = receipt_summary(receipt, receipt.timezone)
    assert summary[1].endswith(f"{start:%a} 5 Jan {next_year}, 12:00 EST (America/New_York)")
    issued = receipt.issued_at.astimezone(ZoneInfo("America/New_York"))
    assert summary[0].startswith(f"Issued {issued:%a} {issued.day} {issued:%b} {issued.year}, {issued:%H:%M} E")
    # 03:00 UTC on 2 January is still 1 January (22:00) in New York
    assert f"Refund on {datetime(next_year, 1, 1):%a} 1 Jan {next_year}, 22:00 EST (America/New_York) (goodwill)" in [
        line.label for line in receipt.lines
    ]
    assert "UTC" not in " ".join(summary)

    # an admin in Kolkata opening the same receipt sees the payer's times, not their own
    assert receipt_for(payment.id, admin, db=db).timezone == "America/New_York"

    text = _pdf_text(receipt_pdf(receipt))
    assert f"5 Jan {next_year}, 12:00 EST (America/New_York)" in text
    assert f"1 Jan {next_year}, 22:00 EST (America/New_York)" in text
