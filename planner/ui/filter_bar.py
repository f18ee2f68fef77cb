"""The filter bar: free text plus pickers for theme, person, partner, status, RAG, overdue."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget

from planner.domain import Status
from planner.queries import ActionFilter
from planner.queries.lookups import Choice, PlanHeader

ANY = "any"


class FilterBar(QWidget):
    """Emits `changed(ActionFilter)` as the user types or picks."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setHorizontalSpacing(6)
        self.text = QLineEdit(self)
        self.text.setObjectName("filterEdit")
        self.text.setPlaceholderText("Filter actions: ref, title, description, notes…")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Filter actions")
        self.theme = self._combo("themeFilter", "Theme")
        self.person = self._combo("personFilter", "Person")
        self.partner = self._combo("partnerFilter", "Partner body")
        self.status = self._combo("statusFilter", "Status")
        self.rag = self._combo("ragFilter", "RAG")
        self.overdue = QCheckBox("Overdue only", self)
        self.overdue.setObjectName("overdueFilter")
        layout.addWidget(self.text, 0, 0, 1, 4)
        layout.addWidget(self.overdue, 0, 4)
        for column, combo in enumerate(
            (self.theme, self.person, self.partner, self.status, self.rag)
        ):
            layout.addWidget(combo, 1, column)
            layout.setColumnStretch(column, 1)
        self.text.textChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self._quiet = False

    def _combo(self, name: str, label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(f"Filter by {label.lower()}")
        combo.setToolTip(f"Show only actions for this {label.lower()}")
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def set_choices(
        self, header: PlanHeader, themes: list[Choice], people: list[Choice], partners: list[Choice]
    ) -> None:
        """Fill the pickers, keeping what is selected where it still exists."""
        self._quiet = True
        try:
            self._fill(self.theme, "All themes", [(c.id, c.label) for c in themes])
            self._fill(self.person, "Anyone", [(c.id, c.label) for c in people])
            self._fill(self.partner, "Any partner", [(c.id, c.label) for c in partners])
            self._fill(self.status, "Any status", [(s.value, s.label) for s in Status])
            rags = [(d.code, f"{d.code} {d.name}") for d in header.rag_definitions]
            self._fill(self.rag, "Any RAG", [*rags, ("", "Not rated")])
        finally:
            self._quiet = False

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[object, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, ANY)
        for value, label in items:
            combo.addItem(label, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def set_theme(self, theme_id: int | None) -> None:
        found = self.theme.findData(theme_id if theme_id else ANY)
        self.theme.setCurrentIndex(max(found, 0))

    def set_person(self, person_id: int | None) -> None:
        found = self.person.findData(person_id if person_id else ANY)
        self.person.setCurrentIndex(max(found, 0))

    def set_partner(self, partner_id: int | None) -> None:
        found = self.partner.findData(partner_id if partner_id else ANY)
        self.partner.setCurrentIndex(max(found, 0))

    def current(self) -> ActionFilter:
        def picked(combo: QComboBox) -> object | None:
            value = combo.currentData()
            return None if value == ANY else value

        def picked_id(combo: QComboBox) -> int | None:
            value = picked(combo)
            return value if isinstance(value, int) else None

        theme = picked(self.theme)
        status = picked(self.status)
        rag = self.rag.currentData()
        return ActionFilter(
            text=self.text.text(),
            theme_ids=frozenset({theme}) if isinstance(theme, int) else frozenset(),
            person_id=picked_id(self.person),
            partner_id=picked_id(self.partner),
            statuses=frozenset({status}) if isinstance(status, str) else frozenset(),
            rags=frozenset() if rag == ANY else frozenset({rag or None}),
            overdue_only=self.overdue.isChecked(),
        )

    def is_active(self) -> bool:
        return self.current() != ActionFilter()

    def clear(self) -> None:
        self._quiet = True
        self.text.clear()
        for combo in (self.theme, self.person, self.partner, self.status, self.rag):
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit(self.current())
