"""The plan file as a document: format, working copy, save, save as, recovery, changed on disk."""

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
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from planner.commands import CreateRecord, EditRecord, runner_for
from planner.errors import FileChangedError, NotAPlanError, RecoveryAvailable, SaveError
from planner.io.sample import write_sample
from planner.store import lock as lock_module
from planner.store import planfile as planfile_module
from planner.store.lock import lock_path
from planner.store.models import Plan, Theme
from planner.store.planfile import PlanFile, find_recovery, working_copy_path
from planner.store.schema import APPLICATION_ID, SCHEMA_VERSION

NEW_TITLE = "Northshire Delivery Plan (edited)"


# ----- helpers ----------------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(path: Path) -> tuple[str, int, int]:
    """What a user would notice changing: the content, the modification time, the size."""
    info = path.stat()
    return digest(path), info.st_mtime_ns, info.st_size


def raw_title(path: Path) -> str:
    """The plan title as stored in `path`, read without the program."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(connection.execute("SELECT title FROM plan").fetchone()[0])
    finally:
        connection.close()


def pragma(path: Path, name: str) -> object:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


def fresh_title(path: Path) -> str:
    """The title a user sees when opening `path` afresh (read-only, nothing left behind)."""
    with PlanFile.open(path, read_only=True) as plan_file, plan_file.Session() as session:
        plan = session.get(Plan, plan_file.plan_id)
        assert plan is not None
        return plan.title


def retitle(plan_file: PlanFile, title: str = NEW_TITLE) -> None:
    runner_for(plan_file, who="Test Officer").execute(
        EditRecord("plan", plan_file.plan_id, {"title": title})
    )


def lock_name(plan: Path) -> str:
    return lock_path(plan).name


def working_files(data_dir: Path) -> list[str]:
    folder = data_dir / "working"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sample plan written per module; tests work on copies of it (fast)."""
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


@pytest.fixture
def opened(plan_path: Path, data_dir: Path) -> Iterator[PlanFile]:
    plan_file = PlanFile.open(plan_path, data_dir=data_dir)
    yield plan_file
    plan_file.close(discard=True)


# ----- the file format --------------------------------------------------------------


def test_saved_plan_is_sqlite_marked_as_a_plan(sample_path: Path) -> None:
    header = sample_path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert pragma(sample_path, "application_id") == APPLICATION_ID
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert pragma(sample_path, "user_version") == SCHEMA_VERSION
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION


def test_saved_plan_uses_rollback_journal_not_wal(sample_path: Path) -> None:
    header = sample_path.read_bytes()[:100]
    # bytes 18 and 19 are 2 for a WAL database, 1 for the rollback journal
    assert (header[18], header[19]) == (1, 1)
    assert pragma(sample_path, "journal_mode") == "delete"
    leftovers = {p.name for p in sample_path.parent.iterdir()} - {sample_path.name}
    assert not any(name.endswith(("-wal", "-shm", "-journal")) for name in leftovers)


def test_sessions_use_delete_journal_and_enforce_foreign_keys(opened: PlanFile) -> None:
    with opened.Session() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "delete"
    with pytest.raises(IntegrityError), opened.Session.begin() as session:
        session.add(Theme(plan_id=9999, number=99, title="Orphan theme"))
    with opened.Session() as session:
        assert session.scalar(select(func.count()).select_from(Theme)) == 7


def test_saved_file_keeps_format_after_an_edit_and_save(opened: PlanFile) -> None:
    retitle(opened)
    opened.save()
    assert pragma(opened.path, "application_id") == APPLICATION_ID
    assert pragma(opened.path, "user_version") == SCHEMA_VERSION
    assert pragma(opened.path, "journal_mode") == "delete"
    assert pragma(opened.path, "quick_check") == "ok"


# ----- the working copy -------------------------------------------------------------


