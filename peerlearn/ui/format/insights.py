"""The admin dashboards' figures as text: KPI cards, the retention heat map and the tables under the charts."""

from __future__ import annotations

from collections.abc import Iterable

from babel.numbers import format_decimal, format_percent

from peerlearn.accounts.queries import MentorToVerify
from peerlearn.billing.payouts import PayoutToApprove
from peerlearn.insights.churn import HORIZON, MIN_LEARNERS, ChurnModel
from peerlearn.insights.experiments import ExperimentResults
from peerlearn.insights.kpis import KpiReport, label
from peerlearn.models.enums import VerificationStatus
from peerlearn.money import format_money, from_minor
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.format.common import money_text
from peerlearn.ui.views import Definition, HeatCell, KpiCard, MentorToVerifyRow, PayoutRequestRow, TableRow

COHORT_MONTHS = 6
BLANK = "transparent"
LOCALE = "en"  # the admin pages are in English


def _whole(values: dict[str, float]) -> dict[str, int]:
    return {c: int(v) for c, v in values.items()}


def kpi_cards(report: KpiReport) -> list[KpiCard]:
    """The headline figures, in the order the dashboard shows them."""
    r, m, lr, rec = report.revenue, report.marketplace, report.learners, report.recommender
    ratios = ", ".join(f"{c} {v}" for c, v in lr["ltv_to_cac"].items()) or "—"
    return [
        KpiCard("gross_booking_value", label("gross_booking_value"), money_text(r["gross_booking_value"])),
        KpiCard("platform_revenue", label("platform_revenue"), money_text(r["platform_revenue"])),
        KpiCard("mrr", label("mrr"), money_text(r["mrr"])),
        KpiCard("arr", label("arr"), money_text(r["arr"])),
        KpiCard("commission_run_rate", label("commission_run_rate"), money_text(r["commission_run_rate"])),
        KpiCard("refunds", label("refunds"), money_text(r["refunds"])),
        KpiCard("net_revenue", label("net_revenue"), money_text(r["net_revenue"])),
        KpiCard("active_learners", label("active_learners"), str(lr["active_learners"])),
        KpiCard(
            "ltv",
            f"{label('ltv')} / {label('projected_ltv')}",
            f"{money_text(_whole(lr['ltv']))} / {money_text(_whole(lr['projected_ltv']))}",
        ),
        KpiCard("cac", f"{label('cac')} · {label('ltv_to_cac')}", f"{money_text(_whole(lr['cac']))} · {ratios}"),
        KpiCard("booking_conversion", label("booking_conversion"), percent(m["booking_conversion"])),
        KpiCard("completion_rate", label("completion_rate"), percent(m["completion_rate"])),
        KpiCard(
            "cancellation_rate",
            f"{label('cancellation_rate')} · {label('no_show_rate')}",
            f"{percent(m['cancellation_rate'])} · {percent(m['no_show_rate'])}",
        ),
        KpiCard("seat_utilisation", label("seat_utilisation"), percent(m["seat_utilisation"])),
        KpiCard("active_mentor_share", label("active_mentor_share"), percent(m["active_mentor_share"])),
        KpiCard("average_rating", label("average_rating"), str(m["average_rating"] or "—")),
        KpiCard(
            "recommendation_ctr",
            f"{label('recommendation_ctr')} · {label('recommendation_conversion')}",
            f"{percent(rec['recommendation_ctr'])} · {percent(rec['recommendation_conversion'])}",
        ),
    ]


def percent(share: float) -> str:
    """0.382 -> '38.2%' (CLDR pattern through Babel)."""
    return format_percent(share, format="#,##0.0%", locale=LOCALE)


def funnel_rows(report: KpiReport) -> list[dict[str, str | int]]:
    """Recharts rows for the funnel: step, count, and the text beside its bar: '412 (38.2%)' of session views."""
    steps = report.marketplace["funnel"]
    top = steps[0]["count"] if steps else 0
    return [
        {
            "stage": s["stage"],
            "count": s["count"],
            "text": f"{format_decimal(s['count'], locale=LOCALE)} ({percent(s['count'] / top if top else 0)})",
        }
        for s in steps
    ]


def heat_row(cohort: dict) -> list[HeatCell]:
    """One row of the retention heat map: label, size, then a shaded cell per later month (blank if not reached)."""
    cells = [HeatCell(cohort["cohort"], BLANK), HeatCell(str(cohort["size"]), BLANK)]
    for k in range(COHORT_MONTHS):
        if k < len(cohort["retention"]):
            share = cohort["retention"][k]
            cells.append(HeatCell(f"{share:.0%}", f"var(--indigo-{min(9, 2 + int(share * 14))})"))
        else:
            cells.append(HeatCell("", BLANK))
    return cells


def heat_cells(cohorts: Iterable[dict]) -> list[HeatCell]:
    """Every cohort's row, flattened for the page's eight-column grid."""
    return [cell for cohort in cohorts for cell in heat_row(cohort)]


