"""A throw-away embedded setup for a bench that seeds the demo marketplace itself: a fresh SQLite file and data
directory, a key that signs nothing outside the bench, and no Redis (unless `redis_url`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def use_throwaway_sqlite(prefix: str, *, redis_url: str = "") -> str:
    """Point this process's settings at a new temporary directory; returns the database URL (migrate it next)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    url = os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.db'}"
    os.environ["PEERLEARN_DATA_DIR"] = str(workdir / "data")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    return url
