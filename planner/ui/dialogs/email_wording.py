"""Round email wording: the covering email sent with a round's workbooks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.io.emails import PLACEHOLDERS, STANDARD_TEMPLATE


class EmailWordingDialog(QDialog):
    """The covering email of a round's workbooks, as the officer words it."""

    def __init__(self, parent: QWidget | None, wording: str) -> None:
        super().__init__(parent)
        self.setObjectName("emailWordingDialog")
        self.setWindowTitle("Round email wording")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The email sent with each workbook. Keep the first line as 'Subject: …'. Words "
            "in braces are filled in for each recipient: "
            + "; ".join(f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items())
            + ".",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("emailWording")
        self.editor.setPlainText(wording or STANDARD_TEMPLATE)
        self.editor.setAccessibleName("Email wording")
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        standard = buttons.addButton(
            "Use the &standard wording", QDialogButtonBox.ButtonRole.ResetRole
        )
        standard.clicked.connect(lambda: self.editor.setPlainText(STANDARD_TEMPLATE))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def wording(self) -> str:
        text = self.editor.toPlainText()
        return "" if text.strip() == STANDARD_TEMPLATE.strip() else text


def ask_email_wording(parent: QWidget | None, wording: str) -> str | None:
    """The edited wording ("" for the standard one), or None when cancelled."""
    dialog = EmailWordingDialog(parent, wording)
    try:
        return dialog.wording() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
