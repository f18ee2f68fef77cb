"""Benefit: something an action brings, of a type (a cashable saving, avoided cost,
income...), to the partner body that receives it, with the evidence for it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.money import BenefitType
from planner.ui.dialogs.form import FormDialog, Options, fill_combo, multiline, select_data

NO_RECIPIENT = "(no one body)"


@dataclass(frozen=True)
class BenefitValues:
    title: str
    kind: BenefitType
    partner_id: int | None = None
    evidence: str = ""

    def record(self) -> dict[str, object]:
        """The values for CreateRecord or EditRecord("benefit", ...), less the action."""
        return {
            "title": self.title,
            "kind": self.kind.value,
            "partner_id": self.partner_id,
            "evidence": self.evidence,
        }


class BenefitDialog(FormDialog[BenefitValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        partners: Options,
        initial: BenefitValues | None = None,
        *,
        adding: bool = True,
    ) -> None:
        super().__init__(
            parent,
            "Add benefit" if adding else "Change benefit",
            "Add benefit" if adding else "Save",
            f"A benefit action {action_label} brings. Its planned and realised figures "
            "are added year by year once it is saved.",
        )
        self.setObjectName("benefitDialog")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("benefitTitle")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText("e.g. One service desk for the three councils")
        self.kind = QComboBox(self)
        self.kind.setObjectName("benefitKind")
        fill_combo(self.kind, [(kind.value, kind.label) for kind in BenefitType])
        self.recipient = QComboBox(self)
        self.recipient.setObjectName("benefitRecipient")
        fill_combo(self.recipient, partners, NO_RECIPIENT)
        self.evidence = multiline(self, "How the benefit will be shown (optional)", lines=3)
        self.evidence.setObjectName("benefitEvidence")
        if initial is not None:
            self.title_edit.setText(initial.title)
            select_data(self.kind, initial.kind.value)
            select_data(self.recipient, initial.partner_id)
            self.evidence.setPlainText(initial.evidence)
        self.add_row("&Benefit:", self.title_edit)
        self.add_row("&Type:", self.kind, "Type of benefit")
        self.add_row("&Received by:", self.recipient, "Received by")
        self.add_row("&Evidence:", self.evidence)
        self.title_edit.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        return "" if self.title_edit.text().strip() else "Say what the benefit is."

    def values(self) -> BenefitValues:
        recipient = self.recipient.currentData()
        return BenefitValues(
            title=self.title_edit.text().strip(),
            kind=BenefitType(self.kind.currentData()),
            partner_id=int(recipient) if recipient is not None else None,
            evidence=self.evidence.toPlainText().strip(),
        )
