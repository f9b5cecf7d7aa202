"""The admin dashboard's words and numbers: cards and definitions share their labels, funnel steps carry their
count and share, and the revenue chart keeps each currency in its own main units."""

from datetime import UTC, datetime

from peerlearn.insights import kpis
from peerlearn.ui.format import insights as fmt


def _report(**marketplace) -> kpis.KpiReport:
    return kpis.KpiReport(
        start=datetime(2026, 9, 1, tzinfo=UTC),
        end=datetime(2026, 12, 1, tzinfo=UTC),
        revenue={"revenue_by_month": [{"month": "2026-11", "USD": 1250, "JPY": 1200}]},
        learners={},
        marketplace=marketplace,
        recommender={},
    )


def test_funnel_steps_show_their_count_with_the_share_of_views_beside_it():
    report = _report(funnel=[{"stage": "Session views", "count": 1078}, {"stage": "Bookings started", "count": 412}])
    assert [r["text"] for r in fmt.funnel_rows(report)] == ["1,078 (100.0%)", "412 (38.2%)"]
    assert fmt.funnel_rows(_report(funnel=[{"stage": "Session views", "count": 0}]))[0]["text"] == "0 (0.0%)"


def test_percentages_have_one_decimal():
    assert fmt.percent(0.6) == "60.0%" and fmt.percent(0.3333) == "33.3%"


def test_definitions_are_titled_with_the_card_labels():
    titles = {d.key: d.label for d in fmt.definitions(kpis.DEFINITIONS)}
    assert titles["mrr"] == "MRR (subscriptions)" and titles["gross_booking_value"] == "Gross booking value"
    card_words = {word for card in _cards() for word in card.label.replace(" / ", " · ").split(" · ")}
    assert {"Gross booking value", "Cancellations", "No-shows", "LTV so far", "Projected LTV", "LTV:CAC"} <= card_words
    assert card_words <= set(titles.values())  # every word on a card is the title of a definition


def _cards():
    return fmt.kpi_cards(
        kpis.KpiReport(
            start=datetime(2026, 9, 1, tzinfo=UTC),
            end=datetime(2026, 12, 1, tzinfo=UTC),
            revenue={
                k: {}
                for k in (
                    "gross_booking_value",
                    "platform_revenue",
                    "mrr",
                    "arr",
                    "commission_run_rate",
                    "refunds",
                    "net_revenue",
                )
            },
            learners={"active_learners": 0, "ltv": {}, "projected_ltv": {}, "cac": {}, "ltv_to_cac": {}},
            marketplace={
                k: 0.0
                for k in (
                    "booking_conversion",
                    "completion_rate",
                    "cancellation_rate",
                    "no_show_rate",
                    "seat_utilisation",
                    "active_mentor_share",
                )
            }
            | {"average_rating": None},
            recommender={"recommendation_ctr": 0.0, "recommendation_conversion": 0.0},
        )
    )


def test_revenue_chart_rows_are_in_each_currencys_main_unit():
    currencies, rows = fmt.revenue_chart(_report())
    assert currencies == ["JPY", "USD"]
    assert rows == [{"month": "2026-11", "USD": 12.5, "JPY": 1200.0}]  # yen have no minor unit
