"""The History tab: the action's baseline changes as cards, then its change history."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QLabel, QVBoxLayout, QWidget

from planner.domain.dates import format_uk
from planner.queries.detail import ActionDetail, BaselineEntry, HistoryEntry
from planner.ui.details.history_wording import HistoryNames, word_entry
from planner.ui.details.host import Lookups
from planner.ui.details.widgets import (
    clear_layout,
    details_table,
    fit_height_on_resize,
    fit_height_on_show,
    fit_height_when_shown,
    muted_label,
    section_title,
)
from planner.ui.models.details import HistoryModel, HistoryRow
from planner.ui.models.rag import rag_label


class HistoryPage(QWidget):
    """Baseline history and change history of the shown action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history_model = HistoryModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(section_title("Baseline history", self))
        cards = QWidget(self)
        self.baselines_layout = QVBoxLayout(cards)
        self.baselines_layout.setContentsMargins(0, 0, 0, 0)
        self.baselines_layout.setSpacing(8)
        layout.addWidget(cards)
        layout.addSpacing(10)
        layout.addWidget(section_title("Change history", self))
        self.history_view = details_table(self, "historyView", "Change history")
        self.history_view.setModel(self.history_model)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.history_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history_view.setColumnWidth(0, 122)
        self.history_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history_view.installEventFilter(self)
        self.history_empty = muted_label(
            "No changes recorded yet. Each change to this action, its people, partner "
            "bodies, milestones and updates is listed here with who made it and when.",
            self,
            "historyEmpty",
        )
        layout.addWidget(self.history_view)
        layout.addWidget(self.history_empty)
        layout.addStretch(1)

    def fill(self, detail: ActionDetail, lookups: Lookups) -> None:
        clear_layout(self.baselines_layout)
        if not detail.baselines:
            self.baselines_layout.addWidget(
                muted_label(
                    "Not re-baselined: the agreed dates still stand.", self, "baselinesEmpty"
                )
            )
        for entry in detail.baselines:
            self.baselines_layout.addWidget(self._baseline_card(entry))
        names = history_names(lookups)
        self.history_model.set_rows([history_row(entry, names) for entry in detail.history])
        self.history_view.setVisible(bool(detail.history))
        fit_height_when_shown(self.history_view)
        self.history_empty.setVisible(not detail.history)

    def clear(self) -> None:
        self.history_model.set_rows([])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.history_view:
            fit_height_on_show(watched, event)
            fit_height_on_resize(watched, event)
        return super().eventFilter(watched, event)

    def _baseline_card(self, entry: BaselineEntry) -> QFrame:
        card = QFrame(self)
        card.setObjectName("baselineCard")
        card.setStyleSheet(
            "QFrame#baselineCard { border: 1px solid palette(mid); border-radius: 6px;"
            " background: palette(base); }"
        )
        layout = QVBoxLayout(card)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        title = QLabel(
            f"{entry.what}: {format_uk(entry.old_due) or 'not set'} → {format_uk(entry.new_due)}",
            card,
        )
        title.setObjectName("baselineChange")
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        reason = QLabel(entry.reason, card)
        reason.setWordWrap(True)
        authority = [f"Approved by {entry.approved_by}"]
        if entry.decision_ref:
            authority.append(entry.decision_ref)
        if entry.decided_on:
            authority.append(f"decided {format_uk(entry.decided_on)}")
        layout.addWidget(title)
        layout.addWidget(reason)
        layout.addWidget(muted_label(", ".join(authority), card, "baselineAuthority"))
        return card


def history_names(lookups: Lookups) -> HistoryNames:
    return HistoryNames(
        rag={d.code: rag_label(d) for d in lookups.header.rag_definitions},
        people={person.id: person.name for person in lookups.people},
        themes={choice.id: choice.label for choice in lookups.themes},
        partners={choice.id: choice.label for choice in lookups.partners},
    )


def history_row(entry: HistoryEntry, names: HistoryNames) -> HistoryRow:
    wording = word_entry(entry, names)
    return HistoryRow(
        id=entry.id,
        when=wording.when,
        who=entry.who,
        subject=entry.subject,
        change=wording.change,
        source=entry.source,
        tooltip=wording.tooltip,
    )
