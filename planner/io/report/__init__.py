"""The board report: a PDF of the plan's position for committee papers."""

from planner.io.report.content import ReportCancelled, ReportContent, ReportOptions, gather_report
from planner.io.report.render import ReportResult, render_report, write_report

__all__ = [
    "ReportCancelled",
    "ReportContent",
    "ReportOptions",
    "ReportResult",
    "gather_report",
    "render_report",
    "write_report",
]
