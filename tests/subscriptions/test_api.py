"""/api/subscriptions/: a mentor lists plans, checks out on the simulated gateway, pays, sees the plan, cancels at
period end; an admin emits a failed renewal and its recovery; bad input is a 4xx in the one error shape."""

from __future__ import annotations

from peerlearn.models import Notification
from tests.factories import make_user, token_for
from tests.subscriptions.helpers import make_plan

CARD = "4242 4242 4242 4242"


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


def test_a_mentor_subscribes_pays_sees_the_plan_and_cancels_at_period_end(api, db) -> None:
    plan = make_plan(db, "Test Pro")
    mentor = make_user(db, mentor=True)
    headers = token_for(db, mentor)

    listed = api.get("/api/subscriptions/plans/")
    assert listed.status_code == 200
    offered = {p["name"]: p for p in listed.json()}
    assert {"currency": "USD", "interval": "month", "amount_minor": 1500} in offered["Test Pro"]["prices"]
    assert api.get("/api/subscriptions/me/", headers=headers).json() == {"plan_name": "Free", "subscription": None}

    started = api.post("/api/subscriptions/checkout/", json={"plan_id": plan.id, "interval": "month"}, headers=headers)
    assert started.status_code == 201, started.text
    url = started.json()["checkout_url"]
    assert "/pay/simulated/subscription/" in url
    ref = url.rsplit("/", 1)[-1]
    paid = api.post(f"/api/subscriptions/simulated/{ref}/pay/", json={"card_number": CARD}, headers=headers)
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "active"

    me = api.get("/api/subscriptions/me/", headers=headers).json()
    assert me["plan_name"] == "Test Pro" and me["subscription"]["status"] == "active"
    again = api.post("/api/subscriptions/checkout/", json={"plan_id": plan.id, "interval": "month"}, headers=headers)
    error_of(again, 409, "invalid_state")

    cancelled = api.post("/api/subscriptions/me/cancel/", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["cancel_at_period_end"] is True
    assert api.get("/api/subscriptions/me/", headers=headers).json()["plan_name"] == "Test Pro"  # until the end


def test_an_admin_emits_a_failed_renewal_and_its_recovery(api, db) -> None:
    plan = make_plan(db, "Test Pro")
    mentor, admin = make_user(db, mentor=True), make_user(db, admin=True)
    headers, admin_headers = token_for(db, mentor), token_for(db, admin)
    started = api.post("/api/subscriptions/checkout/", json={"plan_id": plan.id, "interval": "year"}, headers=headers)
    ref, sub_id = started.json()["checkout_url"].rsplit("/", 1)[-1], started.json()["subscription"]["id"]
    api.post(f"/api/subscriptions/simulated/{ref}/pay/", json={"card_number": CARD}, headers=headers)

    failed = api.post(f"/api/admin/subscriptions/{sub_id}/simulate/failure/", headers=admin_headers)
    assert failed.status_code == 200, failed.text
    assert failed.json()["status"] == "past_due" and failed.json()["grace_until_at"]
    db.expire_all()
    assert any("failed" in n.title for n in db.query(Notification).filter(Notification.user_id == mentor.id))
    recovered = api.post(f"/api/admin/subscriptions/{sub_id}/simulate/renewal/", headers=admin_headers)
    assert recovered.json()["status"] == "active" and recovered.json()["grace_until_at"] is None
    error_of(api.post(f"/api/admin/subscriptions/{sub_id}/simulate/failure/", headers=headers), 403, "forbidden")
    error_of(api.post(f"/api/admin/subscriptions/{sub_id}/simulate/other/", headers=admin_headers), 404, "not_found")


def test_bad_input_is_a_4xx_in_the_one_error_shape(api, db) -> None:
    plan = make_plan(db, "Test Pro")
    mentor, learner = make_user(db, mentor=True), make_user(db)
    headers = token_for(db, mentor)
    checkout = "/api/subscriptions/checkout/"
    error_of(api.post(checkout, json={"plan_id": plan.id, "interval": "month"}), 401, "unauthenticated")
    learner_try = api.post(checkout, json={"plan_id": plan.id, "interval": "month"}, headers=token_for(db, learner))
    assert learner_try.status_code == 403
    error_of(
        api.post(checkout, json={"plan_id": plan.id, "interval": "weekly"}, headers=headers), 422, "validation_error"
    )
    error_of(api.post(checkout, json={"plan_id": 99999, "interval": "month"}, headers=headers), 404, "not_found")
    no_price = api.post(checkout, json={"plan_id": plan.id, "interval": "month", "currency": "JPY"}, headers=headers)
    error_of(no_price, 422, "validation_error")
    error_of(
        api.post(checkout, json={"plan_id": plan.id, "interval": "month", "currency": "??"}, headers=headers),
        422,
        "validation_error",
    )
    error_of(api.post("/api/subscriptions/me/cancel/", headers=headers), 404, "not_found")
    started = api.post(checkout, json={"plan_id": plan.id, "interval": "month"}, headers=headers).json()
    ref = started["checkout_url"].rsplit("/", 1)[-1]
    declined = api.post(
        f"/api/subscriptions/simulated/{ref}/pay/", json={"card_number": "4000 0000 0000 0002"}, headers=headers
    )
    error_of(declined, 409, "payment_error")
    other = token_for(db, make_user(db, mentor=True))
    error_of(
        api.post(f"/api/subscriptions/simulated/{ref}/pay/", json={"card_number": CARD}, headers=other),
        404,
        "not_found",
    )
