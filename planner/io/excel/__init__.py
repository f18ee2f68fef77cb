"""Excel workbooks: the circulated export and, later, merging returned copies."""

from planner.io.excel.content import ExportOptions, ExportSlice, RoundAsk, gather
from planner.io.excel.writer import ExportCancelled, export_workbook

__all__ = [
    "ExportCancelled",
    "ExportOptions",
    "ExportSlice",
    "RoundAsk",
    "export_workbook",
    "gather",
]
