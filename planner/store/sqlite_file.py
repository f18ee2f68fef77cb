"""Low-level SQLite file work: recognising a plan, copying, checking. No ORM here."""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from planner.errors import (
    NewerVersionError,
    NotAPlanError,
    PlanFileError,
    PlannerError,
    UnexpectedSchemaError,
)
from planner.store.schema import APPLICATION_ID, SCHEMA_VERSION

_log = logging.getLogger(__name__)

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


class _EarlyCheck:
    """`inspect_plan` of one file, and a copy of it, made in a thread while the program
    starts up. SQLite does the reading outside Python's interpreter lock, so it goes on
    beside the imports and the building of the window."""

    def __init__(self, path: Path, copy_into: Path | None) -> None:
        self.path = path
        self.copy_into = copy_into
        self.identity = _identity(path)
        self.version: int | None = None
        self.error: PlannerError | None = None
        self.copy: Path | None = None
        self.thread = threading.Thread(target=self._run, name="plan check", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.version = _inspect_plan(self.path, check=True)
        except PlannerError as error:
            self.error = error
            return
        except Exception:  # found again, and reported, when the plan is opened
            _log.warning("The early check of %s failed", self.path, exc_info=True)
            return
        if self.copy_into is None:
            return
        target = self.copy_into / f"{EARLY_COPY_PREFIX}{os.getpid()}-{self.thread.ident}.plan"
        try:
            self.copy_into.mkdir(parents=True, exist_ok=True)
            copy_database(self.path, target)
            self.copy = target
        except (OSError, sqlite3.Error):
            target.unlink(missing_ok=True)

    def unchanged(self) -> bool:
        self.thread.join()
        return self.identity is not None and self.identity == _identity(self.path)

    def discard(self) -> None:
        self.thread.join()
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)
            self.copy = None


EARLY_COPY_PREFIX = ".early-"
_early_checks: dict[Path, _EarlyCheck] = {}


def check_early(path: Path, *, copy_into: Path | None = None) -> None:
    """Start checking the plan at `path` now (and copying it into the folder `copy_into`),
    so that opening it soon after need not wait. What was found is used only if the file
    is unchanged by then."""
    path = path.absolute()
    if path in _early_checks or not path.is_file():
        return
    if copy_into is not None:
        _remove_stale_early_copies(copy_into)
    _early_checks[path] = _EarlyCheck(path, copy_into)
    if len(_early_checks) == 1:
        atexit.register(_discard_early_checks)


def discard_early_check(path: Path) -> None:
    """Forget an early check of `path` and remove its copy (once its plan is opened)."""
    early = _early_checks.pop(path.absolute(), None)
    if early is not None:
        early.discard()


def _discard_early_checks() -> None:
    for path in list(_early_checks):
        discard_early_check(path)


def _remove_stale_early_copies(folder: Path) -> None:
    """Copies left by a program that ended before opening its plan."""
    for leftover in folder.glob(f"{EARLY_COPY_PREFIX}*.plan"):
        pid_text = leftover.name[len(EARLY_COPY_PREFIX) :].partition("-")[0]
        if not pid_text.isdigit() or not process_alive(int(pid_text)):
            leftover.unlink(missing_ok=True)


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _early_result(path: Path) -> int | None:
    """The version found by an early check of the unchanged file (or its error raised);
    None when there was none, it failed unexpectedly, or the file has changed since."""
    early = _early_checks.get(path.absolute())
    if early is None or not early.unchanged():
        return None
    if early.error is not None:
        raise early.error
    return early.version


def copy_plan(source: Path, target: Path) -> None:
    """`copy_database`, taking the early check's copy when the file is unchanged since."""
    early = _early_checks.pop(source.absolute(), None)
    if early is not None:
        unchanged = early.unchanged()  # waits for the copy
        if unchanged and early.copy is not None and early.copy.parent == target.parent:
            target.unlink(missing_ok=True)
            os.replace(early.copy, target)
            return
        early.discard()
    copy_database(source, target)


def inspect_plan(path: Path, *, check: bool = True) -> int:
    """Return the schema version of the plan at `path`, or refuse with a clear sentence.

    Only reads: the file's bytes are never changed.
    """
    if check:
        version = _early_result(path)
        if version is not None:
            return version
    return _inspect_plan(path, check=check)


def _inspect_plan(path: Path, *, check: bool) -> int:
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
    date, text in a number column): a damaged file that SQLite's own checks pass.

    Each column is judged by the type the file declares for it, which the schema check
    holds to the plan's own (so this runs without the ORM, and beside start-up)."""
    problems = []
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (table,) in tables:
        wrong = []
        for column, declared in connection.execute(
            "SELECT name, upper(type) FROM pragma_table_info(?)", (table,)
        ):
            bad = _wrong_value_sql(f'"{column}"', str(declared))
            if bad:
                wrong.append(f'("{column}" IS NOT NULL AND ({bad}))')
        if not wrong:
            continue
        found = connection.execute(
            f'SELECT 1 FROM "{table}" WHERE {" OR ".join(wrong)} LIMIT 1'
        ).fetchone()
        if found:
            problems.append(f"the {table} table holds a value of the wrong kind")
    return problems


def _wrong_value_sql(name: str, declared: str) -> str | None:
    """SQL that is true when column `name` holds a value unfit for its declared type."""
    if declared == "DATETIME":
        return f"typeof({name}) != 'text' OR datetime({name}) IS NULL"
    if declared == "DATE":
        return f"typeof({name}) != 'text' OR date({name}) IS NOT {name}"
    if declared == "INTEGER":
        return f"typeof({name}) != 'integer'"
    if declared == "TEXT" or declared.startswith("VARCHAR"):
        return f"typeof({name}) != 'text'"
    return None


def process_alive(pid: int) -> bool:
    """True when a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]  # Windows only
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]  # Windows only
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
