"""The Details tab: the action's own fields, each committed to the plan as it is edited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from planner.commands import EditRecord, MoveAction, SetLeadOfficer
from planner.domain.dates import format_uk
from planner.queries.detail import ActionDetail
from planner.ui.delegates import OptionalDateEdit
from planner.ui.details.host import Host, Lookups
from planner.ui.details.widgets import details_button, details_combo, muted_label, quiet
from planner.ui.dialogs.form import fill_combo, fill_rag_combo, fill_status_combo, select_data
from planner.ui.models.rag import rag_tooltip


class DetailsForm(QWidget):
    """Ref, title, theme, lead officer, dates, baseline, status, RAG, % complete and
    description of the shown action."""

    rebaseline_requested = Signal()

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._choices_from: Lookups | None = None  # the lists the combo boxes hold
        form = QFormLayout(self)
        form.setContentsMargins(2, 10, 6, 6)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.ref_edit = QLineEdit(self)
        self.ref_edit.setObjectName("detailRef")
        self.ref_edit.setMaxLength(20)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("detailTitle")
        self.title_edit.setMaxLength(300)
        self.theme_combo = details_combo(self, "detailTheme")
        self.lead_combo = details_combo(self, "detailLead")
        self.start_edit = OptionalDateEdit(self)
        self.start_edit.setObjectName("detailStart")
        self.due_edit = OptionalDateEdit(self)
        self.due_edit.setObjectName("detailDue")
        baseline_row = QHBoxLayout()
        self.baseline_label = muted_label("", self, "detailBaseline")
        self.rebaseline_button = details_button(
            "Re-baseline…", self, "rebaselineButton", self.rebaseline_requested.emit
        )
        self.rebaseline_button.setFlat(True)
        self.rebaseline_button.setToolTip("Agree a new baseline date and record why")
        baseline_row.addWidget(self.baseline_label, 1)
        baseline_row.addWidget(self.rebaseline_button)
        self.status_combo = details_combo(self, "detailStatus")
        fill_status_combo(self.status_combo)
        self.rag_combo = details_combo(self, "detailRag")
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setObjectName("detailPercent")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSingleStep(5)
        self.percent_spin.setSuffix("%")
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("detailDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What the action will do and why")
        self.description_edit.setMinimumHeight(
            self.description_edit.fontMetrics().lineSpacing() * 7 + 12
        )
        self.description_edit.installEventFilter(self)

        rows: list[tuple[str, QWidget | QLayout, str]] = [
            ("&Ref:", self.ref_edit, "Ref"),
            ("&Title:", self.title_edit, "Title"),
            ("T&heme:", self.theme_combo, "Theme"),
            ("&Lead officer:", self.lead_combo, "Lead officer"),
            ("&Start:", self.start_edit, "Start date"),
            ("&Due:", self.due_edit, "Due date"),
            ("Baseline:", baseline_row, ""),
            ("St&atus:", self.status_combo, "Status"),
            ("&RAG:", self.rag_combo, "RAG rating"),
            ("% &complete:", self.percent_spin, "Percent complete"),
            ("Descr&iption:", self.description_edit, "Description"),
        ]
        for label, field, accessible in rows:
            if isinstance(field, QWidget):
                field.setAccessibleName(accessible)
            form.addRow(label, field)

        self.ref_edit.editingFinished.connect(
            lambda: self._commit({"ref": self.ref_edit.text().strip()})
        )
        self.title_edit.editingFinished.connect(
            lambda: self._commit({"title": self.title_edit.text().strip()})
        )
        self.theme_combo.activated.connect(self._theme_chosen)
        self.lead_combo.activated.connect(self._lead_chosen)
        self.status_combo.activated.connect(
            lambda _i: self._commit({"status": self.status_combo.currentData()})
        )
        self.rag_combo.activated.connect(
            lambda _i: self._commit({"rag": self.rag_combo.currentData()})
        )
        self.percent_spin.editingFinished.connect(
            lambda: self._commit({"percent": self.percent_spin.value()})
        )
        for key, editor in (("start", self.start_edit), ("due", self.due_edit)):
            commit = self._date_committer(key, editor)
            editor.editingFinished.connect(commit)
            # A date picked in the calendar pop-up is committed once the pop-up closes.
            editor.calendarWidget().clicked.connect(
                lambda _d, c=commit: QTimer.singleShot(0, self, c)
            )
            editor.calendarWidget().activated.connect(
                lambda _d, c=commit: QTimer.singleShot(0, self, c)
            )

    # ----- showing ------------------------------------------------------------------

    def fill(self, detail: ActionDetail, lookups: Lookups) -> None:
        widgets = (
            self.ref_edit,
            self.title_edit,
            self.theme_combo,
            self.lead_combo,
            self.start_edit,
            self.due_edit,
            self.status_combo,
            self.rag_combo,
            self.percent_spin,
            self.description_edit,
        )
        with quiet(*widgets):
            self.ref_edit.setText(detail.ref)
            self.title_edit.setText(detail.title)
            self.title_edit.setCursorPosition(0)
            self.title_edit.setToolTip(detail.title)
            if lookups is not self._choices_from:  # the plan's lists were read again
                self._choices_from = lookups
                themes = [(choice.id, choice.label) for choice in lookups.themes]
                fill_combo(self.theme_combo, themes)
                people = [(p.id, p.name) for p in lookups.people]
                fill_combo(self.lead_combo, people, "(no lead officer)")
                fill_rag_combo(self.rag_combo, lookups.header.rag_definitions)
            select_data(self.theme_combo, detail.theme_id)
            lead = detail.lead
            select_data(self.lead_combo, lead.person_id if lead else None)
            for editor, value in ((self.start_edit, detail.start), (self.due_edit, detail.due)):
                editor.set_fallback(detail.status_date)
                editor.set_value(value)
            select_data(self.rag_combo, detail.rag)
            self.rag_combo.setToolTip(rag_tooltip(lookups.rag(detail.rag)))
            select_data(self.status_combo, detail.status)
            self.percent_spin.setValue(detail.percent)
            if self.description_edit.toPlainText() != detail.description:
                self.description_edit.setPlainText(detail.description)
        baseline = detail.baseline_due
        moved = bool(baseline and baseline != detail.due)
        self.baseline_label.setText(
            f"{format_uk(baseline) or 'not set'}{' · due moved' if moved else ''}"
        )
        tip = ["The agreed date. Change it with Re-baseline…, which records why."]
        if moved:
            tip.append(f"The due date ({format_uk(detail.due)}) differs from the baseline.")
        if detail.baselines:
            count = len(detail.baselines)
            tip.append(
                f"Re-baselined {count} time{'s' if count != 1 else ''}: see the History tab."
            )
        self.baseline_label.setToolTip("\n".join(tip))

    def set_editable(self, editable: bool) -> None:
        for line in (self.ref_edit, self.title_edit):
            line.setReadOnly(not editable)
        self.description_edit.setReadOnly(not editable)
        for widget in (
            self.theme_combo,
            self.lead_combo,
            self.start_edit,
            self.due_edit,
            self.status_combo,
            self.rag_combo,
            self.percent_spin,
            self.rebaseline_button,
        ):
            widget.setEnabled(editable)

    # ----- committing ---------------------------------------------------------------

    def _commit(self, values: dict[str, object]) -> None:
        detail = self._host.detail
        if detail is None:
            return
        changed = {key: value for key, value in values.items() if getattr(detail, key) != value}
        if not changed:
            return
        self._host.run(EditRecord("action", detail.id, changed))

    def flush(self) -> None:
        """Commit what is typed but not yet committed (the focus is still in the field),
        so no typing is lost when another action is shown."""
        detail = self._host.detail
        if detail is None:
            return
        typed: dict[str, object] = {
            "ref": self.ref_edit.text().strip(),
            "title": self.title_edit.text().strip(),
            "start": self.start_edit.value(),
            "due": self.due_edit.value(),
            "percent": self.percent_spin.value(),
        }
        description = self.description_edit.toPlainText().strip()
        if description != detail.description.strip():
            typed["description"] = description
        self._commit(typed)

    def _date_committer(self, key: str, editor: OptionalDateEdit) -> Callable[[], None]:
        def commit() -> None:
            if editor.calendarWidget().isVisible():
                return
            self._commit({key: editor.value()})

        return commit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.description_edit and event.type() == QEvent.Type.FocusOut:
            detail = self._host.detail
            text = self.description_edit.toPlainText().strip()
            if detail is not None and text != detail.description.strip():
                self._commit({"description": text})
        return super().eventFilter(watched, event)

    def _theme_chosen(self, index: int) -> None:
        detail = self._host.detail
        theme_id = self.theme_combo.itemData(index)
        if detail is None or theme_id is None or theme_id == detail.theme_id:
            return
        self._host.run(MoveAction(detail.id, int(theme_id)))

    def _lead_chosen(self, index: int) -> None:
        detail = self._host.detail
        if detail is None:
            return
        person_id = self.lead_combo.itemData(index)
        lead = detail.lead
        if (lead.person_id if lead else None) == person_id:
            return
        # The core keeps the previous lead on the action as Responsible.
        self._host.run(SetLeadOfficer(detail.id, person_id))
