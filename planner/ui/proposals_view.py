"""File > Review proposals: the new actions and milestones partners proposed in their
returned copies, to accept into the plan or decline.

The dialog shows rows it is given and asks for decisions by signal; the flow
(planner.ui.proposals_flow) runs each as an undoable command and gives it fresh rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import format_uk
from planner.queries.lookups import Choice
from planner.queries.proposals import ProposalRow
from planner.ui.models.roles import Index
from planner.ui.models.table import HeadedTableModel
from planner.ui.style import set_text_colour, style_table

TITLE = "Review proposals"
MUTED_TEXT = QColor("#6B6B6B")


class ProposalsModel(HeadedTableModel):
    """One row per proposal, newest first."""

    HEADERS = ("Proposed", "By", "New", "Title", "Where", "Lead officer", "State")
    PROPOSED, BY, KIND, TITLE, WHERE, LEAD, STATE = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProposalRow] = []

    def set_rows(self, rows: Sequence[ProposalRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ProposalRow:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _text(self, row: ProposalRow, column: int) -> str:
        if column == self.PROPOSED:
            return format_uk(row.proposed_on)
        if column == self.BY:
            return row.proposed_by or row.partner
        if column == self.KIND:
            return "Action" if row.kind == "action" else "Milestone"
        if column == self.TITLE:
            return row.title
        if column == self.WHERE:
            return row.where
        if column == self.LEAD:
            return f"{row.lead} (new person)" if row.lead_is_new else row.lead
        if column == self.STATE:
            return row.decided or "Waiting for review"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.details or None
        if role == Qt.ItemDataRole.ForegroundRole and not row.pending:
            return MUTED_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewProposalsDialog(QDialog):
    """Lists the proposals; Accept and Decline ask the flow to act on the one selected."""

    accept_requested = Signal(int, object)  # proposal id, theme id (or None)
    decline_requested = Signal(int)
    show_decided_changed = Signal(bool)

    def __init__(
        self, parent: QWidget | None, *, themes: Sequence[Choice] = (), read_only: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewProposalsDialog")
        self.setWindowTitle(TITLE)
        self.resize(1120, 460)
        layout = QVBoxLayout(self)

        hint = QLabel(
            "New actions and milestones that partners proposed in their returned copies. "
            "They are not part of the plan until you accept them; accepting or declining "
            "can be undone.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.model = ProposalsModel(self)
        self.view = QTableView(self)
        style_table(self.view)
        self.view.setObjectName("proposalsView")
        self.view.setAccessibleName("Proposals")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (ProposalsModel.PROPOSED, ProposalsModel.KIND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ProposalsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (ProposalsModel.BY, 170),
            (ProposalsModel.WHERE, 230),
            (ProposalsModel.LEAD, 150),
            (ProposalsModel.STATE, 150),
        ):
            header.resizeSection(column, width)
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel("No proposals are waiting for review.", self)
        self.empty_label.setObjectName("proposalsEmpty")
        layout.addWidget(self.empty_label)

        self.details = QLabel(self)
        self.details.setObjectName("proposalDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        set_text_colour(self.details, MUTED_TEXT)
        layout.addWidget(self.details)

        self.message = QLabel(self)
        self.message.setObjectName("proposalsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.theme_label = QLabel("&Theme:", self)
        self.theme_combo = QComboBox(self)
        self.theme_combo.setObjectName("proposalThemeCombo")
        self.theme_combo.addItem("Choose the theme it belongs to", None)
        for choice in themes:
            self.theme_combo.addItem(choice.label, choice.id)
        self.theme_label.setBuddy(self.theme_combo)
        self.accept_button = QPushButton("&Accept into the plan", self)
        self.accept_button.setObjectName("acceptProposalButton")
        self.decline_button = QPushButton("&Decline", self)
        self.decline_button.setObjectName("declineProposalButton")
        self.show_decided = QCheckBox("&Show accepted and declined", self)
        self.show_decided.setObjectName("showDecidedProposals")
        close = QPushButton("Close", self)
        close.setObjectName("closeProposalsButton")
        buttons.addWidget(self.theme_label)
        buttons.addWidget(self.theme_combo)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_decided)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.read_only = read_only
        self.accept_button.clicked.connect(self._accept_clicked)
        self.decline_button.clicked.connect(self._decline_clicked)
        self.theme_combo.currentIndexChanged.connect(self._selection_changed)
        self.show_decided.toggled.connect(self.show_decided_changed)
        close.clicked.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    # ----- rows ---------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ProposalRow]) -> None:
        """Show `rows`, keeping the same proposal selected where it is still listed."""
        current = self.selected()
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.view.setVisible(bool(rows))
        ids = [row.id for row in rows]
        if current is not None and current.id in ids:
            self.view.selectRow(ids.index(current.id))
        elif rows:
            pending = [n for n, row in enumerate(rows) if row.pending]
            self.view.selectRow(pending[0] if pending else 0)
        self._selection_changed()

    def selected(self) -> ProposalRow | None:
        chosen = self.view.selectionModel().selectedRows()
        if not chosen:
            return None
        return self.model.row_at(chosen[0].row())

    def say(self, text: str) -> None:
        self.message.setText(text)

    # ----- choices ------------------------------------------------------------------

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected()
        actionable = row is not None and row.pending and not self.read_only
        needs_theme = row is not None and row.needs_theme
        self.theme_label.setVisible(needs_theme)
        self.theme_combo.setVisible(needs_theme)
        theme_chosen = self.theme_combo.currentData() is not None
        self.accept_button.setEnabled(actionable and (not needs_theme or theme_chosen))
        self.decline_button.setEnabled(actionable)
        if self.read_only:
            self.accept_button.setToolTip("The plan is open read-only.")
        elif needs_theme and not theme_chosen:
            self.accept_button.setToolTip("Choose the theme the new action belongs to first")
        else:
            self.accept_button.setToolTip("")
        if row is None:
            self.details.setText("")
            return
        lines = [f"{row.title} — proposed by {row.proposed_by or row.partner}"]
        if row.lead:
            new = " (not yet one of the plan's people: added when accepted)"
            lines.append(f"Lead officer: {row.lead}{new if row.lead_is_new else ''}")
        if row.details:
            lines.append(row.details)
        self.details.setText("\n".join(lines))

    def _accept_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            theme = self.theme_combo.currentData() if row.needs_theme else None
            self.accept_requested.emit(row.id, theme)

    def _decline_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.decline_requested.emit(row.id)
