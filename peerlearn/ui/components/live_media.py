"""Browser media for the live room. This is the ONE module with JavaScript text in PeerLearn.

No React component publishes over WHIP, so a few lines glue @eyevinn/whip-web-client to the camera:
open the chosen devices for the lobby preview (falling back to audio only, and saying how to fix a
blocked permission), list the devices to choose from, and publish with the signed media token.
Playback is a small WHEP loop beside it: the mediamtx-webrtc-react 0.1.0 player re-created its reader
on every state change and never attached a stream here, so it was dropped (see the closing note).

The media token travels only in the `Authorization: Bearer` header, never in a URL (the media server
reads no other place): WHIPClient turns `opts.authkey` into that header on its POST, OPTIONS, PATCH
and DELETE (@eyevinn/whip-web-client 1.1.7, `WHIPProtocol`), and the WHEP loop sets it on its fetch.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex_components_core.base.fragment import Fragment

WHIP_LIBRARY = "@eyevinn/whip-web-client@1.1.7"

_GLUE = """
if (typeof window !== "undefined") {
window.peerlearnPreview = async (cameraId, micId, previewId) => {
  for (const track of (window.peerlearnStream ? window.peerlearnStream.getTracks() : [])) { track.stop(); }
  const pick = (id) => (id ? {deviceId: {exact: id}} : true);
  let stream, note = "";
  try { stream = await navigator.mediaDevices.getUserMedia({video: pick(cameraId), audio: pick(micId)}); }
  catch (err) {
    if (err.name === "NotAllowedError") {
      return {error: "Camera and microphone are blocked. Allow them for this site (the camera icon in the address "
        + "bar), then reload the page."};
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({audio: pick(micId)});
      note = "No camera could be opened (absent, or busy in another app): you will join with audio only.";
    }
    catch (again) { return {error: "No camera or microphone could be opened (" + again.name + ")."}; }
  }
  window.peerlearnStream = stream;
  const preview = document.querySelector("#" + previewId + " video");
  if (preview) { preview.srcObject = stream; }
  const devices = await navigator.mediaDevices.enumerateDevices();
  const list = (kind) => devices.filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({id: d.deviceId, label: d.label || kind + " " + (i + 1)}));
  const using = (kind) => (stream.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId || "");
  return {
    cameras: list("videoinput"), microphones: list("audioinput"),
    camera: using("video"), microphone: using("audio"), error: "", note,
  };
};
window.peerlearnPublish = async (url, token, kind) => {
  const stream = kind === "screen"
    ? await navigator.mediaDevices.getDisplayMedia({video: true}).catch(() => null)
    : window.peerlearnStream;
  if (!stream) { return; }
  // opts.authkey is sent as "Authorization: Bearer <token>" on every WHIP request; the URL carries no token.
  const client = new WHIPClient({
    endpoint: url + "?kind=" + kind, opts: {authkey: token, noTrickleIce: true, iceServers: []},
  });
  (window.peerlearnClients = window.peerlearnClients || []).push(client);
  if (kind === "screen") { stream.getVideoTracks()[0].onended = () => client.destroy(); }
  await client.ingest(stream);
};
window.peerlearnPlay = async (url, token, boxId) => {
  const video = document.querySelector("#" + boxId + " video");
  while (video && document.body.contains(video)) {
    const pc = new RTCPeerConnection({iceServers: []});
    pc.addTransceiver("video", {direction: "recvonly"});
    pc.addTransceiver("audio", {direction: "recvonly"});
    pc.ontrack = (event) => {
      video.srcObject = event.streams[0] || new MediaStream([event.track]);
      video.play().catch(() => {});
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((done) => {
      if (pc.iceGatheringState === "complete") done();
      pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && done();
      setTimeout(done, 2000);
    });
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/sdp", "Authorization": "Bearer " + token},
      body: pc.localDescription.sdp,
    });
    if (response.status === 201) {
      await pc.setRemoteDescription({type: "answer", sdp: await response.text()});
      await new Promise((done) => {
        pc.onconnectionstatechange = () => ["failed", "closed"].includes(pc.connectionState) && done();
      });
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


def preview(camera: str, microphone: str, callback) -> rx.event.EventSpec:
    """Open the chosen devices (empty: the default) into the lobby preview; `callback` gets the device lists."""
    return rx.call_script(
        f"window.peerlearnPreview({json.dumps(camera)}, {json.dumps(microphone)}, 'local-preview')", callback=callback
    )


def publish(url: str, token: str, kind: str = "camera") -> rx.event.EventSpec:
    """Publish the previewed camera and microphone, or ("screen") a screen the browser asks for."""
    return rx.call_script(f"window.peerlearnPublish({json.dumps(url)}, {json.dumps(token)}, {json.dumps(kind)})")


def play(url: str, token: str, box_id: str) -> rx.event.EventSpec:
    return rx.call_script(f"window.peerlearnPlay({json.dumps(url)}, {json.dumps(token)}, {json.dumps(box_id)})")


def toggle(kind: str) -> rx.event.EventSpec:
    """Mute or unmute ("audio"), camera off or on ("video"): the track keeps flowing, silent or black."""
    return rx.call_script(f"window.peerlearnToggle({json.dumps(kind)})")


def leave() -> rx.event.EventSpec:
    return rx.call_script("window.peerlearnLeave()")
