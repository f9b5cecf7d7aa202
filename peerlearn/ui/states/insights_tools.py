"""The admin dashboard's tools: recording marketing spend, and the KPI report as CSV (mixed into InsightsState)."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from sqlmodel import Session

from peerlearn.accounts.actions import require_role
from peerlearn.insights import kpis
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.forms import price_to_minor


class InsightsTools(rx.State, mixin=True):
    async def submit_spend(self, form: dict):
        """Marketing spend for a month, for acquisition cost."""
        currency = (form.get("currency") or "USD").upper()
        try:
            month = datetime.strptime(form.get("month", ""), "%Y-%m").date()
            amount = price_to_minor(form.get("amount", ""), currency)

            def record(user: User, db: Session) -> None:
                require_role(user, UserRole.ADMIN)
                kpis.record_marketing_spend(month, amount, currency, db=db)

            await self._as_user(record, write=True)
        except ValueError:
            return rx.toast.error("Give the month as 2026-01 and the amount like 1500 or 1500.50.")
        except ServiceError as error:
            return rx.toast.error(error.message)
        await self._reload()
        return rx.toast.success("Marketing spend saved.")

    async def export_csv(self):
        start, end = self._range()

        def export(user: User, db: Session) -> str:
            require_role(user, UserRole.ADMIN)
            return kpis.report_csv(kpis.kpi_report(start, end, db=db))

        text = await self._as_user(export)
        return rx.download(data=text, filename="peerlearn-kpis.csv")
