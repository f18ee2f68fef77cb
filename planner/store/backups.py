"""A rolling set of copies of each plan in the user's data folder: one before every
upgrade of its file format and one a day on days it is saved, the newest 10 kept."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

KEEP_BACKUPS = 10
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
DAILY = "daily"


def backup_folder(data_dir: Path, plan_path: Path) -> Path:
    key = hashlib.sha1(str(plan_path.resolve()).encode()).hexdigest()[:12]
    return data_dir / "backups" / f"{plan_path.stem}-{key}"


def make_backup(data_dir: Path, plan_path: Path, reason: str) -> Path:
    """Copy `plan_path` into its backup folder and keep only the newest KEEP_BACKUPS."""
    folder = backup_folder(data_dir, plan_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime(STAMP_FORMAT)
    target = folder / f"{stamp}-{reason}{plan_path.suffix}"
    partial = target.with_name(target.name + ".part")  # never listed, even if cut short
    shutil.copy2(plan_path, partial)
    os.replace(partial, target)
    for old in list_backups(data_dir, plan_path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def list_backups(data_dir: Path, plan_path: Path) -> list[Path]:
    """Backups of a plan, newest first."""
    folder = backup_folder(data_dir, plan_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{plan_path.suffix}"), reverse=True)


def make_daily_backup(data_dir: Path, plan_path: Path, *, today: date | None = None) -> Path | None:
    """Keep the plan as it was before the first save of the day; None when a backup
    was already taken today (a daily one, or one before an upgrade)."""
    today = today or date.today()
    for backup in list_backup_infos(data_dir, plan_path):
        if backup.taken.date() == today:
            return None
    return make_backup(data_dir, plan_path, DAILY)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime
    reason: str

    @property
    def description(self) -> str:
        if self.reason == DAILY:
            why = "before the day's first save"
        elif self.reason.startswith("before-migration-from-v"):
            why = f"before upgrading from file format {self.reason.rsplit('v', 1)[1]}"
        else:
            why = self.reason.replace("-", " ")
        return f"{self.taken:%a %d/%m/%Y %H:%M}, {why}"


def list_backup_infos(data_dir: Path, plan_path: Path) -> list[BackupInfo]:
    """Backups of a plan with when and why each was taken, newest first."""
    infos = []
    for path in list_backups(data_dir, plan_path):
        stamp = "-".join(path.stem.split("-")[:3])
        try:
            taken = datetime.strptime(stamp, STAMP_FORMAT)
        except ValueError:
            continue
        infos.append(BackupInfo(path, taken, path.stem[len(stamp) + 1 :]))
    return infos


def newest_good_backup(data_dir: Path, plan_path: Path) -> BackupInfo | None:
    """The newest backup that opens as a sound plan, if any."""
    from planner.errors import PlanFileError
    from planner.store.sqlite_file import inspect_plan

    for backup in list_backup_infos(data_dir, plan_path):
        try:
            inspect_plan(backup.path)
        except PlanFileError:
            continue
        return backup
    return None
