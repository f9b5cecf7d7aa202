"""The Reflex app: every page, the theme, the REST API on the same port, and the background tasks."""

import reflex as rx

from peerlearn.api.app import create_api
from peerlearn.config import get_settings
from peerlearn.jobs import run_forever
from peerlearn.platform.loop_watchdog import watch_event_loop
from peerlearn.ui.errors import handle_backend_exception
from peerlearn.ui.layout import PAGES
from peerlearn.ui.live_push import start_live_push
from peerlearn.ui.pages import import_all_pages

import_all_pages()  # every page module registers its page in PAGES

app = rx.App(
    theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large", scaling="100%"),
    api_transformer=create_api(),
    backend_exception_handler=handle_backend_exception,
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=title, on_load=on_load)

app.register_lifespan_task(start_live_push)
app.register_lifespan_task(run_forever, interval_seconds=get_settings().scheduler_interval_seconds)
app.register_lifespan_task(watch_event_loop, threshold_ms=get_settings().loop_stall_warn_ms)