def offline_rows(figures: dict | None) -> list[TableRow]:
    """Engine and baselines from the last offline evaluation: model, NDCG, recall, hit rate, coverage."""
    if not figures:
        return []
    k = figures.get("k", 10)
    rows = [("engine", figures.get("engine", {})), ("engine (new learners)", figures.get("engine_cold", {}))]
    rows += sorted(figures.get("baselines", {}).items())
    return [
        TableRow(
            [
                name,
                f"{m.get(f'ndcg@{k}', 0):.3f}",
                f"{m.get(f'recall@{k}', 0):.3f}",
                f"{m.get(f'hit_rate@{k}', 0):.3f}",
                f"{m.get('coverage', 0):.3f}",
            ]
        )
        for name, m in rows
        if m
    ]


def experiment_rows(results: Iterable[ExperimentResults]) -> list[TableRow]:
    """One row per variant: experiment, status, variant, exposed, conversion (95% CI), CTR, p vs control, verdict."""
    return [
        TableRow(
            [
                res.key,
                res.status.value,
                v.name,
                str(v.exposed),
                f"{v.conversion:.1%} ({v.conversion_ci[0]:.1%}-{v.conversion_ci[1]:.1%})",
                f"{v.ctr:.1%}",
                "" if v.p_vs_control is None else f"{v.p_vs_control:.3f}",
                res.verdict,
            ]
        )
        for res in results
        for v in res.variants
    ]


def gateway_rows(report: KpiReport) -> list[TableRow]:
    return [
        TableRow([g["gateway"], g["currency"], format_money(g["gbv_minor"], g["currency"])])
        for g in report.revenue["gbv_by_gateway"]
    ]


def skills_rows(report: KpiReport) -> list[TableRow]:
    return [
        TableRow([r["skill"], str(r["demand"]), str(r["supply"]), str(r["gap"])])
        for r in report.marketplace["skills_gap"]
    ]


def at_risk_rows(risky: Iterable[dict]) -> list[TableRow]:
    """Learner, churn probability, days since the last booking, bookings in 90 days."""
    keys = ("name", "churn_probability", "days_since_last_booking", "bookings_90d")
    return [TableRow([str(row[k]) for k in keys]) for row in risky]


def churn_note(model: ChurnModel) -> str:
    if not model.enough_data:  # in an admin's words, not the model's (its own message stays in the evaluation log)
        days = HORIZON.days
        return (
            "Not enough booking history yet to tell who may stop booking. Learners at risk appear here once at "
            f"least {MIN_LEARNERS} learners were active in each of the last two {days}-day periods, some of whom "
            "booked again and some not. The model is rebuilt every day, so this fills in by itself."
        )
    f = model.figures
    return (
        f"ROC AUC {f['roc_auc']} vs {f['recency_only_roc_auc']} for recency alone; "
        f"Brier {f['brier']} (time split {f['train_snapshot']} → {f['test_snapshot']})"
    )


def ledger_note(unbalanced: list) -> str:
    if not unbalanced:
        return "Ledger balanced: every transaction sums to zero."
    return f"LEDGER IMBALANCE in {len(unbalanced)} transaction(s): {unbalanced[:5]}"


def revenue_chart(report: KpiReport) -> tuple[list[str], list[dict[str, str | float]]]:
    """The currencies (the chart shows one at a time) and the chart's rows: month, then each currency in major
    units."""
    by_month = report.revenue["revenue_by_month"]
    currencies = sorted({c for row in by_month for c in row if c != "month"})
    return currencies, [
        {k: (v if k == "month" else float(from_minor(v, k))) for k, v in row.items()} for row in by_month
    ]


def definitions(texts: dict[str, str]) -> list[Definition]:
    """Each definition under the same words the dashboard's cards use."""
    return [Definition(k, v, label(k)) for k, v in texts.items()]


def mentor_rows(mentors: Iterable[MentorToVerify], tz: str = "UTC") -> list[MentorToVerifyRow]:
    """One waiting mentor: who, what they teach, and, when they asked, since when and what they ask to be checked."""
    rows = []
    for m in mentors:
        detail = " · ".join(part for part in (m.email, m.headline, ", ".join(m.expertise)) if part)
        if m.note:
            detail = f"{detail} · “{m.note}”" if detail else f"“{m.note}”"
        status = "Not checked yet"
        if m.status == VerificationStatus.PENDING:
            status = f"Asked {format_local(m.requested_at, tz)}" if m.requested_at else "Asked to be verified"
        rows.append(MentorToVerifyRow(m.user_id, m.full_name, detail, status))
    return rows


def mark_paid_statement(mentor: str, amount: str) -> str:
    """What "Mark paid" does, said before the admin confirms it (approve_payout cannot be taken back)."""
    return (
        f"{mentor} will see {amount} as paid to them. Only mark it once the money has been sent: this cannot be undone."
    )


def payout_request_rows(payouts: Iterable[PayoutToApprove], tz: str) -> list[PayoutRequestRow]:
    return [
        PayoutRequestRow(
            p.id, p.mentor_name, format_money(p.amount_minor, p.currency), format_local(p.requested_at, tz)
        )
        for p in payouts
    ]
