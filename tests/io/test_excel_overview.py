"""The exported workbook's Summary, Partners, People and Timeline sheets, read back with
openpyxl and checked against the sample plan as stored (not against the export's own
gathered content)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from planner.domain import PartnerRole, Sector
from planner.domain.dates import financial_year, quarter
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.styles import OVERDUE_INK, readable_fill
from planner.io.sample import write_sample
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Milestone,
    Partner,
    Person,
    Plan,
    RagDefinitionRow,
    Theme,
)
from planner.store.planfile import PlanFile

SHEETS = ("Summary", "Partners", "People", "Timeline")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Exported:
    workbook: Any
    plan: Plan
    rags: dict[str, tuple[str, str]]  # code -> (name, colour without '#')
    actions: list[Action]
    themes: dict[int, Theme]
    partners: dict[int, Partner]
    links: list[ActionPartner]
    people: dict[str, Person]
    person_links: list[ActionPerson]
    milestones: list[Milestone]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    """The sample plan exported once for the whole module, and the plan's own rows."""
    folder = tmp_path_factory.mktemp("overview")
    data_dir = folder / "user-data"
    data_dir.mkdir()
    path = folder / "northshire.plan"
    write_sample(path, data_dir=data_dir).close()
    plan_file = PlanFile.open(path, data_dir=data_dir)
    try:
        with plan_file.Session() as session:
            content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Test"))
            target = export_workbook(content, folder / "northshire.xlsx")
            plan = session.get(Plan, plan_file.plan_id)
            assert plan is not None
            result = Exported(
                workbook=openpyxl.load_workbook(target),
                plan=plan,
                rags={
                    row.code: (row.name, row.colour.lstrip("#").upper())
                    for row in session.scalars(select(RagDefinitionRow))
                },
                actions=list(session.scalars(select(Action))),
                themes={theme.id: theme for theme in session.scalars(select(Theme))},
                partners={partner.id: partner for partner in session.scalars(select(Partner))},
                links=list(session.scalars(select(ActionPartner))),
                people={person.name: person for person in session.scalars(select(Person))},
                person_links=list(session.scalars(select(ActionPerson))),
                milestones=list(session.scalars(select(Milestone))),
            )
            session.expunge_all()
        yield result
    finally:
        plan_file.close(discard=True)


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def _find_row(sheet: Worksheet, first_value: str) -> int:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row and row[0] == first_value:
            return number
    raise AssertionError(f"no row starts with {first_value!r}")


def _rgb(colour: Any) -> str:
    return str(colour.rgb)[-6:].upper()


def _month_columns(sheet: Worksheet, plan: Plan) -> dict[tuple[int, int], int]:
    """(year, month) -> column number on the Timeline, from the period start."""
    header = [cell.value for cell in sheet[3]]
    first = header.index("Ref") + 6 + 1
    assert plan.period_start is not None
    year, month = plan.period_start.year, plan.period_start.month
    columns: dict[tuple[int, int], int] = {}
    for column in range(first, len(header) + 1):
        columns[(year, month)] = column
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return columns


# -- Summary -------------------------------------------------------------------------------


def test_summary_theme_table_counts_match_the_plan(exported: Exported) -> None:
    sheet = exported.workbook["Summary"]
    heading = _find_row(sheet, "Actions by RAG rating and theme")
    header = [cell.value for cell in sheet[heading + 1]]
    assert header[0] == "Theme" and header[-1] == "Total"
    rag_names = {name: code for code, (name, _) in exported.rags.items()}
    expected: dict[str, Counter[str | None]] = defaultdict(Counter)
    for action in exported.actions:
        theme = exported.themes[action.theme_id]
        expected[f"{theme.number}. {theme.title}"][action.rag] += 1
    found: dict[str, Counter[str | None]] = {}
    for row in sheet.iter_rows(min_row=heading + 2, values_only=True):
        if row[0] == "All themes":
            assert row[-1] == len(exported.actions)
            break
        counts: Counter[str | None] = Counter()
        for name, value in zip(header[2:-1], row[2:-1], strict=True):
            code = rag_names.get(name) if name != "Not rated" else None
            if value:
                counts[code] += value
        assert row[-1] == sum(counts.values())
        found[row[0]] = counts
    assert found == expected


