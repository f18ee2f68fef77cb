"""The People tab: who is on the action in which RACI role, and which partner bodies;
assigning, removing and changing roles."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from planner.commands import Command, CreateRecord, DeleteRecord, EditRecord, SetLeadOfficer
from planner.domain import RaciRole
from planner.queries.detail import ActionDetail
from planner.ui.delegates import ChoiceDelegate
from planner.ui.details.host import TAB_PEOPLE, Host
from planner.ui.details.widgets import (
    buttons_row,
    delete_key_pressed,
    details_button,
    details_table,
    fit_height,
    fit_height_on_resize,
    muted_label,
    section_title,
    select_id,
    selected_id,
)
from planner.ui.dialogs.assign_partner import AssignPartnerDialog
from planner.ui.dialogs.assign_person import AssignPersonDialog
from planner.ui.models.details import PartnersModel, PeopleModel


class LinksPage(QWidget):
    """People (RACI) and partner bodies on the shown action."""

    selection_changed = Signal(bool)  # a person or partner link is selected

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.people_model = PeopleModel(self)
        self.partners_model = PartnersModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.people_view = details_table(self, "peopleView", "People on this action")
        self.people_view.setModel(self.people_model)
        self._people_delegate = ChoiceDelegate(self.people_view)
        self.people_view.setItemDelegateForColumn(PeopleModel.ROLE_COLUMN, self._people_delegate)
        self.partners_view = details_table(self, "partnersView", "Partner bodies on this action")
        self.partners_view.setModel(self.partners_model)
        self._partners_delegate = ChoiceDelegate(self.partners_view)
        self.partners_view.setItemDelegateForColumn(
            PartnersModel.ROLE_COLUMN, self._partners_delegate
        )
        for view, role_width in ((self.people_view, 132), (self.partners_view, 132)):
            header = view.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            view.setColumnWidth(1, role_width)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.installEventFilter(self)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            # The Delete key is handled in eventFilter, so it never clashes with a
            # window-wide Delete shortcut.
            remove = QAction("Remove from this action…", view)
            remove.triggered.connect(self.remove_selected)
            view.addAction(remove)
        self.assign_person_button = details_button(
            "Assign person…", self, "assignPersonButton", self.assign_person
        )
        self.remove_person_button = details_button(
            "Remove…", self, "removePersonButton", self.remove_selected
        )
        self.assign_partner_button = details_button(
            "Assign partner…", self, "assignPartnerButton", self.assign_partner
        )
        self.remove_partner_button = details_button(
            "Remove…", self, "removePartnerButton", self.remove_selected
        )
        layout.addWidget(section_title("People (RACI)", self))
        layout.addWidget(self.people_view)
        layout.addLayout(buttons_row(self.assign_person_button, self.remove_person_button))
        layout.addSpacing(10)
        layout.addWidget(section_title("Partner bodies", self))
        layout.addWidget(self.partners_view)
        layout.addLayout(buttons_row(self.assign_partner_button, self.remove_partner_button))
        layout.addWidget(
            muted_label(
                "Double-click a role to change it. The Accountable person is the "
                "action's lead officer.",
                self,
            )
        )
        layout.addStretch(1)
        self.people_view.selectionModel().selectionChanged.connect(
            lambda *_: self._link_selected(self.people_view, self.partners_view)
        )
        self.partners_view.selectionModel().selectionChanged.connect(
            lambda *_: self._link_selected(self.partners_view, self.people_view)
        )
        self.people_model.role_requested.connect(self._person_role_requested)
        self.partners_model.role_requested.connect(self._partner_role_requested)

    # ----- showing ------------------------------------------------------------------

    def fill(self, detail: ActionDetail) -> None:
        for view, model, rows in (
            (self.people_view, self.people_model, detail.people),
            (self.partners_view, self.partners_model, detail.partners),
        ):
            selected = selected_id(view)
            model.set_rows(rows)
            select_id(view, selected)
            fit_height(view)
        self.selection_changed.emit(self.has_selection())

    def clear(self) -> None:
        self.people_model.set_rows([])
        self.partners_model.set_rows([])

    def set_editable(self, editable: bool) -> None:
        for button in (
            self.assign_person_button,
            self.remove_person_button,
            self.assign_partner_button,
            self.remove_partner_button,
        ):
            button.setEnabled(editable)
        self.people_model.set_editable(editable)
        self.partners_model.set_editable(editable)

    def has_selection(self) -> bool:
        return selected_id(self.people_view) is not None or (
            selected_id(self.partners_view) is not None
        )

    def _link_selected(self, view: QTableView, other: QTableView) -> None:
        if selected_id(view) is not None:
            other.selectionModel().clearSelection()
        self.selection_changed.emit(self.has_selection())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self.people_view, self.partners_view):
            if delete_key_pressed(event):
                if event.type() == QEvent.Type.KeyPress:
                    self.remove_selected()
                return event.type() == QEvent.Type.KeyPress
            fit_height_on_resize(watched, event)
        return super().eventFilter(watched, event)

    # ----- changing -----------------------------------------------------------------

    def _lead_command(self, detail: ActionDetail, person_id: int) -> Command:
        """Make `person_id` the lead officer (the core keeps the previous lead on the
        action as Responsible), as the actions table does."""
        return SetLeadOfficer(detail.id, person_id)

    def _person_role_requested(self, link_id: int, role: str) -> None:
        detail = self._host.detail
        if detail is None:
            return
        link = next((p for p in detail.people if p.link_id == link_id), None)
        if link is None or link.role == role:
            return
        if role == RaciRole.ACCOUNTABLE.value:
            self._host.run(self._lead_command(detail, link.person_id))
        else:
            self._host.run(EditRecord("action_person", link_id, {"role": role}))

    def _partner_role_requested(self, link_id: int, role: str) -> None:
        if self._host.detail is not None:
            self._host.run(EditRecord("action_partner", link_id, {"role": role}))

    def assign_person(self) -> None:
        """Ask for a person and their RACI role, and add them to the shown action."""
        detail, lookups = self._host.detail, self._host.lookups
        if not self._host.can_change() or detail is None or lookups is None:
            return
        lead = detail.lead
        values = AssignPersonDialog.ask(
            self,
            detail.ref,
            lookups.person_options({link.person_id for link in detail.people}),
            current_lead=lead.name if lead else None,
        )
        if values is None:
            return
        if values.role == RaciRole.ACCOUNTABLE.value:
            command = self._lead_command(detail, values.person_id)
        else:
            command = CreateRecord(
                "action_person",
                {"action_id": detail.id, "person_id": values.person_id, "role": values.role},
            )
        if self._host.run(command):
            self._host.show_tab(TAB_PEOPLE)
            shown = self._host.detail
            for link in shown.people if shown else ():
                if link.person_id == values.person_id:
                    select_id(self.people_view, link.link_id)

    def assign_partner(self) -> None:
        """Ask for a partner body and its role, and add it to the shown action."""
        detail, lookups = self._host.detail, self._host.lookups
        if not self._host.can_change() or detail is None or lookups is None:
            return
        linked = {link.partner_id for link in detail.partners}
        options = [(c.id, c.label) for c in lookups.partners if c.id not in linked]
        values = AssignPartnerDialog.ask(self, detail.ref, options)
        if values is None:
            return
        command = CreateRecord(
            "action_partner",
            {"action_id": detail.id, "partner_id": values.partner_id, "role": values.role},
        )
        if self._host.run(command):
            self._host.show_tab(TAB_PEOPLE)
            shown = self._host.detail
            for link in shown.partners if shown else ():
                if link.partner_id == values.partner_id:
                    select_id(self.partners_view, link.link_id)

    def remove_selected(self) -> None:
        """Remove the selected person or partner body from the action, after asking."""
        detail = self._host.detail
        if not self._host.can_change() or detail is None:
            return
        person_link = selected_id(self.people_view)
        partner_link = selected_id(self.partners_view)
        if person_link is not None:
            person = next(p for p in detail.people if p.link_id == person_link)
            details = []
            if person.role == RaciRole.ACCOUNTABLE.value:
                details.append(
                    "They are the lead officer: the action will have no lead "
                    "officer until you choose one."
                )
            if self._host.confirm(
                "Remove from action",
                f"Remove {person.name} from action {detail.ref}?",
                details,
                "Remove",
            ):
                self._host.run(DeleteRecord("action_person", person_link))
            return
        if partner_link is not None:
            partner = next(p for p in detail.partners if p.link_id == partner_link)
            if self._host.confirm(
                "Remove from action",
                f"Remove {partner.name} from action {detail.ref}?",
                None,
                "Remove",
            ):
                self._host.run(DeleteRecord("action_partner", partner_link))
            return
        self._host.show_tab(TAB_PEOPLE)
        self._host.note("Select a person or partner body to remove first.")
