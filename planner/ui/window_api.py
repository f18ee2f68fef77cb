"""What the flows, the menus and the plan editing use of the main window, as small typed
interfaces. The main window meets them by its shape, so none of those modules imports it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDateEdit, QMainWindow, QTableView, QTabWidget

    from planner.commands import Applied, Command
    from planner.errors import PlannerError
    from planner.ui.actions_page import ActionsPage
    from planner.ui.details import DetailsPanel
    from planner.ui.document import PlanDocument
    from planner.ui.filter_bar import FilterBar
    from planner.ui.settings import AppSettings


class PlanWindow(Protocol):
    """The window as a flow sees it: the plan it shows, the settings, a parent for
    dialogs and a status line to say what happened."""

    @property
    def widget(self) -> QMainWindow:
        """The window itself, to parent dialogs and messages."""
        ...

    @property
    def document(self) -> PlanDocument | None: ...

    @property
    def settings(self) -> AppSettings: ...

    @property
    def tabs(self) -> QTabWidget: ...

    def set_document(self, document: PlanDocument | None) -> None:
        """Show `document` (or nothing); the previous one is not closed."""
        ...

    def close_plan(self) -> bool:
        """Close the plan shown, asking about unsaved changes; False when cancelled."""
        ...

    def show_status(self, text: str, timeout_ms: int) -> None: ...

    def update_title(self) -> None: ...


class CommandsWindow(PlanWindow, Protocol):
    """The window as its menus, toolbar and commands see it."""

    @property
    def details(self) -> DetailsPanel: ...

    @property
    def filter_bar(self) -> FilterBar: ...

    def undo(self) -> None: ...

    def redo(self) -> None: ...

    def focus_filter(self) -> None: ...

    def update_enabled(self) -> None: ...


class EditingWindow(Protocol):
    """The window as the commands that add, delete and move actions and themes see it."""

    @property
    def widget(self) -> QMainWindow: ...

    @property
    def document(self) -> PlanDocument | None: ...

    @property
    def tabs(self) -> QTabWidget: ...

    @property
    def themes_view(self) -> QTableView: ...

    @property
    def actions_page(self) -> ActionsPage: ...

    @property
    def filter_bar(self) -> FilterBar: ...

    @property
    def status_date_edit(self) -> QDateEdit: ...

    def execute(self, command: Command) -> Applied | None:
        """Run a command on the plan; a refusal is shown and nothing changes."""
        ...

    def tell_error(self, error: PlannerError | str, title: str = "") -> None: ...

    def ask_confirm(self, title: str, text: str, details: list[str] | None = None) -> bool: ...