def test_summary_rag_headers_carry_their_colour(exported: Exported) -> None:
    sheet = exported.workbook["Summary"]
    heading = _find_row(sheet, "Actions by RAG rating and theme")
    cells = {cell.value: cell for cell in sheet[heading + 1]}
    for name, colour in exported.rags.values():
        assert cells[name].fill.fill_type == "solid"
        assert _rgb(cells[name].fill.fgColor) == readable_fill(colour)[0]


def test_summary_has_a_stacked_bar_chart_in_the_rag_colours(exported: Exported) -> None:
    sheet = exported.workbook["Summary"]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    assert chart.grouping == "stacked"
    colours = [str(series.graphicalProperties.solidFill.srgbClr).upper() for series in chart.series]
    assert colours[: len(exported.rags)] == [colour for _, colour in exported.rags.values()]
    assert chart.legend is not None


def test_summary_overdue_list_matches_the_plan(exported: Exported) -> None:
    sheet = exported.workbook["Summary"]
    status = exported.plan.status_date
    refs = {action.id: action.ref for action in exported.actions}
    expected = {
        (refs[m.action_id], m.title, (status - m.due).days)
        for m in exported.milestones
        if m.due is not None and m.due < status and m.completed_on is None
    }
    heading = _find_row(
        sheet, f"Overdue milestones at {status.day} {status:%b %Y}: {len(expected)}"
    )
    header = [cell.value for cell in sheet[heading + 1]][:5]
    assert header == ["Ref", "Milestone", "Owner", "Due", "Days overdue"]
    found = set()
    for row in sheet.iter_rows(min_row=heading + 2, values_only=True):
        if row[0] is None:
            break
        found.add((row[0], row[1], row[4]))
    assert expected and found == expected


def test_summary_due_soon_list_matches_the_plan(exported: Exported) -> None:
    sheet = exported.workbook["Summary"]
    status = exported.plan.status_date
    end = status + timedelta(days=90)
    refs = {action.id: action.ref for action in exported.actions}
    expected = {
        (refs[m.action_id], m.title)
        for m in exported.milestones
        if m.due is not None and status <= m.due <= end and m.completed_on is None
    }
    rows = _rows(sheet)
    start = next(
        number
        for number, row in enumerate(rows)
        if isinstance(row[0], str) and row[0].startswith("Milestones due in the next 90 days")
    )
    found = {(row[0], row[1]) for row in rows[start + 2 :] if row[0] is not None}
    assert expected and found == expected


# -- Partners ------------------------------------------------------------------------------


def test_partners_has_one_row_per_action_and_each_role_in_its_cell(exported: Exported) -> None:
    sheet = exported.workbook["Partners"]
    names = [cell.value for cell in sheet[2]]
    assert names[:3] == ["ID", "Ref", "Action"]
    column_of = {name: number for number, name in enumerate(names)}
    rows = _rows(sheet)
    action_rows = rows[2 : 2 + len(exported.actions)]
    assert sorted(row[0] for row in action_rows) == sorted(a.uid for a in exported.actions)
    assert rows[2 + len(exported.actions)][2] == "Actions involving this partner body"
    by_uid = {row[0]: row for row in action_rows}
    expected: dict[tuple[str, str], str] = {}
    for link in exported.links:
        action = next(a for a in exported.actions if a.id == link.action_id)
        partner = exported.partners[link.partner_id]
        expected[(action.uid, partner.short_name)] = PartnerRole(link.role).label
    for uid, row in by_uid.items():
        for short_name, number in column_of.items():
            if number < 3:
                continue
            assert row[number] == expected.get((uid, short_name)), (uid, short_name)
    # A known link in the sample: NHS Northshire leads moving agreements to the CCG.
    move = next(a for a in exported.actions if a.ref == "5.2")
    assert by_uid[move.uid][column_of["NHS Northshire"]] == "Lead partner"
    broadband = next(a for a in exported.actions if a.ref == "6.2")
    assert by_uid[broadband.uid][column_of["EDC"]] == "Funder"


def test_partners_lead_cells_stand_out(exported: Exported) -> None:
    sheet = exported.workbook["Partners"]
    for row in sheet.iter_rows(min_row=3):
        for cell in row[3:]:
            if cell.value == "Lead partner":
                assert cell.font.bold and cell.fill.fill_type == "solid"
            elif cell.value in ("Delivery partner", "Consulted", "Funder"):
                assert not cell.font.bold


