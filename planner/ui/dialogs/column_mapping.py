"""New plan from Excel, columns: which field each column of the workbook's table of
actions holds."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.io.excel.new_plan import OWN_EXPORT_FIELDS, ActionTable, recognise

TITLE = "New plan from Excel"
NOT_USED = "(not used)"
NOT_RECOGNISED = "not recognised — choose what it holds or leave unused"

# The fields a column can hold, in the order the dialog offers them (keys as in
# planner.io.excel.new_plan.FIELDS).
FIELDS: tuple[tuple[str, str], ...] = (
    ("theme", "Theme"),
    ("ref", "Ref"),
    ("title", "Action"),
    ("description", "Description"),
    ("lead", "Lead officer"),
    ("partners", "Partners"),
    ("start", "Start"),
    ("due", "Due"),
    ("status", "Status"),
    ("rag", "RAG"),
    ("percent", "% complete"),
    ("latest_update", "Latest update"),
    ("others", "Other people"),
)
FIELD_LABELS = dict(FIELDS)


def column_letter(number: int) -> str:
    """'A' for column 0, 'AA' for column 26."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ----- the column-mapping dialog ------------------------------------------------------


class ColumnMappingDialog(QDialog):
    """One row per heading: a combo box choosing the field that column holds."""

    def __init__(
        self,
        headings: list[object],
        workbook_name: str = "",
        parent: QWidget | None = None,
        *,
        table: ActionTable | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(f"{TITLE} — columns")
        self.headings = list(headings)
        self.combos: dict[int, QComboBox] = {}
        self.notes: dict[int, QLabel] = {}
        offered = dict(FIELDS)
        if table is None:
            recognised = recognise(self.headings)
            kept: set[int] = set()
        else:
            recognised = {n: key for n, key in table.recognised.items() if key in offered}
            kept = {n for n, key in table.recognised.items() if key in OWN_EXPORT_FIELDS}
            if table.id_column is not None:
                kept.add(table.id_column)

        where = ""
        if table is not None and workbook_name:
            where = f"Columns of the sheet '{table.sheet}' in '{workbook_name}'. "
        elif workbook_name:
            where = f"Columns of '{workbook_name}'. "
        own = (
            "It was exported by Strategy Planner, so its refs, people, partner bodies and "
            "milestones are kept and its hidden ID column is not read. "
            if table is not None and table.own_export
            else ""
        )
        intro = QLabel(
            where + own + "Choose what each column holds; columns left '(not used)' are not read. "
            "One column must hold the action title.",
            self,
        )
        intro.setWordWrap(True)

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.addWidget(QLabel("<b>Column</b>", grid_host), 0, 0)
        grid.addWidget(QLabel("<b>Heading</b>", grid_host), 0, 1)
        grid.addWidget(QLabel("<b>Holds</b>", grid_host), 0, 2)
        row = 1
        for number, heading in enumerate(self.headings):
            if heading in (None, "") or number in kept:
                continue
            text = str(heading).strip()
            grid.addWidget(QLabel(column_letter(number), grid_host), row, 0)
            label = QLabel(text, grid_host)
            grid.addWidget(label, row, 1)
            combo = QComboBox(grid_host)
            combo.setObjectName(f"mappingCombo{number}")
            combo.setAccessibleName(f"What column {column_letter(number)} ({text}) holds")
            combo.addItem(NOT_USED, None)
            for key, field_label in FIELDS:
                combo.addItem(field_label, key)
            field_name = recognised.get(number)
            if field_name is not None:
                combo.setCurrentIndex(combo.findData(field_name))
            label.setBuddy(combo)
            grid.addWidget(combo, row, 2)
            note = QLabel("" if field_name else NOT_RECOGNISED, grid_host)
            note.setObjectName(f"mappingNote{number}")
            note.setStyleSheet("color: #9c5700;")
            grid.addWidget(note, row, 3)
            self.combos[number] = combo
            self.notes[number] = note
            combo.currentIndexChanged.connect(lambda _index, number=number: self._changed(number))
            row += 1
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(row, 1)  # rows stay at the top of a tall dialog

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)

        self.hint = QLabel(self)
        self.hint.setObjectName("mappingHint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button.setText("Continue…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._update_ok()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def combo_for(self, heading: str) -> QComboBox:
        """The combo box of the column with this heading (for tests and scripting)."""
        for number, value in enumerate(self.headings):
            if str(value or "").strip() == heading and number in self.combos:
                return self.combos[number]
        raise KeyError(heading)

    def set_field(self, heading: str, field_name: str | None) -> None:
        combo = self.combo_for(heading)
        combo.setCurrentIndex(combo.findData(field_name))

    def mapping(self) -> dict[int, str]:
        """Column number -> field, for the columns given a field."""
        found: dict[int, str] = {}
        for number, combo in self.combos.items():
            key = combo.currentData()
            if key:
                found[number] = str(key)
        return found

    def _changed(self, number: int) -> None:
        key = self.combos[number].currentData()
        if key:
            # A field is read from one column only: take it away from any other.
            for other, combo in self.combos.items():
                if other != number and combo.currentData() == key:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._update_ok()

    def _update_ok(self) -> None:
        has_title = "title" in self.mapping().values()
        self.ok_button.setEnabled(has_title)
        self.hint.setText(
            ""
            if has_title
            else "Choose the column that holds the action title ('Action') to continue."
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        headings: list[object],
        workbook_name: str = "",
        table: ActionTable | None = None,
    ) -> dict[int, str] | None:
        dialog = cls(headings, workbook_name, parent, table=table)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.mapping()
