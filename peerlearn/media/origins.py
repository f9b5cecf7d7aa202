"""Which browser origins may call the media server: the app's own, from settings, and no other.

The room page is served by the app (PUBLIC_BASE_URL, or http://localhost:PORT without it) and talks
WHIP/WHEP to the media server on another port or host, so CORS must allow exactly that origin. Outside
production the loopback aliases of the same scheme and port (localhost, 127.0.0.1, [::1]) are allowed
too, because people open either name. Any other site's page gets no Access-Control-Allow-Origin.

The REST API's CORS list follows the same rule; when both live on main they should read one helper.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from peerlearn.config import Settings

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, the default port left out (as browsers send Origin)."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{scheme}://{host}:{port}"


def app_origins(settings: Settings) -> list[str]:
    own = origin_of(settings.base_url)
    origins = [own]
    parts = urlsplit(own)
    loopback = (parts.hostname or "") in {host.strip("[]") for host in LOOPBACK_HOSTS}
    if loopback and not settings.is_production:
        port = f":{parts.port}" if parts.port else ""
        origins += [f"{parts.scheme}://{host}{port}" for host in LOOPBACK_HOSTS]
    return list(dict.fromkeys(origins))
