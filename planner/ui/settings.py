"""The app's remembered settings (QSettings): recent files, window layout, your name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from planner.officer import (
    SETTINGS_FILE_NAME,
    SETTINGS_KEY,
    SETTINGS_SECTION,
    clean_name,
    officer_name,
)
from planner.paths import data_dir

MAX_RECENT = 8
# Read without Qt by planner.officer, so the command line uses the name set here.
OFFICER_NAME_KEY = f"{SETTINGS_SECTION}/{SETTINGS_KEY}"
OFFICER_ASKED_KEY = f"{SETTINGS_SECTION}/asked"


class AppSettings:
    """Typed access to QSettings; tests give it their own file."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            settings = QSettings(str(data_dir() / SETTINGS_FILE_NAME), QSettings.Format.IniFormat)
        self._settings = settings

    def recent_files(self) -> list[Path]:
        value = self._settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [Path(str(item)) for item in value if item]

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

    def saved_officer_name(self) -> str:
        """The name saved as Your name in Preferences, or "" when none is."""
        value = self._settings.value(OFFICER_NAME_KEY, "")
        return clean_name(value if isinstance(value, str) else "")

    def set_officer_name(self, name: str) -> None:
        """Save Your name (written to the file at once, for the command line to read)."""
        self._settings.setValue(OFFICER_NAME_KEY, clean_name(name))
        self._settings.setValue(OFFICER_ASKED_KEY, True)
        self._settings.sync()

    def officer_name_asked(self) -> bool:
        """True once the first-start question about your name has been asked."""
        return bool(self._settings.value(OFFICER_ASKED_KEY, False, type=bool))

    def set_officer_name_asked(self) -> None:
        self._settings.setValue(OFFICER_ASKED_KEY, True)
        self._settings.sync()

    def officer_name(self) -> str:
        """The name the app records you by (see planner.officer.officer_name)."""
        return officer_name(saved=self.saved_officer_name())

    def sync(self) -> None:
        self._settings.sync()
