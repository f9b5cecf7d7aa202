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
// One player per box ("remote-7", "screen-7"), following the publication the room page names: a new
// publication id (a first publish, or the participant published again after a reload, a device or network
// change) replaces the player; peerlearnDrop ends it and clears the tile when the publication ended.
window.peerlearnPlayers = window.peerlearnPlayers || {};
window.peerlearnPlay = (url, token, boxId, publication) => {
  const current = window.peerlearnPlayers[boxId];
  if (current && current.publication === publication) { return; }
  if (current) { current.stop(); }
  const player = {publication, pc: null, stopped: false, wake: () => {}};
  player.stop = () => { player.stopped = true; if (player.pc) { player.pc.close(); } player.wake(); };
  window.peerlearnPlayers[boxId] = player;
  (async () => {
    while (!player.stopped) {
      const video = document.querySelector("#" + boxId + " video");
      if (!video || !document.body.contains(video)) { return; }
      const pc = player.pc = new RTCPeerConnection({iceServers: []});
      const ended = new Promise((done) => { player.wake = done; });
      pc.addTransceiver("video", {direction: "recvonly"});
      pc.addTransceiver("audio", {direction: "recvonly"});
      pc.ontrack = (event) => {
        if (player.stopped) { return; }
        video.srcObject = event.streams[0] || new MediaStream([event.track]);
        video.play().catch(() => {});
      };
      // The server closes a player's connection when its publication ends: ICE or DTLS says so.
      pc.onconnectionstatechange = () => ["failed", "closed"].includes(pc.connectionState) && player.wake();
      try {
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
        if (response.status === 201 && !player.stopped) {
          await pc.setRemoteDescription({type: "answer", sdp: await response.text()});
          const dtls = pc.getReceivers()[0] && pc.getReceivers()[0].transport;
          if (dtls) { dtls.onstatechange = () => ["failed", "closed"].includes(dtls.state) && player.wake(); }
          await ended;
        }
      } catch (err) { /* the network or the server failed this try: ask again below */ }
      pc.close();
      if (!player.stopped) { await new Promise((wait) => setTimeout(wait, 1000)); }
    }
  })();
};
window.peerlearnDrop = (boxId) => {
  const player = window.peerlearnPlayers[boxId];
  if (player) { player.stop(); delete window.peerlearnPlayers[boxId]; }
  const video = document.querySelector("#" + boxId + " video");
  if (video) { video.srcObject = null; }
};
window.peerlearnToggle = (kind) => {
  for (const track of (window.peerlearnStream ? window.peerlearnStream.getTracks() : [])) {
    if (track.kind === kind) { track.enabled = !track.enabled; }
  }
};
window.peerlearnLeave = async () => {
  for (const boxId of Object.keys(window.peerlearnPlayers)) { window.peerlearnDrop(boxId); }
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


def play(url: str, token: str, box_id: str, publication: str) -> rx.event.EventSpec:
    """Play `publication` in the box (nothing if it plays there already; a new one replaces the old player)."""
    args = ", ".join(json.dumps(a) for a in (url, token, box_id, publication))
    return rx.call_script(f"window.peerlearnPlay({args})")


def drop(box_id: str) -> rx.event.EventSpec:
    """The box's publication ended: stop its player and clear the picture."""
    return rx.call_script(f"window.peerlearnDrop({json.dumps(box_id)})")


def toggle(kind: str) -> rx.event.EventSpec:
    """Mute or unmute ("audio"), camera off or on ("video"): the track keeps flowing, silent or black."""
    return rx.call_script(f"window.peerlearnToggle({json.dumps(kind)})")


def leave() -> rx.event.EventSpec:
    return rx.call_script("window.peerlearnLeave()")
