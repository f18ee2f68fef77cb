"""The dashboard's tiles for what the plan is for: validated savings against planned
savings, this financial year and to date, and the measures on target, within tolerance
or off target, counted in their RAG colours with the words beside them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from planner.domain import RagDefinition
from planner.domain.measures import MeasureStatus
from planner.domain.money import format_pounds
from planner.queries.action_purpose import PurposeGlance
from planner.ui.models.rag import text_colour_on
from planner.ui.views.dashboard_tiles import Tile, muted, scaled_font

SAVINGS_MEANING = (
    "Realised cashable and non-cashable savings that someone has validated: the only "
    "savings a board paper may quote. Planned savings are those the benefits register "
    "expects."
)
FALLBACK_COLOURS = {"G": "#2E8B57", "A": "#F0A30A", "R": "#C0392B"}


def whole_pounds(amount: Decimal) -> str:
    return format_pounds(amount.quantize(Decimal(1)))


class SavingsTile(Tile):
    """Validated savings this financial year, against those planned; to date beneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Validated savings", "savingsTile", parent)
        self.detail = muted(QLabel(self))
        self.detail.setObjectName("savingsTileDetail")
        self.detail.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.detail)

    def show_glance(self, glance: PurposeGlance | None, whole_plan_note: str = "") -> None:
        if glance is None:
            self.show_value("–", "Validated savings", "")
            self.detail.setText("")
            return
        year = glance.status_year.label
        this_year = whole_pounds(glance.validated_this_year)
        planned = whole_pounds(glance.planned_this_year)
        to_date = whole_pounds(glance.validated_to_date)
        planned_to_date = whole_pounds(glance.planned_to_date)
        self.show_value(
            this_year,
            f"Validated savings in {year}, of {planned} planned{whole_plan_note}",
            f"{SAVINGS_MEANING}\n{year}: {this_year} validated of {planned} planned.\n"
            f"To date: {to_date} validated of {planned_to_date} planned.",
        )
        self.detail.setText(f"{to_date} validated to date, of {planned_to_date} planned")
        self.setAccessibleName(
            f"Validated savings {year}: {this_year} of {planned} planned; "
            f"{to_date} to date of {planned_to_date} planned"
        )


class MeasuresTile(Tile):
    """The measures by their latest figure against its target: a count on its RAG colour
    with the status in words, for each of on target, within tolerance and off target."""

    STATUSES = (MeasureStatus.ON_TARGET, MeasureStatus.WITHIN_TOLERANCE, MeasureStatus.OFF_TARGET)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Measures", "measuresTile", parent)
        self.value.hide()  # the counts below say it
        self.counts: dict[MeasureStatus, QLabel] = {}
        self.words: dict[MeasureStatus, QLabel] = {}
        row = QWidget(self)
        row.setObjectName("measuresTileCounts")
        counts = QGridLayout(row)  # each count on its colour, its words beneath
        counts.setContentsMargins(0, 2, 0, 2)
        counts.setHorizontalSpacing(18)
        counts.setVerticalSpacing(2)
        for column, status in enumerate(self.STATUSES):
            name = status.value.title().replace("_", "")
            chip = QLabel("–", row)
            chip.setObjectName(f"measures{name}")
            chip.setFont(scaled_font(self, 1.5, bold=True))
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            words = QLabel(status.label.lower(), row)
            words.setObjectName(f"measures{name}Words")
            counts.addWidget(chip, 0, column, Qt.AlignmentFlag.AlignLeft)
            counts.addWidget(words, 1, column)
            self.counts[status] = chip
            self.words[status] = words
        counts.setColumnStretch(len(self.STATUSES), 1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, row)

    def show_glance(
        self, glance: PurposeGlance | None, rag: dict[str, RagDefinition | None], note: str = ""
    ) -> None:
        if glance is None:
            for chip in self.counts.values():
                chip.setText("–")
                chip.setStyleSheet("")
            self.show_value("", "Measures", "")
            return
        words = []
        for status, chip in self.counts.items():
            count = glance.count(status)
            definition = rag.get(status.rag)
            colour = definition.colour if definition else FALLBACK_COLOURS[status.rag]
            on = text_colour_on(QColor(colour)).name()
            chip.setText(str(count))
            chip.setStyleSheet(
                f"background: {colour}; color: {on}; border-radius: 4px; padding: 0px 8px;"
            )
            said = f"{count} measure{'s' if count != 1 else ''} {status.label.lower()}"
            chip.setToolTip(said)
            chip.setAccessibleName(said)
            self.words[status].setToolTip(said)
            words.append(f"{count} {status.label.lower()}")
        caption = f"Measures at their latest figure ({glance.measures}){note}"
        if glance.no_figures:
            caption += f"; {glance.no_figures} with no figures yet"
        self.show_value(
            "",
            caption,
            "Each measure's latest actual against its target, allowing the plan's tolerance",
        )
        self.setAccessibleName(f"Measures: {', '.join(words)}")
