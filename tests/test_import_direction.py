"""The layering in ARCHITECTURE.md, checked on the source: imports may only point down the layers.

The modules are parsed, never imported, so a wrong import is caught without running any of it. Every import counts,
including the ones inside functions: a function-level import hides a cycle, it does not remove it.
"""

from __future__ import annotations

import ast
from itertools import combinations
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "peerlearn"

DOMAIN = ("accounts", "catalog", "booking", "billing", "live", "insights", "paths", "subscriptions", "sponsorships")
# Everything below the UI and the REST API: none of it may know about the web frameworks or the layers above.
LOWER_PACKAGES = (*DOMAIN, "platform", "models", "payments", "recommender")
LOWER_MODULES = ("db", "config", "money", "links")
FORBIDDEN_IN_LOWER = ("peerlearn.ui", "peerlearn.api", "reflex", "fastapi")

# Known mutual imports awaiting a fix elsewhere (none now). An entry that no longer happens fails the test below.
KNOWN_MUTUAL_IMPORTS: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, absolute, wherever the import statement sits."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            # `from peerlearn.booking import actions` imports the module peerlearn.booking.actions
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


MODULES = source_modules()
IMPORTS = {name: imported_names(path) for name, path in MODULES.items()}


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def project_imports(name: str) -> set[str]:
    """The project's own modules that `name` imports (names that are packages or attributes are dropped)."""
    return {target for target in IMPORTS[name] if target in MODULES and target != name}


def lower_layer(name: str) -> bool:
    return any(is_within(name, f"peerlearn.{p}") for p in LOWER_PACKAGES) or name in {
        f"peerlearn.{m}" for m in LOWER_MODULES
    }


def test_the_scan_sees_the_whole_package():
    assert "peerlearn.booking.actions" in MODULES and "peerlearn.ui.routes" in MODULES
    assert "peerlearn.booking.rules" in project_imports("peerlearn.booking.actions")


def test_domain_and_lower_layers_never_import_the_web_layers():
    offences = sorted(
        f"{name} imports {target}"
        for name in MODULES
        if lower_layer(name)
        for target in IMPORTS[name]
        if any(is_within(target, forbidden) for forbidden in FORBIDDEN_IN_LOWER)
    )
    assert offences == []


def test_platform_never_imports_a_domain_package():
    offences = sorted(
        f"{name} imports {target}"
        for name in MODULES
        if is_within(name, "peerlearn.platform")
        for target in IMPORTS[name]
        if any(is_within(target, f"peerlearn.{domain}") for domain in DOMAIN)
    )
    assert offences == []


def test_no_two_modules_import_each_other():
    mutual = {
        frozenset((a, b))
        for a, b in combinations(sorted(MODULES), 2)
        if b in project_imports(a) and a in project_imports(b)
    }
    assert sorted(sorted(pair) for pair in mutual - KNOWN_MUTUAL_IMPORTS) == []


def test_every_known_exception_is_still_needed():
    """An exception that no longer happens must be removed, so the list cannot hide a new cycle later."""
    for pair in KNOWN_MUTUAL_IMPORTS:
        a, b = sorted(pair)
        assert b in project_imports(a) and a in project_imports(b), f"{a} <-> {b} is fixed: drop the exception"
