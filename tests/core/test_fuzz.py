"""Hostile input, fuzzed: mutated plan files given to open, info and check; mutated and
crafted workbooks given to import. Never a traceback, a hang over 5 s, a change to the
input or to the plan, or code run from the file.

Seeded and bounded here (PLANNER_FUZZ_CASES cases of each kind, default 30); run
`python bench/fuzz.py` for a longer run with new seeds."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import shutil
import signal
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.errors import PlannerError, UnexpectedSchemaError
from planner.io.sample import write_sample
from planner.store.planfile import PlanFile

CASES = int(os.environ.get("PLANNER_FUZZ_CASES", "30"))
SEED = int(os.environ.get("PLANNER_FUZZ_SEED", "8"))
LIMIT = 5.0  # seconds any one step may take


@contextlib.contextmanager
def time_limit(seconds: float = LIMIT) -> Iterator[None]:
    """Fail a step that runs longer than `seconds` instead of hanging the suite."""

    def expired(*_args: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds * 2)
    started = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.perf_counter() - started < seconds


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: object) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), time_limit():
        code = main([str(arg) for arg in args])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


# ----- plan files ------------------------------------------------------------------------


def mutate_plan(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    kind = rng.choice(["flip", "flip", "flip", "truncate", "page", "append", "header"])
    if kind == "flip":
        for _ in range(rng.randint(1, 40)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del out[rng.randrange(len(out)) :]
    elif kind == "page":
        page = rng.randrange(len(out) // 4096) * 4096
        out[page : page + 4096] = rng.randbytes(4096)
    elif kind == "append":
        out += rng.randbytes(rng.randint(1, 10000))
    else:
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(100)] = rng.randrange(256)
    return bytes(out)


def assert_handled(path: Path) -> None:
    """open, info and check each end in a sentence or a result, never a traceback; the
    file and its folder are as they were."""
    before = digest(path)
    listing = sorted(os.listdir(path.parent))
    for command in ("info", "check"):
        code, output = run_cli(command, path)
        assert code in (0, 1, 2), output
        assert "Traceback" not in output
    try:
        with time_limit():
            plan_file = PlanFile.open(path, recovery="discard")
            plan_file.close(discard=True)
    except PlannerError as error:
        assert "\n" not in str(error)
    assert digest(path) == before
    assert sorted(os.listdir(path.parent)) == listing


@pytest.mark.parametrize("case", range(CASES))
def test_a_mutated_plan_file_is_refused_or_read_never_crashing(
    case: int, template: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED * 100_003 + case)
    path = tmp_path / "mutated.plan"
    path.write_bytes(mutate_plan(template.read_bytes(), rng))
    assert_handled(path)


HOSTILE_SCHEMA = {
    "trigger": "CREATE TRIGGER steal AFTER UPDATE ON plan BEGIN "
    "UPDATE plan SET title = 'taken over'; END",
    "view": "CREATE VIEW action_list AS SELECT * FROM action",
    "table": "CREATE TABLE payload (code TEXT)",
    "index": "CREATE INDEX ix_sneaky ON action (title)",
    "trigger on a view": "CREATE VIEW v AS SELECT 1 AS x; "
    "CREATE TRIGGER t INSTEAD OF INSERT ON v BEGIN DELETE FROM action; END",
}


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("milestone", "due", "2012-p1-09"),  # a flipped byte in a date (found by the long run)
        ("action", "start", "2012-13-40"),
        ("plan", "created_at", "yesterday"),
        ("action", "position", "first"),
    ],
)
def test_a_value_of_the_wrong_kind_is_damage_not_a_crash(
    template: Path, tmp_path: Path, table: str, column: str, value: str
) -> None:
    path = tmp_path / "damaged.plan"
    shutil.copyfile(template, path)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = 1', (value,))
        connection.commit()
    before = path.read_bytes()
    code, output = run_cli("info", path)
    assert code == 2 and output.startswith("planner: ") and "damaged" in output, output
    code, output = run_cli("check", path)  # check lists what it found and exits 1
    assert code == 1 and f"the {table} table holds a value of the wrong kind" in output, output
    with pytest.raises(PlannerError, match="damaged"):
        PlanFile.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("extra", list(HOSTILE_SCHEMA))
def test_a_plan_with_extra_triggers_views_or_tables_is_refused_unread(
    extra: str, template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "altered.plan"
    shutil.copyfile(template, path)
    connection = sqlite3.connect(path)
    connection.executescript(HOSTILE_SCHEMA[extra])
    connection.close()
    before = digest(path)
    with pytest.raises(UnexpectedSchemaError) as refused:
        PlanFile.open(path)
    assert "altered by another program" in str(refused.value)
    assert path.name in str(refused.value)
    for command in ("info", "check", "export"):
        args = [command, path] + ([tmp_path / "out.xlsx"] if command == "export" else [])
        code, output = run_cli(*args)
        assert code == 2 and output.startswith("planner: ") and output.count("\n") == 1
    assert digest(path) == before
    assert not (tmp_path / "out.xlsx").exists()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert connection.execute("SELECT title FROM plan").fetchone()[0] != "taken over"
    assert connection.execute("SELECT count(*) FROM action").fetchone()[0] > 0
    connection.close()


# ----- workbooks -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "returned.xlsx"
    assert run_cli("export", template, out)[0] == 0
    return out


def mutate_zip_member(data: bytes, rng: random.Random) -> bytes:
    """Flip bytes inside one unpacked part, then pack it again (CRCs stay valid)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [name for name in source.namelist() if name.endswith(".xml")]
    target = rng.choice(names)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in source.infolist():
            content = bytearray(source.read(info.filename))
            if info.filename == target and content:
                for _ in range(rng.randint(1, 30)):
                    content[rng.randrange(len(content))] = rng.randrange(32, 127)
            new.writestr(info, bytes(content))
    return buffer.getvalue()


