"""What a person sees when a page event fails in a way no handler expected."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.app import default_backend_exception_handler

from peerlearn.db import DatabaseBusyError

log = logging.getLogger(__name__)


def handle_backend_exception(exception: Exception):
    """A busy or restarting database is a moment's wait, not a crash: say so and let the person try again."""
    if isinstance(exception, DatabaseBusyError):
        log.warning("page event refused while the database is busy: %s", exception.__cause__)
        return rx.toast.warning(exception.message, position="top-center")
    return default_backend_exception_handler(exception)
