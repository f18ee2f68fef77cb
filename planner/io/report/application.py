"""A Qt GUI application for painting, also where there is no display (the command line
on a server): fonts and QPdfWriter need one."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

_kept: list[QCoreApplication] = []  # the application made here lives as long as the program


def ensure_gui_application() -> None:
    """Make a QGuiApplication unless one exists; on Linux without DISPLAY or
    WAYLAND_DISPLAY it uses the offscreen platform (unless QT_QPA_PLATFORM says otherwise)."""
    if QCoreApplication.instance() is not None:
        return
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _kept.append(QGuiApplication([sys.argv[0] if sys.argv else "planner"]))
