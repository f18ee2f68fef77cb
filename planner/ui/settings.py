"""The app's remembered settings (QSettings): recent files, window layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from planner.paths import data_dir

MAX_RECENT = 8


class AppSettings:
    """Typed access to QSettings; tests give it their own file."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
        self._settings = settings

    def recent_files(self) -> list[Path]:
        value = self._settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [Path(item) for item in (value or []) if item]

    def add_recent_file(self, path: Path) -> None:
        files = [str(path.absolute())] + [
            str(item) for item in self.recent_files() if item.absolute() != path.absolute()
        ]
        self._settings.setValue("recentFiles", files[:MAX_RECENT])

    def remove_recent_file(self, path: Path) -> None:
        files = [str(item) for item in self.recent_files() if item != path]
        self._settings.setValue("recentFiles", files)

    def most_recent_existing(self) -> Path | None:
        for path in self.recent_files():
            if path.exists():
                return path
        return None

    def state(self, key: str) -> QByteArray | None:
        value = self._settings.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(f"layout/{key}", value)

    def sync(self) -> None:
        self._settings.sync()
