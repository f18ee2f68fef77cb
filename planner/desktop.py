"""Whether this machine can show the app's window, asked before Qt is loaded: Qt itself
aborts with no display or without a system library its Linux plugin needs, saying why
only in its own log."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Qt's Linux (xcb) plugin refuses to load without these; the Debian package of each.
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
)


def window_unavailable_reason() -> str | None:
    """One sentence on why no window can open here, or None when one can (or when Qt is
    told to draw somewhere other than a Linux desktop)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform not in ("", "xcb", "wayland"):
        return None  # offscreen, vnc, eglfs...: Qt is told where to draw
    display = os.environ.get("DISPLAY", "")
    wayland = os.environ.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return (
            "there is no display to show the window on (as in an SSH session or on a "
            "server); the commands in 'planner --help' work without one"
        )
    uses_xcb = platform == "xcb" or (platform == "" and not wayland)
    if uses_xcb and not getattr(sys, "frozen", False):  # the bundle carries its own
        missing = [package for name, package in XCB_LIBRARIES if not ctypes.util.find_library(name)]
        if missing:
            packages = " ".join(missing)
            return (
                f"the window needs the system {'library' if len(missing) == 1 else 'libraries'} "
                f"{', '.join(missing)}, not installed here: install "
                f"{'it' if len(missing) == 1 else 'them'} (on Debian or Ubuntu: sudo apt "
                f"install {packages}) and start again"
            )
    return None