def test_partners_are_grouped_by_sector_under_merged_headings(exported: Exported) -> None:
    sheet = exported.workbook["Partners"]
    by_short = {partner.short_name: partner for partner in exported.partners.values()}
    names = [cell.value for cell in sheet[2]]
    sector_of_column: dict[int, str] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 1 and merged.min_col > 3:
            label = sheet.cell(1, merged.min_col).value
            for column in range(merged.min_col, merged.max_col + 1):
                sector_of_column[column] = label
    for column in range(4, len(names) + 1):
        sector_of_column.setdefault(column, sheet.cell(1, column).value)
        partner = by_short[names[column - 1]]
        assert sector_of_column[column] == Sector(partner.sector).label
    order = [sector_of_column[column] for column in range(4, len(names) + 1)]
    runs = [
        label for number, label in enumerate(order) if number == 0 or order[number - 1] != label
    ]
    assert len(runs) == len(set(runs)), "each sector's partners sit together"
    assert len(set(order)) < len(order), "at least one sector heading is merged"


def test_partners_total_row_counts_actions_per_partner(exported: Exported) -> None:
    sheet = exported.workbook["Partners"]
    names = [cell.value for cell in sheet[2]]
    total = _rows(sheet)[2 + len(exported.actions)]
    counts = Counter(exported.partners[link.partner_id].short_name for link in exported.links)
    for number, name in enumerate(names[3:], start=3):
        assert total[number] == counts[name]


# -- People --------------------------------------------------------------------------------


def test_people_counts_for_a_known_person(exported: Exported) -> None:
    sheet = exported.workbook["People"]
    header = [cell.value for cell in sheet[1]]
    person = exported.people["Priya Sharma"]
    row = next(r for r in _rows(sheet) if r[0] == "Priya Sharma")
    values = dict(zip(header, row, strict=True))
    roles = Counter(link.role for link in exported.person_links if link.person_id == person.id)
    assert values["Lead (Accountable)"] == roles["A"] == 2
    assert values["Responsible"] == roles["R"]
    assert values["Consulted"] == roles["C"]
    assert values["Informed"] == roles["I"]
    assert values["Job title"] == person.job_title
    assert values["Email"] == person.email
    assert values["Organisation"] == "Northshire County Council"
    status = exported.plan.status_date
    due_soon = sum(
        1
        for m in exported.milestones
        if m.owner_id == person.id
        and m.completed_on is None
        and m.due is not None
        and status <= m.due <= status + timedelta(days=90)
    )
    assert values["Milestones due in the next 90 days"] == due_soon
    assert len(_rows(sheet)) == 1 + len(exported.people)


# -- Timeline ------------------------------------------------------------------------------


def test_timeline_has_month_headers_for_the_plan_period(exported: Exported) -> None:
    sheet = exported.workbook["Timeline"]
    plan = exported.plan
    assert plan.period_start == date(2011, 4, 1) and plan.period_end == date(2015, 3, 31)
    columns = _month_columns(sheet, plan)
    assert len(columns) == 48
    for (year, month), column in columns.items():
        first_day = date(year, month, 1)
        assert sheet.cell(3, column).value == MONTHS[month - 1]
        if month == 4:  # a financial year and its Q1 start in April
            assert sheet.cell(1, column).value == financial_year(first_day)
            assert sheet.cell(2, column).value == "Q1"
        if month in (7, 10, 1):
            assert sheet.cell(2, column).value == f"Q{quarter(first_day)}"
    assert [sheet.cell(1, c).value for c in sorted(columns.values()) if sheet.cell(1, c).value] == [
        "2011/12",
        "2012/13",
        "2013/14",
        "2014/15",
    ]


