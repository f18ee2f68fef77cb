"""The Outcomes and Benefits tabs: what the plan is for. Each is built the first time it
is shown or asked for, so the window opens no slower for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from planner.ui.icons import icon

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument
    from planner.ui.views.benefits import BenefitsView
    from planner.ui.views.outcomes import OutcomesView

# (icon, tab title) of the two tabs, in their order
PURPOSE_TABS = (("progress", "&Outcomes"), ("report", "Bene&fits"))


class PurposeTabs:
    """Holds a place for each tab and puts its view there when it is first shown."""

    def __init__(self, tabs: QTabWidget) -> None:
        self._tabs = tabs
        self._places = [QWidget(tabs) for _ in PURPOSE_TABS]
        for place, (icon_name, title) in zip(self._places, PURPOSE_TABS, strict=True):
            tabs.addTab(place, icon(icon_name), title)
        self._outcomes: OutcomesView | None = None
        self._benefits: BenefitsView | None = None
        self._document: PlanDocument | None = None
        tabs.currentChanged.connect(self._tab_changed)

    @property
    def built(self) -> tuple[bool, bool]:
        """Whether the Outcomes and the Benefits views have been built."""
        return self._outcomes is not None, self._benefits is not None

    @property
    def first_index(self) -> int:
        """Where the two tabs begin: tabs that come before them are inserted here."""
        return self._tabs.indexOf(self._outcomes or self._places[0])

    def shows_one(self) -> bool:
        current = self._tabs.currentWidget()
        return current is not None and current in (
            *self._places,
            self._outcomes,
            self._benefits,
        )

    def outcomes(self) -> OutcomesView:
        """The Outcomes view, built now if it has not been."""
        if self._outcomes is None:
            from planner.ui.views.outcomes import OutcomesView

            self._outcomes = OutcomesView(self._tabs.parentWidget())
            self._put(0, self._outcomes)
        return self._outcomes

    def benefits(self) -> BenefitsView:
        """The Benefits view, built now if it has not been."""
        if self._benefits is None:
            from planner.ui.views.benefits import BenefitsView

            self._benefits = BenefitsView(self._tabs.parentWidget())
            self._put(1, self._benefits)
        return self._benefits

    def set_document(self, document: PlanDocument | None) -> None:
        self._document = document
        for view in (self._outcomes, self._benefits):
            if view is not None:
                view.set_document(document)

    def _tab_changed(self, _index: int) -> None:
        current = self._tabs.currentWidget()
        if current is self._places[0] and self._outcomes is None:
            self.outcomes()
        elif current is self._places[1] and self._benefits is None:
            self.benefits()

    def _put(self, number: int, view: OutcomesView | BenefitsView) -> None:
        """Put `view` in the place held for it, keeping the same tab current."""
        tabs, place = self._tabs, self._places[number]
        icon_name, title = PURPOSE_TABS[number]
        was_current = tabs.currentWidget() is place
        current = tabs.currentIndex()
        blocked = tabs.blockSignals(True)
        try:
            index = tabs.indexOf(place)
            tabs.insertTab(index, view, icon(icon_name), title)
            tabs.removeTab(index + 1)
            tabs.setCurrentIndex(index if was_current else current)
        finally:
            tabs.blockSignals(blocked)
        place.hide()
        view.set_document(self._document)
