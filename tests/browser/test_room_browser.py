"""A mentor and a learner meet in the live room: each sees the other's video playing, and chat arrives."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking.actions import book_session
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session

PLAYING = "el => { const v = el && el.querySelector('video'); return v !== null && v.videoWidth > 0 && !v.paused; }"


def enter(browser, live_app, email: str, password: str, room: int):
    context = browser.new_context(base_url=live_app, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, email, password)
    page.goto(f"/room/{room}")
    # The lobby: own camera previewed before joining, with the devices to choose from.
    page.wait_for_function(f"() => ({PLAYING})(document.querySelector('#local-preview'))", timeout=30_000)
    page.locator("#camera-choice").click()
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("#join-room").click()
    expect(page.locator("#toggle-mute")).to_be_visible()
    return context, page


def test_mentor_and_learner_see_each_other_and_chat(browser, live_app, live_db):
    tag = uuid.uuid4().hex[:6]
    mentor = register_user(
        UserCreate(email=f"m-{tag}@example.org", password="mentor-password-1", full_name="Maria Mentor", role="mentor"),
        db=live_db,
    )
    learner = register_user(
        UserCreate(email=f"l-{tag}@example.org", password="learner-password-1", full_name="Leo Learner"), db=live_db
    )
    room = make_session(
        live_db, mentor, title="Live pairing", start_in=timedelta(minutes=5), min_notice_minutes=0, capacity=2
    )
    book_session(learner, room, db=live_db)
    live_db.commit()

    mentor_context, mentor_page = enter(browser, live_app, mentor.email, "mentor-password-1", room)
    learner_context, learner_page = enter(browser, live_app, learner.email, "learner-password-1", room)
    try:
        mentor_page.wait_for_function(
            f"() => ({PLAYING})(document.querySelector('#remote-{learner.id}'))", timeout=60_000
        )
        learner_page.wait_for_function(
            f"() => ({PLAYING})(document.querySelector('#remote-{mentor.id}'))", timeout=60_000
        )

        mentor_page.locator("#chat-input").fill("Welcome, Leo!")
        mentor_page.locator("#chat-send").click()
        expect(learner_page.locator("#chat-log")).to_contain_text("Welcome, Leo!", timeout=15_000)
        learner_page.locator("#chat-input").fill("Thanks Maria")
        learner_page.locator("#chat-send").click()
        expect(mentor_page.locator("#chat-log")).to_contain_text("Thanks Maria", timeout=15_000)

        learner_page.locator("#share-screen").click()  # a second stream, beside the camera
        mentor_page.wait_for_function(
            f"() => ({PLAYING})(document.querySelector('#screen-{learner.id}'))", timeout=60_000
        )
        expect(mentor_page.locator(f"#screen-{learner.id}")).to_be_visible()

        learner_page.locator("#toggle-mute").click()
        expect(learner_page.locator("#toggle-mute")).to_have_text("Unmute")
        learner_page.wait_for_function(
            "() => window.peerlearnStream.getAudioTracks().every(t => !t.enabled)", timeout=10_000
        )
        learner_page.locator("#toggle-camera").click()
        expect(learner_page.locator("#toggle-camera")).to_have_text("Camera on")
        learner_page.wait_for_function(
            "() => window.peerlearnStream.getVideoTracks().every(t => !t.enabled)", timeout=10_000
        )

        mentor_page.locator("#toggle-recording").click()
        expect(learner_page.locator("#recording-notice")).to_be_visible(timeout=15_000)
        learner_page.wait_for_timeout(4_000)
        mentor_page.locator("#toggle-recording").click()
        expect(learner_page.locator("#recording-notice")).to_be_hidden(timeout=15_000)

        # Afterwards, on the session page: the take as one file that plays in the page, and the chat.
        for _ in range(30):  # composing runs in the background on the media server
            learner_page.goto(f"/sessions/{room}")
            if learner_page.locator(".recording-player").count():
                break
            learner_page.wait_for_timeout(2_000)
        expect(learner_page.locator("#chat-history")).to_contain_text("Welcome, Leo!")
        player = learner_page.locator(".recording-player video")
        player.evaluate("v => { v.muted = true; return v.play(); }")
        learner_page.wait_for_function(
            "() => { const v = document.querySelector('.recording-player video');"
            " return v && v.videoWidth > 0 && v.currentTime > 0.5; }",
            timeout=30_000,
        )
        assert player.evaluate("v => v.duration") > 3
    finally:
        mentor_context.close()
        learner_context.close()


def mentor_with_a_room(live_db, title: str):
    """A new mentor (password mentor-password-1) whose session starts in 5 minutes: its room is open."""
    mentor = register_user(
        UserCreate(
            email=f"m-{uuid.uuid4().hex[:8]}@example.org",
            password="mentor-password-1",
            full_name="Bea Mentor",
            role="mentor",
        ),
        db=live_db,
    )
    room = make_session(live_db, mentor, title=title, start_in=timedelta(minutes=5), min_notice_minutes=0, capacity=2)
    live_db.commit()
    return mentor, room


def test_a_blocked_camera_is_explained_in_the_lobby(browser, live_app, live_db):
    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.support import chromium_path

    mentor, room = mentor_with_a_room(live_db, "Blocked camera")
    # Without the flag that grants the camera, the browser refuses it as a learner's browser would.
    refusing = browser.browser_type.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[a for a in CHROMIUM_ARGS if a != "--use-fake-ui-for-media-stream"],
    )
    try:
        context = refusing.new_context(base_url=live_app)
        context.set_default_timeout(30_000)
        page = context.new_page()
        log_in(page, mentor.email, "mentor-password-1")
        page.goto(f"/room/{room}")
        expect(page.locator("#device-error")).to_contain_text("blocked")
        expect(page.locator("#device-error")).to_contain_text("address bar")
        expect(page.locator("#join-room")).to_be_disabled()
    finally:
        refusing.close()


CAMERA_BUSY = """
const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (constraints) => constraints.video
    ? Promise.reject(new DOMException("Could not start video source", "NotReadableError")) : open(constraints);
"""


def test_a_busy_camera_falls_back_to_audio_only(browser, live_app, live_db):
    mentor, room = mentor_with_a_room(live_db, "Audio only")
    context = browser.new_context(base_url=live_app)
    context.set_default_timeout(30_000)
    context.add_init_script(CAMERA_BUSY)  # as when another app holds the camera
    try:
        page = context.new_page()
        log_in(page, mentor.email, "mentor-password-1")
        page.goto(f"/room/{room}")
        expect(page.locator("#device-note")).to_contain_text("audio only")
        page.locator("#join-room").click()
        expect(page.locator("#toggle-mute")).to_be_visible()
        page.wait_for_function(
            "() => window.peerlearnStream.getAudioTracks().length === 1"
            " && window.peerlearnStream.getVideoTracks().length === 0"
        )
    finally:
        context.close()
