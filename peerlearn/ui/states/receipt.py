"""A receipt page for a payment and its refunds, with a PDF download."""

from __future__ import annotations

import reflex as rx

from peerlearn.billing.receipts import receipt_for, receipt_pdf
from peerlearn.db import session_scope
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment


class ReceiptState(AuthState):
    number: str = ""
    summary: list[str] = []
    lines: list[dict[str, str]] = []
    total: str = ""
    missing: bool = False

    def load_receipt(self):
        if not self.user_id:
            return
        try:
            with session_scope() as db:
                receipt = receipt_for(last_path_segment(self.router.url.path), self._current_user(db), db=db)
        except (AuthenticationError, ServiceError):
            self.missing = True
            return
        self.missing, self.number, self.total = False, receipt.number, receipt.total
        self.summary = [
            f"Issued {receipt.issued_at:%d %b %Y %H:%M} UTC to {receipt.learner_name}",
            f"{receipt.session_title} with {receipt.mentor_name}, {receipt.session_start_at:%d %b %Y %H:%M} UTC",
            f"Paid through {receipt.provider} · {receipt.status}",
        ]
        self.lines = [{"label": line.label, "amount": line.amount} for line in receipt.lines]

    def download_pdf(self):
        with session_scope() as db:
            receipt = receipt_for(last_path_segment(self.router.url.path), self._current_user(db), db=db)
        return rx.download(data=receipt_pdf(receipt), filename=f"peerlearn-receipt-{receipt.number}.pdf")
