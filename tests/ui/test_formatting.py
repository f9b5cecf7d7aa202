"""What the pages show, from the pure formatters: prices, local times with the zone named, heat map, KPI cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peerlearn.billing.earnings import Balance
from peerlearn.booking.public import BookingPublic
from peerlearn.insights.kpis import KpiReport
from peerlearn.models import LearningSession
from peerlearn.models.catalog import LearningSessionPublic, MentorCard
from peerlearn.models.enums import BookingStatus, RefundPolicy, SessionStatus, SkillLevel
from peerlearn.models.types import utcnow
from peerlearn.ui.format.bookings import booking_row, reschedule_choices
from peerlearn.ui.format.catalog import session_card, session_facts
from peerlearn.ui.format.common import money_text, price_text, rating_text
from peerlearn.ui.format.insights import heat_cells, heat_row, kpi_cards, ledger_note
from peerlearn.ui.format.live import append_chat, remote_people
from peerlearn.ui.format.teaching import earning_rows, mentor_session_row, participants, two_weeks
from peerlearn.ui.views import ChatLine, HeatCell

# 17:00 UTC on a winter Tuesday: 18:00 in Berlin, 22:30 in Kolkata
START = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def public_session(**changes) -> LearningSessionPublic:
    fields = dict(
        id=7,
        title="Intro to Python",
        description="Loops and lists.",
        skills=["Python", "Testing"],
        category=None,
        level=SkillLevel.BEGINNER,
        language="English",
        start_at=START,
        end_at=START + timedelta(minutes=90),
        capacity=8,
        spots_left=3,
        price_minor=2550,
        currency="USD",
        status=SessionStatus.PUBLISHED,
        mentor=MentorCard(id=2, full_name="Ada Mentor", rating_avg=4.25, rating_count=4, sessions_taught=9),
        min_notice_minutes=60,
        cancellation_cutoff_hours=24,
        refund_policy=RefundPolicy.PARTIAL,
        partial_refund_percent=50,
        requires_approval=True,
    )
    return LearningSessionPublic(**(fields | changes))


def table_session(**changes) -> LearningSession:
    fields = dict(id=5, mentor_id=2, title="Spanish", start_at=START, end_at=START + timedelta(hours=1))
    return LearningSession(**(fields | {"capacity": 4, "seats_taken": 1} | changes))


def test_a_free_session_says_free_and_a_paid_one_its_price():
    assert price_text(0, "USD") == "Free"
    assert price_text(2550, "USD") == "$25.50"
    assert price_text(100000, "INR") == "₹1,000.00"
    assert session_card(public_session(price_minor=0), "UTC").price == "Free"
    assert session_facts(public_session(price_minor=0), "UTC").free is True


def test_a_booking_shows_what_is_due_after_a_discount_but_a_free_one_stays_free():
    booking = BookingPublic(
        id=1,
        session_id=7,
        session_title="Intro to Python",
        start_at=START,
        end_at=START + timedelta(hours=1),
        status=BookingStatus.CONFIRMED,
        price_minor=2000,
        discount_minor=500,
        amount_due_minor=1500,
        currency="EUR",
        payment_id=12,
        can_cancel=True,
    )
    row = booking_row(booking, "Europe/Berlin")
    assert row.price == "€15.00"
    assert row.can_cancel and row.can_reschedule and not row.can_review
    assert row.receipt == "/receipts/12" and row.checkout_url == ""
    pending = booking.model_copy(update={"status": BookingStatus.PENDING_PAYMENT, "price_minor": 0, "payment_id": None})
    row = booking_row(pending, "UTC")
    assert row.price == "Free" and row.status == "pending payment"
    assert not row.can_reschedule and row.receipt == ""


def test_times_are_in_the_viewers_zone_with_the_zone_named():
    """The day (and the year, once 2026 is over), then the time and the zone."""
    day = "Tue 1 Dec" if utcnow().year == 2026 else "Tue 1 Dec 2026"
    assert session_card(public_session(), "Europe/Berlin").when == f"{day}, 18:00 GMT+1 (Europe/Berlin)"
    assert session_card(public_session(), "Asia/Kolkata").when == f"{day}, 22:30 GMT+5:30 (Asia/Kolkata)"
    assert session_card(public_session(), "Not/AZone").when == f"{day}, 17:00 UTC"
    [choice] = reschedule_choices([table_session()], "America/New_York")
    assert choice.label == f"Spanish · {day}, 12:00 EST (America/New_York)"


def test_a_session_card_and_the_session_page_facts():
    card = session_card(public_session(), "UTC")
    assert (card.id, card.mentor, card.rating, card.skills) == ("7", "Ada Mentor", "4.2", "Python, Testing")
    assert card.spots == "3 left" and session_card(public_session(spots_left=0), "UTC").spots == "Full"
    assert rating_text(0.0, 0) == "New"
    facts = session_facts(public_session(), "UTC")
    assert facts.minutes == "90" and facts.capacity == "8" and facts.requires_approval
    assert facts.policy.startswith("Cancel up to 24 hours before the start for a 50% refund")


def test_the_mentors_two_weeks_list_each_days_sessions_in_their_zone_and_skip_cancelled_ones():
    now = START - timedelta(days=1)
    sessions = [
        table_session(title="Late one", start_at=START.replace(hour=23, minute=30)),  # 00:30 next day in Berlin
        table_session(title="Called off", status=SessionStatus.CANCELLED),
        table_session(title="Far away", start_at=START + timedelta(days=30)),
    ]
    days = two_weeks(sessions, "Europe/Berlin", now)
    assert len(days) == 14 and days[0].day == "Mon 30 Nov"
    assert [d.day for d in days if d.busy] == ["Wed 02 Dec"]
    assert days[2].sessions == "00:30 Late one (1/4)"
    assert not days[1].busy and days[1].sessions == ""


def test_mentor_rows_earnings_and_participants():
    row = mentor_session_row(table_session(price_minor=0), "UTC")
    assert (row.booked, row.fill, row.price) == ("1/4", "25%", "Free")
    [money] = earning_rows([Balance(currency="GBP", pending_minor=1000, available_minor=250, paid_out_minor=0)])
    assert (money.pending, money.available, money.paid) == ("£10.00", "£2.50", "£0.00")
    booked, waiting = participants(
        [
            {"booking_id": 3, "learner": "Bo", "status": "confirmed", "attendance": "unknown"},
            {"booking_id": None, "learner": "Cy", "status": "waitlist:waiting", "attendance": ""},
        ]
    )
    assert booked.booking_id == "3" and waiting.booking_id == ""


def test_heat_map_rows_shade_reached_months_and_blank_the_rest():
    cells = heat_row({"cohort": "2026-01", "size": 12, "retention": [0.5, 0.0]})
    assert len(cells) == 8
    assert cells[0] == HeatCell("2026-01", "transparent") and cells[1] == HeatCell("12", "transparent")
    assert cells[2] == HeatCell("50%", "var(--indigo-9)")
    assert cells[3] == HeatCell("0%", "var(--indigo-2)")
    assert all(c == HeatCell("", "transparent") for c in cells[4:])
    assert len(heat_cells([{"cohort": "a", "size": 1, "retention": []}] * 3)) == 24


def report(**revenue) -> KpiReport:
    money = {"gross_booking_value": {}, "platform_revenue": {}, "mrr": {}, "arr": {}, "refunds": {}, "net_revenue": {}}
    money["commission_run_rate"] = {}
    return KpiReport(
        start=START,
        end=START + timedelta(days=30),
        revenue=money | revenue,
        learners={"active_learners": 5, "ltv": {"USD": 1234.7}, "projected_ltv": {}, "cac": {}, "ltv_to_cac": {}},
        marketplace={
            "booking_conversion": 0.25,
            "completion_rate": 1,
            "cancellation_rate": 0.1,
            "no_show_rate": 0.05,
            "seat_utilisation": 0.5,
            "active_mentor_share": 0.333,
            "average_rating": None,
        },
        recommender={"recommendation_ctr": 0.12, "recommendation_conversion": 0.034},
    )


def test_kpi_cards_show_money_per_currency_rates_as_percentages_and_dashes_for_nothing():
    cards = {c.key: c for c in kpi_cards(report(gross_booking_value={"USD": 150000, "EUR": 990}))}
    assert len(cards) == 17  # MRR and ARR from subscriptions, and the commission run-rate apart
    assert cards["gross_booking_value"].value == "€9.90 · $1,500.00"
    assert cards["platform_revenue"].value == "—"
    assert cards["ltv"].value == "$12.34 / —"
    assert cards["cac"].value == "— · —"
    assert cards["booking_conversion"].value == "25.0%"
    assert cards["cancellation_rate"].value == "10.0% · 5.0%"
    assert cards["average_rating"].value == "—"
    assert cards["recommendation_ctr"].value == "12.0% · 3.4%"
    assert cards["active_learners"].label == "Active learners" and cards["active_learners"].value == "5"
    assert money_text({}) == "—"


def test_the_ledger_note_warns_only_on_an_imbalance():
    assert ledger_note([]) == "Ledger balanced: every transaction sums to zero."
    assert ledger_note([4, 9]).startswith("LEDGER IMBALANCE in 2 transaction(s)")


def test_the_room_lists_everyone_but_me_and_keeps_the_last_200_chat_lines():
    people = remote_people([(1, "Me", "mentor"), (2, "Bo", "learner")], 1, "http://media", 7)
    assert [(p.user_id, p.name) for p in people] == [("2", "Bo")]
    assert people[0].url == "http://media/media/whep/7/2"
    assert people[0].screen_url == "http://media/media/whep/7/2?kind=screen"
    shown = [ChatLine("a", str(i), "10:00") for i in range(199)]
    kept = append_chat(shown, [ChatLine("b", "x", "10:01"), ChatLine("b", "y", "10:02")])
    assert len(kept) == 200 and kept[0].body == "1" and kept[-1].body == "y"
