"""Starting the desktop app: the QApplication, the first plan, and --screenshot."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from planner import APP_NAME, __version__
from planner.paths import data_dir, resources_dir

SAMPLE_NAME = "Northshire sample plan.plan"


def first_run_sample() -> Path:
    """The built-in sample, written into the user's data folder the first time."""
    from planner.io.sample import write_sample

    path = data_dir() / "Plans" / SAMPLE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_sample(path).close()
    return path


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("StrategyPlanner")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.svg")))
    from planner.ui.style import apply_style

    apply_style(app)
    return app


def run_app(path: Path | None = None, *, screenshot: Path | None = None) -> int:
    """Open the window on `path`, the most recent plan, or the sample on first run."""
    app = application()
    from planner.ui.main_window import MainWindow

    window = MainWindow()
    target = path or window.settings.most_recent_existing() or first_run_sample()
    window.show()
    opened = window.file_flows.open_path(target)  # type: ignore[union-attr]
    if screenshot is not None:
        if not opened:
            return 2

        def capture() -> None:
            window.grab().save(str(screenshot))
            window.document.close()  # type: ignore[union-attr]
            window.document = None
            app.quit()

        QTimer.singleShot(300, capture)
    return app.exec()
