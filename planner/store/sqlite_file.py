"""Low-level SQLite file work: recognising a plan, copying, checking. No ORM here."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from planner.errors import (
    NewerVersionError,
    NotAPlanError,
    PlanFileError,
    UnexpectedSchemaError,
)
from planner.store.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


def _ro_uri(path: Path) -> str:
    return f"file:{quote(str(path))}?mode=ro"


def harden(connection: sqlite3.Connection) -> None:
    """SQLite's settings for files that may come from anywhere: nothing in a file's
    schema may call functions with side effects, damaged cells are caught early, and
    the file is read, never memory-mapped."""
    setconfig = getattr(connection, "setconfig", None)  # Python 3.12+
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and defensive is not None:
        setconfig(defensive, True)
    # text that is not valid UTF-8 (a damaged file) reads as U+FFFD, not as a crash
    connection.text_factory = lambda data: data.decode("utf-8", "replace")
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA cell_size_check = ON")
    connection.execute("PRAGMA mmap_size = 0")


@contextlib.contextmanager
def read_only_connection(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(_ro_uri(path), uri=True)
    try:
        harden(connection)
        yield connection
    finally:
        connection.close()


def describe_os_error(error: OSError) -> str:
    """An officer's sentence for why a file operation failed."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "you do not have permission to write there",
        errno.EPERM: "you do not have permission to write there",
        errno.EROFS: "the drive is read-only",
        errno.ENOENT: "the folder no longer exists",
        errno.EIO: "the drive could not be reached (input/output error)",
    }
    for name in ("ESTALE", "ENOTCONN", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH"):
        code = getattr(errno, name, None)
        if code is not None:
            reasons[code] = "the network drive could not be reached"
    return reasons.get(error.errno or 0, error.strerror or str(error))


def inspect_plan(path: Path, *, check: bool = True) -> int:
    """Return the schema version of the plan at `path`, or refuse with a clear sentence.

    Only reads: the file's bytes are never changed.
    """
    name = f"'{path.name}'"
    try:
        if path.is_dir():
            raise NotAPlanError(f"{name} is a folder, not a plan file.")
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise PlanFileError(f"There is no file {name} in {path.parent}.") from None
    except PlanFileError:
        raise
    except OSError as error:
        raise PlanFileError(f"{name} could not be read: {describe_os_error(error)}.") from None
    if size == 0:
        raise NotAPlanError(f"{name} is empty (0 bytes): it is not a plan file.")
    if not header.startswith(SQLITE_HEADER):
        raise NotAPlanError(f"{name} is not a plan file: it is not a Strategy Planner document.")
    if len(header) < 100:
        raise NotAPlanError(f"{name} is damaged: the file is cut short.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    if page_size and page_count and size < page_size * page_count:
        raise NotAPlanError(f"{name} is damaged: the file is cut short.")
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID:
        raise NotAPlanError(
            f"{name} is a database, but not a Strategy Planner plan, so it cannot be opened."
        )
    if version > SCHEMA_VERSION:
        raise NewerVersionError(
            f"{name} was made by a newer version of Strategy Planner (file format {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Please update Strategy Planner."
        )
    if check:
        problems = integrity_problems(path, quick=True)
        if problems:
            raise NotAPlanError(
                f"{name} is damaged: its internal structure is broken, so it cannot be opened "
                "safely. Open a backup copy instead."
            )
    check_schema(path, version)
    return version


def check_schema(path: Path, version: int) -> None:
    """Refuse a file whose tables, views or triggers are not those of a plan."""
    from planner.store.schema_check import schema_differences

    name = f"'{path.name}'"
    try:
        if version < 1:
            raise sqlite3.DatabaseError("no file format")
        with read_only_connection(path) as connection:
            differences = schema_differences(connection, version)
    except (sqlite3.DatabaseError, UnicodeDecodeError):  # SQLite's message may quote garbage
        raise NotAPlanError(
            f"{name} is damaged: its internal structure is broken, so it cannot be opened "
            "safely. Open a backup copy instead."
        ) from None
    if differences:
        more = f" and {len(differences) - 3} more" if len(differences) > 3 else ""
        raise UnexpectedSchemaError(
            f"{name} is not opened: it holds {', '.join(differences[:3])}{more}, which no "
            "Strategy Planner plan has, so it may have been altered by another program."
        )


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's own integrity check and foreign-key check; an empty list means sound."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with read_only_connection(path) as connection:
            rows = [
                " ".join(str(row[0]).replace("*** in database main ***", "").split())
                for row in connection.execute(f"PRAGMA {pragma}")
            ]
            problems = [] if rows == ["ok"] else rows
            for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} refers to a missing {parent} record")
            if not problems:
                problems += value_problems(connection)
            return problems
    except sqlite3.DatabaseError as error:
        return [f"the database cannot be read ({error})."]
    except UnicodeDecodeError:  # SQLite's message quoted damaged bytes
        return ["the database cannot be read (its structure is damaged)."]


def value_problems(connection: sqlite3.Connection) -> list[str]:
    """Tables holding a value of the wrong kind for its column (a date that is not a
    date, text in a number column): a damaged file that SQLite's own checks pass."""
    from sqlalchemy import Date, DateTime, Integer, String, Text

    from planner.store.models import Base

    problems = []
    for table in Base.metadata.sorted_tables:
        present = {row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
        wrong = []
        for column in table.columns:
            if column.name not in present:
                continue  # an older file format
            name = f'"{column.name}"'
            kind = column.type
            if isinstance(kind, DateTime):
                bad = f"typeof({name}) != 'text' OR datetime({name}) IS NULL"
            elif isinstance(kind, Date):
                bad = f"typeof({name}) != 'text' OR date({name}) IS NOT {name}"
            elif isinstance(kind, Integer):
                bad = f"typeof({name}) != 'integer'"
            elif isinstance(kind, String | Text):
                bad = f"typeof({name}) != 'text'"
            else:
                continue
            wrong.append(f"({name} IS NOT NULL AND ({bad}))")
        if not present or not wrong:
            continue
        found = connection.execute(
            f'SELECT 1 FROM "{table.name}" WHERE {" OR ".join(wrong)} LIMIT 1'
        ).fetchone()
        if found:
            problems.append(f"the {table.name} table holds a value of the wrong kind")
    return problems


def process_alive(pid: int) -> bool:
    """True when a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def copy_database(source: Path, target: Path) -> None:
    """Copy a consistent snapshot of `source` to `target` with SQLite's backup API."""
    target.unlink(missing_ok=True)
    with read_only_connection(source) as src:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.commit()
        finally:
            dst.close()


def fsync_path(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a folder be synced
        fsync_path(path)
