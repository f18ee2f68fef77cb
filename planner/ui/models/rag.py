"""How a RAG rating looks: the plan's colour, a readable text colour, its letter and meaning."""

from __future__ import annotations

from PySide6.QtGui import QColor

from planner.domain import RagDefinition


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background`."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#1b1b1b") if luminance > 150 else QColor("#ffffff")


def rag_label(definition: RagDefinition | None) -> str:
    """'A Amber': the letter and the name, so colour is never the only signal."""
    if definition is None:
        return "Not rated"
    return f"{definition.code} {definition.name}"


def rag_tooltip(definition: RagDefinition | None) -> str:
    if definition is None:
        return "Not rated yet"
    return f"{definition.name}: {definition.meaning}"
