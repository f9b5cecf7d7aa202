"""The pages. Each module registers its page in `peerlearn.ui.layout.PAGES` when it is imported."""

from __future__ import annotations

import importlib
import pkgutil


def import_all_pages() -> list[str]:
    """Import every page module of this package (so every page is registered); their names, sorted."""
    names = sorted(module.name for module in pkgutil.iter_modules(__path__))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return names