def test_opening_copies_the_plan_to_a_working_copy_in_the_data_folder(
    plan_path: Path, data_dir: Path
) -> None:
    before = fingerprint(plan_path)
    plan_file = PlanFile.open(plan_path)
    try:
        assert plan_file.path == plan_path.absolute()
        assert plan_file.working_path == working_copy_path(data_dir, plan_path)
        assert plan_file.working_path.parent == data_dir / "working"
        assert plan_file.working_path.is_file()
        assert plan_file.working_path != plan_path
        assert raw_title(plan_file.working_path) == raw_title(plan_path)
        assert not plan_file.is_dirty
        assert fingerprint(plan_path) == before
    finally:
        plan_file.close()


def test_an_edit_changes_the_working_copy_not_the_document(
    opened: PlanFile, plan_path: Path
) -> None:
    before = fingerprint(plan_path)
    old_title = raw_title(plan_path)
    assert not opened.is_dirty
    retitle(opened)
    assert opened.is_dirty
    assert raw_title(opened.working_path) == NEW_TITLE
    assert fingerprint(plan_path) == before
    assert raw_title(plan_path) == old_title
    assert fresh_title(plan_path) == old_title


def test_save_writes_the_document_atomically(opened: PlanFile, plan_path: Path) -> None:
    inode_before = plan_path.stat().st_ino
    retitle(opened)
    opened.save()
    assert not opened.is_dirty
    assert fresh_title(plan_path) == NEW_TITLE
    # written beside the target and renamed over it, not rewritten in place
    assert plan_path.stat().st_ino != inode_before
    # only the plan and the lock naming who has it open
    assert sorted(os.listdir(plan_path.parent)) == sorted([plan_path.name, lock_name(plan_path)])
    # the working copy stays open and usable after a save
    retitle(opened, "Second title")
    assert opened.is_dirty
    opened.save()
    assert fresh_title(plan_path) == "Second title"


def test_save_keeps_the_whole_plan(opened: PlanFile, plan_path: Path) -> None:
    runner = runner_for(opened, who="Test Officer")
    runner.execute(CreateRecord("theme", {"number": 8, "title": "Digital inclusion"}))
    opened.save()
    with PlanFile.open(plan_path, read_only=True) as again, again.Session() as session:
        titles = session.scalars(select(Theme.title).order_by(Theme.number)).all()
    assert len(titles) == 8
    assert "Digital inclusion" in titles


def test_save_as_writes_a_new_file_and_leaves_the_original(
    opened: PlanFile, plan_path: Path, data_dir: Path
) -> None:
    original = fingerprint(plan_path)
    old_working = opened.working_path
    retitle(opened)
    other = plan_path.parent / "copy for cabinet.plan"
    opened.save_as(other)
    assert opened.path == other.absolute()
    assert not opened.is_dirty
    assert fresh_title(other) == NEW_TITLE
    assert fingerprint(plan_path) == original
    assert opened.working_path == working_copy_path(data_dir, other)
    assert not old_working.exists()
    # later saves go to the new file only
    retitle(opened, "After save as")
    opened.save()
    assert fresh_title(other) == "After save as"
    assert fingerprint(plan_path) == original
    assert sorted(os.listdir(plan_path.parent)) == sorted(
        [plan_path.name, other.name, lock_name(other)]
    )


def test_save_as_from_a_read_only_plan(plan_path: Path, data_dir: Path) -> None:
    original = fingerprint(plan_path)
    plan_file = PlanFile.open(plan_path, read_only=True)
    try:
        with pytest.raises(SaveError, match="read-only"):
            plan_file.save()
        other = plan_path.parent / "mine.plan"
        plan_file.save_as(other)
        assert not plan_file.read_only
        retitle(plan_file)
        plan_file.save()
        assert fresh_title(other) == NEW_TITLE
        assert fingerprint(plan_path) == original
    finally:
        plan_file.close(discard=True)


def test_read_only_open_leaves_no_working_copy_and_refuses_edits(
    plan_path: Path, data_dir: Path
) -> None:
    from planner.commands import ReadOnlyError

    before = fingerprint(plan_path)
    plan_file = PlanFile.open(plan_path, read_only=True)
    temporary_folder = plan_file.working_path.parent
    try:
        assert working_files(data_dir) == []
        with pytest.raises(ReadOnlyError):
            retitle(plan_file)
    finally:
        plan_file.close()
    assert not temporary_folder.exists()
    assert fingerprint(plan_path) == before


