"""The main window: themes on the left, actions in the centre, details on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME, __version__
from planner.commands import (
    Command,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    SetLeadOfficer,
    deletion_effects,
    next_free_ref,
)
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
from planner.ui.actions_page import ActionsPage
from planner.ui.chips import ThemeItemDelegate
from planner.ui.delegates import from_qdate, to_qdate
from planner.ui.details import DetailsPanel
from planner.ui.directory_views import PartnersView, PeopleView
from planner.ui.document import PlanDocument
from planner.ui.filter_bar import FilterBar
from planner.ui.first_paint import FirstPaint
from planner.ui.icons import icon
from planner.ui.messages import confirm, show_error
from planner.ui.models.roles import THEME_ID_ROLE
from planner.ui.models.themes import ALL_THEMES, ThemesModel
from planner.ui.read_only_bar import ReadOnlyBar
from planner.ui.settings import AppSettings
from planner.ui.shared_refresh import SharedRefresher
from planner.ui.style import style_table
from planner.ui.views.base import PlanView
from planner.ui.window_actions import build_actions, build_menus

if TYPE_CHECKING:
    from planner.ui.file_flows import FileFlows

# A plan with this many actions or more shows its first screenful before reading the rest.
LOAD_IN_STEPS = 1000
FIRST_SCREEN_ROWS = 80
LOAD_REST_AFTER_MS = 1000  # in case the window is never painted


def _counted_differently(before: ActionRow | None, after: ActionRow) -> bool:
    """Whether the themes list's RAG counts change with this row."""
    return before is None or (before.theme_id, before.rag) != (after.theme_id, after.rag)


