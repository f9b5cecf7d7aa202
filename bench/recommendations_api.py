"""End-to-end latency of GET /api/recommendations/ on the demo data, against GET /api/users/profile/
(an authenticated request that does almost nothing) as the baseline, measured in the same run over HTTP.

    .venv/bin/python bench/recommendations_api.py [--requests 300] [--sqlite]

PostgreSQL at 127.0.0.1:5432 by default (a throw-away database); --sqlite uses a temporary file.
Prints figures; asserts nothing. Target: p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import uvicorn
from sqlmodel import select

from bench._pg import fresh_database, percentile


def serve(app) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def timed(client: httpx.Client, url: str, headers: dict, n: int) -> list[float]:
    out = []
    for _ in range(n):
        began = time.perf_counter()
        response = client.get(url, headers=headers)
        out.append(time.perf_counter() - began)
        response.raise_for_status()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    context = nullcontext() if args.sqlite else fresh_database("peerlearn_bench_recs")
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    with context:
        from peerlearn.accounts.actions import issue_token
        from peerlearn.api.app import create_api
        from peerlearn.db import session_scope
        from peerlearn.demo_data import seed_demo
        from peerlearn.insights.recommendations import MODEL
        from peerlearn.migrations import upgrade_to_head
        from peerlearn.models import User

        upgrade_to_head()
        with session_scope() as db:
            seed_demo(db=db)
        with session_scope() as db:
            learners = db.exec(select(User).where(User.is_mentor.is_(False), User.is_admin.is_(False)).limit(50)).all()
            tokens = [issue_token(u, db=db) for u in learners]
            began = time.perf_counter()
            MODEL.retrain(db=db)
            print(f"full retrain on the demo data: {time.perf_counter() - began:.2f} s")
        base, server, thread = serve(create_api())
        with httpx.Client(timeout=30) as client:
            per_user = max(1, args.requests // len(tokens))
            recs, baseline = [], []
            for token in tokens:
                headers = {"Authorization": f"Bearer {token}"}
                baseline += timed(client, f"{base}/api/users/profile/", headers, per_user)
                recs += timed(client, f"{base}/api/recommendations/?limit=10", headers, per_user)
        server.should_exit = True
        thread.join(timeout=10)
        for label, values in (("GET /api/users/profile/ (baseline)", baseline), ("GET /api/recommendations/", recs)):
            print(
                f"{label:<36} n={len(values):4d}  p50 {1000 * percentile(values, 0.5):6.1f} ms  p95 "
                f"{1000 * percentile(values, 0.95):6.1f} ms"
            )
        print(
            f"ratio p95 recommendations/baseline: {percentile(recs, 0.95) / percentile(baseline, 0.95):.2f}x  "
            "(target p95 <= 100 ms)"
        )


if __name__ == "__main__":
    main()
