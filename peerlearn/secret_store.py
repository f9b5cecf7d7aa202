"""The development signing key: generated once, kept in the data directory, shared by every process.

Without `SECRET_KEY`, nothing may sign with a value written in the source (anyone could forge webhooks, media
tokens and recording links with it). So the first process to start writes a random key to
`PEERLEARN_DATA_DIR/secret_key` (mode 0600) and every later process, worker and restart reads the same one.

Creation is atomic: the key is written to a private temporary file and hard-linked into place, which fails if
another process got there first; the loser then reads the winner's key. No process can ever read a half-written key.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from pathlib import Path

log = logging.getLogger(__name__)

SECRET_FILE_NAME = "secret_key"
MIN_SECRET_LENGTH = 32
_READ_ATTEMPTS = 50  # a process that lost the race on a filesystem without hard links waits for the winner's write


def secret_file(data_dir: Path) -> Path:
    return Path(data_dir) / SECRET_FILE_NAME


def load_or_create_secret(data_dir: Path) -> str:
    """The key in `data_dir/secret_key`, creating it (0600, atomically) when it is not there yet."""
    path = secret_file(data_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, secrets.token_urlsafe(48))
    return _read(path)


def _create(path: Path, secret: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and never replaces a key another process already wrote
            log.warning("SECRET_KEY is not set: generated a signing key in %s (keep this file private)", path)
        except FileExistsError:
            pass  # another worker won the race: use its key
        except OSError:
            _create_without_links(path, secret)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _create_without_links(path: Path, secret: str) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret + "\n")


def _read(path: Path) -> str:
    if path.stat().st_mode & 0o077:
        log.warning("%s was readable by other users; making it private (0600)", path)
        path.chmod(0o600)
    for _ in range(_READ_ATTEMPTS):
        secret = path.read_text().strip()
        if len(secret) >= MIN_SECRET_LENGTH:
            return secret
        time.sleep(0.02)
    raise RuntimeError(f"{path} does not hold a usable signing key; delete it to generate a new one")
