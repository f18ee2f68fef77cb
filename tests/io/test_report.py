"""The board report (PDF), read back as a reader would with `pdftotext -layout`: the
cover, the marking and "Page N of M" on every page, every red and amber action in the
exceptions with its direction of travel, the overdue milestones, theme names on every
timeline page, a partner's slice holding only their actions; the command line's
refusals; a cancelled report leaving nothing behind; and the File menu action."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.io.excel import ExportSlice
from planner.io.report import ReportCancelled, ReportOptions, gather_report, render_report
from planner.io.report.content import next_quarter
from planner.io.sample import write_sample
from planner.queries import action_rows, milestone_rows
from planner.queries.detail import action_detail
from planner.queries.lookups import partner_choices, plan_header
from planner.store.planfile import PlanFile

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils",
)

POLICE = "Northshire Police / Office of the PCC"
TRAVEL_WORDS = {"improved": "Improved", "same": "Same", "worse": "Worse"}


# ----- reading a PDF back --------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def section_pages(pages: list[str], section: str) -> list[str]:
    """Pages whose running header names `section` (it ends the header's first line)."""
    return [page for page in pages if page.strip().splitlines()[0].rstrip().endswith(section)]


def row_refs(page: str) -> set[str]:
    """Action refs that start a line: the first column of the tables and timeline rows."""
    return set(re.findall(r"^\s{0,8}(\d+\.\d+)\s", page, flags=re.MULTILINE))


def words(text: str) -> str:
    return " ".join(text.split())


# ----- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def application(qapp: Any) -> Any:
    """pytest-qt's QApplication first: the report would otherwise make a QGuiApplication,
    and widgets (the File menu test, later test files) need the full one."""
    return qapp


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-sample")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture(scope="module")
def facts(pristine: Path) -> Iterator[dict[str, Any]]:
    """What the sample holds, read through the core queries."""
    with (
        PlanFile.open(pristine, read_only=True, data_dir=pristine.parent / "user-data") as plan,
        plan.Session() as session,
    ):
        header = plan_header(session, plan.plan_id)
        actions = action_rows(session, plan.plan_id)
        police = next(c.id for c in partner_choices(session, plan.plan_id) if c.label == POLICE)
        directions = {
            a.ref: detail.updates[0].direction
            for a in actions
            if (detail := action_detail(session, plan.plan_id, a.id)) and detail.updates
        }
        yield {
            "header": header,
            "actions": actions,
            "overdue": milestone_rows(
                session, plan.plan_id, due_to=header.status_date, open_only=True
            ),
            "police": police,
            "directions": directions,
        }


def write(pristine: Path, out: Path, options: ReportOptions | None = None, **kw: Any) -> Path:
    with (
        PlanFile.open(pristine, read_only=True, data_dir=pristine.parent / "user-data") as plan,
        plan.Session() as session,
    ):
        content = gather_report(session, plan.plan_id, options or ReportOptions())
    render_report(content, out, **kw)
    return out


@pytest.fixture(scope="module")
def whole(pristine: Path) -> list[str]:
    return pdf_pages(write(pristine, pristine.parent / "whole plan.pdf"))


@pytest.fixture(scope="module")
def police_pages(pristine: Path, facts: dict[str, Any]) -> list[str]:
    options = ReportOptions(slice=ExportSlice(partner_ids=frozenset({facts["police"]})))
    return pdf_pages(write(pristine, pristine.parent / "police.pdf", options))


# ----- the whole plan ----------------------------------------------------------------------


def test_the_cover_names_the_plan_its_position_and_marking(
    whole: list[str], facts: dict[str, Any]
) -> None:
    cover = words(whole[0])
    header = facts["header"]
    assert "Planting the Flag in Northshire" in cover
    assert header.organisation in cover
    assert "Position at 31 December 2013" in cover
    assert "Plan period 1 April 2011 to 31 March 2015" in cover
    assert re.search(r"Produced \d{1,2} [A-Z][a-z]+ \d{4}", cover)
    assert cover.count("OFFICIAL") >= 3  # header, footer and the boxed marking
    for section in ("Strategy on a page", "Exceptions", "Milestones", "Timeline"):
        assert re.search(rf"{section} \d+", cover), section
    assert "Partner:" not in cover


def test_every_page_carries_the_marking_title_and_page_n_of_m(whole: list[str]) -> None:
    total = len(whole)
    assert 5 <= total <= 12
    for number, page in enumerate(whole, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert "OFFICIAL" in lines[0] and "OFFICIAL" in lines[-1], number
        assert "Planting the Flag in Northshire" in lines[0], number
        assert f"Page {number} of {total}" in lines[-1], number


def test_the_contents_page_numbers_point_at_the_sections(whole: list[str]) -> None:
    cover = words(whole[0])
    for section in ("Exceptions", "Milestones", "Timeline"):
        found = re.search(rf"{section} (\d+)", cover)
        assert found is not None
        page = whole[int(found[1]) - 1]
        assert page.strip().splitlines()[0].rstrip().endswith(section)


def test_strategy_on_a_page_shows_every_theme_action_and_the_rag_legend(
    whole: list[str], facts: dict[str, Any]
) -> None:
    pages = section_pages(whole, "Strategy on a page")
    assert len(pages) == 1
    text = pages[0]
    for action in facts["actions"]:
        assert re.search(rf"\b{re.escape(action.ref)}\b", text), action.ref
    for definition in facts["header"].rag_definitions:
        assert definition.name in text
        assert words(definition.meaning)[:30] in words(text)
    # a long theme title wraps in its column, so look for its lines in order
    for title in ("1. Leadership & Governance", "7. Professionalism & Capability"):
        pattern = r"\s+(?:.*\n\s*)?".join(re.escape(word) for word in title.split())
        assert re.search(pattern, text), title


def test_every_red_and_amber_action_is_an_exception_with_its_direction(
    whole: list[str], facts: dict[str, Any]
) -> None:
    pages = section_pages(whole, "Exceptions")
    listed = set().union(*(row_refs(page) for page in pages))
    expected = {a.ref for a in facts["actions"] if a.rag in ("R", "A")}
    assert expected and listed == expected
    lines = [line for page in pages for line in page.splitlines()]
    for action in facts["actions"]:
        if action.ref not in expected:
            continue
        first = next(line for line in lines if re.match(rf"\s*{re.escape(action.ref)}\s", line))
        assert action.lead_officer in first
        direction = facts["directions"].get(action.ref)
        if direction:
            assert TRAVEL_WORDS[direction] in first, action.ref
    text = words(" ".join(pages))
    assert "Implement the shared ICT service" in text
    # Reds come before ambers.
    order = [ref for line in lines for ref in re.findall(r"^\s*(\d+\.\d+)\s", line)]
    rags = [next(a.rag for a in facts["actions"] if a.ref == ref) for ref in order]
    assert rags == sorted(rags, key=lambda rag: ("R", "A").index(rag))


def test_overdue_and_next_quarter_milestones_are_listed(
    whole: list[str], facts: dict[str, Any]
) -> None:
    text = words(" ".join(section_pages(whole, "Milestones")))
    overdue = [m for m in facts["overdue"] if m.due < facts["header"].status_date]
    assert overdue
    assert f"Overdue at 31 Dec 2013 ({len(overdue)})" in text
    for milestone in overdue:
        assert milestone.due.strftime("%d/%m/%Y") in text
        assert " ".join(milestone.title.split()[:3]) in text, milestone.title
    assert "Due next quarter: Q4 2013/14, by 31 Mar 2014" in text


def test_the_next_quarter_is_the_financial_quarter_after_the_status_date() -> None:
    from datetime import date

    window = next_quarter(date(2013, 3, 31))
    assert (window.first, window.last, window.label) == (
        date(2013, 4, 1),
        date(2013, 6, 30),
        "Q1 2013/14",
    )
    window = next_quarter(date(2013, 12, 31))
    assert (window.first, window.last, window.label) == (
        date(2014, 1, 1),
        date(2014, 3, 31),
        "Q4 2013/14",
    )
    mid = next_quarter(date(2013, 2, 15))
    assert (mid.due_from, mid.last) == (date(2013, 2, 15), date(2013, 6, 30))


def test_theme_names_are_repeated_on_every_timeline_page(
    whole: list[str], facts: dict[str, Any]
) -> None:
    pages = section_pages(whole, "Timeline")
    assert len(pages) >= 2
    theme_of = {a.ref: f"{a.theme_number}. {a.theme_title}" for a in facts["actions"]}
    shown: set[str] = set()
    for page in pages:
        refs = row_refs(page)
        assert refs
        shown |= refs
        assert "2011/12" in page and "2014/15" in page and "Q1" in page
        for ref in refs:
            assert theme_of[ref] in page, (ref, theme_of[ref])
    assert shown == set(theme_of)
    assert "(continued)" in pages[1]


def test_a_partner_report_holds_only_that_partners_actions(
    police_pages: list[str], pristine: Path, facts: dict[str, Any]
) -> None:
    assert f"Partner: {POLICE}" in words(police_pages[0])
    with (
        PlanFile.open(pristine, read_only=True, data_dir=pristine.parent / "user-data") as plan,
        plan.Session() as session,
    ):
        from planner.queries.actions import ActionFilter, filter_actions

        ids = filter_actions(session, plan.plan_id, ActionFilter(partner_id=facts["police"]))
        theirs = {a.ref for a in action_rows(session, plan.plan_id, ids)}
    assert theirs and len(theirs) < len(facts["actions"])
    timeline_refs = set().union(*(row_refs(p) for p in section_pages(police_pages, "Timeline")))
    assert timeline_refs == theirs
    exception_refs = set().union(*(row_refs(p) for p in section_pages(police_pages, "Exceptions")))
    assert exception_refs <= theirs
    for number, page in enumerate(police_pages, start=1):
        assert f"Page {number} of {len(police_pages)}" in page


# ----- cancelling ---------------------------------------------------------------------------


@pytest.mark.parametrize("stop_at", [0, 3])
def test_a_cancelled_report_leaves_no_file(pristine: Path, tmp_path: Path, stop_at: int) -> None:
    target = tmp_path / "out" / "board.pdf"
    target.parent.mkdir()
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, stage: str) -> bool:
        seen.append((done, total, stage))
        return done < stop_at

    with pytest.raises(ReportCancelled):
        write(pristine, target, progress=progress)
    assert list(target.parent.iterdir()) == []
    assert seen[-1][0] == stop_at


def test_a_cancelled_report_leaves_an_existing_file_alone(pristine: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "board.pdf"
    target.parent.mkdir()
    target.write_bytes(b"last quarter's report")
    with pytest.raises(ReportCancelled):
        write(pristine, target, progress=lambda done, total, stage: done < 2)
    assert target.read_bytes() == b"last quarter's report"
    assert [p.name for p in target.parent.iterdir()] == ["board.pdf"]


# ----- the command line ----------------------------------------------------------------------


@pytest.fixture
def plan(tmp_path: Path, pristine: Path) -> Path:
    path = tmp_path / "northshire.plan"
    shutil.copy2(pristine, path)
    return path


def test_cli_writes_the_report_for_a_theme(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "theme 4.pdf"
    assert main(["report", str(plan), str(out), "--theme", "4"]) == 0
    said = capsys.readouterr()
    assert f"to {out}" in said.out and said.err == ""
    pages = pdf_pages(out)
    assert "Theme: 4. Local Public Services Infrastructure" in words(pages[0])
    refs = set().union(*(row_refs(p) for p in section_pages(pages, "Timeline")))
    assert refs and all(ref.startswith("4.") for ref in refs)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--partner", "Nobody Council"], "no partner body called 'Nobody Council'"),
        (["--theme", "42"], "no theme 42"),
    ],
)
def test_cli_refuses_an_unknown_slice_in_one_line(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", str(plan), str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: ") and message in err and err.count("\n") == 1
    assert not out.exists()


def test_cli_refuses_a_missing_plan_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nowhere.plan"), str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: ") and "nowhere.plan" in err and err.count("\n") == 1


