"""The People load tab: for each person, the actions they carry by RACI role and the
open milestones they own in each financial quarter, with heavy loads marked.

Counts are over the actions the filter bar shows. A tooltip lists the actions or
milestones behind a count; double-clicking a person filters the plan to their actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import today
from planner.queries.people_load import (
    ACCOUNTABLE_LIMIT,
    MILESTONES_PER_QUARTER_LIMIT,
    LoadItem,
    PeopleLoad,
    actions_in_role,
    milestones_due,
    people_load,
)
from planner.ui.models.people_load import (
    ALL_ACTIONS,
    FIRST_QUARTER,
    FIRST_RACI,
    FROZEN,
    HEAT,
    NAME,
    OVER_FILL,
    PeopleLoadModel,
)
from planner.ui.models.roles import JOB_TITLE_ROLE, OVER_LIMIT_ROLE, PERSON_ID_ROLE
from planner.ui.views.base import PlanView
from planner.ui.views.frozen_table import FrozenTable
from planner.ui.views.legend import Legend

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument

TOOLTIP_LINES = 12  # items listed under a count before "and N more"
FRAME = QColor("#8A5A14")
MUTED = QColor("#5A6470")


class LoadDelegate(QStyledItemDelegate):
    """Draws a count over its limit with a frame as well as in bold."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        super().paint(painter, option, index)
        if index.data(OVER_LIMIT_ROLE):
            painter.save()
            painter.setPen(QPen(FRAME, 2))
            rect: QRect = option.rect.adjusted(2, 2, -2, -2)
            painter.drawRect(rect)
            painter.restore()


