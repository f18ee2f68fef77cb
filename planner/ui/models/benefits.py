"""The benefits register and its totals as tables; they run no queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont

from planner.domain.money import BenefitTotal, BenefitType, format_pounds
from planner.queries.benefits import BenefitRow
from planner.ui.models.outcomes import RIGHT
from planner.ui.models.roles import ACCESSIBLE, ALIGNMENT, DISPLAY, FONT, ID_ROLE, TOOLTIP, Index
from planner.ui.models.table import HeadedTableModel

MONEY_COLUMNS = (4, 5, 6)


def pounds(amount: Decimal | int | None) -> str:
    return format_pounds(amount) if amount is not None else ""


class BenefitsModel(HeadedTableModel):
    HEADERS = ("Action", "Benefit", "Type", "Received by", "Planned", "Realised", "Validated")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BenefitRow] = []

    def set_rows(self, rows: list[BenefitRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[BenefitRow]:
        return list(self._rows)

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        if role == ALIGNMENT and section in MONEY_COLUMNS:
            return RIGHT
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == ID_ROLE:
            return row.id
        if role == ALIGNMENT and column in MONEY_COLUMNS:
            return RIGHT
        if role in (DISPLAY, ACCESSIBLE):
            return self._text(row, column)
        if role == TOOLTIP:
            if column == 1:
                return f"{row.title}\n{row.evidence}".strip()
            if column == 6 and row.realised and not row.validated:
                return "Realised but not yet validated: it may not be quoted as a saving"
        return None

    def _text(self, row: BenefitRow, column: int) -> str:
        if column == 0:
            return row.action_ref
        if column == 1:
            return row.title
        if column == 2:
            return row.kind.label
        if column == 3:
            return row.partner
        if row.kind is BenefitType.QUALITATIVE:
            return "—" if column == 4 else ""
        return pounds((row.planned, row.realised, row.validated)[column - 4])


class TotalsModel(HeadedTableModel):
    """Planned, realised and validated by one grouping, with a total row at the foot."""

    HEADERS = ("", "Planned", "Realised", "Validated")

    def __init__(self, heading: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = (heading, *TotalsModel.HEADERS[1:])
        self._rows: list[tuple[str, BenefitTotal]] = []
        self._bold = QFont()
        self._bold.setWeight(QFont.Weight.DemiBold)

    def set_totals(self, totals: list[tuple[str, BenefitTotal]], total: BenefitTotal) -> None:
        self.beginResetModel()
        self._rows = [*totals, ("Total", total)] if totals else []
        self.endResetModel()

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        if role == ALIGNMENT and section > 0:
            return RIGHT
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        label, total = self._rows[index.row()]
        column = index.column()
        if role == FONT and index.row() == len(self._rows) - 1:
            return self._bold
        if role == ALIGNMENT and column > 0:
            return RIGHT
        if role in (DISPLAY, ACCESSIBLE):
            if column == 0:
                return label
            return pounds((total.planned, total.realised, total.validated)[column - 1])
        return None
