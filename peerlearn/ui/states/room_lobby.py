"""The live room's lobby: which camera and microphone, previewed before joining (mixed into RoomState).

The browser lists the devices and opens them (live_media.preview); this keeps what it reported.
"""

from __future__ import annotations

import reflex as rx

from peerlearn.ui.components import live_media
from peerlearn.ui.format.live import devices
from peerlearn.ui.views import Device


class RoomLobby(rx.State, mixin=True):
    cameras: list[Device] = []
    microphones: list[Device] = []
    camera: str = ""
    microphone: str = ""
    device_error: str = ""
    device_note: str = ""

    def open_lobby(self):
        """Preview the chosen camera and microphone before joining (the browser asks for permission here)."""
        return live_media.preview(self.camera, self.microphone, type(self).devices_found)

    def devices_found(self, found: dict):
        found = found or {}
        self.device_error, self.device_note = found.get("error") or "", found.get("note") or ""
        self.cameras, self.microphones = devices(found.get("cameras")), devices(found.get("microphones"))
        self.camera, self.microphone = found.get("camera") or "", found.get("microphone") or ""

    def choose_camera(self, device_id: str):
        self.camera = device_id
        return self.open_lobby()

    def choose_microphone(self, device_id: str):
        self.microphone = device_id
        return self.open_lobby()
