"""One simulated browser tab speaking Reflex's socket.io protocol, as the compiled frontend does.

What the frontend sends (reflex_base/.templates/web/utils/state.js and the compiled utils/context.jsx):

- the socket.io path and namespace both `/_event`, websocket transport, `?token=<tab uuid>` in the query string;
- the CONNECT packet's auth `{"event": <hydrate_and_load>}` (EventNamespace.on_connect processes it as the
  connection's first event, without waiting for the connect acknowledgement);
- `hydrate_and_load`'s payload `{"vars": {}, "hashes": [...]}`: `vars` would carry rx.Cookie/LocalStorage values
  (the app has none: the login token is an HttpOnly cookie no script sees); `hashes` are the compiled initialState's
  hashes, so the backend only sends what differs from the defaults (read from the served bundle; without them the
  full state is sent);
- every event as `emit("event", {"name", "payload", "router_data": {"pathname", "asPath"}})`.

What comes back: `event` messages `{"delta": {<state name>: {<var>_rx_state_: value}}, "events": [...]}`.
Handlers' chained backend events (the page's on_load list, then `set_is_hydrated(True)`) run on the server; only
frontend events (`_redirect`, toasts) reach the tab. The page has loaded when the root state's
`is_hydrated_rx_state_` turns true. `ping` is answered with a `ping` message ("pong").

The browser sends the HttpOnly login cookie in the websocket handshake's Cookie header, where AuthState reads it;
the tab does the same.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque

import socketio

ROOT = "reflex___state____state"
AUTH = f"{ROOT}.peerlearn___ui___states___auth____auth_state"
DISCOVER = f"{AUTH}.peerlearn___ui___states___discover____discover_state"
HYDRATE_AND_LOAD = f"{ROOT}.hydrate_and_load"
SET_FILTER = f"{DISCOVER}.set_filter"
# The probes' no-database event: a plain setter on AuthState (it only flips a string; no handler touches the DB).
PROBE_EVENT = f"{AUTH}.set_signup_role"
HYDRATED_VAR = "is_hydrated_rx_state_"
COOKIE_NAME = "peerlearn_token"
NAMESPACE = "/_event"  # the socket.io namespace is the endpoint path too (io("ws://host/_event", {path: "/_event"}))


class Pending:
    """One event in flight: when it was sent, the step that counts it, its kind, and whether it timed out."""

    __slots__ = ("sent", "stats", "kind", "timed_out")

    def __init__(self, sent: float, stats, kind: str) -> None:
        self.sent, self.stats, self.kind, self.timed_out = sent, stats, kind, False


class Tab:
    """A logged-in tab on one page. Bookkeeping is a deque per tab; callbacks are plain functions (cheap)."""

    def __init__(self, base_url: str, login_token: str, path: str, hashes: list[str] | None, http_session) -> None:
        self.base_url, self.login_token, self.path, self.hashes = base_url, login_token, path, hashes
        self.client_token = str(uuid.uuid4())
        self.http_session = http_session
        self.sio: socketio.AsyncClient | None = None
        self.watched = DISCOVER  # the substate whose delta answers this tab's timed events
        self.pending: deque[Pending] = deque()
        self.pings: deque[Pending] = deque()
        self.hydrated_at: float | None = None
        self.hydrated = asyncio.Event()
        self.connected = False
        self.closing = False
        self.redirects: list[str] = []
        self.skills: list[str] = []
        self.user_id = 0  # AuthState.user_id as the hydrate reports it: not 0 when the login cookie worked
        self.on_answer = None  # callback(pending, latency_s), for events and pings alike
        self.on_lost = None  # callback(tab) after a disconnect we did not ask for

    def _router_data(self) -> dict:
        return {"pathname": self.path, "asPath": self.path}

    def _event(self, name: str, payload: dict) -> dict:
        event = {"name": name, "router_data": self._router_data()}
        if payload:
            event["payload"] = payload
        return event

    def hydrate_event(self) -> dict:
        payload: dict = {"vars": {}}
        if self.hashes:
            payload["hashes"] = self.hashes
        return self._event(HYDRATE_AND_LOAD, payload)

    async def connect(self, timeout: float) -> None:
        """Open the socket with the hydrate event in the CONNECT packet; returns when the namespace is connected."""
        self.hydrated_at = None
        self.hydrated.clear()
        self.sio = socketio.AsyncClient(
            reconnection=False,
            handle_sigint=False,
            http_session=self.http_session,
            request_timeout=timeout,
            # The handshake's Cookie header as the browser sends it (given here, not as `headers`, because
            # python-engineio would move a Cookie header into the shared session's cookie jar).
            websocket_extra_options={"headers": {"Cookie": f"{COOKIE_NAME}={self.login_token}"}},
        )
        self.sio.on("event", self._on_event, namespace=NAMESPACE)
        self.sio.on("ping", self._on_pong, namespace=NAMESPACE)
        self.sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        await self.sio.connect(
            f"{self.base_url}?token={self.client_token}",
            transports=["websocket"],
            socketio_path="/_event",
            namespaces=[NAMESPACE],
            auth={"event": self.hydrate_event()},
            wait_timeout=timeout,
        )
        self.connected = True

    def _on_event(self, update: dict) -> None:
        now = time.perf_counter()
        delta = update.get("delta") or {}
        for event in update.get("events") or ():
            if event.get("name") == "_redirect":
                self.redirects.append(str((event.get("payload") or {}).get("path")))
        if self.hydrated_at is None and any(
            isinstance(values, dict) and values.get(HYDRATED_VAR) is True for values in delta.values()
        ):
            self.hydrated_at = now
            self.hydrated.set()
        auth = delta.get(AUTH)
        if auth and "user_id_rx_state_" in auth:
            self.user_id = auth["user_id_rx_state_"]
        discover = delta.get(DISCOVER)
        if discover and "skills_rx_state_" in discover:
            self.skills = [s for s in discover["skills_rx_state_"] if s != "any"]
        answered = delta.get(self.watched)
        if answered is not None and self.pending and self.hydrated_at is not None:
            self._answer(self.pending, now, self.on_answer)

    def _on_pong(self, *_args) -> None:
        if self.pings:
            self._answer(self.pings, time.perf_counter(), self.on_answer)

    @staticmethod
    def _answer(queue: deque[Pending], now: float, callback) -> None:
        item = queue.popleft()
        if callback is not None:
            callback(item, now - item.sent)

    def _on_disconnect(self, *_args) -> None:
        self.connected = False
        if not self.closing and self.on_lost is not None:
            self.on_lost(self)

    async def emit(self, name: str, payload: dict, stats, kind: str) -> None:
        self.pending.append(Pending(time.perf_counter(), stats, kind))
        await self.sio.emit("event", self._event(name, payload), namespace=NAMESPACE)

    async def ping(self, stats) -> None:
        self.pings.append(Pending(time.perf_counter(), stats, "ping"))
        await self.sio.emit("ping", namespace=NAMESPACE)

    async def close(self) -> None:
        self.closing = True
        if self.sio is not None and self.connected:
            try:
                await self.sio.disconnect()
            except Exception:
                pass
        self.connected = False
