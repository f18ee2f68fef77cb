"""The change history as a CSV file for auditors, one row per changed field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from planner.io.csv_file import csv_text, write_csv
from planner.queries.history import HEADINGS, HistoryLine


def history_csv_text(lines: Iterable[HistoryLine]) -> str:
    """The CSV's text: a heading row, then one row per line."""
    return csv_text(HEADINGS, (line.cells() for line in lines))


def write_history_csv(lines: Iterable[HistoryLine], target: Path) -> Path:
    """Write the history to `target` (replacing it)."""
    return write_csv(HEADINGS, (line.cells() for line in lines), target)
