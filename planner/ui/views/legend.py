"""A key to a view's colours: small swatches, each with its text beside it, wrapping
onto more lines when the view is narrow."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class Legend(QLabel):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setAccessibleName(title)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._title = title
        self._entries: list[str] = []
        self._plain: list[str] = []
        self._show()

    def add(self, sample: str, fill: QColor, meaning: str, *, strong: bool = False) -> None:
        """A swatch showing `sample` as the view shows it, then `meaning`."""
        weight = "font-weight:700;" if strong else ""
        swatch = (
            f'<span style="background-color:{fill.name()};{weight}">'
            f"&nbsp;{escape(sample)}&nbsp;</span>"
        )
        self._entries.append(f"{swatch}&nbsp;{escape(meaning)}")
        self._plain.append(f"{sample}: {meaning}")
        self._show()

    def plain_text(self) -> str:
        return "; ".join(self._plain)

    def _show(self) -> None:
        title = f'<span style="color:#5A6470;">{escape(self._title)}</span>'
        self.setText(" &nbsp; ".join([title, *self._entries]))
        self.setAccessibleDescription(self.plain_text())
