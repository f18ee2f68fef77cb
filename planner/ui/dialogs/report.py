"""Asks what the board report covers: the Excel export's choice of the whole plan, some
partner bodies or some themes, and the protective marking; writes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QWidget

from planner.queries.lookups import Choice
from planner.ui.dialogs.export import ExportDialog


class ReportDialog(ExportDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        partners: list[Choice],
        themes: list[Choice],
        marking: str,
    ) -> None:
        super().__init__(parent, partners=partners, people=[], themes=themes, marking=marking)
        self.setObjectName("reportDialog")
        self.setWindowTitle("Export report (PDF)")
        # A board report covers partners or themes; people and Excel's options do not apply.
        for widget in (self.by_person, self.person_list, self.descriptions, self.commentary):
            widget.hide()
        scope = self.whole.parentWidget()
        if isinstance(scope, QGroupBox):
            scope.setTitle("What to report on")
        self.by_partner.setText("Only actions involving these &partner bodies:")