@pytest.mark.parametrize("where", ["no such folder/r.pdf", "northshire.plan/r.pdf", "folder.pdf"])
def test_cli_refuses_an_unwritable_output_in_one_line(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    (tmp_path / "folder.pdf").mkdir()
    assert main(["report", str(plan), str(tmp_path / where)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: ") and "could not be written" in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "folder.pdf",
        "northshire.plan",
        "user-data",
    ]


def test_cli_works_without_a_display(plan: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "headless.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "planner", "report", str(plan), str(out), "--partner", "NColl"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Partner: Northshire College" in words(pdf_pages(out)[0])


# ----- the File menu --------------------------------------------------------------------------


@pytest.mark.gui
def test_the_file_menu_action_writes_a_pdf(
    plan: Path, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("PySide6.QtWidgets")
    from PySide6.QtWidgets import QMenu

    from planner.ui import create_main_window, report_flow
    from planner.ui.dialogs.export import ExportChoice
    from planner.ui.main_window import MainWindow

    window = create_main_window(plan)
    assert isinstance(window, MainWindow)

    def discard(shown: Any) -> None:
        document = shown.document
        if document is not None:
            shown.set_document(None)
            document.close(discard=True)

    qtbot.addWidget(window, before_close_func=discard)
    window.show()
    qtbot.waitExposed(window)
    file_menu = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.text().replace("&", "") == "File"
    )
    assert isinstance(file_menu, QMenu)
    names = [action.objectName() for action in file_menu.actions()]
    assert names.index("actionExportReport") == names.index("actionExportExcel") + 1
    assert window.actionExportReport.isEnabled()

    document = window.document
    assert document is not None
    college = next(c.id for c in document.read(partner_choices) if c.label == "Northshire College")
    target = tmp_path / "board" / "college.pdf"
    target.parent.mkdir()
    choice = ExportChoice(frozenset({college}), frozenset(), frozenset(), True, True, "OFFICIAL")
    monkeypatch.setattr(report_flow, "ask_choice", lambda _window: choice)
    monkeypatch.setattr(report_flow, "ask_target", lambda _window, _suggested: target)
    monkeypatch.setattr(
        report_flow, "show_error", lambda *a: pytest.fail(f"an error was shown: {a}")
    )
    window.actionExportReport.trigger()
    assert target.exists()
    assert "Partner: Northshire College" in words(pdf_pages(target)[0])
    assert "college.pdf" in window.statusBar().currentMessage()
    assert [p.name for p in target.parent.iterdir()] == ["college.pdf"]


@pytest.mark.gui
def test_the_report_dialog_offers_partners_and_themes_only(qtbot: Any) -> None:
    pytest.importorskip("PySide6.QtWidgets")
    from PySide6.QtCore import Qt

    from planner.queries.lookups import Choice
    from planner.ui.dialogs.report import ReportDialog

    dialog = ReportDialog(
        None,
        partners=[Choice(1, "Northshire College"), Choice(2, "Northshire CVS")],
        themes=[Choice(7, "3. Strategic Commissioning")],
        marking="OFFICIAL",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.by_person.isVisible() and not dialog.descriptions.isVisible()
    dialog.by_theme.setChecked(True)
    assert not dialog.ok_button.isEnabled()  # nothing ticked yet
    dialog.theme_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.ok_button.isEnabled()
    chosen = dialog.choice()
    assert chosen.theme_ids == frozenset({7}) and not chosen.partner_ids
