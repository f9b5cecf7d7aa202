"""A receipt page for a payment and its refunds, with a PDF download."""

from __future__ import annotations

import reflex as rx

from peerlearn.billing.receipts import Receipt, receipt_for, receipt_pdf
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.format.bookings import receipt_lines, receipt_summary
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment
from peerlearn.ui.views import ReceiptLine


class ReceiptState(AuthState):
    number: str = ""
    summary: list[str] = []
    lines: list[ReceiptLine] = []
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
        self.summary, self.lines = receipt_summary(receipt, receipt.timezone), receipt_lines(receipt)

    async def download_pdf(self):
        receipt = await self._receipt()
        pdf = await run_blocking(receipt_pdf, receipt)
        return rx.download(data=pdf, filename=f"peerlearn-receipt-{receipt.number}.pdf")
