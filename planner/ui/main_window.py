"""The main window: themes on the left, actions in the centre, details on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from planner import APP_NAME
from planner.commands import Command
from planner.commands.runner import Applied
from planner.errors import PlannerError
from planner.queries import (
    ActionFilter,
    ActionRow,
    action_rows,
    filter_actions,
    theme_rag_counts,
)
from planner.queries.actions import first_action_ids
from planner.queries.lookups import partner_choices, person_choices, plan_header, theme_choices
from planner.queries.search import action_texts, matching_actions
from planner.ui.about import about_box
from planner.ui.actions_page import ActionsPage
from planner.ui.delegates import to_qdate
from planner.ui.details import DetailsPanel
from planner.ui.directory_tabs import DirectoryTabs
from planner.ui.document import PlanDocument
from planner.ui.filter_bar import FilterBar
from planner.ui.first_paint import FirstPaint
from planner.ui.icons import icon
from planner.ui.messages import confirm, show_error
from planner.ui.models.roles import THEME_ID_ROLE
from planner.ui.models.themes import ALL_THEMES, ThemesModel
from planner.ui.plan_editing import PlanEditing
from planner.ui.purpose_tabs import PurposeTabs
from planner.ui.read_only_bar import ReadOnlyBar
from planner.ui.settings import AppSettings
from planner.ui.shared_refresh import SharedRefresher
from planner.ui.themes_table import themes_table
from planner.ui.views.base import PlanView
from planner.ui.views.plan_views import PLAN_VIEW_TABS, make_plan_views
from planner.ui.window_actions import WindowCommands, build_actions
from planner.ui.window_layout import restore_layout, save_layout, stacked, three_panes
from planner.ui.window_menus import build_menus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.ui.directory_views import PartnersView, PeopleView


# A plan with this many actions or more shows its first screenful before reading the rest.
LOAD_IN_STEPS = 1000
FIRST_SCREEN_ROWS = 80
LOAD_REST_AFTER_MS = 1000  # in case the window is never painted


def _counted_differently(before: ActionRow | None, after: ActionRow) -> bool:
    """Whether the themes list's RAG counts change with this row."""
    return before is None or (before.theme_id, before.rag) != (after.theme_id, after.rag)


