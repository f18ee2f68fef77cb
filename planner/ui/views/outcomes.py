"""The Outcomes tab: each outcome with the themes and actions serving it and the measures
that show whether it is being reached; the selected measure's figures below.

It reads through `document.read` and changes the plan only through
`document.try_execute`; its dialogs return values and the view runs the commands.
Public API for the main window and tests: `set_document`, `refresh`, `select_measure`,
`current_measure_id`, `add_outcome`, `add_measure`, `edit_selected`, `delete_selected`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from planner.commands import (
    Applied,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    SaveOutcome,
    deletion_effects,
)
from planner.errors import PlannerError
from planner.queries.lookups import action_refs, partner_choices, person_choices, theme_choices
from planner.queries.purpose import measure_detail, measure_tolerance, outcomes_and_loose_measures
from planner.ui.dialogs.measure import MeasureDialog, MeasureValues
from planner.ui.dialogs.outcome import OutcomeDialog, OutcomeValues
from planner.ui.document import PlanDocument
from planner.ui.messages import confirm, show_error
from planner.ui.models.outcomes import OUTCOME_ID_ROLE, SERIES_ROLE, Group, OutcomesModel
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import style_table
from planner.ui.views.measure_chart import SparklineDelegate
from planner.ui.views.measure_panel import MeasurePanel, rag_colours

# Column widths of the tree, in its column order
WIDTHS = (220, 132, 98, 78, 78, 92, 76, 130, 84)


def theme_choices_of(session: Session, plan_id: int) -> list[tuple[object, str]]:
    """The plan's themes as a dialog offers them: (id, "3. Title")."""
    return [(choice.id, choice.label) for choice in theme_choices(session, plan_id)]


def _groups(session: Session, plan_id: int) -> list[Group]:
    outcomes, loose = outcomes_and_loose_measures(session, plan_id)
    groups = [Group(row, row.measures) for row in outcomes]
    return [*groups, Group(None, loose)] if loose else groups


