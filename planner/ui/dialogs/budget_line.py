"""Budget for a year: an action's budget for one financial year, what it has spent of it
so far, and a note."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from planner.domain.periods import Period
from planner.ui.dialogs.form import FormDialog, multiline
from planner.ui.dialogs.money_fields import pounds_edit, pounds_problem, pounds_value, year_combo


@dataclass(frozen=True)
class BudgetLineValues:
    year: int  # the calendar year the financial year starts in
    budget: int
    spent: int
    note: str = ""

    def record(self) -> dict[str, object]:
        """The values for CreateRecord or EditRecord("budget_line", ...), less the action."""
        return {"year": self.year, "budget": self.budget, "spent": self.spent, "note": self.note}


class BudgetLineDialog(FormDialog[BudgetLineValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        status_year: Period,
        initial: BudgetLineValues | None = None,
        *,
        adding: bool = True,
    ) -> None:
        super().__init__(
            parent,
            "Add budget" if adding else "Change budget",
            "Add budget" if adding else "Save",
            f"Action {action_label}'s budget for one financial year and what it has spent "
            "of it so far, in whole pounds.",
        )
        self.setObjectName("budgetLineDialog")
        self.year = year_combo(self, "budgetYear", status_year, initial.year if initial else None)
        self.budget = pounds_edit(
            self, "budgetAmount", initial.budget if initial else None, "e.g. £250,000 or £250k"
        )
        self.spent = pounds_edit(self, "budgetSpent", initial.spent if initial else None, "£0")
        self.note = multiline(self, "Why the spend is where it is (optional)", lines=3)
        self.note.setObjectName("budgetNote")
        if initial is not None:
            self.note.setPlainText(initial.note)
        self.add_row("Financial &year:", self.year)
        self.add_row("&Budget:", self.budget)
        self.add_row("&Spent to date:", self.spent, "Spent to date")
        self.add_row("&Note:", self.note)
        self.budget.textChanged.connect(self.refresh)
        self.spent.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if not self.budget.text().strip():
            return "Give the year's budget."
        return pounds_problem(self.budget, "Budget") or pounds_problem(self.spent, "Spent")

    def values(self) -> BudgetLineValues:
        return BudgetLineValues(
            year=int(self.year.currentData()),
            budget=pounds_value(self.budget) or 0,
            spent=pounds_value(self.spent) or 0,
            note=self.note.toPlainText().strip(),
        )
