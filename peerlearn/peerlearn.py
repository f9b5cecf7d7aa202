"""The Reflex app: every page, the theme, and the REST API mounted on the same port."""

import reflex as rx

from peerlearn.api.app import create_api
from peerlearn.ui.layout import PAGES
from peerlearn.ui.pages import dashboard, errors, landing, login, profile, signup  # noqa: F401  (registers pages)

app = rx.App(
    theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large", scaling="100%"),
    api_transformer=create_api(),
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=title, on_load=on_load)
