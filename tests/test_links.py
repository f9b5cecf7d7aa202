"""Every link a notification carries opens a real page: the bell and the e-mail copy must never lead to a 404.

Each kind of notification is produced through the real domain functions (book, pay, decline, cancel, reschedule,
waitlist, reminders, reviews, a mentor's cancellation, a late payment), then every link stored on a Notification row
is matched against the pages the Reflex app registers, and its id must name a row that exists.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn import links
from peerlearn.accounts.password_reset import request_password_reset, reset_password
from peerlearn.billing.payments import handle_webhook
from peerlearn.booking.actions import book_session, cancel_booking, decide_booking, expire_holds, reschedule_booking
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.booking.reviews import ReviewCreate, submit_review
from peerlearn.booking.waitlist import join_waitlist
from peerlearn.catalog.actions import cancel_session, complete_session, update_session
from peerlearn.models import Booking, LearningSession, Notification, Payment
from peerlearn.models.catalog import LearningSessionUpdate
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import utcnow
from peerlearn.ui.layout import PAGES
from peerlearn.ui.pages import import_all_pages
from tests.factories import make_session, make_user, pay
from tests.payments.test_payment_flows import simulated_event
from tests.support import wait_until

GOOD_CARD, DECLINED_CARD = "4242 4242 4242 4242", "4000 0000 0000 0002"
# Which table the dynamic segment of a route names, so a link to a deleted or made-up id is caught too.
SEGMENT_TABLES = {"session_id": LearningSession, "booking_id": Booking, "payment_id": Payment}


def registered_routes() -> list[str]:
    import_all_pages()
    return [route for _component, route, _title, _on_load in PAGES]


def route_pattern(route: str) -> re.Pattern[str]:
    """ "/sessions/[session_id]" matches "/sessions/12" and names the segment session_id."""
    parts = [f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("[") else re.escape(part) for part in route.split("/")]
    return re.compile("/".join(parts) + "$")


def page_for(link: str, routes: list[str]) -> tuple[str, dict[str, str]] | None:
    path = link.split("?", 1)[0]
    for route in routes:
        match = route_pattern(route).match(path)
        if match:
            return route, match.groupdict()
    return None


def produce_every_kind_of_notification(db, mailed: list[tuple[str, str, str]]) -> None:
    mentor, ana, ben, cy = make_user(db, mentor=True), make_user(db), make_user(db), make_user(db)
    slots = (timedelta(days=3, hours=3 * n) for n in range(20))  # one mentor: sessions must not overlap

    def new_session(**fields) -> int:
        return make_session(db, mentor, start_in=fields.pop("start_in", None) or next(slots), **fields)

    # Free session: the learner's confirmation and the mentor's "new booking"; then a cancellation for both.
    free = new_session(capacity=1)
    held, _ = book_session(ana, free, db=db)
    db.commit()
    join_waitlist(ben, free, db=db)  # full: ben waits, and ana's cancellation offers him the seat
    db.commit()
    cancel_booking(ana, held.id, db=db)
    db.commit()

    # Approval: the mentor is asked, accepts one and declines another.
    approval = new_session(capacity=3, requires_approval=True)
    accepted, _ = book_session(ana, approval, db=db)
    declined, _ = book_session(cy, approval, db=db)
    db.commit()
    decide_booking(mentor, accepted.id, True, db=db)
    decide_booking(mentor, declined.id, False, db=db)
    db.commit()

    # Paid: a declined card, then a payment that goes through; a paid session that needs approval.
    paid = new_session(price_minor=1500, capacity=2)
    bought, _ = book_session(cy, paid, db=db)
    db.commit()
    pay(db, bought.id, DECLINED_CARD)
    pay(db, bought.id)
    paid_approval = new_session(price_minor=1500, capacity=2, requires_approval=True)
    waiting, _ = book_session(ana, paid_approval, db=db)
    db.commit()
    pay(db, waiting.id)

    # Reschedule a confirmed booking to another session of the same mentor at the same price.
    first = new_session(capacity=2)
    second = new_session(capacity=2)
    moving, _ = book_session(ben, first, db=db)
    db.commit()
    reschedule_booking(ben, moving.id, second, db=db)
    db.commit()

    # A payment that arrives after the hold ended and the seat went to someone else is refunded.
    scarce = new_session(price_minor=900, capacity=1)
    late, _ = book_session(ana, scarce, db=db)
    db.commit()
    expire_holds(db=db, now=utcnow() + timedelta(hours=1))
    db.commit()
    on_time, _ = book_session(ben, scarce, db=db)
    db.commit()
    pay(db, on_time.id)
    pay(db, late.id)

    # Reminders before a session, and a review after an attended one.
    now = utcnow()
    soon = new_session(capacity=2, start_in=timedelta(hours=2), min_notice_minutes=0)
    book_session(cy, soon, db=db)
    db.commit()
    send_due_reminders(db=db, now=now + timedelta(minutes=65))
    complete_session(mentor, soon, db=db, now=now + timedelta(hours=4))
    db.commit()
    submit_review(cy, soon, ReviewCreate(rating=5, comment="Great"), db=db)
    db.commit()

    # The mentor renames a booked session: the learner is told what changed (their booking's page).
    renamed = new_session(capacity=2)
    book_session(cy, renamed, db=db)
    db.commit()
    update_session(mentor, renamed, LearningSessionUpdate(title="Renamed session"), db=db)
    db.commit()

    # The mentor cancels a session with a learner booked.
    dropped = new_session(capacity=2)
    book_session(ana, dropped, db=db)
    db.commit()
    cancel_session(mentor, dropped, db=db, reason="Ill")
    db.commit()

    # A provider reports another amount than was charged: admins are asked to review the payment.
    make_user(db, admin=True)
    odd = new_session(price_minor=1200, capacity=2)
    odd_booking, _ = book_session(ben, odd, db=db)
    db.commit()
    payment = db.exec(select(Payment).where(Payment.booking_id == odd_booking.id)).one()
    handle_webhook(
        "simulated",
        *simulated_event(payment, {"provider_ref": payment.provider_ref, "amount_minor": 1}, "evt_links_review"),
        db=db,
    )
    db.commit()

    # A mentor subscribes to a paid plan (welcome), and a renewal fails (dunning): both link to their plans page.
    from peerlearn.models.subscription import BillingInterval
    from peerlearn.subscriptions import actions as subscriptions
    from peerlearn.subscriptions import simulated as simulated_plans
    from tests.subscriptions.helpers import make_plan

    plan = make_plan(db, "Links Pro")
    sub = subscriptions.start_checkout(mentor, plan.id, BillingInterval.MONTH, db=db)
    db.commit()
    sub = simulated_plans.pay_checkout(sub.provider_ref, "4242 4242 4242 4242", db=db)
    simulated_plans.bill(sub, paid=False, db=db)
    db.commit()

    # A password reset tells the owner their password changed.
    request_password_reset(cy.email, client="198.51.100.1", db=db)
    db.commit()
    mail = wait_until(lambda: [body for to, _subject, body in mailed if to == cy.email], what="the reset mail")
    token = re.search(r"/reset-password\?token=([\w-]+)", mail[0]).group(1)
    reset_password(token, "quartz-meadow-lantern-91", client="198.51.100.1", db=db)
    db.commit()


def test_every_notification_link_opens_a_registered_page(db, monkeypatch):
    from peerlearn.platform import mailer

    mailed: list[tuple[str, str, str]] = []
    monkeypatch.setattr(mailer, "send_email", lambda to, subject, body, ics=None: mailed.append((to, subject, body)))
    routes = registered_routes()
    produce_every_kind_of_notification(db, mailed)
    rows = db.exec(select(Notification)).all()

    assert {row.kind for row in rows} == set(NotificationKind)  # every kind was produced, so every link was seen
    assert all(row.link for row in rows)
    for row in rows:
        page = page_for(row.link, routes)
        assert page is not None, f"{row.kind} links to {row.link!r}, which is no page"
        _route, segments = page
        for name, value in segments.items():
            assert db.get(SEGMENT_TABLES[name], int(value)) is not None, f"{row.kind}: {row.link} names no {name}"


def test_the_link_builders_fill_the_routes_the_pages_are_registered_at():
    routes = registered_routes()
    for built, route in [
        (links.session_link(7), links.SESSION),
        (links.teach_session_link(7), links.TEACH_SESSION),
        (links.booking_link(7), links.BOOKING),
        (links.room_link(7), links.ROOM),
        (links.receipt_link(7), links.RECEIPT),
        (links.simulated_checkout_link("sim_abc"), links.SIMULATED_CHECKOUT),
    ]:
        assert page_for(built, routes) == (route, {route.rsplit("[", 1)[1].rstrip("]"): built.rsplit("/", 1)[1]})


def test_a_route_filled_wrongly_is_refused():
    with pytest.raises(ValueError):
        links.fill(links.SESSION, booking_id=3)
    with pytest.raises(ValueError):
        links.fill(links.SESSION)
