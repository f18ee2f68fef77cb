"""A round's folder is created when missing; where it cannot be, one sentence says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    plan = tmp_path / "northshire.plan"
    assert main(["sample", str(plan)]) == 0
    return plan


def test_round_start_creates_a_missing_folder(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rounds" / "Q3 round"
    code = main(["round", "start", str(sample), str(folder), "--by", "partner"])
    assert code == 0
    assert sorted(folder.glob("*.xlsx"))


def test_round_start_into_a_file_says_so(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "Q3 round"
    blocker.write_text("not a folder")
    before = sample.read_bytes()
    code = main(["round", "start", str(sample), str(blocker), "--by", "partner"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "is a file, not a folder" in err
    assert sample.read_bytes() == before
