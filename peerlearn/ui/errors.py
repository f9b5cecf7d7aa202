"""What a person sees when a page event fails in a way no handler expected."""

from __future__ import annotations

import logging

import reflex as rx
from reflex_base.utils.exceptions import LockExpiredError

from peerlearn.db import DatabaseBusyError

log = logging.getLogger(__name__)


def handle_backend_exception(exception: Exception):
    """A busy or restarting database is a moment's wait, not a crash: say so and let the person try again."""
    if isinstance(exception, DatabaseBusyError):
        log.warning("page event refused while the database is busy: %s", exception.__cause__)
        return rx.toast.warning(exception.message, position="top-center")
    if isinstance(exception, LockExpiredError):
        # The event outlived its tab's state lock (an overloaded worker): what it changed was not saved. One line, not
        # a traceback: under overload these come in bursts, and formatting them was itself a load.
        log.warning("page event not saved, it outlived its state lock: %s", str(exception)[:160])
        return rx.toast.warning("That took too long and was not saved. Please try again.", position="top-center")
    # Reflex's default handler renders the traceback through rich on the event loop, which under load cost more than
    # the events themselves; the standard logger writes the same traceback in plain text.
    log.error("page event failed", exc_info=exception)
    return rx.toast.error(
        "Something went wrong on our side. Please try again.", id="backend_error", position="top-center"
    )
