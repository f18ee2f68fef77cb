"""The Timeline tab on the large plan, offscreen: reading and laying it out again after
an edit, rebuilding it for a new filter, painting one screenful, and scrolling a page at
a time."""

from __future__ import annotations

import json
import subprocess

from bench_gui import gui_env
from benchlib import REPO_DIR, Context, Result, progress

TARGET_REFILTER_MS = 50.0  # as a filter keystroke in the table
TARGET_PAINT_MS = 30.0
TARGET_SCROLL_MS = 50.0  # worst step: a stall is a page that takes several frames

# Runs in a child process: the view alone on the large plan, shown at 1280x800.
SCRIPT = """
import json, os, statistics, sys, time
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from planner.domain.timescale import Zoom
from planner.store.planfile import PlanFile
from planner.ui.app import application
from planner.ui.document import PlanDocument
from planner.ui.views.timeline import TimelineView
from planner.queries import action_rows

REBUILDS, PAINTS, STEPS = 5, 20, 30

app = application()
document = PlanDocument(PlanFile.open(Path(sys.argv[1])))
view = TimelineView()
view.resize(1280, 800)
view.show()
view.set_document(document)
app.processEvents()
canvas = view.canvas
size = view.size()
image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)


cpu = {}  # processor seconds of the last timed call of each kind, for the progress line


def seconds(fn):
    started, processor = time.perf_counter(), time.process_time()
    fn()
    cpu.setdefault(fn.__name__, []).append(time.process_time() - processor)
    return time.perf_counter() - started


def paint():
    view.render(image)


def reread():
    view.follow(None, plan_changed=True)  # what a new theme or action does: read it all


def reread_one():
    # what an edit to one action does: read just that action again
    view.follow(None, plan_changed=True, changed_actions={next(one_action)})


def action_rows_alone():
    document.read(action_rows)


ids = canvas.plan_layout.action_ids
half = set(ids[::2])
one_action = iter(ids[::97] * REBUILDS)
filters = iter([half, None] * REBUILDS)


def refilter():
    view.follow(next(filters))  # what a filter change does: no reading


reread()
figures = {
    "reread": statistics.median(seconds(reread) for _ in range(REBUILDS)),
    "reread one": statistics.median(seconds(reread_one) for _ in range(REBUILDS)),
    "action_rows": statistics.median(seconds(action_rows_alone) for _ in range(REBUILDS)),
    "refilter": statistics.median(seconds(refilter) for _ in range(2 * REBUILDS)),
    "rows": len(canvas.plan_layout.rows),
}
for zoom in (Zoom.QUARTERS, Zoom.MONTHS):
    view.set_zoom(zoom)
    view.go_to_status_date()
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().maximum() // 2)
    paint()
    figures[f"paint {zoom.value}"] = statistics.median(seconds(paint) for _ in range(PAINTS))

down = canvas.verticalScrollBar()
down.setValue(0)
steps = []
for _ in range(STEPS):
    def step():
        down.setValue(down.value() + down.pageStep())
        paint()
    steps.append(seconds(step))
figures["scroll worst"] = max(steps)
figures["scroll median"] = statistics.median(steps)

bare = QWidget()
bare.resize(size)
bare_image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
bare.render(bare_image)
def bare_paint():
    bare.render(bare_image)


floor = [seconds(bare_paint) for _ in range(PAINTS)]
figures["floor"] = statistics.median(floor)
figures["size"] = [size.width(), size.height()]
figures["cpu"] = {name: statistics.median(times) for name, times in cpu.items()}

view.set_document(None)
document.close(discard=True)
print(json.dumps(figures), flush=True)
os._exit(0)  # skip interpreter teardown: PySide6 can crash in its final garbage collection
"""


def run(ctx: Context) -> list[Result]:
    plan = ctx.large_plan()
    progress("timeline view on the large plan: rebuild, paint, scroll ...")
    done = subprocess.run(
        [ctx.python, "-c", SCRIPT, str(plan)],
        env=gui_env(ctx),
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the timeline script exited {done.returncode}: {done.stderr[-500:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    progress(
        "timeline processor time, median ms (wall time is higher on a busy machine): "
        + ", ".join(f"{name} {seconds * 1000:.1f}" for name, seconds in figures["cpu"].items())
    )
    floor_ms = figures["floor"] * 1000
    width, height = figures["size"]
    rows = figures["rows"]
    bare = f"render a bare {width}x{height} QWidget"
    return [
        Result(
            f"timeline: read the whole plan again and lay out [{rows} rows]",
            figures["reread"] * 1000,
            "ms",
            figures["action_rows"] * 1000,
            "action_rows alone (the table's query)",
        ),
        Result(
            "timeline: read one edited action again and lay out",
            figures["reread one"] * 1000,
            "ms",
            figures["action_rows"] * 1000,
            "action_rows alone (the table's query)",
        ),
        Result(
            "timeline: rebuild for a new filter (all <-> every other action)",
            figures["refilter"] * 1000,
            "ms",
            floor_ms,
            bare,
            TARGET_REFILTER_MS,
        ),
        Result(
            "timeline: paint a screenful, quarters",
            figures["paint quarters"] * 1000,
            "ms",
            floor_ms,
            bare,
            TARGET_PAINT_MS,
        ),
        Result(
            "timeline: paint a screenful, months",
            figures["paint months"] * 1000,
            "ms",
            floor_ms,
            bare,
            TARGET_PAINT_MS,
        ),
        Result(
            "timeline: scroll a page and repaint, worst",
            figures["scroll worst"] * 1000,
            "ms",
            floor_ms,
            bare,
            TARGET_SCROLL_MS,
        ),
    ]
