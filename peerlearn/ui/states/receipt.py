"""A receipt page for a payment and its refunds, with a PDF download."""

from __future__ import annotations

import reflex as rx

from peerlearn.billing.receipts import Receipt, receipt_for, receipt_pdf
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment


class ReceiptState(AuthState):
    number: str = ""
    summary: list[str] = []
    lines: list[dict[str, str]] = []
    total: str = ""
    missing: bool = False

    async def _receipt(self) -> Receipt:
        payment_id = last_path_segment(self.router.url.path)
        return await self._as_user(lambda user, db: receipt_for(payment_id, user, db=db))

    async def load_receipt(self):
        if not self.user_id:
            return
        try:
            receipt = await self._receipt()
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

    async def download_pdf(self):
        receipt = await self._receipt()
        pdf = await run_blocking(receipt_pdf, receipt)
        return rx.download(data=pdf, filename=f"peerlearn-receipt-{receipt.number}.pdf")
