"""Start an update round: partner bodies or lead officers, the return-by date, and
whether to prepare an email draft for each workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

DEFAULT_RETURN_DAYS = 21


@dataclass(frozen=True)
class RoundOptions:
    kind: str  # 'partner' or 'lead'
    return_by: date | None
    emails: bool = True  # also prepare an email draft beside each workbook


class RoundOptionsDialog(QDialog):
    """Who the round goes to and when the workbooks are due back."""

    def __init__(self, parent: QWidget | None, return_by: date) -> None:
        super().__init__(parent)
        self.setObjectName("roundOptionsDialog")
        self.setWindowTitle("Start an update round")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "One workbook is written for each recipient, holding only their actions. "
            "Send each one on, and import it here when it comes back.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        choice = QWidget(self)
        choice_layout = QVBoxLayout(choice)
        choice_layout.setContentsMargins(0, 0, 0, 0)
        self.partner_radio = QRadioButton("&Partner bodies (one workbook per partner)", choice)
        self.partner_radio.setObjectName("roundToPartners")
        self.lead_radio = QRadioButton("&Lead officers (one workbook per accountable officer)")
        self.lead_radio.setObjectName("roundToLeads")
        self.partner_radio.setChecked(True)
        choice_layout.addWidget(self.partner_radio)
        choice_layout.addWidget(self.lead_radio)
        form.addRow("Send to:", choice)
        self.return_by_edit = QDateEdit(self)
        self.return_by_edit.setObjectName("roundReturnBy")
        self.return_by_edit.setDisplayFormat("dd/MM/yyyy")
        self.return_by_edit.setCalendarPopup(True)
        self.return_by_edit.setDate(QDate(return_by.year, return_by.month, return_by.day))
        label = QLabel("&Return by:", self)
        label.setBuddy(self.return_by_edit)
        form.addRow(label, self.return_by_edit)
        self.emails_check = QCheckBox(
            "Prepare an &email draft for each, addressed to the round contact", self
        )
        self.emails_check.setObjectName("roundEmails")
        self.emails_check.setChecked(True)
        self.emails_check.setToolTip(
            "Writes an .eml file beside each workbook, with the workbook attached: open it "
            "in Outlook, check it and press Send."
        )
        form.addRow("", self.emails_check)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Choose folder…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def options(self) -> RoundOptions:
        chosen = self.return_by_edit.date()
        return RoundOptions(
            "lead" if self.lead_radio.isChecked() else "partner",
            date(chosen.year(), chosen.month(), chosen.day()),
            self.emails_check.isChecked(),
        )


def ask_round_options(parent: QWidget | None) -> RoundOptions | None:
    """Partner bodies or lead officers, and the return-by date; None when cancelled."""
    dialog = RoundOptionsDialog(parent, date.today() + timedelta(days=DEFAULT_RETURN_DAYS))
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.options() if accepted else None
    finally:
        dialog.deleteLater()
