"""Starting up quickly without cutting corners: the app checks and copies the plan it was
started on while it loads (what that found is used only for the file as it still is, and
nothing of it is left behind), and garbage collection waits until the window shows."""

from __future__ import annotations

import gc
import os
import sqlite3
from pathlib import Path

import pytest

from planner.errors import NotAPlanError
from planner.paths import working_dir
from planner.store import sqlite_file
from planner.store.planfile import PlanFile
from planner.store.sqlite_file import EARLY_COPY_PREFIX, check_early, discard_early_check
from planner.ui.main_window import MainWindow

SAMPLE_TITLE = "Planting the Flag in Northshire: Partnership Delivery Plan 2011-2015"


def plan_title(plan_file: PlanFile) -> str:
    connection = sqlite3.connect(plan_file.working_path)
    try:
        return str(connection.execute("SELECT title FROM plan").fetchone()[0])
    finally:
        connection.close()


def retitle_file(path: Path, title: str) -> None:
    """Change the plan as another program saving over it would (a new file put in place)."""
    replacement = path.with_name("replacement.plan")
    replacement.write_bytes(path.read_bytes())
    connection = sqlite3.connect(replacement)
    connection.execute("UPDATE plan SET title = ?", (title,))
    connection.commit()
    connection.close()
    os.replace(replacement, path)


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    replacement = path.with_name("damaged.plan")
    replacement.write_bytes(bytes(data))
    os.replace(replacement, path)


def early_copies(data_dir: Path) -> list[Path]:
    return sorted(working_dir(data_dir).glob(f"{EARLY_COPY_PREFIX}*"))


def wait_for(path: Path) -> None:
    sqlite_file._early_checks[path.absolute()].thread.join()


def test_a_plan_checked_and_copied_early_is_opened_without_reading_it_again(
    sample_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_early(sample_path, copy_into=working_dir(data_dir))
    wait_for(sample_path)
    assert len(early_copies(data_dir)) == 1

    def not_again(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the plan was read again")

    monkeypatch.setattr(sqlite_file, "_inspect_plan", not_again)
    monkeypatch.setattr(sqlite_file, "copy_database", not_again)
    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        assert plan_title(plan_file) == SAMPLE_TITLE
    assert early_copies(data_dir) == []


def test_a_plan_saved_over_after_its_early_check_opens_as_it_is_now(
    sample_path: Path, data_dir: Path
) -> None:
    check_early(sample_path, copy_into=working_dir(data_dir))
    wait_for(sample_path)
    retitle_file(sample_path, "Saved by someone else since")

    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        assert plan_title(plan_file) == "Saved by someone else since"
    assert early_copies(data_dir) == []


def test_a_plan_damaged_after_its_early_check_is_refused(sample_path: Path, data_dir: Path) -> None:
    check_early(sample_path, copy_into=working_dir(data_dir))
    wait_for(sample_path)
    damage(sample_path)

    with pytest.raises(NotAPlanError, match="is damaged"):
        PlanFile.open(sample_path, data_dir=data_dir)
    assert early_copies(data_dir) == []


def test_a_damaged_plan_found_early_is_refused_in_the_same_words(
    sample_path: Path, data_dir: Path
) -> None:
    damage(sample_path)
    with pytest.raises(NotAPlanError) as found_later:
        PlanFile.open(sample_path, data_dir=data_dir)

    check_early(sample_path, copy_into=working_dir(data_dir))
    with pytest.raises(NotAPlanError) as found_early:
        PlanFile.open(sample_path, data_dir=data_dir)
    assert str(found_early.value) == str(found_later.value)
    assert early_copies(data_dir) == []


def test_an_early_copy_never_opened_is_removed(sample_path: Path, data_dir: Path) -> None:
    check_early(sample_path, copy_into=working_dir(data_dir))
    wait_for(sample_path)
    assert len(early_copies(data_dir)) == 1
    discard_early_check(sample_path)
    assert early_copies(data_dir) == []


def test_an_early_copy_goes_when_the_plan_is_opened_read_only(
    sample_path: Path, data_dir: Path
) -> None:
    check_early(sample_path, copy_into=working_dir(data_dir))
    with PlanFile.open(sample_path, read_only=True, data_dir=data_dir) as plan_file:
        assert plan_title(plan_file) == SAMPLE_TITLE
    assert early_copies(data_dir) == []
    assert sqlite_file._early_checks == {}


def test_early_copies_left_by_a_program_that_ended_are_removed(
    sample_path: Path, data_dir: Path
) -> None:
    folder = working_dir(data_dir)
    folder.mkdir(parents=True)
    leftover = folder / f"{EARLY_COPY_PREFIX}999999999-1.plan"
    leftover.write_bytes(b"left behind")

    check_early(sample_path, copy_into=folder)
    wait_for(sample_path)
    assert not leftover.exists()
    discard_early_check(sample_path)


def test_the_app_opens_the_plan_it_was_started_on_after_checking_it_early(
    sample_path: Path, data_dir: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    shot = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLANNER_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [sys.executable, "-m", "planner", str(sample_path), "--screenshot", str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    assert early_copies(data_dir) == []


def test_garbage_is_collected_again_once_the_window_shows_but_not_of_start_up(
    sample_path: Path,
) -> None:
    from planner.ui.app import collect_garbage_from_now

    gc.disable()
    try:
        collect_garbage_from_now()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0, "what start-up made is left out of collections"
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_subcommand_runs_with_garbage_collection_on(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner import cli

    seen: list[bool] = []
    real_info = cli._info

    def info(args: object) -> int:
        seen.append(gc.isenabled())
        return real_info(args)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_info", info)
    assert cli.main(["info", str(sample_path)]) == 0
    assert seen == [True]
    assert gc.isenabled()
    assert "Planting the Flag" in capsys.readouterr().out


def test_the_most_recent_plan_is_checked_beside_start_up_too(
    sample_path: Path, data_dir: Path, qapp: object
) -> None:
    from planner.ui.app import SAMPLE_NAME, plan_to_open
    from planner.ui.settings import AppSettings

    settings = AppSettings()
    assert plan_to_open(None, settings) == data_dir / "Plans" / SAMPLE_NAME  # first run
    assert sqlite_file._early_checks == {}

    settings.add_recent_file(sample_path)
    assert plan_to_open(None, settings) == sample_path.absolute()
    assert sample_path.absolute() in sqlite_file._early_checks
    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        assert plan_title(plan_file) == SAMPLE_TITLE
    assert sqlite_file._early_checks == {}
    assert early_copies(data_dir) == []

    named = sample_path.with_name("named.plan")
    assert plan_to_open(named, settings) == named  # planner FILE: checked by planner.cli
    assert sqlite_file._early_checks == {}


def test_the_people_and_partner_lists_are_built_when_first_shown(window: MainWindow) -> None:
    titles = [window.tabs.tabText(index) for index in range(window.tabs.count())]
    assert titles[-2:] == ["&People", "Partner &bodies"]
    assert not window.directory_tabs.built  # nobody has looked at them yet
    assert window.filter_bar.isVisible()

    window.tabs.setCurrentIndex(titles.index("&People"))  # as a click on the tab

    assert window.directory_tabs.built
    assert window.tabs.currentWidget() is window.people_view
    assert [window.tabs.tabText(index) for index in range(window.tabs.count())] == titles
    assert window.people_view.model.rowCount() > 10  # the sample's people, read on showing
    assert not window.filter_bar.isVisible()  # the filter is for actions
