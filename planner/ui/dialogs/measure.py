"""Add measure: how the plan will know whether an outcome is being reached."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.measures import Better, Frequency, Unit
from planner.ui.dialogs.form import (
    NO_OWNER,
    FormDialog,
    Options,
    fill_combo,
    multiline,
    select_data,
)

NO_SOURCE = "(not recorded)"
NO_OUTCOME = "(no outcome)"


@dataclass(frozen=True)
class MeasureValues:
    name: str
    unit: Unit
    better: Better
    frequency: Frequency
    outcome_id: int | None = None
    owner_id: int | None = None
    source_id: int | None = None
    baseline: str = ""  # as typed; the core reads the number
    definition: str = ""

    def record(self) -> dict[str, object]:
        """The values for CreateRecord("measure", ...)."""
        return {
            "name": self.name,
            "unit": self.unit.value,
            "better": self.better.value,
            "frequency": self.frequency.value,
            "outcome_id": self.outcome_id,
            "owner_id": self.owner_id,
            "source_id": self.source_id,
            "baseline_value": self.baseline,
            "definition": self.definition,
        }


def _enum_combo(parent: QWidget, choices: type[Unit] | type[Better] | type[Frequency]) -> QComboBox:
    combo = QComboBox(parent)
    fill_combo(combo, [(member, member.label) for member in choices])
    return combo


class MeasureDialog(FormDialog[MeasureValues]):
    def __init__(
        self,
        parent: QWidget | None,
        outcomes: Options,
        people: Options,
        partners: Options,
        outcome_id: int | None = None,
        initial: MeasureValues | None = None,
    ) -> None:
        verb = "Change" if initial is not None else "Add"
        super().__init__(
            parent,
            f"{verb} measure",
            f"{verb} measure",
            "A measure is a figure collected each quarter or year that shows whether an "
            "outcome is being reached; its targets and actuals are added as periods.",
        )
        self.setObjectName("measureDialog")
        self.name = QLineEdit(self)
        self.name.setObjectName("measureName")
        self.name.setMaxLength(300)
        self.name.setPlaceholderText("e.g. Share of the top ten transactions completed online")
        self.definition = multiline(self, "How the figure is worked out (optional)", lines=2)
        self.outcome = QComboBox(self)
        fill_combo(self.outcome, outcomes, NO_OUTCOME)
        select_data(self.outcome, outcome_id)
        self.unit = _enum_combo(self, Unit)
        self.better = _enum_combo(self, Better)
        self.frequency = _enum_combo(self, Frequency)
        self.owner = QComboBox(self)
        fill_combo(self.owner, people, NO_OWNER)
        self.source = QComboBox(self)
        fill_combo(self.source, partners, NO_SOURCE)
        self.baseline = QLineEdit(self)
        self.baseline.setObjectName("measureBaseline")
        self.baseline.setPlaceholderText("the figure before the plan began (optional)")
        self.add_row("&Measure:", self.name)
        self.add_row("&Definition:", self.definition)
        self.add_row("Ou&tcome:", self.outcome)
        self.add_row("&Unit:", self.unit)
        self.add_row("&Better when:", self.better, "Which way is better")
        self.add_row("&Frequency:", self.frequency)
        self.add_row("O&wner:", self.owner)
        self.add_row("&Source:", self.source, "Partner body the figures come from")
        self.add_row("Base&line:", self.baseline)
        if initial is not None:
            self.name.setText(initial.name)
            self.definition.setPlainText(initial.definition)
            select_data(self.outcome, initial.outcome_id)
            select_data(self.unit, initial.unit)
            select_data(self.better, initial.better)
            select_data(self.frequency, initial.frequency)
            select_data(self.owner, initial.owner_id)
            select_data(self.source, initial.source_id)
            self.baseline.setText(initial.baseline)
        self.name.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        return "" if self.name.text().strip() else "Give the measure a name."

    def values(self) -> MeasureValues:
        return MeasureValues(
            name=self.name.text().strip(),
            unit=self.unit.currentData(),
            better=self.better.currentData(),
            frequency=self.frequency.currentData(),
            outcome_id=self.outcome.currentData(),
            owner_id=self.owner.currentData(),
            source_id=self.source.currentData(),
            baseline=self.baseline.text().strip(),
            definition=self.definition.toPlainText().strip(),
        )
