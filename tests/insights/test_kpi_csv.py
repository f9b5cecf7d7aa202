"""The KPI export as a spreadsheet sees it: one column per currency with the currency in its header, amounts in
major units ('12.50'), never two currencies in one column; rows named with the dashboard's card labels."""

import csv
import io
from datetime import UTC, datetime

from peerlearn.insights import kpis


def _report() -> kpis.KpiReport:
    money = {"USD": 1250, "INR": 600000}
    return kpis.KpiReport(
        start=datetime(2026, 9, 1, tzinfo=UTC),
        end=datetime(2026, 12, 1, tzinfo=UTC),
        revenue={
            "gross_booking_value": {"USD": 14000, "INR": 5000000},
            "platform_revenue": money,
            "refunds": {"USD": 4000},
            "revenue_per_active_learner": {"USD": 416.67},
            "revenue_by_month": [{"month": "2026-10", "USD": 1000}, {"month": "2026-11", "USD": 250, "INR": 600000}],
            "gbv_by_gateway": [
                {"gateway": "stripe", "currency": "USD", "gbv_minor": 14000},
                {"gateway": "razorpay", "currency": "INR", "gbv_minor": 5000000},
            ],
        },
        learners={"active_learners": 3, "signups_per_week": [], "cohort_retention": [], "ltv_to_cac": {"USD": 2.5}},
        marketplace={
            "funnel": [{"stage": "Session views", "count": 1000}, {"stage": "Bookings started", "count": 382}],
            "booking_conversion": 0.382,
            "skills_gap": [],
        },
        recommender={"offline_evaluation": None},
    )


def _blocks(text: str) -> dict[str, list[list[str]]]:
    blocks: dict[str, list[list[str]]] = {}
    name = ""
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("# "):
            name = row[0][2:]
            blocks[name] = []
        elif row:
            blocks[name].append(row)
    return blocks


def test_revenue_per_month_has_one_column_per_currency_in_major_units():
    rows = _blocks(kpis.report_csv(_report()))["Platform revenue per month"]
    assert rows == [
        ["Month", "Revenue (INR)", "Revenue (USD)"],
        ["2026-10", "0.00", "10.00"],
        ["2026-11", "6000.00", "2.50"],
    ]


def test_summary_puts_each_currency_in_its_own_column_under_the_card_label():
    header, *rows = _blocks(kpis.report_csv(_report()))["Summary"]
    assert header == ["Section", "KPI", "Value", "Amount (INR)", "Amount (USD)"]
    by_label = {row[1]: row for row in rows}
    assert by_label["Platform revenue"] == ["Revenue", "Platform revenue", "", "6000.00", "12.50"]
    assert by_label["Refunds"] == ["Revenue", "Refunds", "", "", "40.00"]  # no INR refund: blank, not 0 in USD
    assert by_label["Revenue per active learner"][4] == "4.17"  # an average, to the cent
    assert by_label["Active learners"] == ["Learners", "Active learners", "3", "", ""]
    assert by_label["LTV:CAC (USD)"][2] == "2.5"
    assert by_label["Booking conversion"][2] == "0.382"
    for row in rows:  # no cell holds a currency code or a dict: numbers only, the unit is in the header
        assert not any("{" in cell or "USD" in cell or "INR" in cell for cell in row[2:])


def test_gateways_and_funnel_are_shaped_for_a_spreadsheet():
    blocks = _blocks(kpis.report_csv(_report()))
    assert blocks["Gross booking value by gateway"] == [
        ["Gateway", "GBV (INR)", "GBV (USD)"],
        ["razorpay", "50000.00", ""],
        ["stripe", "", "140.00"],
    ]
    assert blocks["Booking funnel"] == [
        ["Step", "Count", "Share of session views"],
        ["Session views", "1000", "1.0"],
        ["Bookings started", "382", "0.382"],
    ]
