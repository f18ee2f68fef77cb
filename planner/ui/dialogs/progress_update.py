"""Add progress update: status, RAG rating, % complete and commentary as at a date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from planner.domain import RagDefinition
from planner.ui.delegates import from_qdate, to_qdate
from planner.ui.dialogs.form import (
    NO_AUTHOR,
    FormDialog,
    Options,
    date_edit,
    fill_combo,
    fill_rag_combo,
    fill_status_combo,
    multiline,
    select_data,
)


@dataclass(frozen=True)
class ProgressUpdateValues:
    as_at: date
    status: str
    rag: str | None
    percent: int
    commentary: str
    author_id: int | None = None

    def record(self) -> dict[str, object]:
        """The values for AddProgressUpdate(action_id, ...)."""
        return {
            "as_at": self.as_at,
            "status": self.status,
            "rag": self.rag,
            "percent": self.percent,
            "commentary": self.commentary,
            "author_id": self.author_id,
        }


class ProgressUpdateDialog(FormDialog[ProgressUpdateValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        people: Options,
        rag_definitions: Sequence[RagDefinition],
        as_at: date,
        status: str,
        rag: str | None,
        percent: int,
        author_id: int | None = None,
        initial: ProgressUpdateValues | None = None,
    ) -> None:
        super().__init__(
            parent,
            "Add progress update",
            "Add update",
            f"Progress on action {action_label}. The newest update sets the action's "
            "status, RAG rating and % complete.",
        )
        self.setObjectName("progressUpdateDialog")
        self.as_at = date_edit(self, as_at)
        self.as_at.setObjectName("updateAsAt")
        self.status = QComboBox(self)
        self.status.setObjectName("updateStatus")
        fill_status_combo(self.status)
        self.rag = QComboBox(self)
        self.rag.setObjectName("updateRag")
        fill_rag_combo(self.rag, rag_definitions)
        self.percent = QSpinBox(self)
        self.percent.setObjectName("updatePercent")
        self.percent.setRange(0, 100)
        self.percent.setSingleStep(5)
        self.percent.setSuffix("%")
        self.commentary = multiline(
            self, "What has happened since the last update, what is next, any risks", lines=6
        )
        self.commentary.setObjectName("updateCommentary")
        self.author = QComboBox(self)
        self.author.setObjectName("updateAuthor")
        fill_combo(self.author, people, NO_AUTHOR)
        self.add_row("&As at:", self.as_at, "As at date")
        self.add_row("&Status:", self.status)
        self.add_row("&RAG:", self.rag, "RAG rating")
        self.add_row("% &complete:", self.percent, "Percent complete")
        self.add_row("C&ommentary:", self.commentary)
        self.add_row("A&uthor:", self.author)
        start = initial or ProgressUpdateValues(as_at, status, rag, percent, "", author_id)
        self.as_at.setDate(to_qdate(start.as_at))
        select_data(self.status, start.status)
        select_data(self.rag, start.rag)
        self.percent.setValue(start.percent)
        self.commentary.setPlainText(start.commentary)
        select_data(self.author, start.author_id)
        self.commentary.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if not self.commentary.toPlainText().strip():
            return "Write a short commentary: what has happened and what is next."
        return ""

    def values(self) -> ProgressUpdateValues:
        as_at = from_qdate(self.as_at.date())
        assert as_at is not None
        return ProgressUpdateValues(
            as_at=as_at,
            status=self.status.currentData(),
            rag=self.rag.currentData(),
            percent=self.percent.value(),
            commentary=self.commentary.toPlainText().strip(),
            author_id=self.author.currentData(),
        )
