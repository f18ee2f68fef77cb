"""The package's imports run one way: the core (domain, store, commands, queries, io and
the top-level modules) never imports Qt, except the PDF report's painting, which may use
QtCore and QtGui but never QtWidgets; the store imports nothing above it; and no two
modules of `planner` import each other, directly or round a loop. Imports inside
functions and imports for type checking alone count too: a loop is a loop wherever it is
closed."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "planner"
CORE = ("domain", "store", "commands", "queries", "io")
REPORT_PAINTING = "planner.io.report"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes under `if TYPE_CHECKING:`, which never run."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for part in node.body for inner in ast.walk(part))
    return skipped


def _imports(path: Path, *, typing_too: bool = False) -> set[str]:
    """Every module `path` imports, by absolute name (relative imports resolved); imports
    for type checking only are left out unless `typing_too`."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = set() if typing_too else _type_checking_only(tree)
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {
    name: {
        target for target in _imports(path, typing_too=True) if target in MODULES and target != name
    }
    for name, path in MODULES.items()
}


def _layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or name in {f"planner.{c}" for c in CORE} else "top"


def test_the_core_never_imports_qt_widgets() -> None:
    wrong: list[str] = []
    for name in sorted(n for n in MODULES if _layer(n) in (*CORE, "top")):
        imported = _imports(MODULES[name], typing_too=True)
        qt = {target for target in imported if target.startswith("PySide6")}
        if name.startswith(REPORT_PAINTING):
            qt = {t for t in qt if not t.startswith(("PySide6.QtCore", "PySide6.QtGui"))}
        wrong.extend(f"{name} -> {target}" for target in sorted(qt))
    assert not wrong, "the core must not import Qt (the report may paint with QtCore/QtGui)"


def test_the_store_imports_nothing_above_it() -> None:
    above = ("planner.commands", "planner.queries", "planner.io", "planner.ui", "planner.cli")
    wrong = {
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if name.startswith("planner.store")
        for target in targets
        if target.startswith(above)
    }
    assert not wrong, sorted(wrong)


def test_nothing_in_the_core_imports_the_user_interface() -> None:
    wrong = {
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if _layer(name) in CORE
        for target in targets
        if target.startswith("planner.ui")
    }
    assert not wrong, sorted(wrong)


def _cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in GRAPH[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    return groups


def test_no_import_cycles() -> None:
    assert _cycles() == []