def test_close_without_changes_removes_the_working_copy(plan_path: Path, data_dir: Path) -> None:
    plan_file = PlanFile.open(plan_path)
    working = plan_file.working_path
    assert working.exists()
    plan_file.close()
    assert not working.exists()
    assert working_files(data_dir) == []


def test_close_after_save_removes_the_working_copy(plan_path: Path, data_dir: Path) -> None:
    plan_file = PlanFile.open(plan_path)
    retitle(plan_file)
    plan_file.save()
    plan_file.close()
    assert working_files(data_dir) == []
    assert find_recovery(plan_path) is None
    assert fresh_title(plan_path) == NEW_TITLE


def test_close_with_unsaved_changes_keeps_them_for_recovery(
    plan_path: Path, data_dir: Path
) -> None:
    before = fingerprint(plan_path)
    plan_file = PlanFile.open(plan_path)
    retitle(plan_file)
    plan_file.close()
    assert plan_file.working_path.exists()
    assert fingerprint(plan_path) == before
    with pytest.raises(RecoveryAvailable):
        PlanFile.open(plan_path)
    recovered = PlanFile.open(plan_path, recovery="recover")
    try:
        with recovered.Session() as session:
            assert session.get(Plan, recovered.plan_id).title == NEW_TITLE  # type: ignore[union-attr]
    finally:
        recovered.close(discard=True)
    assert working_files(data_dir) == []


def test_close_discard_throws_away_unsaved_changes(plan_path: Path, data_dir: Path) -> None:
    old_title = raw_title(plan_path)
    plan_file = PlanFile.open(plan_path)
    retitle(plan_file)
    plan_file.close(discard=True)
    assert working_files(data_dir) == []
    assert find_recovery(plan_path) is None
    with PlanFile.open(plan_path) as again, again.Session() as session:
        assert session.get(Plan, again.plan_id).title == old_title  # type: ignore[union-attr]


