"""How a RAG rating looks: the plan's colour, a readable text colour, its letter and meaning."""

from __future__ import annotations

from PySide6.QtGui import QColor

from planner.domain import RagDefinition
from planner.domain.colours import readable_text_on


def text_colour_on(background: QColor) -> QColor:
    """Near-black or white, whichever contrasts more with `background`."""
    return QColor(readable_text_on(background.name()))


def rag_label(definition: RagDefinition | None) -> str:
    """'A Amber': the letter and the name, so colour is never the only signal."""
    if definition is None:
        return "Not rated"
    return f"{definition.code} {definition.name}"


def rag_tooltip(definition: RagDefinition | None) -> str:
    if definition is None:
        return "Not rated yet"
    return f"{definition.name}: {definition.meaning}"
