"""The board report's PDF as a reader sees it beyond the page: its document properties
(title, author, subject and protective marking, read with pdfinfo and pypdf), its
bookmarks (one per section, in order, each opening its section's first page), milestone
names, notes and commentary printed in full rather than cut short with "…", a row
taller than a page carried on to the next page inside the body, and a report that fails
while its bookmarks are added leaving no file behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

import planner.io.report.render as render_module
from planner.cli import main
from planner.io.report import ReportOptions, gather_report, render_report
from planner.io.sample import write_sample
from planner.store.models import Milestone
from planner.store.planfile import PlanFile

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="pdftotext and pdfinfo (poppler-utils) are not installed",
)

SAMPLE_JSON = Path(__file__).resolve().parents[2] / "resources" / "sample" / "northshire.json"
SECTIONS = [
    "Cover",
    "Strategy on a page",
    "Outcomes",
    "Benefits",
    "Budget",
    "Exceptions",
    "Milestones",
    "Timeline",
]
STATUS_DATE = date(2013, 12, 31)
NEXT_QUARTER_END = date(2014, 3, 31)
MM = 72 / 25.4  # PDF points in a millimetre


def words(text: str) -> str:
    return " ".join(text.split())


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def raw_pages(path: Path) -> list[str]:
    """The text of each page in the order it was painted: a wrapped cell's lines follow
    one another, as in the table."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def section_text(path: Path, first: int, last: int) -> str:
    """Pages first..last (from 1) as one line of words."""
    return words(" ".join(raw_pages(path)[first - 1 : last]))


@pytest.fixture(scope="module", autouse=True)
def application(qapp: Any) -> Any:
    return qapp


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-metadata")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


def write(plan: Path, out: Path, options: ReportOptions | None = None) -> Path:
    with (
        PlanFile.open(plan, read_only=True, data_dir=plan.parent / "user-data") as plan_file,
        plan_file.Session() as session,
    ):
        content = gather_report(session, plan_file.plan_id, options or ReportOptions())
    render_report(content, out)
    return out


@pytest.fixture(scope="module")
def report(sample: Path) -> Path:
    return write(sample, sample.parent / "board report.pdf", ReportOptions(author="Helen Ashworth"))


