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
// A connection counts as dropped once it failed or closed, or stayed disconnected for 3 s (ICE lost the network).
const dropped = (pc, wake) => new Promise((done) => {
  let since = null;
  const look = () => {
    const state = pc.connectionState;
    since = state === "disconnected" ? (since || Date.now()) : null;
    if (["failed", "closed"].includes(state) || (since && Date.now() - since > 3000)) { clearInterval(timer); done(); }
  };
  const timer = setInterval(look, 500);
  wake.push(() => { clearInterval(timer); done(); });
});
const pause = (ms) => new Promise((wait) => setTimeout(wait, ms));
// What the page shows: "reconnecting" while your camera is being published again, or a player has been cut
// off for over 2.5 s while its publication is still live. peerlearnNextStatus resolves on the next change.
window.peerlearnPublications = window.peerlearnPublications || {};
window.peerlearnStatusWaiters = window.peerlearnStatusWaiters || [];
const currentStatus = () => {
  const now = Date.now(), players = Object.values(window.peerlearnPlayers || {});
  const camera = window.peerlearnPublications.camera;
  const cut = players.some((p) => p.cutSince && now - p.cutSince > 2500);
  if (camera && camera.elsewhere) { return "elsewhere"; }
  return (camera && camera.reconnecting) || cut ? "reconnecting" : "live";
};
window.peerlearnNextStatus = (known) => new Promise((done) => window.peerlearnStatusWaiters.push({known, done}));
if (!window.peerlearnStatusTimer) {
  window.peerlearnStatusTimer = setInterval(() => {
    const status = currentStatus();
    const ready = window.peerlearnStatusWaiters.filter((w) => w.known !== status);
    window.peerlearnStatusWaiters = window.peerlearnStatusWaiters.filter((w) => w.known === status);
    ready.forEach((w) => w.done(status));
  }, 250);
}
// Publish the camera (or a screen) and keep it published: when its connection drops, publish again with the
// same devices (the server replaces the old publication, and everyone's players follow) until it works.
// WHIPClient stops the tracks it sends when it gives up, so it is given clones: the devices stay open.
// Unless the same person published this kind from another tab or device meanwhile (the server ended this one
// for it): then this page stops, says so, and does not take it back (two tabs would take turns forever).
window.peerlearnPublish = async (url, token, kind, userId) => {
  const stream = kind === "screen"
    ? await navigator.mediaDevices.getDisplayMedia({video: true}).catch(() => null)
    : window.peerlearnStream;
  if (!stream) { return; }
  const previous = window.peerlearnPublications[kind];
  if (previous) { await previous.stop(); }
  const publication = {
    kind, stream, stopped: false, reconnecting: false, elsewhere: false, client: null, sending: null, wake: [],
  };
  // Is this page's publication the one the room lists for this person: "mine", "other" (another tab or device
  // published since), "none" (the server ended it), or "unknown" (no answer: the network is down)?
  const listed = async (ownId) => {
    try {
      const response = await fetch(url.replace("/media/whip/", "/media/rooms/"), {
        headers: {"Authorization": "Bearer " + token},
      });
      if (!response.ok) { return "unknown"; }
      const now = ((await response.json()).publishers || []).find((p) => p.user_id === userId && p.kind === kind);
      return !now ? "none" : now.publication === ownId ? "mine" : "other";
    } catch (err) { return "unknown"; }
  };
  publication.stop = async () => {
    publication.stopped = true;
    publication.wake.splice(0).forEach((wake) => wake());
    if (publication.client && publication.client.peer) { await publication.client.destroy().catch(() => {}); }
    (publication.sending ? publication.sending.getTracks() : []).forEach((t) => t.stop());
  };
  window.peerlearnPublications[kind] = publication;
  if (kind === "screen") { stream.getVideoTracks()[0].onended = () => publication.stop(); }
  for (let attempt = 0; !publication.stopped; attempt++) {
    const sending = publication.sending = new MediaStream(stream.getTracks().map((t) => t.clone()));
    // opts.authkey is sent as "Authorization: Bearer <token>" on every WHIP request; the URL carries no token.
    const client = publication.client = new WHIPClient({
      endpoint: url + "?kind=" + kind, opts: {authkey: token, noTrickleIce: true, iceServers: []},
    });
    const peer = client.peer;
    let ownId = "";
    try {
      await client.ingest(sending);
      const up = Date.now();
      while (peer.connectionState !== "connected" && Date.now() - up < 10000 && !publication.stopped) {
        await pause(100);
      }
      if (peer.connectionState === "connected") {
        publication.reconnecting = false;
        attempt = 0;
        ownId = (client.resource || "").split("/").pop();
        let verdict = "";
        (async () => {  // the browser may not notice at once that the server ended this publication: ask it
          while (!verdict && !publication.stopped) {
            await pause(2000);
            const now = verdict ? "" : await listed(ownId);
            if (now === "other" || now === "none") { verdict = now; publication.wake.splice(0).forEach((w) => w()); }
          }
        })();
        await dropped(peer, publication.wake);
        verdict = verdict || "dropped";
      }
    } catch (err) { /* the media server could not be reached: try again below */ }
    if (!publication.stopped && ownId && await listed(ownId) === "other") {
      publication.elsewhere = publication.stopped = true;
      publication.reconnecting = false;
    }
    if (publication.stopped) {
      peer.close();
      sending.getTracks().forEach((t) => t.stop());
      break;
    }
    publication.reconnecting = true;
    peer.close();  // no DELETE: publishing again replaces this publication on the server
    sending.getTracks().forEach((t) => t.stop());
    await pause(Math.min(1000 * 2 ** attempt, 5000));
  }
};
// One player per box ("remote-7", "screen-7"), following the publication the room page names: a new
// publication id (a first publish, or the participant published again after a reload, a device or network
// change) replaces the player; peerlearnDrop ends it and clears the tile when the publication ended.
window.peerlearnPlayers = window.peerlearnPlayers || {};
window.peerlearnPlay = (url, token, boxId, publication) => {
  const current = window.peerlearnPlayers[boxId];
  if (current && current.publication === publication) { return; }
  if (current) { current.stop(); }
  const player = {publication, pc: null, stopped: false, wake: [], cutSince: null};
  player.stop = () => {
    player.stopped = true;
    if (player.pc) { player.pc.close(); }
    player.wake.splice(0).forEach((wake) => wake());
  };
  window.peerlearnPlayers[boxId] = player;
  (async () => {
    while (!player.stopped) {
      const video = document.querySelector("#" + boxId + " video");
      if (!video || !document.body.contains(video)) { return; }
      const pc = player.pc = new RTCPeerConnection({iceServers: []});
      pc.addTransceiver("video", {direction: "recvonly"});
      pc.addTransceiver("audio", {direction: "recvonly"});
      pc.ontrack = (event) => {
        if (player.stopped) { return; }
        video.srcObject = event.streams[0] || new MediaStream([event.track]);
        video.play().catch(() => {});
      };
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
          const up = Date.now();
          while (pc.connectionState !== "connected" && Date.now() - up < 10000 && !player.stopped) {
            await pause(100);
          }
          if (pc.connectionState === "connected") {
            player.cutSince = null;
            // Ends when the server closes it (the publication ended: the page drops this player next) or the
            // network drops it (asked again below, "reconnecting" meanwhile).
            await dropped(pc, player.wake);
          }
        }
      } catch (err) { /* the network or the server failed this try: ask again below */ }
      pc.close();
      if (!player.stopped) {
        player.cutSince = player.cutSince || Date.now();
        await pause(1000);
      }
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
  const camera = window.peerlearnPublications.camera;
  const sent = camera && camera.sending ? camera.sending.getTracks() : [];
  for (const track of (window.peerlearnStream ? window.peerlearnStream.getTracks() : [])) {
    if (track.kind === kind) {
      track.enabled = !track.enabled;
      sent.filter((t) => t.kind === kind).forEach((t) => { t.enabled = track.enabled; });
    }
  }
};
window.peerlearnLeave = async () => {
  for (const boxId of Object.keys(window.peerlearnPlayers)) { window.peerlearnDrop(boxId); }
  for (const publication of Object.values(window.peerlearnPublications)) { await publication.stop(); }
  window.peerlearnPublications = {};
  for (const track of (window.peerlearnStream ? window.peerlearnStream.getTracks() : [])) { track.stop(); }
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


def publish(url: str, token: str, user_id: int, kind: str = "camera") -> rx.event.EventSpec:
    """Publish the previewed camera and microphone, or ("screen") a screen the browser asks for, as `user_id`."""
    args = ", ".join(json.dumps(a) for a in (url, token, kind, user_id))
    return rx.call_script(f"window.peerlearnPublish({args})")


def play(url: str, token: str, box_id: str, publication: str) -> rx.event.EventSpec:
    """Play `publication` in the box (nothing if it plays there already; a new one replaces the old player)."""
    args = ", ".join(json.dumps(a) for a in (url, token, box_id, publication))
    return rx.call_script(f"window.peerlearnPlay({args})")


def drop(box_id: str) -> rx.event.EventSpec:
    """The box's publication ended: stop its player and clear the picture."""
    return rx.call_script(f"window.peerlearnDrop({json.dumps(box_id)})")


def next_status(known: str, callback) -> rx.event.EventSpec:
    """`callback` gets "live", "reconnecting" or "elsewhere" (this person's camera now goes out from another tab or
    device) once the page's media status is other than `known`."""
    return rx.call_script(f"window.peerlearnNextStatus({json.dumps(known)})", callback=callback)


def toggle(kind: str) -> rx.event.EventSpec:
    """Mute or unmute ("audio"), camera off or on ("video"): the track keeps flowing, silent or black."""
    return rx.call_script(f"window.peerlearnToggle({json.dumps(kind)})")


def leave() -> rx.event.EventSpec:
    return rx.call_script("window.peerlearnLeave()")
