"""The selected measure: what it is, a chart of its actuals against target, and its
periods, whose figures and words are edited in place (each edit one undoable change)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.commands import CreateRecord, EditRecord
from planner.domain.dates import format_uk
from planner.domain.measures import Better, Frequency, Unit, format_value
from planner.domain.periods import Period
from planner.errors import PlannerError
from planner.queries.lookups import plan_header
from planner.queries.purpose import MeasureDetail, measure_detail
from planner.ui.dialogs.measure_period import PeriodDialog
from planner.ui.document import PlanDocument
from planner.ui.messages import show_error
from planner.ui.models.measure_periods import PeriodsModel
from planner.ui.style import edit_in_place, style_table
from planner.ui.views.measure_chart import ChartPoint, MeasureChart


def rag_colours(document: PlanDocument) -> dict[str, str]:
    """The plan's own RAG colours by letter."""
    return {d.code: d.colour for d in document.read(plan_header).rag_definitions}


class MeasurePanel(QWidget):
    """Shows one measure (`show_measure`); runs its period edits through the document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measurePanel")
        self._document: PlanDocument | None = None
        self.detail: MeasureDetail | None = None
        self.title = QLabel("Select a measure to see its figures", self)
        self.title.setObjectName("measureTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.facts: dict[str, QLabel] = {}
        facts = QFormLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(3)
        for name in ("Definition", "Baseline", "Owner", "Source", "Judged"):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setObjectName(f"measure{name}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[name] = label
            facts.addRow(f"<b>{name}:</b>", label)
        self.chart = MeasureChart(self)

        self.periods = PeriodsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("periodsTable")
        self.table.setAccessibleName("Periods")
        style_table(self.table)
        self.table.setModel(self.periods)
        edit_in_place(self.table, row_height=self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((110, 80, 80, 130, 110, 260, 220)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # the commentary
        self.add_button = QPushButton("Add period…", self)
        self.add_button.setObjectName("addPeriodButton")
        self.add_button.setToolTip("Add a target and actual for another quarter or year")
        self.add_button.clicked.connect(self.add_period)
        hint = QLabel("Double-click a target, actual, commentary or data quality to change it.")
        hint.setStyleSheet("color: #5A6470;")

        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        about = QVBoxLayout()
        about.addWidget(self.title)
        about.addLayout(facts)
        about.addStretch(1)
        top_layout.addLayout(about, 2)
        top_layout.addWidget(self.chart, 3)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.add_button)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(split)
        # Edits run once the cell editor has closed, so an error never sits over it.
        self.periods.edit_requested.connect(self._edit, Qt.ConnectionType.QueuedConnection)
        self.show_measure(None)

    def set_document(self, document: PlanDocument | None) -> None:
        self._document = document
        self.periods.editable = document is not None and not document.read_only

    def show_measure(self, measure_id: int | None) -> None:
        """Read and show the measure (nothing when None or no longer in the plan)."""
        document = self._document
        detail = None
        if document is not None and measure_id is not None:
            try:
                detail = document.read(lambda session, _plan: measure_detail(session, measure_id))
            except LookupError:
                detail = None
        self.detail = detail
        self._show(detail)

    def _show(self, detail: MeasureDetail | None) -> None:
        colours = rag_colours(self._document) if self._document and detail else {}
        writable = self._document is not None and not self._document.read_only
        self.add_button.setEnabled(detail is not None and writable)
        if detail is None:
            self.title.setText("Select a measure to see its figures")
            for label in self.facts.values():
                label.setText("")
            self.chart.set_points([], 0, Better.HIGHER, Unit.NUMBER)
            self.periods.set_periods((), Unit.NUMBER, colours)
            return
        row = detail.row
        self.title.setText(row.name)
        baseline = format_value(row.baseline, row.unit) or "not recorded"
        if row.baseline is not None and row.baseline_on is not None:
            baseline += f" (at {format_uk(row.baseline_on)})"
        self.facts["Definition"].setText(detail.definition or "—")
        self.facts["Baseline"].setText(baseline)
        self.facts["Owner"].setText(row.owner or "no owner")
        self.facts["Source"].setText(row.source or "not recorded")
        self.facts["Judged"].setText(
            f"{row.frequency.label}; {row.better.label.lower()}; "
            f"within tolerance up to {detail.tolerance:g}% short of target"
        )
        points = [ChartPoint(p.period.label, p.target, p.actual) for p in detail.periods]
        self.chart.set_points(points, detail.tolerance, row.better, row.unit)
        self.periods.set_periods(detail.periods, row.unit, colours)

    def _edit(self, value_id: int, field: str, text: str) -> None:
        document = self._document
        if document is None:
            return

        def refused(error: PlannerError) -> None:
            show_error(self, error, "The change was not made")
            self._show(self.detail)  # the cell shows the stored value again

        document.try_execute(EditRecord("measure_value", value_id, {field: text}), refused)

    def add_period(self) -> bool:
        """Ask for a new period's figures and add them; True when added."""
        document, detail = self._document, self.detail
        if document is None or detail is None:
            return False
        quarterly = detail.row.frequency is Frequency.QUARTERLY
        taken = frozenset(p.period for p in detail.periods)
        latest = max(taken, default=None)
        if latest is None:
            status = document.read(plan_header).status_date
            latest = (Period.quarter_of if quarterly else Period.year_of)(status).previous()
        values = PeriodDialog.ask(
            self, detail.row.name, latest.next(), quarterly=quarterly, taken=taken
        )
        if values is None:
            return False
        command = CreateRecord("measure_value", values.record(detail.row.id))
        report: Callable[[PlannerError], object] = lambda error: show_error(  # noqa: E731
            self, error, "The period was not added"
        )
        return document.try_execute(command, report) is not None
