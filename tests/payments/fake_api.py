"""A local HTTP server standing in for a provider's API, so the adapters are
exercised through the real SDKs (request encoding, headers, error mapping)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def form(self) -> dict[str, str]:
        """Stripe's form encoding, flattened: {'metadata[payment_id]': '7', ...}."""
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body)


Responder = Callable[[Recorded], tuple[int, Any]]


@dataclass
class FakeAPI:
    """Routes are (METHOD, path) -> responder returning (status, json body)."""

    routes: dict[tuple[str, str], Responder] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    base_url: str = ""

    def route(self, method: str, path: str, responder: Responder) -> None:
        self.routes[(method, path)] = responder

    def only(self, method: str, path: str) -> Recorded:
        matching = [r for r in self.requests if r.method == method and r.path == path]
        assert len(matching) == 1, f"expected one {method} {path}, got {len(matching)}: {self.requests}"
        return matching[0]


def start(api: FakeAPI) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            recorded = Recorded(
                method=self.command,
                path=parts.path,
                query=dict(parse_qsl(parts.query)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            api.requests.append(recorded)
            responder = api.routes.get((self.command, parts.path))
            if responder is None:
                status, payload = (
                    404,
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "code": "BAD_REQUEST_ERROR",
                            "message": "no route",
                            "description": "no route",
                        }
                    },
                )
            else:
                status, payload = responder(recorded)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    return server, thread
