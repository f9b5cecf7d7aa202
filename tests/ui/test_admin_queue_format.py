"""The admin's queue in words: a waiting mentor's status and details, a payout request's amount in its currency and
when it was asked in the admin's zone, named."""

from datetime import UTC, datetime

from peerlearn.accounts.queries import MentorToVerify
from peerlearn.billing.payouts import PayoutToApprove
from peerlearn.models.enums import VerificationStatus
from peerlearn.ui.format.insights import mentor_rows, payout_request_rows


def test_waiting_mentors_say_whether_they_asked():
    asked, unchecked = mentor_rows(
        [
            MentorToVerify(
                user_id=7,
                full_name="Asha",
                email="asha@example.org",
                headline="Rust mentor",
                expertise=["Rust", "UX"],
                status=VerificationStatus.PENDING,
            ),
            MentorToVerify(
                user_id=8, full_name="Uma", email="uma@example.org", headline="", expertise=[], status="unverified"
            ),
        ]
    )
    assert (asked.user_id, asked.status, asked.detail) == (
        7,
        "Asked to be verified",
        "asha@example.org · Rust mentor · Rust, UX",
    )
    assert (unchecked.status, unchecked.detail) == ("Not checked yet", "uma@example.org")


def test_payout_requests_show_the_amount_and_when_in_the_admins_zone():
    [row] = payout_request_rows(
        [
            PayoutToApprove(
                id=3,
                mentor_name="Omar",
                mentor_email="o@example.org",
                amount_minor=36080,
                currency="INR",
                requested_at=datetime(2026, 12, 4, 2, 35, tzinfo=UTC),
            )
        ],
        "Asia/Kolkata",
    )
    assert (row.id, row.mentor, row.amount) == (3, "Omar", "₹360.80")
    assert "4 Dec" in row.when and "08:05" in row.when and "(Asia/Kolkata)" in row.when
