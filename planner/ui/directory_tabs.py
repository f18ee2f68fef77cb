"""The People and Partner bodies tabs, built the first time either is shown or asked for:
a window opens sooner without two lists nobody has looked at yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from planner.ui.icons import icon

if TYPE_CHECKING:
    from planner.ui.directory_views import PartnersView, PeopleView
    from planner.ui.document import PlanDocument

# (icon, tab title) of the two lists, in their order at the end of the tabs
DIRECTORY_TABS = (("person", "&People"), ("partner", "Partner &bodies"))


class DirectoryTabs:
    def __init__(self, tabs: QTabWidget) -> None:
        self._tabs = tabs
        self._places = [QWidget(tabs) for _ in DIRECTORY_TABS]
        for place, (icon_name, title) in zip(self._places, DIRECTORY_TABS, strict=True):
            tabs.addTab(place, icon(icon_name), title)
        self._views: tuple[PeopleView, PartnersView] | None = None
        self._document: PlanDocument | None = None
        tabs.currentChanged.connect(self._tab_changed)

    @property
    def built(self) -> bool:
        return self._views is not None

    @property
    def first_index(self) -> int:
        """Where the two lists begin: tabs that come before them are inserted here."""
        first = self._views[0] if self._views is not None else self._places[0]
        return self._tabs.indexOf(first)

    def shows_one(self) -> bool:
        """Whether the tab showing is one of the two lists."""
        current = self._tabs.currentWidget()
        return current in self._places or (self._views is not None and current in self._views)

    def views(self) -> tuple[PeopleView, PartnersView]:
        """The two lists, built now if they have not been."""
        if self._views is None:
            self._views = self._build()
        return self._views

    def set_document(self, document: PlanDocument | None) -> None:
        self._document = document
        if self._views is not None:
            for view in self._views:
                view.set_document(document)

    def _tab_changed(self, _index: int) -> None:
        if self._views is None and self._tabs.currentWidget() in self._places:
            self.views()

    def _build(self) -> tuple[PeopleView, PartnersView]:
        from planner.ui.directory_views import PartnersView, PeopleView

        parent = self._tabs.parentWidget()
        people, partners = PeopleView(parent), PartnersView(parent)
        tabs = self._tabs
        current = tabs.currentIndex()
        blocked = tabs.blockSignals(True)  # the same tab stays current throughout
        try:
            views: tuple[QWidget, QWidget] = (people, partners)
            for view, place, (icon_name, title) in zip(
                views, self._places, DIRECTORY_TABS, strict=True
            ):
                index = tabs.indexOf(place)
                tabs.insertTab(index, view, icon(icon_name), title)
                tabs.removeTab(index + 1)
                place.deleteLater()
            tabs.setCurrentIndex(current)
        finally:
            tabs.blockSignals(blocked)
        for view in (people, partners):
            view.set_document(self._document)
        return people, partners
