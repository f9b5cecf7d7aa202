"""Security headers on every response the app serves: Reflex pages, static assets and the REST API.

The middleware wraps the whole ASGI app (see peerlearn/peerlearn.py and peerlearn/api/app.py), so the
prerendered HTML that the production server serves from .web/build reaches the browser with them too.
A header the app already set is left alone.

Content-Security-Policy, source by source, and why each exception exists:

- ``script-src 'self' 'sha256-…' 'unsafe-eval'``. The compiled Reflex pages carry a handful of inline
  ``<script>`` blocks (theme bootstrap, scroll restoration, the React Router context and stream, the
  React streaming helpers). Their exact text differs per build and per page, so for every HTML response
  the middleware reads the body, hashes each inline script and allows exactly those hashes; no
  'unsafe-inline' for scripts. 'unsafe-eval' is needed because Reflex runs ``rx.call_script`` /
  ``rx.call_function`` events through ``eval()`` in the browser, and the live room drives its media glue
  (peerlearn/ui/components/live_media.py) with ``rx.call_script``. Removing it would mean replacing those
  events, which is outside Reflex's public API.
- ``style-src 'self' 'unsafe-inline'``. Emotion (Reflex's CSS-in-JS) inserts ``<style>`` elements at run
  time without a nonce, and Radix Themes sets ``style=""`` attributes; neither can be hashed ahead.
- ``connect-src 'self'`` plus the app's own origins as ws:// / wss:// (the Reflex event socket, whose URL
  is baked into the frontend and may be a loopback alias in development; [::1] is left out because CSP's
  source grammar has no IPv6 literals and Chrome reports it as invalid) and the media server origins
  (MEDIA_PUBLIC_URL, MEDIA_NODES) that the room's WHIP/WHEP requests go to.
- ``media-src 'self' blob: mediastream:``: camera preview and remote streams are MediaStreams, and
  recordings are served from /api on the same origin.
- ``img-src 'self' data: blob:`` and ``font-src 'self' data:``: icons and fonts inlined as data URLs.
- ``frame-ancestors 'none'`` (with X-Frame-Options DENY for old browsers), ``object-src 'none'``,
  ``base-uri 'self'``, ``form-action 'self'``.
- The Swagger page at /api/docs loads its script and style from cdn.jsdelivr.net (FastAPI's default), so
  that one path also allows that host.

Permissions-Policy lets only this origin use the camera, microphone and screen capture (the live room);
everything else is off. HSTS is sent only when PUBLIC_BASE_URL is https, since a plain-http development
server must not pin browsers to https.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zlib
from collections.abc import Sequence

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerlearn.config import Settings
from peerlearn.origins import allowed_origins, media_origins, websocket_origin

DOCS_PATHS = ("/api/docs",)
DOCS_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)

PERMISSIONS_POLICY = (
    "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=(), "
    "serial=(), bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)


def inline_script_hashes(html: bytes) -> list[str]:
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


def content_security_policy(settings: Settings, script_hashes: Sequence[str] = (), docs: bool = False) -> str:
    own = [origin for origin in allowed_origins(settings) if "[" not in origin]  # CSP has no IPv6 literals
    connect = ["'self'", *own, *(websocket_origin(o) for o in own), *media_origins(settings)]
    scripts = ["'self'", *script_hashes, "'unsafe-eval'"]
    styles = ["'self'", "'unsafe-inline'"]
    images = ["'self'", "data:", "blob:"]
    if docs:
        scripts.append(DOCS_CDN)
        styles.append(DOCS_CDN)
        images.append("https://fastapi.tiangolo.com")
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": styles,
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": list(dict.fromkeys(connect)),
        "media-src": ["'self'", "blob:", "mediastream:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def static_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def _decoded(body: bytes, encoding: str) -> bytes | None:
    try:
        if encoding in ("", "identity"):
            return body
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        return None
    return None  # an encoding we cannot read: the page gets no script hashes (and its inline scripts fail loudly)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.headers = [(k.lower().encode(), v.encode()) for k, v in static_headers(settings).items()]
        self.plain_csp = content_security_policy(settings).encode()

    def _page_csp(self, start: Message, body: bytes, docs: bool) -> bytes:
        encoding = dict(start.get("headers", [])).get(b"content-encoding", b"").decode().lower()
        html = _decoded(body, encoding) or b""
        return content_security_policy(self.settings, inline_script_hashes(html), docs=docs).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in DOCS_PATHS
        start: Message | None = None
        chunks: list[bytes] = []

        def with_headers(message: Message, csp: bytes) -> Message:
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in self.headers if k not in present]
            # A 304 carries no body; browsers merge its headers into the cached page, so a hash-less CSP
            # here would replace the page's own one and block its inline scripts on the next visit.
            if b"content-security-policy" not in present and message.get("status") != 304:
                extra.append((b"content-security-policy", csp))
            return {**message, "headers": [*message.get("headers", []), *extra]}

        async def send_secured(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    start = message  # hold it until the whole page is here to hash its inline scripts
                    return
                await send(with_headers(message, self.plain_csp))
                return
            if start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                await send(with_headers(start, self._page_csp(start, body, docs)))
                await send({"type": "http.response.body", "body": body})
                return
            if start is not None and message["type"] == "http.response.pathsend":
                # Granian lets static files be sent by path; the page is read here only to hash its scripts.
                body = await anyio.Path(message["path"]).read_bytes()
                await send(with_headers(start, self._page_csp(start, body, docs)))
                await send(message)
                return
            await send(message)

        await self.app(scope, receive, send_secured)
