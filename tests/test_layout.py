"""The tests mirror the package: core (domain, store, commands, queries, command line), io
(workbooks, returns, rounds, the report), ui and bundle. Every test that builds widgets
is marked `gui`: all of tests/ui by its conftest.py, and elsewhere a test that uses
qtbot or PySide6.QtWidgets (itself or through a fixture) must carry the mark, on the
test or on its module (`pytestmark`)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

TESTS = Path(__file__).parent
FOLDERS = ("core", "io", "ui", "bundle")
WIDGETS = "PySide6.QtWidgets"


def _marks_gui(node: ast.expr) -> bool:
    return "mark.gui" in ast.unparse(node)


def _bound_widgets(node: ast.AST) -> set[str] | None:
    """The names an import of Qt widgets binds, or None for any other statement."""
    if isinstance(node, ast.ImportFrom) and node.module in (WIDGETS, "PySide6"):
        bound = {
            alias.asname or alias.name
            for alias in node.names
            if node.module == WIDGETS or alias.name == "QtWidgets"
        }
        return bound or None
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name for alias in node.names if alias.name == WIDGETS} or None
    return None


def _widget_names(tree: ast.Module) -> set[str]:
    """Names bound by the module's own imports of Qt widgets (not inside functions)."""
    return {name for node in tree.body for name in _bound_widgets(node) or ()}


def _imports_widgets(function: ast.AST) -> bool:
    return any(_bound_widgets(node) for node in ast.walk(function))


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node)
        elif isinstance(node, ast.ClassDef):
            found.extend(
                inner
                for inner in node.body
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return found


def _arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    return {arg.arg for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]}


def _widget_fixtures(tree: ast.Module, inherited: set[str]) -> set[str]:
    """The fixtures in `tree` that build widgets, given those it may use from above."""
    names = _widget_names(tree)
    fixtures = {
        function.name: function
        for function in _functions(tree)
        if any("fixture" in ast.unparse(d) for d in function.decorator_list)
    }
    found = set(inherited)
    while True:
        more = {
            name
            for name, function in fixtures.items()
            if name not in found and _uses_widgets(function, names, found)
        }
        if not more:
            return found
        found |= more


def _uses_widgets(
    function: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str], fixtures: set[str]
) -> bool:
    if _arguments(function) & ({"qtbot"} | fixtures) or _imports_widgets(function):
        return True
    return any(isinstance(node, ast.Name) and node.id in names for node in ast.walk(function))


def unmarked_widget_tests(source: str, inherited: Iterable[str] = ()) -> list[str]:
    """The tests in `source` that build widgets without the `gui` mark."""
    tree = ast.parse(source)
    marked = any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and _marks_gui(node.value)
        for node in tree.body
    )
    if marked:
        return []
    names = _widget_names(tree)
    fixtures = _widget_fixtures(tree, set(inherited))
    return [
        function.name
        for function in _functions(tree)
        if function.name.startswith("test")
        and not any(_marks_gui(d) for d in function.decorator_list)
        and _uses_widgets(function, names, fixtures)
    ]


def test_every_test_module_sits_in_a_folder_of_the_package() -> None:
    stray = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("test_*.py")
        if path != Path(__file__) and path.relative_to(TESTS).parts[0] not in FOLDERS
    ]
    assert not stray, f"test modules belong in tests/{{{','.join(FOLDERS)}}}: {stray}"


def test_a_test_module_imports_other_test_modules_only_beside_it() -> None:
    """Each folder is on the import path only once its own tests are collected, so an
    import across folders works in a whole run and fails in a run of one file."""
    wrong = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in TESTS.rglob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        if name.startswith("test_") and not (path.parent / f"{name}.py").exists()
    ]
    assert not wrong, wrong


def test_widget_tests_outside_tests_ui_are_marked_gui() -> None:
    unmarked: dict[str, list[str]] = {}
    for folder in (TESTS / name for name in FOLDERS if name != "ui"):
        inherited: set[str] = set()
        for conftest in (TESTS / "conftest.py", folder / "conftest.py"):
            if conftest.exists():
                inherited = _widget_fixtures(ast.parse(conftest.read_text("utf-8")), inherited)
        for path in sorted(folder.rglob("test_*.py")):
            if found := unmarked_widget_tests(path.read_text("utf-8"), inherited):
                unmarked[str(path.relative_to(TESTS))] = found
    assert not unmarked, f"these tests build widgets: mark them @pytest.mark.gui: {unmarked}"


def test_the_check_finds_widget_tests_without_the_mark() -> None:
    source = """
import pytest
from PySide6.QtWidgets import QLabel

@pytest.fixture
def label(qtbot):
    return QLabel()

@pytest.fixture
def shown(label):
    return label

def test_by_qtbot(qtbot): ...
def test_by_fixture(shown): ...
def test_by_name(): QLabel()
def test_by_import():
    from PySide6.QtWidgets import QWidget
@pytest.mark.gui
def test_marked(qtbot): ...
def test_core(tmp_path): ...
"""
    assert unmarked_widget_tests(source) == [
        "test_by_qtbot",
        "test_by_fixture",
        "test_by_name",
        "test_by_import",
    ]
    assert unmarked_widget_tests("import pytest\npytestmark = [pytest.mark.gui]\n" + source) == []
