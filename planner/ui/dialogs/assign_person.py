"""Assign person: someone of the plan added to an action with their RACI role."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from planner.domain import RaciRole
from planner.ui.dialogs.form import RACI_CHOICES, FormDialog, Options, fill_combo, select_data


@dataclass(frozen=True)
class PersonLinkValues:
    person_id: int
    role: str  # RACI code


class AssignPersonDialog(FormDialog[PersonLinkValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        people: Options,
        current_lead: str | None = None,
        role: str = RaciRole.RESPONSIBLE.value,
    ) -> None:
        super().__init__(
            parent,
            "Assign person",
            "Assign",
            f"Add a person to action {action_label} with their RACI role.",
        )
        self.setObjectName("assignPersonDialog")
        self._current_lead = current_lead
        self.person = QComboBox(self)
        self.person.setObjectName("assignPerson")
        fill_combo(self.person, people)
        self.role = QComboBox(self)
        self.role.setObjectName("assignRole")
        fill_combo(self.role, RACI_CHOICES)
        select_data(self.role, role)
        self.add_row("&Person:", self.person)
        self.add_row("&Role:", self.role, "RACI role")
        self.role.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if self.person.count() == 0:
            return "Everyone in the plan is already on this action."
        return ""

    def refresh(self) -> None:
        super().refresh()
        wants_lead = self.role.currentData() == RaciRole.ACCOUNTABLE.value
        if not self.missing() and wants_lead and self._current_lead:
            self.hint.setText(
                f"{self._current_lead} is the lead officer now and will become Responsible."
            )
            self.hint.setVisible(True)

    def values(self) -> PersonLinkValues:
        return PersonLinkValues(int(self.person.currentData()), str(self.role.currentData()))
