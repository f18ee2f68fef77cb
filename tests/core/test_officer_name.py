"""The officer's name: `--by NAME`, then PLANNER_USER, then the name saved in the app's
Preferences, then the login name; recorded in the journal, the lock file and exports."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from planner import officer
from planner.cli import main
from planner.officer import named, officer_name, saved_name
from planner.store.lock import lock_path, read_lock, this_host
from planner.store.models import JournalEntry
from planner.store.planfile import PlanFile

# PLANNER_USER names the officer running each test: "Test Officer"
pytestmark = pytest.mark.usefixtures("officer_name_for_tests")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def journal(plan: Path, after_id: int = 0) -> list[JournalEntry]:
    with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
        return list(
            session.scalars(
                select(JournalEntry).where(JournalEntry.id > after_id).order_by(JournalEntry.id)
            )
        )


def last_journal_id(plan: Path) -> int:
    entries = journal(plan)
    return entries[-1].id if entries else 0


def meta(workbook_path: Path) -> dict[str, object]:
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    try:
        return {key: value for key, value in workbook["_planner"].iter_rows(values_only=True)}
    finally:
        workbook.close()


def save_in_preferences(name: str) -> None:
    """Save Your name as the app's Preferences dialog does."""
    from planner.ui.settings import AppSettings

    AppSettings().set_officer_name(name)


def returned_copy(plan: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Northshire College's copy of the plan, returned with a new progress note on 4.2."""
    workbook_path = folder / "College - returned.xlsx"
    code, _, err = run(capsys, "export", plan, workbook_path, "--partner", "Northshire College")
    assert code == 0, err
    workbook = openpyxl.load_workbook(workbook_path)
    sheet = workbook["Actions"]
    column = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column["Ref"]).value is not None
    )
    sheet.cell(row, column["Latest update"]).value = "Open days booked for February."
    workbook.save(workbook_path)
    return workbook_path


# ----- where the name comes from ------------------------------------------------------------


def test_the_name_given_for_a_command_comes_first_then_planner_user_then_preferences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_in_preferences("Jane Smith")
    monkeypatch.setenv("PLANNER_USER", "Ruth Calloway")
    assert officer_name("Helen Ashworth") == "Helen Ashworth"
    with named("Helen Ashworth"):
        assert officer_name() == "Helen Ashworth"
    assert officer_name() == "Ruth Calloway"
    monkeypatch.delenv("PLANNER_USER")
    assert officer_name() == "Jane Smith"
    assert officer_name("   ") == "Jane Smith"  # a blank --by names nobody


def test_without_a_name_anywhere_the_login_name_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_USER")
    assert officer_name() == getpass.getuser()

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert officer_name() == "unknown"


@pytest.mark.parametrize(
    "name",
    [
        "Siân O'Brien-Zoë",
        "Ashworth, Helen",
        "@helen",
        'Helen "H" Ashworth',
        "Helen; Head of ICT",
        "Back\\slash",
        "100% Helen",
        "名前",
    ],
)
def test_a_name_saved_by_the_app_is_read_back_exactly_without_qt(name: str) -> None:
    save_in_preferences(name)
    assert saved_name() == name
    assert officer.settings_path() is not None
    assert "[officer]" in officer.settings_path().read_text("utf-8")  # type: ignore[union-attr]


def test_names_are_tidied_and_kept_to_what_the_journal_holds() -> None:
    assert officer_name("  Helen \t Ashworth \n") == "Helen Ashworth"
    assert len(officer_name("x" * 500)) == officer.MAX_LENGTH


# ----- the journal ----------------------------------------------------------------------------


