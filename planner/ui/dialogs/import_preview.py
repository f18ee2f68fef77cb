"""Shows what a returned workbook would change and lets the user choose; writes nothing.

The dialog is given a MergePreview (and the plan's people and RAG ratings to show), and
sets the choices on it: which changed values to take (FieldChange.take_returned), which
proposed new records to add (ProposedRecord.take) and who returned the copy. The caller
turns the preview into one command."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain import RagDefinition
from planner.errors import PlannerError
from planner.io.excel.merge import MergePreview, ProposedRecord
from planner.queries.lookups import Choice
from planner.ui.messages import show_error
from planner.ui.models.changes import MUTED_TEXT, ChangesModel
from planner.ui.models.roles import Index
from planner.ui.style import set_text_colour, style_table


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class PickDelegate(QStyledItemDelegate):
    """A drop-down of the values a cell named, to pick the one that is meant."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        if not isinstance(model, ChangesModel) or not model.change_at(index.row()).choices:
            return super().createEditor(parent, option, index)
        editor = QComboBox(parent)
        editor.setObjectName("pickCombo")
        for label, value in model.choice_labels(index.row()):
            editor.addItem(label, value)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class ImportPreviewDialog(QDialog):
    """The returned copy's updates, for the user to tick; `ask` returns the preview."""

    def __init__(
        self,
        parent: QWidget | None,
        preview: MergePreview,
        *,
        people: Sequence[Choice] = (),
        rags: Sequence[RagDefinition] = (),
        rebuild: Callable[[str], MergePreview] | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self._people = list(people)
        self._sender = preview.sender
        self._rebuild = rebuild
        self._built_for = preview.from_name
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle("Import updates from Excel")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        self.heading = QLabel(self)
        self.heading.setObjectName("importHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)

        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.rule_note = QLabel(preview.rule_note, self)
        self.rule_note.setObjectName("ruleNote")
        self.rule_note.setWordWrap(True)
        set_text_colour(self.rule_note, MUTED_TEXT)
        self.rule_note.setVisible(bool(preview.rule_note))
        layout.addWidget(self.rule_note)

        who = QHBoxLayout()
        label = QLabel("&Returned by:", self)
        self.from_combo = QComboBox(self)
        self.from_combo.setObjectName("returnedByCombo")
        self.from_combo.setEditable(True)
        self.from_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.from_combo.addItem("", None)
        for choice in self._people:
            self.from_combo.addItem(choice.label, choice.id)
        self.from_combo.setCurrentText(preview.from_name)
        line = self.from_combo.lineEdit()
        assert line is not None  # the combo was made editable above
        line.setPlaceholderText("Optional: who sent this copy back")
        self.from_combo.setMinimumWidth(260)
        self.from_combo.setToolTip(
            "Recorded in the change history; a new progress update is credited to them "
            "when they are one of the plan's people"
        )
        label.setBuddy(self.from_combo)
        who.addWidget(label)
        who.addWidget(self.from_combo)
        who.addStretch(1)
        layout.addLayout(who)

        self.model = ChangesModel(self, rags)
        self.changes_view = QTableView(self)
        style_table(self.changes_view)
        self.changes_view.setObjectName("changesView")
        self.changes_view.setAccessibleName("Changes in the returned copy")
        self.changes_view.setModel(self.model)
        self.changes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.changes_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.changes_view.setItemDelegateForColumn(ChangesModel.RETURNED, PickDelegate(self))
        self.changes_view.setWordWrap(True)
        self.changes_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.changes_view.verticalHeader().setVisible(False)
        self.changes_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        header = self.changes_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChangesModel.APPLY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChangesModel.FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.resizeSection(ChangesModel.RECORD, 160)
        header.resizeSection(ChangesModel.PLAN, 175)
        header.resizeSection(ChangesModel.RETURNED, 175)
        header.setMinimumSectionSize(60)

        self.sections = QTabWidget(self)
        self.sections.setObjectName("importSections")
        self.sections.setDocumentMode(True)
        self.proposed_list = self._list("proposedList", "Proposed new actions and milestones")
        self.warnings_list = self._list("warningsList", "Worth checking")
        self.not_applied_list = self._list("notAppliedList", "Not applied")
        self.skipped_list = self._list("skippedList", "Skipped or ignored")
        for widget in (
            self.proposed_list,
            self.warnings_list,
            self.not_applied_list,
            self.skipped_list,
        ):
            self.sections.addTab(widget, "")

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.changes_view)
        self.splitter.addWidget(self.sections)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 120])
        layout.addWidget(self.splitter, 1)
        self._show_sections()

        buttons = QDialogButtonBox(self)
        self.take_all_button = QPushButton("&Take all returned values", self)
        self.take_all_button.setObjectName("takeAllButton")
        self.take_all_button.setToolTip(
            "Tick every change, including conflicts and suggestions: the returned values "
            "replace the plan's (dates to check and cells naming two values still wait for you)"
        )
        self.take_all_button.setEnabled(bool(preview.changes))
        self.apply_button = QPushButton(self)
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelButton")
        buttons.addButton(self.take_all_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.take_all_button.clicked.connect(self.take_all_returned)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.model.choices_changed.connect(self._update)
        self.proposed_list.itemChanged.connect(self._proposed_ticked)
        self.from_combo.currentTextChanged.connect(self._from_changed)
        self.from_combo.activated.connect(lambda _index: self._returned_by_chosen())
        line.editingFinished.connect(self._returned_by_chosen)
        self._from_changed(self.from_combo.currentText())
        self.setMinimumSize(640, 420)
        self.resize(980, 640)

    # ----- the sections -----------------------------------------------------------

    def _show_sections(self) -> None:
        """The preview's changes and its tabs of what else it found; empty parts hidden."""
        preview = self.preview
        self.model.set_rows(preview.changes, preview.returned_saved_at)
        with QSignalBlocker(self.proposed_list):
            for widget in (
                self.proposed_list,
                self.warnings_list,
                self.not_applied_list,
                self.skipped_list,
            ):
                widget.clear()
            self._fill_proposed(preview.proposed)
        self._fill_not_applied()
        self._fill_skipped()
        self._fill_warnings()
        counts = (
            ("New actions and milestones", len(preview.proposed)),
            ("Worth checking", len(preview.warnings)),
            ("Not applied", len(preview.not_applied)),
            ("Skipped or ignored", len(preview.problems) + len(preview.ignored)),
        )
        first_full = -1
        for number, (title, count) in enumerate(counts):
            self.sections.setTabText(number, f"{title} ({count})")
            self.sections.setTabEnabled(number, bool(count))
            if count and first_full < 0:
                first_full = number
        self.sections.setCurrentIndex(max(first_full, 0))
        self.changes_view.setVisible(bool(preview.changes))
        self.sections.setVisible(first_full >= 0)
        self.rule_note.setText(preview.rule_note)
        self.rule_note.setVisible(bool(preview.rule_note))

    def _list(self, name: str, accessible: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        widget.setWordWrap(True)
        widget.setSpacing(2)
        widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return widget

    def _fill_proposed(self, proposed: list[ProposedRecord]) -> None:
        for number, record in enumerate(proposed):
            where = f"{record.sheet} row {record.row}: {record.summary}"
            item = QListWidgetItem(self.proposed_list)
            item.setData(Qt.ItemDataRole.UserRole, number)
            if record.reason:
                item.setText(f"{where} — not kept: {record.reason}.")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setForeground(MUTED_TEXT)
                item.setToolTip("Fix the row in the workbook, or add it in the plan yourself")
            elif not record.can_add_now:
                item.setText(f"{where} — kept for review; choose its theme in Review proposals")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("File > Review proposals adds it once you choose its theme")
            else:
                item.setText(f"{where} — kept for review; tick to add it now")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if record.take else Qt.CheckState.Unchecked
                )
                item.setToolTip(
                    "Not ticked: kept for review in File > Review proposals. "
                    "Ticked: added to the plan with the merge"
                )

    def _fill_not_applied(self) -> None:
        for item in self.preview.not_applied:
            line = QListWidgetItem(
                f"{item.label}, {item.column}: the plan has “{item.plan_value}”, the copy has "
                f"“{item.returned_value}” — change this in the plan if it is right.",
                self.not_applied_list,
            )
            line.setFlags(Qt.ItemFlag.ItemIsEnabled)
            line.setToolTip("Only the columns with a gold heading are taken from a returned copy")

    def _fill_warnings(self) -> None:
        for warning in self.preview.warnings:
            line = QListWidgetItem(warning, self.warnings_list)
            line.setFlags(Qt.ItemFlag.ItemIsEnabled)
            line.setToolTip("Worth a look; it does not stop the merge, and it is kept with it")

    def _fill_skipped(self) -> None:
        for problem in self.preview.problems:
            message = problem.message.rstrip(".")
            line = QListWidgetItem(
                f"Skipped: {problem.sheet} row {problem.row}, column '{problem.column}': "
                f"{message}, so the plan keeps its value.",
                self.skipped_list,
            )
            line.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for note in self.preview.ignored:
            line = QListWidgetItem(f"Ignored: {note}", self.skipped_list)
            line.setFlags(Qt.ItemFlag.ItemIsEnabled)

    # ----- choices ----------------------------------------------------------------

    def proposed_count(self) -> int:
        return sum(1 for record in self.preview.proposed if record.take and record.can_add_now)

    def chosen_count(self) -> int:
        """How many changes and new records Merge would put into the plan."""
        return self.model.chosen_count() + self.proposed_count()

    def take_all_returned(self) -> None:
        self.preview.take_returned_everywhere()
        self.preview.take_suggestions()
        self.model.set_all(True)

    def _proposed_ticked(self, item: QListWidgetItem) -> None:
        number = item.data(Qt.ItemDataRole.UserRole)
        if number is None:
            return
        record = self.preview.proposed[int(number)]
        if not record.can_add_now:
            return
        take = item.checkState() == Qt.CheckState.Checked
        if record.take != take:
            record.take = take
            self._update()

    def _returned_by_chosen(self) -> None:
        """Read the copy again as returned by the officer now named: who owns what (and
        so which values are suggestions) follows who sent it."""
        name = self.from_combo.currentText().strip()
        if self._rebuild is None or name == self._built_for:
            return
        try:
            fresh = self._rebuild(name)
        except PlannerError as error:
            show_error(self, error, "The copy could not be read again")
            return
        self._built_for = name
        self.preview = fresh
        self._sender = fresh.sender
        self._show_sections()
        self._update()

    def _from_changed(self, text: str) -> None:
        name = text.strip()
        if name != self.preview.from_name:
            self.preview.sender = name or self._sender
        self.preview.from_name = name
        self.preview.author_id = next(
            (choice.id for choice in self._people if choice.label.casefold() == name.casefold()),
            None,
        )
        self._update()

    def heading_text(self) -> str:
        preview = self.preview
        text = f"Updates in {preview.source.name}"
        if preview.sender:
            text += f" from {preview.sender}"
        if preview.exported_at is not None:
            text += f" (exported {preview.exported_at:%d/%m/%Y %H:%M})"
        return text

    def summary_text(self) -> str:
        preview = self.preview
        changes = preview.changes
        sentences = [f"{_plural(len(changes), 'changed value')}."]
        conflicts = len(preview.conflicts)
        suggestions = sum(1 for c in changes if c.suggestion and not c.choice.note)
        checks = sum(1 for c in changes if c.doubt or c.choices)
        notes = []
        if conflicts:
            notes.append(
                f"{conflicts} in conflict (highlighted: the plan keeps its value unless you "
                "tick it)"
            )
        if suggestions:
            notes.append(f"{suggestions} suggested by bodies that do not lead the action")
        if checks:
            notes.append(f"{checks} to check before they are applied")
        if notes:
            sentences[0] = f"{_plural(len(changes), 'changed value')}: " + "; ".join(notes) + "."
        kept = len(preview.kept_proposals)
        if kept:
            sentences.append(f"{_plural(kept, 'new record')} proposed, kept for review.")
        left_out = []
        if preview.not_applied:
            left_out.append(f"{len(preview.not_applied)} not applied")
        skipped = len(preview.problems) + len(preview.ignored)
        if skipped:
            left_out.append(f"{skipped} skipped or ignored")
        if left_out:
            sentences.append(f"See the tabs below for what was left out ({', '.join(left_out)}).")
        sentences.append(
            "Nothing changes until you press Merge; what you leave unticked is recorded with "
            "the return, and the merge can be undone in one step."
        )
        return " ".join(sentences)

    def _update(self) -> None:
        count = self.chosen_count()
        self.apply_button.setText(f"&Merge {_plural(count, 'change')}" if count else "&Merge")
        self.apply_button.setEnabled(not self.preview.is_empty)
        self.apply_button.setToolTip(
            "Apply the ticked changes and record the return"
            if count
            else "Record the return without changing the plan"
        )
        self.heading.setText(self.heading_text())
        self.summary.setText(self.summary_text())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        preview: MergePreview,
        *,
        people: Sequence[Choice] = (),
        rags: Sequence[RagDefinition] = (),
        rebuild: Callable[[str], MergePreview] | None = None,
    ) -> MergePreview | None:
        """The preview with the user's choices set, or None when cancelled. `rebuild`
        reads the copy again as returned by the officer named in Returned by."""
        dialog = cls(parent, preview, people=people, rags=rags, rebuild=rebuild)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        return dialog.preview if accepted else None
