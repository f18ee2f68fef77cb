"""The command line: sample, info, check, --version; in-process and as `python -m planner`.

(`planner [FILE]` without a subcommand opens the desktop app; that belongs to the UI tests.)"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from planner import APP_NAME, __version__
from planner.cli import main
from planner.io.sample import write_sample
from planner.store.schema import APPLICATION_ID, SCHEMA_VERSION

PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def plan(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "northshire.plan"
    shutil.copyfile(template, path)
    return path


def fingerprint(path: Path) -> object:
    if not path.exists():
        return "absent"
    if path.is_dir():
        return ("folder", sorted(os.listdir(path)), path.stat().st_mtime_ns)
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m planner ARGS` in its own process, with this test's data folder."""
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=os.environ.copy(),  # PLANNER_DATA_DIR is set by the data_dir fixture
    )


def assert_one_line_refusal(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("planner: ")
    assert "Traceback" not in stderr
    return lines[0]


def working_files(data_dir: Path) -> list[str]:
    folder = data_dir / "working"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


# ----- sample ----------------------------------------------------------------------------


def test_sample_writes_a_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    out = tmp_path / "out.plan"
    assert main(["sample", str(out)]) == 0
    captured = capsys.readouterr()
    assert str(out) in captured.out
    assert captured.err == ""
    assert out.read_bytes().startswith(b"SQLite format 3\x00")
    connection = sqlite3.connect(out)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("SELECT count(*) FROM theme").fetchone()[0] == 7
    connection.close()
    assert working_files(data_dir) == []


def test_sample_refuses_to_overwrite_without_force(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(plan)
    assert main(["sample", str(plan)]) == 2
    captured = capsys.readouterr()
    line = assert_one_line_refusal(captured.err)
    assert plan.name in line
    assert "already exists" in line
    assert captured.out == ""
    assert fingerprint(plan) == before


def test_sample_force_replaces_the_file(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan.write_text("not a plan any more", "utf-8")
    assert main(["sample", str(plan), "--force"]) == 0
    capsys.readouterr()
    assert main(["info", str(plan), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["themes"] == 7


def test_sample_as_a_separate_process(tmp_path: Path) -> None:
    out = tmp_path / "made by subprocess.plan"
    first = run_module("sample", str(out), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert out.is_file()
    before = fingerprint(out)
    again = run_module("sample", str(out), cwd=tmp_path)
    assert again.returncode == 2
    line = assert_one_line_refusal(again.stderr)
    assert "already exists" in line
    assert again.stdout == ""
    assert fingerprint(out) == before


# ----- info ------------------------------------------------------------------------------


def test_info_prints_title_and_counts(
    plan: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    before = fingerprint(plan)
    assert main(["info", str(plan)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0] == "Planting the Flag in Northshire: Partnership Delivery Plan 2011-2015"
    assert "Northshire County Council" in captured.out
    assert "31 Dec 2013" in captured.out
    assert f"File format:        {SCHEMA_VERSION}" in captured.out
    assert "Themes 7, actions 27," in captured.out
    assert "partner bodies 10" in captured.out
    assert "Outcomes 4, measures 6, benefits 9" in captured.out
    assert "Proposals waiting for review: 2 (File > Review proposals)" in captured.out
    assert fingerprint(plan) == before
    assert working_files(data_dir) == []


def test_info_json_is_one_object_with_the_sample_counts(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(plan), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert len(captured.out.strip().splitlines()) == 1
    data = json.loads(captured.out)
    assert isinstance(data, dict)
    assert {"title", "status_date", "schema_version", "counts"} <= data.keys()
    assert data["title"].startswith("Planting the Flag in Northshire")
    assert date.fromisoformat(data["status_date"]) == date(2013, 12, 31)
    assert data["schema_version"] == SCHEMA_VERSION
    counts = data["counts"]
    assert set(counts) >= {"themes", "actions", "milestones", "people", "partners"}
    assert counts["themes"] == 7
    assert (counts["outcomes"], counts["measures"], counts["benefits"]) == (4, 6, 9)
    assert counts["actions"] == 27
    assert counts["partners"] == 10
    assert counts["milestones"] >= 60
    assert counts["people"] >= 10
    assert data["proposals_waiting"] == 2  # not part of the plan's counts


def test_info_reflects_the_file_not_a_fixed_answer(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(plan)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("UPDATE plan SET title = 'Renamed by hand'")
    connection.execute(
        "DELETE FROM action WHERE theme_id = (SELECT id FROM theme WHERE number = 7)"
    )
    connection.execute("DELETE FROM theme WHERE number = 7")
    connection.commit()
    connection.close()
    assert main(["info", str(plan), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Renamed by hand"
    assert data["counts"]["themes"] == 6
    assert data["counts"]["actions"] < 27


def test_info_json_as_a_separate_process(plan: Path, tmp_path: Path) -> None:
    result = run_module("info", str(plan), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["counts"]["actions"] == 27
    assert data["schema_version"] == SCHEMA_VERSION


def test_python_m_planner_info_behaves_like_planner_info(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(plan)]) == 0
    in_process = capsys.readouterr().out
    as_module = run_module("info", str(plan), cwd=tmp_path)
    assert as_module.returncode == 0
    assert as_module.stdout == in_process
    script = Path(sys.executable).with_name("planner")
    if script.exists():
        as_script = subprocess.run(
            [str(script), "info", str(plan)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env=os.environ.copy(),
        )
        assert (as_script.returncode, as_script.stdout, as_script.stderr) == (
            as_module.returncode,
            as_module.stdout,
            as_module.stderr,
        )


def test_python_m_planner_info_without_a_file_shows_usage(tmp_path: Path) -> None:
    result = run_module("info", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: planner info" in result.stderr
    assert "Traceback" not in result.stderr


# ----- check -----------------------------------------------------------------------------


def test_check_finds_no_problems_in_the_sample(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(plan)
    assert main(["check", str(plan)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"{plan.name}: no problems found."
    assert captured.err == ""
    assert fingerprint(plan) == before


@pytest.fixture
def inconsistent_plan(plan: Path) -> Path:
    """A plan broken behind the program's back: due before start, 150% complete."""
    connection = sqlite3.connect(plan)
    connection.execute("PRAGMA ignore_check_constraints = ON")
    connection.execute(
        "UPDATE action SET start = '2012-06-01', due = '2012-01-31' WHERE ref = '1.1'"
    )
    connection.execute("UPDATE action SET percent = 150 WHERE ref = '1.2'")
    connection.commit()
    connection.close()
    return plan


def test_check_lists_each_problem_on_its_own_line(
    inconsistent_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(inconsistent_plan)
    assert main(["check", str(inconsistent_plan)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 2, captured.out
    assert all(line.startswith(f"{inconsistent_plan.name}: ") for line in lines)
    assert any("1.1" in line and "before it starts" in line for line in lines)
    assert any("1.2" in line and "150%" in line for line in lines)
    assert "2 problem(s)" in captured.err
    assert "Traceback" not in captured.err
    assert fingerprint(inconsistent_plan) == before


def test_check_reports_money_and_measures_that_do_not_add_up(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(plan)
    connection.execute(
        "UPDATE budget_line SET spent = 1300000 WHERE year = 2013"
        " AND action_id = (SELECT id FROM action WHERE ref = '3.4')"
    )
    connection.execute(
        "UPDATE measure_value SET target = NULL WHERE measure_id ="
        " (SELECT id FROM measure WHERE name = 'Savings from shared ICT services')"
    )
    connection.commit()
    connection.close()
    assert main(["check", str(plan)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{plan.name}: Measure 'Savings from shared ICT services' has no target for any period.",
        f"{plan.name}: Action 3.4 has spent £1,300,000 of its 2013/14 budget of £1,200,000: "
        "£100,000 over.",
    ]
    assert "2 problem(s)" in captured.err


def test_check_as_a_separate_process(inconsistent_plan: Path, tmp_path: Path) -> None:
    result = run_module("check", str(inconsistent_plan), cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 2
    assert "Traceback" not in result.stderr


def test_check_refuses_a_file_that_is_not_a_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.plan"
    path.write_text("Just some notes\n", "utf-8")
    before = fingerprint(path)
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    line = assert_one_line_refusal(captured.err)
    assert path.name in line
    assert "not a plan file" in line
    assert captured.out == ""
    assert fingerprint(path) == before


def test_check_reports_a_damaged_plan(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _scribble_on_page(plan, _root_page(plan, "milestone"))
    before = fingerprint(plan)
    assert main(["check", str(plan)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{plan.name}: ")
    assert "no problems" not in captured.out
    assert "Traceback" not in captured.err
    assert fingerprint(plan) == before


# ----- refusals through info ---------------------------------------------------------------


def _scribble_on_page(path: Path, page_number: int) -> None:
    data = bytearray(path.read_bytes())
    start = (page_number - 1) * PAGE
    assert PAGE <= start < len(data) - PAGE
    data[start : start + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))


def _root_page(path: Path, name: str) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(
            connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
            ).fetchone()[0]
        )
    finally:
        connection.close()


def _text(folder: Path, template: Path) -> Path:
    path = folder / "minutes.plan"
    path.write_text("Minutes of the partnership board\n", "utf-8")
    return path


def _empty(folder: Path, template: Path) -> Path:
    path = folder / "empty.plan"
    path.touch()
    return path


def _other_database(folder: Path, template: Path) -> Path:
    path = folder / "contacts.plan"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    return path


def _truncated(folder: Path, template: Path) -> Path:
    path = folder / "half.plan"
    data = template.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _damaged(folder: Path, template: Path) -> Path:
    path = folder / "damaged.plan"
    shutil.copyfile(template, path)
    _scribble_on_page(path, len(path.read_bytes()) // PAGE // 2)
    return path


def _damaged_index(folder: Path, template: Path) -> Path:
    path = folder / "damaged-index.plan"
    shutil.copyfile(template, path)
    _scribble_on_page(path, _root_page(path, "ix_milestone_due"))
    return path


def _newer(folder: Path, template: Path) -> Path:
    path = folder / "newer.plan"
    shutil.copyfile(template, path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    return path


def _missing(folder: Path, template: Path) -> Path:
    return folder / "missing.plan"


def _folder(folder: Path, template: Path) -> Path:
    path = folder / "folder.plan"
    path.mkdir()
    return path


REFUSALS: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("text file", _text, "not a plan file"),
    ("zero bytes", _empty, "empty"),
    ("another database", _other_database, "not a Strategy Planner plan"),
    ("truncated", _truncated, "damaged"),
    ("damaged middle page", _damaged, "damaged"),
    ("damaged index page", _damaged_index, "damaged"),
    ("newer version", _newer, "newer version"),
    ("missing", _missing, "There is no file"),
    ("folder", _folder, "folder"),
]


@pytest.mark.parametrize(
    ("maker", "words"),
    [pytest.param(maker, words, id=name) for name, maker, words in REFUSALS],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_info_refuses_with_one_line_and_exit_2(
    maker: Callable[[Path, Path], Path],
    words: str,
    json_flag: list[str],
    tmp_path: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    path = maker(folder, template)
    before = fingerprint(path)
    assert main(["info", str(path), *json_flag]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = assert_one_line_refusal(captured.err)
    assert path.name in line
    assert words in line
    assert fingerprint(path) == before
    assert working_files(data_dir) == []


@pytest.mark.parametrize(
    ("maker", "words"),
    [(_text, "not a plan file"), (_truncated, "damaged"), (_newer, "newer version")],
    ids=["text file", "truncated", "newer version"],
)
def test_info_refusal_as_a_separate_process(
    maker: Callable[[Path, Path], Path], words: str, tmp_path: Path, template: Path
) -> None:
    path = maker(tmp_path, template)
    before = fingerprint(path)
    result = run_module("info", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    line = assert_one_line_refusal(result.stderr)
    assert words in line
    assert fingerprint(path) == before


# ----- version and the app entry -------------------------------------------------------------


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"{APP_NAME} {__version__}"


def test_version_as_a_separate_process(tmp_path: Path) -> None:
    result = run_module("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"
    assert __version__ in result.stdout
