"""Where the program keeps its own files: resources, working copies, backups, logs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "StrategyPlanner"


def resources_dir() -> Path:
    """The shipped resources, from source or from a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The user's data folder; PLANNER_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("PLANNER_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def working_dir(data: Path | None = None) -> Path:
    """Where open plans' working copies live."""
    return (data or data_dir()) / "working"
