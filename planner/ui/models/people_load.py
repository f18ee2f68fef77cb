"""People's load as a table: a row per organisation heading and per person; columns
for job title, actions by RACI role, all actions, then open milestones due in each UK
financial quarter. A cell's shade deepens with its count (the number is always shown);
a count over its limit is bold and framed.

It runs no queries: the view gives it a PeopleLoad (`set_load`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner.domain import RaciRole
from planner.domain.dates import format_uk
from planner.domain.timescale import Band
from planner.queries.people_load import (
    ACCOUNTABLE_LIMIT,
    MILESTONES_PER_QUARTER_LIMIT,
    RACI_ORDER,
    LoadPerson,
    PeopleLoad,
)
from planner.ui.models.roles import (
    BAND_ROLE,
    BAND_SHORT_ROLE,
    COUNT_ROLE,
    JOB_TITLE_ROLE,
    OVER_LIMIT_ROLE,
    PERSON_ID_ROLE,
    QUARTER_ROLE,
    RACI_ROLE,
    Index,
)

NAME, FIRST_RACI = 0, 1
ALL_ACTIONS = FIRST_RACI + len(RACI_ORDER)
FIRST_QUARTER = ALL_ACTIONS + 1
ACCOUNTABLE_COLUMN = FIRST_RACI + RACI_ORDER.index(RaciRole.ACCOUNTABLE)
FROZEN = FIRST_QUARTER  # people and their actions stay in view; quarters scroll

HEAT = tuple(QColor(c) for c in ("#EDF4FA", "#DBE9F5", "#C4DBEF", "#A9C9E6"))
OVER_FILL = QColor("#F7D3A6")
HEADING_FILL = QColor("#EEF2F6")
OVERDUE_TEXT = QColor("#9B2C1F")
NUMBER = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RACI_BAND = "Actions by RACI role"


def heat(count: int, scale: int) -> QColor | None:
    """The shade for `count` on a scale where `scale` is the deepest."""
    if count <= 0:
        return None
    step = math.ceil(min(count / max(scale, 1), 1.0) * len(HEAT)) - 1
    return HEAT[max(step, 0)]


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class _Row:
    organisation: str
    person: LoadPerson | None  # None: the organisation's heading


class PeopleLoadModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._counts: list[list[int]] = []  # per row, the count in each column from R on
        self._quarters: list[Band] = []
        self._now: int | None = None  # the quarter holding the status date
        self._scales: dict[int, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_load(self, load: PeopleLoad, people: list[LoadPerson] | None = None) -> None:
        """Show `people` (all of `load`'s when None) under `load`'s quarters."""
        shown = load.people if people is None else people
        self.beginResetModel()
        self._quarters = list(load.quarters)
        self._now = load.quarter_of(load.status_date)
        self._rows = []
        for person in shown:
            organisation = person.organisation or "No organisation"
            if not self._rows or self._rows[-1].organisation != organisation:
                self._rows.append(_Row(organisation, None))
            self._rows.append(_Row(organisation, person))
        columns = range(FIRST_RACI, FIRST_QUARTER + len(self._quarters))
        self._counts = [
            [self._count(row.person, column) for column in columns] if row.person else []
            for row in self._rows
        ]
        # R, C, I and All shade against the busiest person; A and quarters against limits.
        self._scales = {
            column: max((c[column - FIRST_RACI] for c in self._counts if c), default=1)
            for column in range(FIRST_RACI, FIRST_QUARTER)
        }
        self._scales[ACCOUNTABLE_COLUMN] = ACCOUNTABLE_LIMIT
        self.endResetModel()

    def heading_rows(self) -> list[int]:
        return [number for number, row in enumerate(self._rows) if row.person is None]

    def person(self, row: int) -> LoadPerson | None:
        return self._rows[row].person if 0 <= row < len(self._rows) else None

    def quarter(self, column: int) -> Band | None:
        number = column - FIRST_QUARTER
        return self._quarters[number] if 0 <= number < len(self._quarters) else None

    def raci(self, column: int) -> RaciRole | None:
        number = column - FIRST_RACI
        return RACI_ORDER[number] if 0 <= number < len(RACI_ORDER) else None

    def _count(self, person: LoadPerson, column: int) -> int:
        role = self.raci(column)
        if role is not None:
            return person.raci.get(role.value, 0)
        if column == ALL_ACTIONS:
            return person.actions
        return person.open_due.get(column - FIRST_QUARTER, 0)

    def _limit(self, column: int) -> int | None:
        if column == ACCOUNTABLE_COLUMN:
            return ACCOUNTABLE_LIMIT
        if column >= FIRST_QUARTER:
            return MILESTONES_PER_QUARTER_LIMIT
        return None

    def _past(self, column: int) -> bool:
        """A quarter wholly before the status date's: its open milestones are overdue."""
        return self._now is not None and FIRST_QUARTER <= column < FIRST_QUARTER + self._now

    # ----- the table -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_QUARTER + len(self._quarters)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].person is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        person = row.person
        if person is None:
            if role == Qt.ItemDataRole.DisplayRole and column == NAME:
                return row.organisation
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(HEADING_FILL)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        if role == PERSON_ID_ROLE:
            return person.id
        if column == NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return person.name
            if role == JOB_TITLE_ROLE:
                return person.job_title
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "\n".join(
                        part
                        for part in (person.name, person.job_title, person.organisation)
                        if part
                    )
                    + "\nDouble-click to show only their actions"
                )
            return None
        count = self._counts[index.row()][column - FIRST_RACI]
        limit = self._limit(column)
        over = limit is not None and count > limit
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else ""
        if role == COUNT_ROLE:
            return count
        if role == OVER_LIMIT_ROLE:
            return over
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return NUMBER
        if role == Qt.ItemDataRole.BackgroundRole:
            fill = OVER_FILL if over else heat(count, self._scales.get(column, 1))
            return QBrush(fill) if fill is not None else None
        if role == Qt.ItemDataRole.FontRole:
            if over:
                return self._bold
            if count and self._past(column):
                return self._italic
            return None
        if role == Qt.ItemDataRole.ForegroundRole and count and self._past(column) and not over:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.summary(person, column)
        return None

    def summary(self, person: LoadPerson, column: int) -> str:
        """What a count cell means, in a sentence."""
        count = self._count(person, column)
        limit = self._limit(column)
        heavy = f" (more than {limit}: a heavy load)" if limit and count > limit else ""
        role = self.raci(column)
        if role is not None:
            return f"{person.name} is {role.label} on {_plural(count, 'action')}{heavy}"
        if column == ALL_ACTIONS:
            return f"{person.name} is named on {_plural(count, 'action')} in any role"
        band = self.quarter(column)
        if band is None:
            return ""
        text = f"{person.name} owns {_plural(count, 'open milestone')} due in {band.label}"
        if count and self._past(column):
            text += ", now overdue"
        done = person.completed_due.get(column - FIRST_QUARTER, 0)
        if done:
            text += f" ({done} more completed, not counted)"
        return text + heavy

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        raci = self.raci(section)
        band = self.quarter(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == NAME:
                return "Person and job title"
            if raci is not None:
                return raci.value
            if section == ALL_ACTIONS:
                return "All"
            if band is not None:
                now = section - FIRST_QUARTER == self._now
                return f"{band.short_label}\nnow" if now else band.short_label
        if role == BAND_ROLE:
            if raci is not None or section == ALL_ACTIONS:
                return RACI_BAND
            if band is not None:
                return band.label.split()[-1]  # the financial year, "2012/13"
            return ""
        if role == BAND_SHORT_ROLE and band is not None:
            return band.label.split()[-1][2:]  # "12/13"
        if role == RACI_ROLE and raci is not None:
            return raci.value
        if role == QUARTER_ROLE:
            return band
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= FIRST_RACI:
            return NUMBER
        if role == Qt.ItemDataRole.ToolTipRole:
            if raci is RaciRole.ACCOUNTABLE:
                return f"Accountable (lead officer): bold over {ACCOUNTABLE_LIMIT} actions"
            if raci is not None:
                return raci.label
            if section == ALL_ACTIONS:
                return "Actions they are named on, in any role"
            if band is not None:
                return (
                    f"Open milestones they own due in {band.label} "
                    f"({format_uk(band.first)} to {format_uk(band.end - timedelta(days=1))}); "
                    f"bold over {MILESTONES_PER_QUARTER_LIMIT}"
                )
        return None
