"""bench/make_large_plan.py: the synthetic large plan scales with its action count, is the
same for a seed, and the plan it writes opens with the rows its counts promise."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from planner.cli import main
from planner.store.planfile import PlanFile

BENCH = Path(__file__).resolve().parents[2] / "bench" / "make_large_plan.py"


@pytest.fixture(scope="module")
def large() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_large_plan", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _actions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [action for theme in data["themes"] for action in theme["actions"]]


def test_the_counts_scale_with_the_actions(large: ModuleType) -> None:
    assert large.scaled_counts(5000) == {
        "people": 1000,
        "partners": 300,
        "themes": 20,
        "outcomes": 50,
        "measures": 1000,
        "benefits": 5000,
        "funded_actions": 2500,
    }
    small = large.count_data(large.build_data(200, seed=3))
    assert (small.outcomes, small.measures, small.benefits) == (2, 40, 200)
    # 38 quarterly measures with 20 quarters, 2 annual with 5 years
    assert small.measure_values == 38 * 20 + 2 * 5
    assert small.outcome_links >= 2 * (1 + 2)
    assert small.budget_lines >= 100 and small.funding >= small.budget_lines
    bigger = large.count_data(large.build_data(1000, seed=3))
    assert (bigger.outcomes, bigger.measures, bigger.benefits) == (10, 200, 1000)
    assert bigger.measure_values == 190 * 20 + 10 * 5
    assert 4 * small.benefit_values < bigger.benefit_values < 6 * small.benefit_values
    assert 4 * small.budget_lines < bigger.budget_lines < 6 * small.budget_lines
    floor = large.count_data(large.build_data(1, seed=3))
    assert (floor.outcomes, floor.measures, floor.benefits) == (1, 1, 1)


def test_the_plan_is_the_same_for_a_seed(large: ModuleType) -> None:
    first, again = large.build_data(200, seed=5), large.build_data(200, seed=5)
    first["plan"].pop("uid"), again["plan"].pop("uid")
    assert first == again
    assert large.build_data(200, seed=6)["outcomes"] != first["outcomes"]


def test_benefits_and_money_are_spread_as_described(large: ModuleType) -> None:
    actions = _actions(large.build_data(1000, seed=2))
    per_action = [len(action["benefits"]) for action in actions]
    assert sum(per_action) == 1000
    assert 0 in per_action and max(per_action) >= 2
    realised = [
        value
        for action in actions
        for benefit in action["benefits"]
        for value in benefit["values"]
        if value.get("realised") is not None
    ]
    validated = sum(1 for value in realised if value.get("validated_by"))
    assert 0.25 < validated / len(realised) < 0.42
    funded = [action for action in actions if action["budget"]]
    assert len(funded) == 500
    for action in funded:
        for line in action["budget"]:
            funding = [f for f in action["funding"] if f["year"] == line["year"]]
            assert funding and all(f["amount"] >= 0 for f in funding)
            assert sum(f["amount"] for f in funding) == line["budget"]
            assert len({f["partner"] for f in funding}) == len(funding)


def test_the_written_plan_opens_with_the_counted_rows(
    large: ModuleType, tmp_path: Path, data_dir: Path
) -> None:
    out = tmp_path / "large.plan"
    counts, _ = large.make_large_plan(out, 200, seed=4, data_dir=data_dir)
    assert main(["check", str(out)]) == 0
    PlanFile.open(out, data_dir=data_dir).close()
    tables = {
        "outcome": counts.outcomes,
        "outcome_link": counts.outcome_links,
        "measure": counts.measures,
        "measure_value": counts.measure_values,
        "benefit": counts.benefits,
        "benefit_value": counts.benefit_values,
        "budget_line": counts.budget_lines,
        "funding": counts.funding,
        "action": counts.actions,
        "milestone": counts.milestones,
    }
    connection = sqlite3.connect(out)
    try:
        found = {
            name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in tables
        }
        validated = connection.execute(
            "SELECT count(*) FROM benefit_value WHERE validated_by_id IS NOT NULL"
        ).fetchone()[0]
    finally:
        connection.close()
    assert found == tables
    assert all(n > 0 for n in found.values())
    assert validated > 0
