"""Push fresh notification counts to a person's open tabs right after a change commits.

Services announce user ids (peerlearn.platform.after_commit); this module, started as
a lifespan task of the Reflex app, turns each announcement into
`app.modify_state` calls on the client tokens remembered for those users.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from peerlearn.platform import after_commit as live
from peerlearn.ui.client_registry import client_registry
from peerlearn.ui.states.notifications import NotificationState, refresh_notifications

log = logging.getLogger(__name__)


async def start_live_push(app: rx.App) -> None:
    loop = asyncio.get_running_loop()

    def on_commit(user_ids: set[int]) -> None:
        asyncio.run_coroutine_threadsafe(_push(app, user_ids), loop)

    live.add_listener(on_commit)


async def _push(app: rx.App, user_ids: set[int]) -> None:
    for user_id in user_ids:
        for token in client_registry().tokens(user_id):
            try:
                async with app.modify_state(rx.BaseStateToken(ident=token, cls=NotificationState)) as root:
                    state = await root.get_state(NotificationState)
                    if state.user_id == user_id:  # the tab may have logged out or in as someone else
                        refresh_notifications(state)
            except Exception:
                log.exception("live push to a tab of user %s failed", user_id)
