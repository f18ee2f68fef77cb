"""Milestones overdue at the status date, and due by the end of the next financial
quarter, as tables."""

from __future__ import annotations

from planner.domain.dates import format_long, format_uk
from planner.io.report.content import ReportContent
from planner.io.report.document import Flow, Layout
from planner.io.report.table import Cell, Column, Table, Value
from planner.queries import MilestoneRow

SECTION = "Milestones"
OVERDUE_COLUMNS = (
    Column("Due", 8),
    Column("Days late", 6),
    Column("Action", 26),
    Column("Milestone", 27, bold=True),
    Column("Owner", 13),
    Column("Note", 20),
)
DUE_COLUMNS = (
    Column("Due", 8),
    Column("Action", 30),
    Column("Milestone", 31, bold=True),
    Column("Owner", 13),
    Column("Note", 18),
)


def _action(content: ReportContent, milestone: MilestoneRow) -> Cell:
    ref, title = content.action_refs.get(milestone.action_id, (milestone.action_ref, ""))
    return Cell(f"{ref} {title}".strip())


def overdue_rows(content: ReportContent) -> list[list[Value]]:
    status = content.header.status_date
    return [
        [
            format_uk(m.due),
            str((status - m.due).days) if m.due else "",
            _action(content, m),
            m.title,
            m.owner or "(no owner)",
            m.note,
        ]
        for m in content.overdue
    ]


def due_rows(content: ReportContent) -> list[list[Value]]:
    return [
        [format_uk(m.due), _action(content, m), m.title, m.owner or "(no owner)", m.note]
        for m in content.due_next_quarter
    ]


def lay_out_milestones(layout: Layout, content: ReportContent) -> None:
    status = content.header.status_date
    window = content.window
    subtitle = (
        f"Open milestones due before the status date, {format_long(status)}, and those due "
        f"from then to the end of the next financial quarter, {window.label} "
        f"({format_long(window.first)} to {format_long(window.last)})."
    )
    flow = Flow(layout, SECTION, subtitle)
    late = overdue_rows(content)
    Table(layout, OVERDUE_COLUMNS).flow(
        flow,
        late,
        caption=f"Overdue at {format_long(status)} ({len(late)})",
        empty="No milestones are overdue.",
    )
    soon = due_rows(content)
    Table(layout, DUE_COLUMNS).flow(
        flow,
        soon,
        caption=f"Due next quarter: {window.label}, by {format_long(window.last)} ({len(soon)})",
        empty=f"No open milestones are due by {format_long(window.last)}.",
    )