ODD_VALUES = [
    '=HYPERLINK("http://example.invalid")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "x" * 40_000,
    "\u202e\ufeff\u200b",
    -1,
    10**30,
    1e308,
    "31/02/2013",
    "Purple",
    "",
    None,
    True,
]


def craft_cells(path: Path, out: Path, rng: random.Random) -> None:
    workbook = load_workbook(path)
    for name in ("Actions", "Milestones"):
        sheet = workbook[name]
        for _ in range(rng.randint(1, 12)):
            row = rng.randint(1, sheet.max_row + 2)
            column = rng.randint(1, sheet.max_column + 1)
            sheet.cell(row, column).value = rng.choice(ODD_VALUES)
    workbook.save(out)


@pytest.mark.parametrize("case", range(CASES))
def test_a_mutated_or_crafted_workbook_is_refused_or_previewed_never_crashing(
    case: int, template: Path, exported: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED * 200_003 + case)
    plan = tmp_path / "northshire.plan"
    shutil.copyfile(template, plan)
    returned = tmp_path / "returned.xlsx"
    kind = ("bytes", "part", "cells")[case % 3]
    if kind == "bytes":
        data = bytearray(exported.read_bytes())
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        returned.write_bytes(bytes(data))
    elif kind == "part":
        returned.write_bytes(mutate_zip_member(exported.read_bytes(), rng))
    else:
        craft_cells(exported, returned, rng)
    plan_before, workbook_before = digest(plan), digest(returned)
    code, output = run_cli("import", plan, returned, "--from", "Claire Dobson")
    assert code in (0, 2), output
    assert "Traceback" not in output
    if code == 2:
        assert output.startswith("planner: ") and output.count("\n") == 1
    assert digest(plan) == plan_before
    assert digest(returned) == workbook_before
    assert sorted(os.listdir(tmp_path)) == ["northshire.plan", "returned.xlsx", "user-data"]
