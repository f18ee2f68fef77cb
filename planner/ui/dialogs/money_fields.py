"""What the money dialogs share: an amount in whole pounds typed as an officer writes it
('£1,250,000', '250k', '£1.2m'), and a financial year picked by its label ('2013/14')."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from planner.domain.money import PoundsError, format_pounds, parse_pounds
from planner.domain.periods import Period

YEARS_EITHER_SIDE = 6  # financial years offered before and after the status date's


def pounds_edit(parent: QWidget, name: str, value: int | None, placeholder: str) -> QLineEdit:
    editor = QLineEdit(parent)
    editor.setObjectName(name)
    editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    editor.setPlaceholderText(placeholder)
    editor.setText(format_pounds(value) if value is not None else "")
    return editor


def pounds_problem(editor: QLineEdit, label: str) -> str:
    """What is wrong with the amount typed, in words; empty when it is whole pounds or
    left blank."""
    text = editor.text().strip()
    if not text:
        return ""
    try:
        value = parse_pounds(text)
    except PoundsError as error:
        return f"{label}: {error}"
    if value != value.to_integral_value():
        return f"{label}: give whole pounds, without pence."
    return ""


def pounds_value(editor: QLineEdit) -> int | None:
    """The whole pounds typed (None when blank); call only when `pounds_problem` is empty."""
    text = editor.text().strip()
    return int(parse_pounds(text).to_integral_value()) if text else None


def year_combo(parent: QWidget, name: str, around: Period, chosen: int | None) -> QComboBox:
    """Financial years either side of `around`, labelled '2013/14', with `chosen` current."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    first = around.year - YEARS_EITHER_SIDE
    last = around.year + YEARS_EITHER_SIDE
    if chosen is not None:
        first, last = min(first, chosen), max(last, chosen)
    for year in range(first, last + 1):
        combo.addItem(Period(year).label, year)
    combo.setCurrentIndex(max(combo.findData(around.year if chosen is None else chosen), 0))
    return combo
