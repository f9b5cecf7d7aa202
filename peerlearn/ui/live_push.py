"""Push fresh notification counts to a person's open tabs right after a change commits.

Services announce user ids (peerlearn.platform.after_commit); this module, started as
a lifespan task of the Reflex app, turns each announcement into
`app.modify_state` calls on the client tokens remembered for those users.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from peerlearn.platform import after_commit
from peerlearn.ui.client_registry import client_registry
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.notifications import NotificationState

log = logging.getLogger(__name__)


async def start_live_push(app: rx.App) -> None:
    loop = asyncio.get_running_loop()

    def on_commit(user_ids: list[int]) -> None:
        asyncio.run_coroutine_threadsafe(_push(app, set(user_ids)), loop)

    after_commit.add_listener(after_commit.PEOPLE, on_commit)


async def _push(app: rx.App, user_ids: set[int]) -> None:
    for user_id in user_ids:
        for token in await run_blocking(client_registry().tokens, user_id):
            try:
                async with app.modify_state(rx.BaseStateToken(ident=token, cls=NotificationState)) as root:
                    state = await root.get_state(NotificationState)
                    if state.user_id == user_id:  # the tab may have logged out or in as someone else
                        await state.reload_notifications()
            except Exception:
                log.exception("live push to a tab of user %s failed", user_id)