class MainWindow(QMainWindow, WindowCommands):
    def __init__(self, settings: AppSettings | None = None, *, plan_views: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.document: PlanDocument | None = None
        self._visible_ids: set[int] | None = None  # the filter's actions; None: all
        self._loading_rest = False  # a large plan shows its first screenful first
        self._action_words: dict[int, str] | None = None  # for typed filters; None: unread
        self.editing = PlanEditing(self)
        self._build_views()
        self.plan_views: list[PlanView] = []
        self._plan_view_places: list[QWidget] = []
        if plan_views:
            self.build_plan_views()
        else:
            self._hold_places_for_plan_views()
        from planner.ui.file_flows import FileFlows

        self.file_flows = FileFlows(self)
        build_actions(self, self, self.file_flows, self.editing)
        build_menus(self, self, self.file_flows)
        self.read_only_bar = ReadOnlyBar(self)
        self.shared_refresher = SharedRefresher(self)
        restore_layout(self, self.splitter, self._actions_header(), self.settings)
        self.update_enabled()
        self.resize(1280, 800)
        self.update_title()

    # ----- building ---------------------------------------------------------------

    def _build_views(self) -> None:
        self.themes_model = ThemesModel(self)
        self.themes_view = themes_table(self, self.themes_model)
        self.actions_page = ActionsPage(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("centralTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.actions_page, icon("add-action"), "&Actions")
        self.purpose_tabs = PurposeTabs(self.tabs)
        self.directory_tabs = DirectoryTabs(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.filter_bar = FilterBar(self)
        centre = stacked(self, self.filter_bar, self.tabs)
        self.details = DetailsPanel(self)
        self.splitter = three_panes(self, self.themes_view, centre, self.details)
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.statusBar().addPermanentWidget(self.count_label)

        self.themes_view.selectionModel().currentRowChanged.connect(self._theme_selected)
        self.actions_page.action_selected.connect(self._action_selected)
        self.filter_bar.changed.connect(lambda _f: self.apply_filter())
        # Queued, so an error message never sits over a half-closed cell editor.
        self.actions_page.model.edit_requested.connect(
            self.editing.edit_action_field, Qt.ConnectionType.QueuedConnection
        )

    # ----- what the flows use (planner.ui.window_api) --------------------------------

    @property
    def widget(self) -> QMainWindow:
        return self

    def show_status(self, text: str, timeout_ms: int) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def close_plan(self) -> bool:
        return self.file_flows.close_plan()

    @property
    def people_view(self) -> PeopleView:
        return self.directory_tabs.views()[0]

    @property
    def partners_view(self) -> PartnersView:
        return self.directory_tabs.views()[1]

    # ----- the document -------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        """Show `document` (or nothing); the window does not close the previous one."""
        if self.document is not None:
            self.document.changed.disconnect(self._document_changed)
            self.document.reloaded.disconnect(self.reload)
            self.document.dirty_changed.disconnect(self.update_title)
            self.document.undo_stack.canUndoChanged.disconnect(self._update_undo_actions)
            self.document.undo_stack.canRedoChanged.disconnect(self._update_undo_actions)
            self.document.undo_stack.indexChanged.disconnect(self._update_undo_actions)
        self.document = document
        self.details.set_document(document)
        self._visible_ids = None
        for view in self.plan_views:
            view.set_document(document)
        self.directory_tabs.set_document(document)
        self.purpose_tabs.set_document(document)
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self.reload)
            document.dirty_changed.connect(self.update_title)
            document.undo_stack.canUndoChanged.connect(self._update_undo_actions)
            document.undo_stack.canRedoChanged.connect(self._update_undo_actions)
            document.undo_stack.indexChanged.connect(self._update_undo_actions)
            if not document.shared:
                self.settings.add_recent_file(document.plan_file.path)
        self.shared_refresher.follow()
        read_only = document is not None and document.read_only
        self.actions_page.model.editable = not read_only
        if document is not None and document.shared:
            self.read_only_bar.show_reason(
                document.read_only_reason if read_only else None,
                "Use File > Download a copy to keep a copy of your own.",
            )
        else:
            reason = document.read_only_reason if document is not None and read_only else None
            self.read_only_bar.show_reason(reason)
        self.reload(first_screen_first=True)
        self.update_title()
        self._update_undo_actions()
        self.update_enabled()

    def _hold_places_for_plan_views(self) -> None:
        """Tabs for the pictures of the plan, empty until `build_plan_views` fills them."""
        for icon_name, title in PLAN_VIEW_TABS:
            place = QWidget(self)
            self._plan_view_places.append(place)
            self.tabs.insertTab(self.purpose_tabs.first_index, place, icon(icon_name), title)

    def build_plan_views(self) -> None:
        """The pictures of the plan: tabs between the actions and the outcomes. The app
        builds them just after its first paint, so a large plan shows sooner."""
        if self.plan_views:
            return
        views = make_plan_views(self)
        self.dashboard_view, self.timeline_view, self.partner_map_view, self.people_load_view = (
            views
        )
        current = self.tabs.currentIndex()
        for view, (icon_name, title) in zip(views, PLAN_VIEW_TABS, strict=True):
            self.add_plan_view(view, icon_name, title)
        for place in self._plan_view_places:  # the empty tabs that held their places
            self.tabs.removeTab(self.tabs.indexOf(place))
            place.deleteLater()
        self._plan_view_places.clear()
        self.tabs.setCurrentIndex(current)
        self.partner_map_view.partner_chosen.connect(self.filter_bar.set_partner)
        self.people_load_view.person_chosen.connect(self.filter_bar.set_person)

    def add_plan_view(self, view: PlanView, icon_name: str, title: str) -> None:
        """Add a picture of the plan as a tab that follows the filter and the selection."""
        self.plan_views.append(view)
        self.tabs.insertTab(self.purpose_tabs.first_index, view, icon(icon_name), title)
        view.action_activated.connect(self._view_picked_action)
        view.command_requested.connect(self.execute)
        view.set_document(self.document)
        view.follow(self._visible_ids)
        view.set_current_action(self.actions_page.current_action_id())

    def _tab_changed(self, _index: int) -> None:
        # The filter applies to actions, not to the lists of people, bodies and outcomes.
        lists = self.directory_tabs.shows_one() or self.purpose_tabs.shows_one()
        self.filter_bar.setVisible(not lists)
        self._fit_side_panes()

    def _fit_side_panes(self, *, as_chosen: bool = False) -> None:
        """The outcomes and benefits take the room of the themes and the action's details,
        which are not theirs; `as_chosen` shows the panes as the officer left them."""
        wide = not as_chosen and self.purpose_tabs.shows_one()
        self.themes_view.setVisible(not wide)
        self.details.setVisible(not wide and self.actionShowDetails.isChecked())

    def _update_views(self, *, plan_changed: bool, changed_actions: set[int] | None = None) -> None:
        for view in self.plan_views:
            view.follow(
                self._visible_ids, plan_changed=plan_changed, changed_actions=changed_actions
            )

    def _view_picked_action(self, action_id: int) -> None:
        if self.actions_page.model.row_for(action_id) is None:
            return
        self.actions_page.select_action(action_id)

    def reload(self, *, first_screen_first: bool = False) -> None:
        """Read everything the window shows from the plan again, keeping the selection.

        With `first_screen_first`, a large plan shows its first screenful of actions at
        once and reads the rest just after the window is first painted."""
        document = self.document
        selected = self.actions_page.current_action_id()
        self._loading_rest = False
        self._action_words = None
        if document is None:
            self.actions_page.model.set_rows([])
            self.count_label.setText("")
            self.details.show_action(None)
            return
        header = document.read(plan_header)
        rows_to_show = self._rows_to_show(first_screen_first)
        # The lists of people and partner bodies (for the pickers and the lead officer's
        # editor) are read with the rest of a large plan, after the first paint.
        people = [] if self._loading_rest else document.read(person_choices)
        partners = [] if self._loading_rest else document.read(partner_choices)
        themes = document.read(theme_choices)
        self.themes_model.set_rows(header, document.read(theme_rag_counts))
        self.actions_page.model.set_context(header, people)
        self.filter_bar.set_choices(header, themes, people, partners)
        self.actions_page.model.set_rows(document.read(rows_to_show))
        self.status_date_edit.blockSignals(True)
        self.status_date_edit.setDate(to_qdate(header.status_date))
        self.status_date_edit.blockSignals(False)
        self.apply_filter(plan_changed=True)
        if not selected or self.actions_page.model.row_for(selected) is None:
            selected = self.actions_page.first_visible_action_id()
        if selected and self._loading_rest:
            # The details are read once, with the rest of the plan, after the first paint.
            self.actions_page.quiet = True
            self.actions_page.select_action(selected)
            self.actions_page.quiet = False
            self.details.show_pending()
        elif selected:
            self.actions_page.select_action(selected)
        self.update_title()

    def _rows_to_show(self, first_screen_first: bool) -> Callable[[Session, int], list[ActionRow]]:
        document = self.document
        assert document is not None
        if first_screen_first:
            first = document.read(lambda s, plan_id: first_action_ids(s, plan_id, LOAD_IN_STEPS))
            if len(first) == LOAD_IN_STEPS:
                shown = first[:FIRST_SCREEN_ROWS]
                self._loading_rest = True
                FirstPaint(self.actions_page.table.viewport(), self._load_rest)
                QTimer.singleShot(LOAD_REST_AFTER_MS, self._load_rest)
                return lambda session, plan_id: action_rows(session, plan_id, shown)
        return action_rows

    def _load_rest(self) -> None:
        if self._loading_rest:
            self.reload()

    def apply_filter(
        self, *, plan_changed: bool = False, changed_actions: set[int] | None = None
    ) -> None:
        """Show the actions the filter bar lets through, in the table and every view."""
        document = self.document
        if document is None:
            return
        wanted = self.filter_bar.current()
        page = self.actions_page
        previous = page.current_action_id()
        page.quiet = True  # the selection survives filtering when its action still shows
        try:
            self._visible_ids = None if wanted == ActionFilter() else self._matching(wanted)
            page.model.set_visible_ids(self._visible_ids)
            if previous and page.model.row_for(previous) is not None:
                page.select_action(previous)
        finally:
            page.quiet = False
        if page.current_action_id() != previous:
            self._action_selected(page.current_action_id() or 0)
        self._update_count()
        self._update_views(plan_changed=plan_changed, changed_actions=changed_actions)
        row = self._theme_row(wanted)
        if self.themes_view.currentIndex().row() != row:
            self._select_theme_row(row)

    def _matching(self, wanted: ActionFilter) -> set[int]:
        """The actions `wanted` lets through. Typed words are looked up in the actions'
        text held in memory (read once per plan), the other choices by a query."""
        document = self.document
        assert document is not None
        others = replace(wanted, text="")
        found: set[int] | None = None
        if others != ActionFilter():
            found = set(
                document.read(lambda session, plan_id: filter_actions(session, plan_id, others))
            )
        if wanted.text.strip():
            if self._action_words is None:
                self._action_words = document.read(action_texts)
            by_words = matching_actions(self._action_words, wanted.text)
            found = by_words if found is None else found & by_words
        return found if found is not None else set()

    def _update_count(self) -> None:
        if self._loading_rest:
            self.count_label.setText("Reading the rest of the plan…")
            return
        total = self.actions_page.model.total_count()
        shown = self.actions_page.visible_count()
        self.count_label.setText(f"{shown} of {total} actions")

    def _document_changed(self, applied: Applied) -> None:
        """Refresh what the change touched: the rows of the actions it names, or, when the
        plan's structure or its people and partner bodies changed, everything."""
        document = self.document
        if document is None:
            return
        touches = applied.touches
        if touches.reaches_every_action:
            self.reload()
            return
        action_ids = set(touches.actions)
        if action_ids:
            model = self.actions_page.model
            rows = document.read(
                lambda session, plan_id: action_rows(session, plan_id, sorted(action_ids))
            )
            before = {row.id: model.action(row.id) for row in rows}
            model.update_rows(rows)
            if self._action_words is not None:
                self._action_words.update(
                    document.read(
                        lambda session, plan_id: action_texts(session, plan_id, action_ids)
                    )
                )
            if any(_counted_differently(before[row.id], row) for row in rows):
                header = document.read(plan_header)
                self.themes_model.set_rows(header, document.read(theme_rag_counts))
                self._restore_theme_selection()
        if self.filter_bar.is_active():
            self.apply_filter(plan_changed=True, changed_actions=action_ids)
        else:
            self._update_views(plan_changed=True, changed_actions=action_ids)

    def _restore_theme_selection(self) -> None:
        self._select_theme_row(self._theme_row(self.filter_bar.current()))

    def _theme_row(self, wanted: ActionFilter) -> int:
        """The row of the theme the filter keeps (the first row, all themes, if none)."""
        theme_ids = wanted.theme_ids
        return self.themes_model.row_of(next(iter(theme_ids))) if theme_ids else 0

    def _select_theme_row(self, row: int) -> None:
        self.themes_view.selectionModel().setCurrentIndex(
            self.themes_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    # ----- editing ----------------------------------------------------------------

    def execute(self, command: Command) -> Applied | None:
        """Run a command on the plan; a refusal is shown and nothing changes."""
        if self.document is None:
            return None
        return self.document.try_execute(
            command, lambda error: show_error(self, error, "The change was not made")
        )

    def tell_error(self, error: PlannerError | str, title: str = "") -> None:
        show_error(self, error, title)

    def ask_confirm(self, title: str, text: str, details: list[str] | None = None) -> bool:
        return confirm(self, title, text, details)

    def undo(self) -> None:
        if self.document is not None:
            self._guarded(self.document.undo)

    def redo(self) -> None:
        if self.document is not None:
            self._guarded(self.document.redo)

    def _guarded(self, step: Callable[[], object]) -> None:
        try:
            step()
        except PlannerError as error:
            show_error(self, error, "Undo was not possible")
            self.reload()

    # ----- selection --------------------------------------------------------------

    def _theme_selected(self, current: object, _previous: object) -> None:
        index = self.themes_view.currentIndex()
        theme_id = index.data(THEME_ID_ROLE) if index.isValid() else ALL_THEMES
        bar = self.filter_bar
        current_theme = bar.current().theme_ids
        if (theme_id or None) != (next(iter(current_theme)) if current_theme else None):
            bar.set_theme(theme_id or None)
        self.update_enabled()

    def _action_selected(self, action_id: int) -> None:
        self.details.show_action(action_id or None)
        for view in self.plan_views:
            view.set_current_action(action_id or None)
        self.update_enabled()

    def focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.actions_page)
        self.filter_bar.text.setFocus()
        self.filter_bar.text.selectAll()

    # ----- window state -------------------------------------------------------------

    def update_title(self, *_args: object) -> None:
        document = self.document
        if document is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            return
        title = document.read(plan_header).title
        read_only = " (read-only)" if document.read_only else ""
        self.setWindowTitle(f"{title} — {document.display_name}[*]{read_only} — {APP_NAME}")
        self.setWindowModified(document.dirty)

    def _update_undo_actions(self, *_args: object) -> None:
        self.show_undo_steps(self.document.undo_stack if self.document else None)

    def update_enabled(self) -> None:
        self.enable_commands(
            self.document,
            has_action=bool(self.actions_page.current_action_id()),
            has_link=self.details.has_selected_link(),
        )

    def about_box(self) -> QMessageBox:
        return about_box(self)

    def _actions_header(self) -> QHeaderView:
        return self.actions_page.table.horizontalHeader()

    def save_layout(self) -> None:
        self._fit_side_panes(as_chosen=True)  # the panes are kept as the officer set them
        save_layout(self, self.splitter, self._actions_header(), self.settings)
        self._fit_side_panes()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_plan():
            event.ignore()
            return
        self.save_layout()
        event.accept()