class PersonDelegate(QStyledItemDelegate):
    """The person's name, then their job title in grey, on one line."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        job = index.data(JOB_TITLE_ROLE)
        if not job:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        name = item.text
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget)
        metrics = item.fontMetrics
        painter.save()
        name_width = min(metrics.horizontalAdvance(name), text_rect.width())
        shown_name = metrics.elidedText(name, Qt.TextElideMode.ElideRight, text_rect.width())
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(text_rect, flags, shown_name)
        rest = text_rect.adjusted(name_width + metrics.horizontalAdvance("  "), 0, 0, 0)
        if rest.width() > metrics.horizontalAdvance("W…"):
            painter.setPen(MUTED)
            painter.drawText(
                rest, flags, metrics.elidedText(job, Qt.TextElideMode.ElideRight, rest.width())
            )
        painter.restore()


class PeopleLoadView(PlanView):
    person_chosen = Signal(int)  # show only this person's actions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleLoadView")
        self.setAccessibleName("People load")
        self.model = PeopleLoadModel(self)
        self.found: PeopleLoad | None = None

        self.caption = QLabel(self)
        self.caption.setObjectName("peopleLoadCaption")
        self.caption.setStyleSheet("font-weight: 600; color: #2C3E50;")
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.only_involved = QCheckBox("Only people on the actions shown", self)
        self.only_involved.setObjectName("onlyInvolvedPeople")
        self.only_involved.setChecked(True)
        self.only_involved.toggled.connect(self._fill)
        self.legend = Legend("Load:", self)
        self.legend.add("2", HEAT[1], "a few")
        self.legend.add("5", HEAT[3], "more (deeper shade)")
        self.legend.add(
            "9",
            OVER_FILL,
            f"heavy: more than {ACCOUNTABLE_LIMIT} actions as Accountable, or more than "
            f"{MILESTONES_PER_QUARTER_LIMIT} open milestones in a quarter",
            strong=True,
        )
        note = QLabel(
            "Milestones: open ones by the quarter they are due; "
            "in past quarters (italic) they are overdue.",
            self,
        )
        note.setObjectName("peopleLoadNote")
        note.setStyleSheet("color: #5A6470;")
        note.setWordWrap(True)

        self.table = FrozenTable(FROZEN, self, turned=False)
        self.table.set_model(self.model)
        self.table.left.setAccessibleName("People")
        self.table.right.setAccessibleName("Actions and milestones per person")
        self.table.left.setItemDelegate(LoadDelegate(self.table.left))
        self.table.right.setItemDelegate(LoadDelegate(self.table.right))
        self.table.left.setItemDelegateForColumn(NAME, PersonDelegate(self.table.left))
        for table in (self.table.left, self.table.right):
            table.doubleClicked.connect(self._choose_person_at)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(self._menu)
        self.table.left.viewport().installEventFilter(self)
        self.table.right.viewport().installEventFilter(self)
        self._scroll_to_now = True

        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.only_involved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

    # ----- reading --------------------------------------------------------------------

    def rebuild(self) -> None:
        if self.document is None:
            self.found = None
        else:
            wanted = self.visible_ids
            self.found = self.document.read(
                lambda session, plan_id: people_load(session, plan_id, wanted)
            )
        self._fill()

    def _fill(self) -> None:
        found = self.found or PeopleLoad([], [], today(), 0, 0)
        people = found.people
        if self.only_involved.isChecked():
            people = [person for person in people if person.carries_anything]
        self.model.set_load(found, people)
        metrics = self.table.right.fontMetrics()
        line = metrics.height()
        self.table.set_row_height(line + 8)
        count = max(metrics.horizontalAdvance("888"), metrics.horizontalAdvance("Q4")) + 20
        widths = {
            NAME: metrics.averageCharWidth() * 34,
            ALL_ACTIONS: metrics.horizontalAdvance("All") + 24,
        }
        widths.update({c: count for c in range(FIRST_RACI, ALL_ACTIONS)})
        widths.update({c: count for c in range(FIRST_QUARTER, self.model.columnCount())})
        self.table.layout_columns(widths)
        self.table.set_spans(self.model.heading_rows())
        if self._scroll_to_now and self.isVisible():
            self._scroll_to_now = False
            self.show_quarter(found.quarter_of(found.status_date))
        self.caption.setText(
            f"Counting {found.shown} of {found.total} actions: "
            f"{len(people)} of {len(found.people)} people"
        )

    def set_document(self, document: PlanDocument | None) -> None:
        self._scroll_to_now = True
        super().set_document(document)

    def show_quarter(self, number: int | None) -> None:
        """Scroll the quarters so that the one before `number` comes first."""
        if number is None:
            return
        column = FIRST_QUARTER + max(number - 1, 0)
        right = self.table.right
        right.horizontalScrollBar().setValue(
            right.columnViewportPosition(column) + right.horizontalScrollBar().value()
        )

    # ----- tooltips: the actions or milestones behind a count ---------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        tables = {table.viewport(): table for table in (self.table.left, self.table.right)}
        if watched in tables and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)  # Qt delivers a tool tip as a help event
            table = tables[watched]
            index = table.indexAt(event.pos())
            text = self.tooltip(index) if index.isValid() else ""
            if text:
                QToolTip.showText(event.globalPos(), text, table.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def tooltip(self, index: QModelIndex) -> str:
        """The cell's summary and, for a count, the items behind it."""
        summary = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        items = self.items_behind(index.row(), index.column())
        if not items:
            return summary
        lines = [item.text for item in items[:TOOLTIP_LINES]]
        if len(items) > TOOLTIP_LINES:
            lines.append(f"and {len(items) - TOOLTIP_LINES} more")
        return summary + ":\n" + "\n".join(f"  {line}" for line in lines)

    def items_behind(self, row: int, column: int) -> list[LoadItem]:
        person = self.model.person(row)
        if person is None or self.document is None:
            return []
        wanted = self.visible_ids
        role = self.model.raci(column)
        if role is not None and person.raci.get(role.value):
            return list(
                self.document.read(
                    lambda s, p: actions_in_role(s, p, person.id, role.value, wanted)
                )
            )
        band = self.model.quarter(column)
        number = column - FIRST_QUARTER
        if band is not None and (person.open_due.get(number) or person.completed_due.get(number)):
            return list(
                self.document.read(
                    lambda s, p: milestones_due(s, p, person.id, band.first, band.end, wanted)
                )
            )
        return []

    # ----- the user's picks ------------------------------------------------------------

    def _choose_person_at(self, index: QModelIndex) -> None:
        person_id = index.data(PERSON_ID_ROLE) if index.isValid() else None
        if person_id:
            self.person_chosen.emit(int(person_id))

    def _menu(self, point: QPoint) -> None:
        table = self.sender()
        if not isinstance(table, QTableView):
            return
        index = table.indexAt(point)
        person = self.model.person(index.row()) if index.isValid() else None
        if person is None:
            return
        menu = QMenu(self)
        chosen = menu.addAction(f"Show only {person.name}'s actions")
        chosen.triggered.connect(lambda: self.person_chosen.emit(person.id))
        menu.popup(table.viewport().mapToGlobal(point))