def test_timeline_bar_runs_from_start_to_due_in_the_rag_colour(exported: Exported) -> None:
    sheet = exported.workbook["Timeline"]
    columns = _month_columns(sheet, exported.plan)
    action = next(a for a in exported.actions if a.ref == "4.2")
    assert action.start and action.due and action.rag
    row = _find_row(sheet, "4.2")
    colour = exported.rags[action.rag][1]
    first = (action.start.year, action.start.month)
    last = (action.due.year, action.due.month)
    milestone_months = {
        (m.due.year, m.due.month) for m in exported.milestones if m.action_id == action.id and m.due
    }
    inside = outside = 0
    for month, column in columns.items():
        cell = sheet.cell(row, column)
        if first <= month <= last:
            inside += 1
            assert cell.fill.fill_type == "solid", month
            if month not in milestone_months:
                assert _rgb(cell.fill.fgColor) == readable_fill(colour)[0], month
        else:
            outside += 1
            assert cell.fill.fill_type is None, month
    assert inside == 13 and outside == 35


def test_timeline_marks_milestones_in_their_month(exported: Exported) -> None:
    sheet = exported.workbook["Timeline"]
    columns = _month_columns(sheet, exported.plan)
    action = next(a for a in exported.actions if a.ref == "4.2")
    row = _find_row(sheet, "4.2")
    status = exported.plan.status_date
    seen = {"open": 0, "overdue": 0}
    for milestone in (m for m in exported.milestones if m.action_id == action.id):
        assert milestone.due is not None
        cell = sheet.cell(row, columns[(milestone.due.year, milestone.due.month)])
        if milestone.completed_on is None:
            assert "\u25c6" in cell.value
            if milestone.due < status:
                assert _rgb(cell.font.color) == OVERDUE_INK
                seen["overdue"] += 1
            else:
                seen["open"] += 1
    assert seen["open"] and seen["overdue"]
    # A completed milestone is ticked: 1.1's three are all done.
    done = _find_row(sheet, "1.1")
    first = next(a for a in exported.actions if a.ref == "1.1")
    for milestone in (m for m in exported.milestones if m.action_id == first.id):
        assert milestone.due is not None and milestone.completed_on is not None
        assert sheet.cell(done, columns[(milestone.due.year, milestone.due.month)]).value == "✓"


def test_timeline_marks_the_status_date_month(exported: Exported) -> None:
    sheet = exported.workbook["Timeline"]
    status = exported.plan.status_date
    column = _month_columns(sheet, exported.plan)[(status.year, status.month)]
    header = sheet.cell(3, column)
    neighbour = sheet.cell(3, column - 1)
    assert header.fill.fill_type == "solid"
    assert _rgb(header.fill.fgColor) != _rgb(neighbour.fill.fgColor)
    assert "Status date" in sheet.cell(2, 1).value
    for row in range(4, 4 + len(exported.actions)):
        assert sheet.cell(row, column).border.left.style == "medium"
    assert sheet.freeze_panes == "G4"


# -- Every sheet ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHEETS)
def test_every_sheet_prints_landscape_a4_with_titles_and_page_numbers(
    exported: Exported, name: str
) -> None:
    sheet = exported.workbook[name]
    assert sheet.print_title_rows
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.oddFooter.right.text == "Page &P of &N"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToWidth) == 1


def test_timeline_repeats_its_three_header_rows(exported: Exported) -> None:
    assert exported.workbook["Timeline"].print_title_rows.replace("$", "") == "1:3"


@pytest.mark.parametrize("name", SHEETS)
def test_no_cell_holds_a_formula(exported: Exported, name: str) -> None:
    for row in exported.workbook[name].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_a_formula_like_name_stays_text(tmp_path: Path, sample_plan: Any) -> None:
    from planner.store.models import Partner as PartnerRow

    with sample_plan.Session() as session:
        partner = session.scalars(select(PartnerRow).where(PartnerRow.short_name == "NCVS")).one()
        partner.short_name = "=HYPERLINK(1)"
        partner.name = "+cmd|' /C calc'!A0"
        content = gather(session, sample_plan.plan_id, ExportOptions())
        session.rollback()
    target = export_workbook(content, tmp_path / "unsafe.xlsx")
    workbook = openpyxl.load_workbook(target)
    names = [cell for cell in workbook["Partners"][2] if cell.value == "=HYPERLINK(1)"]
    assert len(names) == 1 and names[0].data_type == "s" and names[0].quotePrefix
    summary = [
        cell
        for row in workbook["Summary"].iter_rows()
        for cell in row
        if cell.value == "+cmd|' /C calc'!A0"
    ]
    assert len(summary) == 1 and summary[0].data_type == "s"
