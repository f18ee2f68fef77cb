"""Nothing lost, nothing let in: second openers, backups, failures while saving or editing,
SQLite's defensive settings, no network, and no file written where it should not be."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from planner.cli import main
from planner.commands import EditRecord, runner_for
from planner.errors import FileChangedError, PlanLockedError, SaveError, WorkingCopyError
from planner.io.sample import write_sample
from planner.store import planfile as planfile_module
from planner.store.backups import (
    KEEP_BACKUPS,
    list_backup_infos,
    make_backup,
    make_daily_backup,
    newest_good_backup,
)
from planner.store.lock import lock_path, read_lock, this_host
from planner.store.models import Plan
from planner.store.planfile import PlanFile

NEW_TITLE = "Northshire Delivery Plan (edited)"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def plan_path(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "northshire.plan"
    path.parent.mkdir()
    shutil.copyfile(template, path)
    return path


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def title_of(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(connection.execute("SELECT title FROM plan").fetchone()[0])
    finally:
        connection.close()


def retitle(plan_file: PlanFile, title: str = NEW_TITLE) -> None:
    runner_for(plan_file, who="Test Officer").execute(
        EditRecord("plan", plan_file.plan_id, {"title": title})
    )


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The id of a process that runs for the length of the test (another 'instance')."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process.pid
    process.kill()
    process.wait()


def write_lock(plan: Path, *, user: str, host: str, pid: int) -> None:
    lock_path(plan).write_text(
        json.dumps({"user": user, "host": host, "pid": pid, "since": "2024-03-14T09:30:00"})
    )


# ----- 2. a second opener ------------------------------------------------------------------


def test_an_open_plan_has_a_lock_beside_it_naming_who_and_since_and_it_goes_on_close(
    plan_path: Path,
) -> None:
    with PlanFile.open(plan_path) as plan_file:
        lock = json.loads(lock_path(plan_path).read_text("utf-8"))
        assert lock_path(plan_path).name == ".northshire.plan.lock"
        assert lock["pid"] == os.getpid() and lock["host"] == this_host()
        assert lock["user"] and datetime.fromisoformat(lock["since"])
        retitle(plan_file)
        plan_file.save()
        assert lock_path(plan_path).exists()  # saving keeps it
    assert not lock_path(plan_path).exists()
    assert os.listdir(plan_path.parent) == [plan_path.name]


def test_a_plan_open_in_another_instance_is_refused_naming_the_holder(
    plan_path: Path, live_pid: int
) -> None:
    write_lock(plan_path, user="Helen Ashworth", host=this_host(), pid=live_pid)
    before = fingerprint(plan_path)
    with pytest.raises(PlanLockedError) as refused:
        PlanFile.open(plan_path)
    message = str(refused.value)
    assert "'northshire.plan' is open by Helen Ashworth on" in message
    assert "14/03/2024 09:30" in message
    assert refused.value.holder.user == "Helen Ashworth"  # type: ignore[attr-defined]
    # read-only still opens, and nothing is changed, the lock included
    with PlanFile.open(plan_path, read_only=True) as plan_file:
        assert plan_file.read_only
    assert fingerprint(plan_path) == before
    assert read_lock(plan_path).user == "Helen Ashworth"  # type: ignore[union-attr]


def test_a_plan_open_on_another_computer_is_refused_whatever_its_process(
    plan_path: Path,
) -> None:
    write_lock(plan_path, user="Sarah Whitfield", host="ANOTHER-LAPTOP", pid=999_999_999)
    with pytest.raises(PlanLockedError, match="Sarah Whitfield on ANOTHER-LAPTOP"):
        PlanFile.open(plan_path)


def test_a_lock_left_by_a_program_that_no_longer_runs_is_taken_over(plan_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert finished.returncode == 0
    write_lock(plan_path, user="Crashed Officer", host=this_host(), pid=999_999_999)
    with PlanFile.open(plan_path):
        holder = read_lock(plan_path)
        assert holder is not None and holder.pid == os.getpid()
    assert not lock_path(plan_path).exists()


def test_open_a_copy_of_a_locked_plan(plan_path: Path, live_pid: int) -> None:
    write_lock(plan_path, user="Helen Ashworth", host=this_host(), pid=live_pid)
    before = fingerprint(plan_path)
    copy = plan_path.with_name("northshire (copy).plan")
    with PlanFile.open_copy(plan_path, copy) as plan_file:
        retitle(plan_file)
        plan_file.save()
    assert title_of(copy) == NEW_TITLE
    assert fingerprint(plan_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{plan}", "{workbook}", "--apply"],
        ["round", "start", "{plan}", "{folder}", "--by", "partner"],
        ["round", "import", "{plan}", "{workbook}", "--apply"],
    ],
    ids=["import", "round-start", "round-import"],
)
def test_the_command_line_refuses_to_change_a_plan_open_elsewhere(
    args: list[str],
    plan_path: Path,
    tmp_path: Path,
    live_pid: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workbook = tmp_path / "returned.xlsx"
    assert main(["export", str(plan_path), str(workbook)]) == 0
    write_lock(plan_path, user="Helen Ashworth", host=this_host(), pid=live_pid)
    before = fingerprint(plan_path)
    capsys.readouterr()
    filled = [a.format(plan=plan_path, workbook=workbook, folder=tmp_path / "round") for a in args]
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: 'northshire.plan' is open by Helen Ashworth on ")
    assert err.count("\n") == 1 and "not changed" in err
    assert fingerprint(plan_path) == before
    assert not (tmp_path / "round").exists()
    # reading commands still work on a plan open elsewhere
    assert main(["info", str(plan_path)]) == 0
    assert main(["check", str(plan_path)]) == 0


# ----- 3. backups ----------------------------------------------------------------------------


def test_one_backup_a_day_of_saving_holding_the_plan_as_it_was(
    plan_path: Path, data_dir: Path
) -> None:
    original = plan_path.read_bytes()
    with PlanFile.open(plan_path) as plan_file:
        for number in range(3):
            retitle(plan_file, f"Title {number}")
            plan_file.save()
    backups = list_backup_infos(data_dir, plan_path)
    assert len(backups) == 1
    assert backups[0].path.read_bytes() == original
    assert backups[0].path.is_relative_to(data_dir / "backups")
    assert backups[0].taken.date() == date.today()
    assert "before the day's first save" in backups[0].description
    # a new day brings a new backup; a day already backed up does not
    tomorrow = date.today() + timedelta(days=1)
    assert make_daily_backup(data_dir, plan_path, today=tomorrow) is not None
    assert make_daily_backup(data_dir, plan_path) is None


def test_only_the_last_ten_backups_are_kept(plan_path: Path, data_dir: Path) -> None:
    for number in range(KEEP_BACKUPS + 4):
        make_backup(data_dir, plan_path, f"test-{number:02d}")
    kept = list_backup_infos(data_dir, plan_path)
    assert len(kept) == KEEP_BACKUPS == 10
    assert kept[0].reason == f"test-{KEEP_BACKUPS + 3:02d}"


def test_restoring_a_backup_opens_it_as_unsaved_changes_to_the_plan(
    plan_path: Path, data_dir: Path
) -> None:
    old_title = title_of(plan_path)
    with PlanFile.open(plan_path) as plan_file:
        retitle(plan_file)
        plan_file.save()
    assert title_of(plan_path) == NEW_TITLE
    backup = list_backup_infos(data_dir, plan_path)[0]
    backup_before, plan_before = fingerprint(backup.path), fingerprint(plan_path)
    restored = PlanFile.restore_backup(plan_path, backup.path)
    try:
        assert restored.is_dirty
        with restored.Session() as session:
            assert session.get(Plan, restored.plan_id).title == old_title  # type: ignore[union-attr]
        assert fingerprint(plan_path) == plan_before
        restored.save()  # no "changed on disk": the plan is what it was when restored
    finally:
        restored.close()
    assert title_of(plan_path) == old_title
    assert fingerprint(backup.path) == backup_before


def test_the_newest_good_backup_skips_damaged_ones(plan_path: Path, data_dir: Path) -> None:
    good = make_backup(data_dir, plan_path, "test-good")
    bad = make_backup(data_dir, plan_path, "test-bad")
    data = bytearray(bad.read_bytes())
    start = len(data) // 2 // 4096 * 4096  # the header of a page in the middle
    data[start : start + 300] = b"\xa5" * 300
    bad.write_bytes(bytes(data))
    found = newest_good_backup(data_dir, plan_path)
    assert found is not None and found.path == good


# ----- 5. failures while saving or editing ---------------------------------------------------

FAILURES = {
    "disk full": (errno.ENOSPC, "the disk is full"),
    "no permission": (errno.EACCES, "you do not have permission"),
    "read-only drive": (errno.EROFS, "the drive is read-only"),
    "drive gone": (errno.EIO, "could not be reached"),
    "share gone": (errno.ESTALE, "the network drive could not be reached"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_save_that_fails_says_why_and_leaves_file_lock_and_edits_intact(
    failure: str, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, words = FAILURES[failure]
    plan_file = PlanFile.open(plan_path)
    try:
        retitle(plan_file)
        before, lock_before = fingerprint(plan_path), lock_path(plan_path).read_bytes()

        def fail(*_args: object, **_kwargs: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(planfile_module.os, "replace", fail)
        with pytest.raises(SaveError) as refused:
            plan_file.save()
        monkeypatch.undo()
        message = str(refused.value)
        assert words in message and "Your changes are safe" in message
        assert "\n" not in message
        assert fingerprint(plan_path) == before
        assert lock_path(plan_path).read_bytes() == lock_before
        assert sorted(os.listdir(plan_path.parent)) == sorted(
            [plan_path.name, lock_path(plan_path).name]
        )
        assert plan_file.is_dirty and title_of(plan_file.working_path) == NEW_TITLE
        plan_file.save()  # once the cause is gone, the same edits save
    finally:
        plan_file.close(discard=True)
    assert title_of(plan_path) == NEW_TITLE


def test_a_read_only_plan_file_is_not_saved_over(plan_path: Path) -> None:
    plan_file = PlanFile.open(plan_path)
    try:
        retitle(plan_file)
        plan_path.chmod(0o444)
        before = fingerprint(plan_path)
        with pytest.raises(SaveError, match="marked read-only"):
            plan_file.save()
        assert fingerprint(plan_path) == before
        assert plan_file.is_dirty
    finally:
        plan_path.chmod(0o644)
        plan_file.close(discard=True)


def test_a_plan_file_deleted_while_open_is_reported_and_can_be_saved_again(
    plan_path: Path,
) -> None:
    plan_file = PlanFile.open(plan_path)
    try:
        retitle(plan_file)
        plan_path.unlink()
        with pytest.raises(FileChangedError, match="moved or deleted"):
            plan_file.save()
        assert title_of(plan_file.working_path) == NEW_TITLE
        plan_file.save(overwrite_changes=True)
    finally:
        plan_file.close(discard=True)
    assert title_of(plan_path) == NEW_TITLE


def test_an_edit_the_working_copy_cannot_hold_is_refused_and_nothing_is_lost(
    plan_path: Path,
) -> None:
    plan_file = PlanFile.open(plan_path)
    try:
        retitle(plan_file, "An earlier edit")

        @event.listens_for(plan_file.engine, "connect")
        def full_disk(connection: sqlite3.Connection, _record: object) -> None:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL from now

        plan_file.engine.dispose()
        with plan_file.Session() as session:
            milestone = session.execute(text("SELECT min(id) FROM milestone")).scalar()
        with pytest.raises(WorkingCopyError) as refused:
            runner_for(plan_file).execute(EditRecord("milestone", milestone, {"note": "x" * 10**6}))
        assert "disk holding your working copy is full" in str(refused.value)
        assert title_of(plan_file.working_path) == "An earlier edit"
        event.remove(plan_file.engine, "connect", full_disk)
        plan_file.engine.dispose()
        plan_file.save()
    finally:
        plan_file.close(discard=True)
    assert title_of(plan_path) == "An earlier edit"


# ----- 8. security -----------------------------------------------------------------------------


def test_plans_are_read_with_sqlites_defensive_settings(plan_path: Path) -> None:
    with PlanFile.open(plan_path) as plan_file, plan_file.Session() as session:
        assert session.execute(text("PRAGMA trusted_schema")).scalar() == 0
        assert session.execute(text("PRAGMA cell_size_check")).scalar() == 1
        assert session.execute(text("PRAGMA mmap_size")).scalar() == 0


NO_NETWORK = textwrap.dedent(
    """
    import socket, sys

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse()

    socket.socket = NoSocket
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    written = []

    def audit(event, args):
        if event == "open" and args[1] is not None and any(c in str(args[1]) for c in "wax+"):
            written.append(str(args[0]))
        elif event in ("os.rename", "os.replace", "shutil.copyfile", "os.link"):
            written.append(str(args[1]))
        elif event in ("os.mkdir", "os.remove", "os.rmdir", "shutil.rmtree"):
            written.append(str(args[0]))
        elif event == "sqlite3.connect":
            written.append(str(args[0]))

    sys.addaudithook(audit)
    from planner.cli import main

    docs = sys.argv[1]
    plan, out = docs + "/northshire.plan", docs + "/slice.xlsx"
    for args in (
        ["sample", plan],
        ["info", plan],
        ["check", plan],
        ["export", plan, out, "--partner", "Northshire CVS"],
        ["import", plan, out, "--apply", "--from", "Test"],
    ):
        code = main(args)
        assert code == 0, (args, code)
    print("\\n".join(written))
    """
)


def test_no_network_use_and_nothing_written_outside_the_allowed_places(
    tmp_path: Path, data_dir: Path
) -> None:
    """Importing the program and running sample, info, check, export and import with the
    socket module disabled; every file written is the chosen plan or workbook, the plan's
    lock and temporary save file, or in the data folder or the temporary folder."""
    docs, temp, home = tmp_path / "docs", tmp_path / "temp", tmp_path / "home"
    for folder in (docs, temp, home):
        folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(docs)],
        capture_output=True,
        text=True,
        cwd=home,
        timeout=120,
        env={**os.environ, "TMPDIR": str(temp), "HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    allowed_in_docs = {
        "northshire.plan",
        "slice.xlsx",
        ".northshire.plan.lock",
        "northshire.plan-journal",
    }
    written = {Path(line) for line in result.stdout.splitlines() if line.startswith("/")}
    assert written
    for path in written:
        if path.is_relative_to(data_dir) or path.is_relative_to(temp):
            continue
        assert path.parent == docs, f"wrote {path}"
        assert path.name in allowed_in_docs or path.name.startswith(
            (".northshire.plan.", ".slice.")
        ), f"wrote {path}"
    assert list(home.iterdir()) == []
    assert sorted(p.name for p in docs.iterdir()) == ["northshire.plan", "slice.xlsx"]
