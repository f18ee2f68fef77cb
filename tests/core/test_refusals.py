"""Files that are not (sound) plans are refused with a clear sentence and left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.errors import NewerVersionError, NotAPlanError, PlanFileError
from planner.io.sample import write_sample
from planner.store.planfile import PlanFile, find_recovery
from planner.store.schema import SCHEMA_VERSION

PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Read-only opens use a temporary folder; keep it where leftovers can be seen."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# ----- the bad files -------------------------------------------------------------------


def _copy(template: Path, folder: Path, name: str = "plan.plan") -> Path:
    path = folder / name
    shutil.copyfile(template, path)
    return path


def _page_of(path: Path, sql: str) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _scribble_on_page(path: Path, page_number: int) -> None:
    data = bytearray(path.read_bytes())
    assert PAGE < (page_number - 1) * PAGE < len(data) - PAGE, "not a middle page"
    start = (page_number - 1) * PAGE
    data[start : start + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))


def text_file(folder: Path, template: Path) -> Path:
    path = folder / "minutes.plan"
    path.write_text("Theme,Action,Lead\n1,Reduce reoffending,Chief Inspector\n", "utf-8")
    return path


def zero_bytes(folder: Path, template: Path) -> Path:
    path = folder / "empty.plan"
    path.write_bytes(b"")
    return path


def header_only(folder: Path, template: Path) -> Path:
    path = folder / "stub.plan"
    path.write_bytes(template.read_bytes()[:40])
    return path


def other_database(folder: Path, template: Path) -> Path:
    path = folder / "contacts.plan"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO contact (name) VALUES ('Pat Smith')")
    connection.commit()
    connection.close()
    return path


def truncated(folder: Path, template: Path) -> Path:
    path = folder / "half.plan"
    data = template.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def damaged_middle_page(folder: Path, template: Path) -> Path:
    path = _copy(template, folder, "damaged.plan")
    pages = len(path.read_bytes()) // PAGE
    _scribble_on_page(path, pages // 2)
    return path


def damaged_table_page(folder: Path, template: Path) -> Path:
    path = _copy(template, folder, "damaged-table.plan")
    _scribble_on_page(
        path, _page_of(path, "SELECT rootpage FROM sqlite_master WHERE name='action'")
    )
    return path


def damaged_index_page(folder: Path, template: Path) -> Path:
    path = _copy(template, folder, "damaged-index.plan")
    page = _page_of(path, "SELECT rootpage FROM sqlite_master WHERE name='ix_milestone_due'")
    _scribble_on_page(path, page)
    return path


def newer_version(folder: Path, template: Path) -> Path:
    path = _copy(template, folder, "from-the-future.plan")
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    return path


def holds_no_plan(folder: Path, template: Path) -> Path:
    path = _copy(template, folder, "hollow.plan")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")  # take everything in the plan with it
    connection.execute("DELETE FROM plan")
    connection.commit()
    connection.close()
    return path


def missing(folder: Path, template: Path) -> Path:
    return folder / "not-there.plan"


def a_folder(folder: Path, template: Path) -> Path:
    path = folder / "looks-like-a.plan"
    path.mkdir()
    (path / "inside.txt").write_text("x", "utf-8")
    return path


Maker = Callable[[Path, Path], Path]

# (make the file, the error expected, words the message must contain)
CASES: dict[str, tuple[Maker, type[PlanFileError], tuple[str, ...]]] = {
    "text file": (text_file, NotAPlanError, ("not a plan file",)),
    "zero bytes": (zero_bytes, NotAPlanError, ("empty", "0 bytes")),
    "only a header": (header_only, NotAPlanError, ("damaged", "cut short")),
    "another database": (other_database, NotAPlanError, ("not a Strategy Planner plan",)),
    "truncated": (truncated, NotAPlanError, ("damaged", "cut short")),
    "damaged middle page": (damaged_middle_page, NotAPlanError, ("damaged",)),
    "damaged table page": (damaged_table_page, NotAPlanError, ("damaged",)),
    "damaged index page": (damaged_index_page, NotAPlanError, ("damaged",)),
    "newer version": (newer_version, NewerVersionError, ("newer version", "update")),
    "holds no plan": (holds_no_plan, NotAPlanError, ("holds no plan",)),
    "missing": (missing, PlanFileError, ("There is no file",)),
    "folder": (a_folder, NotAPlanError, ("is a folder",)),
}


def snapshot(path: Path) -> object:
    """Everything a user could notice about `path`: content, time, size, or absence."""
    if not path.exists():
        return "absent"
    info = path.stat()
    if path.is_dir():
        return ("folder", sorted(p.name for p in path.iterdir()), info.st_mtime_ns)
    return (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns, info.st_size)


def leftovers(data_dir: Path, temp: Path) -> list[Path]:
    return sorted(
        p for folder in (data_dir / "working", temp) if folder.exists() for p in folder.iterdir()
    )


def open_normally(path: Path) -> PlanFile:
    return PlanFile.open(path)


def open_read_only(path: Path) -> PlanFile:
    return PlanFile.open(path, read_only=True)


OPENERS = {"open": open_normally, "open read-only": open_read_only}


# ----- the tests ---------------------------------------------------------------------------


def _refusal_params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        for mode in OPENERS:
            params.append(pytest.param(case, mode, id=f"{case}-{mode}"))
    return params


@pytest.mark.parametrize(("case", "mode"), _refusal_params())
def test_refused_with_a_clear_message_and_the_file_untouched(
    case: str,
    mode: str,
    tmp_path: Path,
    template: Path,
    data_dir: Path,
    private_temp: Path,
) -> None:
    make, error_type, words = CASES[case]
    folder = tmp_path / "docs"
    folder.mkdir()
    path = make(folder, template)
    before = snapshot(path)
    listing = sorted(os.listdir(folder))
    with pytest.raises(error_type) as caught:
        OPENERS[mode](path)
    message = str(caught.value)
    assert path.name in message
    for word in words:
        assert word in message
    assert "Traceback" not in message
    assert snapshot(path) == before
    assert sorted(os.listdir(folder)) == listing  # nothing created beside it
    assert leftovers(data_dir, private_temp) == []


@pytest.mark.parametrize("mode", OPENERS)
def test_refusal_of_a_plan_with_no_plan_row_names_the_problem(
    mode: str, tmp_path: Path, template: Path
) -> None:
    path = holds_no_plan(tmp_path, template)
    before = snapshot(path)
    with pytest.raises(NotAPlanError, match="holds no plan") as caught:
        OPENERS[mode](path)
    assert path.name in str(caught.value)
    assert snapshot(path) == before


def test_refused_older_file_does_not_claim_unsaved_changes_next_time(
    tmp_path: Path, template: Path
) -> None:
    if SCHEMA_VERSION < 1:
        pytest.skip("no older file format exists")
    released = Path(__file__).parent / "data" / "plans" / f"schema-v{SCHEMA_VERSION - 1}.plan"
    path = holds_no_plan(tmp_path, released)
    for _ in range(2):
        with pytest.raises(NotAPlanError, match="holds no plan"):
            PlanFile.open(path)
    assert find_recovery(path) is None


@pytest.mark.parametrize("case", list(CASES))
def test_refusal_message_is_one_plain_sentence(case: str, tmp_path: Path, template: Path) -> None:
    make, error_type, _ = CASES[case]
    path = make(tmp_path, template)
    with pytest.raises(error_type) as caught:
        PlanFile.open(path, read_only=True)
    message = str(caught.value)
    assert "\n" not in message
    assert "***" not in message
    assert "btree" not in message.lower()


def test_opening_a_refused_file_twice_gives_the_same_answer(tmp_path: Path, template: Path) -> None:
    path = damaged_middle_page(tmp_path, template)
    messages = []
    for _ in range(2):
        with pytest.raises(NotAPlanError) as caught:
            PlanFile.open(path)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_a_good_copy_of_the_template_opens(tmp_path: Path, template: Path) -> None:
    """The refusals above come from the damage, not from the copying."""
    path = _copy(template, tmp_path)
    with PlanFile.open(path) as plan_file:
        assert plan_file.plan_id
    with PlanFile.open(path, read_only=True) as plan_file:
        assert plan_file.plan_id
