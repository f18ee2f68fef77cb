"""The pictures of the plan that the main window shows as tabs, in their order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from planner.ui.views.dashboard import DashboardView
    from planner.ui.views.partner_map import PartnerMapView
    from planner.ui.views.people_load import PeopleLoadView
    from planner.ui.views.timeline import TimelineView

# (icon, tab title) of each view, in the order make_plan_views makes them
PLAN_VIEW_TABS = (
    ("dashboard", "&Dashboard"),
    ("timeline", "&Timeline"),
    ("partner-map", "Partner &map"),
    ("people-load", "People &load"),
)


def make_plan_views(
    parent: QWidget,
) -> tuple[DashboardView, TimelineView, PartnerMapView, PeopleLoadView]:
    """The views, imported only now: the app builds them after its first paint."""
    from planner.ui.views.dashboard import DashboardView
    from planner.ui.views.partner_map import PartnerMapView
    from planner.ui.views.people_load import PeopleLoadView
    from planner.ui.views.timeline import TimelineView

    return (
        DashboardView(parent),
        TimelineView(parent),
        PartnerMapView(parent),
        PeopleLoadView(parent),
    )
