"""File > Restore from backup: pick one of a plan's backups by its date."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.store.backups import BackupInfo


class BackupDialog(QDialog):
    """Lists backups newest first; `chosen()` is the one picked. Writes nothing."""

    def __init__(self, parent: QWidget | None, plan_name: str, backups: list[BackupInfo]) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle("Restore from backup")
        self._backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Earlier copies of '{plan_name}' kept in your data folder. The one you choose "
            "opens with its content as unsaved changes: Save puts it over the plan, Save As "
            "keeps both.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName("Backups")
        for backup in backups:
            QListWidgetItem(backup.description, self.list)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 320)

    def chosen(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self._backups[row] if 0 <= row < len(self._backups) else None
