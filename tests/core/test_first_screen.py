"""The window's first screenful is read without setting up the ORM's mappers, which
takes about a tenth of a second on first use: opening the plan and the reads the window
makes before its first paint use plain table columns."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

FIRST_SCREEN = textwrap.dedent(
    """
    import sys
    from planner.store.planfile import PlanFile
    from planner.queries import action_rows, theme_rag_counts
    from planner.queries.actions import first_action_ids
    from planner.queries.lookups import plan_header, theme_choices
    from planner.store.models import Action

    plan = PlanFile.open(sys.argv[1])
    with plan.Session() as session:
        header = plan_header(session, plan.plan_id)
        themes = theme_choices(session, plan.plan_id)
        counts = theme_rag_counts(session, plan.plan_id)
        first = first_action_ids(session, plan.plan_id, 80)
        rows = action_rows(session, plan.plan_id, first)
    print(Action.__mapper__.configured, header.title, len(themes), len(counts), len(rows))
    plan.close(discard=True)
    """
)


def test_the_first_screenful_is_read_without_the_orm_set_up(
    sample_path: Path, data_dir: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(sample_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    configured, *shown = done.stdout.split()
    assert configured == "False"
    assert shown[-3:] == ["7", "7", "27"]  # the sample's themes and actions were read
