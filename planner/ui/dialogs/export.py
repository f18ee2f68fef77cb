"""Asks what to put in an exported workbook; returns the choice, writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.queries.lookups import Choice


@dataclass(frozen=True)
class ExportChoice:
    partner_ids: frozenset[int]
    person_ids: frozenset[int]
    theme_ids: frozenset[int]
    include_descriptions: bool
    include_commentary: bool
    protective_marking: str


class ExportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        partners: list[Choice],
        people: list[Choice],
        themes: list[Choice],
        marking: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export to Excel")
        layout = QVBoxLayout(self)

        scope = QGroupBox("What to send", self)
        scope_layout = QVBoxLayout(scope)
        self.whole = QRadioButton("The &whole plan", scope)
        self.by_partner = QRadioButton("Only actions involving these &partner bodies:", scope)
        self.by_person = QRadioButton("Only actions of these p&eople:", scope)
        self.by_theme = QRadioButton("Only these &themes:", scope)
        self.whole.setChecked(True)
        group = QButtonGroup(self)
        self.partner_list = self._list("partnerChoices", partners)
        self.person_list = self._list("personChoices", people)
        self.theme_list = self._list("themeChoices", themes)
        for button, chooser in (
            (self.whole, None),
            (self.by_partner, self.partner_list),
            (self.by_person, self.person_list),
            (self.by_theme, self.theme_list),
        ):
            group.addButton(button)
            scope_layout.addWidget(button)
            if chooser is not None:
                scope_layout.addWidget(chooser)
                chooser.setEnabled(False)
                button.toggled.connect(chooser.setEnabled)
        layout.addWidget(scope)

        form = QFormLayout()
        self.descriptions = QCheckBox("Include action &descriptions", self)
        self.descriptions.setChecked(True)
        self.commentary = QCheckBox("Include progress &commentary", self)
        self.commentary.setChecked(True)
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(["OFFICIAL", "OFFICIAL-SENSITIVE"])
        self.marking.setCurrentText(marking or "OFFICIAL")
        form.addRow(self.descriptions)
        form.addRow(self.commentary)
        form.addRow("Protective &marking:", self.marking)
        layout.addLayout(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Choose where to save…")
        buttons.accepted.connect(self.accept)
        for chooser in (self.partner_list, self.person_list, self.theme_list):
            chooser.itemChanged.connect(self._update_ok)
        for button in (self.whole, self.by_partner, self.by_person, self.by_theme):
            button.toggled.connect(self._update_ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _update_ok(self, *_args: object) -> None:
        """A slice needs at least one thing ticked: an empty one must never become the
        whole plan sent to a partner."""
        pairs = (
            (self.by_partner, self.partner_list),
            (self.by_person, self.person_list),
            (self.by_theme, self.theme_list),
        )
        for button, chooser in pairs:
            if button.isChecked():
                ticked = bool(self._checked(chooser))
                self.ok_button.setEnabled(ticked)
                self.ok_button.setToolTip("" if ticked else "Tick at least one first")
                return
        self.ok_button.setEnabled(True)
        self.ok_button.setToolTip("")

    def _list(self, name: str, choices: list[Choice]) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        widget.setMaximumHeight(130)
        for choice in choices:
            item = QListWidgetItem(choice.label, widget)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        return widget

    @staticmethod
    def _checked(widget: QListWidget) -> frozenset[int]:
        return frozenset(
            int(widget.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        )

    def choice(self) -> ExportChoice:
        return ExportChoice(
            partner_ids=self._checked(self.partner_list)
            if self.by_partner.isChecked()
            else frozenset(),
            person_ids=self._checked(self.person_list)
            if self.by_person.isChecked()
            else frozenset(),
            theme_ids=self._checked(self.theme_list) if self.by_theme.isChecked() else frozenset(),
            include_descriptions=self.descriptions.isChecked(),
            include_commentary=self.commentary.isChecked(),
            protective_marking=self.marking.currentText().strip(),
        )
