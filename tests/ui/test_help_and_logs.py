"""Help > User guide, Help > About, the log file, and `planner --self-test` from source."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QTextBrowser

from planner.ui.guide import UserGuide, guide_path
from planner.ui.main_window import MainWindow
from planner.ui.settings import AppSettings

pytestmark = pytest.mark.gui

GUIDE_SECTIONS = [
    "Starting a plan",
    "Partners and people",
    "Themes and actions",
    "Milestones and progress updates",
    "Circulating the plan as a workbook",
    "Update rounds",
    "Merging the returns",
    "Pictures of the plan",
    "The board report",
    "Saving, the working copy and backups",
]


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> MainWindow:
    """A main window with no plan open (not shown)."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(AppSettings(settings))
    qtbot.addWidget(window)
    return window


def menu_commands(window: MainWindow) -> set[str]:
    """Every command in the menu bar as 'Menu > Command', without '&' and '…'."""

    def clean(text: str) -> str:
        return text.replace("&", "").replace("…", "").strip()

    found = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.text():
                found.add(f"{clean(top.text())} > {clean(action.text())}")
    return found


def test_help_user_guide_opens_the_guide_with_its_sections(window: MainWindow, qtbot: Any) -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions() if a.text()] == [
        "&User guide",
        "&About Strategy Planner",
    ]
    window.actionUserGuide.trigger()
    guide = window.findChild(UserGuide, "userGuideWindow")
    assert guide is not None and guide.isVisible() and not guide.isModal()
    browser = guide.findChild(QTextBrowser, "userGuide")
    assert browser is not None
    text = browser.toPlainText()
    assert text.startswith("Strategy Planner user guide")
    for section in GUIDE_SECTIONS:
        assert section in guide.sections()
        assert section in text
    assert "**" not in text and "## " not in text  # rendered, not shown as Markdown

    # Choosing a section further down scrolls the guide to it.
    qtbot.waitExposed(guide)
    bar = browser.verticalScrollBar()
    assert bar.value() == 0
    guide.contents.setCurrentRow(guide.sections().index("Merging the returns"))
    qtbot.waitUntil(lambda: bar.value() > 0)
    top = browser.cursorForPosition(browser.viewport().rect().topLeft())
    assert "Merging the returns" in top.block().text() or bar.value() == bar.maximum()

    # Asking again brings back the same window rather than a second one.
    window.actionUserGuide.trigger()
    assert len(window.findChildren(UserGuide)) == 1
    guide.close()


def test_the_guide_names_only_commands_that_are_in_the_menus(window: MainWindow) -> None:
    guide = guide_path().read_text(encoding="utf-8")
    named = {
        f"{menu} > {command.replace('…', '').strip()}"
        for menu, command in re.findall(r"\*\*(File|Edit|View|Help) > ([^*]+)\*\*", guide)
    }
    assert len(named) > 20
    assert named <= menu_commands(window), sorted(named - menu_commands(window))


def test_about_shows_the_data_folder_and_the_log_file(window: MainWindow, data_dir: Path) -> None:
    box = window.about_box()
    assert "0.1.0" in box.text()
    assert str(data_dir) in box.text()
    assert str(data_dir / "logs" / "planner.log") in box.text()
    box.deleteLater()


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """Put back the root logger and exception hooks that setup_logging changes."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def test_the_log_file_records_start_up_and_uncaught_errors(
    clean_logging: None, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.logs import setup_logging

    # The hooks in place before (here stand-ins for the printing ones) still run.
    passed_on: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *error: passed_on.append(error[1]))
    monkeypatch.setattr(threading, "excepthook", lambda args: passed_on.append(args.exc_value))
    path = setup_logging()
    assert path == data_dir / "logs" / "planner.log"
    assert setup_logging() == path  # once only
    try:
        raise RuntimeError("the disk went away")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start()
    thread.join()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "Strategy Planner 0.1.0 started" in text
    assert text.count("Strategy Planner 0.1.0 started") == 1
    assert "CRITICAL planner: Uncaught exception" in text
    assert "RuntimeError: the disk went away" in text
    assert "ZeroDivisionError" in text
    assert [type(error).__name__ for error in passed_on] == ["RuntimeError", "ZeroDivisionError"]


def test_the_self_test_passes_from_source(qapp: Any, data_dir: Path) -> None:
    from planner.ui.selftest import run_self_test

    lines: list[str] = []
    assert run_self_test(lines.append) == 0, "\n".join(lines)
    assert lines[-1] == "All checks passed."
    assert sum(line.startswith("  ok ") for line in lines) == 6
    assert not list(data_dir.iterdir())  # worked in a temporary folder of its own
