"""Starting the app where no window can open says why in one sentence and exits 2, before
Qt is loaded (Qt itself aborts, saying why only in its log)."""

from __future__ import annotations

import sys

import pytest

from planner import desktop
from planner.cli import main


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_no_display_is_said_in_one_sentence(
    linux: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("planner: the app cannot open its window: there is no display")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_system_library_is_named_with_its_package(
    linux: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    linux.setenv("DISPLAY", ":0")
    found = {"xcb-icccm", "xcb-keysyms", "xkbcommon-x11"}
    linux.setattr(desktop.ctypes.util, "find_library", lambda name: name if name in found else None)
    assert main(["missing.plan"]) == 2
    err = capsys.readouterr().err
    assert "libxcb-cursor0" in err and "sudo apt install libxcb-cursor0" in err
    assert err.count("\n") == 1


def test_a_window_can_open_when_qt_is_told_where_to_draw(linux: pytest.MonkeyPatch) -> None:
    linux.setenv("QT_QPA_PLATFORM", "offscreen")
    assert desktop.window_unavailable_reason() is None
    linux.setenv("QT_QPA_PLATFORM", "xcb")
    linux.setenv("DISPLAY", ":0")
    linux.setattr(desktop.ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert desktop.window_unavailable_reason() is None


def test_other_systems_are_left_to_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert desktop.window_unavailable_reason() is None
