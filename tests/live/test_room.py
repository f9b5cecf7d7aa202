"""Who may enter a live room and when: tokens only for the mentor and confirmed learners, inside the
window; the media side refuses missing, forged, expired and other-session tokens. Chat and attendance."""

from datetime import timedelta

import pytest

from peerlearn.booking.actions import book_session
from peerlearn.config import get_settings
from peerlearn.live.room import attendance_proposal, open_room_early, record_join, record_leave, room_door
from peerlearn.media.tokens import MediaTokenError, issue_media_token, verify_media_token
from peerlearn.models import Booking
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user, token_for


@pytest.fixture
def room(db):
    mentor, learner, stranger = make_user(db, mentor=True), make_user(db), make_user(db)
    soon = make_session(db, mentor, start_in=timedelta(minutes=5), min_notice_minutes=0, capacity=3)
    later = make_session(db, mentor, start_in=timedelta(days=2), capacity=3)
    book_session(learner, soon, db=db)
    book_session(learner, later, db=db)
    db.commit()
    return {"soon": soon, "later": later, "mentor": mentor, "learner": learner, "stranger": stranger}


def test_tokens_for_participants_inside_the_window_only(api, db, room):
    learner_auth = token_for(db, room["learner"])
    issued = api.post(f"/api/sessions/{room['soon']}/media-token/", headers=learner_auth)
    assert issued.status_code == 200
    body = issued.json()
    assert body["role"] == "learner" and body["whip_url"].endswith(f"/media/whip/{room['soon']}")
    claims = verify_media_token(get_settings().secret_key, body["token"], room["soon"], utcnow())
    assert claims.user_id == room["learner"].id
    assert (
        api.post(f"/api/sessions/{room['soon']}/media-token/", headers=token_for(db, room["mentor"])).json()["role"]
        == "mentor"
    )
    assert (
        api.post(f"/api/sessions/{room['soon']}/media-token/", headers=token_for(db, room["stranger"])).status_code
        == 403
    )
    assert api.post(f"/api/sessions/{room['soon']}/media-token/").status_code == 401
    too_early = api.post(f"/api/sessions/{room['later']}/media-token/", headers=learner_auth)
    assert too_early.status_code == 403 and too_early.json()["error"]["code"] == "room_closed"


def test_media_side_refuses_bad_tokens():
    secret, now = "media-secret", utcnow()
    good = issue_media_token(secret, 7, 3, "learner", now - timedelta(minutes=1), now + timedelta(minutes=30))
    assert verify_media_token(secret, good, 7, now).role == "learner"
    cases = [
        (None, 7, now, 401),
        ("garbage", 7, now, 401),
        (good[:-2] + "xx", 7, now, 401),
        (issue_media_token("other-secret", 7, 3, "learner", now, now + timedelta(hours=1)), 7, now, 401),
        (good, 8, now, 403),
        (good, 7, now + timedelta(hours=1), 403),
        (good, 7, now - timedelta(minutes=5), 403),
    ]
    for token, session_id, at, status in cases:
        with pytest.raises(MediaTokenError) as refused:
            verify_media_token(secret, token, session_id, at)
        assert refused.value.status == status


def test_mentor_opens_the_room_early(api, db, room):
    mentor = make_user(db, mentor=True)
    mentor_auth = token_for(db, mentor)
    later = make_session(db, mentor, start_in=timedelta(minutes=45), min_notice_minutes=0, capacity=2)
    assert api.post(f"/api/sessions/{later}/media-token/", headers=mentor_auth).status_code == 403
    assert api.post(f"/api/sessions/{later}/start/", headers=token_for(db, room["learner"])).status_code == 403
    assert api.post(f"/api/sessions/{later}/start/", headers=mentor_auth).status_code == 200
    assert api.post(f"/api/sessions/{later}/media-token/", headers=mentor_auth).status_code == 200


def test_chat_is_kept_for_participants_only(api, db, room):
    learner_auth = token_for(db, room["learner"])
    assert (
        api.post(f"/api/sessions/{room['soon']}/chat/", json={"body": "Hello!"}, headers=learner_auth).status_code
        == 201
    )
    assert (
        api.post(
            f"/api/sessions/{room['soon']}/chat/", json={"body": "Hi"}, headers=token_for(db, room["stranger"])
        ).status_code
        == 403
    )
    history = api.get(f"/api/sessions/{room['soon']}/chat/", headers=token_for(db, room["mentor"])).json()
    assert [m["body"] for m in history] == ["Hello!"]


def test_attendance_from_connections(db, room):
    now = utcnow()
    record_join(room["soon"], room["learner"].id, now, db=db)
    record_leave(room["soon"], room["learner"].id, now + timedelta(minutes=40), db=db)
    db.commit()
    booking = db.query(Booking).filter(Booking.session_id == room["soon"]).one()
    assert booking.attended_seconds == 2400 and booking.joined_at is not None
    proposal = attendance_proposal(room["mentor"], room["soon"], db=db)
    assert proposal["attended_booking_ids"] == [booking.id] and proposal["no_show_booking_ids"] == []
    assert proposal["mentor_connected"] == []  # the mentor never connected: the refund path applies


