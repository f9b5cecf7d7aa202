"""The origins the app trusts: its own, from settings, and nothing else.

CORS (Reflex's CORSMiddleware and its Socket.IO server, both fed from ``rx.Config.cors_allowed_origins``), the
media server's CORS and the page CSP's ``connect-src`` read this one list, so a page served from an alias can
still open its websocket while any other site's page gets no ``Access-Control-Allow-Origin`` at all.

Development and test add the loopback aliases (localhost, 127.0.0.1, [::1]) of the same scheme and port,
because people open either name and Reflex bakes one of them into the frontend as the backend URL.
Production trusts exactly PUBLIC_BASE_URL's origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from peerlearn.config import Settings

_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, the default port left out (as browsers send Origin)."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{scheme}://{host}:{port}"


def allowed_origins(settings: Settings) -> list[str]:
    own = origin_of(settings.base_url)
    origins = [own]
    parts = urlsplit(own)
    if not settings.is_production and (parts.hostname or "") in {h.strip("[]") for h in _LOOPBACK_HOSTS}:
        port = f":{parts.port}" if parts.port else ""
        origins += [f"{parts.scheme}://{host}{port}" for host in _LOOPBACK_HOSTS]
    return list(dict.fromkeys(origins))


def journey_link(url: str, settings: Settings) -> str:
    """A link to one of the app's own pages as a path ("/pay/simulated/…"), so the browser stays on the origin the
    person is using (and logged in there); any other site's URL (Stripe's, Razorpay's checkout) is left as it is.

    PUBLIC_BASE_URL still builds absolute links for e-mails and for gateways' callbacks; a journey in the browser
    (book, pay, come back, log in) never jumps from one of the app's hosts to another.
    """
    if not url or url.startswith("/") and not url.startswith("//"):
        return url
    if origin_of(url) not in allowed_origins(settings):
        return url
    parts = urlsplit(url)
    return (
        (parts.path or "/")
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def websocket_origin(origin: str) -> str:
    """The ws:// or wss:// twin of an http(s) origin (the Reflex event socket)."""
    return origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)


def media_origins(settings: Settings) -> list[str]:
    """Origins of the media server(s) the room page talks WHIP/WHEP to."""
    return list(dict.fromkeys(origin_of(url) for url in [settings.media_base_url, *settings.media_node_urls]))
