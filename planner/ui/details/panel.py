"""The details panel: everything about the selected action, editable in place.

It reads through `document.read` with `planner.queries.detail.action_detail`, changes
the plan only through `document.try_execute(command, ...)` (in `run`, the one path its
parts use), and reloads the shown action when the document reports a change (an edit
here, in the table, an undo or a redo)."""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from planner.commands import Applied, Command
from planner.domain import Status
from planner.domain.dates import format_uk
from planner.errors import PlannerError
from planner.queries.action_purpose import PURPOSE_TABLES, ActionPurpose, action_purpose
from planner.queries.detail import ActionDetail, action_detail, person_options
from planner.queries.lookups import Choice, partner_choices, plan_header, theme_choices
from planner.ui.details.form import DetailsForm
from planner.ui.details.history import HistoryPage
from planner.ui.details.host import TAB_MILESTONES, TAB_MONEY, Lookups
from planner.ui.details.links import LinksPage
from planner.ui.details.milestones import MilestonesPage
from planner.ui.details.money import MoneyPage
from planner.ui.details.updates import UpdatesPage
from planner.ui.details.widgets import CompactTabs, RagChip, muted_label, scroll_area
from planner.ui.document import PlanDocument
from planner.ui.messages import confirm, show_error
from planner.ui.models.details import EMPTY_TEXT, MUTED, OVERDUE_COLOUR, label_of
from planner.ui.style import set_text_colour


