"""The pieces the details pane is built of: its RAG chip, tables sized to their rows,
buttons, labels, combo boxes and scroll areas, and finding rows by id."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProxyStyle,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain import RagDefinition
from planner.ui.models.details import (
    MUTED,
    NOT_RATED_COLOUR,
    RowsModel,
    text_colour,
)
from planner.ui.models.rag import rag_label, rag_tooltip
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import set_text_colour, style_table


class RagChip(QLabel):
    """A RAG rating as its colour with its letter and name; the meaning as tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ragChip")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_rating(None)

    def set_rating(self, definition: RagDefinition | None) -> None:
        colour = definition.colour if definition else NOT_RATED_COLOUR
        self.setText(rag_label(definition))
        self.setToolTip(rag_tooltip(definition))
        self.setAccessibleName(f"RAG: {rag_label(definition)}")
        self.setStyleSheet(
            f"QLabel#ragChip {{ background: {colour}; color: {text_colour(colour)};"
            " border-radius: 4px; padding: 2px 7px; font-weight: 600; }"
        )


class CompactTabs(QProxyStyle):
    """A little less room either side of a tab's name, so all six fit the details pane."""

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return 8
        return super().pixelMetric(metric, option, widget)


def section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setObjectName("sectionTitle")
    return label


def muted_label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    set_text_colour(label, MUTED)
    if name:
        label.setObjectName(name)
    return label


def clear_layout(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()


def details_table(parent: QWidget, name: str, accessible: str) -> QTableView:
    view = QTableView(parent)
    style_table(view)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
    )
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setTabKeyNavigation(False)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return view


# Room kept around wrapped cell text: the style's text margins plus any item padding
# the application's style sheet adds (Qt under-counts padding when it sizes rows).
CELL_SIDE_ROOM = 24
CELL_HEIGHT_ROOM = 10


def fit_rows(view: QTableView) -> None:
    """Give each row the height its wrapped text needs at the current column widths."""
    model = view.model()
    base = view.font()
    for row in range(model.rowCount()):
        needed = view.fontMetrics().height()
        for column in range(model.columnCount()):
            if view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            text = str(index.data() or "")
            font = index.data(Qt.ItemDataRole.FontRole)
            width = max(view.columnWidth(column) - CELL_SIDE_ROOM, 20)
            needed = max(
                needed, wrapped_height(font if isinstance(font, QFont) else base, width, text)
            )
        view.setRowHeight(row, needed + CELL_HEIGHT_ROOM)


_metrics: dict[str, QFontMetrics] = {}
_heights: dict[tuple[str, int, str], int] = {}


def wrapped_height(font: QFont, width: int, text: str) -> int:
    """The height of `text` word-wrapped to `width` (measured once per font and width)."""
    font_key = font.key()
    key = (font_key, width, text)
    height = _heights.get(key)
    if height is None:
        metrics = _metrics.get(font_key)
        if metrics is None:
            metrics = _metrics[font_key] = QFontMetrics(font)
        if len(_heights) > 4096:
            _heights.clear()
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        bounds = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
        height = _heights[key] = bounds.height()
    return height


def fit_height(view: QTableView, minimum_rows: int = 1) -> None:
    """Size a short table to its rows so the page, not the table, scrolls."""
    fit_rows(view)
    rows = view.model().rowCount()
    row_height = view.verticalHeader().defaultSectionSize()
    body = sum(view.rowHeight(row) for row in range(rows)) if rows else 0
    body = max(body, row_height * minimum_rows)
    header = view.horizontalHeader().sizeHint().height()
    scrolls = view.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    scrollbar = view.horizontalScrollBar().sizeHint().height() if scrolls else 0
    view.setFixedHeight(header + body + 2 * view.frameWidth() + scrollbar)


FIT_WHEN_SHOWN = "fitWhenShown"  # the rows a hidden table is to be fitted to when shown


def fit_height_when_shown(view: QTableView, minimum_rows: int = 1) -> None:
    """`fit_height` now when the table is on screen, otherwise when it is next shown
    (a tab not showing need not measure its rows at every edit)."""
    if view.isVisible():
        fit_height(view, minimum_rows)
    else:
        view.setProperty(FIT_WHEN_SHOWN, minimum_rows)


def fit_height_on_show(view: QObject, event: QEvent) -> None:
    """Fit a table put off by `fit_height_when_shown`, as it is shown."""
    if event.type() == QEvent.Type.Show and isinstance(view, QTableView):
        minimum_rows = view.property(FIT_WHEN_SHOWN)
        if isinstance(minimum_rows, int):
            view.setProperty(FIT_WHEN_SHOWN, None)
            fit_height(view, minimum_rows)


def fit_height_on_resize(view: QObject, event: QEvent) -> None:
    """Refit a table sized to its rows when its width changes (rows wrap anew)."""
    if (
        event.type() == QEvent.Type.Resize
        and isinstance(view, QTableView)
        and isinstance(event, QResizeEvent)
        and event.size().width() != event.oldSize().width()
    ):
        # Fit once the header has given the stretched column its new width.
        QTimer.singleShot(0, view, lambda: fit_height(view))


def delete_key_pressed(event: QEvent) -> bool:
    """Whether `event` is the Delete key, pressed or offered to a shortcut first; if so
    it is accepted, so it is the table's and not a window-wide Delete shortcut's."""
    if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        return False
    if not isinstance(event, QKeyEvent):
        return False
    if event.key() != Qt.Key.Key_Delete or event.modifiers():
        return False
    event.accept()
    return True


def details_button(text: str, parent: QWidget, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def buttons_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def scroll_area(content: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


def details_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    # Long theme titles and names must not make the pane wider than it is.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def selected_id(view: QTableView) -> int | None:
    """The id of the row selected in `view`, if any."""
    model = view.selectionModel()
    if model is None:
        return None
    rows = model.selectedRows()
    if not rows:
        return None
    value = rows[0].data(ID_ROLE)
    return int(value) if value is not None else None


def select_id(view: QTableView, row_id: int | None) -> None:
    """Select and show the row with this id, if `view` has it."""
    if row_id is None:
        return
    model = view.model()
    assert isinstance(model, RowsModel)
    row = model.row_of(row_id)
    if row is None:
        return
    index = model.index(row, 0)
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index)


@contextmanager
def quiet(*widgets: QObject) -> Iterator[None]:
    """No signals from `widgets` while the stored values are put in them."""
    previous = [widget.blockSignals(True) for widget in widgets]
    try:
        yield
    finally:
        for widget, was in zip(widgets, previous, strict=True):
            widget.blockSignals(was)