def test_import_with_by_records_the_officer_in_the_journal(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = returned_copy(sample_path, tmp_path, capsys)
    before = last_journal_id(sample_path)
    code, _, err = run(
        capsys,
        "import",
        sample_path,
        returned,
        "--from",
        "Sarah Whitfield",
        "--apply",
        "--by",
        "Helen Ashworth",
    )
    assert code == 0, err
    entries = journal(sample_path, before)
    assert entries
    assert {entry.who for entry in entries} == {"Helen Ashworth"}


def test_planner_user_names_the_officer_for_a_round_and_its_workbooks(
    sample_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANNER_USER", "Ruth Calloway")
    folder = tmp_path / "round"
    folder.mkdir()
    before = last_journal_id(sample_path)
    code, _, err = run(capsys, "round", "start", sample_path, folder, "--by", "partner")
    assert code == 0, err
    entries = journal(sample_path, before)
    assert entries and {entry.who for entry in entries} == {"Ruth Calloway"}
    workbooks = sorted(folder.glob("*.xlsx"))
    assert workbooks
    assert {meta(path)["exported_by"] for path in workbooks} == {"Ruth Calloway"}


def test_round_start_records_the_sender_as_the_officer(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    before = last_journal_id(sample_path)
    code, _, err = run(
        capsys,
        "round",
        "start",
        sample_path,
        folder,
        "--by",
        "lead",
        "--sender",
        "Helen Ashworth",
    )
    assert code == 0, err
    assert {entry.who for entry in journal(sample_path, before)} == {"Helen Ashworth"}


def test_round_import_with_by_records_the_officer(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    assert run(capsys, "round", "start", sample_path, folder, "--by", "partner")[0] == 0
    returned = next(folder.glob("*Northshire College.xlsx"))
    workbook = openpyxl.load_workbook(returned)
    sheet = workbook["Actions"]
    column = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
    sheet.cell(2, column["Latest update"]).value = "Digital skills sessions started."
    workbook.save(returned)
    before = last_journal_id(sample_path)
    code, _, err = run(
        capsys, "round", "import", sample_path, returned, "--apply", "--by", "Jane Smith"
    )
    assert code == 0, err
    entries = journal(sample_path, before)
    assert entries and {entry.who for entry in entries} == {"Jane Smith"}


def test_the_name_saved_in_the_app_is_used_by_the_command_line(
    sample_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    save_in_preferences("Jane Smith")
    workbook = tmp_path / "plan.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "planner", "export", str(sample_path), str(workbook)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),  # PLANNER_DATA_DIR: the data folder holding settings.ini
    )
    assert done.returncode == 0, done.stderr
    assert meta(workbook)["exported_by"] == "Jane Smith"
    folder = tmp_path / "round"
    folder.mkdir()
    before = last_journal_id(sample_path)
    assert run(capsys, "round", "start", sample_path, folder, "--by", "partner")[0] == 0
    assert {entry.who for entry in journal(sample_path, before)} == {"Jane Smith"}


def test_export_by_names_who_exported_it(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook_path = tmp_path / "plan.xlsx"
    assert run(capsys, "export", sample_path, workbook_path, "--by", "Helen Ashworth")[0] == 0
    assert meta(workbook_path)["exported_by"] == "Helen Ashworth"
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    assert workbook.properties.creator == "Helen Ashworth"
    workbook.close()
    assert run(capsys, "export", sample_path, workbook_path)[0] == 0
    assert meta(workbook_path)["exported_by"] == "Test Officer"  # PLANNER_USER


def test_commands_that_record_a_name_offer_by(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["export"], ["import"], ["round", "import"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        assert "--by NAME" in capsys.readouterr().out, command
    with pytest.raises(SystemExit):
        main(["round", "start", "--help"])
    assert "--sender NAME" in capsys.readouterr().out


# ----- the lock file --------------------------------------------------------------------------


def test_the_lock_names_the_officer_and_keeps_the_login(sample_path: Path) -> None:
    with named("Helen Ashworth"), PlanFile.open(sample_path):
        lock = json.loads(lock_path(sample_path).read_text("utf-8"))
        assert lock["user"] == "Helen Ashworth"
        assert lock["login"] == getpass.getuser()
        assert lock["host"] == this_host() and lock["pid"] == os.getpid()
    with PlanFile.open(sample_path):
        assert read_lock(sample_path).user == "Test Officer"  # type: ignore[union-attr]


HOLDER = textwrap.dedent(
    """
    import getpass, sys
    from pathlib import Path
    getpass.getuser = lambda: "hashworth"  # another officer's login on the same server
    from planner.store.planfile import PlanFile
    plan_file = PlanFile.open(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture
def held_by_helen(sample_path: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """The plan open in Helen Ashworth's copy of the program on this computer, under her
    own login (a shared terminal server)."""
    env = {
        **os.environ,
        "PLANNER_USER": "Helen Ashworth",
        "PLANNER_DATA_DIR": str(tmp_path / "helen-data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(sample_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"
    yield process
    process.kill()
    process.wait()


def test_a_plan_open_elsewhere_is_refused_naming_the_officer_and_taken_over_once_closed(
    sample_path: Path,
    tmp_path: Path,
    held_by_helen: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    lock = json.loads(lock_path(sample_path).read_text("utf-8"))
    assert lock["user"] == "Helen Ashworth" and lock["login"] == "hashworth"
    folder = tmp_path / "round"
    folder.mkdir()
    code, _, err = run(
        capsys, "round", "start", sample_path, folder, "--by", "partner", "--sender", "Ruth"
    )
    assert code == 2
    assert err.startswith(f"planner: 'northshire.plan' is open by Helen Ashworth on {this_host()}")
    assert err.count("\n") == 1 and "not changed" in err

    # Her program ends without removing its lock: judged by host and process, it is stale.
    held_by_helen.kill()
    held_by_helen.wait()
    assert read_lock(sample_path).user == "Helen Ashworth"  # type: ignore[union-attr]
    before = last_journal_id(sample_path)
    code, _, err = run(
        capsys,
        "round",
        "start",
        sample_path,
        folder,
        "--by",
        "partner",
        "--sender",
        "Ruth Calloway",
    )
    assert code == 0, err
    assert {entry.who for entry in journal(sample_path, before)} == {"Ruth Calloway"}
    assert not lock_path(sample_path).exists()


# ----- a shared plan ----------------------------------------------------------------------------


def test_a_shared_plan_records_the_database_account_whatever_by_says(
    shared_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    code, _, err = run(
        capsys,
        "round",
        "start",
        shared_sample_url,
        folder,
        "--by",
        "partner",
        "--sender",
        "Helen Ashworth",
    )
    assert code == 0, err
    workbook = next(folder.glob("*.xlsx"))
    assert meta(workbook)["exported_by"] == "Helen Ashworth"
    from planner.store.shared import SharedPlan

    with SharedPlan.open(shared_sample_url) as plan, plan.Session() as session:
        whos = set(session.scalars(select(JournalEntry.who)))
    account = shared_sample_url.split("://")[1].split("@")[0]
    assert whos == {account}