class DetailsPanel(QWidget):
    """The selected action in full: its fields, people, partner bodies, milestones,
    progress updates, history, and its money, benefits and measures, each a part on its
    own tab.

    `show_action(action_id)` chooses what it shows (None or 0: nothing). Its slots
    add_milestone, add_progress_update, assign_person, assign_partner, rebaseline,
    remove_selected_link and remove_selected_milestone are what the Edit menu calls."""

    status_message = Signal(str)  # a short note for the status bar after a change
    link_selection_changed = Signal(bool)  # a person or partner link is selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.setAccessibleName("Action details")
        self._document: PlanDocument | None = None
        self._action_id: int | None = None
        self._detail: ActionDetail | None = None
        self._lookups: Lookups | None = None  # read once per change
        self._shown: tuple[ActionDetail, Lookups] | None = None  # what the tabs show
        # The action's measures, benefits and money: read again (None) only when a change
        # touched those rows, or the lists of people and partner bodies naming them.
        self._purpose: ActionPurpose | None = None
        self._purpose_shown: ActionPurpose | None = None
        self._read_only = False

        self.stack = QStackedWidget(self)
        empty = QWidget(self)
        empty_layout = QVBoxLayout(empty)
        empty_layout.setContentsMargins(24, 24, 24, 24)
        self.empty_label = QLabel(EMPTY_TEXT, empty)
        self.empty_label.setObjectName("detailsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_text_colour(self.empty_label, MUTED, point_size=12)
        self.empty_hint = muted_label(
            "Its lead officer, partner bodies, milestones and progress updates appear here.",
            empty,
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addStretch(2)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._show_empty()

    # ----- building -------------------------------------------------------------------

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        content.setObjectName("detailsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.setSpacing(6)

        self.heading = QLabel(content)
        self.heading.setObjectName("detailsHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.theme_label = muted_label("", content, "detailsTheme")
        summary = QHBoxLayout()
        summary.setSpacing(8)
        self.rag_chip = RagChip(content)
        self.summary_label = QLabel(content)
        self.summary_label.setObjectName("detailsSummary")
        self.summary_label.setWordWrap(True)
        summary.addWidget(self.rag_chip, 0, Qt.AlignmentFlag.AlignTop)
        summary.addWidget(self.summary_label, 1)
        self.overdue_label = QLabel(content)
        self.overdue_label.setObjectName("detailsOverdue")
        self.overdue_label.setWordWrap(True)
        set_text_colour(self.overdue_label, OVERDUE_COLOUR, bold=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.theme_label)
        layout.addLayout(summary)
        layout.addWidget(self.overdue_label)

        self.tabs = QTabWidget(content)
        self.tabs.setObjectName("detailsTabs")
        self._compact_tabs = CompactTabs()
        self._compact_tabs.setParent(self)
        self.tabs.tabBar().setStyle(self._compact_tabs)
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.tabBar().setExpanding(False)
        self.form = DetailsForm(self, self)
        self.links = LinksPage(self, self)
        self.milestones = MilestonesPage(self, self)
        self.updates = UpdatesPage(self, self)
        self.history = HistoryPage(self)
        self.money = MoneyPage(self, self)
        self.tabs.addTab(scroll_area(self.form, self), "Details")
        self.tabs.addTab(scroll_area(self.links, self), "People")
        self.tabs.addTab(scroll_area(self.milestones, self), "Milestones")
        self.tabs.addTab(self.updates, "Updates")
        self.tabs.addTab(scroll_area(self.history, self), "History")
        self.tabs.addTab(scroll_area(self.money, self), "Money")
        self.tabs.setTabToolTip(TAB_MONEY, "Budget, spend, funding, benefits and measures")
        self.tabs.currentChanged.connect(self._money_wanted)
        layout.addSpacing(4)
        layout.addWidget(self.tabs, 1)

        self.form.rebaseline_requested.connect(self.rebaseline)
        self.milestones.rebaseline_requested.connect(self.rebaseline)
        self.links.selection_changed.connect(self.link_selection_changed)

        # The parts' widgets, reachable here by the names the window and tests use.
        form = self.form
        self.ref_edit, self.title_edit = form.ref_edit, form.title_edit
        self.theme_combo, self.lead_combo = form.theme_combo, form.lead_combo
        self.start_edit, self.due_edit = form.start_edit, form.due_edit
        self.baseline_label, self.status_combo = form.baseline_label, form.status_combo
        self.rag_combo, self.percent_spin = form.rag_combo, form.percent_spin
        self.description_edit = form.description_edit
        self.people_model, self.people_view = self.links.people_model, self.links.people_view
        self.partners_model = self.links.partners_model
        self.partners_view = self.links.partners_view
        self.milestones_model = self.milestones.milestones_model
        self.milestones_view = self.milestones.milestones_view
        self.add_milestone_button = self.milestones.add_milestone_button
        self.history_model = self.history.history_model
        return content

    # ----- public API -------------------------------------------------------------

    @property
    def action_id(self) -> int | None:
        return self._action_id

    @property
    def detail(self) -> ActionDetail | None:
        return self._detail

    @property
    def lookups(self) -> Lookups | None:
        return self._lookups

    @property
    def _partners(self) -> list[Choice]:
        """The plan's partner bodies, as the assign dialog offers them."""
        return self._lookups.partners if self._lookups else []

    def set_document(self, document: PlanDocument | None) -> None:
        """Show actions of this PlanDocument (None: no plan open)."""
        if self._document is not None:
            for signal, slot in (
                (self._document.changed, self._document_changed),
                (self._document.reloaded, self._plan_reloaded),
            ):
                with suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
        self._document = document
        self._action_id = None
        self._lookups = None
        self._purpose = None
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self._plan_reloaded)
        self._reload()

    def _plan_reloaded(self) -> None:
        self._lookups = None
        self._purpose = None
        self._reload()

    @Slot(int)
    def show_action(self, action_id: int | None) -> None:
        """Show this action; None or 0 shows the empty state."""
        if (action_id or None) != self._action_id:
            self._flush_form()
        self._action_id = action_id or None
        self._reload()

    def has_selected_link(self) -> bool:
        return self.links.has_selection()

    def select_milestone(self, milestone_id: int) -> None:
        self.milestones.select(milestone_id)

    def show_pending(self) -> None:
        """Say the plan is still being read, until `show_action` is next called."""
        self._flush_form()
        self._action_id = None
        self._show_empty()
        self.empty_label.setText("Reading the plan…")
        self.empty_hint.hide()

    # ----- loading ----------------------------------------------------------------

    @Slot(object)
    def _document_changed(self, applied: Applied) -> None:
        # The plan's lists are read again only when they may have changed, and the shown
        # action only when the change touched it or those lists.
        touches = applied.touches
        purpose_changed = False
        if touches.structure or touches.people or touches.partners:
            self._lookups = None
            self._purpose = None
        elif self._touches_purpose(applied):
            self._purpose = None
            purpose_changed = True
        if self._action_id is not None and (
            self._lookups is None or self._action_id in touches.actions or purpose_changed
        ):
            self._reload()

    def _money_wanted(self, index: int) -> None:
        """The Money tab is read when first shown for an action: selecting actions with
        it hidden costs no queries of budgets, benefits and measures."""
        if index == TAB_MONEY and self._detail is not None and self._purpose is None:
            self._reload()

    def _touches_purpose(self, applied: Applied) -> bool:
        """Whether `applied` changed the shown action's measures, benefits or money: its
        own rows, or the figures of a measure naming it."""
        purpose = self._purpose
        if purpose is None or not applied.touches.tables & PURPOSE_TABLES:
            return False
        if purpose.action_id in applied.touches.actions:
            return True
        measures = {measure.id for measure in purpose.measures}
        return any(
            change.table == "measure_value"
            and any(
                row and row.get("measure_id") in measures for row in (change.before, change.after)
            )
            for change in applied.changes
        )

    def _reload(self) -> None:
        document, action_id = self._document, self._action_id
        if document is None or action_id is None:
            self._show_empty()
            return
        known = self._lookups
        purpose = self._purpose if self._purpose and self._purpose.action_id == action_id else None
        money_shown = self.tabs.currentIndex() == TAB_MONEY

        def read(
            session: Session, plan_id: int
        ) -> tuple[Lookups, ActionDetail | None, ActionPurpose | None]:
            lookups = known or Lookups(
                plan_header(session, plan_id),
                theme_choices(session, plan_id),
                person_options(session, plan_id),
                partner_choices(session, plan_id),
            )
            detail = action_detail(session, plan_id, action_id)
            if detail is None or not money_shown:  # read when the Money tab is shown
                return lookups, detail, None
            return lookups, detail, purpose or action_purpose(session, plan_id, action_id)

        self._lookups, detail, self._purpose = document.read(read)
        self._read_only = bool(document.read_only)
        if detail is None:
            self._show_empty()
            return
        self._detail = detail
        self._fill()
        self.stack.setCurrentIndex(1)

    def _show_empty(self) -> None:
        self._detail = None
        self._shown = None
        self._purpose = self._purpose_shown = None
        self.empty_label.setText(EMPTY_TEXT)
        self.empty_hint.show()
        self.stack.setCurrentIndex(0)
        self.links.clear()
        self.milestones.clear()
        self.history.clear()
        self.money.clear()
        self.link_selection_changed.emit(False)

    def _fill(self) -> None:
        detail, lookups = self._detail, self._lookups
        if detail is None or lookups is None:
            return
        # A tab whose part of the action is as already shown is left as it is.
        before, self._shown = self._shown, (detail, lookups)
        same_lists = before is not None and before[1] is lookups and before[0].id == detail.id
        shown = before[0] if before is not None and same_lists else None
        self._fill_heading(detail, lookups)
        self.form.fill(detail, lookups)
        if shown is None or (shown.people, shown.partners) != (detail.people, detail.partners):
            self.links.fill(detail)
        self.milestones.fill(detail, lookups)
        if shown is None or shown.updates != detail.updates:
            self.updates.fill(detail, lookups)
        self.history.fill(detail, lookups)
        if self._purpose is not None and self._purpose is not self._purpose_shown:
            self.money.fill(self._purpose, detail, lookups)
            self._purpose_shown = self._purpose
        # A read-only plan is shown in full, with nothing that would change it.
        editable = not self._read_only
        self.form.set_editable(editable)
        self.links.set_editable(editable)
        self.milestones.set_editable(editable)
        self.updates.set_editable(editable)
        self.money.set_editable(editable)

    def _fill_heading(self, detail: ActionDetail, lookups: Lookups) -> None:
        self.heading.setText(detail.heading)
        self.heading.setAccessibleName(f"Action {detail.heading}")
        self.theme_label.setText(detail.theme_label)
        self.theme_label.setToolTip("Theme")
        self.rag_chip.set_rating(lookups.rag(detail.rag))
        # No-break spaces keep "due 31/03/2015" and "25% complete" on one line.
        parts = [label_of(Status, detail.status), f"{detail.percent}%\u00a0complete"]
        if detail.due:
            parts.append(f"due\u00a0{format_uk(detail.due)}")
        self.summary_label.setText(" · ".join(parts))
        warnings = []
        if detail.overdue:
            warnings.append(f"⚠ overdue: due {format_uk(detail.due)}")
        if detail.overdue_milestones:
            count = detail.overdue_milestones
            warnings.append(f"⚠ {count} milestone{'s' if count != 1 else ''} overdue")
        self.overdue_label.setText("   ".join(warnings))
        self.overdue_label.setToolTip(f"At the plan's status date {format_uk(detail.status_date)}")
        self.overdue_label.setVisible(bool(warnings))

    def _flush_form(self) -> None:
        if self._document is not None and not self._read_only:
            self.form.flush()

    # ----- what the parts ask of the panel ----------------------------------------------

    def can_change(self) -> bool:
        if self._document is None or self._detail is None:
            self.status_message.emit(EMPTY_TEXT)
            return False
        if self._read_only:
            show_error(self, "This plan is open read-only, so it cannot be changed.")
            return False
        return True

    def run(self, command: Command, *, refill_on_refusal: bool = True) -> bool:
        """Apply a command; on refusal show the core's message and, if
        `refill_on_refusal`, the stored values (a dialog that reopens passes False)."""
        document = self._document
        if document is None:
            return False

        def refused(error: PlannerError) -> None:
            show_error(self, error)
            if refill_on_refusal and self._detail is not None:
                self._fill()

        applied = document.try_execute(command, refused)
        if applied is None:
            return False
        self.status_message.emit(applied.description)
        return True

    def confirm(
        self, title: str, text: str, details: list[str] | None = None, action: str = "Delete"
    ) -> bool:
        return confirm(self, title, text, details, action)

    def show_tab(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)

    def note(self, text: str) -> None:
        self.status_message.emit(text)

    # ----- the Edit menu's slots ----------------------------------------------------

    @Slot()
    def add_milestone(self) -> None:
        """Ask for a new milestone and add it to the shown action."""
        self.milestones.add()

    @Slot()
    def add_progress_update(self) -> None:
        """Ask for a progress update and record it against the shown action."""
        self.updates.add()

    @Slot()
    def assign_person(self) -> None:
        """Ask for a person and their RACI role, and add them to the shown action."""
        self.links.assign_person()

    @Slot()
    def assign_partner(self) -> None:
        """Ask for a partner body and its role, and add it to the shown action."""
        self.links.assign_partner()

    @Slot()
    def rebaseline(self) -> None:
        """Agree a new baseline for the action, or for the selected milestone when the
        Milestones tab is showing."""
        on_milestones = self.tabs.currentIndex() == TAB_MILESTONES
        self.updates.rebaseline(self.milestones.selected_id() if on_milestones else None)

    @Slot()
    def remove_selected_link(self) -> None:
        """Remove the selected person or partner body from the action, after asking."""
        self.links.remove_selected()

    @Slot()
    def remove_selected_milestone(self) -> None:
        """Delete the selected milestone, after asking."""
        self.milestones.remove_selected()
