"""The Updates tab: the action's progress updates as cards, newest first; adding one,
and agreeing a new baseline date."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planner.commands import AddProgressUpdate, Rebaseline
from planner.domain import Status
from planner.domain.dates import format_uk
from planner.queries.detail import ActionDetail, UpdateDetail
from planner.ui.details.host import TAB_UPDATES, Host, Lookups
from planner.ui.details.widgets import (
    RagChip,
    buttons_row,
    clear_layout,
    details_button,
    muted_label,
    scroll_area,
)
from planner.ui.dialogs.progress_update import ProgressUpdateDialog, ProgressUpdateValues
from planner.ui.dialogs.rebaseline import RebaselineDialog, RebaselineTarget, RebaselineValues
from planner.ui.models.details import DIRECTIONS, label_of


class UpdatesPage(QWidget):
    """The add button above a scrolling list of update cards."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.add_update_button = details_button(
            "Add progress update…", self, "addUpdateButton", self.add
        )
        layout.addLayout(buttons_row(self.add_update_button))
        cards = QWidget(self)
        cards.setObjectName("updatesList")
        self.updates_layout = QVBoxLayout(cards)
        self.updates_layout.setContentsMargins(0, 0, 4, 0)
        self.updates_layout.setSpacing(8)
        outer = QVBoxLayout()
        outer.addWidget(cards)
        outer.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(outer)
        outer.setContentsMargins(0, 0, 0, 0)
        self.updates_scroll = scroll_area(holder, self)
        layout.addWidget(self.updates_scroll, 1)

    # ----- showing ------------------------------------------------------------------

    def fill(self, detail: ActionDetail, lookups: Lookups) -> None:
        position = self.updates_scroll.verticalScrollBar().value()
        clear_layout(self.updates_layout)
        if not detail.updates:
            self.updates_layout.addWidget(
                muted_label(
                    "No progress updates yet. The first one sets the action's status, "
                    "RAG rating and % complete.",
                    self,
                    "updatesEmpty",
                )
            )
        for update in detail.updates:
            self.updates_layout.addWidget(self._card(update, lookups))
        self.updates_scroll.verticalScrollBar().setValue(position)

    def set_editable(self, editable: bool) -> None:
        self.add_update_button.setEnabled(editable)

    def _card(self, update: UpdateDetail, lookups: Lookups) -> QFrame:
        card = QFrame(self)
        card.setObjectName("updateCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setStyleSheet(
            "QFrame#updateCard { border: 1px solid palette(mid); border-radius: 6px;"
            " background: palette(base); }"
        )
        layout = QVBoxLayout(card)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        when = QLabel(format_uk(update.as_at), card)
        when.setObjectName("updateDate")
        font = when.font()
        font.setBold(True)
        when.setFont(font)
        chip = RagChip(card)
        chip.set_rating(lookups.rag(update.rag))
        top.addWidget(when)
        top.addWidget(chip)
        top.addStretch(1)
        if update.direction in DIRECTIONS:
            text, colour = DIRECTIONS[update.direction]
            direction = QLabel(text, card)
            direction.setObjectName("updateDirection")
            direction.setStyleSheet(f"color: {colour}; font-weight: 600;")
            direction.setToolTip("The RAG rating compared with the update before")
            direction.setAccessibleName(f"Direction of travel: {text[2:]}")
            top.addWidget(direction)
        layout.addLayout(top)
        commentary = QLabel(update.commentary or "(no commentary)", card)
        commentary.setObjectName("updateCommentary")
        commentary.setWordWrap(True)
        commentary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(commentary)
        footer = f"{label_of(Status, update.status)} · {update.percent}% complete"
        if update.author:
            footer += f" · {update.author}"
        layout.addWidget(muted_label(footer, card, "updateFooter"))
        return card

    # ----- changing -----------------------------------------------------------------

    def add(self) -> None:
        """Ask for a progress update and record it against the shown action."""
        detail, lookups = self._host.detail, self._host.lookups
        if not self._host.can_change() or detail is None or lookups is None:
            return
        lead = detail.lead
        values: ProgressUpdateValues | None = None
        while True:
            values = ProgressUpdateDialog.ask(
                self,
                detail.ref,
                lookups.person_options(),
                lookups.header.rag_definitions,
                detail.status_date,
                detail.status,
                detail.rag,
                detail.percent,
                author_id=lead.person_id if lead else None,
                initial=values,
            )
            if values is None:
                return
            if self._host.run(
                AddProgressUpdate(detail.id, values.record()), refill_on_refusal=False
            ):
                break
        self._host.show_tab(TAB_UPDATES)
        self.updates_scroll.verticalScrollBar().setValue(0)

    def rebaseline(self, milestone_id: int | None) -> None:
        """Agree a new baseline for the action, or for this milestone if one is given."""
        detail = self._host.detail
        if not self._host.can_change() or detail is None:
            return
        targets = rebaseline_targets(detail)
        selected = 0
        if milestone_id is not None:
            for number, target in enumerate(targets):
                if target.kind == "milestone" and target.record_id == milestone_id:
                    selected = number
        values: RebaselineValues | None = None
        while True:
            values = RebaselineDialog.ask(
                self, targets, selected, status_date=detail.status_date, initial=values
            )
            if values is None:
                return
            command = Rebaseline(
                kind=values.kind,
                record_id=values.record_id,
                new_due=values.new_due,
                reason=values.reason,
                approved_by=values.approved_by,
                decision_ref=values.decision_ref,
                decided_on=values.decided_on,
                move_due=values.move_due,
            )
            if self._host.run(command, refill_on_refusal=False):
                return


def rebaseline_targets(detail: ActionDetail) -> list[RebaselineTarget]:
    """The action and each of its milestones, as the re-baseline dialog offers them."""
    targets = [
        RebaselineTarget(
            "action", detail.id, f"Action {detail.ref}", detail.due, detail.baseline_due
        )
    ]
    for milestone in detail.milestones:
        done = " (completed)" if milestone.completed_on else ""
        targets.append(
            RebaselineTarget(
                "milestone",
                milestone.id,
                f"Milestone: {milestone.title}{done}",
                milestone.due,
                milestone.baseline_due,
            )
        )
    return targets
