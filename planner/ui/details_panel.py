"""The details panel: everything about the selected action, editable in place.

It reads through `document.read` with `planner.queries.detail.action_detail`, changes
the plan only through `document.try_execute(command, ...)`, and reloads the shown action when
the document reports a change (an edit here, in the table, an undo or a redo)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.commands import (
    AddProgressUpdate,
    Command,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    Rebaseline,
    SetLeadOfficer,
)
from planner.commands.records import KINDS
from planner.domain import PartnerRole, RaciRole, RagDefinition, Status
from planner.domain.dates import format_uk
from planner.errors import PlannerError
from planner.queries.detail import (
    ActionDetail,
    BaselineEntry,
    HistoryEntry,
    PersonOption,
    UpdateDetail,
    action_detail,
    person_options,
)
from planner.queries.lookups import Choice, PlanHeader, partner_choices, plan_header, theme_choices
from planner.store.models import CREATED, DELETED
from planner.ui.delegates import (
    ChoiceDelegate,
    DateDelegate,
    OptionalDateDelegate,
    OptionalDateEdit,
)
from planner.ui.details_widgets import (
    CompactTabs,
    RagChip,
    buttons_row,
    clear_layout,
    details_button,
    details_combo,
    details_table,
    fit_height,
    muted_label,
    scroll_area,
    section_title,
)
from planner.ui.dialogs.assign_partner import AssignPartnerDialog
from planner.ui.dialogs.assign_person import AssignPersonDialog
from planner.ui.dialogs.form import (
    RACI_LABELS,
    fill_combo,
    fill_rag_combo,
    fill_status_combo,
    select_data,
)
from planner.ui.dialogs.milestone import MilestoneDialog, MilestoneValues
from planner.ui.dialogs.progress_update import ProgressUpdateDialog, ProgressUpdateValues
from planner.ui.dialogs.rebaseline import RebaselineDialog, RebaselineTarget, RebaselineValues
from planner.ui.messages import confirm, show_error
from planner.ui.models.details import (
    DIRECTIONS,
    EMPTY_TEXT,
    MUTED,
    OVERDUE_COLOUR,
    HistoryModel,
    HistoryRow,
    MilestonesModel,
    PartnersModel,
    PeopleModel,
    RowsModel,
    label_of,
)
from planner.ui.models.rag import rag_label, rag_tooltip
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import set_text_colour

TAB_DETAILS, TAB_PEOPLE, TAB_MILESTONES, TAB_UPDATES, TAB_HISTORY = range(5)

# ----- the panel ------------------------------------------------------------------


class DetailsPanel(QWidget):
    """The selected action in full: its fields, people, partner bodies, milestones,
    progress updates and history.

    `show_action(action_id)` chooses what it shows (None or 0: nothing). Its slots
    add_milestone, add_progress_update, assign_person, assign_partner, rebaseline,
    remove_selected_link and remove_selected_milestone are what the Edit menu calls."""

    status_message = Signal(str)  # a short note for the status bar after a change
    link_selection_changed = Signal(bool)  # a person or partner link is selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.setAccessibleName("Action details")
        self._document: Any = None
        self._action_id: int | None = None
        self._detail: ActionDetail | None = None
        self._lookups: tuple[Any, ...] | None = None  # header and choices, read per change
        self._header: PlanHeader | None = None
        self._themes: list[Choice] = []
        self._people: list[PersonOption] = []
        self._partners: list[Choice] = []
        self._read_only = False

        self.people_model = PeopleModel(self)
        self.partners_model = PartnersModel(self)
        self.milestones_model = MilestonesModel(self)
        self.history_model = HistoryModel(self)

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

        self.people_model.role_requested.connect(self._person_role_requested)
        self.partners_model.role_requested.connect(self._partner_role_requested)
        self.milestones_model.edit_requested.connect(self._milestone_edit_requested)
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
        self.tabs.addTab(self._build_form(), "Details")
        self.tabs.addTab(self._build_people(), "People")
        self.tabs.addTab(self._build_milestones(), "Milestones")
        self.tabs.addTab(self._build_updates(), "Updates")
        self.tabs.addTab(self._build_history(), "History")
        layout.addSpacing(4)
        layout.addWidget(self.tabs, 1)
        return content

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setContentsMargins(2, 10, 6, 6)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.ref_edit = QLineEdit(page)
        self.ref_edit.setObjectName("detailRef")
        self.ref_edit.setMaxLength(20)
        self.title_edit = QLineEdit(page)
        self.title_edit.setObjectName("detailTitle")
        self.title_edit.setMaxLength(300)
        self.theme_combo = details_combo(page, "detailTheme")
        self.lead_combo = details_combo(page, "detailLead")
        self.start_edit = OptionalDateEdit(page)
        self.start_edit.setObjectName("detailStart")
        self.due_edit = OptionalDateEdit(page)
        self.due_edit.setObjectName("detailDue")
        baseline_row = QHBoxLayout()
        self.baseline_label = muted_label("", page, "detailBaseline")
        self.rebaseline_button = details_button(
            "Re-baseline…", page, "rebaselineButton", self.rebaseline
        )
        self.rebaseline_button.setFlat(True)
        self.rebaseline_button.setToolTip("Agree a new baseline date and record why")
        baseline_row.addWidget(self.baseline_label, 1)
        baseline_row.addWidget(self.rebaseline_button)
        self.status_combo = details_combo(page, "detailStatus")
        fill_status_combo(self.status_combo)
        self.rag_combo = details_combo(page, "detailRag")
        self.percent_spin = QSpinBox(page)
        self.percent_spin.setObjectName("detailPercent")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSingleStep(5)
        self.percent_spin.setSuffix("%")
        self.description_edit = QPlainTextEdit(page)
        self.description_edit.setObjectName("detailDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What the action will do and why")
        self.description_edit.setMinimumHeight(
            self.description_edit.fontMetrics().lineSpacing() * 7 + 12
        )
        self.description_edit.installEventFilter(self)

        rows: list[tuple[str, Any, str]] = [
            ("&Ref:", self.ref_edit, "Ref"),
            ("&Title:", self.title_edit, "Title"),
            ("T&heme:", self.theme_combo, "Theme"),
            ("&Lead officer:", self.lead_combo, "Lead officer"),
            ("&Start:", self.start_edit, "Start date"),
            ("&Due:", self.due_edit, "Due date"),
            ("Baseline:", baseline_row, ""),
            ("St&atus:", self.status_combo, "Status"),
            ("&RAG:", self.rag_combo, "RAG rating"),
            ("% &complete:", self.percent_spin, "Percent complete"),
            ("Descr&iption:", self.description_edit, "Description"),
        ]
        for label, field, accessible in rows:
            if isinstance(field, QWidget):
                field.setAccessibleName(accessible)
            form.addRow(label, field)

        self.ref_edit.editingFinished.connect(
            lambda: self._commit({"ref": self.ref_edit.text().strip()})
        )
        self.title_edit.editingFinished.connect(
            lambda: self._commit({"title": self.title_edit.text().strip()})
        )
        self.theme_combo.activated.connect(self._theme_chosen)
        self.lead_combo.activated.connect(self._lead_chosen)
        self.status_combo.activated.connect(
            lambda _i: self._commit({"status": self.status_combo.currentData()})
        )
        self.rag_combo.activated.connect(
            lambda _i: self._commit({"rag": self.rag_combo.currentData()})
        )
        self.percent_spin.editingFinished.connect(
            lambda: self._commit({"percent": self.percent_spin.value()})
        )
        for key, editor in (("start", self.start_edit), ("due", self.due_edit)):
            commit = self._date_committer(key, editor)
            editor.editingFinished.connect(commit)
            # A date picked in the calendar pop-up is committed once the pop-up closes.
            editor.calendarWidget().clicked.connect(
                lambda _d, c=commit: QTimer.singleShot(0, self, c)
            )
            editor.calendarWidget().activated.connect(
                lambda _d, c=commit: QTimer.singleShot(0, self, c)
            )
        return scroll_area(page, self)

    def _build_people(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.people_view = details_table(page, "peopleView", "People on this action")
        self.people_view.setModel(self.people_model)
        self._people_delegate = ChoiceDelegate(self.people_view)
        self.people_view.setItemDelegateForColumn(PeopleModel.ROLE_COLUMN, self._people_delegate)
        self.partners_view = details_table(page, "partnersView", "Partner bodies on this action")
        self.partners_view.setModel(self.partners_model)
        self._partners_delegate = ChoiceDelegate(self.partners_view)
        self.partners_view.setItemDelegateForColumn(
            PartnersModel.ROLE_COLUMN, self._partners_delegate
        )
        for view, role_width in ((self.people_view, 132), (self.partners_view, 132)):
            header = view.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            view.setColumnWidth(1, role_width)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.installEventFilter(self)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            # The Delete key is handled in eventFilter, so it never clashes with a
            # window-wide Delete shortcut.
            remove = QAction("Remove from this action…", view)
            remove.triggered.connect(self.remove_selected_link)
            view.addAction(remove)
        self.assign_person_button = details_button(
            "Assign person…", page, "assignPersonButton", self.assign_person
        )
        self.remove_person_button = details_button(
            "Remove…", page, "removePersonButton", self.remove_selected_link
        )
        self.assign_partner_button = details_button(
            "Assign partner…", page, "assignPartnerButton", self.assign_partner
        )
        self.remove_partner_button = details_button(
            "Remove…", page, "removePartnerButton", self.remove_selected_link
        )
        layout.addWidget(section_title("People (RACI)", page))
        layout.addWidget(self.people_view)
        layout.addLayout(buttons_row(self.assign_person_button, self.remove_person_button))
        layout.addSpacing(10)
        layout.addWidget(section_title("Partner bodies", page))
        layout.addWidget(self.partners_view)
        layout.addLayout(buttons_row(self.assign_partner_button, self.remove_partner_button))
        layout.addWidget(
            muted_label(
                "Double-click a role to change it. The Accountable person is the "
                "action's lead officer.",
                page,
            )
        )
        layout.addStretch(1)
        self.people_view.selectionModel().selectionChanged.connect(
            lambda *_: self._link_selected(self.people_view, self.partners_view)
        )
        self.partners_view.selectionModel().selectionChanged.connect(
            lambda *_: self._link_selected(self.partners_view, self.people_view)
        )
        return scroll_area(page, self)

    def _build_milestones(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.milestones_note = muted_label("", page, "milestonesNote")
        self.milestones_view = details_table(page, "milestonesView", "Milestones")
        self.milestones_view.setModel(self.milestones_model)
        for number, column in enumerate(MilestonesModel.COLUMNS):
            self.milestones_view.setColumnWidth(number, column.width)
        self.milestones_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self._milestone_date_delegate = DateDelegate(self.milestones_view)
        self._milestone_completed_delegate = OptionalDateDelegate(
            self.milestones_view, empty_text="Not completed"
        )
        self._milestone_owner_delegate = ChoiceDelegate(self.milestones_view)
        keys = MilestonesModel.KEYS
        self.milestones_view.setItemDelegateForColumn(
            keys.index("due"), self._milestone_date_delegate
        )
        self.milestones_view.setItemDelegateForColumn(
            keys.index("completed_on"), self._milestone_completed_delegate
        )
        self.milestones_view.setItemDelegateForColumn(
            keys.index("owner_id"), self._milestone_owner_delegate
        )
        self.milestones_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            ("Re-baseline…", self.rebaseline),
            ("Delete milestone…", self.remove_selected_milestone),
        ):
            action = QAction(text, self.milestones_view)
            action.triggered.connect(slot)
            self.milestones_view.addAction(action)
        self.milestones_view.installEventFilter(self)
        self.milestones_view.horizontalHeader().sectionResized.connect(
            lambda *_: QTimer.singleShot(
                0, self.milestones_view, lambda: fit_height(self.milestones_view, 2)
            )
        )
        self.add_milestone_button = details_button(
            "Add milestone…", page, "addMilestoneButton", self.add_milestone
        )
        self.rebaseline_milestone_button = details_button(
            "Re-baseline…", page, "rebaselineMilestoneButton", self.rebaseline
        )
        self.delete_milestone_button = details_button(
            "Delete…", page, "deleteMilestoneButton", self.remove_selected_milestone
        )
        layout.addWidget(self.milestones_note)
        layout.addWidget(self.milestones_view)
        layout.addLayout(
            buttons_row(
                self.add_milestone_button,
                self.rebaseline_milestone_button,
                self.delete_milestone_button,
            )
        )
        layout.addStretch(1)
        self.milestones_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll_area(page, self)

    def _build_updates(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        self.add_update_button = details_button(
            "Add progress update…", page, "addUpdateButton", self.add_progress_update
        )
        layout.addLayout(buttons_row(self.add_update_button))
        cards = QWidget(page)
        cards.setObjectName("updatesList")
        self.updates_layout = QVBoxLayout(cards)
        self.updates_layout.setContentsMargins(0, 0, 4, 0)
        self.updates_layout.setSpacing(8)
        outer = QVBoxLayout()
        outer.addWidget(cards)
        outer.addStretch(1)
        holder = QWidget(page)
        holder.setLayout(outer)
        outer.setContentsMargins(0, 0, 0, 0)
        self.updates_scroll = scroll_area(holder, page)
        layout.addWidget(self.updates_scroll, 1)
        return page

    def _build_history(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(2, 10, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(section_title("Baseline history", page))
        cards = QWidget(page)
        self.baselines_layout = QVBoxLayout(cards)
        self.baselines_layout.setContentsMargins(0, 0, 0, 0)
        self.baselines_layout.setSpacing(8)
        layout.addWidget(cards)
        layout.addSpacing(10)
        layout.addWidget(section_title("Change history", page))
        self.history_view = details_table(page, "historyView", "Change history")
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
            page,
            "historyEmpty",
        )
        layout.addWidget(self.history_view)
        layout.addWidget(self.history_empty)
        layout.addStretch(1)
        self.history_scroll = scroll_area(page, self)
        return self.history_scroll

    # ----- public API -------------------------------------------------------------

    @property
    def action_id(self) -> int | None:
        return self._action_id

    @property
    def detail(self) -> ActionDetail | None:
        return self._detail

    def set_document(self, document: Any) -> None:
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
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self._plan_reloaded)
        self._reload()

    def _plan_reloaded(self) -> None:
        self._lookups = None
        self._reload()

    @Slot(int)
    def show_action(self, action_id: int | None) -> None:
        """Show this action; None or 0 shows the empty state."""
        if (action_id or None) != self._action_id:
            self._flush_form()
        self._action_id = action_id or None
        self._reload()

    def has_selected_link(self) -> bool:
        return self._selected_id(self.people_view) is not None or (
            self._selected_id(self.partners_view) is not None
        )

    # ----- loading ----------------------------------------------------------------

    @Slot(object)
    def _document_changed(self, _applied: Any) -> None:
        # Simplest correct rule: any change may touch the shown action (its people,
        # milestones, theme title, the plan's RAG definitions), so reload it.
        self._lookups = None
        if self._action_id is not None:
            self._reload()

    def _reload(self) -> None:
        document, action_id = self._document, self._action_id
        if document is None or action_id is None:
            self._show_empty()
            return

        # The plan's header and choice lists change only with the plan: read them once
        # per change, not at every selection (a large plan has a thousand people).
        known = self._lookups

        def read(session: Any, plan_id: int) -> tuple[Any, ...]:
            lookups = known or (
                plan_header(session, plan_id),
                theme_choices(session, plan_id),
                person_options(session, plan_id),
                partner_choices(session, plan_id),
            )
            return (*lookups, action_detail(session, plan_id, action_id))

        header, themes, people, partners, detail = document.read(read)
        self._lookups = (header, themes, people, partners)
        self._header, self._themes, self._people, self._partners = header, themes, people, partners
        self._read_only = bool(document.read_only)
        if detail is None:
            self._show_empty()
            return
        self._detail = detail
        self._fill()
        self.stack.setCurrentIndex(1)

    def show_pending(self) -> None:
        """Say the plan is still being read, until `show_action` is next called."""
        self._flush_form()
        self._action_id = None
        self._show_empty()
        self.empty_label.setText("Reading the plan…")
        self.empty_hint.hide()

    def _show_empty(self) -> None:
        self._detail = None
        self.empty_label.setText(EMPTY_TEXT)
        self.empty_hint.show()
        self.stack.setCurrentIndex(0)
        for model in (
            self.people_model,
            self.partners_model,
            self.milestones_model,
            self.history_model,
        ):
            model.set_rows([])
        self.link_selection_changed.emit(False)

    def _rag(self, code: str | None) -> RagDefinition | None:
        return self._header.rag(code) if self._header else None

    def _fill(self) -> None:
        detail = self._detail
        if detail is None:
            return
        self._fill_header(detail)
        self._fill_form(detail)
        self._fill_people(detail)
        self._fill_milestones(detail)
        self._fill_updates(detail)
        self._fill_history(detail)
        self._apply_read_only()

    def _fill_header(self, detail: ActionDetail) -> None:
        self.heading.setText(detail.heading)
        self.heading.setAccessibleName(f"Action {detail.heading}")
        self.theme_label.setText(detail.theme_label)
        self.theme_label.setToolTip("Theme")
        self.rag_chip.set_rating(self._rag(detail.rag))
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

    @contextmanager
    def _quiet(self, *widgets: QObject) -> Iterator[None]:
        previous = [widget.blockSignals(True) for widget in widgets]
        try:
            yield
        finally:
            for widget, was in zip(widgets, previous, strict=True):
                widget.blockSignals(was)

    def _fill_form(self, detail: ActionDetail) -> None:
        widgets = (
            self.ref_edit,
            self.title_edit,
            self.theme_combo,
            self.lead_combo,
            self.start_edit,
            self.due_edit,
            self.status_combo,
            self.rag_combo,
            self.percent_spin,
            self.description_edit,
        )
        with self._quiet(*widgets):
            self.ref_edit.setText(detail.ref)
            self.title_edit.setText(detail.title)
            self.title_edit.setCursorPosition(0)
            self.title_edit.setToolTip(detail.title)
            fill_combo(self.theme_combo, [(choice.id, choice.label) for choice in self._themes])
            select_data(self.theme_combo, detail.theme_id)
            fill_combo(self.lead_combo, [(p.id, p.name) for p in self._people], "(no lead officer)")
            lead = detail.lead
            select_data(self.lead_combo, lead.person_id if lead else None)
            for editor, value in ((self.start_edit, detail.start), (self.due_edit, detail.due)):
                editor.set_fallback(detail.status_date)
                editor.set_value(value)
            if self._header is not None:
                fill_rag_combo(self.rag_combo, self._header.rag_definitions)
            select_data(self.rag_combo, detail.rag)
            definition = self._rag(detail.rag)
            self.rag_combo.setToolTip(rag_tooltip(definition))
            select_data(self.status_combo, detail.status)
            self.percent_spin.setValue(detail.percent)
            if self.description_edit.toPlainText() != detail.description:
                self.description_edit.setPlainText(detail.description)
        baseline = detail.baseline_due
        moved = bool(baseline and baseline != detail.due)
        self.baseline_label.setText(
            f"{format_uk(baseline) or 'not set'}{' · due moved' if moved else ''}"
        )
        tip = ["The agreed date. Change it with Re-baseline…, which records why."]
        if moved:
            tip.append(f"The due date ({format_uk(detail.due)}) differs from the baseline.")
        if detail.baselines:
            count = len(detail.baselines)
            tip.append(
                f"Re-baselined {count} time{'s' if count != 1 else ''}: see the History tab."
            )
        self.baseline_label.setToolTip("\n".join(tip))

    def _fill_people(self, detail: ActionDetail) -> None:
        for view, model, rows in (
            (self.people_view, self.people_model, detail.people),
            (self.partners_view, self.partners_model, detail.partners),
        ):
            selected = self._selected_id(view)
            model.set_rows(rows)
            self._select_id(view, selected)
            fit_height(view)
        self.link_selection_changed.emit(self.has_selected_link())

    def _fill_milestones(self, detail: ActionDetail) -> None:
        self.milestones_model.set_context(
            [(person.id, person.name) for person in self._people], detail.status_date
        )
        self._milestone_completed_delegate.fallback = detail.status_date
        selected = self._selected_id(self.milestones_view)
        self.milestones_model.set_rows(detail.milestones)
        self._select_id(self.milestones_view, selected)
        fit_height(self.milestones_view, minimum_rows=2)
        total, late = len(detail.milestones), detail.overdue_milestones
        done = sum(1 for milestone in detail.milestones if milestone.completed_on)
        if not total:
            text = "No milestones yet. Add the dated checkpoints that show progress."
        else:
            text = f"{done} of {total} completed"
            if late:
                text += f"; {late} overdue at the status date {format_uk(detail.status_date)}"
            text += ". Double-click a cell to edit it."
        self.milestones_note.setText(text)

    def _fill_updates(self, detail: ActionDetail) -> None:
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
            self.updates_layout.addWidget(self._update_card(update))
        self.updates_scroll.verticalScrollBar().setValue(position)

    def _update_card(self, update: UpdateDetail) -> QFrame:
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
        chip.set_rating(self._rag(update.rag))
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

    def _fill_history(self, detail: ActionDetail) -> None:
        clear_layout(self.baselines_layout)
        if not detail.baselines:
            self.baselines_layout.addWidget(
                muted_label(
                    "Not re-baselined: the agreed dates still stand.", self, "baselinesEmpty"
                )
            )
        for entry in detail.baselines:
            self.baselines_layout.addWidget(self._baseline_card(entry))
        self.history_model.set_rows([self._history_row(entry) for entry in detail.history])
        fit_height(self.history_view)
        self.history_view.setVisible(bool(detail.history))
        self.history_empty.setVisible(not detail.history)

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

    # ----- history wording ----------------------------------------------------------

    def _history_row(self, entry: HistoryEntry) -> HistoryRow:
        kind = KINDS.get(entry.entity)
        if entry.field == CREATED:
            change = "Added"
        elif entry.field == DELETED:
            change = "Removed"
        else:
            spec = kind.fields.get(entry.field) if kind else None
            label = spec.label if spec else entry.field.replace("_", " ").capitalize()
            old = self._history_value(entry.entity, entry.field, entry.old_value)
            new = self._history_value(entry.entity, entry.field, entry.new_value)
            change = f"{label}: {old} → {new}"
        source = "" if entry.source == "edit" else entry.source.split(":", 1)[0]
        shown = f"{change} ({source})" if source else change
        tooltip = f"{entry.subject}\n{change}\n{entry.at:%d/%m/%Y %H:%M} by {entry.who}"
        if entry.source != "edit":
            tooltip += f"\nFrom: {entry.source}"
        return HistoryRow(
            id=entry.id,
            when=f"{entry.at:%d/%m/%Y %H:%M}",
            who=entry.who,
            subject=entry.subject,
            change=shown,
            source=entry.source,
            tooltip=tooltip,
        )

    def _history_value(self, entity: str, field: str, text: str | None) -> str:
        if text is None or text == "":
            return "(blank)"
        if field in (
            "start",
            "due",
            "baseline_due",
            "completed_on",
            "as_at",
            "new_due",
            "old_due",
            "decided_on",
        ):
            try:
                return format_uk(date.fromisoformat(text[:10]))
            except ValueError:
                return text
        if field == "status":
            return label_of(Status, text)
        if field == "role" and entity == "action_person":
            return RACI_LABELS.get(text, text)
        if field == "role" and entity == "action_partner":
            return label_of(PartnerRole, text)
        if field == "rag":
            return rag_label(self._rag(text)) if self._rag(text) else text
        if field == "percent":
            return f"{text}%"
        if field in ("owner_id", "author_id", "person_id") and text.isdigit():
            names = {person.id: person.name for person in self._people}
            return names.get(int(text), text)
        if field == "theme_id" and text.isdigit():
            return {c.id: c.label for c in self._themes}.get(int(text), text)
        if field == "partner_id" and text.isdigit():
            return {c.id: c.label for c in self._partners}.get(int(text), text)
        return text if len(text) <= 80 else text[:77].rstrip() + "…"

    # ----- read-only plans ----------------------------------------------------------

    def _apply_read_only(self) -> None:
        editable = not self._read_only
        for line in (self.ref_edit, self.title_edit):
            line.setReadOnly(not editable)
        self.description_edit.setReadOnly(not editable)
        for widget in (
            self.theme_combo,
            self.lead_combo,
            self.start_edit,
            self.due_edit,
            self.status_combo,
            self.rag_combo,
            self.percent_spin,
            self.rebaseline_button,
            self.assign_person_button,
            self.remove_person_button,
            self.assign_partner_button,
            self.remove_partner_button,
            self.add_milestone_button,
            self.rebaseline_milestone_button,
            self.delete_milestone_button,
            self.add_update_button,
        ):
            widget.setEnabled(editable)
        for model in (self.people_model, self.partners_model, self.milestones_model):
            model.set_editable(editable)

    # ----- selection helpers --------------------------------------------------------

    @staticmethod
    def _selected_id(view: QTableView) -> int | None:
        model = view.selectionModel()
        if model is None:
            return None
        rows = model.selectedRows()
        if not rows:
            return None
        value = rows[0].data(ID_ROLE)
        return int(value) if value is not None else None

    @staticmethod
    def _select_id(view: QTableView, row_id: int | None) -> None:
        if row_id is None:
            return
        model = view.model()
        assert isinstance(model, RowsModel)
        row = model.row_of(row_id)
        if row is None:
            return
        index = model.index(row, 0)
        view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        view.scrollTo(index)

    def _link_selected(self, view: QTableView, other: QTableView) -> None:
        if self._selected_id(view) is not None:
            other.selectionModel().clearSelection()
        self.link_selection_changed.emit(self.has_selected_link())

    def select_milestone(self, milestone_id: int) -> None:
        self._select_id(self.milestones_view, milestone_id)

    # ----- changing the plan --------------------------------------------------------

    def _can_change(self) -> bool:
        if self._document is None or self._detail is None:
            self.status_message.emit(EMPTY_TEXT)
            return False
        if self._read_only:
            show_error(self, "This plan is open read-only, so it cannot be changed.")
            return False
        return True

    def _execute(self, command: Command) -> bool:
        """Apply a command; on refusal show the core's message and the stored values."""

        def refused(error: PlannerError) -> None:
            show_error(self, error)
            if self._detail is not None:
                self._fill()

        applied = self._document.try_execute(command, refused)
        if applied is None:
            return False
        self.status_message.emit(applied.description)
        return True

    def _commit(self, values: dict[str, Any]) -> None:
        detail = self._detail
        if detail is None or self._document is None:
            return
        changed = {key: value for key, value in values.items() if getattr(detail, key) != value}
        if not changed:
            return
        self._execute(EditRecord("action", detail.id, changed))

    def _flush_form(self) -> None:
        """Commit what is typed but not yet committed (the focus is still in the field)
        before the panel moves to another action, so no typing is lost."""
        detail = self._detail
        if detail is None or self._document is None or self._read_only:
            return
        typed: dict[str, Any] = {
            "ref": self.ref_edit.text().strip(),
            "title": self.title_edit.text().strip(),
            "start": self.start_edit.value(),
            "due": self.due_edit.value(),
            "percent": self.percent_spin.value(),
        }
        description = self.description_edit.toPlainText().strip()
        if description != detail.description.strip():
            typed["description"] = description
        self._commit(typed)

    def _date_committer(self, key: str, editor: OptionalDateEdit) -> Callable[[], None]:
        def commit() -> None:
            if editor.calendarWidget().isVisible():
                return
            self._commit({key: editor.value()})

        return commit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            removers: dict[QObject, Callable[[], object]] = {
                self.people_view: self.remove_selected_link,
                self.partners_view: self.remove_selected_link,
                self.milestones_view: self.remove_selected_milestone,
            }
            remove = removers.get(watched)
            if remove is not None and event.key() == Qt.Key.Key_Delete and not event.modifiers():
                event.accept()  # ours, not a window-wide Delete shortcut's
                if kind == QEvent.Type.KeyPress:
                    remove()
                return kind == QEvent.Type.KeyPress
        if (
            event.type() == QEvent.Type.Resize
            and watched in (self.people_view, self.partners_view, self.history_view)
            and isinstance(event, QResizeEvent)
            and event.size().width() != event.oldSize().width()
        ):
            assert isinstance(watched, QTableView)
            # Fit once the header has given the stretched column its new width.
            QTimer.singleShot(0, watched, lambda view=watched: fit_height(view))
        if watched is self.description_edit and event.type() == QEvent.Type.FocusOut:
            detail = self._detail
            text = self.description_edit.toPlainText().strip()
            if detail is not None and text != detail.description.strip():
                self._commit({"description": text})
        return super().eventFilter(watched, event)

    def _theme_chosen(self, index: int) -> None:
        detail = self._detail
        theme_id = self.theme_combo.itemData(index)
        if detail is None or theme_id is None or theme_id == detail.theme_id:
            return
        self._execute(MoveAction(detail.id, int(theme_id)))

    def _lead_chosen(self, index: int) -> None:
        detail = self._detail
        if detail is None:
            return
        person_id = self.lead_combo.itemData(index)
        lead = detail.lead
        if (lead.person_id if lead else None) == person_id:
            return
        self._execute(self._lead_command(person_id))

    def _lead_command(self, person_id: int | None) -> Command:
        """Make `person_id` the lead officer (the core keeps the previous lead on the
        action as Responsible), as the actions table does."""
        detail = self._detail
        assert detail is not None
        return SetLeadOfficer(detail.id, person_id)

    def _person_role_requested(self, link_id: int, role: str) -> None:
        detail = self._detail
        if detail is None:
            return
        link = next((p for p in detail.people if p.link_id == link_id), None)
        if link is None or link.role == role:
            return
        if role == RaciRole.ACCOUNTABLE.value:
            self._execute(self._lead_command(link.person_id))
        else:
            self._execute(EditRecord("action_person", link_id, {"role": role}))

    def _partner_role_requested(self, link_id: int, role: str) -> None:
        if self._detail is not None:
            self._execute(EditRecord("action_partner", link_id, {"role": role}))

    def _milestone_edit_requested(self, milestone_id: int, field: str, value: Any) -> None:
        if self._detail is not None:
            self._execute(EditRecord("milestone", milestone_id, {field: value}))

    # ----- the Edit menu's slots ----------------------------------------------------

    def _person_options(self, exclude: set[int] | None = None) -> list[tuple[int, str]]:
        return [(p.id, p.label) for p in self._people if p.id not in (exclude or set())]

    @Slot()
    def add_milestone(self) -> None:
        """Ask for a new milestone and add it to the shown action."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        due = detail.due if detail.due and detail.due > detail.status_date else detail.status_date
        lead = detail.lead
        values: MilestoneValues | None = None
        while True:
            values = MilestoneDialog.ask(
                self,
                detail.ref,
                self._person_options(),
                due,
                owner_id=lead.person_id if lead else None,
                initial=values,
            )
            if values is None:
                return
            if self._try(CreateRecord("milestone", values.record(detail.id))):
                break
        self.tabs.setCurrentIndex(TAB_MILESTONES)
        newest = self._detail.milestones if self._detail else ()
        for milestone in newest:
            if milestone.title == values.title and milestone.due == values.due:
                self.select_milestone(milestone.id)

    def _try(self, command: Command) -> bool:
        """Like _execute, but leaves the panel as it is on refusal (a dialog reopens)."""
        applied = self._document.try_execute(command, lambda error: show_error(self, error))
        if applied is None:
            return False
        self.status_message.emit(applied.description)
        return True

    @Slot()
    def add_progress_update(self) -> None:
        """Ask for a progress update and record it against the shown action."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None and self._header is not None
        lead = detail.lead
        values: ProgressUpdateValues | None = None
        while True:
            values = ProgressUpdateDialog.ask(
                self,
                detail.ref,
                self._person_options(),
                self._header.rag_definitions,
                detail.status_date,
                detail.status,
                detail.rag,
                detail.percent,
                author_id=lead.person_id if lead else None,
                initial=values,
            )
            if values is None:
                return
            if self._try(AddProgressUpdate(detail.id, values.record())):
                break
        self.tabs.setCurrentIndex(TAB_UPDATES)
        self.updates_scroll.verticalScrollBar().setValue(0)

    @Slot()
    def assign_person(self) -> None:
        """Ask for a person and their RACI role, and add them to the shown action."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        lead = detail.lead
        values = AssignPersonDialog.ask(
            self,
            detail.ref,
            self._person_options({link.person_id for link in detail.people}),
            current_lead=lead.name if lead else None,
        )
        if values is None:
            return
        if values.role == RaciRole.ACCOUNTABLE.value:
            command = self._lead_command(values.person_id)
        else:
            command = CreateRecord(
                "action_person",
                {"action_id": detail.id, "person_id": values.person_id, "role": values.role},
            )
        if self._execute(command):
            self.tabs.setCurrentIndex(TAB_PEOPLE)
            for link in self._detail.people if self._detail else ():
                if link.person_id == values.person_id:
                    self._select_id(self.people_view, link.link_id)

    @Slot()
    def assign_partner(self) -> None:
        """Ask for a partner body and its role, and add it to the shown action."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        linked = {link.partner_id for link in detail.partners}
        options = [(c.id, c.label) for c in self._partners if c.id not in linked]
        values = AssignPartnerDialog.ask(self, detail.ref, options)
        if values is None:
            return
        command = CreateRecord(
            "action_partner",
            {"action_id": detail.id, "partner_id": values.partner_id, "role": values.role},
        )
        if self._execute(command):
            self.tabs.setCurrentIndex(TAB_PEOPLE)
            for link in self._detail.partners if self._detail else ():
                if link.partner_id == values.partner_id:
                    self._select_id(self.partners_view, link.link_id)

    def _rebaseline_targets(self, detail: ActionDetail) -> list[RebaselineTarget]:
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

    @Slot()
    def rebaseline(self) -> None:
        """Agree a new baseline for the action, or for the selected milestone when the
        Milestones tab is showing."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        targets = self._rebaseline_targets(detail)
        selected = 0
        milestone_id = self._selected_id(self.milestones_view)
        if self.tabs.currentIndex() == TAB_MILESTONES and milestone_id is not None:
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
            if self._try(command):
                return

    @Slot()
    def remove_selected_link(self) -> None:
        """Remove the selected person or partner body from the action, after asking."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        person_link = self._selected_id(self.people_view)
        partner_link = self._selected_id(self.partners_view)
        if person_link is not None:
            person = next(p for p in detail.people if p.link_id == person_link)
            details = []
            if person.role == RaciRole.ACCOUNTABLE.value:
                details.append(
                    "They are the lead officer: the action will have no lead "
                    "officer until you choose one."
                )
            if confirm(
                self,
                "Remove from action",
                f"Remove {person.name} from action {detail.ref}?",
                details,
                "Remove",
            ):
                self._execute(DeleteRecord("action_person", person_link))
            return
        if partner_link is not None:
            partner = next(p for p in detail.partners if p.link_id == partner_link)
            if confirm(
                self,
                "Remove from action",
                f"Remove {partner.name} from action {detail.ref}?",
                None,
                "Remove",
            ):
                self._execute(DeleteRecord("action_partner", partner_link))
            return
        self.tabs.setCurrentIndex(TAB_PEOPLE)
        self.status_message.emit("Select a person or partner body to remove first.")

    @Slot()
    def remove_selected_milestone(self) -> None:
        """Delete the selected milestone, after asking."""
        if not self._can_change():
            return
        detail = self._detail
        assert detail is not None
        milestone_id = self._selected_id(self.milestones_view)
        milestone = next((m for m in detail.milestones if m.id == milestone_id), None)
        if milestone is None:
            self.tabs.setCurrentIndex(TAB_MILESTONES)
            self.status_message.emit("Select a milestone to delete first.")
            return
        baselines = sum(1 for entry in detail.baselines if entry.milestone_id == milestone.id)
        details = [f"{baselines} baseline change record(s) will be deleted"] if baselines else []
        if confirm(
            self,
            "Delete milestone",
            f"Delete the milestone '{milestone.title}' from action {detail.ref}?",
            details,
        ):
            self._execute(DeleteRecord("milestone", milestone.id))