def test_mentor_who_never_joined_refunds_everyone(db):
    from peerlearn.billing.payments import handle_webhook, simulated_pay
    from peerlearn.live.room import refund_mentor_no_shows
    from peerlearn.models import LearningSession, Payment
    from peerlearn.models.enums import PaymentStatus, SessionStatus

    mentor, learner = make_user(db, mentor=True), make_user(db)
    past = utcnow() - timedelta(hours=3)
    sid = make_session(
        db,
        mentor,
        price_minor=3000,
        now=past - timedelta(hours=1),
        start_in=timedelta(hours=1),
        min_notice_minutes=0,
        capacity=2,
    )
    _, payment = book_session(learner, sid, db=db, now=past - timedelta(minutes=30))
    db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=db), db=db)
    record_join(sid, learner.id, past + timedelta(minutes=2), db=db)  # the learner came; the mentor never did
    db.commit()
    assert refund_mentor_no_shows(db=db) == 1
    db.commit()
    assert db.get(LearningSession, sid).status == SessionStatus.CANCELLED
    assert db.get(Payment, payment.id).status == PaymentStatus.REFUNDED
    assert refund_mentor_no_shows(db=db) == 0


def test_recordings_play_by_signed_link_for_participants_only(api, db, room, tmp_path):
    from urllib.parse import parse_qs, urlsplit

    from peerlearn.live.room import record_recording, room_record

    video = tmp_path / "take.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    record_recording(room["soon"], str(video), utcnow() - timedelta(minutes=30), utcnow(), video.stat().st_size, db=db)
    db.commit()
    assert room_record(room["stranger"], room["soon"], db=db) is None
    mine = room_record(room["learner"], room["soon"], db=db)
    assert len(mine.recordings) == 1 and mine.recordings[0].minutes == 30
    link = mine.recordings[0].url

    played = api.get(link)
    assert played.status_code == 200 and played.content == video.read_bytes()
    assert played.headers["content-disposition"].startswith("inline")
    assert api.get(mine.recordings[0].download_url).headers["content-disposition"].startswith("attachment")
    part = api.get(link, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100  # the player can seek

    path = link.split("?")[0]
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    forged = dict(params, user=str(room["stranger"].id))
    assert api.get(path, params=forged).status_code == 401
    assert api.get(path, params=dict(params, expires=str(int(params["expires"]) + 60))).status_code == 401
    assert api.get(path).status_code == 401
    stranger_link = (
        room_record(room["mentor"], room["soon"], db=db)
        .recordings[0]
        .url.replace(f"user={room['mentor'].id}", f"user={room['stranger'].id}")
    )
    assert api.get(stranger_link).status_code == 401  # the signature binds the user
    assert api.get(path, headers=token_for(db, room["stranger"])).status_code == 403
    assert api.get(path, headers=token_for(db, room["mentor"])).status_code == 200


def test_an_expired_recording_link_is_refused(db, room, tmp_path):
    from peerlearn.live.room import RECORDING_LINK_TTL, record_recording, recording_by_link, recording_link
    from peerlearn.platform.errors import AuthenticationError

    video = tmp_path / "take.mp4"
    video.write_bytes(b"mp4")
    recording = record_recording(room["soon"], str(video), utcnow(), utcnow(), 3, db=db)
    db.commit()
    link = recording_link(room["learner"], recording, now=utcnow() - RECORDING_LINK_TTL - timedelta(minutes=1))
    params = dict(part.split("=") for part in link.split("?")[1].split("&"))
    with pytest.raises(AuthenticationError, match="expired"):
        recording_by_link(
            room["soon"], recording.id, int(params["user"]), int(params["expires"]), params["signature"], db=db
        )


def test_the_door_says_when_the_room_opens_and_lets_the_mentor_open_it_within_the_hour_before(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, start_in=timedelta(minutes=40), min_notice_minutes=0)
    book_session(learner, sid, db=db)
    db.commit()
    now = utcnow()
    mentors, learners = room_door(mentor, sid, db=db, now=now), room_door(learner, sid, db=db, now=now)
    assert not learners.is_open(now) and not learners.can_open_early and learners.booking_id is not None
    assert mentors.can_open_early and mentors.role == "mentor"
    assert not room_door(mentor, sid, db=db, now=now - timedelta(minutes=30)).can_open_early  # 70 min before
    open_room_early(mentor, sid, db=db, now=now)
    db.commit()
    after = room_door(learner, sid, db=db, now=now)
    assert after.is_open(now) and after.opens_at <= now
    assert not room_door(mentor, sid, db=db, now=now).can_open_early  # open already: nothing left to open


def test_too_early_for_the_room_says_when_it_opens_in_the_persons_zone(api, db):
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata")
    later = make_session(db, mentor, start_in=timedelta(days=2), capacity=3)
    book_session(learner, later, db=db)
    db.commit()
    refused = api.post(f"/api/sessions/{later}/media-token/", headers=token_for(db, learner))
    assert refused.status_code == 403
    message = refused.json()["error"]["message"]
    assert message.startswith("The room is open from ") and message.count("GMT+5:30 (Asia/Kolkata)") == 2
    assert "UTC" not in message
