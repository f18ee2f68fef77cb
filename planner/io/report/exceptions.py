"""Exceptions: every red and amber action with its lead officer, latest commentary and
direction of travel, as a table that breaks across pages."""

from __future__ import annotations

from PySide6.QtGui import QColor

from planner.domain.dates import format_uk
from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.io.report.content import ReportContent
from planner.io.report.document import UNRATED, Flow, Layout
from planner.io.report.table import Cell, Column, Table, Value

SECTION = "Exceptions"
TRAVEL = {
    IMPROVED: ("\u25b2 Improved", QColor("#1E6B3A")),
    SAME: ("\u25b6 Same", QColor("#1B2631")),
    WORSE: ("\u25bc Worse", QColor("#A93226")),
}
COLUMNS = (
    Column("Ref", 5.5, bold=True),
    Column("Action", 27, bold=True),
    Column("Lead officer", 13),
    Column("RAG", 6),
    Column("Direction of travel", 10.5, bold=True),
    Column("Latest commentary", 50),
)


def exception_rows(content: ReportContent) -> list[list[Value]]:
    rows: list[list[Value]] = []
    for exception in content.exceptions:
        action = exception.action
        update = exception.update
        details = [f"Theme {action.theme_number}"]
        if action.due:
            details.append(f"due {format_uk(action.due)}")
        details.append(f"{action.percent}% complete")
        if update is None:
            travel = Cell("\u2013", note="no update yet")
            commentary = Cell("No progress update has been recorded.")
        else:
            if update.direction in TRAVEL:
                text, colour = TRAVEL[update.direction]
                before = content.rag(update.previous_rag)
                travel = Cell(text, note=f"was {before.name}" if before else "", colour=colour)
            else:
                travel = Cell("\u2013", note="no earlier rating to compare")
            by = f" by {update.author}" if update.author else ""
            commentary = Cell(
                update.commentary or "(no commentary)",
                note=f"Update as at {format_uk(update.as_at)}{by}",
            )
        rows.append(
            [
                action.ref,
                Cell(action.title, note=" · ".join(details)),
                action.lead_officer or "(no lead officer)",
                content.rag(action.rag) or UNRATED,
                travel,
                commentary,
            ]
        )
    return rows


def lay_out_exceptions(layout: Layout, content: ReportContent) -> None:
    names = [
        f"{definition.name} ({definition.code})"
        for code in content.exception_codes
        if (definition := content.rag(code)) is not None
    ]
    rated = " or ".join(names) or "red or amber"
    subtitle = (
        f"Actions rated {rated} at {format_uk(content.header.status_date)}, worst first. "
        "Direction of travel compares the latest update's rating with the update before it: "
        "\u25b2 improved, \u25b6 same, \u25bc worse."
    )
    flow = Flow(layout, SECTION, subtitle)
    Table(layout, COLUMNS).flow(
        flow,
        exception_rows(content),
        empty=f"No actions are rated {rated}.",
    )
