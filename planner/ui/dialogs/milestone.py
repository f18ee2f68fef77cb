"""Add milestone: a dated checkpoint for an action, with its owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.ui.delegates import from_qdate, to_qdate
from planner.ui.dialogs.form import (
    NO_OWNER,
    FormDialog,
    Options,
    date_edit,
    fill_combo,
    multiline,
    select_data,
)


@dataclass(frozen=True)
class MilestoneValues:
    title: str
    due: date
    owner_id: int | None = None
    note: str = ""

    def record(self, action_id: int) -> dict[str, object]:
        """The values for CreateRecord("milestone", ...)."""
        return {
            "action_id": action_id,
            "title": self.title,
            "due": self.due,
            "baseline_due": self.due,
            "owner_id": self.owner_id,
            "note": self.note,
        }


class MilestoneDialog(FormDialog[MilestoneValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        people: Options,
        due: date,
        owner_id: int | None = None,
        initial: MilestoneValues | None = None,
    ) -> None:
        super().__init__(
            parent,
            "Add milestone",
            "Add milestone",
            f"A dated checkpoint for action {action_label}.",
        )
        self.setObjectName("milestoneDialog")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("milestoneTitle")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText("e.g. Remediation plan submitted to the Cabinet Office")
        self.due_edit = date_edit(self, due)
        self.due_edit.setObjectName("milestoneDue")
        self.owner = QComboBox(self)
        self.owner.setObjectName("milestoneOwner")
        fill_combo(self.owner, people, NO_OWNER)
        select_data(self.owner, owner_id)
        self.note = multiline(self, "Anything the owner should know (optional)", lines=3)
        self.note.setObjectName("milestoneNote")
        self.add_row("&Milestone:", self.title_edit)
        self.add_row("&Due:", self.due_edit, "Due date")
        self.add_row("&Owner:", self.owner)
        self.add_row("&Note:", self.note)
        if initial is not None:
            self.title_edit.setText(initial.title)
            self.due_edit.setDate(to_qdate(initial.due))
            select_data(self.owner, initial.owner_id)
            self.note.setPlainText(initial.note)
        self.title_edit.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        return "" if self.title_edit.text().strip() else "Give the milestone a name."

    def values(self) -> MilestoneValues:
        due = from_qdate(self.due_edit.date())
        assert due is not None
        return MilestoneValues(
            title=self.title_edit.text().strip(),
            due=due,
            owner_id=self.owner.currentData(),
            note=self.note.toPlainText().strip(),
        )
