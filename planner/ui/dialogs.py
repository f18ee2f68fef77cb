"""Small dialogs for the details panel: they ask for values and return them, never write.

Each dialog is given everything it offers (people, partner bodies, RAG ratings) by its
caller, so it runs no queries and can be tested without a plan. Use `Dialog.ask(parent,
...)`, which returns the values, or None when the user cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain import PartnerRole, RaciRole, RagDefinition, Status
from planner.domain.dates import format_uk
from planner.ui.delegates import UK_DATE_FORMAT, OptionalDateEdit, from_qdate, to_qdate

# (value, label) pairs: what a picker offers.
Options = Sequence[tuple[Any, str]]

NO_OWNER = "(no owner)"
NO_AUTHOR = "(not recorded)"


# ----- shared editors -------------------------------------------------------------


def date_edit(parent: QWidget | None, value: date | None) -> QDateEdit:
    """A required dd/mm/yyyy date with a calendar pop-up."""
    editor = QDateEdit(parent)
    editor.setCalendarPopup(True)
    editor.setDisplayFormat(UK_DATE_FORMAT)
    editor.setDate(to_qdate(value or date.today()))
    return editor


def rag_icon(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(colour).darker(130))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def fill_rag_combo(combo: QComboBox, definitions: Sequence[RagDefinition]) -> None:
    """'Not rated' then each rating as a colour swatch with its letter and name."""
    combo.clear()
    combo.addItem("Not rated", None)
    for definition in definitions:
        combo.addItem(
            rag_icon(definition.colour), f"{definition.code} {definition.name}", definition.code
        )
        combo.setItemData(
            combo.count() - 1,
            f"{definition.name}: {definition.meaning}",
            Qt.ItemDataRole.ToolTipRole,
        )


def fill_status_combo(combo: QComboBox) -> None:
    combo.clear()
    for status in Status:
        combo.addItem(status.label, status.value)


def fill_combo(combo: QComboBox, options: Options, empty: str | None = None) -> None:
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for value, label in options:
        combo.addItem(label, value)


def select_data(combo: QComboBox, value: Any) -> None:
    found = combo.findData(value)
    combo.setCurrentIndex(max(found, 0))


RACI_LABELS = {role.value: role.described for role in RaciRole.in_raci_order()}
RACI_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (code, f"{code} – {label}") for code, label in RACI_LABELS.items()
)
PARTNER_ROLE_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (role.value, role.label) for role in PartnerRole
)


# ----- the dialogs' base ----------------------------------------------------------


class _FormDialog(QDialog):
    """A titled form with OK (named for what it does) and Cancel; OK is enabled only
    while the form is complete, and a hint says what is missing."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            label.setObjectName("dialogIntro")
            layout.addWidget(label)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(8)
        layout.addLayout(self.form)
        self.hint = QLabel(self)
        self.hint.setObjectName("dialogHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(dark);")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.ok_button
        ok.setText(ok_text)
        ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def add_row(self, label: str, field: QWidget, accessible: str | None = None) -> None:
        field.setAccessibleName(accessible or label.rstrip(":").replace("&", ""))
        self.form.addRow(label, field)

    def missing(self) -> str:
        """What must still be filled in, in words; empty when the form is complete."""
        return ""

    def refresh(self) -> None:
        problem = self.missing()
        self.ok_button.setEnabled(not problem)
        self.hint.setText(problem)
        self.hint.setVisible(bool(problem))

    def accept(self) -> None:
        if self.missing():
            self.refresh()
            return
        super().accept()

    def values(self) -> Any:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        """Show the dialog; the values, or None when cancelled."""
        dialog = cls(parent, *args, **kwargs)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.values()
            return None
        finally:
            dialog.deleteLater()


def _multiline(parent: QWidget, placeholder: str, text: str = "", lines: int = 4) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setTabChangesFocus(True)
    editor.setPlaceholderText(placeholder)
    editor.setPlainText(text)
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 12)
    return editor


