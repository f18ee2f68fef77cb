"""Add outcome: what the plan sets out to achieve, in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from planner.ui.dialogs.form import FormDialog, multiline


@dataclass(frozen=True)
class OutcomeValues:
    title: str
    description: str = ""

    def record(self) -> dict[str, object]:
        """The values for CreateRecord("outcome", ...)."""
        return {"title": self.title, "description": self.description}


class OutcomeDialog(FormDialog[OutcomeValues]):
    def __init__(self, parent: QWidget | None, initial: OutcomeValues | None = None) -> None:
        super().__init__(
            parent,
            "Add outcome",
            "Add outcome",
            "An outcome is a change the plan sets out to make for residents, businesses or "
            "the council; measures then show whether it is happening.",
        )
        self.setObjectName("outcomeDialog")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("outcomeTitle")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(
            "e.g. Residents and businesses transact online by default"
        )
        self.description = multiline(self, "What reaching it would look like (optional)", lines=3)
        self.description.setObjectName("outcomeDescription")
        self.add_row("&Outcome:", self.title_edit)
        self.add_row("&Description:", self.description)
        if initial is not None:
            self.title_edit.setText(initial.title)
            self.description.setPlainText(initial.description)
        self.title_edit.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        return "" if self.title_edit.text().strip() else "Say what the outcome is."

    def values(self) -> OutcomeValues:
        return OutcomeValues(self.title_edit.text().strip(), self.description.toPlainText().strip())
