"""The one place the program uses a library's private attribute, pinned by a test that
fails when the library changes it: a failed export removes the temporary files that
openpyxl's write-only sheets keep (each holds rows of the plan), through `_writer`."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from openpyxl import Workbook

from planner.io.excel.writer import _discard


# The abandoned sheet's row generator complains when collected; that is the point.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_failed_export_removes_the_sheets_temporary_files(tmp_path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    sheet.append(["3.2", "Shared data centre", "Claire Dobson"])
    temporary = Path(sheet._writer.out)  # openpyxl's private writer and its file
    assert temporary.exists()
    partial = tmp_path / ".export.partial.xlsx"
    partial.write_bytes(b"half a workbook")
    _discard(workbook, partial)
    assert not temporary.exists()
    assert not partial.exists()
    del sheet, workbook
    gc.collect()  # the abandoned generator complains now, inside this test
