"""Re-baseline: a new baseline date for an action or one of its milestones, with the
reason and who approved it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from planner.domain.dates import format_uk
from planner.ui.delegates import OptionalDateEdit, from_qdate, to_qdate
from planner.ui.dialogs.form import FormDialog, date_edit, multiline


@dataclass(frozen=True)
class RebaselineTarget:
    """Something with a baseline: the action or one of its milestones."""

    kind: str  # "action" or "milestone"
    record_id: int
    label: str
    due: date | None
    baseline_due: date | None


@dataclass(frozen=True)
class RebaselineValues:
    kind: str
    record_id: int
    new_due: date
    reason: str
    approved_by: str
    decision_ref: str = ""
    decided_on: date | None = None
    move_due: bool = True


class RebaselineDialog(FormDialog[RebaselineValues]):
    def __init__(
        self,
        parent: QWidget | None,
        targets: Sequence[RebaselineTarget],
        selected: int = 0,
        status_date: date | None = None,
        initial: RebaselineValues | None = None,
    ) -> None:
        super().__init__(
            parent,
            "Re-baseline",
            "Re-baseline",
            "Agree a new baseline date. The old date, the reason and who approved it are "
            "kept in the baseline history.",
        )
        self.setObjectName("rebaselineDialog")
        self._targets = list(targets)
        self.target = QComboBox(self)
        self.target.setObjectName("rebaselineTarget")
        for target in self._targets:
            self.target.addItem(target.label)
        self.current = QLabel(self)
        self.current.setObjectName("rebaselineCurrent")
        self.new_due = date_edit(self, None)
        self.new_due.setObjectName("rebaselineNewDue")
        self.move_due = QCheckBox("Also move the due date to the new baseline", self)
        self.move_due.setObjectName("rebaselineMoveDue")
        self.move_due.setChecked(True)
        self.reason = multiline(self, "Why the date is changing", lines=3)
        self.reason.setObjectName("rebaselineReason")
        self.approved_by = QLineEdit(self)
        self.approved_by.setObjectName("rebaselineApprovedBy")
        self.approved_by.setMaxLength(200)
        self.approved_by.setPlaceholderText("e.g. ICT Partnership Board")
        self.decision_ref = QLineEdit(self)
        self.decision_ref.setObjectName("rebaselineDecisionRef")
        self.decision_ref.setMaxLength(200)
        self.decision_ref.setPlaceholderText("e.g. Cabinet minute 45/12")
        self.decided_on = OptionalDateEdit(self, empty_text="Not recorded", fallback=status_date)
        self.decided_on.setObjectName("rebaselineDecidedOn")
        self.add_row("&For:", self.target, "Re-baseline what")
        self.add_row("Current:", self.current, "Current dates")
        self.add_row("&New baseline:", self.new_due, "New baseline date")
        self.add_row("", self.move_due, "Also move the due date")
        self.add_row("&Reason:", self.reason)
        self.add_row("&Approved by:", self.approved_by)
        self.add_row("Decision &ref:", self.decision_ref, "Decision reference")
        self.add_row("Decided &on:", self.decided_on, "Decided on")
        self.target.setCurrentIndex(max(0, min(selected, len(self._targets) - 1)))
        self._target_changed()
        self.target.currentIndexChanged.connect(self._target_changed)
        self.new_due.dateChanged.connect(self.refresh)
        self.reason.textChanged.connect(self.refresh)
        self.approved_by.textChanged.connect(self.refresh)
        if initial is not None:
            self._restore(initial)
        self.refresh()

    def _restore(self, initial: RebaselineValues) -> None:
        for index, target in enumerate(self._targets):
            if (target.kind, target.record_id) == (initial.kind, initial.record_id):
                self.target.setCurrentIndex(index)
        self.new_due.setDate(to_qdate(initial.new_due))
        self.move_due.setChecked(initial.move_due)
        self.reason.setPlainText(initial.reason)
        self.approved_by.setText(initial.approved_by)
        self.decision_ref.setText(initial.decision_ref)
        self.decided_on.set_value(initial.decided_on)

    def _selected(self) -> RebaselineTarget | None:
        index = self.target.currentIndex()
        return self._targets[index] if 0 <= index < len(self._targets) else None

    def _target_changed(self) -> None:
        target = self._selected()
        if target is None:
            self.current.setText("")
            return
        baseline = target.baseline_due or target.due
        self.current.setText(
            f"Due {format_uk(target.due) or 'not set'}, baseline {format_uk(baseline) or 'not set'}"
        )
        self.new_due.setDate(to_qdate(target.due or date.today()))
        self.refresh()

    def missing(self) -> str:
        target = self._selected()
        if target is None:
            return "There is nothing to re-baseline."
        if from_qdate(self.new_due.date()) == (target.baseline_due or target.due):
            return "Choose a date different from the current baseline."
        if not self.reason.toPlainText().strip():
            return "Say why the baseline is changing."
        if not self.approved_by.text().strip():
            return "Say who approved the new baseline."
        return ""

    def values(self) -> RebaselineValues:
        target = self._selected()
        new_due = from_qdate(self.new_due.date())
        assert target is not None and new_due is not None
        return RebaselineValues(
            kind=target.kind,
            record_id=target.record_id,
            new_due=new_due,
            reason=self.reason.toPlainText().strip(),
            approved_by=self.approved_by.text().strip(),
            decision_ref=self.decision_ref.text().strip(),
            decided_on=self.decided_on.value(),
            move_due=self.move_due.isChecked(),
        )