# ----- add milestone --------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneValues:
    title: str
    due: date
    owner_id: int | None = None
    note: str = ""

    def record(self, action_id: int) -> dict[str, Any]:
        """The values for CreateRecord("milestone", ...)."""
        return {
            "action_id": action_id,
            "title": self.title,
            "due": self.due,
            "baseline_due": self.due,
            "owner_id": self.owner_id,
            "note": self.note,
        }


class MilestoneDialog(_FormDialog):
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
        self.note = _multiline(self, "Anything the owner should know (optional)", lines=3)
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


# ----- add progress update --------------------------------------------------------


@dataclass(frozen=True)
class ProgressUpdateValues:
    as_at: date
    status: str
    rag: str | None
    percent: int
    commentary: str
    author_id: int | None = None

    def record(self) -> dict[str, Any]:
        """The values for AddProgressUpdate(action_id, ...)."""
        return {
            "as_at": self.as_at,
            "status": self.status,
            "rag": self.rag,
            "percent": self.percent,
            "commentary": self.commentary,
            "author_id": self.author_id,
        }


class ProgressUpdateDialog(_FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        people: Options,
        rag_definitions: Sequence[RagDefinition],
        as_at: date,
        status: str,
        rag: str | None,
        percent: int,
        author_id: int | None = None,
        initial: ProgressUpdateValues | None = None,
    ) -> None:
        super().__init__(
            parent,
            "Add progress update",
            "Add update",
            f"Progress on action {action_label}. The newest update sets the action's "
            "status, RAG rating and % complete.",
        )
        self.setObjectName("progressUpdateDialog")
        self.as_at = date_edit(self, as_at)
        self.as_at.setObjectName("updateAsAt")
        self.status = QComboBox(self)
        self.status.setObjectName("updateStatus")
        fill_status_combo(self.status)
        self.rag = QComboBox(self)
        self.rag.setObjectName("updateRag")
        fill_rag_combo(self.rag, rag_definitions)
        self.percent = QSpinBox(self)
        self.percent.setObjectName("updatePercent")
        self.percent.setRange(0, 100)
        self.percent.setSingleStep(5)
        self.percent.setSuffix("%")
        self.commentary = _multiline(
            self, "What has happened since the last update, what is next, any risks", lines=6
        )
        self.commentary.setObjectName("updateCommentary")
        self.author = QComboBox(self)
        self.author.setObjectName("updateAuthor")
        fill_combo(self.author, people, NO_AUTHOR)
        self.add_row("&As at:", self.as_at, "As at date")
        self.add_row("&Status:", self.status)
        self.add_row("&RAG:", self.rag, "RAG rating")
        self.add_row("% &complete:", self.percent, "Percent complete")
        self.add_row("C&ommentary:", self.commentary)
        self.add_row("A&uthor:", self.author)
        start = initial or ProgressUpdateValues(as_at, status, rag, percent, "", author_id)
        self.as_at.setDate(to_qdate(start.as_at))
        select_data(self.status, start.status)
        select_data(self.rag, start.rag)
        self.percent.setValue(start.percent)
        self.commentary.setPlainText(start.commentary)
        select_data(self.author, start.author_id)
        self.commentary.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if not self.commentary.toPlainText().strip():
            return "Write a short commentary: what has happened and what is next."
        return ""

    def values(self) -> ProgressUpdateValues:
        as_at = from_qdate(self.as_at.date())
        assert as_at is not None
        return ProgressUpdateValues(
            as_at=as_at,
            status=self.status.currentData(),
            rag=self.rag.currentData(),
            percent=self.percent.value(),
            commentary=self.commentary.toPlainText().strip(),
            author_id=self.author.currentData(),
        )


# ----- assign a person or a partner body ------------------------------------------


@dataclass(frozen=True)
class PersonLinkValues:
    person_id: int
    role: str  # RACI code


class AssignPersonDialog(_FormDialog):
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


@dataclass(frozen=True)
class PartnerLinkValues:
    partner_id: int
    role: str  # PartnerRole value


class AssignPartnerDialog(_FormDialog):
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


# ----- re-baseline ----------------------------------------------------------------


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


class RebaselineDialog(_FormDialog):
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
        self.reason = _multiline(self, "Why the date is changing", lines=3)
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
