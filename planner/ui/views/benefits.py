"""The Benefits tab: the benefits register, narrowed by partner body, theme, financial
year and type, with its totals by partner body and by year and the validated savings a
board paper may quote. It reads through `document.read` and runs no commands.

Public API for the main window and tests: `set_document`, `refresh`, `set_filter`,
`clear_filters`, `headline_amount`."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from planner.commands import Applied
from planner.domain.money import ZERO, BenefitTotal, BenefitType, format_pounds
from planner.domain.periods import Period
from planner.queries.benefits import (
    BenefitFilter,
    BenefitRow,
    BenefitSummary,
    benefit_rows,
    benefit_summary,
    benefit_years,
)
from planner.queries.lookups import partner_choices, theme_choices
from planner.ui.document import PlanDocument
from planner.ui.models.benefits import BenefitsModel, TotalsModel
from planner.ui.style import style_table

WIDTHS = (62, 260, 140, 100, 96, 96, 96)
ROWS_MEASURED = 200  # registers up to this long get rows fitted to their text
FILTERS = ("partner", "theme", "year", "kind")


def _table(parent: QWidget, name: str, accessible: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    style_table(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


class BenefitsView(QWidget):
    SHOWS = frozenset({"benefit", "benefit_value", "action", "partner", "theme", "person", "plan"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("benefitsView")
        self._document: PlanDocument | None = None
        self._stale = False
        self.filters: dict[str, QComboBox] = {}
        bar = QGridLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setHorizontalSpacing(6)
        captions = ("&Received by", "T&heme", "&Year", "T&ype")
        for number, (key, label) in enumerate(zip(FILTERS, captions, strict=True)):
            combo = QComboBox(self)
            combo.setObjectName(f"benefits{key.title()}Filter")
            combo.setAccessibleName(f"Show benefits by {label.replace('&', '').lower()}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(12)
            combo.currentIndexChanged.connect(lambda _n: self.refresh())
            self.filters[key] = combo
            caption = QLabel(f"{label}:", self)
            caption.setBuddy(combo)
            row, column = divmod(number, 2)
            bar.addWidget(caption, row, column * 2)
            bar.addWidget(combo, row, column * 2 + 1)
        self.clear_button = QPushButton("Show all", self)
        self.clear_button.setObjectName("clearBenefitFilters")
        self.clear_button.setToolTip("Clear the filters and show every benefit")
        self.clear_button.clicked.connect(self.clear_filters)
        bar.addWidget(self.clear_button, 1, 4)
        bar.setColumnStretch(5, 1)

        self.headline = QLabel(self)
        self.headline.setObjectName("benefitsHeadline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline_note = QLabel(self)
        self.headline_note.setObjectName("benefitsHeadlineNote")
        self.headline_note.setWordWrap(True)
        self.headline_note.setStyleSheet("color: #5A6470;")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("benefitsCount")
        self.count_label.setStyleSheet("color: #5A6470;")
        self._headline = Decimal(0)

        self.model = BenefitsModel(self)
        self.table = _table(self, "benefitsTable", "Benefits register")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)  # a benefit is a sentence: it wraps onto more lines
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.by_partner = TotalsModel("Received by", self)
        self.by_year = TotalsModel("Year", self)
        totals = QWidget(self)
        totals_layout = QHBoxLayout(totals)
        totals_layout.setContentsMargins(0, 0, 0, 0)
        self.totals_tables: list[QTableView] = []
        for model, name, title in (
            (self.by_partner, "byPartnerTable", "Totals by partner body"),
            (self.by_year, "byYearTable", "Totals by financial year"),
        ):
            box = QVBoxLayout()
            heading = QLabel(f"<b>{title}</b>", self)
            table = _table(self, name, title)
            table.setModel(model)
            heads = table.horizontalHeader()
            heads.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            heads.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.totals_tables.append(table)
            box.addWidget(heading)
            box.addWidget(table)
            box.addStretch(1)
            totals_layout.addLayout(box, 1)

        headline_row = QHBoxLayout()
        headline_row.addWidget(self.headline)
        headline_row.addStretch(1)
        headline_row.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addLayout(headline_row)
        layout.addWidget(self.headline_note)
        layout.addWidget(self.table, 1)
        layout.addSpacing(4)
        layout.addWidget(totals)

    # ----- the document ---------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        if self._document is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._document.changed.disconnect(self._document_changed)
                self._document.reloaded.disconnect(self.reload)
        self._document = document
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self.reload)
        self.reload()

    def _document_changed(self, applied: Applied) -> None:
        if applied.touches.reaches(self.SHOWS):
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the filters' choices and the register again (when next shown if hidden)."""
        if self._document is not None and not self.isVisible():
            self._stale = True
            return
        self._fill_filters()
        self.refresh()

    def _fill_filters(self) -> None:
        document = self._document
        choices: dict[str, list[tuple[object, str]]] = {key: [] for key in FILTERS}
        if document is not None:
            choices["partner"] = [(c.id, c.label) for c in document.read(partner_choices)]
            choices["theme"] = [(c.id, c.label) for c in document.read(theme_choices)]
            years = document.read(benefit_years)
            choices["year"] = [(year.year, year.label) for year in years]
        choices["kind"] = [(kind.value, kind.label) for kind in BenefitType]
        every = {
            "partner": "All partner bodies",
            "theme": "All themes",
            "year": "All years",
            "kind": "All types",
        }
        for key, combo in self.filters.items():
            kept = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(every[key], None)
            for value, label in choices[key]:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(kept), 0) if kept is not None else 0)
            combo.blockSignals(blocked)

    def set_filter(self, key: str, value: object) -> bool:
        """Choose `value` in one filter ("partner", "theme", "year", "kind"); False when
        it is not offered."""
        combo = self.filters[key]
        if isinstance(value, Period):
            value = value.year
        elif isinstance(value, BenefitType):
            value = value.value
        found = combo.findData(value)
        if found < 0:
            return False
        combo.setCurrentIndex(found)
        return True

    def clear_filters(self) -> None:
        for combo in self.filters.values():
            blocked = combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(blocked)
        self.refresh()

    # ----- reading --------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the register as the filters narrow it, with its totals."""
        document = self._document
        if document is None:
            self.model.set_rows([])
            self._show_totals(0, None)
            return
        chosen = {key: combo.currentData() for key, combo in self.filters.items()}
        wanted = BenefitFilter(
            partner_id=chosen["partner"],
            theme_id=chosen["theme"],
            year=None if chosen["year"] is None else Period(chosen["year"]),
            kind=None if chosen["kind"] is None else BenefitType(chosen["kind"]),
        )

        def query(session: Session, plan_id: int) -> tuple[list[BenefitRow], BenefitSummary]:
            rows = benefit_rows(
                session,
                plan_id,
                partner_id=wanted.partner_id,
                theme_id=wanted.theme_id,
                year=wanted.year,
                kind=wanted.kind,
                with_years=False,
            )
            return rows, benefit_summary(session, plan_id, wanted)

        rows, summary = document.read(query)
        self.model.set_rows(rows)
        self._fit_rows(len(rows))
        self._show_totals(len(rows), summary)

    def _fit_rows(self, count: int) -> None:
        """Rows as tall as their wrapped text; a long register keeps two lines a row, as
        measuring thousands of rows would keep the officer waiting."""
        if count <= ROWS_MEASURED:
            self.table.resizeRowsToContents()
        else:
            self.table.verticalHeader().setDefaultSectionSize(
                2 * self.table.fontMetrics().lineSpacing() + 10
            )

    def _show_totals(self, count: int, summary: BenefitSummary | None) -> None:
        total = summary.total if summary else BenefitTotal()
        by_partner = [
            (name or "Not recorded", sums)
            for name, sums in (summary.by_partner if summary else {}).items()
        ]
        self.by_partner.set_totals(sorted(by_partner), total)
        self.by_year.set_totals(
            [(year.label, sums) for year, sums in (summary.by_year if summary else {}).items()],
            total,
        )
        self._headline = summary.headline if summary else ZERO
        self.headline.setText(f"Validated savings: {format_pounds(self._headline)}")
        for table in self.totals_tables:
            self._fit_height(table)
        parts = []
        if summary is not None:
            this_year = summary.headline_this_year
            parts.append(f"In {summary.status_year.label} so far: {format_pounds(this_year)}.")
        parts.append(
            "Only cashable and non-cashable savings that have been realised and validated "
            "(by whom and when) count towards this figure."
        )
        self.headline_note.setText(" ".join(parts))
        filtered = any(combo.currentIndex() > 0 for combo in self.filters.values())
        shown = f"{count} benefit{'' if count == 1 else 's'}"
        self.count_label.setText(shown + (" (filtered)" if filtered else ""))
        self.clear_button.setEnabled(filtered)

    @staticmethod
    def _fit_height(table: QTableView) -> None:
        """As tall as its rows (up to eight), so the register keeps the rest."""
        rows = min(max(table.model().rowCount(), 2), 8)
        height = (
            table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
            + 2
        )
        table.setFixedHeight(height)

    @property
    def headline_amount(self) -> Decimal:
        """The validated savings the headline shows."""
        return self._headline
