"""A plan file opened like a document: a local working copy, atomic save, recovery.

Opening copies the file into a working copy in the user's data folder; every edit
commits there at once, so a crash loses nothing and a file on a share or a synced
folder is never edited in place. Saving writes the working copy to a temporary file
beside the target, checks it and atomically replaces the target.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from planner import paths
from planner.domain import DEFAULT_RAG_DEFINITIONS
from planner.errors import (
    FileChangedError,
    NotAPlanError,
    PlanFileError,
    RecoveryAvailable,
    SaveError,
)
from planner.store import schema
from planner.store.backups import make_backup, make_daily_backup
from planner.store.lock import PlanLock, acquire
from planner.store.models import Plan, RagDefinitionRow
from planner.store.sqlite_file import (
    copy_database,
    copy_plan,
    describe_os_error,
    discard_early_check,
    fsync_directory,
    fsync_path,
    harden,
    inspect_plan,
    integrity_problems,
    process_alive,
)

PLAN_SUFFIX = ".plan"
Recovery = Literal["ask", "recover", "discard"]
_OPEN_HERE: set[Path] = set()  # working copies this process has open


@dataclass
class WorkingState:
    """What the sidecar beside a working copy remembers about it."""

    source: str
    source_mtime_ns: int | None
    source_size: int | None
    opened_at: str
    dirty: bool = False
    migrated_from: int | None = None
    pid: int = 0
    # the file a save was putting in place: if the program dies just after, that file
    # is this program's own save, not a change by someone else
    saving_mtime_ns: int | None = None
    saving_size: int | None = None


@dataclass(frozen=True)
class RecoveryInfo:
    source: Path
    working_path: Path
    last_change: datetime


def _engine_for(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        harden(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    return engine


def _stat(path: Path) -> tuple[int | None, int | None]:
    try:
        info = path.stat()
    except OSError:
        return None, None
    return info.st_mtime_ns, info.st_size


class PlanFile:
    """One open plan: its document path, working copy, engine and session factory."""

    def __init__(
        self,
        path: Path,
        working_path: Path,
        state: WorkingState | None,
        data_dir: Path,
        *,
        read_only: bool = False,
        lock: PlanLock | None = None,
    ) -> None:
        self.path = path
        self.lock = lock
        self.working_path = working_path
        self._state = state
        self.data_dir = data_dir
        self.read_only = read_only
        self.engine = _engine_for(working_path)
        self.Session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        with self.Session() as session:
            plan = Plan.__table__
            plan_id = session.scalar(select(plan.c.id).order_by(plan.c.id))
        if plan_id is None:
            self.engine.dispose()
            if lock is not None:
                lock.release()
            raise NotAPlanError(f"'{path.name}' holds no plan.")
        self.plan_id: int = plan_id
        self._closed = False
        _OPEN_HERE.add(working_path)

    # ----- opening and creating -------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        recovery: Recovery = "ask",
        read_only: bool = False,
        data_dir: Path | None = None,
    ) -> PlanFile:
        """Open a plan; refuses with a clear sentence and leaves the file untouched."""
        path = Path(path).absolute()
        data_dir = data_dir or paths.data_dir()
        if read_only:
            try:
                return cls._open_read_only(path, data_dir)
            finally:
                discard_early_check(path)
        working = working_copy_path(data_dir, path)
        if working in _OPEN_HERE:
            raise PlanFileError(f"'{path.name}' is already open in this window.")
        lock = acquire(path) if path.parent.is_dir() else None
        if lock is not None:
            remove_stale_temporaries(path)
        try:
            return cls._open_locked(path, working, data_dir, recovery, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        finally:
            discard_early_check(path)

    @classmethod
    def _open_locked(
        cls,
        path: Path,
        working: Path,
        data_dir: Path,
        recovery: Recovery,
        lock: PlanLock | None,
    ) -> PlanFile:
        state_now = _read_state(working)
        if (
            state_now is not None
            and state_now.pid != os.getpid()
            and working.exists()
            and process_alive(state_now.pid)
        ):
            raise PlanFileError(
                f"'{path.name}' is already open in another Strategy Planner window "
                f"(since {state_now.opened_at.replace('T', ' ')}). Close it there first."
            )
        found = find_recovery(path, data_dir=data_dir)
        if found and recovery == "ask":
            raise RecoveryAvailable(
                f"'{path.name}' has unsaved changes from {found.last_change:%d/%m/%Y %H:%M} "
                "that were not saved. Recover them, or discard them and open the saved file?"
            )
        if found and recovery == "recover":
            state = _read_state(working)
            assert state is not None
            settle(working)
            if integrity_problems(working, quick=True):
                raise NotAPlanError(
                    f"The unsaved changes to '{path.name}' are damaged and cannot be recovered; "
                    "open the saved file instead."
                )
            state.pid = os.getpid()
            _write_state(working, state)
            return cls(path, working, state, data_dir, lock=lock)
        version = inspect_plan(path)
        discard_working_copy(working)
        working.parent.mkdir(parents=True, exist_ok=True)
        mtime, size = _stat(path)
        try:
            copy_plan(path, working)
        except (OSError, sqlite3.Error) as error:
            discard_working_copy(working)
            raise PlanFileError(f"'{path.name}' could not be copied to open it: {error}.") from None
        state = WorkingState(
            source=str(path),
            source_mtime_ns=mtime,
            source_size=size,
            opened_at=datetime.now().isoformat(timespec="seconds"),
            pid=os.getpid(),
        )
        try:
            if version < schema.SCHEMA_VERSION:
                _migrate_file(working)
                state.migrated_from = version
                state.dirty = True
            _write_state(working, state)
            return cls(path, working, state, data_dir, lock=lock)
        except BaseException:
            discard_working_copy(working)
            raise

    @classmethod
    def restore_backup(
        cls,
        path: str | os.PathLike[str],
        backup: Path,
        *,
        data_dir: Path | None = None,
    ) -> PlanFile:
        """Open `backup` as a new working copy of the plan at `path`, with unsaved changes:
        saving then puts the backup's content over the plan. Neither file is changed."""
        path = Path(path).absolute()
        data_dir = data_dir or paths.data_dir()
        working = working_copy_path(data_dir, path)
        if working in _OPEN_HERE:
            raise PlanFileError(f"'{path.name}' is open in this window; close it first.")
        version = inspect_plan(backup)
        lock = acquire(path) if path.parent.is_dir() else None
        try:
            discard_working_copy(working)
            working.parent.mkdir(parents=True, exist_ok=True)
            mtime, size = _stat(path)
            try:
                copy_database(backup, working)
                if version < schema.SCHEMA_VERSION:
                    _migrate_file(working)
            except (OSError, sqlite3.Error) as error:
                discard_working_copy(working)
                raise PlanFileError(
                    f"The backup '{backup.name}' could not be copied to open it: {error}."
                ) from None
            state = WorkingState(
                source=str(path),
                source_mtime_ns=mtime,
                source_size=size,
                opened_at=datetime.now().isoformat(timespec="seconds"),
                dirty=True,
                pid=os.getpid(),
            )
            _write_state(working, state)
            return cls(path, working, state, data_dir, lock=lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def open_copy(
        cls,
        source: str | os.PathLike[str],
        target: str | os.PathLike[str],
        *,
        data_dir: Path | None = None,
    ) -> PlanFile:
        """Copy the plan at `source` (which may be open elsewhere) to `target`, then open
        the copy; `source` is only read."""
        source, target = Path(source).absolute(), Path(target).absolute()
        if source == target:
            raise PlanFileError("Choose a different name for the copy.")
        inspect_plan(source)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.saving")
        try:
            copy_database(source, temporary)
            os.replace(temporary, target)
        except (OSError, sqlite3.Error) as error:
            temporary.unlink(missing_ok=True)
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            raise PlanFileError(f"'{target.name}' could not be written: {reason}.") from None
        return cls.open(target, recovery="discard", data_dir=data_dir)

    @classmethod
    def _open_read_only(cls, path: Path, data_dir: Path) -> PlanFile:
        version = inspect_plan(path)
        folder = Path(tempfile.mkdtemp(prefix="planner-ro-"))
        working = folder / path.name
        try:
            copy_database(path, working)
            if version < schema.SCHEMA_VERSION:
                _migrate_file(working)
            return cls(path, working, None, data_dir, read_only=True)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        title: str,
        organisation: str = "",
        period_start: date | None = None,
        period_end: date | None = None,
        status_date: date | None = None,
        protective_marking: str = "OFFICIAL",
        overwrite: bool = False,
        data_dir: Path | None = None,
        fill: Any = None,
    ) -> PlanFile:
        """Create a new plan file at `path`, saved, and return it open.

        `fill(session, plan_id)`, when given, adds content before the first save.
        """
        path = Path(path).absolute()
        data_dir = data_dir or paths.data_dir()
        if path.exists() and not overwrite:
            raise PlanFileError(f"'{path.name}' already exists; choose another name.")
        if not title.strip():
            raise PlanFileError("A new plan needs a title.")
        working = working_copy_path(data_dir, path)
        if working in _OPEN_HERE:
            raise PlanFileError(f"'{path.name}' is open in this window; choose another name.")
        lock = acquire(path) if path.parent.is_dir() else None
        try:
            return cls._create_locked(
                path,
                working,
                data_dir,
                lock,
                Plan(
                    title=title.strip(),
                    organisation=organisation.strip(),
                    period_start=period_start,
                    period_end=period_end,
                    status_date=status_date or date.today(),
                    protective_marking=protective_marking,
                ),
                fill,
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _create_locked(
        cls, path: Path, working: Path, data_dir: Path, lock: PlanLock | None, plan: Plan, fill: Any
    ) -> PlanFile:
        discard_working_copy(working)
        working.parent.mkdir(parents=True, exist_ok=True)
        _migrate_file(working)
        engine = _engine_for(working)
        try:
            with sessionmaker(engine).begin() as session:
                session.add(plan)
                session.flush()
                for position, rag in enumerate(DEFAULT_RAG_DEFINITIONS):
                    session.add(
                        RagDefinitionRow(
                            plan_id=plan.id,
                            code=rag.code,
                            name=rag.name,
                            colour=rag.colour,
                            meaning=rag.meaning,
                            position=position,
                        )
                    )
                if fill is not None:
                    session.flush()
                    fill(session, plan.id)
        finally:
            engine.dispose()
        state = WorkingState(
            source=str(path),
            source_mtime_ns=None,
            source_size=None,
            opened_at=datetime.now().isoformat(timespec="seconds"),
            dirty=True,
            pid=os.getpid(),
        )
        _write_state(working, state)
        plan_file = cls(path, working, state, data_dir, lock=lock)
        try:
            plan_file.save()
        except PlanFileError:
            plan_file.close(discard=True)
            raise
        return plan_file

    # ----- state ----------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        """True when the working copy has changes not yet saved."""
        return bool(self._state and self._state.dirty)

    @property
    def migrated_from(self) -> int | None:
        return self._state.migrated_from if self._state else None

    def mark_dirty(self) -> None:
        if self._state and not self._state.dirty:
            self._state.dirty = True
            _write_state(self.working_path, self._state)

    def mark_dirty_for_write(self) -> Callable[[], None] | None:
        """Mark unsaved before a write; returns how to undo that if nothing is written."""
        if self._state is None or self._state.dirty:
            return None
        self.mark_dirty()
        return self._mark_clean

    def _mark_clean(self) -> None:
        if self._state is not None and self._state.dirty:
            self._state.dirty = False
            with contextlib.suppress(OSError):
                _write_state(self.working_path, self._state)

    def changed_on_disk(self) -> bool:
        """True when the document file was changed by someone else since it was opened."""
        if not self._state or self._state.source_mtime_ns is None:
            return False
        if Path(self._state.source) != self.path:
            return False
        now = _stat(self.path)
        if self._state.saving_mtime_ns is not None and now == (
            self._state.saving_mtime_ns,
            self._state.saving_size,
        ):
            return False
        return now != (self._state.source_mtime_ns, self._state.source_size)

    # ----- saving ---------------------------------------------------------------

    def save(self, *, overwrite_changes: bool = False) -> None:
        """Write the working copy over the document file, atomically."""
        if self.read_only:
            raise SaveError(f"'{self.path.name}' is open read-only; use Save As to keep a copy.")
        if not self.path.parent.is_dir():
            raise SaveError(
                f"'{self.path.name}' could not be saved: the folder {self.path.parent} no longer "
                "exists. Your changes are safe; use Save As to choose another place."
            )
        if not overwrite_changes and self.changed_on_disk() and not self.path.exists():
            raise FileChangedError(
                f"'{self.path.name}' was moved or deleted since you opened it. Save it again "
                "in the same place, or use Save As to choose another."
            )
        if not overwrite_changes and self.changed_on_disk():
            raise FileChangedError(
                f"'{self.path.name}' was changed on disk by someone else since you opened it. "
                "Save as a different file to keep both versions."
            )
        self._write_to(self.path)

    def save_as(self, path: str | os.PathLike[str]) -> None:
        """Write the working copy to `path`, which becomes this document's file."""
        target = Path(path).absolute()
        if target == self.path:
            self.save()
            return
        new_working = working_copy_path(self.data_dir, target)
        if new_working in _OPEN_HERE:
            raise SaveError(f"'{target.name}' is open in another window; choose another name.")
        new_lock = acquire(target) if target.parent.is_dir() else None
        try:
            self._write_to(target)
        except BaseException:
            if new_lock is not None:
                new_lock.release()
            raise
        if self.lock is not None:
            self.lock.release()
        self.lock = new_lock
        if self.read_only:
            self.path = target
            self.read_only = False
            self._adopt_working_copy(new_working)
            return
        self.path = target
        self._adopt_working_copy(new_working)

    def _adopt_working_copy(self, new_working: Path) -> None:
        """Move the working copy to the one that belongs to the new document path."""
        self.engine.dispose()
        old_working = self.working_path
        discard_working_copy(new_working)
        new_working.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old_working, new_working)
        if self._state is not None:
            discard_working_copy(old_working)
        else:
            shutil.rmtree(old_working.parent, ignore_errors=True)
        mtime, size = _stat(self.path)
        self._state = WorkingState(
            source=str(self.path),
            source_mtime_ns=mtime,
            source_size=size,
            opened_at=datetime.now().isoformat(timespec="seconds"),
            pid=os.getpid(),
        )
        _OPEN_HERE.discard(self.working_path)
        self.working_path = new_working
        _OPEN_HERE.add(new_working)
        _write_state(new_working, self._state)
        self.engine = _engine_for(new_working)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

    def _write_to(self, target: Path) -> None:
        temporary = target.with_name(f".{target.name}.{os.getpid()}.saving")
        try:
            if not target.parent.is_dir():
                raise SaveError(
                    f"'{target.name}' could not be saved: the folder {target.parent} no longer "
                    "exists. Your changes are safe; use Save As to choose another place."
                )
            if target.exists() and not target.stat().st_mode & 0o222:
                raise SaveError(
                    f"'{target.name}' could not be saved: the file is marked read-only. Your "
                    "changes are safe in the program; use Save As to choose another name."
                )
            self.engine.dispose()
            copy_database(self.working_path, temporary)
            problems = integrity_problems(temporary, quick=True)
            if problems:
                raise SaveError(
                    f"'{target.name}' was not saved: the copy written failed its check. "
                    "Your changes are safe; try again or use Save As."
                )
            fsync_path(temporary)
            if target == self.path and target.exists():
                if self.migrated_from is not None:
                    make_backup(
                        self.data_dir, target, f"before-migration-from-v{self.migrated_from}"
                    )
                else:
                    make_daily_backup(self.data_dir, target)
            if self._state is not None and target == self.path:
                self._state.saving_mtime_ns, self._state.saving_size = _stat(temporary)
                _write_state(self.working_path, self._state)
            os.replace(temporary, target)
            fsync_directory(target.parent)
        except SaveError:
            temporary.unlink(missing_ok=True)
            raise
        except (OSError, sqlite3.Error) as error:
            temporary.unlink(missing_ok=True)
            if isinstance(error, OSError):
                reason = describe_os_error(error)
            elif not os.access(target.parent, os.W_OK):
                reason = "you do not have permission to write in that folder"
            else:
                reason = f"the file could not be written ({error})"
            advice = (
                "free some space or use Save As to choose another place"
                if "full" in reason or "quota" in reason
                else "use Save As to choose another place"
            )
            raise SaveError(
                f"'{target.name}' could not be saved: {reason}. Your changes are safe in the "
                f"program; {advice}."
            ) from None
        if self._state is not None:
            mtime, size = _stat(target)
            self._state.source = str(target)
            self._state.source_mtime_ns = mtime
            self._state.source_size = size
            self._state.dirty = False
            self._state.migrated_from = None
            self._state.saving_mtime_ns = self._state.saving_size = None
            _write_state(self.working_path, self._state)

    # ----- closing --------------------------------------------------------------

    def close(self, *, discard: bool = False) -> None:
        """Close the plan; the working copy is kept only when it holds unsaved changes."""
        if self._closed:
            return
        self._closed = True
        self.engine.dispose()
        _OPEN_HERE.discard(self.working_path)
        if self._state is None:
            shutil.rmtree(self.working_path.parent, ignore_errors=True)
        elif discard or not self._state.dirty:
            discard_working_copy(self.working_path)
        else:  # kept for recovery: no longer held by this process
            self._state.pid = 0
            with contextlib.suppress(OSError):
                _write_state(self.working_path, self._state)
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# ----- working copies -------------------------------------------------------------


