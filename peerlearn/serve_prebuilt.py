"""Serve the app on one port from a frontend compiled earlier, without compiling or building anything.

`reflex run --env prod --single-port` compiles the app and rebuilds `.web` every time it starts (under a file
lock on `.web`): slow for a container that already ran `reflex export --frontend-only` at image build time, and
wrong for two nodes started from the same checkout (the second rewrites the files the first one serves). This is
the same production backend (granian, `GRANIAN_WORKERS`, the compiled frontend mounted on the backend's port) with
the compile step skipped. `peerlearn.cli serve` uses it when `PEERLEARN_PREBUILT_FRONTEND=1`.

    python -m peerlearn.serve_prebuilt PORT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    port = int(argv[0])
    from reflex.utils import exec, prerequisites
    from reflex_base import constants
    from reflex_base.environment import environment

    static = prerequisites.get_web_dir() / constants.Dirs.STATIC
    if not (static / "index.html").exists():
        print(f"No compiled frontend at {static}: run `reflex export --frontend-only --no-zip` first.")
        return 2
    _warn_if_built_for_another_url(prerequisites.get_web_dir() / "env.json")
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    exec.run_backend_prod("0.0.0.0", port, constants.LogLevel.ERROR, mount_frontend_compiled_app=True)
    return 0


def _warn_if_built_for_another_url(env_json: Path) -> None:
    """The compiled bundle connects to the URL it was built with; a different PUBLIC_BASE_URL now breaks it."""
    from peerlearn.config import get_settings

    try:
        built = json.loads(env_json.read_text()).get("PING", "")
    except (OSError, ValueError):
        return
    wanted = get_settings().base_url
    if built and not built.startswith(wanted):
        print(f"Warning: the frontend was built for {built.rsplit('/', 1)[0]}, but PUBLIC_BASE_URL is {wanted}.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
