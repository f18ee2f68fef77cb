"""The officer's name: who the journal, the lock file, exports and merges say did it.

The name comes from, in order: the name given for one command (`--by NAME`), the
PLANNER_USER environment variable, the name saved in the app's Preferences (Your
name, kept in settings.ini in the data folder) and, failing those, the computer's
login name. The app writes settings.ini with Qt's QSettings; it is read here without
Qt, so the command line honours the name set in the app.
"""

from __future__ import annotations

import configparser
import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path

ENVIRONMENT_VARIABLE = "PLANNER_USER"
SETTINGS_FILE_NAME = "settings.ini"
# The QSettings key of the saved name: section [officer], key "name" in settings.ini.
SETTINGS_SECTION = "officer"
SETTINGS_KEY = "name"
MAX_LENGTH = 200  # the journal's `who` column

_given: list[str] = []  # names given for the command running now (see `named`)


def login_name() -> str:
    """The computer's login name, or "unknown" where there is none."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name on some locked-down machines
        return "unknown"


def clean_name(text: str | None) -> str:
    """A name as it is recorded: spaces tidied, at most MAX_LENGTH characters."""
    return " ".join((text or "").split())[:MAX_LENGTH]


def settings_path() -> Path | None:
    """The app's settings file in the data folder, or None if there is no data folder."""
    from planner.paths import data_dir

    try:
        return data_dir() / SETTINGS_FILE_NAME
    except OSError:  # the data folder cannot be made (a locked-down profile)
        return None


def saved_name(path: Path | None = None) -> str:
    """The name saved in the app's Preferences, or "" when none is."""
    path = path or settings_path()
    if path is None:
        return ""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(path.read_text("utf-8"))
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError, configparser.Error):
        return ""
    raw = parser.get(SETTINGS_SECTION, SETTINGS_KEY, fallback="")
    return clean_name(qt_ini_text(raw))


def officer_name(explicit: str | None = None, *, saved: str | None = None) -> str:
    """The name of the officer at the keyboard: `explicit`, else a name given for the
    command running now, else PLANNER_USER, else the saved name (`saved` when given,
    otherwise read from settings.ini), else the login name."""
    for candidate in (explicit, *reversed(_given), os.environ.get(ENVIRONMENT_VARIABLE)):
        name = clean_name(candidate)
        if name:
            return name
    name = clean_name(saved if saved is not None else saved_name())
    return name or login_name()


def name_from_environment() -> str:
    """The name PLANNER_USER gives, or "" when it is not set."""
    return clean_name(os.environ.get(ENVIRONMENT_VARIABLE))


@contextlib.contextmanager
def named(name: str | None) -> Iterator[None]:
    """Within the block, `officer_name()` gives `name` (when it is not empty): one
    command's `--by NAME`, for everything the command records."""
    name = clean_name(name)
    if not name:
        yield
        return
    _given.append(name)
    try:
        yield
    finally:
        _given.pop()


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": ""}


def qt_ini_text(raw: str) -> str:
    """A text value as QSettings' IniFormat writes it, read back: quotes and backslash
    escapes undone, "@@" for a leading "@"; "" for a value that is not text (a list
    written with commas gives its text as it stands)."""
    text = raw.strip()
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            break  # a comment
        elif ch == "\\" and i + 1 < len(text):
            i += 1
            code = text[i]
            if code in ("x", "X"):
                digits = ""
                while i + 1 < len(text) and text[i + 1] in "0123456789abcdefABCDEF":
                    i += 1
                    digits += text[i]
                out.append(chr(int(digits, 16)) if digits else "")
            else:
                out.append(_ESCAPES.get(code, code))
        else:
            out.append(ch)
        i += 1
    value = "".join(out)
    if value.startswith("@@"):
        return value[1:]
    if value.startswith("@"):  # @Invalid(), @ByteArray(...): not a name
        return ""
    return value