@pytest.fixture(scope="module")
def outline(report: Path) -> list[tuple[str, int]]:
    reader = PdfReader(report)
    return [
        (item.title, reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def sample_milestones_in_the_report() -> list[dict[str, Any]]:
    """The sample's open milestones due by the end of the next quarter: the ones the
    report's milestone tables list."""
    plan = json.loads(SAMPLE_JSON.read_text("utf-8"))
    return [
        milestone
        for theme in plan["themes"]
        for action in theme["actions"]
        for milestone in action.get("milestones", [])
        if not milestone.get("completed")
        and milestone.get("due")
        and date.fromisoformat(milestone["due"]) <= NEXT_QUARTER_END
    ]


# ----- document properties --------------------------------------------------------------


def test_the_pdf_names_its_title_author_subject_and_marking(report: Path) -> None:
    info = pdfinfo(report)
    assert info["Title"] == "Planting the Flag in Northshire: Partnership Delivery Plan 2011-2015"
    assert info["Author"] == "Helen Ashworth"
    assert info["Creator"] == "Strategy Planner"
    assert info["Subject"].startswith("Board report, position at 31/12/2013")
    assert "OFFICIAL" in info["Subject"]
    assert info["Keywords"].split("; ")[0] == "OFFICIAL"


def test_the_xmp_metadata_says_the_same(report: Path) -> None:
    xmp = PdfReader(report).xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {
        "x-default": "Planting the Flag in Northshire: Partnership Delivery Plan 2011-2015"
    }
    assert xmp.dc_creator == ["Helen Ashworth"]
    assert xmp.dc_description is not None
    assert "OFFICIAL" in xmp.dc_description["x-default"]
    assert xmp.pdf_keywords is not None and xmp.pdf_keywords.startswith("OFFICIAL")


def test_a_marking_chosen_for_the_report_is_in_its_properties(sample: Path, tmp_path: Path) -> None:
    out = write(
        sample,
        tmp_path / "sensitive.pdf",
        ReportOptions(protective_marking="Official-Sensitive", author="Neil Fairbrother"),
    )
    info = pdfinfo(out)
    assert "OFFICIAL-SENSITIVE" in info["Subject"]
    assert info["Keywords"].startswith("OFFICIAL-SENSITIVE; ")
    assert info["Author"] == "Neil Fairbrother"


def test_the_command_line_names_the_officer_given_with_by(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "by.pdf"
    assert main(["report", str(sample), str(out), "--by", "Sarah Whitfield"]) == 0
    assert pdfinfo(out)["Author"] == "Sarah Whitfield"


def test_the_command_line_names_the_officer_from_planner_user(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_USER", "Gareth Lloyd")
    out = tmp_path / "env.pdf"
    assert main(["report", str(sample), str(out)]) == 0
    assert pdfinfo(out)["Author"] == "Gareth Lloyd"


# ----- bookmarks -------------------------------------------------------------------------


def test_every_section_is_a_bookmark_in_order(report: Path, outline: list[tuple[str, int]]) -> None:
    assert [title for title, _ in outline] == SECTIONS
    pages = [page for _, page in outline]
    assert pages[0] == 1 and pages == sorted(pages)
    assert pages[-1] <= int(pdfinfo(report)["Pages"])


def test_each_bookmark_opens_its_sections_first_page(
    report: Path, outline: list[tuple[str, int]]
) -> None:
    """The running header names the section of each page: a bookmark's page is the first
    that names it."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(report), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heads = [page.strip().splitlines()[0].rstrip() for page in text.split("\f") if page.strip()]
    for title, number in outline[1:]:
        assert heads[number - 1].endswith(title), (title, heads[number - 1])
        assert not heads[number - 2].endswith(title), title


def test_the_reader_opens_with_the_bookmarks_shown(report: Path) -> None:
    assert PdfReader(report).page_mode == "/UseOutlines"


# ----- nothing cut short -----------------------------------------------------------------


def test_the_longest_milestone_names_and_notes_appear_in_full(
    report: Path, outline: list[tuple[str, int]]
) -> None:
    listed = sample_milestones_in_the_report()
    assert len(listed) >= 10
    first = dict(outline)["Milestones"]
    last = dict(outline)["Timeline"] - 1
    text = section_text(report, first, last)
    titles = sorted((m["title"] for m in listed), key=len, reverse=True)
    notes = sorted((m["note"] for m in listed if m.get("note")), key=len, reverse=True)
    assert len(words(titles[0])) > 60 and len(words(notes[0])) > 90  # would not fit a line
    for wanted in titles[:4] + notes[:4]:
        assert words(wanted) in text, wanted
    for milestone in listed:
        assert words(milestone["title"]) in text, milestone["title"]
        if milestone.get("note"):
            assert words(milestone["note"]) in text, milestone["note"]


def test_the_tables_cut_nothing_short(report: Path, outline: list[tuple[str, int]]) -> None:
    first = dict(outline)["Exceptions"]
    last = dict(outline)["Timeline"] - 1
    text = section_text(report, first, last)
    assert "…" not in text and "..." not in text
    assert "integration with the education management system" in text


def test_a_row_taller_than_a_page_carries_on_inside_the_body(tmp_path: Path) -> None:
    plan = tmp_path / "long note.plan"
    write_sample(plan, data_dir=tmp_path / "user-data").close()
    tokens = [f"step{number:03d}" for number in range(1, 701)]
    with PlanFile.open(plan, data_dir=tmp_path / "user-data") as plan_file:
        with plan_file.Session() as session:
            milestone = session.scalars(
                select(Milestone)
                .where(Milestone.completed_on.is_(None), Milestone.due < STATUS_DATE)
                .order_by(Milestone.due)
            ).first()
            assert milestone is not None
            milestone.note = "Progress so far: " + " ".join(tokens)
            session.commit()
        plan_file.save()
    out = write(plan, tmp_path / "long note.pdf")
    reader = PdfReader(out)
    starts = {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    text = section_text(out, starts["Milestones"], starts["Timeline"] - 1)
    assert re.findall(r"step\d{3}", text) == tokens  # every word, in order, once
    assert starts["Timeline"] - starts["Milestones"] >= 3
    # Every word of the note lies between the running header's rule and the footer's.
    found = word_boxes(out)
    assert set(found) >= set(tokens)
    height = 210 * MM
    for token in tokens:
        y_min, y_max = found[token]
        assert y_min > 24 * MM and y_max < height - 20 * MM, (token, y_min, y_max)


def word_boxes(path: Path) -> dict[str, tuple[float, float]]:
    """Each word's top and bottom (points from the page's top), from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>'
    return {word: (float(top), float(bottom)) for top, bottom, word in re.findall(pattern, html)}


# ----- written whole or not at all --------------------------------------------------------


def test_a_failure_while_adding_bookmarks_leaves_no_file(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render_module, "add_subject_and_bookmarks", broken)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Exception, match="could not be written"):
        write(sample, folder / "report.pdf")
    assert os.listdir(folder) == []


def test_the_timeline_shows_every_action_title_in_full(
    report: Path, outline: list[tuple[str, int]]
) -> None:
    plan = json.loads(SAMPLE_JSON.read_text("utf-8"))
    titles = [action["title"] for theme in plan["themes"] for action in theme["actions"]]
    text = section_text(report, dict(outline)["Timeline"], int(pdfinfo(report)["Pages"]))
    assert "…" not in text
    for title in titles:
        assert words(title) in text, title
    assert "status date 31/12/2013" in text  # the legend's last entry, on the page


def test_strategy_on_a_page_shows_every_action_title_in_full_on_one_page(
    report: Path, outline: list[tuple[str, int]]
) -> None:
    plan = json.loads(SAMPLE_JSON.read_text("utf-8"))
    titles = [action["title"] for theme in plan["themes"] for action in theme["actions"]]
    first = dict(outline)["Strategy on a page"]
    assert dict(outline)["Outcomes"] == first + 1  # the picture still fits one page
    text = section_text(report, first, first)
    assert "…" not in text
    for title in titles:
        assert words(title) in text, title
