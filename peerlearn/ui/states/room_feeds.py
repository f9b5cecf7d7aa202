"""Who is publishing in the live room, and what the page's players are told (mixed into RoomState).

The browser reconnects by itself when its media drops (live_media: publish again, play again) and says so through
`status_changed`, so the page shows "Reconnecting…" meanwhile; chat and the participant list are this state's and
stay as they are.

Each poll reads the media server's publishers; each has a publication id, new whenever its publisher published
again (a reload, a new device or network). The page's players are told the difference: play a new or replaced
publication, drop one that ended so its tile goes away instead of freezing on the last frame.
"""

from __future__ import annotations

import reflex as rx

from peerlearn.ui.components import live_media
from peerlearn.ui.format.live import feed_changes, feeds


class RoomFeeds(rx.State, mixin=True):
    publishing: list[str] = []  # whose camera is live (user ids)
    sharing: list[str] = []  # who is sharing a screen
    reconnecting: bool = False  # this page's own media dropped and is being published or played again
    elsewhere: bool = False  # this person's camera now goes out from another tab or device, not this page
    _feeds: dict[str, str] = {}  # box ("remote-7", "screen-7") -> the publication the media server has there
    _told: dict[str, str] = {}  # what this page's players were last told to play

    def _reset_feeds(self) -> None:
        self._feeds, self._told, self.reconnecting, self.elsewhere = {}, {}, False, False

    def _watch_status(self) -> rx.event.EventSpec:
        known = "elsewhere" if self.elsewhere else "reconnecting" if self.reconnecting else "live"
        return live_media.next_status(known, type(self).status_changed)

    def status_changed(self, status: str):
        """The browser's media dropped ("reconnecting", it publishes and plays again by itself) or is back."""
        self.reconnecting, self.elsewhere = status == "reconnecting", status == "elsewhere"
        return self._watch_status() if self.joined else None  # type: ignore[attr-defined]

    def _show_publishers(self, publishers: list[dict]) -> None:
        self.publishing = [str(p["user_id"]) for p in publishers if p["kind"] == "camera"]
        self.sharing = [str(p["user_id"]) for p in publishers if p["kind"] == "screen"]
        self._feeds = feeds(publishers)

    def _follow_feeds(self) -> list[rx.event.EventSpec]:
        """Once joined: what the players must do since they were last told (nothing when nothing changed)."""
        if not self.joined:  # type: ignore[attr-defined]
            return []
        token, others = self._token, self.others  # type: ignore[attr-defined]
        urls = {f"{b}-{p.user_id}": u for p in others for u, b in ((p.url, "remote"), (p.screen_url, "screen"))}
        wanted = {box: publication for box, publication in self._feeds.items() if box in urls}
        play, drop = feed_changes(wanted, self._told)
        self._told = wanted
        return [live_media.play(urls[box], token, box, pub) for box, pub in play.items()] + [
            live_media.drop(box) for box in drop
        ]
