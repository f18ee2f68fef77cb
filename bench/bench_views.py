"""The Partner map and People load tabs on the large plan, offscreen: how long one
rebuild takes (read the plan, refill the model, lay out the table), for every action
and for half of them (a filter). The floor is the core query alone."""

from __future__ import annotations

import os
import sys

from benchlib import Context, Result, progress, view_rebuilds

RUNS = 5
TARGET_MS = 200.0

VIEWS = """
import json, statistics, sys, time
from pathlib import Path
from planner.ui.app import application
from planner.ui.document import PlanDocument
from planner.ui.views.partner_map import PartnerMapView
from planner.ui.views.people_load import PeopleLoadView
from planner.queries.partner_map import partner_map
from planner.queries.people_load import people_load
from planner.store.planfile import PlanFile

runs = int(sys.argv[3])
app = application()
plan_file = PlanFile.open(Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
document = PlanDocument(plan_file)
half = set(document.read(lambda s, p: [a for (a,) in s.execute(
    __import__("sqlalchemy").text("SELECT id FROM action WHERE plan_id = :p AND id % 2 = 0"),
    {"p": p})]))
found = {}
for name, view_type, query in (
    ("partner_map", PartnerMapView, partner_map),
    ("people_load", PeopleLoadView, people_load),
):
    view = view_type()
    view.resize(1280, 800)
    view.show()
    view.set_document(document)
    app.processEvents()
    for label, ids in (("all", None), ("half", half)):
        view.visible_ids = ids
        view.rebuild()
        times, floors = [], []
        for _ in range(runs):
            started = time.perf_counter()
            view.rebuild()
            app.processEvents()
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            document.read(lambda s, p: query(s, p, ids))
            floors.append(time.perf_counter() - started)
        found[f"{name} ({label})"] = (statistics.median(times), statistics.median(floors))
    view.close()
plan_file.close(discard=True)
print(json.dumps(found))
"""


def run(ctx: Context) -> list[Result]:
    progress("rebuilding the partner map and people load views ...")
    return view_rebuilds(
        ctx, VIEWS, RUNS, name="view rebuild", floor_is="the core query alone", target_ms=TARGET_MS
    )


if __name__ == "__main__":  # quick look: python bench/bench_views.py PLAN
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        context = Context(5000, 1, Path(folder), Path(folder))
        os.environ["PLANNER_DATA_DIR"] = folder
        if len(sys.argv) > 1:
            context.plan_path = Path(sys.argv[1])
        for result in run(context):
            print(f"{result.name}: {result.value:.1f} ms (query {result.floor:.1f} ms)")
