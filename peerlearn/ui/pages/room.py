"""The live room: your preview, everyone else's video, chat, hand raising, the recording notice."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.live_media import WhipSupport
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.room import RoomState as R
from peerlearn.ui.views import RemotePerson


def _video(muted: bool = False) -> rx.Component:
    return rx.el.video(
        auto_play=True,
        muted=muted,
        plays_inline=True,
        width="100%",
        style={"background": "black", "border-radius": "8px"},
    )


def _remote(person: rx.Var[RemotePerson]) -> rx.Component:
    # Both boxes stay in the page while hidden (a player needs its video element); each shows only while its
    # publication is live: someone who leaves or drops is not left on screen as their last frame.
    return rx.vstack(
        rx.box(
            _video(),
            id="remote-" + person.user_id,
            class_name="remote-video",
            width="100%",
            display=rx.cond(R.publishing.contains(person.user_id), "block", "none"),
        ),
        rx.box(
            _video(),
            id="screen-" + person.user_id,
            class_name="remote-screen",
            width="100%",
            display=rx.cond(R.sharing.contains(person.user_id), "block", "none"),
        ),
        rx.hstack(
            rx.text(person.name, size="2", weight="medium"),
            rx.badge(person.role, variant="soft"),
            rx.cond(
                R.publishing.contains(person.user_id),
                rx.badge("live", color_scheme="green"),
                rx.badge("waiting", color_scheme="gray"),
            ),
        ),
        width="100%",
    )


def _chat() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Chat", size="4"),
            rx.box(
                rx.foreach(R.chat, lambda m: rx.text(rx.text.strong(m.who), " ", m.body, size="2")),
                id="chat-log",
                height="260px",
                overflow_y="auto",
                width="100%",
            ),
            rx.form(
                rx.hstack(
                    rx.input(name="body", placeholder="Say something", width="100%", id="chat-input"),
                    rx.button("Send", type="submit", id="chat-send"),
                ),
                on_submit=R.send_chat,
                reset_on_submit=True,
                width="100%",
            ),
            width="100%",
        )
    )


def _device_picker(label: str, devices, value, on_change, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.select.root(
            rx.select.trigger(placeholder="Default", width="100%", id=element_id),
            rx.select.content(rx.foreach(devices, lambda d: rx.select.item(d.label, value=d.id))),
            value=value,
            on_change=on_change,
        ),
        spacing="1",
        min_width="14em",
    )


def _lobby() -> rx.Component:
    """Before joining: the preview below shows the chosen camera; pick devices, then join."""
    return card(
        rx.vstack(
            rx.heading("Check your camera and microphone", size="4"),
            rx.text("Your preview is below. Nobody sees or hears you until you join.", size="2", color_scheme="gray"),
            rx.hstack(
                rx.cond(
                    R.cameras.length() > 0,
                    _device_picker("Camera", R.cameras, R.camera, R.choose_camera, "camera-choice"),
                ),
                rx.cond(
                    R.microphones.length() > 0,
                    _device_picker("Microphone", R.microphones, R.microphone, R.choose_microphone, "microphone-choice"),
                ),
                wrap="wrap",
                spacing="4",
            ),
            rx.cond(
                R.device_error != "",
                rx.callout(R.device_error, icon="video-off", color_scheme="red", id="device-error"),
            ),
            rx.cond(R.device_note != "", rx.callout(R.device_note, icon="mic", color_scheme="amber", id="device-note")),
            rx.button(
                rx.icon("video", size=16),
                "Join the session",
                on_click=R.join,
                id="join-room",
                disabled=R.device_error != "",
            ),
            spacing="3",
            width="100%",
            id="lobby",
        ),
        on_mount=R.open_lobby,
    )


def _controls() -> rx.Component:
    return rx.hstack(
        rx.button(rx.cond(R.muted, "Unmute", "Mute"), variant="soft", on_click=R.toggle_mute, id="toggle-mute"),
        rx.button(
            rx.cond(R.camera_off, "Camera on", "Camera off"),
            variant="soft",
            on_click=R.toggle_camera,
            id="toggle-camera",
        ),
        rx.button(
            rx.icon("monitor-up", size=16), "Share screen", variant="soft", on_click=R.share_screen, id="share-screen"
        ),
        rx.button("✋ Raise hand", variant="soft", on_click=R.raise_hand),
        rx.cond(
            R.role == "mentor",
            rx.button(
                rx.cond(R.recording, "Stop recording", "Start recording"),
                color_scheme="red",
                variant="soft",
                on_click=R.toggle_recording,
                id="toggle-recording",
            ),
        ),
        rx.button("Leave", color_scheme="gray", on_click=R.leave_room),
        wrap="wrap",
    )


def _waiting() -> rx.Component:
    """Before the room opens: what, when (in the viewer's zone), how long until it opens, and the way back."""
    return card(
        rx.vstack(
            rx.heading(R.wait.title, size="6", id="room-wait-title"),
            rx.text(R.wait.starts, size="3", id="room-wait-starts"),
            rx.callout(R.wait.note, icon="clock", color_scheme="blue", id="room-wait-note"),
            rx.hstack(
                rx.cond(
                    R.wait.can_open_early,
                    rx.button(
                        rx.icon("video", size=16), "Open the room now", on_click=R.open_room_now, id="open-room-now"
                    ),
                ),
                rx.link(rx.button(R.wait.back_label, variant="soft"), href=R.wait.back_url, id="room-wait-back"),
                wrap="wrap",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        id="room-waiting",
    )


@page(routes.ROOM, "Live room", on_load=[AuthState.require_login, R.load_room])
def room_page() -> rx.Component:
    body = rx.vstack(
        WhipSupport.create(),
        rx.heading(R.title, size="6"),
        rx.cond(
            R.recording,
            rx.callout(
                "This session is being recorded. Everyone's audio and video are saved for the participants.",
                icon="circle-dot",
                color_scheme="red",
                id="recording-notice",
            ),
        ),
        rx.cond(R.joined, _controls(), _lobby()),
        rx.cond(
            R.joined & R.reconnecting,
            rx.callout(
                "Reconnecting… your connection dropped; the room comes back by itself.",
                icon="wifi-off",
                color_scheme="amber",
                id="reconnecting",
            ),
        ),
        rx.cond(
            R.joined & R.elsewhere,
            rx.callout(
                "You are in this room from another tab or device: your camera goes out from there, not from here.",
                icon="monitor-smartphone",
                color_scheme="blue",
                id="joined-elsewhere",
            ),
        ),
        rx.grid(
            rx.vstack(
                rx.box(_video(muted=True), id="local-preview", width="100%"),
                rx.text("You", size="2", weight="medium"),
                width="100%",
            ),
            rx.foreach(R.others, _remote),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="3",
            width="100%",
        ),
        _chat(),
        rx.cond(
            R.recordings.length() > 0,
            card(
                rx.heading("Recordings", size="4"),
                rx.foreach(R.recordings, lambda r: rx.link("Recording of ", r.when, href=r.download)),
                rx.link("Play them on the session page", href="/sessions/" + R.room_id.to_string(), size="2"),
            ),
        ),
        spacing="4",
        width="100%",
    )
    return rx.cond(
        R.problem != "",
        rx.callout(R.problem, color_scheme="amber", id="room-problem"),
        # one poll for both: it moves the countdown while waiting and enters the room once it opens
        rx.box(rx.cond(R.waiting, _waiting(), body), on_mount=R.watch, on_unmount=R.stop_watching, width="100%"),
    )
