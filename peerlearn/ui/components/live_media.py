"""Browser media for the live room. This is the ONE module with JavaScript text in PeerLearn.

No React component publishes over WHIP, so a few lines glue @eyevinn/whip-web-client to the camera:
open the devices (falling back to audio only, and saying how to fix a blocked permission), show the
preview, and publish with the signed media token. Playback is a small WHEP loop beside it: the
mediamtx-webrtc-react 0.1.0 player re-created its reader on every state change and never attached a
stream here, so it was dropped (see the closing note).
"""

from __future__ import annotations

import json

import reflex as rx
from reflex_components_core.base.fragment import Fragment

WHIP_LIBRARY = "@eyevinn/whip-web-client@1.1.7"

_GLUE = """
if (typeof window !== "undefined") {
window.peerlearnPublish = async (url, token, kind, previewId, errorId) => {
  const say = (text) => { const el = document.getElementById(errorId); if (el) el.textContent = text; };
  let stream;
  try {
    stream = kind === "screen" ? await navigator.mediaDevices.getDisplayMedia({video: true})
                               : await navigator.mediaDevices.getUserMedia({video: true, audio: true});
  } catch (err) {
    if (err.name === "NotAllowedError") { say("Camera and microphone are blocked. Allow them for this site (the camera icon in the address bar), then join again."); return; }
    try { stream = await navigator.mediaDevices.getUserMedia({audio: true}); say("No camera available: you joined with audio only."); }
    catch (again) { say("No camera or microphone could be opened (" + again.name + ")."); return; }
  }
  const preview = document.querySelector("#" + previewId + " video");
  if (preview && kind !== "screen") { preview.srcObject = stream; }
  if (kind !== "screen") { window.peerlearnStream = stream; }
  const client = new WHIPClient({endpoint: url + "?kind=" + kind, opts: {authkey: token, noTrickleIce: true, iceServers: []}});
  (window.peerlearnClients = window.peerlearnClients || []).push(client);
  await client.ingest(stream);
};
window.peerlearnPlay = async (url, token, boxId) => {
  const video = document.querySelector("#" + boxId + " video");
  while (video && document.body.contains(video)) {
    const pc = new RTCPeerConnection({iceServers: []});
    pc.addTransceiver("video", {direction: "recvonly"});
    pc.addTransceiver("audio", {direction: "recvonly"});
    pc.ontrack = (event) => { video.srcObject = event.streams[0] || new MediaStream([event.track]); video.play().catch(() => {}); };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((done) => { if (pc.iceGatheringState === "complete") done(); pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && done(); setTimeout(done, 2000); });
    const response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/sdp", "Authorization": "Bearer " + token}, body: pc.localDescription.sdp});
    if (response.status === 201) {
      await pc.setRemoteDescription({type: "answer", sdp: await response.text()});
      await new Promise((done) => { pc.onconnectionstatechange = () => ["failed", "closed"].includes(pc.connectionState) && done(); });
    }
    pc.close();
    await new Promise((wait) => setTimeout(wait, 2000));  // not publishing yet, or dropped: ask again
  }
};
window.peerlearnToggle = (kind) => {
  for (const track of (window.peerlearnStream ? window.peerlearnStream.getTracks() : [])) {
    if (track.kind === kind) { track.enabled = !track.enabled; }
  }
};
window.peerlearnLeave = async () => {
  for (const client of window.peerlearnClients || []) { await client.destroy(); }
  window.peerlearnClients = [];
};
}
"""


class WhipSupport(Fragment):
    """Renders nothing; brings WHIPClient and the glue above into the room page."""

    def add_imports(self) -> dict:
        return {WHIP_LIBRARY: "WHIPClient"}

    def add_custom_code(self) -> list[str]:
        return [_GLUE]


def publish(url: str, token: str, kind: str = "camera") -> rx.event.EventSpec:
    return rx.call_script(f"window.peerlearnPublish({json.dumps(url)}, {json.dumps(token)}, {json.dumps(kind)}, 'local-preview', 'media-error')")


def play(url: str, token: str, box_id: str) -> rx.event.EventSpec:
    return rx.call_script(f"window.peerlearnPlay({json.dumps(url)}, {json.dumps(token)}, {json.dumps(box_id)})")


def toggle(kind: str) -> rx.event.EventSpec:
    """Mute or unmute ("audio"), camera off or on ("video"): the track keeps flowing, silent or black."""
    return rx.call_script(f"window.peerlearnToggle({json.dumps(kind)})")


def leave() -> rx.event.EventSpec:
    return rx.call_script("window.peerlearnLeave()")
