"""Editors for table cells: UK dates with a calendar, choice lists, percentages."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QDateEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from planner.ui.models.roles import (
    BACKGROUND,
    CHOICES_ROLE,
    DISPLAY,
    EDIT_VALUE_ROLE,
    FONT,
    FOREGROUND,
    Index,
)

# Models give editors their current value and their choices through these roles.


UK_DATE_FORMAT = "dd/MM/yyyy"


def to_qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate()


def from_qdate(value: QDate) -> date | None:
    return date(value.year(), value.month(), value.day()) if value.isValid() else None


class DateDelegate(QStyledItemDelegate):
    """A date editor with a calendar pop-up, shown dd/mm/yyyy."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat(UK_DATE_FORMAT)
        editor.setAccessibleName("Date")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        value = index.data(EDIT_VALUE_ROLE)
        editor.setDate(to_qdate(value) if value else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, from_qdate(editor.date()), Qt.ItemDataRole.EditRole)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of the choices the model offers for the cell; commits on pick."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QComboBox(parent)
        editor.setAccessibleName("Choice")
        for value, label in index.data(CHOICES_ROLE) or []:
            editor.addItem(label, value)
        editor.activated.connect(lambda _number, combo=editor: self._picked(combo))
        return editor

    def _picked(self, editor: QComboBox) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(EDIT_VALUE_ROLE))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value: Any = editor.currentData()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class PercentDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(0, 100)
        editor.setSuffix("%")
        editor.setSingleStep(5)
        editor.setAccessibleName("Percent complete")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        editor.setValue(int(index.data(EDIT_VALUE_ROLE) or 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class OptionalDateEdit(QDateEdit):
    """A dd/mm/yyyy date with a calendar pop-up that may also be empty.

    Empty shows `empty_text`; the Delete key empties it. When empty, the calendar opens
    on `fallback` (the plan's status date) rather than on the empty marker."""

    EMPTY = QDate(1900, 1, 1)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        empty_text: str = "Not set",
        fallback: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(UK_DATE_FORMAT)
        self.setMinimumDate(self.EMPTY)
        self.setSpecialValueText(empty_text)
        self.setToolTip("dd/mm/yyyy; press Delete to leave it empty")
        self._fallback = fallback
        self.calendarWidget().installEventFilter(self)
        self.set_value(None)

    def set_fallback(self, fallback: date | None) -> None:
        self._fallback = fallback

    def value(self) -> date | None:
        return None if self.date() <= self.EMPTY else from_qdate(self.date())

    def set_value(self, value: date | None) -> None:
        self.setDate(to_qdate(value) if value else self.EMPTY)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.value() is None:
            shown = self._fallback or date.today()
            self.calendarWidget().setCurrentPage(shown.year, shown.month)
        return False


class OptionalDateDelegate(DateDelegate):
    """A date cell that may be empty (a milestone not completed yet)."""

    def __init__(self, parent: QObject | None = None, empty_text: str = "Not set") -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self.fallback: date | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = OptionalDateEdit(parent, empty_text=self.empty_text, fallback=self.fallback)
        editor.setAccessibleName("Date")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, OptionalDateEdit)
        editor.set_value(index.data(EDIT_VALUE_ROLE))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, OptionalDateEdit)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class RagCellDelegate(ChoiceDelegate):
    """Paints a RAG cell as its colour with its name, even when the row is selected,
    and edits it with the choice list."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        background = model.data(index, BACKGROUND)
        if background is None:
            super().paint(painter, option, index)
            return
        # The whole cell in the rating's colour; on the selected row, a chip of it inside
        # the selection. (Standard painting would first lay out and draw the name twice.)
        painter.save()
        rect = option.rect.adjusted(3, 3, -3, -3)
        if option.state & _SELECTED:
            painter.fillRect(option.rect, option.palette.highlight())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(rect, 3, 3)
        else:
            painter.fillRect(option.rect, background)
        foreground = model.data(index, FOREGROUND)
        painter.setPen(foreground.color() if foreground is not None else QColor("#1B1B1B"))
        font = model.data(index, FONT)
        if font is not None:
            painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(model.data(index, DISPLAY) or ""))
        painter.restore()
        if option.state & _HAS_FOCUS:  # the current cell, for keyboard users
            widget = option.widget
            style = widget.style() if widget is not None else QApplication.style()
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, widget)


_SELECTED = QStyle.StateFlag.State_Selected
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
