"""The Qt binding the app is installed with must not corrupt Python over a long session."""

from __future__ import annotations

import subprocess
import sys

# PySide6 6.12.0 dropped a reference to None on every empty value read from a model, so
# a few hundred thousand table paints later Python aborted ("deallocating None").
READ_EMPTY_VALUES = """
import sys
from PySide6.QtGui import QStandardItemModel
model = QStandardItemModel(1, 1)
index = model.index(0, 0)
before = sys.getrefcount(None)
for _ in range(300_000):
    index.data()
print(sys.getrefcount(None) - before)
"""


def test_reading_empty_model_values_keeps_python_sound() -> None:
    result = subprocess.run(
        [sys.executable, "-c", READ_EMPTY_VALUES], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 1000
