"""Icons from resources/icons (SVG), found both from source and from the bundle."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from planner.paths import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