class OutcomesView(QWidget):
    """Toolbar, the outcomes-and-measures tree, and the selected measure's panel."""

    SHOWS = frozenset(
        {
            "outcome",
            "outcome_link",
            "measure",
            "measure_value",
            "plan",
            "person",
            "partner",
            "theme",
            "action",
            "rag_definition",
        }
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomesView")
        self._document: PlanDocument | None = None
        self._stale = False
        self.model = OutcomesModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("outcomesTree")
        self.tree.setAccessibleName("Outcomes and their measures")
        style_table(self.tree, "QTreeView::item { padding: 3px 4px; }")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # a long name is cut short; its tooltip has it
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._sparkline = SparklineDelegate(SERIES_ROLE, self.tree)
        self.tree.setItemDelegateForColumn(OutcomesModel.TREND, self._sparkline)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for column, width in enumerate(WIDTHS):
            self.tree.setColumnWidth(column, width)
        # the measure's name takes the room there is, its tooltip the rest
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.add_outcome_button = QPushButton("Add outcome…", self)
        self.add_outcome_button.setObjectName("addOutcomeButton")
        self.add_outcome_button.clicked.connect(self.add_outcome)
        self.add_measure_button = QPushButton("Add measure…", self)
        self.add_measure_button.setObjectName("addMeasureButton")
        self.add_measure_button.setToolTip("Add a measure to the selected outcome")
        self.add_measure_button.clicked.connect(self.add_measure)
        self.edit_button = QPushButton("Change…", self)
        self.edit_button.setObjectName("editOutcomeOrMeasureButton")
        self.edit_button.setToolTip("Change the selected outcome (and what serves it) or measure")
        self.edit_button.clicked.connect(self.edit_selected)
        self.tree.doubleClicked.connect(lambda _index: self.edit_selected())
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("deleteOutcomeOrMeasureButton")
        self.delete_button.setToolTip("Delete the selected outcome or measure")
        self.delete_button.clicked.connect(self.delete_selected)
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setObjectName("measureTolerance")
        self.tolerance.setAccessibleName("Tolerance for measures")
        self.tolerance.setRange(0.0, 100.0)
        self.tolerance.setDecimals(1)
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setSuffix("%")
        self.tolerance.setKeyboardTracking(False)
        self.tolerance.setToolTip(
            "How far short of its target a measure may fall and still be within tolerance "
            "(amber), as a share of the target; further short is off target (red)"
        )
        self.tolerance.valueChanged.connect(self._tolerance_changed)
        tolerance_label = QLabel("&Tolerance:", self)
        tolerance_label.setBuddy(self.tolerance)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("outcomesCount")
        self.count_label.setStyleSheet("color: #5A6470;")
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        buttons = (
            self.add_outcome_button,
            self.add_measure_button,
            self.edit_button,
            self.delete_button,
        )
        for button in buttons:
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(tolerance_label)
        toolbar.addWidget(self.tolerance)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.count_label)

        self.panel = MeasurePanel(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("outcomesSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        layout.addWidget(self.splitter)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self._update_buttons()
        self._split_done = False

    # ----- the document ---------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        if self._document is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._document.changed.disconnect(self._document_changed)
                self._document.reloaded.disconnect(self.refresh)
        self._document = document
        self.panel.set_document(document)
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self.refresh)
        self.refresh()

    def _document_changed(self, applied: Applied) -> None:
        if applied.touches.reaches(self.SHOWS):
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        if not self._split_done:
            self._split_done = True
            QTimer.singleShot(0, self._split)

    def _split(self) -> None:
        """Give the tree the height its rows need (up to half), the measure the rest."""
        total = sum(self.splitter.sizes())
        rows = sum(1 + len(group.measures) for group in self.model.groups())
        if total <= 0 or rows == 0:
            return
        tree = self.tree
        row_height = tree.sizeHintForRow(0) if tree.model().rowCount() else 24
        needed = (
            tree.header().height()
            + rows * max(row_height, 20)
            + tree.horizontalScrollBar().sizeHint().height()
            + 2 * tree.frameWidth()
            + 4
        )
        top = min(needed, total // 2)
        self.splitter.setSizes([top, total - top])

    def refresh(self) -> None:
        """Re-read the outcomes, keeping the selected measure (or outcome) selected. A
        hidden view only notes that it is out of date and reads when next shown."""
        document = self._document
        if document is not None and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        measure_id, outcome_id = self.current_measure_id(), self.current_outcome_id()
        blocked = self.tolerance.blockSignals(True)
        if document is None:
            self.model.set_groups([], {})
        else:
            self.model.set_groups(document.read(_groups), rag_colours(document))
            self.tolerance.setValue(document.read(measure_tolerance))
        self.tolerance.blockSignals(blocked)
        self.tree.expandAll()
        for number in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(number, QModelIndex(), True)
        if not (measure_id and self.select_measure(measure_id)):
            first = next((g.measures[0].id for g in self.model.groups() if g.measures), None)
            kept = outcome_id and self._select(self.model.outcome_index(outcome_id))
            if not kept and first is not None:
                self.select_measure(first)
        self.panel.show_measure(self.current_measure_id())
        groups = self.model.groups()
        outcomes = sum(1 for g in groups if g.outcome is not None)
        measures = sum(len(g.measures) for g in groups)
        self.count_label.setText(
            f"{outcomes} outcome{'' if outcomes == 1 else 's'} · "
            f"{measures} measure{'' if measures == 1 else 's'}"
        )
        self._update_buttons()

    # ----- selection ------------------------------------------------------------------

    def current_measure_id(self) -> int | None:
        measure = self.model.measure(self.tree.currentIndex())
        return measure.id if measure is not None else None

    def current_outcome_id(self) -> int | None:
        index = self.tree.currentIndex()
        found = index.data(OUTCOME_ID_ROLE) if index.isValid() else None
        return int(found) if found else None

    def select_measure(self, measure_id: int) -> bool:
        return self._select(self.model.measure_index(measure_id))

    def _select(self, index: QModelIndex) -> bool:
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        measure_id = current.data(ID_ROLE) if current.isValid() else None
        if self.panel.detail is None or self.panel.detail.row.id != measure_id:
            self.panel.show_measure(int(measure_id) if measure_id else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self._document is not None and not self._document.read_only
        chosen = self.tree.currentIndex().isValid()
        self.tolerance.setEnabled(writable)
        self.add_outcome_button.setEnabled(writable)
        self.add_measure_button.setEnabled(writable)
        self.delete_button.setEnabled(writable and chosen)
        self.edit_button.setEnabled(writable and chosen)

    # ----- changes --------------------------------------------------------------------

    def add_outcome(self) -> int | None:
        """Ask for a new outcome and what serves it, and add it; its id, or None."""
        document = self._document
        if document is None:
            return None
        values = OutcomeDialog.ask(
            self, None, document.read(theme_choices_of), document.read(action_refs)
        )
        if values is None:
            return None
        last = max((g.outcome.position for g in self.model.groups() if g.outcome), default=-1)
        record = {**values.record(), "position": last + 1}  # it comes last
        command = SaveOutcome(None, record, values.theme_ids, values.action_ids)
        applied = document.try_execute(command, self._refusal("The outcome was not added"))
        made = sorted(applied.touched("outcome")) if applied is not None else []
        if made:
            self._select(self.model.outcome_index(made[0]))
        return made[0] if made else None

    def edit_selected(self) -> bool:
        """Change the selected outcome (with what serves it) or measure; True if changed."""
        document = self._document
        if document is None or document.read_only:
            return False
        measure_id, outcome_id = self.current_measure_id(), self.current_outcome_id()
        if measure_id is not None:
            return self._edit_measure(document, measure_id)
        group = next((g for g in self.model.groups() if g.outcome and g.id == outcome_id), None)
        if group is None or group.outcome is None:
            return False
        outcome = group.outcome
        current = OutcomeValues(
            outcome.title, outcome.description, outcome.theme_ids, outcome.action_ids
        )
        values = OutcomeDialog.ask(
            self, current, document.read(theme_choices_of), document.read(action_refs)
        )
        if values is None or values == current:
            return False
        command = SaveOutcome(outcome.id, values.record(), values.theme_ids, values.action_ids)
        return (
            document.try_execute(command, self._refusal("The outcome was not changed")) is not None
        )

    def _edit_measure(self, document: PlanDocument, measure_id: int) -> bool:
        row = next(m for g in self.model.groups() for m in g.measures if m.id == measure_id)
        detail = document.read(lambda session, _plan: measure_detail(session, measure_id))
        current = MeasureValues(
            name=row.name,
            unit=row.unit,
            better=row.better,
            frequency=row.frequency,
            outcome_id=row.outcome_id,
            owner_id=row.owner_id,
            source_id=row.source_id,
            baseline="" if row.baseline is None else f"{row.baseline:g}",
            definition=detail.definition,
        )
        outcomes = [(g.id, g.title) for g in self.model.groups() if g.outcome is not None]
        people = [(c.id, c.label) for c in document.read(person_choices)]
        partners = [(c.id, c.label) for c in document.read(partner_choices)]
        values = MeasureDialog.ask(self, outcomes, people, partners, initial=current)
        if values is None or values == current:
            return False
        command = EditRecord("measure", measure_id, values.record())
        return (
            document.try_execute(command, self._refusal("The measure was not changed")) is not None
        )

    def _refusal(self, title: str) -> Callable[[PlannerError], None]:
        def refused(error: PlannerError) -> None:
            show_error(self, error, title)

        return refused

    def add_measure(self) -> int | None:
        """Ask for a new measure (of the selected outcome) and add it; its id, or None."""
        document = self._document
        if document is None:
            return None
        outcomes = [(g.id, g.title) for g in self.model.groups() if g.outcome is not None]
        people = [(c.id, c.label) for c in document.read(person_choices)]
        partners = [(c.id, c.label) for c in document.read(partner_choices)]
        values = MeasureDialog.ask(self, outcomes, people, partners, self.current_outcome_id())
        if values is None:
            return None
        siblings = [
            m.position
            for g in self.model.groups()
            for m in g.measures
            if g.id == (values.outcome_id or 0)
        ]
        record = {**values.record(), "position": max(siblings, default=-1) + 1}
        created = self._create("measure", record, "The measure was not added")
        if created is not None:
            self.select_measure(created)
        return created

    def _tolerance_changed(self, value: float) -> None:
        """The officer set the plan's tolerance: judge every measure by it, undoably."""
        document = self._document
        if document is None or value == document.read(measure_tolerance):
            return

        def refused(error: PlannerError) -> None:
            show_error(self, error, "The tolerance was not changed")
            self.refresh()

        command = EditRecord("plan", document.plan_id, {"measure_tolerance": value})
        document.try_execute(command, refused)

    def _create(self, kind: str, values: dict[str, object], title: str) -> int | None:
        assert self._document is not None
        applied = self._document.try_execute(CreateRecord(kind, values), self._refusal(title))
        made = sorted(applied.touched(kind)) if applied is not None else []
        return int(made[0]) if made else None

    def delete_selected(self) -> bool:
        """Delete the selected measure (or outcome) once the officer agrees."""
        document = self._document
        measure = self.model.measure(self.tree.currentIndex())
        group = self.model.group(self.tree.currentIndex())
        if document is None:
            return False
        if measure is not None:
            kind, record_id, name = "measure", measure.id, measure.name
        elif group is not None and group.outcome is not None:
            kind, record_id, name = "outcome", group.outcome.id, group.outcome.title
        else:
            return False
        effects = document.read(lambda session, _plan: deletion_effects(session, kind, record_id))
        text = f"Delete the {kind} “{name}”?"
        text += " This is what will happen:" if effects else " Nothing else refers to it."
        if not confirm(self, f"Delete {kind}", text, effects, action=f"Delete {kind}"):
            return False
        command = DeleteRecord(kind, record_id)
        return (
            document.try_execute(command, self._refusal(f"The {kind} was not deleted")) is not None
        )
