"""The core on PostgreSQL: the command and query suites run again on a shared plan.

Every test of test_commands.py and test_queries.py (beside this file) is collected here a
second time with `sample_plan` being the Northshire sample published to a throwaway
PostgreSQL server instead of a plan file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_commands import *  # noqa: F403
from test_queries import *  # noqa: F403

# Where a shared plan behaves differently by design, with the test that shows how.
DIFFERENT = {
    "test_journal_records_who_what_and_where_the_change_came_from": (
        "the journal of a shared plan records the database user: "
        "test_shared_plans.py::test_the_journal_records_the_database_user"
    ),
    "test_undo_is_journalled_with_an_undo_source": (
        "names the runner's 'who'; a shared plan's journal names the database user "
        "(test_shared_plans.py::test_the_journal_records_the_database_user)"
    ),
    "test_journal_names_the_runner_who": (
        "a shared plan's journal names the database user "
        "(test_shared_plans.py::test_the_journal_records_the_database_user)"
    ),
    "test_an_applied_change_marks_the_plan_unsaved": (
        "a shared plan has nothing unsaved: every change is committed on the server"
    ),
}
for _name, _reason in DIFFERENT.items():
    globals()[_name] = pytest.mark.skip(reason=_reason)(globals()[_name])


@pytest.fixture
def sample_plan(shared_sample_url: str) -> Iterator[object]:
    """Overrides conftest's: the sample plan, open on the test server."""
    from planner.store.shared import SharedPlan

    shared = SharedPlan.open(shared_sample_url)
    yield shared
    shared.close()
