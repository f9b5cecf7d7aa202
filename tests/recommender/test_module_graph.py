"""The recommender's modules import each other without a cycle, counting imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import peerlearn.recommender

PACKAGE = "peerlearn.recommender"


def imports_of(path: Path) -> set[str]:
    """Recommender modules named by any import statement in the file, wherever it sits."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                found.update(f"{PACKAGE}.{alias.name}" for alias in node.names)
            elif node.module.startswith(PACKAGE + "."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith(PACKAGE + "."))
    return found


def module_graph() -> dict[str, set[str]]:
    folder = Path(peerlearn.recommender.__file__).parent
    modules = {f"{PACKAGE}.{p.stem}": p for p in folder.glob("*.py") if p.stem != "__init__"}
    return {name: imports_of(path) & modules.keys() for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [node, nxt] if nxt in path else [node, nxt]
            if nxt not in state and (cycle := visit(nxt, path + [node])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [])):
            return cycle
    return None


def test_the_module_graph_is_read_correctly():
    graph = module_graph()
    assert f"{PACKAGE}.tuning" in graph[f"{PACKAGE}.engine"]
    assert f"{PACKAGE}.explain" in graph[f"{PACKAGE}.engine"]  # `from peerlearn.recommender import explain`


def test_no_import_cycle_between_recommender_modules():
    assert find_cycle(module_graph()) is None, f"import cycle: {' -> '.join(find_cycle(module_graph()) or [])}"


def test_a_cycle_would_be_found():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert find_cycle({"a": {"b"}, "b": set()}) is None