def test_create_writes_a_saved_plan(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "new.plan"
    plan_file = PlanFile.create(path, title="  Community Safety Plan  ")
    try:
        assert not plan_file.is_dirty
        assert path.is_file()
        assert pragma(path, "application_id") == APPLICATION_ID
    finally:
        plan_file.close()
    assert fresh_title(path) == "Community Safety Plan"
    assert working_files(data_dir) == []


def test_create_refuses_to_replace_an_existing_file(plan_path: Path) -> None:
    from planner.errors import PlanFileError

    before = fingerprint(plan_path)
    with pytest.raises(PlanFileError, match="already exists") as caught:
        PlanFile.create(plan_path, title="Another plan")
    assert plan_path.name in str(caught.value)
    assert fingerprint(plan_path) == before


# ----- recovery after a crash ---------------------------------------------------------

CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from planner.commands import EditRecord, runner_for
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(sys.argv[1])
    runner_for(plan_file, who="Crashing Officer").execute(
        EditRecord("plan", plan_file.plan_id, {"title": sys.argv[2]})
    )
    sys.stdout.write("edited\\n")
    sys.stdout.flush()
    os._exit(1)  # the program dies: no close, no save
    """
)


def crash_after_edit(path: Path, title: str = NEW_TITLE) -> None:
    """Another process opens `path`, edits it and dies without saving or closing."""
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(path), title],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),  # carries PLANNER_DATA_DIR
    )
    assert result.stdout == "edited\n", result.stderr
    assert result.returncode == 1


@pytest.fixture
def crashed(plan_path: Path) -> Path:
    crash_after_edit(plan_path)
    return plan_path


def test_crash_leaves_the_document_unchanged_and_offers_recovery(
    crashed: Path, data_dir: Path, template: Path
) -> None:
    assert digest(crashed) == digest(template)
    before = fingerprint(crashed)
    info = find_recovery(crashed)
    assert info is not None
    assert info.source == crashed.absolute()
    assert info.working_path == working_copy_path(data_dir, crashed)
    assert raw_title(info.working_path) == NEW_TITLE
    with pytest.raises(RecoveryAvailable) as caught:
        PlanFile.open(crashed)
    message = str(caught.value)
    assert crashed.name in message
    assert "unsaved changes" in message
    assert fingerprint(crashed) == before
    # asking did not throw the unsaved changes away
    assert find_recovery(crashed) is not None


def test_recover_shows_the_unsaved_edit_and_saves_it(crashed: Path, template: Path) -> None:
    plan_file = PlanFile.open(crashed, recovery="recover")
    try:
        assert plan_file.is_dirty
        with plan_file.Session() as session:
            assert session.get(Plan, plan_file.plan_id).title == NEW_TITLE  # type: ignore[union-attr]
        assert digest(crashed) == digest(template)
        plan_file.save()
        assert not plan_file.is_dirty
    finally:
        plan_file.close()
    assert fresh_title(crashed) == NEW_TITLE
    assert find_recovery(crashed) is None


def test_discard_opens_the_saved_state(crashed: Path, template: Path, data_dir: Path) -> None:
    saved_title = raw_title(template)
    plan_file = PlanFile.open(crashed, recovery="discard")
    try:
        assert not plan_file.is_dirty
        with plan_file.Session() as session:
            assert session.get(Plan, plan_file.plan_id).title == saved_title  # type: ignore[union-attr]
    finally:
        plan_file.close()
    assert find_recovery(crashed) is None
    assert working_files(data_dir) == []
    assert digest(crashed) == digest(template)


def test_damaged_unsaved_changes_are_refused_but_the_saved_file_opens(crashed: Path) -> None:
    info = find_recovery(crashed)
    assert info is not None
    data = bytearray(info.working_path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + 200] = b"\xa5" * 200
    info.working_path.write_bytes(bytes(data))
    with pytest.raises(NotAPlanError, match="damaged") as caught:
        PlanFile.open(crashed, recovery="recover")
    assert crashed.name in str(caught.value)
    with PlanFile.open(crashed, recovery="discard") as plan_file:
        assert not plan_file.is_dirty


def test_recovery_is_not_offered_for_a_plan_open_in_this_process(
    opened: PlanFile, plan_path: Path
) -> None:
    retitle(opened)
    assert find_recovery(plan_path) is None


def test_simulated_crash_in_process(plan_path: Path) -> None:
    """The same, without a second process: drop the PlanFile without closing it."""
    plan_file = PlanFile.open(plan_path)
    retitle(plan_file)
    plan_file.engine.dispose()
    planfile_module._OPEN_HERE.discard(plan_file.working_path)
    lock_module._HELD.discard(lock_path(plan_path))
    del plan_file
    with pytest.raises(RecoveryAvailable, match=plan_path.name):
        PlanFile.open(plan_path)
    with PlanFile.open(plan_path, recovery="recover") as recovered:
        with recovered.Session() as session:
            assert session.get(Plan, recovered.plan_id).title == NEW_TITLE  # type: ignore[union-attr]
        recovered.save()
    assert fresh_title(plan_path) == NEW_TITLE


LIVE_SCRIPT = textwrap.dedent(
    """
    import sys
    from planner.commands import EditRecord, runner_for
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(sys.argv[1])
    runner_for(plan_file, who="Other Officer").execute(
        EditRecord("plan", plan_file.plan_id, {"title": sys.argv[2]})
    )
    print("edited", flush=True)
    sys.stdin.readline()
    try:
        plan_file.save()
        print("saved", flush=True)
    except Exception as error:
        print(f"failed: {error}", flush=True)
    plan_file.close()
    """
)


def test_plan_open_in_another_running_process_is_not_treated_as_a_crash(
    plan_path: Path,
) -> None:
    other = subprocess.Popen(
        [sys.executable, "-c", LIVE_SCRIPT, str(plan_path), "Edited in the other window"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline() == "edited\n"
        offered = find_recovery(plan_path)
        try:
            mine = PlanFile.open(plan_path, recovery="discard")
            mine.close()
        except Exception:  # refusing ("open in another window") would be fine too
            pass
        other.stdin.write("\n")
        other.stdin.flush()
        outcome = other.stdout.readline()
    finally:
        other.communicate(timeout=60)
    assert outcome == "saved\n"
    assert fresh_title(plan_path) == "Edited in the other window"
    assert offered is None


def test_opening_the_same_plan_twice_does_not_lose_unsaved_edits(plan_path: Path) -> None:
    from planner.errors import PlanFileError

    first = PlanFile.open(plan_path)
    retitle(first)
    try:
        second = PlanFile.open(plan_path)
        second.close()
    except PlanFileError:  # refusing a second window would be fine too
        pass
    try:
        first.save()
    finally:
        first.close(discard=True)
    assert fresh_title(plan_path) == NEW_TITLE


# ----- changed on disk by someone else -------------------------------------------------


def replace_by_another_writer(path: Path, tmp_path: Path, template: Path) -> None:
    """Another user's copy of the program saves a different plan over `path`."""
    staged = tmp_path / "other-user" / "staged.plan"
    staged.parent.mkdir()
    shutil.copyfile(template, staged)
    connection = sqlite3.connect(staged)
    connection.execute("UPDATE plan SET title = 'Someone else''s plan'")
    connection.commit()
    connection.close()
    os.replace(staged, path)
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_save_refuses_when_the_file_changed_on_disk(
    opened: PlanFile, plan_path: Path, tmp_path: Path, template: Path
) -> None:
    retitle(opened)
    assert not opened.changed_on_disk()
    replace_by_another_writer(plan_path, tmp_path, template)
    assert opened.changed_on_disk()
    theirs = fingerprint(plan_path)
    with pytest.raises(FileChangedError) as caught:
        opened.save()
    message = str(caught.value)
    assert plan_path.name in message
    assert "changed on disk" in message
    assert fingerprint(plan_path) == theirs
    assert raw_title(plan_path) == "Someone else's plan"
    assert opened.is_dirty
    assert raw_title(opened.working_path) == NEW_TITLE
    assert sorted(os.listdir(plan_path.parent)) == sorted([plan_path.name, lock_name(plan_path)])


def test_save_can_overwrite_changes_on_disk_when_told(
    opened: PlanFile, plan_path: Path, tmp_path: Path, template: Path
) -> None:
    retitle(opened)
    replace_by_another_writer(plan_path, tmp_path, template)
    opened.save(overwrite_changes=True)
    assert not opened.is_dirty
    assert not opened.changed_on_disk()
    assert fresh_title(plan_path) == NEW_TITLE
    retitle(opened, "Third title")
    opened.save()  # no longer counts as changed on disk
    assert fresh_title(plan_path) == "Third title"


def test_save_as_keeps_both_versions_when_the_file_changed(
    opened: PlanFile, plan_path: Path, tmp_path: Path, template: Path
) -> None:
    retitle(opened)
    replace_by_another_writer(plan_path, tmp_path, template)
    theirs = fingerprint(plan_path)
    with pytest.raises(FileChangedError):
        opened.save()
    mine = plan_path.parent / "northshire (mine).plan"
    opened.save_as(mine)
    assert fresh_title(mine) == NEW_TITLE
    assert fingerprint(plan_path) == theirs


# ----- save failures --------------------------------------------------------------------


def test_save_into_a_removed_folder_fails_and_keeps_the_edits(
    plan_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "usb stick"
    folder.mkdir()
    target = folder / "northshire.plan"
    shutil.copyfile(plan_path, target)
    plan_file = PlanFile.open(target)
    try:
        retitle(plan_file)
        shutil.rmtree(folder)
        with pytest.raises(SaveError) as caught:
            plan_file.save(overwrite_changes=True)
        message = str(caught.value)
        assert target.name in message
        assert "no longer exists" in message
        assert plan_file.is_dirty
        assert raw_title(plan_file.working_path) == NEW_TITLE
        assert not folder.exists()
        # the edits can still be saved somewhere else
        rescue = tmp_path / "rescued.plan"
        plan_file.save_as(rescue)
        assert fresh_title(rescue) == NEW_TITLE
    finally:
        plan_file.close(discard=True)


def test_plain_save_into_a_removed_folder_says_the_folder_is_gone(
    plan_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "usb stick"
    folder.mkdir()
    target = folder / "northshire.plan"
    shutil.copyfile(plan_path, target)
    plan_file = PlanFile.open(target)
    try:
        retitle(plan_file)
        shutil.rmtree(folder)
        with pytest.raises(SaveError, match="no longer exists"):
            plan_file.save()
        assert plan_file.is_dirty
    finally:
        plan_file.close(discard=True)


def test_save_as_into_a_missing_folder_fails_cleanly(opened: PlanFile, tmp_path: Path) -> None:
    retitle(opened)
    target = tmp_path / "no such folder" / "x.plan"
    with pytest.raises(SaveError, match="no longer exists"):
        opened.save_as(target)
    assert not target.parent.exists()
    assert opened.path != target
    assert opened.is_dirty


def test_save_when_the_disk_is_full_keeps_the_original(
    opened: PlanFile, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    retitle(opened)
    before = fingerprint(plan_path)
    real_copy = planfile_module.copy_database

    def copy_then_run_out_of_space(source: Path, target: Path) -> None:
        if target.name.endswith(".saving"):
            target.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        real_copy(source, target)

    monkeypatch.setattr(planfile_module, "copy_database", copy_then_run_out_of_space)
    with pytest.raises(SaveError) as caught:
        opened.save()
    message = str(caught.value)
    assert plan_path.name in message
    assert "disk is full" in message
    assert "Traceback" not in message
    assert fingerprint(plan_path) == before
    # no half-written file
    assert sorted(os.listdir(plan_path.parent)) == sorted([plan_path.name, lock_name(plan_path)])
    assert opened.is_dirty
    assert raw_title(opened.working_path) == NEW_TITLE
    monkeypatch.setattr(planfile_module, "copy_database", real_copy)
    opened.save()
    assert fresh_title(plan_path) == NEW_TITLE


def test_save_when_the_final_rename_fails_keeps_the_original(
    opened: PlanFile, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    retitle(opened)
    before = fingerprint(plan_path)

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(planfile_module.os, "replace", no_space)
    with pytest.raises(SaveError, match="disk is full"):
        opened.save()
    monkeypatch.undo()
    assert fingerprint(plan_path) == before
    assert sorted(os.listdir(plan_path.parent)) == sorted([plan_path.name, lock_name(plan_path)])
    assert opened.is_dirty


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root, which ignores folder permissions; "
    "test_save_when_the_disk_is_full_keeps_the_original injects the failure instead",
)
def test_save_into_a_read_only_folder_fails_and_keeps_the_original(
    plan_path: Path,
) -> None:
    plan_file = PlanFile.open(plan_path)
    before = fingerprint(plan_path)
    folder = plan_path.parent
    try:
        retitle(plan_file)
        folder.chmod(0o500)
        try:
            with pytest.raises(SaveError) as caught:
                plan_file.save()
        finally:
            folder.chmod(0o700)
        assert fingerprint(plan_path) == before
        assert plan_file.is_dirty
        assert "permission" in str(caught.value)
    finally:
        plan_file.close(discard=True)


def test_state_sidecar_records_dirty_flag(opened: PlanFile) -> None:
    sidecar = opened.working_path.with_suffix(".json")
    assert json.loads(sidecar.read_text("utf-8"))["dirty"] is False
    retitle(opened)
    assert json.loads(sidecar.read_text("utf-8"))["dirty"] is True
    opened.save()
    assert json.loads(sidecar.read_text("utf-8"))["dirty"] is False
