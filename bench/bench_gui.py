"""The desktop app on the large plan, offscreen: start to first paint, a filter keystroke,
peak memory, and LibreOffice opening the same plan's Excel export for comparison."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from bench_import import large_export
from benchlib import REPO_DIR, Context, Result, progress

RUNS = 3
TARGET_START_SECONDS = 1.5
TARGET_START_RATIO = 4.0
TARGET_KEYSTROKE_MS = 50.0
TARGET_MEGABYTES = 400.0
TARGET_EDIT_MS = 30.0

# The floor for the start: the least a PySide6 app does before its first paint.
BARE_WINDOW = """
import sys, time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableView(window)
window.setCentralWidget(table)
window.resize(1280, 800)


class FirstPaint(QObject):
    done = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, capture)
        return False


def capture():
    painted = time.time()
    image = window.grab().toImage()
    image.setText("Painted at", f"{painted:.6f}")  # as planner --screenshot does
    image.save(sys.argv[1])
    app.quit()


painted = FirstPaint(table.viewport())
table.viewport().installEventFilter(painted)
window.show()
sys.exit(app.exec())
"""

# The real window shown on the plan named on the command line, started as the app starts.
WINDOW_ON_PLAN = """
import gc, json, os, statistics, sys, time
gc.disable()  # as `planner.cli.main` starts the app
from planner.ui import create_main_window
from planner.ui.app import application, collect_garbage_from_now

app = application()
window = create_main_window(sys.argv[1])
window.resize(1280, 800)
window.show()
for _ in range(5):
    app.processEvents()
collect_garbage_from_now()  # as the app does once its window shows
"""

# Typing into the filter box of the real window; the floor is a bare QLineEdit.
KEYSTROKES = (
    WINDOW_ON_PLAN
    + """
from PySide6.QtWidgets import QLineEdit

TEXTS = ("PSN", "board", "zzz", "1.2", "shared", "ICT", "Wi-Fi", "records", "digital", "trust")
text = window.filter_bar.text


def typed(edit, value):
    started = time.perf_counter()
    edit.setText(value)
    app.processEvents()
    return time.perf_counter() - started


typed(text, "warm")
text.clear()
app.processEvents()
timings = {value: typed(text, value) for value in TEXTS}
shown = window.count_label.text()
text.clear()
app.processEvents()

bare = QLineEdit()
bare.show()
app.processEvents()
typed(bare, "warm")
floor = statistics.median(typed(bare, value) for value in TEXTS)

document = window.document
window.set_document(None)
document.close(discard=True)
print(json.dumps({"timings": timings, "floor": floor, "last": shown}), flush=True)
os._exit(0)  # skip interpreter teardown: PySide6 can crash in its final garbage collection
"""
)

# Changing a milestone's date from the details panel's path, to the window repainted; the
# floor is the same window repainted with nothing changed.
MILESTONE_EDIT = (
    WINDOW_ON_PLAN
    + """
from datetime import timedelta
from sqlalchemy import select
from planner.commands import EditRecord
from planner.store.models import Action, Milestone

document = window.document


