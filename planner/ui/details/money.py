"""The Money tab: the action's spend against its profile, its budget by year with what is
spent and unfunded, who funds it, the benefits it brings with their figures by year, and
the measures that name it. Budget, funding and benefits are added, changed and deleted
through small dialogs, each change one undoable step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.domain.periods import Period
from planner.queries.action_purpose import ActionPurpose
from planner.queries.benefits import BenefitRow, BenefitYear, MoneyYear
from planner.queries.detail import ActionDetail
from planner.ui.details.host import Host, Lookups
from planner.ui.details.money_edits import MoneyEdits
from planner.ui.details.money_parts import (
    ALARM,
    SPEND_RAG,
    Cell,
    FiguresTable,
    chip_style,
    measure_status_text,
    measure_words,
    pounds,
    rag_colour,
    spend_detail,
    spend_words,
    status_chip,
)
from planner.ui.details.widgets import (
    buttons_row,
    clear_layout,
    details_button,
    muted_label,
    section_title,
)
from planner.ui.models.details import NOT_RATED_COLOUR


class MoneyPage(QWidget):
    """See the module's docstring. `fill(purpose, detail, lookups)` shows an action."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moneyPage")
        self._host = host
        self.purpose: ActionPurpose | None = None
        self._editable = True
        self.edits = MoneyEdits(host, self, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)

        layout.addWidget(section_title("Spend this year", self))
        spend_row = QHBoxLayout()
        spend_row.setSpacing(8)
        self.spend_chip = QLabel(self)
        self.spend_chip.setObjectName("spendFlag")
        self.spend_words = QLabel(self)
        self.spend_words.setObjectName("spendWords")
        self.spend_words.setWordWrap(True)
        spend_row.addWidget(self.spend_chip, 0, Qt.AlignmentFlag.AlignTop)
        spend_row.addWidget(self.spend_words, 1)
        layout.addLayout(spend_row)
        self.spend_detail = muted_label("", self, "spendDetail")
        layout.addWidget(self.spend_detail)

        layout.addSpacing(6)
        layout.addWidget(section_title("Budget by year", self))
        self.budget_table = FiguresTable(
            self,
            "budgetTable",
            "Budget by year",
            ["Year", "Budget", "Spent", "Unfunded"],
            money=(1, 2, 3),
        )
        self.budget_notes = muted_label("", self, "budgetNotes")
        self.add_budget_button = details_button(
            "Add budget…", self, "addBudgetButton", self.edits.add_budget
        )
        self.change_budget_button = details_button(
            "Change…", self, "changeBudgetButton", self.edits.change_budget
        )
        self.delete_budget_button = details_button(
            "Delete…", self, "deleteBudgetButton", self.edits.delete_budget
        )
        layout.addWidget(self.budget_table)
        layout.addWidget(self.budget_notes)
        layout.addLayout(
            buttons_row(
                self.add_budget_button, self.change_budget_button, self.delete_budget_button
            )
        )

        layout.addSpacing(6)
        layout.addWidget(section_title("Funding", self))
        self.funding_table = FiguresTable(
            self,
            "fundingTable",
            "Funding by funder",
            ["Funder", "Year", "Amount"],
            money=(2,),
        )
        self.add_funding_button = details_button(
            "Add funding…", self, "addFundingButton", self.edits.add_funding
        )
        self.change_funding_button = details_button(
            "Change…", self, "changeFundingButton", self.edits.change_funding
        )
        self.delete_funding_button = details_button(
            "Delete…", self, "deleteFundingButton", self.edits.delete_funding
        )
        self.funding_note = muted_label(
            "No funding recorded yet. Add what each partner body puts in.", self, "fundingNote"
        )
        layout.addWidget(self.funding_table)
        layout.addWidget(self.funding_note)
        layout.addLayout(
            buttons_row(
                self.add_funding_button, self.change_funding_button, self.delete_funding_button
            )
        )

        layout.addSpacing(6)
        layout.addWidget(section_title("Benefits", self))
        self.benefits_note = muted_label("", self, "benefitsNote")
        self.benefits_table = FiguresTable(
            self,
            "benefitsTable",
            "Benefits by year",
            ["Year", "Planned", "Realised", "Validated"],
            stretch=3,
            money=(1, 2),
        )
        self.add_benefit_button = details_button(
            "Add benefit…", self, "addBenefitButton", self.edits.add_benefit
        )
        self.add_benefit_year_button = details_button(
            "Add a year's figures…", self, "addBenefitYearButton", self.edits.add_benefit_year
        )
        self.change_benefit_button = details_button(
            "Change…", self, "changeBenefitButton", self.edits.change_benefit
        )
        self.delete_benefit_button = details_button(
            "Delete…", self, "deleteBenefitButton", self.edits.delete_benefit
        )
        layout.addWidget(self.benefits_note)
        layout.addWidget(self.benefits_table)
        # Two rows: four buttons side by side are wider than the pane.
        layout.addLayout(buttons_row(self.add_benefit_button, self.add_benefit_year_button))
        layout.addLayout(buttons_row(self.change_benefit_button, self.delete_benefit_button))

        layout.addSpacing(6)
        layout.addWidget(section_title("Measures", self))
        self.measures_box = QWidget(self)
        self.measures_box.setObjectName("actionMeasures")
        self.measures_layout = QVBoxLayout(self.measures_box)
        self.measures_layout.setContentsMargins(0, 0, 0, 0)
        self.measures_layout.setSpacing(8)
        layout.addWidget(self.measures_box)
        layout.addStretch(1)

        self.budget_table.doubleClicked.connect(lambda _index: self.edits.change_budget())
        self.funding_table.doubleClicked.connect(lambda _index: self.edits.change_funding())
        self.benefits_table.doubleClicked.connect(lambda _index: self.edits.change_benefit())

    @property
    def buttons(self) -> list[QPushButton]:
        return [
            self.add_budget_button,
            self.change_budget_button,
            self.delete_budget_button,
            self.add_funding_button,
            self.change_funding_button,
            self.delete_funding_button,
            self.add_benefit_button,
            self.add_benefit_year_button,
            self.change_benefit_button,
            self.delete_benefit_button,
        ]

    # ----- showing ------------------------------------------------------------------

    def fill(self, purpose: ActionPurpose, detail: ActionDetail, lookups: Lookups) -> None:
        self.purpose = purpose
        self._fill_spend(purpose, detail.status_date, lookups)
        self._fill_budget(purpose)
        self._fill_funding(purpose)
        self._fill_benefits(purpose)
        self._fill_measures(purpose, lookups)
        self._enable_buttons()

    def clear(self) -> None:
        self.purpose = None
        for table in (self.budget_table, self.funding_table, self.benefits_table):
            table.set_rows([])
        clear_layout(self.measures_layout)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        """Add while the plan may be changed; change and delete when there is a row."""
        editable = self._editable
        purpose = self.purpose
        budgets = bool(purpose and any(y.budget_line_id for y in purpose.money.years))
        funding = bool(purpose and purpose.money.funding)
        benefits = bool(purpose and purpose.benefits)
        for button, has_rows in (
            (self.add_budget_button, True),
            (self.change_budget_button, budgets),
            (self.delete_budget_button, budgets),
            (self.add_funding_button, True),
            (self.change_funding_button, funding),
            (self.delete_funding_button, funding),
            (self.add_benefit_button, True),
            (self.add_benefit_year_button, benefits),
            (self.change_benefit_button, benefits),
            (self.delete_benefit_button, benefits),
        ):
            button.setEnabled(editable and has_rows)

    def _fill_spend(self, purpose: ActionPurpose, status_date: date, lookups: Lookups) -> None:
        money = purpose.money
        label, words = spend_words(money, status_date)
        flag = money.flag
        if flag is None:
            self.spend_chip.hide()
        else:
            code = SPEND_RAG[flag]
            self.spend_chip.setText(label)
            self.spend_chip.setStyleSheet(chip_style(rag_colour(lookups.rag(code), code)))
            self.spend_chip.show()
        self.spend_words.setText(words)
        self.spend_words.setAccessibleName(f"{label}: {words}" if label else words)
        detail = spend_detail(money, status_date)
        self.spend_detail.setText(detail)
        self.spend_detail.setVisible(bool(detail))

    def _fill_budget(self, purpose: ActionPurpose) -> None:
        rows: list[tuple[int | None, str, list[Cell]]] = []
        notes: list[str] = []
        for year in purpose.money.years:
            rows.append((year.budget_line_id or None, "budget_line", self._budget_cells(year)))
            if year.note:
                notes.append(f"{year.year.label}: {year.note}")
        selected = self.budget_table.selected()
        self.budget_table.set_rows(rows)
        self.budget_table.setVisible(bool(rows))
        if selected:
            self.budget_table.select(*selected)
        if not rows:
            self.budget_notes.setText("No budget recorded yet. Add the budget for each year.")
        else:
            self.budget_notes.setText("\n".join(notes))
        self.budget_notes.setVisible(bool(self.budget_notes.text()))

    @staticmethod
    def _budget_cells(year: MoneyYear) -> list[Cell]:
        label = year.year.label
        funded = f"Funded {pounds(year.funded)} of the {pounds(year.budget)} budget"
        if year.unfunded > 0:
            unfunded = Cell(pounds(year.unfunded), True, f"{funded}.", ALARM)
        elif year.unfunded < 0:
            unfunded = Cell(
                f"{pounds(-year.unfunded)} over", True, f"{funded}: more than the budget."
            )
        else:
            unfunded = Cell("£0", True, f"{funded}: fully funded.")
        spent_tip = f"Spent {pounds(year.spent)} of {pounds(year.budget)} in {label}"
        spent = Cell(pounds(year.spent), True, spent_tip, ALARM if year.overspent else "")
        if year.budget_line_id is None:
            return [
                Cell(label, tooltip="Funding but no budget"),
                Cell("none", True),
                spent,
                unfunded,
            ]
        return [Cell(label), Cell(pounds(year.budget), True), spent, unfunded]

    def _fill_funding(self, purpose: ActionPurpose) -> None:
        lines = sorted(purpose.money.funding, key=lambda line: (line.year, line.funder.casefold()))
        rows: list[tuple[int | None, str, list[Cell]]] = [
            (
                line.id,
                "funding",
                [Cell(line.funder), Cell(line.year.label), Cell(pounds(line.amount), True)],
            )
            for line in lines
        ]
        selected = self.funding_table.selected()
        self.funding_table.set_rows(rows)
        self.funding_table.setVisible(bool(rows))
        self.funding_note.setVisible(not rows)
        if selected:
            self.funding_table.select(*selected)

    def _fill_benefits(self, purpose: ActionPurpose) -> None:
        rows: list[tuple[int | None, str, list[Cell]]] = []
        for benefit in purpose.benefits:
            rows.append((benefit.id, "benefit", [self._benefit_heading(benefit)]))
            for figure in benefit.years:
                rows.append((figure.id, "benefit_value", self._benefit_year_cells(figure)))
        selected = self.benefits_table.selected()
        self.benefits_table.set_rows(rows)
        self.benefits_table.setVisible(bool(rows))
        if selected:
            self.benefits_table.select(*selected)
        if not purpose.benefits:
            self.benefits_note.setText(
                "No benefits recorded yet. Add what the action brings, and to whom."
            )
        else:
            planned = sum(b.planned for b in purpose.benefits)
            realised = sum(b.realised for b in purpose.benefits)
            validated = sum(b.validated for b in purpose.benefits)
            self.benefits_note.setText(
                f"Planned {pounds(planned)}, realised {pounds(realised)}, of which "
                f"{pounds(validated)} validated."
            )

    @staticmethod
    def _benefit_heading(benefit: BenefitRow) -> Cell:
        received = f" · received by {benefit.partner}" if benefit.partner else ""
        text = f"{benefit.title}\n{benefit.kind.label}{received}"
        return Cell(text, tooltip=benefit.evidence and f"Evidence: {benefit.evidence}", bold=True)

    @staticmethod
    def _benefit_year_cells(figure: BenefitYear) -> list[Cell]:
        if figure.validated and figure.validated_on is not None:
            validated = Cell(
                f"{figure.validated_by}, {figure.validated_on:%d/%m/%Y}",
                tooltip=f"Validated by {figure.validated_by} on {figure.validated_on:%d/%m/%Y}",
            )
        elif figure.realised is not None:
            validated = Cell("Not yet", colour=ALARM, tooltip="The realised value is not validated")
        else:
            validated = Cell("")
        return [
            Cell(figure.year.label),
            Cell(pounds(figure.planned), True),
            Cell(
                pounds(figure.realised),
                True,
                "" if figure.realised is not None else "Not known yet",
            ),
            validated,
        ]

    def _fill_measures(self, purpose: ActionPurpose, lookups: Lookups) -> None:
        clear_layout(self.measures_layout)
        if not purpose.measures:
            self.measures_layout.addWidget(
                muted_label("No measure names this action.", self.measures_box, "noMeasures")
            )
            return
        for measure in purpose.measures:
            block = QWidget(self.measures_box)
            block.setObjectName("actionMeasure")
            grid = QGridLayout(block)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(2)
            name = QLabel(measure.name, block)
            name.setObjectName("measureName")
            name.setWordWrap(True)
            words, code = measure_status_text(measure.status)
            colour = rag_colour(lookups.rag(code), code) if code else NOT_RATED_COLOUR
            chip = status_chip(block, words, colour, "measureStatus")
            figures = muted_label(measure_words(measure), block, "measureFigures")
            grid.addWidget(name, 0, 0)
            grid.addWidget(chip, 0, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(figures, 1, 0, 1, 2)
            grid.setColumnStretch(0, 1)
            block.setAccessibleName(f"{measure.name}: {words}. {measure_words(measure)}")
            self.measures_layout.addWidget(block)

    # ----- what the edits ask --------------------------------------------------------

    def status_year(self) -> Period:
        detail = self._host.detail
        return Period.year_of(detail.status_date if detail else date.today())
