"""The library's modules import each other without cycles (module-level and function-level
imports alike; imports for type checking only are left out)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "aligner"


def _imports(path: Path) -> set[str]:
    """The aligner modules ``path`` imports, wherever in the file, outside ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aligner."):
            found.add(node.module.split(".")[1])
    return found


def test_no_import_cycles() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    graph = {path.stem: _imports(path) & modules for path in PACKAGE.glob("*.py")}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in trail:
                cycles.append(" → ".join(trail[trail.index(target) :] + [target]))
            elif len(trail) < len(graph):
                visit(target, trail + [target])

    for module in sorted(graph):
        visit(module, [module])
    assert not cycles, sorted(set(cycles))[:10]
