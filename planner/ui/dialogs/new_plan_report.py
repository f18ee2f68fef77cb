"""New plan from Excel, the report: what was made and every line that could not be used."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.io.excel.new_plan import NewPlanReport
from planner.ui.dialogs.column_mapping import TITLE


def report_lines(report: NewPlanReport, target: Path) -> list[tuple[str, str]]:
    """The report as (kind, text) lines: "heading" lines introduce the lines after them."""
    lines: list[tuple[str, str]] = [("note", note) for note in report.notes]
    if report.skipped:
        lines.append(("heading", report.skipped_summary()))
        lines += [("skipped", line) for line in report.skipped_lines()]
    if report.doubtful:
        lines.append(("heading", "Read, but worth checking in the plan:"))
        lines += [("doubt", line) for line in report.doubtful_lines()]
    if report.unrecognised:
        lines.append(
            ("note", "Columns not used, so not read: " + ", ".join(report.unrecognised) + ".")
        )
    saved = f"The plan was saved as '{target.name}'."
    if report.guessed_sectors:
        saved += (
            " Partner bodies' sectors were guessed from their names; check them under Partners."
        )
    lines.append(("note", saved))
    return lines


def report_text(report: NewPlanReport, target: Path) -> str:
    """The whole report as plain text, one line each (as copied to the clipboard)."""
    body = [
        f"  {text}" if kind in ("skipped", "doubt") else text
        for kind, text in report_lines(report, target)
    ]
    return "\n".join([report.sentence(), *body])


class NewPlanReportDialog(QDialog):
    """What was made, and every line of what could not be used, in a scrolling list."""

    def __init__(self, report: NewPlanReport, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFromExcelReport")
        self.setWindowTitle(TITLE)
        self.report = report
        self.target = target
        summary = QLabel(f"<b>{_escaped(report.sentence())}</b>", self)
        summary.setObjectName("newFromExcelSummary")
        summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("newFromExcelReportList")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSpacing(2)
        for kind, text in report_lines(report, target):
            item = QListWidgetItem(text if kind in ("heading", "note") else f"    {text}")
            if kind == "heading":
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setToolTip(text)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setObjectName("copyReportButton")
        copy.clicked.connect(self.copy_report)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(720, 420 if report.skipped or report.doubtful else 260)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(report_text(self.report, self.target))


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
