"""CSV files officers open in Excel: UTF-8 with a byte-order mark (so names like Siân
read right), and text that looks like a formula stored so that Excel shows it rather
than running it (the rule the workbook exports use, planner.io.excel.safe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from planner.errors import PlannerError


def csv_cell(text: str) -> str:
    """A value as a CSV cell Excel opens safely: a leading apostrophe before text that
    would otherwise start a formula ("=SUM(...)", "+44 ...", "-", "@")."""
    from planner.io.excel.safe import looks_like_formula, safe_text

    cleaned = safe_text(text)
    return "'" + cleaned if looks_like_formula(cleaned) else cleaned


def csv_text(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The CSV's text: a heading row, then one row per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def write_csv(headings: Sequence[str], rows: Iterable[Sequence[str]], target: Path) -> Path:
    """Write the rows to `target` (replacing it); raises PlannerError, in an officer's
    words, when the file cannot be written."""
    data = ("\ufeff" + csv_text(headings, rows)).encode("utf-8")
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
