"""The lock file beside an open plan: who has it open, where and since when.

`.NAME.plan.lock` holds JSON {user, host, pid, since, login}: `user` is the officer's
name (planner.officer), `login` the computer's login name. A second opener reads it and
is told who has the plan; a lock left by a process that no longer runs on this machine
(judged by host and process id) is taken over. A folder where no lock can be written
(read-only media) is opened unlocked.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from planner.errors import PlanLockedError
from planner.officer import login_name, officer_name
from planner.store.sqlite_file import process_alive

_HELD: set[Path] = set()  # lock files this process holds


def this_host() -> str:
    return platform.node() or "this computer"


def this_user() -> str:
    """The officer's name, as a lock taken now shows it."""
    return officer_name()


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    since: str  # ISO date and time
    login: str = ""  # the holder's login name ("" in locks written before it was kept)

    @property
    def since_text(self) -> str:
        try:
            return datetime.fromisoformat(self.since).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return "an unknown time"

    @property
    def is_this_login(self) -> bool:
        """True when the holder is this computer's user, in this or another window."""
        if self.host != this_host():
            return False
        if self.login:
            return self.login == login_name()
        return self.user in (login_name(), this_user())

    def is_stale(self, path: Path) -> bool:
        """True when the holder is a process on this machine that no longer runs."""
        if self.host != this_host():
            return False
        if self.pid == os.getpid():
            return path not in _HELD
        return not process_alive(self.pid)


def lock_path(plan: Path) -> Path:
    return plan.with_name(f".{plan.name}.lock")


def read_lock(plan: Path) -> LockInfo | None:
    """Who holds `plan`, or None when it is not locked."""
    path = lock_path(plan)
    try:
        data = json.loads(path.read_text("utf-8"))
        return LockInfo(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            since=str(data["since"]),
            login=str(data.get("login", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # unreadable or half-written: someone has it, we cannot tell who
        return LockInfo(user="someone", host="another computer", pid=0, since="")


def locked_message(plan: Path, holder: LockInfo) -> str:
    if holder.is_this_login:
        who = "you, in another Strategy Planner window"
    else:
        who = f"{holder.user} on {holder.host}"
    return f"'{plan.name}' is open by {who} (since {holder.since_text})."


class PlanLock:
    """A lock this process holds on one plan file."""

    def __init__(self, plan: Path, info: LockInfo) -> None:
        self.plan = plan
        self.path = lock_path(plan)
        self.info = info
        _HELD.add(self.path)

    def release(self) -> None:
        """Remove the lock file, unless someone else has taken it over meanwhile."""
        _HELD.discard(self.path)
        holder = read_lock(self.plan)
        if holder is not None and holder.host == self.info.host and holder.pid == self.info.pid:
            with contextlib.suppress(OSError):
                self.path.unlink()


def acquire(plan: Path) -> PlanLock | None:
    """Lock `plan` for this process; raises PlanLockedError naming the holder.

    Returns None when the folder cannot hold a lock file (read-only drive or folder)."""
    info = LockInfo(
        user=this_user(),
        host=this_host(),
        pid=os.getpid(),
        since=datetime.now().isoformat(timespec="seconds"),
        login=login_name(),
    )
    path = lock_path(plan)
    payload = json.dumps(asdict(info)).encode("utf-8")
    for _attempt in range(3):
        try:
            _create_whole(path, payload)
        except FileExistsError:
            holder = read_lock(plan)
            if holder is None:
                continue  # released meanwhile
            if not holder.is_stale(path):
                raise PlanLockedError(locked_message(plan, holder), holder) from None
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # taken over: its program is no longer running
            continue
        except OSError:
            return None
        return PlanLock(plan, info)
    holder = read_lock(plan) or info
    raise PlanLockedError(locked_message(plan, holder), holder)


def _create_whole(path: Path, payload: bytes) -> None:
    """Create `path` holding `payload`, or raise FileExistsError: written beside it and
    linked into place, so a lock is never seen half-written, even after a crash."""
    staging = path.with_name(f"{path.name[: -len('.lock')]}.{os.getpid()}.locking")
    staging.write_bytes(payload)
    try:
        os.link(staging, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create it exclusively instead
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, payload)
        finally:
            os.close(fd)
    finally:
        staging.unlink(missing_ok=True)
