"""Runs last among the browser tests (files run in name order): after every page and journey above has driven the
live app, nothing of PeerLearn's blocked its event loop for longer than the watchdog's 50 ms."""

from __future__ import annotations

import re

from peerlearn.platform.loop_watchdog import STALL_MARKER
from tests.browser.conftest import LOOP_STALL_MS

OURS = re.compile(r"/peerlearn/(?!.*site-packages)")


def test_no_handler_blocked_the_event_loop(live_app, live_data_dir):
    log = (live_data_dir / "app.log").read_text(errors="replace")
    assert f"watching the event loop ({LOOP_STALL_MS} ms)" in log, "the watchdog was not running"
    stalls = [line for line in log.splitlines() if STALL_MARKER in line]
    ours = [line for line in stalls if OURS.search(line.split(" in ", 1)[-1])]
    assert not ours, "PeerLearn code blocked the event loop:\n" + "\n".join(ours[:10])
