"""Names and theme numbers typed on the command line: an unknown one is refused in one
line offering the nearest names (or the plan's names and numbers), the plan untouched;
and `planner info` counts progress updates, update rounds and proposals.

Expected names and counts come from the sample's source, resources/sample/northshire.json.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.errors import PlannerError
from planner.queries import names

SAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "resources/sample/northshire.json").read_text(
        encoding="utf-8"
    )
)
PARTNERS = sorted(partner["name"] for partner in SAMPLE["partners"])
PEOPLE = sorted(person["name"] for person in SAMPLE["people"])
THEMES = sorted(theme["number"] for theme in SAMPLE["themes"])
UPDATES = sum(len(a["updates"]) for theme in SAMPLE["themes"] for a in theme["actions"])
PROPOSALS = len(SAMPLE["proposals"])


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def refusal(capsys: pytest.CaptureFixture[str]) -> str:
    said = capsys.readouterr()
    lines = said.err.splitlines()
    assert len(lines) == 1, said.err
    assert lines[0].startswith("planner: ") and "Traceback" not in said.err
    return lines[0].removeprefix("planner: ")


def test_the_sample_is_what_these_tests_expect() -> None:
    assert "Northshire College" in PARTNERS and "Helen Ashworth" in PEOPLE
    assert len(PARTNERS) <= names.LIST_AT_MOST < len(PEOPLE)  # partners listed, people not
    assert list(range(1, len(THEMES) + 1)) == THEMES


UNKNOWN = [
    (
        "--partner",
        "Northshire Collage",
        "There is no partner body called 'Northshire Collage' in this plan. "
        "Did you mean 'Northshire College'?",
    ),
    (  # a short name begun: NColl is the college's short name
        "--partner",
        "NCol",
        "There is no partner body called 'NCol' in this plan. Did you mean 'Northshire College'?",
    ),
    (
        "--partner",
        "Northshire Polce",
        "There is no partner body called 'Northshire Polce' in this plan. "
        "Did you mean 'Northshire Police / Office of the PCC'?",
    ),
    (
        "--partner",
        "Nobody Council",
        "There is no partner body called 'Nobody Council' in this plan. Its partner bodies "
        "are " + ", ".join(f"'{n}'" for n in PARTNERS[:-1]) + f" and '{PARTNERS[-1]}'.",
    ),
    (
        "--person",
        "Helen Ashwort",
        "There is no person called 'Helen Ashwort' in this plan. Did you mean 'Helen Ashworth'?",
    ),
    (  # a surname alone
        "--person",
        "Whitfield",
        "There is no person called 'Whitfield' in this plan. Did you mean 'Sarah Whitfield'?",
    ),
    (
        "--person",
        "Zebedee Quill",
        "There is no person called 'Zebedee Quill' in this plan. It has "
        f"{len(PEOPLE)} people; the People tab in the app lists them.",
    ),
    (
        "--theme",
        str(max(THEMES) + 2),
        f"There is no theme {max(THEMES) + 2} in this plan; its themes are "
        f"{min(THEMES)} to {max(THEMES)}.",
    ),
]


@pytest.mark.parametrize(
    ("command", "option", "typed", "message"),
    [("export", *case) for case in UNKNOWN]
    # the report is sliced by partner body or theme only
    + [("report", *case) for case in UNKNOWN if case[0] != "--person"],
)
def test_an_unknown_name_is_refused_with_the_nearest_names(
    command: str,
    option: str,
    typed: str,
    message: str,
    sample_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / ("out.xlsx" if command == "export" else "out.pdf")
    before = fingerprint(sample_path)
    assert main([command, str(sample_path), str(out), option, typed]) == 2
    assert refusal(capsys) == message
    assert fingerprint(sample_path) == before
    assert not out.exists()


@pytest.mark.parametrize("typed", ["NColl", "northshire college", "  Northshire   College "])
def test_a_name_or_short_name_in_any_case_is_found(
    typed: str, sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "college.xlsx"
    assert main(["export", str(sample_path), str(out), "--partner", typed]) == 0
    assert out.exists() and capsys.readouterr().err == ""


def test_import_refuses_a_near_miss_of_a_persons_name_in_from(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = tmp_path / "college.xlsx"
    assert main(["export", str(sample_path), str(sent), "--partner", "Northshire College"]) == 0
    capsys.readouterr()
    before = fingerprint(sample_path)
    argv = ["import", str(sample_path), str(sent), "--from", "Ian Marsdon", "--apply"]
    assert main(argv) == 2
    assert refusal(capsys) == (
        "There is no person called 'Ian Marsdon' in this plan. Did you mean 'Ian Marsden'?"
    )
    assert fingerprint(sample_path) == before


def test_import_from_someone_outside_the_plan_is_accepted(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whoever sent a copy back need not be in the plan: a name close to no one's is
    recorded as typed."""
    sent = tmp_path / "college.xlsx"
    assert main(["export", str(sample_path), str(sent), "--partner", "Northshire College"]) == 0
    assert main(["import", str(sample_path), str(sent), "--from", "Jo Bloggs"]) == 0
    assert capsys.readouterr().err == ""


def test_the_core_raises_a_planner_error_the_app_can_show(sample_plan: Any) -> None:
    with sample_plan.Session() as session:
        plan_id = sample_plan.plan_id
        assert len(names.partner_ids(session, plan_id, "ncc")) == 1
        assert len(names.person_ids(session, plan_id, "HELEN ASHWORTH")) == 1
        assert names.theme_id(session, plan_id, THEMES[0]) > 0
        with pytest.raises(PlannerError, match="Did you mean 'Northshire College'"):
            names.partner_ids(session, plan_id, "Northshire Colege")
        with pytest.raises(PlannerError, match=r"its themes are 1 to \d+\.$"):
            names.theme_id(session, plan_id, 0)


def test_theme_numbers_with_gaps_are_listed(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(sample_path)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("DELETE FROM action WHERE theme_id = (SELECT id FROM theme WHERE number=2)")
    connection.execute("DELETE FROM theme WHERE number = 2")
    connection.commit()
    connection.close()
    left = [n for n in THEMES if n != 2]
    assert main(["export", str(sample_path), str(tmp_path / "x.xlsx"), "--theme", "2"]) == 2
    listed = ", ".join(str(n) for n in left[:-1]) + f" and {left[-1]}"
    assert refusal(capsys) == f"There is no theme 2 in this plan; its themes are {listed}."


# ----- info ------------------------------------------------------------------------------


def info_json(plan: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["info", str(plan), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_info_counts_progress_updates_rounds_and_proposals(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = info_json(sample_path, capsys)
    # the keys info printed before stay as they were
    assert {"title", "plan_id", "status_date", "schema_version", "counts"} <= data.keys()
    assert data["proposals_waiting"] == PROPOSALS
    assert data["progress_updates"] == UPDATES
    assert data["update_rounds"] == 0  # the sample has started none
    assert data["proposals"] == PROPOSALS

    folder = tmp_path / "Q3 round"
    assert main(["round", "start", str(sample_path), str(folder), "--by", "partner"]) == 0
    assert info_json(sample_path, capsys)["update_rounds"] == 1

    assert main(["info", str(sample_path)]) == 0
    shown = capsys.readouterr().out
    assert f"progress updates {UPDATES}" in shown
    assert f"Update rounds 1, proposals {PROPOSALS}" in shown
    assert f"Proposals waiting for review: {PROPOSALS}" in shown
