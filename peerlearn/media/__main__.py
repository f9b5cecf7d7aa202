"""Run the media server as its own process: `python -m peerlearn.media [--host H] [--port P]`.

Attendance and recordings are written to the app's database through the live-room service.
"""

from __future__ import annotations

import argparse
from datetime import datetime

import uvicorn

from peerlearn.config import get_settings
from peerlearn.media.hooks import MediaHooks
from peerlearn.media.server import MediaConfig, create_media_app
from peerlearn.origins import allowed_origins


def database_hooks() -> MediaHooks:
    from peerlearn.db import session_scope
    from peerlearn.live import room as live_room

    def join(session_id: int, user_id: int, at: datetime) -> None:
        with session_scope() as db:
            live_room.record_join(session_id, user_id, at, db=db)

    def leave(session_id: int, user_id: int, at: datetime) -> None:
        with session_scope() as db:
            live_room.record_leave(session_id, user_id, at, db=db)

    def saved(session_id: int, path: str, started_at: datetime, ended_at: datetime) -> None:
        from pathlib import Path

        with session_scope() as db:
            live_room.record_recording(session_id, path, started_at, ended_at, Path(path).stat().st_size, db=db)

    return MediaHooks(on_join=join, on_leave=leave, on_recording_saved=saved)


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="peerlearn.media")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=settings.media_port)
    parser.add_argument("--no-database", action="store_true", help="run without writing attendance (tests, benchmarks)")
    args = parser.parse_args()
    config = MediaConfig(
        secret=settings.secret_key,
        recordings_dir=settings.peerlearn_data_dir / "recordings",
        ice_servers=settings.ice_server_urls,
        cors_origins=allowed_origins(settings),
        forward_encoded=settings.media_forward_encoded,
        ice_timeout_seconds=settings.media_ice_timeout_seconds,
    )
    app = create_media_app(config, MediaHooks() if args.no_database else database_hooks())
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=3)


if __name__ == "__main__":
    main()
