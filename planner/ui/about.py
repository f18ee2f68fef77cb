"""Help > About: the version, and where the working copies, backups and log are kept."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from planner import APP_NAME, __version__


def about_box(parent: QWidget) -> QMessageBox:
    from planner.logs import log_path
    from planner.paths import data_dir

    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(f"About {APP_NAME}")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setText(
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Turn a local public-services strategy into a delivery plan: themes, "
        "actions, lead officers, partner bodies and milestones, circulated to partners "
        "as an Excel workbook.</p>"
        "<p>Your working copies and backups are kept in:<br>"
        f"<code>{escape(str(data_dir()))}</code></p>"
        "<p>The program's log (send it with any fault you report) is:<br>"
        f"<code>{escape(str(log_path()))}</code></p>"
    )
    return box
