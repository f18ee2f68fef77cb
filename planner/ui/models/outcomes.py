"""The outcomes and their measures as a two-level tree: each outcome, then the measures
that show whether it is being reached, with their latest figures judged against target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner.domain.colours import readable_text_on
from planner.domain.measures import MeasureStatus, format_value
from planner.queries.purpose import MeasureRow, OutcomeRow
from planner.ui.models.details import DIRECTIONS
from planner.ui.models.roles import (
    ACCESSIBLE,
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    FONT,
    FOREGROUND,
    ID_ROLE,
    TOOLTIP,
    Index,
)

# The program's own roles for this tree (numbered clear of planner.ui.models.roles).
SERIES_ROLE = Qt.ItemDataRole.UserRole + 41  # a measure's [(target, actual), ...]
OUTCOME_ID_ROLE = Qt.ItemDataRole.UserRole + 42  # the outcome a row belongs to (0: none)

# RAG colours when the plan has no rating with the status's letter
DEFAULT_RAG = {"G": "#2E7D32", "A": "#F0B400", "R": "#C62828"}
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NO_OUTCOME = "Measures not linked to an outcome"


@dataclass(frozen=True)
class Group:
    """One top-level row: an outcome (None for the measures of no outcome)."""

    outcome: OutcomeRow | None
    measures: tuple[MeasureRow, ...]

    @property
    def id(self) -> int:
        return self.outcome.id if self.outcome else 0

    @property
    def title(self) -> str:
        return NO_OUTCOME if self.outcome is None else self.outcome.title

    @property
    def served_by(self) -> str:
        """'Theme 1 · Actions 1.2, 1.3' in words, or '' when nothing serves it."""
        outcome = self.outcome
        if outcome is None:
            return ""
        parts = []
        if outcome.themes:
            noun = "Theme" if len(outcome.themes) == 1 else "Themes"
            parts.append(f"{noun} {', '.join(str(n) for n in outcome.themes)}")
        if outcome.actions:
            noun = "Action" if len(outcome.actions) == 1 else "Actions"
            parts.append(f"{noun} {', '.join(outcome.actions)}")
        return " · ".join(parts)


def status_words(status: MeasureStatus | None) -> str:
    return status.label if status is not None else "No figure"


def travel_words(travel: str | None) -> str:
    return DIRECTIONS[travel][0] if travel in DIRECTIONS else ""


class OutcomesModel(QAbstractItemModel):
    """Outcomes (top level) and their measures (children); it runs no queries."""

    # the columns' keys and headings, the figures that matter most first
    KEYS = ("name", "status", "latest", "actual", "target", "travel", "trend", "owner", "unit")
    HEADERS = (
        "Outcome / measure",
        "Status",
        "Latest",
        "Actual",
        "Target",
        "Travel",
        "Trend",
        "Owner",
        "Unit",
    )
    STATUS = KEYS.index("status")
    TREND = KEYS.index("trend")
    FIGURES = (KEYS.index("actual"), KEYS.index("target"))
    TRAVEL = KEYS.index("travel")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[Group] = []
        self._rag = dict(DEFAULT_RAG)
        self._bold = QFont()
        self._bold.setWeight(QFont.Weight.DemiBold)

    def set_groups(self, groups: list[Group], rag_colours: dict[str, str]) -> None:
        self.beginResetModel()
        self._groups = groups
        self._rag = {**DEFAULT_RAG, **rag_colours}
        self.endResetModel()

    def groups(self) -> list[Group]:
        return list(self._groups)

    def measure(self, index: Index) -> MeasureRow | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.measures[index.row()] if index.row() < len(group.measures) else None

    def group(self, index: Index) -> Group | None:
        if not index.isValid():
            return None
        number = index.internalId() - 1 if index.internalId() else index.row()
        return self._groups[number] if 0 <= number < len(self._groups) else None

    def measure_index(self, measure_id: int) -> QModelIndex:
        for number, group in enumerate(self._groups):
            for row, measure in enumerate(group.measures):
                if measure.id == measure_id:
                    return self.createIndex(row, 0, number + 1)
        return QModelIndex()

    def outcome_index(self, outcome_id: int) -> QModelIndex:
        for number, group in enumerate(self._groups):
            if group.id == outcome_id:
                return self.createIndex(number, 0, 0)
        return QModelIndex()

    # ----- the tree -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid():
            if parent.internalId() != 0 or not 0 <= parent.row() < len(self._groups):
                return QModelIndex()
            if 0 <= row < len(self._groups[parent.row()].measures):
                return self.createIndex(row, column, parent.row() + 1)
            return QModelIndex()
        if 0 <= row < len(self._groups) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, 0)
        return QModelIndex()

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].measures)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.HEADERS[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == ALIGNMENT
            and section in self.FIGURES
        ):
            return RIGHT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        measure = self.measure(index)
        if measure is None:
            return self._group_data(index, role)
        return self._measure_data(measure, index.column(), role)

    def _group_data(self, index: Index, role: int) -> Any:
        group = self.group(index)
        if group is None:
            return None
        if role in (DISPLAY, ACCESSIBLE) and index.column() == 0:
            served = group.served_by
            return f"{group.title}   — {served}" if served else group.title
        if role == FONT:
            return self._bold
        if role == TOOLTIP and group.outcome is not None:
            lines = [group.outcome.title, group.outcome.description, group.served_by]
            return "\n".join(line for line in lines if line)
        if role in (ID_ROLE, OUTCOME_ID_ROLE):
            return group.id if role == OUTCOME_ID_ROLE else None
        if role == BACKGROUND:
            return QBrush(QColor("#EEF3F8"))
        return None

    def _measure_data(self, measure: MeasureRow, column: int, role: int) -> Any:
        if role == ID_ROLE:
            return measure.id
        if role == OUTCOME_ID_ROLE:
            return measure.outcome_id or 0
        if role == SERIES_ROLE:
            return [(p.target, p.actual) for p in measure.series] if column == self.TREND else None
        if role == ALIGNMENT and column in self.FIGURES:
            return RIGHT
        if column == self.STATUS and measure.status is not None:
            colour = self._rag.get(measure.status.rag, "#FFFFFF")
            if role == BACKGROUND:
                return QBrush(QColor(colour))
            if role == FOREGROUND:
                return QBrush(QColor(readable_text_on(colour)))
        if column == self.TRAVEL and role == FOREGROUND and measure.travel in DIRECTIONS:
            return QBrush(QColor(DIRECTIONS[measure.travel][1]))
        if role in (DISPLAY, ACCESSIBLE):
            return self._text(measure, column, role == ACCESSIBLE)
        if role == TOOLTIP:
            return self._tooltip(measure, column)
        return None

    def _text(self, measure: MeasureRow, column: int, spoken: bool) -> str:
        key = self.KEYS[column]
        if key == "trend":
            if not spoken:
                return ""
            shown = [format_value(p.actual, measure.unit) for p in measure.series if p.actual]
            return "Actuals: " + ", ".join(shown[-6:]) if shown else "No actuals"
        texts = {
            "name": lambda: measure.name,
            "unit": lambda: measure.unit.label,
            "owner": lambda: measure.owner,
            "latest": lambda: measure.latest.label if measure.latest else "",
            "actual": lambda: format_value(measure.actual, measure.unit),
            "target": lambda: format_value(measure.target, measure.unit),
            "status": lambda: status_words(measure.status),
            "travel": lambda: travel_words(measure.travel),
        }
        return texts[key]()

    def _tooltip(self, measure: MeasureRow, column: int) -> str | None:
        if column == self.STATUS and measure.status is not None and measure.latest:
            return (
                f"{status_words(measure.status)} in {measure.latest.label}: "
                f"{format_value(measure.actual, measure.unit)} against a target of "
                f"{format_value(measure.target, measure.unit)}"
            )
        if column == 0:
            return f"{measure.name}\n{measure.better.label}; {measure.frequency.label.lower()}"
        if column == self.TREND:
            return "Actuals (solid) against targets (dashed), every period"
        return None
