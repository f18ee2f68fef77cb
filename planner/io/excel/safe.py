"""Cell text that is safe to open: never a formula, only characters XML can hold."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXCEL_CELL_LIMIT = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def cut_marker(extra: int) -> str:
    return f" … [cut: {extra:,} more characters in the plan]"


def safe_text(value: str) -> str:
    """Replace characters XML cannot hold and cut text over Excel's cell limit visibly."""
    text = str(ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value))
    if len(text) > EXCEL_CELL_LIMIT:
        keep = EXCEL_CELL_LIMIT - len(cut_marker(len(text)))
        text = text[:keep] + cut_marker(len(text) - keep)
    return text


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)
