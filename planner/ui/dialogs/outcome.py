"""Add or change an outcome: what the plan sets out to achieve, in a sentence, and the
themes and actions that serve it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from planner.ui.dialogs.form import FormDialog, Options, multiline


@dataclass(frozen=True)
class OutcomeValues:
    title: str
    description: str = ""
    theme_ids: tuple[int, ...] = ()  # the themes serving it
    action_ids: tuple[int, ...] = ()  # the actions serving it

    def record(self) -> dict[str, object]:
        """The outcome's own values, for SaveOutcome (or CreateRecord("outcome", ...))."""
        return {"title": self.title, "description": self.description}


def _refs(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


class OutcomeDialog(FormDialog[OutcomeValues]):
    def __init__(
        self,
        parent: QWidget | None,
        initial: OutcomeValues | None = None,
        themes: Options = (),
        actions: Mapping[str, int] | None = None,
    ) -> None:
        changing = initial is not None and bool(initial.title)
        super().__init__(
            parent,
            "Change outcome" if changing else "Add outcome",
            "Change outcome" if changing else "Add outcome",
            "An outcome is a change the plan sets out to make for residents, businesses or "
            "the council; measures then show whether it is happening.",
        )
        self.setObjectName("outcomeDialog")
        self.setMinimumWidth(620)
        self._actions = dict(actions or {})
        self._refs_by_id = {action_id: ref for ref, action_id in self._actions.items()}
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("outcomeTitle")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(
            "e.g. Residents and businesses transact online by default"
        )
        self.description = multiline(self, "What reaching it would look like (optional)", lines=3)
        self.description.setObjectName("outcomeDescription")
        self.description.setFixedHeight(4 * self.fontMetrics().lineSpacing() + 12)
        self.themes = QListWidget(self)
        self.themes.setObjectName("outcomeThemes")
        self.themes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for theme_id, label in themes:
            item = QListWidgetItem(label, self.themes)
            item.setData(Qt.ItemDataRole.UserRole, theme_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = min(max(self.themes.count(), 3), 8)
        self.themes.setFixedHeight(rows * (self.fontMetrics().height() + 6) + 6)
        self.action_refs = QLineEdit(self)
        self.action_refs.setObjectName("outcomeActions")
        self.action_refs.setPlaceholderText("refs, e.g. 2.2, 6.1 (optional)")
        self.add_row("&Outcome:", self.title_edit)
        self.add_row("&Description:", self.description)
        if themes:
            self.add_row("&Themes serving it:", self.themes)
        self.add_row("&Actions serving it:", self.action_refs)
        if initial is not None:
            self.title_edit.setText(initial.title)
            self.title_edit.setCursorPosition(0)
            self.description.setPlainText(initial.description)
            chosen = set(initial.theme_ids)
            for number in range(self.themes.count()):
                item = self.themes.item(number)
                if item.data(Qt.ItemDataRole.UserRole) in chosen:
                    item.setCheckState(Qt.CheckState.Checked)
            refs = [self._refs_by_id[a] for a in initial.action_ids if a in self._refs_by_id]
            self.action_refs.setText(", ".join(refs))
        self.title_edit.textChanged.connect(self.refresh)
        self.action_refs.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if not self.title_edit.text().strip():
            return "Say what the outcome is."
        unknown = [ref for ref in _refs(self.action_refs.text()) if ref not in self._actions]
        if unknown:
            return f"There is no action {', '.join(unknown)} in this plan."
        return ""

    def values(self) -> OutcomeValues:
        checked = tuple(
            int(self.themes.item(number).data(Qt.ItemDataRole.UserRole))
            for number in range(self.themes.count())
            if self.themes.item(number).checkState() == Qt.CheckState.Checked
        )
        actions = tuple(
            dict.fromkeys(
                self._actions[ref] for ref in _refs(self.action_refs.text()) if ref in self._actions
            )
        )
        return OutcomeValues(
            self.title_edit.text().strip(),
            self.description.toPlainText().strip(),
            checked,
            actions,
        )
