"""Command line: `python -m peerlearn.cli migrate|prepare|seed|serve`.

`prepare` is the start-up path of `make run`: migrate to head, create the
configured admin, and seed the demo marketplace once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from peerlearn import demo_data
from peerlearn.accounts.actions import ensure_admin
from peerlearn.config import get_settings
from peerlearn.db import session_scope
from peerlearn.migrations import upgrade_to_head


def prepare() -> demo_data.DemoSummary | None:
    settings = get_settings()
    settings.peerlearn_data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_to_head()
    summary = None
    with session_scope() as db:
        if settings.peerlearn_admin_email:
            ensure_admin(settings.peerlearn_admin_email, settings.peerlearn_admin_password, db=db)
        if settings.peerlearn_seed_demo:
            summary = demo_data.seed_demo(db=db)
            ensure_admin(demo_data.DEMO_ADMIN, demo_data.DEMO_PASSWORD, db=db, check_strength=False)
    return summary


def _print_welcome(summary: demo_data.DemoSummary | None) -> None:
    settings = get_settings()
    print(f"\nPeerLearn will be at {settings.base_url}  (API docs: {settings.base_url}/api/docs)")
    if summary is not None:
        if summary.created:
            print(
                f"Seeded demo data: {summary.mentors} mentors, {summary.learners} learners, "
                f"{summary.sessions} sessions, {summary.bookings} bookings, {summary.reviews} reviews."
            )
        print(f"Demo logins (password '{demo_data.DEMO_PASSWORD}'):")
        for role, email in (
            ("learner", demo_data.DEMO_LEARNER),
            ("mentor", demo_data.DEMO_MENTOR),
            ("admin", demo_data.DEMO_ADMIN),
        ):
            print(f"  {role:8} {email}")
    print(flush=True)


def serve() -> int:
    """Serve the production app on one port, with the media server as its own process beside it."""
    settings = get_settings()
    env = dict(os.environ, REFLEX_USE_SYSTEM_BUN="1")
    if settings.redis_url:
        env.setdefault("REFLEX_REDIS_URL", settings.redis_url)
        # A worker keeps a tab's state lock and a copy of its state for a few seconds after an event, so the events
        # of one page load (hydrate, on_load, is_hydrated) are one Redis fetch and one write instead of one each.
        env.setdefault("REFLEX_OPLOCK_ENABLED", "true")
    media = subprocess.Popen([sys.executable, "-m", "peerlearn.media", "--port", str(settings.media_port)], env=env)
    if os.environ.get("PEERLEARN_PREBUILT_FRONTEND") == "1":  # compiled at image build time; see serve_prebuilt.py
        return _serve_with_media(media, [sys.executable, "-m", "peerlearn.serve_prebuilt", str(settings.port)], env)
    command = [
        sys.executable,
        "-m",
        "reflex",
        "run",
        "--env",
        "prod",
        "--single-port",
        "--frontend-port",
        str(settings.port),
        "--backend-port",
        str(settings.port),
    ]
    return _serve_with_media(media, command, env)


def _serve_with_media(media: subprocess.Popen, command: list[str], env: dict[str, str]) -> int:
    try:
        return subprocess.call(command, env=env)
    finally:
        media.terminate()
        try:
            media.wait(timeout=10)
        except subprocess.TimeoutExpired:
            media.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="peerlearn")
    parser.add_argument("command", choices=["migrate", "prepare", "seed", "serve", "import-evaluation"])
    parser.add_argument("path", nargs="?", help="import-evaluation: the --json file of peerlearn.recommender.evaluate")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        upgrade_to_head()
    elif args.command == "prepare":
        _print_welcome(prepare())
    elif args.command == "seed":
        upgrade_to_head()
        with session_scope() as db:
            _print_welcome(demo_data.seed_demo(db=db))
    elif args.command == "serve":
        return serve()
    elif args.command == "import-evaluation":
        import json

        from peerlearn.models import EvaluationRun

        figures = json.loads(open(args.path).read())
        with session_scope() as db:
            db.add(EvaluationRun(kind="recommender_offline", figures=figures))
        print(f"Recorded the offline evaluation from {args.path}; the Business dashboard shows it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
