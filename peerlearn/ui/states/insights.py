"""Admin dashboards: figures from the KPI service for a date range, refreshed live while the page is open."""

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
from peerlearn.money import format_money
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.forms import price_to_minor
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.polling import poll_while_watching
from peerlearn.ui.states.auth import AuthState

POLL_SECONDS = 5


def _money_text(values: dict[str, int]) -> str:
    return " · ".join(format_money(v, c) for c, v in sorted(values.items())) or "—"


COHORT_MONTHS = 6


def _heat_row(cohort: dict) -> list[dict[str, str]]:
    """One row of the retention heat map: label, size, then a shaded cell per later month (blank if not reached)."""
    cells = [
        {"text": cohort["cohort"], "background": "transparent"},
        {"text": str(cohort["size"]), "background": "transparent"},
    ]
    for k in range(COHORT_MONTHS):
        if k < len(cohort["retention"]):
            share = cohort["retention"][k]
            cells.append({"text": f"{share:.0%}", "background": f"var(--indigo-{min(9, 2 + int(share * 14))})"})
        else:
            cells.append({"text": "", "background": "transparent"})
    return cells


def _offline_rows(figures: dict | None) -> list[dict[str, str]]:
    """Engine and baselines from the last offline evaluation, one row each."""
    if not figures:
        return []
    k = figures.get("k", 10)
    rows = [("engine", figures.get("engine", {})), ("engine (new learners)", figures.get("engine_cold", {}))]
    rows += sorted(figures.get("baselines", {}).items())
    return [
        {
            "model": name,
            "ndcg": f"{m.get(f'ndcg@{k}', 0):.3f}",
            "recall": f"{m.get(f'recall@{k}', 0):.3f}",
            "hit_rate": f"{m.get(f'hit_rate@{k}', 0):.3f}",
            "coverage": f"{m.get('coverage', 0):.3f}",
        }
        for name, m in rows
        if m
    ]


def _data_version() -> tuple:
    with read_scope() as db:
        return kpis.data_version(db=db)


def _experiment_rows(db: Session) -> list[dict[str, str]]:
    return [
        {
            "experiment": e.key,
            "status": e.status.value,
            "variant": v.name,
            "exposed": str(v.exposed),
            "conversion": f"{v.conversion:.1%} ({v.conversion_ci[0]:.1%}-{v.conversion_ci[1]:.1%})",
            "ctr": f"{v.ctr:.1%}",
            "p": "" if v.p_vs_control is None else f"{v.p_vs_control:.3f}",
            "verdict": res.verdict,
        }
        for e in experiments.list_experiments(db=db)[:3]
        for res in [experiments.experiment_results(e.id, db=db)]
        for v in res.variants
    ]


def _read_dashboard(user: User, start: datetime | None, end: datetime | None, db: Session):  # noqa: ANN202 - a tuple of the dashboard's parts
    require_role(user, UserRole.ADMIN)
    report = kpis.kpi_report(start, end, db=db)
    model, risky = churn.at_risk(db=db, limit=10)
    return report, model, risky, kpis.data_version(db=db), unbalanced_transactions(db=db), _experiment_rows(db)


