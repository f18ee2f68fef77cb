"""Add period: a measure's target and actual for one quarter or financial year."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.periods import Period
from planner.ui.dialogs.form import FormDialog, fill_combo, select_data


@dataclass(frozen=True)
class PeriodValues:
    period: Period
    target: str = ""  # as typed; the core reads the number (and refuses what is not one)
    actual: str = ""

    def record(self, measure_id: int) -> dict[str, object]:
        """The values for CreateRecord("measure_value", ...)."""
        return {
            "measure_id": measure_id,
            "year": self.period.year,
            "quarter": self.period.quarter or 0,
            "target": self.target,
            "actual": self.actual,
        }


class PeriodDialog(FormDialog[PeriodValues]):
    """Offers the periods from `first` onwards; quarters unless the measure is annual."""

    def __init__(
        self,
        parent: QWidget | None,
        measure_name: str,
        suggested: Period,
        *,
        quarterly: bool,
        taken: frozenset[Period] = frozenset(),
    ) -> None:
        super().__init__(parent, "Add period", "Add period", f"A new figure for “{measure_name}”.")
        self.setObjectName("periodDialog")
        self._taken = taken
        self.period = QComboBox(self)
        self.period.setObjectName("periodChoice")
        start = Period(suggested.year - 3, 1 if quarterly else None)
        choices: list[tuple[object, str]] = []
        step = start
        while step.year <= suggested.year + 3:
            choices.append((step, step.label))
            step = step.next()
        fill_combo(self.period, choices)
        select_data(self.period, suggested)
        self.target = QLineEdit(self)
        self.target.setObjectName("periodTarget")
        self.target.setPlaceholderText("e.g. 40")
        self.actual = QLineEdit(self)
        self.actual.setObjectName("periodActual")
        self.actual.setPlaceholderText("leave empty until the figure is in")
        self.add_row("&Period:", self.period)
        self.add_row("&Target:", self.target)
        self.add_row("&Actual:", self.actual)
        self.period.currentIndexChanged.connect(lambda _n: self.refresh())
        self.refresh()

    def missing(self) -> str:
        chosen = self.period.currentData()
        if chosen in self._taken:
            return f"This measure already has a figure for {chosen.label}."
        return ""

    def values(self) -> PeriodValues:
        return PeriodValues(
            self.period.currentData(), self.target.text().strip(), self.actual.text().strip()
        )
