"""The Partner map tab: which partner bodies take part in which actions, and how.

Actions down the side (by theme, ref and title kept in view), partner bodies across
(by sector), the body's role in each cell. Clicking a row selects that action; clicking
a partner's heading (or double-clicking one of its cells) filters the plan to that
partner's actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from planner.domain import PartnerRole
from planner.queries.partner_map import PartnerMap, partner_map
from planner.ui.models.partner_map import (
    COUNT,
    FIRST_PARTNER,
    REF,
    ROLE_FILL,
    TITLE,
    PartnerMapModel,
    role_short,
)
from planner.ui.models.roles import ACTION_ID_ROLE
from planner.ui.views.base import PlanView
from planner.ui.views.frozen_table import FrozenTable
from planner.ui.views.legend import Legend


class PartnerMapView(PlanView):
    partner_chosen = Signal(int)  # show only this partner body's actions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partnerMapView")
        self.setAccessibleName("Partner map")
        self.model = PartnerMapModel(self)
        self.found: PartnerMap | None = None
        self._quiet = False

        self.caption = QLabel(self)
        self.caption.setObjectName("partnerMapCaption")
        self.caption.setStyleSheet("font-weight: 600; color: #2C3E50;")
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.only_involved = QCheckBox("Only partner bodies in the actions shown", self)
        self.only_involved.setObjectName("onlyInvolvedPartners")
        self.only_involved.setChecked(True)
        self.only_involved.toggled.connect(self._hide_empty_partners)
        self.legend = Legend("Roles:", self)
        for role in PartnerRole:
            self.legend.add(role_short(role.value), ROLE_FILL[role.value], role.label)

        self.table = FrozenTable(FIRST_PARTNER, self, turned=True)
        self.table.set_model(self.model)
        self.table.left.setAccessibleName("Actions")
        self.table.right.setAccessibleName("Partner bodies' roles on each action")
        self.table.right.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.right.customContextMenuRequested.connect(self._cell_menu)
        self.table.right.doubleClicked.connect(self._choose_partner_at)
        header = self.table.right.horizontalHeader()
        header.sectionClicked.connect(self._choose_partner)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table.left.selectionModel().currentRowChanged.connect(self._row_changed)

        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.only_involved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)

    # ----- reading --------------------------------------------------------------------

    def rebuild(self) -> None:
        if self.document is None:
            self.found = PartnerMap([], [], 0, 0)
        else:
            wanted = self.visible_ids
            self.found = self.document.read(
                lambda session, plan_id: partner_map(session, plan_id, wanted)
            )
        self._quiet = True
        try:
            self.model.set_map(self.found)
        finally:
            self._quiet = False
        self._lay_out()
        self._hide_empty_partners()

    def _lay_out(self) -> None:
        metrics = self.table.right.fontMetrics()
        line = metrics.height()
        self.table.set_row_height(line + 8)
        cell = max(metrics.horizontalAdvance("Deliv.") + 26, int(line * 1.8))
        widths = {
            REF: max(metrics.horizontalAdvance("10.10"), metrics.horizontalAdvance("Ref")) + 22,
            TITLE: metrics.averageCharWidth() * 28,
            COUNT: metrics.horizontalAdvance("Partners") + 22,
        }
        widths.update({c: cell for c in range(FIRST_PARTNER, self.model.columnCount())})
        self.table.layout_columns(widths)
        self.table.set_spans(self.model.heading_rows())

    def _hide_empty_partners(self) -> None:
        hide = self.only_involved.isChecked()
        shown = 0
        for column in range(FIRST_PARTNER, self.model.columnCount()):
            partner = self.model.partner(column)
            empty = partner is None or partner.total == 0
            self.table.right.setColumnHidden(column, hide and empty)
            shown += not (hide and empty)
        self.table.match_headers()
        found = self.found
        if found is not None:
            self.caption.setText(
                f"{found.shown} of {found.total} actions, "
                f"{shown} of {len(found.partners)} partner bodies"
                + (" (each in the actions shown)" if hide and shown < len(found.partners) else "")
            )

    def show_current_action(self) -> None:
        row = self.model.row_of(self.current_action_id) if self.current_action_id else None
        selection = self.table.left.selectionModel()
        self._quiet = True
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self.model.index(row, REF)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.left.scrollTo(index)
        finally:
            self._quiet = False

    # ----- the user's picks ------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        action_id = current.data(ACTION_ID_ROLE)
        if action_id:
            self.current_action_id = int(action_id)
            self.action_activated.emit(int(action_id))

    def _choose_partner(self, column: int) -> None:
        partner = self.model.partner(column)
        if partner is not None:
            self.partner_chosen.emit(partner.id)

    def _choose_partner_at(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(ACTION_ID_ROLE):
            self._choose_partner(index.column())

    def _menu_for(self, column: int, where: QPoint) -> None:
        partner = self.model.partner(column)
        if partner is None:
            return
        menu = QMenu(self)
        chosen = menu.addAction(f"Show only {partner.label}'s actions")
        chosen.triggered.connect(lambda: self.partner_chosen.emit(partner.id))
        menu.popup(where)

    def _cell_menu(self, point: QPoint) -> None:
        index = self.table.right.indexAt(point)
        if index.isValid():
            self._menu_for(index.column(), self.table.right.viewport().mapToGlobal(point))

    def _header_menu(self, point: QPoint) -> None:
        header = self.table.right.horizontalHeader()
        self._menu_for(header.logicalIndexAt(point), header.mapToGlobal(point))
