"""The Milestones tab: the action's dated checkpoints, edited in place, added and
deleted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from planner.commands import CreateRecord, DeleteRecord, EditRecord
from planner.domain.dates import format_uk
from planner.queries.detail import ActionDetail
from planner.ui.delegates import ChoiceDelegate, DateDelegate, OptionalDateDelegate
from planner.ui.details.host import TAB_MILESTONES, Host, Lookups
from planner.ui.details.widgets import (
    buttons_row,
    delete_key_pressed,
    details_button,
    details_table,
    fit_height,
    fit_height_on_show,
    fit_height_when_shown,
    muted_label,
    select_id,
    selected_id,
)
from planner.ui.dialogs.milestone import MilestoneDialog, MilestoneValues
from planner.ui.models.details import MilestonesModel


class MilestonesPage(QWidget):
    """The milestones table with its note, and its add, re-baseline and delete buttons."""

    rebaseline_requested = Signal()

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.milestones_model = MilestonesModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.milestones_note = muted_label("", self, "milestonesNote")
        view = self.milestones_view = details_table(self, "milestonesView", "Milestones")
        view.setModel(self.milestones_model)
        for number, column in enumerate(MilestonesModel.COLUMNS):
            view.setColumnWidth(number, column.width)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._date_delegate = DateDelegate(view)
        self._completed_delegate = OptionalDateDelegate(view, empty_text="Not completed")
        self._owner_delegate = ChoiceDelegate(view)
        keys = MilestonesModel.KEYS
        view.setItemDelegateForColumn(keys.index("due"), self._date_delegate)
        view.setItemDelegateForColumn(keys.index("completed_on"), self._completed_delegate)
        view.setItemDelegateForColumn(keys.index("owner_id"), self._owner_delegate)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            ("Re-baseline…", self.rebaseline_requested.emit),
            ("Delete milestone…", self.remove_selected),
        ):
            action = QAction(text, view)
            action.triggered.connect(slot)
            view.addAction(action)
        view.installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(
            lambda *_: QTimer.singleShot(0, view, lambda: fit_height(view, 2))
        )
        self.add_milestone_button = details_button(
            "Add milestone…", self, "addMilestoneButton", self.add
        )
        self.rebaseline_milestone_button = details_button(
            "Re-baseline…", self, "rebaselineMilestoneButton", self.rebaseline_requested.emit
        )
        self.delete_milestone_button = details_button(
            "Delete…", self, "deleteMilestoneButton", self.remove_selected
        )
        layout.addWidget(self.milestones_note)
        layout.addWidget(view)
        layout.addLayout(
            buttons_row(
                self.add_milestone_button,
                self.rebaseline_milestone_button,
                self.delete_milestone_button,
            )
        )
        layout.addStretch(1)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.milestones_model.edit_requested.connect(self._edit_requested)

    # ----- showing ------------------------------------------------------------------

    def fill(self, detail: ActionDetail, lookups: Lookups) -> None:
        self.milestones_model.set_context(
            [(person.id, person.name) for person in lookups.people], detail.status_date
        )
        self._completed_delegate.fallback = detail.status_date
        selected = selected_id(self.milestones_view)
        self.milestones_model.set_rows(detail.milestones)
        select_id(self.milestones_view, selected)
        fit_height_when_shown(self.milestones_view, minimum_rows=2)
        total, late = len(detail.milestones), detail.overdue_milestones
        done = sum(1 for milestone in detail.milestones if milestone.completed_on)
        if not total:
            text = "No milestones yet. Add the dated checkpoints that show progress."
        else:
            text = f"{done} of {total} completed"
            if late:
                text += f"; {late} overdue at the status date {format_uk(detail.status_date)}"
            text += ". Double-click a cell to edit it."
        self.milestones_note.setText(text)

    def clear(self) -> None:
        self.milestones_model.set_rows([])

    def set_editable(self, editable: bool) -> None:
        for button in (
            self.add_milestone_button,
            self.rebaseline_milestone_button,
            self.delete_milestone_button,
        ):
            button.setEnabled(editable)
        self.milestones_model.set_editable(editable)

    def selected_id(self) -> int | None:
        return selected_id(self.milestones_view)

    def select(self, milestone_id: int) -> None:
        select_id(self.milestones_view, milestone_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.milestones_view:
            fit_height_on_show(watched, event)
        if watched is self.milestones_view and delete_key_pressed(event):
            if event.type() == QEvent.Type.KeyPress:
                self.remove_selected()
            return event.type() == QEvent.Type.KeyPress
        return super().eventFilter(watched, event)

    # ----- changing -----------------------------------------------------------------

    def _edit_requested(self, milestone_id: int, field: str, value: object) -> None:
        if self._host.detail is not None:
            self._host.run(EditRecord("milestone", milestone_id, {field: value}))

    def add(self) -> None:
        """Ask for a new milestone and add it to the shown action."""
        detail, lookups = self._host.detail, self._host.lookups
        if not self._host.can_change() or detail is None or lookups is None:
            return
        due = detail.due if detail.due and detail.due > detail.status_date else detail.status_date
        lead = detail.lead
        values: MilestoneValues | None = None
        while True:
            values = MilestoneDialog.ask(
                self,
                detail.ref,
                lookups.person_options(),
                due,
                owner_id=lead.person_id if lead else None,
                initial=values,
            )
            if values is None:
                return
            command = CreateRecord("milestone", values.record(detail.id))
            if self._host.run(command, refill_on_refusal=False):
                break
        self._host.show_tab(TAB_MILESTONES)
        shown = self._host.detail
        for milestone in shown.milestones if shown else ():
            if milestone.title == values.title and milestone.due == values.due:
                self.select(milestone.id)

    def remove_selected(self) -> None:
        """Delete the selected milestone, after asking."""
        detail = self._host.detail
        if not self._host.can_change() or detail is None:
            return
        milestone_id = selected_id(self.milestones_view)
        milestone = next((m for m in detail.milestones if m.id == milestone_id), None)
        if milestone is None:
            self._host.show_tab(TAB_MILESTONES)
            self._host.note("Select a milestone to delete first.")
            return
        baselines = sum(1 for entry in detail.baselines if entry.milestone_id == milestone.id)
        details = [f"{baselines} baseline change record(s) will be deleted"] if baselines else []
        if self._host.confirm(
            "Delete milestone",
            f"Delete the milestone '{milestone.title}' from action {detail.ref}?",
            details,
        ):
            self._host.run(DeleteRecord("milestone", milestone.id))
