"""The standalone bundle: its size on disk and how fast the bundled program starts.

Builds dist/StrategyPlanner with packaging/build_bundle.py (a few minutes), or reuses the
folder when it was built from the same sources and libraries.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from benchlib import REPO_DIR, Context, Result, command_seconds, progress

sys.path.insert(0, str(REPO_DIR / "packaging"))
import build_bundle

SIZE_TARGET_MB = 150.0  # the Linux folder
RUNS = 3
# What any Qt Widgets program has to ship: the libraries under PySide6/Qt/lib.
QT_FLOOR = ("libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6DBus", "libicu")


def qt_floor_mb() -> float:
    import PySide6

    lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    files = [p for p in lib.iterdir() if p.is_file() and p.name.startswith(QT_FLOOR)]
    return sum(p.stat().st_size for p in files) / 1e6


def run(ctx: Context) -> list[Result]:
    dist = REPO_DIR / "dist"
    progress("building the bundle (or reusing dist/ when up to date) ...")
    started = time.perf_counter()
    folder = build_bundle.build(dist)
    build_seconds = time.perf_counter() - started
    size = build_bundle.folder_size(folder) / 1e6
    linux = sys.platform.startswith("linux")
    results = [
        Result(
            f"bundle: folder size ({sys.platform})",
            size,
            "MB",
            qt_floor_mb() if linux else None,
            "Qt Core+Gui+Widgets+DBus+ICU libraries" if linux else "",
            SIZE_TARGET_MB if linux else None,
        ),
        Result("bundle: build (0 when reused)", build_seconds, "s"),
    ]

    program = build_bundle.cli_executable(dist)
    plan = ctx.large_plan()
    shot = ctx.workdir / "bundle-start.png"
    start = [str(program), str(plan), "--screenshot", str(shot)]
    progress(f"bundled program: start on the large plan to first paint x{RUNS} ...")
    command_seconds(start, ctx)  # warm-up: the first start reads the files from disk
    seconds = statistics.median(command_seconds(start, ctx) for _ in range(RUNS))
    version = statistics.median(
        command_seconds([str(program), "--version"], ctx) for _ in range(RUNS)
    )
    results.append(
        Result(
            "bundle: start on the large plan to first paint",
            seconds,
            "s",
            version,
            "bundled program --version",
        )
    )
    return results
