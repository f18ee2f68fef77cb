"""Assign partner body: a partner body added to an action with its role."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from planner.domain import PartnerRole
from planner.ui.dialogs.form import (
    PARTNER_ROLE_CHOICES,
    FormDialog,
    Options,
    fill_combo,
    select_data,
)


@dataclass(frozen=True)
class PartnerLinkValues:
    partner_id: int
    role: str  # PartnerRole value


class AssignPartnerDialog(FormDialog[PartnerLinkValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        partners: Options,
        role: str = PartnerRole.DELIVERY.value,
    ) -> None:
        super().__init__(
            parent,
            "Assign partner body",
            "Assign",
            f"Add a partner body to action {action_label} with its role.",
        )
        self.setObjectName("assignPartnerDialog")
        self.partner = QComboBox(self)
        self.partner.setObjectName("assignPartner")
        fill_combo(self.partner, partners)
        self.role = QComboBox(self)
        self.role.setObjectName("assignPartnerRole")
        fill_combo(self.role, PARTNER_ROLE_CHOICES)
        select_data(self.role, role)
        self.add_row("&Partner body:", self.partner)
        self.add_row("&Role:", self.role, "Partner role")
        self.refresh()

    def missing(self) -> str:
        if self.partner.count() == 0:
            return "Every partner body in the plan is already on this action."
        return ""

    def values(self) -> PartnerLinkValues:
        return PartnerLinkValues(int(self.partner.currentData()), str(self.role.currentData()))