def working_copy_path(data_dir: Path, document: Path) -> Path:
    key = hashlib.sha1(str(document.absolute()).encode()).hexdigest()[:16]
    return paths.working_dir(data_dir) / f"{document.stem}-{key}{PLAN_SUFFIX}"


def _state_path(working: Path) -> Path:
    return working.with_suffix(".json")


def _read_state(working: Path) -> WorkingState | None:
    try:
        return WorkingState(**json.loads(_state_path(working).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(working: Path, state: WorkingState) -> None:
    target = _state_path(working)
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(asdict(state), indent=1), "utf-8")
    os.replace(temporary, target)


def discard_working_copy(working: Path) -> None:
    for path in (working, _state_path(working), working.with_name(working.name + "-journal")):
        path.unlink(missing_ok=True)


def find_recovery(
    path: str | os.PathLike[str], *, data_dir: Path | None = None
) -> RecoveryInfo | None:
    """Unsaved changes to `path` left by an earlier session, if any."""
    document = Path(path).absolute()
    working = working_copy_path(data_dir or paths.data_dir(), document)
    state = _read_state(working)
    if state is None or not state.dirty or not working.exists():
        return None
    if working in _OPEN_HERE:
        return None
    if state.pid != os.getpid() and process_alive(state.pid):
        return None  # still open in another window: not a crash
    return RecoveryInfo(
        source=document,
        working_path=working,
        last_change=datetime.fromtimestamp(working.stat().st_mtime),
    )


def _migrate_file(working: Path) -> None:
    engine = _engine_for(working)
    try:
        with engine.begin() as connection:
            schema.upgrade(connection)
    finally:
        engine.dispose()


def settle(working: Path) -> None:
    """Let SQLite roll back a transaction cut short by a crash (a hot journal), so the
    working copy can be checked and read; only ever done to our own working copies."""
    connection = sqlite3.connect(str(working))
    try:
        harden(connection)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def remove_stale_temporaries(document: Path) -> None:
    """Remove half-written save files beside `document` left by a program that died."""
    for leftover in document.parent.glob(f".{glob.escape(document.name)}.*"):
        pid_text, _, kind = leftover.name[len(document.name) + 2 :].partition(".")
        if kind not in ("saving", "saving-journal", "locking"):
            continue
        if pid_text.isdigit() and not process_alive(int(pid_text)):
            leftover.unlink(missing_ok=True)
