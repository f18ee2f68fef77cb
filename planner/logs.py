"""The program's log: a rotating file in the user's data folder, uncaught errors included.

The installed app has no console, so what would have gone to a terminal goes here.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from planner import __version__
from planner.paths import data_dir

LOG_FILE = "planner.log"
MAX_BYTES = 1_000_000
BACKUPS = 3  # planner.log.1 ... planner.log.3

_logger = logging.getLogger("planner")


class _PlannerFileHandler(RotatingFileHandler):
    """Marks the handler this module installed, so it is installed once."""


def log_path() -> Path:
    """Where the log is written: `logs/planner.log` in the user's data folder."""
    return data_dir() / "logs" / LOG_FILE


def setup_logging() -> Path:
    """Log to the rotating file and log uncaught exceptions there; returns the file.

    Calling it again (e.g. after PLANNER_DATA_DIR changed) moves the log to the new place."""
    path = log_path()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _PlannerFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _PlannerFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    _install_hooks()
    _logger.info(
        "Strategy Planner %s started (Python %s, %s%s)",
        __version__,
        platform.python_version(),
        platform.platform(),
        ", bundled" if getattr(sys, "frozen", False) else "",
    )
    return path


def log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    _logger.critical("Uncaught exception", exc_info=(kind, error, trace))


def _install_hooks() -> None:
    if getattr(sys.excepthook, "_planner", False):
        return
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            log_uncaught(kind, error, trace)
        previous(kind, error, trace)

    hook._planner = True  # type: ignore[attr-defined]  # marks our hook, to install it once
    sys.excepthook = hook

    previous_thread_hook = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log_uncaught(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
        previous_thread_hook(args)

    threading.excepthook = thread_hook
