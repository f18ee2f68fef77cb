"""The Dashboard tab: the actions the filter bar lets through at a glance, as calm cards:
headline figures, the plan's validated savings and its measures against target, RAG by
theme, actions by status, direction of travel since the previous progress update, and
the milestones overdue or due in the next 90 days (a click on one opens its action). It
reads planner.queries.dashboard, and the savings and measures from
planner.queries.action_purpose."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.commands import Applied
from planner.domain.dates import format_long
from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.queries.action_purpose import PURPOSE_TABLES, PurposeGlance, purpose_glance
from planner.queries.dashboard import Dashboard, dashboard
from planner.ui.document import PlanDocument
from planner.ui.models.details import NOT_RATED_COLOUR
from planner.ui.models.due_milestones import DueMilestonesModel
from planner.ui.models.rag import rag_label, rag_tooltip, text_colour_on
from planner.ui.views.base import PlanView
from planner.ui.views.charts import Bar, CountBar, CountBars, Segment, StackedBarChart
from planner.ui.views.dashboard_purpose import MeasuresTile, SavingsTile
from planner.ui.views.dashboard_tiles import (
    CARD_STYLE,
    Card,
    DirectionRow,
    MilestoneList,
    Tile,
    TileStrip,
    muted,
    scaled_font,
)

WIDE = 940  # px of view width from which the cards sit in two columns
STATUS_COLOUR = "#5B7FA3"  # one calm colour: statuses are not RAG ratings


class DashboardView(PlanView):
    """The dashboard: see the module's docstring. `board` holds what it last showed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self.setAccessibleName("Dashboard")
        self.setStyleSheet(CARD_STYLE)
        self.board: Dashboard | None = None
        self.glance: PurposeGlance | None = None  # the plan's savings and measures
        # the glance is read again only when a change may have altered it
        self._glance_of: PlanDocument | None = None
        self._wide: bool | None = None

        self.actions_tile = Tile("Actions", "actionsTile")
        self.completed_tile = Tile("Completed", "completedTile")
        self.red_tile = Tile("Red", "redTile")
        self.amber_tile = Tile("Amber", "amberTile")
        self.overdue_tile = Tile("Overdue milestones", "overdueTile")
        self.date_tile = Tile("Status date", "statusDateTile")
        self.date_tile.value.setFont(scaled_font(self, 1.35, bold=True))
        self.headline = TileStrip(
            [
                self.actions_tile,
                self.completed_tile,
                self.red_tile,
                self.amber_tile,
                self.overdue_tile,
                self.date_tile,
            ]
        )
        self.headline.setObjectName("dashboardHeadline")
        self.savings_tile = SavingsTile()
        self.measures_tile = MeasuresTile()
        self.purpose_strip = TileStrip([self.savings_tile, self.measures_tile])
        self.purpose_strip.setObjectName("dashboardPurpose")
        # The headline figures with the savings and measures tiles under them, as one.
        self.top = QWidget()
        self.top.setObjectName("dashboardTop")
        top = QVBoxLayout(self.top)
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(10)
        top.addWidget(self.headline)
        top.addWidget(self.purpose_strip)

        self.rag_card = Card("RAG by theme", "ragByThemeCard")
        self.rag_chart = StackedBarChart(self.rag_card)
        self.rag_chart.setObjectName("ragByThemeChart")
        self.rag_chart.setAccessibleName("RAG by theme")
        self.rag_chart.empty_text = "No actions to show"
        self.rag_card.body.addWidget(self.rag_chart)
        self.legend = QWidget(self.rag_card)
        self.legend.setObjectName("ragLegend")
        self._legend_layout = QHBoxLayout(self.legend)
        self._legend_layout.setContentsMargins(0, 4, 0, 0)
        self._legend_layout.setSpacing(14)
        self.rag_card.body.addWidget(self.legend)
        self.rag_card.body.addStretch(1)

        self.status_card = Card("Actions by status", "statusCard")
        self.status_bars = CountBars(self.status_card)
        self.status_bars.setObjectName("statusChart")
        self.status_bars.setAccessibleName("Actions by status")
        self.status_card.body.addWidget(self.status_bars)
        self.status_card.body.addStretch(1)

        self.travel_card = Card("Direction of travel", "travelCard")
        self.travel_card.setToolTip(
            "Each action's latest progress update compared with the one before it, by RAG "
            "rating (Red, Amber, Green, Blue from worst to best)"
        )
        self.travel_rows = {d: DirectionRow(d, self.travel_card) for d in (IMPROVED, SAME, WORSE)}
        for row in self.travel_rows.values():
            self.travel_card.body.addWidget(row)
        self.travel_note = muted(QLabel(self.travel_card))
        self.travel_note.setObjectName("travelNote")
        self.travel_note.setWordWrap(True)
        self.travel_card.body.addWidget(self.travel_note)
        self.travel_card.body.addStretch(1)

        self.overdue_card = Card("Overdue milestones", "overdueCard")
        self.overdue_list = MilestoneList(
            self,
            DueMilestonesModel("Days overdue", late=True, parent=self),
            "overdueMilestones",
            "Overdue milestones",
            "No milestones are overdue at the status date.",
        )
        self.overdue_card.body.addWidget(self.overdue_list)
        self.overdue_card.body.addStretch(1)

        self.due_card = Card("Due in the next 90 days", "dueSoonCard")
        self.due_list = MilestoneList(
            self,
            DueMilestonesModel("Days to go", late=False, parent=self),
            "dueSoonMilestones",
            "Milestones due in the next 90 days",
            "No open milestones fall due in the next 90 days.",
        )
        self.due_card.body.addWidget(self.due_list)
        self.due_card.body.addStretch(1)

        self.content = QWidget()
        self.content.setObjectName("dashboardContent")
        self._grid = QGridLayout(self.content)
        self._grid.setContentsMargins(14, 14, 14, 14)
        self._grid.setSpacing(12)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("dashboardScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._arrange(wide=False)

    # ----- layout ---------------------------------------------------------------------

    def _arrange(self, *, wide: bool) -> None:
        """RAG by theme beside status and travel when there is room, otherwise above them."""
        if wide == self._wide:
            return
        self._wide = wide
        cards = [
            self.top,
            self.rag_card,
            self.status_card,
            self.travel_card,
            self.overdue_card,
            self.due_card,
        ]
        for card in cards:
            self._grid.removeWidget(card)
        grid = self._grid
        grid.addWidget(self.top, 0, 0, 1, 2)
        if wide:
            grid.addWidget(self.rag_card, 1, 0, 2, 1)
            grid.addWidget(self.status_card, 1, 1)
            grid.addWidget(self.travel_card, 2, 1)
        else:
            grid.addWidget(self.rag_card, 1, 0, 1, 2)
            grid.addWidget(self.status_card, 2, 0)
            grid.addWidget(self.travel_card, 2, 1)
        # The lists always span the width: milestone titles need the room.
        grid.addWidget(self.overdue_card, 3, 0, 1, 2)
        grid.addWidget(self.due_card, 4, 0, 1, 2)
        for row in range(6):
            grid.setRowStretch(row, 1 if row == 5 else 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(wide=event.size().width() >= WIDE)

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    # ----- reading --------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        if self.document is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.document.changed.disconnect(self._document_changed)
                self.document.reloaded.disconnect(self._forget_glance)
        self._forget_glance()
        if document is not None:
            document.changed.connect(self._document_changed)
            document.reloaded.connect(self._forget_glance)
        super().set_document(document)

    def _document_changed(self, applied: Applied) -> None:
        if applied.touches.reaches(PURPOSE_TABLES):
            self._forget_glance()

    def _forget_glance(self) -> None:
        self._glance_of = None

    def rebuild(self) -> None:
        document = self.document
        if document is None:
            self.board = self.glance = None
            self._show_nothing()
            return
        wanted = self.visible_ids
        known = self.glance if self._glance_of is document else None
        self.board, self.glance = document.read(
            lambda session, plan_id: (
                dashboard(session, plan_id, wanted),
                known or purpose_glance(session, plan_id),
            )
        )
        self._glance_of = document
        self._show(self.board)
        self._show_purpose(self.board, self.glance)

    def show_current_action(self) -> None:
        for milestones in (self.overdue_list, self.due_list):
            milestones.mark(self.current_action_id)

    def _show_nothing(self) -> None:
        for tile in self.headline.tiles:
            tile.show_value("–", tile.caption.text(), "")
        self.savings_tile.show_glance(None)
        self.measures_tile.show_glance(None, {})
        self.rag_chart.set_bars([])
        self.status_bars.set_rows([])
        for milestones in (self.overdue_list, self.due_list):
            milestones.model.set_rows([], lambda _m: 0)
            milestones.show_rows()

    def _show(self, board: Dashboard) -> None:
        self._show_headline(board)
        self._show_rag(board)
        self.status_bars.set_rows(
            [
                CountBar(
                    entry.label,
                    entry.count,
                    STATUS_COLOUR,
                    f"{entry.label}: {entry.count} of {board.total} actions shown",
                )
                for entry in board.statuses
            ]
        )
        self._show_travel(board)
        self.overdue_list.model.set_rows(board.overdue, board.days_overdue)
        self.overdue_list.show_rows()
        self.overdue_card.set_title(f"Overdue milestones ({len(board.overdue)})")
        self.due_list.model.set_rows(board.due_soon, board.days_to_go)
        self.due_list.show_rows()
        self.due_card.set_title(
            f"Due in the next {board.due_soon_days} days ({len(board.due_soon)})"
        )

    def _show_headline(self, board: Dashboard) -> None:
        shown = "Actions shown" if board.filtered else "Actions"
        of_all = f" of {board.all_actions}" if board.filtered else ""
        self.actions_tile.show_value(
            str(board.total),
            f"{shown}{of_all}",
            "The actions the filter bar lets through" if board.filtered else "Every action",
        )
        completed = board.status_count("completed")
        self.completed_tile.show_value(
            f"{board.percent_completed}%",
            "Completed",
            f"{completed} of {board.total} actions completed",
        )
        for tile, code in ((self.red_tile, "R"), (self.amber_tile, "A")):
            definition = board.rag(code)
            name = definition.name if definition else code
            count = board.rag_count(code)
            tile.show_value(
                str(count),
                f"{name} ({code})",
                f"{count} actions rated {rag_tooltip(definition)}",
                definition.colour if definition else "",
            )
        late = len(board.overdue)
        self.overdue_tile.show_value(
            str(late),
            "Overdue milestones",
            "Milestones due before the status date and not completed",
            "#B03A2E" if late else "",
        )
        self.date_tile.show_value(
            format_long(board.status_date),
            "Status date",
            "The plan's 'as at' date: overdue and due soon are judged from it",
        )

    def _show_purpose(self, board: Dashboard, glance: PurposeGlance) -> None:
        """Savings and measures are the whole plan's: the filter bar does not narrow them."""
        note = " (whole plan)" if board.filtered else ""
        self.savings_tile.show_glance(glance, note)
        rag = {code: board.rag(code) for code in ("G", "A", "R")}
        self.measures_tile.show_glance(glance, rag, note)

    def _show_rag(self, board: Dashboard) -> None:
        keys: list[str | None] = [d.code for d in board.rag_definitions]
        unrated = board.rag_count(None) > 0
        if unrated:
            keys.append(None)
        bars = []
        for theme in board.themes:
            segments = []
            for key in keys:
                count = theme.counts.get(key, 0)
                definition = board.rag(key)
                colour = definition.colour if definition else NOT_RATED_COLOUR
                actions = "action" if count == 1 else "actions"
                segments.append(
                    Segment(key, count, colour, f"{rag_label(definition)}: {count} {actions}")
                )
            summary = ", ".join(
                f"{s.count} {rag_label(board.rag(s.key))}" for s in segments if s.count
            )
            bars.append(Bar(theme.label, tuple(segments), f"{theme.label}: {summary}"))
        self.rag_chart.set_bars(bars)
        self.rag_chart.setAccessibleDescription("; ".join(bar.tooltip for bar in bars))
        self._show_legend(board, keys)

    def _show_legend(self, board: Dashboard, keys: list[str | None]) -> None:
        while self._legend_layout.count():
            item = self._legend_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for key in keys:
            definition = board.rag(key)
            colour = definition.colour if definition else NOT_RATED_COLOUR
            text_colour = text_colour_on(QColor(colour)).name()
            name = definition.name if definition else "Not rated"
            chip = QLabel(
                f'<span style="background:{colour}; color:{text_colour}; font-weight:600;">'
                f"&nbsp;{key or '–'}&nbsp;</span>&nbsp;{name}",
                self.legend,
            )
            chip.setObjectName(f"legend{key or 'NotRated'}")
            chip.setToolTip(rag_tooltip(definition))
            chip.setAccessibleName(rag_tooltip(definition))
            self._legend_layout.addWidget(chip)
        self._legend_layout.addStretch(1)

    def _show_travel(self, board: Dashboard) -> None:
        travel = board.travel
        for direction, row in self.travel_rows.items():
            row.show_count(travel.count(direction))
        notes = [f"{travel.no_previous} with no previous update to compare with"]
        if travel.not_rated:
            notes.append(f"{len(travel.not_rated)} where an update has no RAG rating")
        self.travel_note.setText("\n".join(notes))