class MainWindow(QMainWindow):
    # Its commands, made by planner.ui.window_actions:
    actionNew: QAction
    actionNewFromExcel: QAction
    actionOpen: QAction
    actionOpenShared: QAction
    actionSave: QAction
    actionSaveAs: QAction
    actionDownloadCopy: QAction
    actionRestoreBackup: QAction
    actionClose: QAction
    actionQuit: QAction
    actionExportExcel: QAction
    actionExportReport: QAction
    actionPrintView: QAction
    actionImportExcel: QAction
    actionRounds: QAction
    actionExportHistory: QAction
    actionReviewProposals: QAction
    actionPreferences: QAction
    actionUndo: QAction
    actionRedo: QAction
    actionAddAction: QAction
    actionDeleteAction: QAction
    actionMoveUp: QAction
    actionMoveDown: QAction
    actionAddTheme: QAction
    actionMoveThemeUp: QAction
    actionMoveThemeDown: QAction
    actionAddMilestone: QAction
    actionAddUpdate: QAction
    actionAssignPerson: QAction
    actionAssignPartner: QAction
    actionRebaseline: QAction
    actionRemoveLink: QAction
    actionDeleteMilestone: QAction
    actionFind: QAction
    actionClearFilter: QAction
    actionShowDetails: QAction
    actionAbout: QAction
    actionUserGuide: QAction
    recent_menu: QMenu
    status_date_edit: QDateEdit

    def __init__(self, settings: AppSettings | None = None, *, plan_views: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.document: PlanDocument | None = None
        self._visible_ids: set[int] | None = None  # the filter's actions; None: all
        self._loading_rest = False  # a large plan shows its first screenful first
        self._action_words: dict[int, str] | None = None  # for typed filters; None: unread
        self.file_flows: FileFlows | None = None  # set by planner.ui.window_actions
        self._build_views()
        self.plan_views: list[PlanView] = []
        self._plan_view_places: list[QWidget] = []
        if plan_views:
            self.build_plan_views()
        else:
            self._hold_places_for_plan_views()
        build_actions(self)
        build_menus(self)
        self.read_only_bar = ReadOnlyBar(self)
        self.shared_refresher = SharedRefresher(self)
        self._restore_layout()
        self.update_enabled()
        self.resize(1280, 800)
        self._update_title()

    # ----- building ---------------------------------------------------------------

    def _build_views(self) -> None:
        self.themes_model = ThemesModel(self)
        self.themes_view = QTableView(self)
        style_table(self.themes_view)
        self.themes_view.setObjectName("themesView")
        self.themes_view.setAccessibleName("Themes")
        self.themes_view.setModel(self.themes_model)
        self.themes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.themes_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.themes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.themes_view.verticalHeader().setVisible(False)
        self.themes_view.setShowGrid(False)
        self.themes_view.setWordWrap(True)
        self.themes_view.setMinimumWidth(220)
        self.themes_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.themes_view.setItemDelegate(ThemeItemDelegate(self.themes_view))
        self.themes_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.themes_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

        self.actions_page = ActionsPage(self)
        self.people_view = PeopleView(self)
        self.partners_view = PartnersView(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("centralTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.actions_page, icon("add-action"), "&Actions")
        self.tabs.addTab(self.people_view, icon("person"), "&People")
        self.tabs.addTab(self.partners_view, icon("partner"), "Partner &bodies")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.filter_bar = FilterBar(self)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.filter_bar)
        centre_layout.addWidget(self.tabs)

        self.details = DetailsPanel(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.themes_view)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([255, 675, 350])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.statusBar().addPermanentWidget(self.count_label)

        self.themes_view.selectionModel().currentRowChanged.connect(self._theme_selected)
        self.actions_page.action_selected.connect(self._action_selected)
        self.filter_bar.changed.connect(lambda _f: self.apply_filter())
        # Queued, so an error message never sits over a half-closed cell editor.
        self.actions_page.model.edit_requested.connect(
            self._edit_action_field, Qt.ConnectionType.QueuedConnection
        )

    # ----- the document -------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        """Show `document` (or nothing); the window does not close the previous one."""
        if self.document is not None:
            self.document.changed.disconnect(self._document_changed)
            self.document.reloaded.disconnect(self.reload)
            self.document.dirty_changed.disconnect(self._update_title)
            self.document.undo_stack.canUndoChanged.disconnect(self._update_undo_actions)
            self.document.undo_stack.canRedoChanged.disconnect(self._update_undo_actions)
            self.document.undo_stack.indexChanged.disconnect(self._update_undo_actions)
        self.document = document
        self.details.set_document(document)
        self._visible_ids = None
        for view in self.plan_views:
            view.set_document(document)
        self.people_view.set_document(document)
        self.partners_view.set_document(document)
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self.reload)
            document.dirty_changed.connect(self._update_title)
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
        self._update_title()
        self._update_undo_actions()
        self.update_enabled()

    PLAN_VIEW_TABS = (
        ("dashboard", "&Dashboard"),
        ("timeline", "&Timeline"),
        ("partner-map", "Partner &map"),
        ("people-load", "People &load"),
    )

    def _hold_places_for_plan_views(self) -> None:
        """Tabs for the pictures of the plan, empty until `build_plan_views` fills them."""
        for icon_name, title in self.PLAN_VIEW_TABS:
            place = QWidget(self)
            self._plan_view_places.append(place)
            self.tabs.insertTab(self.tabs.indexOf(self.people_view), place, icon(icon_name), title)

    def build_plan_views(self) -> None:
        """The pictures of the plan: tabs between the actions and the people lists. The app
        builds them just after its first paint, so a large plan shows sooner."""
        if self.plan_views:
            return
        from planner.ui.views.dashboard import DashboardView
        from planner.ui.views.partner_map import PartnerMapView
        from planner.ui.views.people_load import PeopleLoadView
        from planner.ui.views.timeline import TimelineView

        self.dashboard_view = DashboardView(self)
        self.timeline_view = TimelineView(self)
        self.partner_map_view = PartnerMapView(self)
        self.people_load_view = PeopleLoadView(self)
        views = (
            self.dashboard_view,
            self.timeline_view,
            self.partner_map_view,
            self.people_load_view,
        )
        current = self.tabs.currentIndex()
        for view, (icon_name, title) in zip(views, self.PLAN_VIEW_TABS, strict=True):
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
        self.tabs.insertTab(self.tabs.indexOf(self.people_view), view, icon(icon_name), title)
        view.action_activated.connect(self._view_picked_action)
        view.command_requested.connect(self.execute)
        view.set_document(self.document)
        view.follow(self._visible_ids)
        view.set_current_action(self.actions_page.current_action_id())

    def _tab_changed(self, _index: int) -> None:
        # The filter applies to actions, not to the people and partner-body lists.
        directory = self.tabs.currentWidget() in (self.people_view, self.partners_view)
        self.filter_bar.setVisible(not directory)

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
        self._update_title()

    def _rows_to_show(self, first_screen_first: bool) -> Callable[[Any, int], list[ActionRow]]:
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
        theme_ids = wanted.theme_ids
        row = self.themes_model.row_of(next(iter(theme_ids))) if theme_ids else 0
        if self.themes_view.currentIndex().row() != row:
            self.themes_view.selectionModel().setCurrentIndex(
                self.themes_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

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
        if touches.structure or touches.tables & {"person", "partner"}:
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
        wanted = self.filter_bar.current().theme_ids
        row = self.themes_model.row_of(next(iter(wanted))) if wanted else 0
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

    def _edit_action_field(self, action_id: int, field: str, value: object) -> None:
        if field == "lead_officer":
            self.execute(SetLeadOfficer(action_id, value if isinstance(value, int) else None))
        else:
            self.execute(EditRecord("action", action_id, {field: value}))

    def status_date_edited(self) -> None:
        if self.document is None:
            return
        value = from_qdate(self.status_date_edit.date())
        if value and value != self.document.read(plan_header).status_date:
            self.execute(EditRecord("plan", self.document.plan_id, {"status_date": value}))

    def _current_theme_id(self) -> int | None:
        document = self.document
        if document is None:
            return None
        index = self.themes_view.currentIndex()
        theme_id = index.data(THEME_ID_ROLE) if index.isValid() else ALL_THEMES
        if theme_id:
            return int(theme_id)
        action_id = self.actions_page.current_action_id()
        if action_id:
            return self.actions_page.model.action_at(
                self.actions_page.model.row_for(action_id) or 0
            ).theme_id
        themes = document.read(theme_choices)
        return themes[0].id if themes else None

    def add_action(self) -> None:
        document = self.document
        if document is None:
            return
        theme_id = self._current_theme_id()
        if theme_id is None:
            show_error(self, "Add a theme first: every action belongs to a theme.")
            return
        ref = document.read(lambda session, plan_id: next_free_ref(session, plan_id, theme_id))
        applied = self.execute(
            CreateRecord("action", {"theme_id": theme_id, "ref": ref, "title": "New action"})
        )
        if applied is None:
            return
        self.tabs.setCurrentWidget(self.actions_page)
        self.filter_bar.text.clear()
        self.actions_page.edit_title(applied.changes[0].row_id)

    def delete_action(self) -> None:
        document = self.document
        action_id = self.actions_page.current_action_id()
        if document is None or not action_id:
            return
        row = self.actions_page.model.action_at(self.actions_page.model.row_for(action_id) or 0)
        effects = document.read(
            lambda session, _plan_id: deletion_effects(session, "action", action_id)
        )
        if confirm(self, "Delete action", f"Delete action {row.ref} '{row.title}'?", effects):
            self.execute(DeleteRecord("action", action_id))

    def move_action(self, step: int) -> None:
        action_id = self.actions_page.current_action_id()
        if self.document is None or not action_id:
            return
        model = self.actions_page.model
        row = model.action_at(model.row_for(action_id) or 0)
        siblings = [
            other
            for other in model.plan_order_ids()
            if (found := model.action(other)) is not None and found.theme_id == row.theme_id
        ]
        position = siblings.index(action_id) + step
        if 0 <= position < len(siblings):
            self.execute(MoveAction(action_id, row.theme_id, position))
            self.actions_page.select_action(action_id)

    def add_theme(self) -> None:
        document = self.document
        if document is None:
            return
        themes = document.read(theme_choices)
        number = len(themes) + 1
        self.execute(CreateRecord("theme", {"number": number, "title": f"New theme {number}"}))

    def move_theme(self, step: int) -> None:
        document = self.document
        index = self.themes_view.currentIndex()
        theme_id = index.data(THEME_ID_ROLE) if index.isValid() else ALL_THEMES
        if document is None or not theme_id:
            return
        themes = document.read(theme_choices)
        position = [choice.id for choice in themes].index(theme_id) + step
        if 0 <= position < len(themes):
            self.execute(MoveTheme(int(theme_id), position + 1))

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

    def export_excel(self) -> None:
        from planner.ui.export_flow import export_to_excel

        export_to_excel(self)

    def print_view(self) -> None:
        from planner.ui.print_view import print_current_view

        print_current_view(self)

    def export_report(self) -> None:
        from planner.ui.report_flow import export_report

        export_report(self)

    def import_excel(self) -> None:
        from planner.ui.import_flow import import_from_excel

        import_from_excel(self)

    def show_rounds(self) -> None:
        from planner.ui.rounds_view import show_rounds

        show_rounds(self)

    def new_from_excel(self) -> None:
        from planner.ui.new_from_excel import new_plan_from_excel

        new_plan_from_excel(self)

    def focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.actions_page)
        self.filter_bar.text.setFocus()
        self.filter_bar.text.selectAll()

    # ----- window state -------------------------------------------------------------

    def _update_title(self, *_args: object) -> None:
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
        stack = self.document.undo_stack if self.document else None
        self.actionUndo.setEnabled(bool(stack and stack.canUndo()))
        self.actionRedo.setEnabled(bool(stack and stack.canRedo()))
        undo_text = stack.undoText() if stack and stack.canUndo() else ""
        redo_text = stack.redoText() if stack and stack.canRedo() else ""
        self.actionUndo.setText(f"&Undo {undo_text}".strip())
        self.actionRedo.setText(f"&Redo {redo_text}".strip())
        self.actionUndo.setToolTip(f"Undo {undo_text}".strip())
        self.actionRedo.setToolTip(f"Redo {redo_text}".strip())

    def update_enabled(self) -> None:
        has_plan = self.document is not None
        writable = has_plan and not (self.document and self.document.read_only)
        has_action = bool(self.actions_page.current_action_id())
        self.actionSave.setEnabled(writable)
        for action in (
            self.actionSaveAs,
            self.actionClose,
            self.actionExportExcel,
            self.actionExportReport,
            self.actionPrintView,
            self.actionExportHistory,
            self.actionReviewProposals,
        ):
            action.setEnabled(has_plan)
        for action in (
            self.actionImportExcel,
            self.actionRounds,
            self.actionRestoreBackup,
            self.actionAddAction,
            self.actionAddTheme,
            self.actionMoveThemeUp,
            self.actionMoveThemeDown,
        ):
            action.setEnabled(writable)
        for action in (
            self.actionDeleteAction,
            self.actionMoveUp,
            self.actionMoveDown,
            self.actionAddMilestone,
            self.actionAddUpdate,
            self.actionAssignPerson,
            self.actionAssignPartner,
            self.actionRebaseline,
            self.actionDeleteMilestone,
        ):
            action.setEnabled(writable and has_action)
        self.actionRemoveLink.setEnabled(
            bool(writable and has_action and self.details.has_selected_link())
        )
        self.status_date_edit.setEnabled(writable)
        # a shared plan is saved on its server as it is edited: no Save, no file backups
        shared = bool(self.document and self.document.shared)
        for action in (self.actionSave, self.actionSaveAs, self.actionRestoreBackup):
            action.setVisible(not shared)
        self.actionDownloadCopy.setVisible(shared)

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        if not files:
            empty = self.recent_menu.addAction("No recent plans")
            empty.setEnabled(False)
            return
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}  —  {path.parent}")
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))

    def _open_recent(self, path: Path) -> None:
        if self.file_flows is not None:
            self.file_flows.open_path(path)

    def about(self) -> None:
        self.about_box().exec()

    def about_box(self) -> QMessageBox:
        from html import escape

        from planner.logs import log_path
        from planner.paths import data_dir

        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(f"About {APP_NAME}")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setText(
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Turn a local public-services strategy into a delivery plan: themes, "
            "actions, lead officers, partner bodies and milestones, circulated to partners "
            "as an Excel workbook.</p>"
            "<p>Your working copies and backups are kept in:<br>"
            f"<code>{escape(str(data_dir()))}</code></p>"
            "<p>The program's log (send it with any fault you report) is:<br>"
            f"<code>{escape(str(log_path()))}</code></p>"
        )
        return box

    def show_user_guide(self) -> None:
        from planner.ui.guide import show_user_guide

        show_user_guide(self)

    def _restore_layout(self) -> None:
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("windowState", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("actionsHeader", self.actions_page.table.horizontalHeader().restoreState),
        ):
            state = self.settings.state(key)
            if state is not None:
                restore(state)

    def save_layout(self) -> None:
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("windowState", self.saveState())
        self.settings.set_state("splitter", self.splitter.saveState())
        self.settings.set_state(
            "actionsHeader", self.actions_page.table.horizontalHeader().saveState()
        )
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.file_flows is not None and not self.file_flows.close_plan():
            event.ignore()
            return
        self.save_layout()
        event.accept()
