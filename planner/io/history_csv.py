"""The change history as a CSV file for auditors: opens in Excel as it is (UTF-8 with a
byte-order mark, so names like Siân read right), one row per changed field, and text
that looks like a formula stored so that Excel shows it rather than running it (the rule
the workbook exports use, planner.io.excel.safe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from planner.errors import PlannerError
from planner.queries.history import HEADINGS, HistoryLine


def csv_cell(text: str) -> str:
    """A value as a CSV cell Excel opens safely: a leading apostrophe before text that
    would otherwise start a formula ("=SUM(...)", "+44 ...", "-", "@")."""
    from planner.io.excel.safe import looks_like_formula, safe_text

    cleaned = safe_text(text)
    return "'" + cleaned if looks_like_formula(cleaned) else cleaned


def history_csv_text(lines: Iterable[HistoryLine]) -> str:
    """The CSV's text: a heading row, then one row per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow(HEADINGS)
    for line in lines:
        writer.writerow([csv_cell(cell) for cell in line.cells()])
    return buffer.getvalue()


def write_history_csv(lines: Iterable[HistoryLine], target: Path) -> Path:
    """Write the history to `target` (replacing it); raises PlannerError, in an officer's
    words, when the file cannot be written."""
    data = ("\ufeff" + history_csv_text(lines)).encode("utf-8")
    try:
        target.write_bytes(data)
    except PermissionError:
        raise PlannerError(
            f"'{target.name}' could not be written: it may be open in Excel, or the folder "
            "may be read-only; close it and try again."
        ) from None
    except FileNotFoundError:
        raise PlannerError(
            f"'{target.name}' could not be written: the folder {target.parent} does not exist."
        ) from None
    except OSError as error:
        raise PlannerError(
            f"'{target.name}' could not be written ({error.strerror or error})."
        ) from None
    return target
