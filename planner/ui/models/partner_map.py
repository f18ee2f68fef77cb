"""The partner map as a table: a row per theme heading and per action, a column per
partner body (after Ref, Action and Partners), the body's role in each cell.

It runs no queries: the view gives it a PartnerMap (`set_map`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner.domain import PartnerRole
from planner.queries.partner_map import MapAction, MapPartner, MapTheme, PartnerMap, role_label
from planner.ui.models.roles import (
    ACTION_ID_ROLE,
    BAND_ROLE,
    BAND_SHORT_ROLE,
    FOOT_ROLE,
    PARTNER_ID_ROLE,
    ROLE_VALUE_ROLE,
    Index,
)

REF, TITLE, COUNT = 0, 1, 2
FIXED_HEADERS = ("Ref", "Action", "Partners")
FIRST_PARTNER = len(FIXED_HEADERS)

# Short cell text and a light fill for each role (the text is always there).
ROLE_SHORT = {
    PartnerRole.LEAD.value: "Lead",
    PartnerRole.DELIVERY.value: "Deliv.",
    PartnerRole.CONSULTED.value: "Cons.",
    PartnerRole.FUNDER.value: "Fund.",
}
ROLE_FILL = {
    PartnerRole.LEAD.value: QColor("#BFDCF2"),
    PartnerRole.DELIVERY.value: QColor("#CDEBD3"),
    PartnerRole.CONSULTED.value: QColor("#FBE8C4"),
    PartnerRole.FUNDER.value: QColor("#E3DAF1"),
}
THEME_FILL = QColor("#EEF2F6")
CENTRED = int(Qt.AlignmentFlag.AlignCenter)
NUMBER = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def role_short(value: str) -> str:
    return ROLE_SHORT.get(value, value[:5].capitalize())


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class _Row:
    theme: MapTheme
    action: MapAction | None  # None: the theme's heading


class PartnerMapModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._partners: list[MapPartner] = []
        self._row_of: dict[int, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_map(self, found: PartnerMap) -> None:
        self.beginResetModel()
        self._partners = list(found.partners)
        self._rows = []
        for theme in found.themes:
            self._rows.append(_Row(theme, None))
            self._rows.extend(_Row(theme, action) for action in theme.actions)
        self._row_of = {
            row.action.id: number for number, row in enumerate(self._rows) if row.action
        }
        self.endResetModel()

    # ----- lookups for the view --------------------------------------------------------

    def row_of(self, action_id: int) -> int | None:
        return self._row_of.get(action_id)

    def heading_rows(self) -> list[int]:
        return [number for number, row in enumerate(self._rows) if row.action is None]

    def partner(self, column: int) -> MapPartner | None:
        number = column - FIRST_PARTNER
        return self._partners[number] if 0 <= number < len(self._partners) else None

    def partners(self) -> list[MapPartner]:
        return list(self._partners)

    # ----- the table -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_PARTNER + len(self._partners)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].action is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if row.action is None:
            return self._heading_data(row.theme, column, role)
        action = row.action
        partner = self.partner(column)
        if role == ACTION_ID_ROLE:
            return action.id
        if role == PARTNER_ID_ROLE:
            return partner.id if partner else None
        value = action.roles.get(partner.id) if partner else None
        if role == ROLE_VALUE_ROLE:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == REF:
                return action.ref
            if column == TITLE:
                return action.title
            if column == COUNT:
                return str(len(action.roles)) if action.roles else ""
            return role_short(value) if value else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COUNT:
                bodies = _plural(len(action.roles), "partner body", "partner bodies")
                return f"{bodies} on {action.ref}"
            if partner is None:
                return f"{action.ref} {action.title}"
            where = f"{partner.name} ({partner.sector_label})"
            if value:
                return f"{where}: {role_label(value)} on {action.ref} {action.title}"
            return f"{where}: not on {action.ref}"
        if role == Qt.ItemDataRole.BackgroundRole and value:
            return QBrush(ROLE_FILL.get(value, THEME_FILL))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COUNT:
                return NUMBER
            if partner is not None:
                return CENTRED
        if role == Qt.ItemDataRole.AccessibleTextRole and partner is not None:
            return role_label(value) if value else "none"
        return None

    def _heading_data(self, theme: MapTheme, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == REF:
            return f"{theme.number}. {theme.title}"
        if role == Qt.ItemDataRole.DisplayRole and column == COUNT:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column < FIRST_PARTNER:
            return f"Theme {theme.number}: {_plural(len(theme.actions), 'action')} shown"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(THEME_FILL)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section < 0:
            return None
        if section < FIRST_PARTNER:
            if role == Qt.ItemDataRole.DisplayRole:
                return FIXED_HEADERS[section]
            if role == FOOT_ROLE and section == TITLE and self._partners:
                return "Actions per partner"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return NUMBER if section == COUNT else None
            if role == Qt.ItemDataRole.ToolTipRole and section == COUNT:
                return "How many partner bodies take part in each action"
            return None
        partner = self.partner(section)
        if partner is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return partner.label
        if role == BAND_ROLE:
            return partner.sector_label
        if role == BAND_SHORT_ROLE:
            return partner.sector_short
        if role == FOOT_ROLE:
            return str(partner.total)
        if role == PARTNER_ID_ROLE:
            return partner.id
        if role == Qt.ItemDataRole.ToolTipRole:
            roles = ", ".join(f"{role_label(k)} {n}" for k, n in partner.roles.items())
            counts = f"{_plural(partner.total, 'action')} shown" + (f": {roles}" if roles else "")
            return (
                f"{partner.name}\n{partner.sector_label}\n{counts}\n"
                "Click to show only this partner's actions"
            )
        return None
