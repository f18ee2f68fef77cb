"""Copies of plan files kept in the user's data folder before risky steps."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

KEEP_BACKUPS = 10


def backup_folder(data_dir: Path, plan_path: Path) -> Path:
    key = hashlib.sha1(str(plan_path.resolve()).encode()).hexdigest()[:12]
    return data_dir / "backups" / f"{plan_path.stem}-{key}"


def make_backup(data_dir: Path, plan_path: Path, reason: str) -> Path:
    """Copy `plan_path` into its backup folder and keep only the newest KEEP_BACKUPS."""
    folder = backup_folder(data_dir, plan_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{reason}{plan_path.suffix}"
    shutil.copy2(plan_path, target)
    for old in list_backups(data_dir, plan_path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def list_backups(data_dir: Path, plan_path: Path) -> list[Path]:
    """Backups of a plan, newest first."""
    folder = backup_folder(data_dir, plan_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{plan_path.suffix}"), reverse=True)