def middle_milestone(session, plan_id):
    query = select(Milestone.id, Milestone.action_id, Milestone.due).join(Action)
    query = query.where(Action.plan_id == plan_id, Milestone.due.is_not(None))
    found = session.execute(query.order_by(Milestone.id)).all()
    return found[len(found) // 2]


milestone_id, action_id, due = document.read(middle_milestone)
window.actions_page.select_action(action_id)
for _ in range(5):
    app.processEvents()


def refused(error):
    raise error


def edited(days):
    started = time.perf_counter()
    command = EditRecord("milestone", milestone_id, {"due": due + timedelta(days=days)})
    document.try_execute(command, refused)
    app.processEvents()
    window.repaint()
    return time.perf_counter() - started


def repainted():
    started = time.perf_counter()
    app.processEvents()
    window.repaint()
    return time.perf_counter() - started


edited(1)
timings = [edited(days) for days in range(2, 12)]
repainted()
floor = statistics.median(repainted() for _ in range(10))
window.set_document(None)
document.close(discard=True)
print(json.dumps({"timings": timings, "floor": floor}), flush=True)
os._exit(0)
"""
)


# Runs `python -m planner ARGS` in this process and writes its peak RSS (MB) at exit.
# The figure comes from the process itself because a child's ru_maxrss on Linux also counts
# the memory of the process it was forked from (here the benchmark run, often larger).
PEAK_MEMORY = """
import atexit, runpy, sys

report = sys.argv.pop(1)


def write_peak():
    try:
        with open("/proc/self/status") as status:  # VmHWM: this program's own high-water mark
            peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = peak / 1048576 if sys.platform == "darwin" else peak / 1024
    with open(report, "w") as out:
        out.write(str(peak))


atexit.register(write_peak)
sys.argv[0] = "planner"
runpy.run_module("planner", run_name="__main__", alter_sys=True)
"""


def gui_env(ctx: Context) -> dict[str, str]:
    """The run's environment, offscreen, with bytecode caching allowed as for a user."""
    env = ctx.env()
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_child(command: Sequence[str], env: dict[str, str]) -> float:
    """Wall seconds of one run of `command`; it must exit 0."""
    started = time.perf_counter()
    done = subprocess.run(
        list(command), env=env, cwd=REPO_DIR, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        shown = " ".join("SCRIPT" if "\n" in str(part) else str(part) for part in command)
        output = (done.stderr or done.stdout).strip()[-500:]
        raise RuntimeError(f"{shown} exited {done.returncode}: {output}")
    return seconds


def _starts(command: Sequence[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of `runs` starts after one untimed warm-up."""
    timed_child(command, env)  # writes __pycache__, warms the disk and font caches
    return statistics.median(timed_child(command, env) for _ in range(runs))


def _first_paints(
    command: Sequence[str], shot: Path, env: dict[str, str], runs: int
) -> tuple[float, float]:
    """Median seconds from starting `command` to its first paint (the time the picture
    records in its "Painted at" text) and to the picture being saved (the file's
    modification time), after one untimed warm-up. Shutting down is not counted."""
    timed_child(command, env)
    painted, saved = [], []
    for _ in range(runs):
        shot.unlink(missing_ok=True)
        started = time.time()
        timed_child(command, env)
        saved.append(shot.stat().st_mtime - started)
        painted.append(painted_at(shot) - started)
    return statistics.median(painted), statistics.median(saved)


def painted_at(png: Path) -> float:
    """The "Painted at" text of a PNG (seconds since 1970), read from its tEXt chunks."""
    data = png.read_bytes()
    place = 8  # after the signature
    while place + 8 <= len(data):
        length = int.from_bytes(data[place : place + 4], "big")
        kind = data[place + 4 : place + 8]
        body = data[place + 8 : place + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            if key == b"Painted at":
                return float(value.decode("latin-1"))
        place += 12 + length
    raise RuntimeError(f"{png.name} records no 'Painted at' time")


def peak_megabytes(ctx: Context, arguments: Sequence[str], env: dict[str, str]) -> float:
    """The app's peak RSS for one more start, reported by the app's own process."""
    report = ctx.workdir / "gui-peak-memory.txt"
    report.unlink(missing_ok=True)
    timed_child([ctx.python, "-c", PEAK_MEMORY, str(report), *arguments], env)
    return float(report.read_text())


def libreoffice_seconds(ctx: Context, workbook: Path) -> float | None:
    """Median wall time of LibreOffice headless converting the workbook to CSV, with a
    private profile made by one uncounted first run; None when soffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = ctx.workdir / "libreoffice-profile"
    outdir = ctx.workdir / "libreoffice-out"
    outdir.mkdir(exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.absolute().as_uri()}",
        "--headless",
        "--convert-to",
        "csv",
        "--outdir",
        str(outdir),
        str(workbook),
    ]
    env = ctx.env()
    progress(f"LibreOffice --convert-to csv x{RUNS} (+1 to make its profile) ...")
    seconds = _starts(command, env, RUNS)
    if not (outdir / f"{workbook.stem}.csv").exists():
        raise RuntimeError(f"soffice wrote no CSV into {outdir}")
    return seconds


def _against_office(name: str, start: float, export: Path, office: float | None) -> Result:
    if office is None:
        return Result(name, start, "s", None, "skipped: soffice not found")
    return Result(
        name,
        start,
        "s",
        None,
        f"target: soffice --convert-to csv, {export.stat().st_size / 1e6:.1f} MB",
        office,
    )


def keystrokes(ctx: Context, plan: Path, env: dict[str, str]) -> list[Result]:
    """Typing into the real window's filter box, against a bare QLineEdit."""
    progress("typing into the filter box of the large plan ...")
    done = subprocess.run(
        [ctx.python, "-c", KEYSTROKES, str(plan)],
        env=env,
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the keystroke script exited {done.returncode}: {done.stderr[-500:]}")
    keys = json.loads(done.stdout.strip().splitlines()[-1])
    timings: dict[str, float] = keys["timings"]
    progress(
        "filter keystrokes (ms): "
        + ", ".join(f"{text!r} {seconds * 1000:.0f}" for text, seconds in timings.items())
    )
    slowest = max(timings, key=timings.__getitem__)
    floor_ms = keys["floor"] * 1000
    return [
        Result(
            f"gui: filter keystroke on the large plan [{len(timings)} texts]",
            statistics.median(timings.values()) * 1000,
            "ms",
            floor_ms,
            "setText on a bare QLineEdit",
            TARGET_KEYSTROKE_MS,
        ),
        Result(
            f"gui: filter keystroke, slowest ({slowest!r})",
            timings[slowest] * 1000,
            "ms",
            floor_ms,
            "setText on a bare QLineEdit",
        ),
    ]


def milestone_edit(ctx: Context, plan: Path, env: dict[str, str]) -> Result:
    """Changing a milestone's date, from the command to the window repainted."""
    progress("changing a milestone date on the large plan ...")
    done = subprocess.run(
        [ctx.python, "-c", MILESTONE_EDIT, str(plan)],
        env=env,
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the edit script exited {done.returncode}: {done.stderr[-500:]}")
    edit = json.loads(done.stdout.strip().splitlines()[-1])
    timings: list[float] = edit["timings"]
    progress("milestone date edits (ms): " + ", ".join(f"{t * 1000:.0f}" for t in timings))
    return Result(
        f"gui: milestone date edit to repaint [{len(timings)} edits]",
        statistics.median(timings) * 1000,
        "ms",
        edit["floor"] * 1000,
        "the same window repainted unchanged",
        TARGET_EDIT_MS,
    )


def run(ctx: Context) -> list[Result]:
    plan = ctx.large_plan()
    env = gui_env(ctx)
    shot = ctx.workdir / "gui-first-paint.png"
    shot.unlink(missing_ok=True)
    arguments = [str(plan), "--screenshot", str(shot)]
    progress(f"planner --screenshot on the large plan x{RUNS} (+1 warm-up) ...")
    start, start_saved = _first_paints([ctx.python, "-m", "planner", *arguments], shot, env, RUNS)
    if not shot.exists():
        raise RuntimeError("planner --screenshot saved no picture")

    bare_shot = ctx.workdir / "gui-bare-window.png"
    progress(f"bare PySide6 window x{RUNS} (+1 warm-up) ...")
    bare, bare_saved = _first_paints(
        [ctx.python, "-c", BARE_WINDOW, str(bare_shot)], bare_shot, env, RUNS
    )

    results = [
        Result(
            "gui: start on the large plan to first paint",
            start,
            "s",
            bare,
            "bare PySide6 QMainWindow + QTableView",
            TARGET_START_SECONDS,
        ),
        Result(
            "gui: start / bare window",
            start / bare,
            "x",
            1.0,
            "the bare window itself",
            TARGET_START_RATIO,
        ),
        Result(
            "gui: start on the large plan to its screenshot saved",
            start_saved,
            "s",
            bare_saved,
            "the bare window's screenshot saved",
        ),
    ]

    # One part breaking must not hide the other rows.
    name = "gui: start vs LibreOffice opening the export"
    try:
        export = large_export(ctx)
        office = libreoffice_seconds(ctx, export)
    except Exception as error:
        results.append(Result(name, start, "s", error=f"{type(error).__name__}: {error}"))
    else:
        results.append(_against_office(name, start, export, office))

    try:
        results += keystrokes(ctx, plan, env)
    except Exception as error:
        results.append(
            Result("gui: filter keystroke", 0.0, "ms", error=f"{type(error).__name__}: {error}")
        )

    try:
        results.append(milestone_edit(ctx, plan, env))
    except Exception as error:
        results.append(
            Result("gui: milestone date edit", 0.0, "ms", error=f"{type(error).__name__}: {error}")
        )

    progress("planner --screenshot once more, for its peak memory ...")
    try:
        peak = Result(
            "gui: peak memory (start to first paint)",
            peak_megabytes(ctx, arguments, env),
            "MB",
            target=TARGET_MEGABYTES,
        )
    except Exception as error:
        peak = Result("gui: peak memory", 0.0, "MB", error=f"{type(error).__name__}: {error}")
    results.append(peak)
    return results
