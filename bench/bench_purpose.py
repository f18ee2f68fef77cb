"""The Outcomes and Benefits tabs on the large plan, offscreen: how long one rebuild
takes (read the plan, refill the model, lay out the view). The floor is the core query
alone."""

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
from planner.ui.views.benefits import BenefitsView
from planner.ui.views.outcomes import OutcomesView
from planner.queries.benefits import benefit_rows, benefit_summary
from planner.queries.purpose import outcome_rows
from planner.store.planfile import PlanFile

runs = int(sys.argv[3])
app = application()
plan_file = PlanFile.open(Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
document = PlanDocument(plan_file)


def benefits_query(session, plan_id):
    benefit_rows(session, plan_id, with_years=False)
    benefit_summary(session, plan_id)


found = {}
for name, view_type, rebuild, query in (
    ("Outcomes", OutcomesView, "refresh", outcome_rows),
    ("Benefits", BenefitsView, "reload", benefits_query),
):
    view = view_type()
    view.resize(1280, 800)
    view.show()
    view.set_document(document)
    app.processEvents()
    times, floors = [], []
    for _ in range(runs):
        started = time.perf_counter()
        getattr(view, rebuild)()
        app.processEvents()
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        document.read(query)
        floors.append(time.perf_counter() - started)
    found[name] = (statistics.median(times), statistics.median(floors))
    view.close()
plan_file.close(discard=True)
print(json.dumps(found))
"""


def run(ctx: Context) -> list[Result]:
    progress("rebuilding the Outcomes and Benefits tabs ...")
    return view_rebuilds(
        ctx, VIEWS, RUNS, name="tab rebuild", floor_is="the core queries alone", target_ms=TARGET_MS
    )


if __name__ == "__main__":  # quick look: python bench/bench_purpose.py PLAN
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        context = Context(5000, 1, Path(folder), Path(folder))
        os.environ["PLANNER_DATA_DIR"] = folder
        if len(sys.argv) > 1:
            context.plan_path = Path(sys.argv[1])
        for result in run(context):
            print(f"{result.name}: {result.value:.1f} ms (queries {result.floor:.1f} ms)")
