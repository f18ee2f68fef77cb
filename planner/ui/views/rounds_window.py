"""The update rounds window's widgets and what they show: the table of workbooks sent,
the rule on who may change progress in returned copies, a message line and the buttons.
RoundsDialog (planner.ui.rounds_view) gives the buttons their work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from planner.domain import ReturnRule
from planner.io.rounds import round_status
from planner.queries.lookups import plan_header
from planner.ui.models.rounds import RoundsModel
from planner.ui.style import style_table

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument


TITLE = "Update rounds"


class RoundsWindow(QDialog):
    """The rounds table, the return rule, the message line and the buttons, kept up to
    date with the document; what the buttons do is the subclass's."""

    def __init__(self, parent: QWidget | None, document: PlanDocument) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("roundsDialog")
        self.setWindowTitle(TITLE)
        self.setAcceptDrops(True)
        self.resize(1150, 520)
        layout = QVBoxLayout(self)

        hint = QLabel(
            "Each row is one workbook sent in a round. Import the workbooks as they come "
            "back, or drop them here.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.model = RoundsModel(self)
        self.view = QTableView(self)
        style_table(self.view)
        self.view.setObjectName("roundsView")
        self.view.setModel(self.model)
        self.view.setAcceptDrops(False)  # drops go to the dialog
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.setAccessibleName("Update rounds")
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel("No update rounds have been started for this plan.", self)
        self.empty_label.setObjectName("roundsEmpty")
        layout.addWidget(self.empty_label)

        rule_row = QHBoxLayout()
        rule_label = QLabel("&Who may change progress and dates in returned copies:", self)
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("returnRuleCombo")
        for rule in ReturnRule:
            self.rule_combo.addItem(rule.label, rule.value)
        self.rule_combo.setToolTip(
            "Returns from other bodies still send commentary (kept as their progress notes) "
            "and suggested values, which you can take in the import preview. Each workbook's "
            "Read me says which rule applies."
        )
        rule_label.setBuddy(self.rule_combo)
        rule_row.addWidget(rule_label)
        rule_row.addWidget(self.rule_combo)
        rule_row.addStretch(1)
        layout.addLayout(rule_row)

        self.message = QLabel(self)
        self.message.setObjectName("roundsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.start_button = QPushButton("&Start a round…", self)
        self.start_button.setObjectName("startRoundButton")
        self.import_button = QPushButton("&Import returned workbooks…", self)
        self.import_button.setObjectName("importReturnedButton")
        self.emails_button = QPushButton("Prepare &emails", self)
        self.emails_button.setObjectName("prepareEmailsButton")
        self.emails_button.setToolTip(
            "Write an email draft (.eml) beside each workbook of the selected round (the "
            "newest if none is selected), addressed to the round contact, workbook attached."
        )
        self.reminders_button = QPushButton("Prepare &reminders", self)
        self.reminders_button.setObjectName("prepareRemindersButton")
        self.reminders_button.setToolTip(
            "Write a reminder draft to each recipient of the round who has not returned "
            "their workbook yet, late or not."
        )
        self.wording_button = QPushButton("Email &wording…", self)
        self.wording_button.setObjectName("emailWordingButton")
        self.wording_button.setToolTip("Change the covering email sent with the workbooks.")
        self.csv_button = QPushButton("Save status as &CSV…", self)
        self.csv_button.setObjectName("roundStatusCsvButton")
        close = QPushButton("Close", self)
        close.setObjectName("closeRoundsButton")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.emails_button)
        buttons.addWidget(self.reminders_button)
        buttons.addStretch(1)
        buttons.addWidget(self.wording_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        writable = not document.read_only
        self.rule_combo.setEnabled(writable)
        self.start_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.wording_button.setEnabled(writable)
        if not writable:
            for button in (self.start_button, self.import_button, self.wording_button):
                button.setToolTip("The plan is open read-only.")
        document.changed.connect(self._document_changed)
        self.refresh()

    # ----- showing ------------------------------------------------------------------------

    def _document_changed(self, _applied: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.document.read(round_status))
        has_rows = self.model.rowCount() > 0
        self.empty_label.setVisible(not has_rows)
        self.emails_button.setEnabled(has_rows)
        self.reminders_button.setEnabled(has_rows)
        self.csv_button.setEnabled(has_rows)
        if has_rows:
            self.view.resizeColumnsToContents()
        rule = self.document.read(plan_header).return_rule
        with QSignalBlocker(self.rule_combo):
            self.rule_combo.setCurrentIndex(max(self.rule_combo.findData(rule), 0))

    def _folder(self) -> Path:
        return Path(self.document.plan_file.path).parent

    def say(self, text: str) -> None:
        self.message.setText(text)

    def _selected_round(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.line_at(rows[0].row()).round_id if rows else None
