"""Build the one-folder application with PyInstaller (run by `python3 build_app.py bundle`).

    python packaging/build_bundle.py [--dist DIR] [--force]

Runs PyInstaller on packaging/strategy-planner.spec and prints where the folder is and
its size. A folder built from the same sources, libraries and Python is kept as it is
unless --force is given.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import platform
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "strategy-planner.spec"
NAME = "StrategyPlanner"
STAMP = ".build-fingerprint"
# What the bundle is made from; a change to any of these means a new build.
SOURCES = ("planner", "resources", "packaging", "pyproject.toml")
LIBRARIES = (
    "pyinstaller",
    "pyside6-essentials",
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "lxml",
    "pypdf",
)


def bundle_folder(dist: Path) -> Path:
    """The folder officers copy: the .app on macOS, else the one-folder build."""
    if sys.platform == "darwin":
        return dist / "Strategy Planner.app"
    return dist / NAME


def executable(dist: Path) -> Path:
    """The program inside the folder (the windowed one on Windows and macOS)."""
    if sys.platform == "darwin":
        return bundle_folder(dist) / "Contents" / "MacOS" / NAME
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_folder(dist) / f"{NAME}{suffix}"


def cli_executable(dist: Path) -> Path:
    """The program to run from a terminal: on Windows the console one, else the same."""
    if sys.platform == "win32":
        return bundle_folder(dist) / "planner.exe"
    return executable(dist)


def fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{sys.version} {platform.platform()}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} none".encode())
    for source in SOURCES:
        path = ROOT / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file() or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def folder_size(folder: Path) -> int:
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def add_desktop_files(target: Path) -> None:
    """The desktop entry, file type and icons, beside the program for `linux/install.sh`."""
    (target / "icons").mkdir(parents=True, exist_ok=True)
    for file in (ROOT / "packaging" / "linux").iterdir():
        shutil.copy2(file, target / file.name)
    for icon in (ROOT / "resources" / "icons" / "app").glob("app-*.png"):
        shutil.copy2(icon, target / "icons" / icon.name)


def build(dist: Path, *, force: bool = False) -> Path:
    """Build (or reuse) the bundle in `dist` and return its folder."""
    folder = bundle_folder(dist)
    stamp = dist / f"{NAME}{STAMP}"
    wanted = fingerprint()
    if not force and folder.exists() and stamp.exists() and stamp.read_text() == wanted:
        print(f"The bundle in {folder} is up to date.", flush=True)
        return folder
    import PyInstaller.__main__

    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    PyInstaller.__main__.run(
        [
            str(SPEC),
            "--noconfirm",
            *(["--clean"] if force else []),  # else PyInstaller reuses its cached analysis
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(dist.parent / "build" / "pyinstaller"),
        ]
    )
    if sys.platform.startswith("linux"):
        add_desktop_files(folder / "linux")
    stamp.write_text(wanted)
    print(f"Built in {time.perf_counter() - started:.0f} s.", flush=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where to put it")
    parser.add_argument("--force", action="store_true", help="build afresh even if up to date")
    args = parser.parse_args(argv)
    dist = args.dist.absolute()
    folder = build(dist, force=args.force)
    print(f"Strategy Planner bundle: {folder}")
    print(f"Program: {executable(dist)}")
    print(f"Size: {folder_size(folder) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