class InsightsState(AuthState):
    start_date: str = ""
    end_date: str = ""
    cards: list[dict[str, str]] = []
    revenue_rows: list[dict] = []
    currencies: list[str] = []
    signup_rows: list[dict] = []
    funnel_rows: list[dict] = []
    cohort_cells: list[dict[str, str]] = []
    skills_rows: list[dict] = []
    at_risk: list[dict[str, str]] = []
    churn_note: str = ""
    definitions: list[dict[str, str]] = []
    offline: list[dict[str, str]] = []
    gateways: list[dict[str, str]] = []
    experiments: list[dict[str, str]] = []
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
            report, model, risky, self._version, unbalanced, experiment_rows = await self._as_user(
                lambda user, db: _read_dashboard(user, start, end, db)
            )
        except ServiceError as error:
            self.problem = error.message
            return
        self.start_date, self.end_date = (
            report.start.date().isoformat(),
            (report.end - timedelta(seconds=1)).date().isoformat(),
        )
        r, m, lr = report.revenue, report.marketplace, report.learners
        self.cards = [
            {
                "label": "Gross booking value",
                "value": _money_text(r["gross_booking_value"]),
                "key": "gross_booking_value",
            },
            {"label": "Platform revenue", "value": _money_text(r["platform_revenue"]), "key": "platform_revenue"},
            {"label": "MRR (last 30 days)", "value": _money_text(r["mrr"]), "key": "mrr"},
            {"label": "ARR", "value": _money_text(r["arr"]), "key": "arr"},
            {"label": "Refunds", "value": _money_text(r["refunds"]), "key": "refunds"},
            {"label": "Net revenue", "value": _money_text(r["net_revenue"]), "key": "net_revenue"},
            {"label": "Active learners", "value": str(lr["active_learners"]), "key": "active_learners"},
            {
                "label": "LTV so far / projected",
                "value": f"{_money_text({c: int(v) for c, v in lr['ltv'].items()})} / "
                f"{_money_text({c: int(v) for c, v in lr['projected_ltv'].items()})}",
                "key": "ltv",
            },
            {
                "label": "CAC · LTV:CAC",
                "value": f"{_money_text({c: int(v) for c, v in lr['cac'].items()})} · "
                f"{', '.join(f'{c} {v}' for c, v in lr['ltv_to_cac'].items()) or '—'}",
                "key": "cac",
            },
            {"label": "Booking conversion", "value": f"{m['booking_conversion']:.1%}", "key": "booking_conversion"},
            {"label": "Completion rate", "value": f"{m['completion_rate']:.1%}", "key": "completion_rate"},
            {
                "label": "Cancellations · no-shows",
                "value": f"{m['cancellation_rate']:.1%} · {m['no_show_rate']:.1%}",
                "key": "cancellation_rate",
            },
            {"label": "Seat utilisation", "value": f"{m['seat_utilisation']:.1%}", "key": "seat_utilisation"},
            {"label": "Active mentors", "value": f"{m['active_mentor_share']:.1%}", "key": "active_mentor_share"},
            {"label": "Average rating", "value": str(m["average_rating"] or "—"), "key": "average_rating"},
            {
                "label": "Recommendation CTR · conversion",
                "value": f"{report.recommender['recommendation_ctr']:.1%} · "
                f"{report.recommender['recommendation_conversion']:.1%}",
                "key": "recommendation_ctr",
            },
        ]
        self.currencies = sorted({c for row in r["revenue_by_month"] for c in row if c != "month"})
        self.revenue_rows = [
            {k: (v / 100 if k != "month" else v) for k, v in row.items()} for row in r["revenue_by_month"]
        ]
        self.signup_rows = lr["signups_per_week"]
        self.funnel_rows = m["funnel"]
        self.cohort_cells = [cell for c in lr["cohort_retention"] for cell in _heat_row(c)]
        self.skills_rows = m["skills_gap"]
        self.churn_note = (
            f"ROC AUC {model.figures['roc_auc']} vs {model.figures['recency_only_roc_auc']} for recency alone; "
            f"Brier {model.figures['brier']} (time split {model.figures['train_snapshot']} → "
            f"{model.figures['test_snapshot']})"
            if model.enough_data
            else model.message
        )
        self.at_risk = [{k: str(v) for k, v in row.items()} for row in risky]
        self.definitions = [{"key": k, "text": v} for k, v in kpis.DEFINITIONS.items()]
        self.offline = _offline_rows(report.recommender.get("offline_evaluation"))
        self.gateways = [
            {"gateway": g["gateway"], "currency": g["currency"], "gbv": format_money(g["gbv_minor"], g["currency"])}
            for g in r["gbv_by_gateway"]
        ]
        self.experiments = experiment_rows
        self.ledger_note = (
            "Ledger balanced: every transaction sums to zero."
            if not unbalanced
            else f"LEDGER IMBALANCE in {len(unbalanced)} transaction(s): {unbalanced[:5]}"
        )

    @rx.event
    async def set_start_date(self, value: str):
        self.start_date = value
        await self._reload()

    @rx.event
    async def set_end_date(self, value: str):
        self.end_date = value
        await self._reload()

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
