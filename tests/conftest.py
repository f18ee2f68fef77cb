"""Shared fixtures: every test gets its own data folder and, on request, a sample plan."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user-data folder (working copies, backups) for each test."""
    folder = tmp_path / "user-data"
    folder.mkdir()
    monkeypatch.setenv("PLANNER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def sample_path(tmp_path: Path, data_dir: Path) -> Path:
    """A freshly written Northshire sample plan file (closed)."""
    from planner.io.sample import write_sample

    path = tmp_path / "northshire.plan"
    write_sample(path, data_dir=data_dir).close()
    return path


@pytest.fixture
def sample_plan(sample_path: Path, data_dir: Path) -> Iterator[object]:
    """The sample plan, open; closed (discarding unsaved changes) after the test."""
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(sample_path, data_dir=data_dir)
    yield plan_file
    plan_file.close(discard=True)


@pytest.fixture
def runner(sample_plan: object) -> object:
    from planner.commands import runner_for

    return runner_for(sample_plan, who="Test Officer")  # type: ignore[arg-type]
