"""Starting the desktop app: the QApplication, the first plan, and --screenshot."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from planner import APP_NAME, __version__
from planner.paths import data_dir, resources_dir
from planner.ui.first_paint import FirstPaint

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import AppSettings

SAMPLE_NAME = "Northshire sample plan.plan"
# A screenshot's text field: when the window was first painted (seconds since 1970), so
# that start-up can be timed to the paint itself rather than to the picture being saved.
PAINTED_AT = "Painted at"
GARBAGE_COLLECTION_AFTER_MS = 3000  # at the latest, should the window not be painted


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
    _check_safe_xml()
    return app


def _check_safe_xml() -> None:
    """Workbooks from partners are parsed safely only through defusedxml: say so at
    start-up if it is missing, rather than when a returned copy is opened. (Looking for
    it is enough here: importing openpyxl would slow the start; reading checks again.)"""
    import importlib.util
    import logging

    if importlib.util.find_spec("defusedxml") is None:
        logging.getLogger(__name__).error("defusedxml is missing: workbooks will be refused")


def log_qt_messages() -> None:
    """Send Qt's own warnings (a missing plugin, a bad stylesheet) to the log."""
    import logging

    logger = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        logger.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def plan_to_open(path: Path | str | None, settings: AppSettings) -> Path | str:
    """The plan the app opens: `path`, else the most recent, else the built-in sample on
    the first run. A plan file named on the command line is already being checked (see
    planner.cli); the most recent one starts its check here, beside building the window."""
    if path is not None:
        return path
    from planner.paths import working_dir
    from planner.store.sqlite_file import check_early

    recent = settings.most_recent_existing()
    if recent is None:
        return first_run_sample()
    check_early(recent, copy_into=working_dir())
    return recent


def collect_garbage_from_now() -> None:
    """Collect garbage again once the window shows (`planner.cli.main` holds it off while
    the program starts), leaving out what start-up made: it lasts as long as the program,
    so later collections need not look at it, and typing never waits for them."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def open_unattended(window: MainWindow, target: Path | str) -> str:
    """Open `target` in `window` without asking anything, as --screenshot does; "" when
    it opened, else the one sentence saying why not. Unsaved changes left by a program
    that closed unexpectedly are kept for the next interactive start."""
    from planner.errors import PlannerError, RecoveryAvailable
    from planner.store.planfile import PlanFile
    from planner.store.shared import SharedPlan
    from planner.store.shared_location import SharedLocation, is_shared_location
    from planner.ui.document import PlanDocument

    try:
        if isinstance(target, str) and is_shared_location(target):
            plan: PlanFile | SharedPlan = SharedPlan.open(SharedLocation.parse(target))
        else:
            plan = PlanFile.open(target, recovery="ask")
    except RecoveryAvailable:
        return (
            f"'{Path(target).name}' has changes that were never saved; open it in "
            f"{APP_NAME} to recover or discard them first."
        )
    except PlannerError as error:
        return str(error)
    window.set_document(PlanDocument(plan))
    return ""


def run_app(path: Path | str | None = None, *, screenshot: Path | None = None) -> int:
    """Open the window on `path`, the most recent plan, or the sample on first run."""
    from planner.logs import setup_logging

    setup_logging()
    log_qt_messages()
    app = application()
    from planner.ui.settings import AppSettings

    settings = AppSettings()
    target = plan_to_open(path, settings)
    from planner.ui.main_window import MainWindow

    window = MainWindow(settings, plan_views=False)

    def after_first_paint() -> None:
        window.build_plan_views()
        collect_garbage_from_now()

    FirstPaint(window.actions_page.table.viewport(), after_first_paint)
    QTimer.singleShot(GARBAGE_COLLECTION_AFTER_MS, collect_garbage_from_now)  # never painted
    if screenshot is None:
        from planner.ui.dialogs.preferences import ask_name_on_first_start

        ask_name_on_first_start(settings)
        assert window.file_flows is not None  # made with the window's actions
        window.file_flows.open_path(target)
    else:
        window.resize(1280, 800)
        refusal = open_unattended(window, target)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2

        def capture() -> None:
            painted = time.time()  # the first paint has just ended
            image = window.grab().toImage()
            image.setText(PAINTED_AT, f"{painted:.6f}")
            image.save(str(screenshot))
            if window.document is not None:
                document = window.document
                window.set_document(None)
                document.close(discard=True)
            app.quit()

        FirstPaint(window.actions_page.table.viewport(), capture)
    window.show()
    return app.exec()
