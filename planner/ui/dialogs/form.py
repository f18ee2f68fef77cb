"""What the small dialogs share: a form with OK and Cancel that returns its values
(`Dialog.ask(parent, ...)`, None when cancelled), and the pickers and editors they
fill in. Each dialog is given everything it offers by its caller, so it runs no
queries and can be tested without a plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain import PartnerRole, RaciRole, RagDefinition, Status
from planner.ui.delegates import UK_DATE_FORMAT, to_qdate

# (value, label) pairs: what a picker offers.
Options = Sequence[tuple[object, str]]

V = TypeVar("V")

NO_OWNER = "(no owner)"
NO_AUTHOR = "(not recorded)"


# ----- shared editors -------------------------------------------------------------


def date_edit(parent: QWidget | None, value: date | None) -> QDateEdit:
    """A required dd/mm/yyyy date with a calendar pop-up."""
    editor = QDateEdit(parent)
    editor.setCalendarPopup(True)
    editor.setDisplayFormat(UK_DATE_FORMAT)
    editor.setDate(to_qdate(value or date.today()))
    return editor


def rag_icon(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(colour).darker(130))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def fill_rag_combo(combo: QComboBox, definitions: Sequence[RagDefinition]) -> None:
    """'Not rated' then each rating as a colour swatch with its letter and name."""
    combo.clear()
    combo.addItem("Not rated", None)
    for definition in definitions:
        combo.addItem(
            rag_icon(definition.colour), f"{definition.code} {definition.name}", definition.code
        )
        combo.setItemData(
            combo.count() - 1,
            f"{definition.name}: {definition.meaning}",
            Qt.ItemDataRole.ToolTipRole,
        )


def fill_status_combo(combo: QComboBox) -> None:
    combo.clear()
    for status in Status:
        combo.addItem(status.label, status.value)


def fill_combo(combo: QComboBox, options: Options, empty: str | None = None) -> None:
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for value, label in options:
        combo.addItem(label, value)


def select_data(combo: QComboBox, value: object) -> None:
    found = combo.findData(value)
    combo.setCurrentIndex(max(found, 0))


RACI_LABELS = {role.value: role.described for role in RaciRole.in_raci_order()}
RACI_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (code, f"{code} – {label}") for code, label in RACI_LABELS.items()
)
PARTNER_ROLE_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (role.value, role.label) for role in PartnerRole
)


# ----- the dialogs' base ----------------------------------------------------------


class FormDialog(QDialog, Generic[V]):
    """A titled form with OK (named for what it does) and Cancel; OK is enabled only
    while the form is complete, and a hint says what is missing."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            label.setObjectName("dialogIntro")
            layout.addWidget(label)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(8)
        layout.addLayout(self.form)
        self.hint = QLabel(self)
        self.hint.setObjectName("dialogHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(dark);")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.ok_button
        ok.setText(ok_text)
        ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def add_row(self, label: str, field: QWidget, accessible: str | None = None) -> None:
        field.setAccessibleName(accessible or label.rstrip(":").replace("&", ""))
        self.form.addRow(label, field)

    def missing(self) -> str:
        """What must still be filled in, in words; empty when the form is complete."""
        return ""

    def refresh(self) -> None:
        problem = self.missing()
        self.ok_button.setEnabled(not problem)
        self.hint.setText(problem)
        self.hint.setVisible(bool(problem))

    def accept(self) -> None:
        if self.missing():
            self.refresh()
            return
        super().accept()

    def values(self) -> V:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> V | None:
        """Show the dialog; the values, or None when cancelled."""
        dialog = cls(parent, *args, **kwargs)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.values()
            return None
        finally:
            dialog.deleteLater()


def multiline(parent: QWidget, placeholder: str, text: str = "", lines: int = 4) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setTabChangesFocus(True)
    editor.setPlaceholderText(placeholder)
    editor.setPlainText(text)
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 12)
    return editor
