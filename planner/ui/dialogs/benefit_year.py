"""A benefit's figures for a year: planned and realised, and who validated the realised
figure and when (only validated savings reach a headline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from planner.domain.periods import Period
from planner.ui.delegates import from_qdate
from planner.ui.dialogs.form import FormDialog, Options, date_edit, fill_combo, select_data
from planner.ui.dialogs.money_fields import pounds_edit, pounds_problem, pounds_value, year_combo

NOT_VALIDATED = "(not validated yet)"


@dataclass(frozen=True)
class BenefitYearValues:
    year: int  # the calendar year the financial year starts in
    planned: int | None
    realised: int | None
    validated_by_id: int | None = None
    validated_on: date | None = None

    def record(self) -> dict[str, object]:
        """The values for CreateRecord or EditRecord("benefit_value", ...), less the benefit."""
        return {
            "year": self.year,
            "planned": self.planned,
            "realised": self.realised,
            "validated_by_id": self.validated_by_id,
            "validated_on": self.validated_on,
        }


class BenefitYearDialog(FormDialog[BenefitYearValues]):
    def __init__(
        self,
        parent: QWidget | None,
        benefit_title: str,
        people: Options,
        status_year: Period,
        status_date: date,
        initial: BenefitYearValues | None = None,
        *,
        adding: bool = True,
    ) -> None:
        super().__init__(
            parent,
            "Add a year's figures" if adding else "Change a year's figures",
            "Add figures" if adding else "Save",
            f"Planned and realised value of '{benefit_title}' in one financial year, in "
            "whole pounds. A realised figure counts towards the headline savings once "
            "someone has validated it.",
        )
        self.setObjectName("benefitYearDialog")
        self.year = year_combo(self, "benefitYear", status_year, initial.year if initial else None)
        self.planned = pounds_edit(
            self, "benefitPlanned", initial.planned if initial else None, "e.g. £450,000"
        )
        self.realised = pounds_edit(
            self, "benefitRealised", initial.realised if initial else None, "not known yet"
        )
        self.validator = QComboBox(self)
        self.validator.setObjectName("benefitValidator")
        fill_combo(self.validator, people, NOT_VALIDATED)
        on = initial.validated_on if initial and initial.validated_on else status_date
        self.validated_on: QDateEdit = date_edit(self, on)
        self.validated_on.setObjectName("benefitValidatedOn")
        if initial is not None:
            select_data(self.validator, initial.validated_by_id)
        self.add_row("Financial &year:", self.year)
        self.add_row("&Planned:", self.planned, "Planned value")
        self.add_row("&Realised:", self.realised, "Realised value")
        self.add_row("&Validated by:", self.validator, "Validated by")
        self.add_row("Validated &on:", self.validated_on, "Validated on")
        for editor in (self.planned, self.realised):
            editor.textChanged.connect(self.refresh)
        self.validator.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.validated_on.setEnabled(self.validator.currentData() is not None)
        super().refresh()

    def missing(self) -> str:
        if not (self.planned.text().strip() or self.realised.text().strip()):
            return "Give the planned value, the realised value, or both."
        problem = pounds_problem(self.planned, "Planned") or pounds_problem(
            self.realised, "Realised"
        )
        if problem:
            return problem
        if self.validator.currentData() is not None and not self.realised.text().strip():
            return "Only a realised value can be validated: give it, or choose no validator."
        return ""

    def values(self) -> BenefitYearValues:
        validator = self.validator.currentData()
        return BenefitYearValues(
            year=int(self.year.currentData()),
            planned=pounds_value(self.planned),
            realised=pounds_value(self.realised),
            validated_by_id=int(validator) if validator is not None else None,
            validated_on=from_qdate(self.validated_on.date()) if validator is not None else None,
        )
