"""Where everything on the timeline goes, as plain numbers: one row per theme header and
per action, each action's bar from start to due, its baseline, its milestones, and the
status date. No painting here, so the geometry is quick to build and easy to test.

x is measured from the left edge of the time area (the scale's first day) and y from the
top of the first row, both in pixels at the view's zoom."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.domain.timescale import Band, TimeScale, Zoom, action_span
from planner.queries.actions import ActionRow
from planner.queries.summary import MilestoneRow
from planner.queries.timeline import Timeline, TimelineTheme

# Time across, in multiples of the font's average character width per day: a month is
# about ten characters wide at Months, a quarter about fourteen at Quarters, a year
# about sixteen at Years.
CHARS_PER_DAY = {Zoom.MONTHS: 0.33, Zoom.QUARTERS: 0.15, Zoom.YEARS: 0.044}
DAY_SNAP_FROM = 1.5  # pixels per day from which drags snap to days; below, to weeks


def per_day_for(zoom: Zoom, char_width: float) -> float:
    return CHARS_PER_DAY[zoom] * char_width


def snap_days(per_day: float) -> int:
    """How many days a drag moves by at a time: a day when days are wide enough to aim
    at, otherwise a week."""
    return 1 if per_day >= DAY_SNAP_FROM else 7


class MarkerState(enum.Enum):
    DONE = "completed"
    OPEN = "open"
    OVERDUE = "overdue"


def marker_state(milestone: MilestoneRow, status_date: date) -> MarkerState:
    if milestone.completed_on is not None:
        return MarkerState.DONE
    if milestone.due is not None and milestone.due < status_date:
        return MarkerState.OVERDUE
    return MarkerState.OPEN


@dataclass(slots=True)
class Marker:
    milestone: MilestoneRow
    x: float
    state: MarkerState


@dataclass(slots=True)
class Bar:
    start: date
    due: date
    x0: float
    x1: float  # the end of the due day
    baseline_x: float | None  # end of the baseline due day, when it differs from due

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class Placing:
    """What every row places its dates by."""

    scale: TimeScale
    status_date: date


_UNSET: Any = object()


class Row:
    """A theme header (action is None) or an action with its bar and markers.

    The bar and markers are worked out when first asked for, so laying out thousands of
    actions costs one small object each and only the rows on screen do the rest."""

    __slots__ = ("_bar", "_markers", "action", "index", "milestones", "placing", "theme")

    def __init__(
        self,
        index: int,
        theme: TimelineTheme,
        action: ActionRow | None = None,
        milestones: Sequence[MilestoneRow] = (),
        placing: Placing | None = None,
        *,
        bar: Bar | None = _UNSET,
        markers: tuple[Marker, ...] = _UNSET,
    ) -> None:
        self.index = index
        self.theme = theme
        self.action = action
        self.milestones = milestones
        self.placing = placing
        self._bar = bar
        self._markers = markers

    @property
    def is_theme(self) -> bool:
        return self.action is None

    @property
    def bar(self) -> Bar | None:
        if self._bar is _UNSET:
            placing = self.placing
            self._bar = None
            if self.action is not None and placing is not None:
                self._bar = _bar(placing.scale, self.action)
        return self._bar

    @property
    def markers(self) -> tuple[Marker, ...]:
        if self._markers is _UNSET:
            placing = self.placing
            self._markers = ()
            if placing is not None:
                scale = placing.scale
                self._markers = tuple(
                    Marker(
                        milestone,
                        scale.x(milestone.due) + scale.per_day / 2,
                        marker_state(milestone, placing.status_date),
                    )
                    for milestone in self.milestones
                    if milestone.due is not None
                )
        return self._markers

    def __repr__(self) -> str:
        what = self.action.ref if self.action else f"theme {self.theme.number}"
        return f"Row({self.index}, {what})"


class Part(enum.Enum):
    """What a point on the timeline is over."""

    BAR = "bar"  # the middle of a bar: drags move start and due together
    START = "start"  # a bar's left end: drags move the start
    DUE = "due"  # a bar's right end: drags move the due date
    MILESTONE = "milestone"
    ROW = "row"  # an action's row away from its bar and markers


@dataclass(slots=True)
class Hit:
    row: Row
    part: Part
    marker: Marker | None = None


@dataclass
class TimelineLayout:
    scale: TimeScale
    zoom: Zoom
    row_height: float
    status_date: date
    rows: list[Row] = field(default_factory=list)
    _row_of_action: dict[int, int] = field(default_factory=dict)

    _bands: dict[str, list[Band]] = field(default_factory=dict)

    def bands(self, name: str) -> list[Band]:
        """The scale's "months", "quarters" or "years", worked out once."""
        found = self._bands.get(name)
        if found is None:
            scale = self.scale
            found = {"months": scale.months, "quarters": scale.quarters, "years": scale.years}[
                name
            ]()
            self._bands[name] = found
        return found

    @property
    def height(self) -> float:
        return len(self.rows) * self.row_height

    @property
    def width(self) -> float:
        return self.scale.width

    @property
    def status_x(self) -> float:
        return self.scale.x(self.status_date)

    def x(self, value: date) -> float:
        return self.scale.x(value)

    def row_y(self, index: int) -> float:
        return index * self.row_height

    def rows_between(self, top: float, bottom: float) -> range:
        """Indexes of the rows that reach into the band from `top` to `bottom`."""
        first = max(0, int(top // self.row_height))
        last = min(len(self.rows), int(bottom // self.row_height) + 1)
        return range(first, max(first, last))

    def row_at(self, y: float) -> Row | None:
        if y < 0:
            return None
        index = int(y // self.row_height)
        return self.rows[index] if index < len(self.rows) else None

    def row_of(self, action_id: int) -> Row | None:
        index = self._row_of_action.get(action_id)
        return None if index is None else self.rows[index]

    @property
    def action_ids(self) -> list[int]:
        return [row.action.id for row in self.rows if row.action is not None]

    def hit(self, x: float, y: float, grip: float, marker_radius: float) -> Hit | None:
        """What is under (x, y): a milestone marker first, then a bar's ends (within
        `grip` pixels inside, further outside), then its middle, then the row itself."""
        row = self.row_at(y)
        if row is None or row.action is None:
            return None
        nearest: Marker | None = None
        for marker in row.markers:
            distance = abs(marker.x - x)
            if distance <= marker_radius and (nearest is None or distance < abs(nearest.x - x)):
                nearest = marker
        if nearest is not None:
            return Hit(row, Part.MILESTONE, nearest)
        bar = row.bar
        # Beyond each end the grip reaches past a marker sitting on that end, so a bar
        # whose last milestone falls on its due date can still be stretched.
        outer = grip + marker_radius
        if bar is not None and bar.x0 - outer <= x <= bar.x1 + outer:
            # Short bars keep a middle to grab: the ends take at most a third each.
            ends = min(grip, bar.width / 3)
            if x <= bar.x0 + ends:
                return Hit(row, Part.START)
            if x >= bar.x1 - ends:
                return Hit(row, Part.DUE)
            return Hit(row, Part.BAR)
        return Hit(row, Part.ROW)


def _bar(scale: TimeScale, action: ActionRow) -> Bar | None:
    span = action_span(action.start, action.due)
    if span is None:
        return None
    start, due = span
    baseline_x = None
    if action.baseline_due is not None and action.baseline_due != action.due:
        baseline_x = scale.x(action.baseline_due + timedelta(days=1))
    return Bar(start, due, scale.x(start), scale.x(due + timedelta(days=1)), baseline_x)


def lay_out(
    timeline: Timeline,
    zoom: Zoom,
    char_width: float,
    row_height: float,
    span: list[date] | None = None,
) -> TimelineLayout:
    """Rows for each theme header and each action in plan order, over whole financial
    years around `span` (the first and last date to show; by default every date the
    timeline holds)."""
    dates = timeline.dates() if span is None else span
    scale = TimeScale.covering(dates, per_day_for(zoom, char_width))
    layout = TimelineLayout(scale, zoom, row_height, timeline.status_date)
    placing = Placing(scale, timeline.status_date)
    rows, row_of_action = layout.rows, layout._row_of_action
    milestones = timeline.milestones
    for theme in timeline.themes:
        rows.append(Row(len(rows), theme))
        for action in theme.actions:
            row_of_action[action.id] = len(rows)
            rows.append(Row(len(rows), theme, action, milestones.get(action.id, ()), placing))
    return layout


def moved_dates(bar: Bar, part: Part, days: int) -> tuple[date, date]:
    """The bar's start and due after dragging `part` by `days`; an end never passes the
    other."""
    start, due = bar.start, bar.due
    if part is Part.BAR:
        return start + timedelta(days=days), due + timedelta(days=days)
    if part is Part.START:
        return min(start + timedelta(days=days), due), due
    if part is Part.DUE:
        return start, max(due + timedelta(days=days), start)
    return start, due


def drag_days(dx: float, per_day: float) -> int:
    """Whole days (in steps of the snap) for a drag of `dx` pixels."""
    step = snap_days(per_day)
    return round(dx / per_day / step) * step if per_day else 0


def with_dates(row: Row, start: date, due: date, scale: TimeScale) -> Row:
    """`row` with its bar moved to `start`..`due` (a drag in progress)."""
    bar = row.bar
    if bar is None:
        return row
    moved = Bar(start, due, scale.x(start), scale.x(due + timedelta(days=1)), bar.baseline_x)
    return Row(
        row.index,
        row.theme,
        row.action,
        row.milestones,
        row.placing,
        bar=moved,
        markers=row.markers,
    )


def with_marker_due(row: Row, milestone_id: int, due: date, scale: TimeScale) -> Row:
    """`row` with one milestone marker moved to `due` (a drag in progress)."""
    markers = tuple(
        Marker(marker.milestone, scale.x(due) + scale.per_day / 2, marker.state)
        if marker.milestone.id == milestone_id
        else marker
        for marker in row.markers
    )
    return Row(
        row.index, row.theme, row.action, row.milestones, row.placing, bar=row.bar, markers=markers
    )
