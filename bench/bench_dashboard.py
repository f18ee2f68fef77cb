"""The Dashboard tab on the large plan, offscreen: how long it takes to show an edit.

In a subprocess, the main window opens the large plan at 1280x800 with the Dashboard tab
showing. Each timed run edits one action through the window (`window.execute`, which runs
the command through the PlanDocument and refreshes every view on screen), then times the
dashboard's own part: `rebuild()` (the query, the charts and lists) and a repaint
(`grab()`). The floor is the repaint alone. The same refresh is also timed in CPU time of
the process, which a busy machine inflates much less than wall time."""

from __future__ import annotations

import json
import statistics
import subprocess

from bench_gui import gui_env
from benchlib import REPO_DIR, Context, Result, progress

RUNS = 15
TARGET_MS = 200.0

SCRIPT = """
import json, os, sys, time
from planner.commands import EditRecord
from planner.ui import create_main_window
from planner.ui.app import application
from planner.ui.views.dashboard import DashboardView

runs = int(sys.argv[2])
app = application()
window = create_main_window(sys.argv[1])
window.resize(1280, 800)
window.show()
view = next(v for v in window.plan_views if isinstance(v, DashboardView))
window.tabs.setCurrentWidget(view)
for _ in range(5):
    app.processEvents()
ids = window.actions_page.visible_action_ids()


def ms(fn):
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cpu_ms(fn):
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


refresh, edit, repaint, cpu = [], [], [], []
for number in range(runs + 1):  # the first is a warm-up
    action_id = ids[(number * 97) % len(ids)]
    command = EditRecord("action", action_id, {"percent": (number * 7) % 100})
    whole = ms(lambda: window.execute(command))
    app.processEvents()
    dashboard = ms(lambda: (view.rebuild(), view.grab()))
    bare = ms(view.grab)
    spent = cpu_ms(lambda: (view.rebuild(), view.grab()))
    if number:
        cpu.append(spent)
        edit.append(whole)
        refresh.append(dashboard)
        repaint.append(bare)
board = view.board
shown = {"actions": board.total, "overdue": len(board.overdue), "due_soon": len(board.due_soon)}
document = window.document
window.set_document(None)
document.close(discard=True)
figures = {"refresh": refresh, "edit": edit, "repaint": repaint, "cpu": cpu, "shown": shown}
print(json.dumps(figures))
sys.stdout.flush()
os._exit(0)  # skip interpreter teardown: PySide6 can crash in its final garbage collection
"""


def run(ctx: Context) -> list[Result]:
    plan = ctx.large_plan()
    progress(f"editing the large plan with the Dashboard showing x{RUNS} (+1 warm-up) ...")
    done = subprocess.run(
        [ctx.python, "-c", SCRIPT, str(plan), str(RUNS)],
        env=gui_env(ctx),
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the dashboard script exited {done.returncode}: {done.stderr[-500:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    refresh: list[float] = figures["refresh"]
    floor = statistics.median(figures["repaint"])
    shown = figures["shown"]
    progress(
        "dashboard refresh after an edit (ms): "
        + ", ".join(f"{value:.0f}" for value in refresh)
        + f"; it showed {shown['actions']} actions, {shown['overdue']} overdue and "
        f"{shown['due_soon']} due-soon milestones"
    )
    return [
        Result(
            f"dashboard: refresh after an edit, median of {len(refresh)}",
            statistics.median(refresh),
            "ms",
            floor,
            "repaint (grab) of the dashboard alone",
            TARGET_MS,
        ),
        Result(
            "dashboard: refresh after an edit, worst",
            max(refresh),
            "ms",
            floor,
            "repaint (grab) of the dashboard alone",
            TARGET_MS,
        ),
        Result(
            "dashboard: refresh after an edit, CPU time of this process, median",
            statistics.median(figures["cpu"]),
            "ms",
            floor,
            "repaint (grab) of the dashboard alone, wall time",
        ),
        Result(
            "dashboard: whole edit through the window (table, themes, dashboard), median",
            statistics.median(figures["edit"]),
            "ms",
            floor,
            "repaint (grab) of the dashboard alone",
        ),
    ]
