"""Admin dashboards: figures from the KPI service for a date range, refreshed live while the page is open.

What the figures look like is `peerlearn/ui/format/insights.py`; the spend form and the CSV export are
`insights_tools.py`, mixed in here.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import reflex as rx
from sqlmodel import Session

from peerlearn.accounts.actions import require_role
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.db import read_scope
from peerlearn.insights import churn, experiments, kpis
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format import insights as fmt
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.polling import poll_while_watching
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.insights_tools import InsightsTools
from peerlearn.ui.views import Definition, HeatCell, KpiCard, TableRow

POLL_SECONDS = 5
EXPERIMENTS_SHOWN = 3


def _data_version() -> tuple:
    with read_scope() as db:
        return kpis.data_version(db=db)


def _read_dashboard(user: User, start: datetime | None, end: datetime | None, db: Session):
    require_role(user, UserRole.ADMIN)
    report = kpis.kpi_report(start, end, db=db)
    model, risky = churn.at_risk(db=db, limit=10)
    results = [
        experiments.experiment_results(e.id, db=db) for e in experiments.list_experiments(db=db)[:EXPERIMENTS_SHOWN]
    ]
    return report, model, risky, kpis.data_version(db=db), unbalanced_transactions(db=db), results


class InsightsState(InsightsTools, AuthState):
    start_date: str = ""
    end_date: str = ""
    cards: list[KpiCard] = []
    revenue_rows: list[dict[str, str | float]] = []  # recharts rows: a month and one value per currency
    currencies: list[str] = []
    chart_currency: str = ""  # the revenue chart shows one currency at a time (never two scales on one axis)
    signup_rows: list[dict[str, str | int]] = []  # recharts rows: week, signups
    funnel_rows: list[dict[str, str | int]] = []  # recharts rows: stage, count, text ('412 (38.2%)')
    cohort_cells: list[HeatCell] = []
    skills_rows: list[TableRow] = []
    at_risk: list[TableRow] = []
    churn_note: str = ""
    definitions: list[Definition] = []
    offline: list[TableRow] = []
    gateways: list[TableRow] = []
    experiments: list[TableRow] = []
    ledger_note: str = ""
    problem: str = ""
    watching: bool = False
    _version: tuple = ()

    def _range(self) -> tuple[datetime | None, datetime | None]:
        parse = lambda text, extra: datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), UTC) + extra
        return (
            parse(self.start_date, timedelta()) if self.start_date else None,
            parse(self.end_date, timedelta(days=1)) if self.end_date else None,
        )

    async def load_insights(self):
        if not self.user_id:
            return
        await self._reload()

    async def _reload(self) -> None:
        self.problem = ""
        try:
            start, end = self._range()
        except ValueError:
            self.problem = "Dates look like 2026-01-31."
            return
        try:
            report, model, risky, self._version, unbalanced, results = await self._as_user(
                lambda user, db: _read_dashboard(user, start, end, db)
            )
        except ServiceError as error:
            self.problem = error.message
            return
        self.start_date = report.start.date().isoformat()
        self.end_date = (report.end - timedelta(seconds=1)).date().isoformat()
        self.cards = fmt.kpi_cards(report)
        self.currencies, self.revenue_rows = fmt.revenue_chart(report)
        if self.chart_currency not in self.currencies:
            self.chart_currency = self.currencies[0] if self.currencies else ""
        self.signup_rows, self.funnel_rows = report.learners["signups_per_week"], fmt.funnel_rows(report)
        self.cohort_cells = fmt.heat_cells(report.learners["cohort_retention"])
        self.skills_rows, self.gateways = fmt.skills_rows(report), fmt.gateway_rows(report)
        self.churn_note, self.at_risk = fmt.churn_note(model), fmt.at_risk_rows(risky)
        self.definitions = fmt.definitions(kpis.DEFINITIONS)
        self.offline = fmt.offline_rows(report.recommender.get("offline_evaluation"))
        self.experiments = fmt.experiment_rows(results)
        self.ledger_note = fmt.ledger_note(unbalanced)

    @rx.event
    def set_chart_currency(self, value: str):
        self.chart_currency = value

    @rx.event
    async def set_start_date(self, value: str):
        self.start_date = value
        await self._reload()

    @rx.event
    async def set_end_date(self, value: str):
        self.end_date = value
        await self._reload()

    def stop_watching(self):
        self.watching = False

    @rx.event(background=True)
    async def watch(self):
        """While the dashboard is open, reload when a booking, payment or refund lands."""
        await poll_while_watching(self, POLL_SECONDS, self._reload_if_money_moved)

    async def _reload_if_money_moved(self) -> None:
        async with self:
            if not self.user_id:  # mounted before on_load finished: nothing to compare yet
                return
            seen = self._version
        if await run_blocking(_data_version) != seen:
            async with self:
                await self._reload()
