"""Reflex configuration, derived from PeerLearn's settings."""

import reflex as rx

from peerlearn.config import get_settings
from peerlearn.origins import allowed_origins

settings = get_settings()

config = rx.Config(
    app_name="peerlearn",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=settings.port,
    backend_port=settings.port,
    api_url=settings.base_url,
    deploy_url=settings.base_url,
    redis_url=settings.redis_url or None,
    state_manager_mode="redis" if settings.redis_url else "memory",
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Only the app's own origin(s): Reflex's default "*" plus credentials echoed any Origin back.
    cors_allowed_origins=allowed_origins(settings),
    # The security-headers middleware hashes inline scripts of gzip or plain HTML; keep the build to gzip.
    frontend_compression_formats=["gzip"],
    # Reflex logs every state lock held over the threshold (default 1 s) through rich, on the event loop: at 1,000
    # users that logging itself stalled the loop for 0.6 s at a time (loop watchdog). Warn only near expiry.
    redis_lock_warning_threshold=8000,
)
