"""Shared fixtures: every test gets its own data folder and, on request, a sample plan
(the window fixtures are in ui/conftest.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pg_server import Server

    from planner.commands import CommandRunner
    from planner.store.planfile import PlanFile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def widgets_can_be_built(request: pytest.FixtureRequest) -> None:
    """When widget tests are to run, the QApplication is made before the first test: a
    report painted by an earlier test would otherwise make a plain QGuiApplication, on
    which no widget can be built (Qt aborts). Runs without widget tests make none."""
    if any(item.get_closest_marker("gui") for item in request.session.items):
        request.getfixturevalue("qapp")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user-data folder (working copies, backups) for each test."""
    folder = tmp_path / "user-data"
    folder.mkdir()
    monkeypatch.setenv("PLANNER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def officer_name_for_tests(monkeypatch: pytest.MonkeyPatch) -> str:
    """The test acts as 'Test Officer' (PLANNER_USER): the journal, locks and exports name
    someone known, and the app would not ask for a name on first start. (Without it a
    test acts under the login name; only `planner.ui.app.run_app` asks, and no test runs
    it in-process.)"""
    monkeypatch.setenv("PLANNER_USER", "Test Officer")
    return "Test Officer"


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Northshire sample written once for the run (writing it takes about a second)."""
    from planner.io.sample import write_sample

    folder = tmp_path_factory.mktemp("sample-template")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def sample_path(tmp_path: Path, data_dir: Path, sample_template: Path) -> Path:
    """A fresh copy of the Northshire sample plan file (closed), private to the test."""
    path = tmp_path / "northshire.plan"
    shutil.copyfile(sample_template, path)
    return path


@pytest.fixture
def sample_plan(sample_path: Path, data_dir: Path) -> Iterator[PlanFile]:
    """The sample plan, open; closed (discarding unsaved changes) after the test."""
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(sample_path, data_dir=data_dir)
    yield plan_file
    plan_file.close(discard=True)


@pytest.fixture
def runner(sample_plan: PlanFile) -> CommandRunner:
    """The command runner on the sample plan, acting as 'Test Officer'."""
    from planner.commands import runner_for

    return runner_for(sample_plan, who="Test Officer")


# ----- a throwaway PostgreSQL server, for the shared-plan tests -------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A PostgreSQL cluster started for this test run (Unix socket in a temporary
    folder) and removed afterwards; the tests using it skip where none can start."""
    from pg_server import start_server

    try:
        server = start_server()
    except RuntimeError as error:
        pytest.skip(f"no PostgreSQL server for the shared-plan tests: {error}")
    yield server
    server.stop()


_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture
def shared_url(pg_server: Server) -> str:
    """A new, empty database on the test server; its postgresql:// URL (superuser)."""
    name = f"plans_{next(_DATABASES)}"
    pg_server.execute(f"CREATE DATABASE {name}")
    return pg_server.url(name)


@pytest.fixture(scope="session")
def shared_sample_template(
    pg_server: Server, sample_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database holding the published Northshire sample, to copy for each test."""
    from planner.store.transfer import publish

    path = tmp_path_factory.mktemp("shared-template") / "northshire.plan"
    shutil.copyfile(sample_template, path)
    pg_server.execute("CREATE DATABASE sample_template")
    publish(path, pg_server.url("sample_template"))
    return "sample_template"


@pytest.fixture
def shared_sample_url(pg_server: Server, shared_sample_template: str) -> str:
    """A new database holding the published sample plan (and nothing else)."""
    name = f"plans_{next(_DATABASES)}"
    pg_server.execute(f"CREATE DATABASE {name} TEMPLATE {shared_sample_template}")
    return pg_server.url(name)
