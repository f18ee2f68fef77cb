"""Help > User guide: the guide shipped in resources/guide, shown in the app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME
from planner.paths import resources_dir

BLOCK_ROLE = Qt.ItemDataRole.UserRole


def guide_path() -> Path:
    return resources_dir() / "guide" / "user-guide.md"


class UserGuide(QDialog):
    """The guide as formatted text, with its sections listed on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideWindow")
        self.setWindowTitle(f"{APP_NAME} user guide")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setModal(False)

        self.browser = QTextBrowser(self)
        self.browser.setObjectName("userGuide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(guide_path().parent)])
        try:
            text = guide_path().read_text(encoding="utf-8")
        except OSError as error:
            text = f"# The user guide is missing\n\nIt could not be read: {error.strerror}."
        self.browser.setMarkdown(text)

        self.contents = QListWidget(self)
        self.contents.setObjectName("userGuideContents")
        self.contents.setAccessibleName("Contents")
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setMaximumWidth(300)
        for block in self._headings():
            item = QListWidgetItem(block.text(), self.contents)
            item.setData(BLOCK_ROLE, block.blockNumber())
        self.contents.currentItemChanged.connect(self._go_to)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        self.resize(900, 680)

    def _headings(self) -> list[QTextBlock]:
        """The guide's sections: its level-2 headings."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 2:
                found.append(block)
            block = block.next()
        return found

    def sections(self) -> list[str]:
        return [self.contents.item(row).text() for row in range(self.contents.count())]

    def _go_to(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        block = self.browser.document().findBlockByNumber(int(item.data(BLOCK_ROLE)))
        layout = self.browser.document().documentLayout()
        self.browser.verticalScrollBar().setValue(int(layout.blockBoundingRect(block).top()))


def show_user_guide(parent: QWidget) -> UserGuide:
    """Show the guide beside the window (one at a time), and return it."""
    guide = parent.findChild(UserGuide, "userGuideWindow")
    if guide is None:
        guide = UserGuide(parent)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
