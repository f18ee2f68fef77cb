"""Merging a partner's returned workbook, checked as the Head of ICT who merges it sees it.

The Northshire sample is exported once per module, as it would be sent to partners. Each
test edits a copy the way a partner would (openpyxl, normal mode: real dates, dates typed
as UK text, 50 / "50%" / 0.5, "Amber" / "amber" / "A", new commentary, extra sheets and
columns), merges it (read_returned, build_preview, merge_command, runner.execute, or
`planner import`) and checks what changed: the plan itself, a second export, the journal,
the preview lines, and the plan file's bytes when nothing may change. Hostile files (not
a workbook, damaged, encrypted, macros, entity expansion, zip bomb, too many rows, another
plan's export) must each be refused with one sentence and leave the plan untouched.
"""

from __future__ import annotations

import copy
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from planner.cli import main
from planner.commands import AddProgressUpdate, Applied, CommandRunner, EditRecord, runner_for
from planner.commands.proposals import AcceptProposal
from planner.commands.runner import current_user
from planner.domain import Status
from planner.errors import PlannerError
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.merge import (
    FieldChange,
    MergePreview,
    build_preview,
    merge_command,
    preview_lines,
)
from planner.io.excel.reading import WorkbookError, read_returned
from planner.io.sample import write_sample
from planner.queries.lookups import plan_header
from planner.store.models import CONTENT_MODELS, Action, JournalEntry, Milestone
from planner.store.planfile import PlanFile

STATUS_DATE = date(2013, 12, 31)
# what a merge records of the return itself, beside its changes to the plan
LEDGER = ("merged_return", "returned_value", "proposal")
RETURNED = "returned.xlsx"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACTION_EDITABLE = ("Start", "Due", "Status", "RAG", "% complete", "Latest update")
MILESTONE_EDITABLE = ("Due", "Completed", "Note")
ACTION_FIELDS = {
    "Start": "start",
    "Due": "due",
    "Status": "status",
    "RAG": "rag",
    "% complete": "percent",
}
MILESTONE_FIELDS = {"Due": "due", "Completed": "completed_on", "Note": "note"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SPREAD_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

Tables = dict[str, dict[int, dict[str, Any]]]


# ----- the plan and the copy sent out --------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plan written once per module; tests copy it (writing takes ~0.6 s)."""
    folder = tmp_path_factory.mktemp("pristine-sample")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def sample_path(tmp_path: Path, data_dir: Path, pristine: Path) -> Path:
    """Overrides conftest's fixture: the same freshly written sample, copied not rewritten."""
    path = tmp_path / "northshire.plan"
    shutil.copy2(pristine, path)
    return path


def normal(value: Any) -> Any:
    """A cell's value as an officer reads it: a date is a date, an empty cell is empty."""
    if isinstance(value, datetime):
        return value.date()
    if value == "":
        return None
    return value


def read_tables(path: Path) -> tuple[dict[str, list[str]], dict[str, dict[str, dict[str, Any]]]]:
    """Headers and rows (ID -> heading -> value) of the Actions and Milestones sheets."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    headers: dict[str, list[str]] = {}
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    try:
        for name in ("Actions", "Milestones"):
            lines = workbook[name].iter_rows(values_only=True)
            headers[name] = [str(value) for value in next(lines)]
            rows: dict[str, dict[str, Any]] = {}
            for line in lines:
                if not any(value not in (None, "") for value in line):
                    continue
                values = {h: normal(v) for h, v in zip(headers[name], line, strict=False)}
                assert values["ID"] not in rows, f"{name}: ID {values['ID']} twice"
                rows[values["ID"]] = values
            tables[name] = rows
    finally:
        workbook.close()
    return headers, tables


@dataclass(frozen=True, repr=False)
class Sent:
    """The workbook as exported and circulated, and what its two tables hold."""

    path: Path
    plan_uid: str
    exported_at: datetime
    headers: dict[str, list[str]]
    tables: dict[str, dict[str, dict[str, Any]]]  # sheet -> ID -> heading -> value
    rows: dict[str, dict[str, int]]  # sheet -> ID -> worksheet row number
    refs: dict[str, str]  # action ref -> ID
    rags: tuple[tuple[str, str], ...]  # (code, name) in the plan's order

    def __repr__(self) -> str:
        return f"Sent({self.path.name}, exported at {self.exported_at:%H:%M:%S})"

    def action(self, ref: str) -> dict[str, Any]:
        return self.tables["Actions"][self.refs[ref]]

    def milestones_of(self, ref: str) -> list[str]:
        """The IDs of an action's milestones, in the order the sheet lists them."""
        rows = self.rows["Milestones"]
        found = [
            uid for uid, values in self.tables["Milestones"].items() if values["Action ref"] == ref
        ]
        return sorted(found, key=rows.__getitem__)


@pytest.fixture(scope="module")
def sent(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Sent:
    """The whole plan exported once, stamped a few seconds in the past so that any change
    a test makes to the plan falls after the export (exported_at has whole seconds)."""
    folder = tmp_path_factory.mktemp("sent")
    exported_at = datetime.now().replace(microsecond=0) - timedelta(seconds=5)
    with (
        PlanFile.open(pristine, read_only=True, data_dir=folder / "user-data") as plan_file,
        plan_file.Session() as session,
    ):
        options = ExportOptions(exported_by="Head of ICT")
        content = gather(session, plan_file.plan_id, options, now=exported_at)
    path = export_workbook(content, folder / "Northshire delivery plan.xlsx")
    headers, tables = read_tables(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows: dict[str, dict[str, int]] = {}
    try:
        for name in ("Actions", "Milestones"):
            rows[name] = {
                line[0]: number
                for number, line in enumerate(workbook[name].iter_rows(values_only=True), 1)
                if number > 1 and line and line[0]
            }
    finally:
        workbook.close()
    refs = {values["Ref"]: uid for uid, values in tables["Actions"].items()}
    rags = tuple((rag.code, rag.name) for rag in content.header.rag_definitions)
    return Sent(path, content.header.uid, exported_at, headers, tables, rows, refs, rags)


class Copy:
    """A partner's copy of the sent workbook, edited in openpyxl's normal mode."""

    def __init__(self, sent: Sent, workbook: Workbook | None = None) -> None:
        self.sent = sent
        self.workbook = workbook if workbook is not None else openpyxl.load_workbook(sent.path)

    def column(self, sheet: str, header: str) -> int:
        return self.sent.headers[sheet].index(header) + 1

    def row(self, sheet: str, key: str) -> int:
        """The row of an action (by ref or ID) or a milestone (by ID)."""
        if sheet == "Actions" and key in self.sent.refs:
            key = self.sent.refs[key]
        return self.sent.rows[sheet][key]

    def get(self, sheet: str, key: str, header: str) -> Any:
        return self.workbook[sheet].cell(self.row(sheet, key), self.column(sheet, header)).value

    def set(self, sheet: str, key: str, header: str, value: Any) -> int:
        row = self.row(sheet, key)
        self.workbook[sheet].cell(row, self.column(sheet, header)).value = value
        return row

    def add_row(self, sheet: str, values: dict[str, Any]) -> int:
        """A row a partner adds below the table, with no ID; returns its row number."""
        worksheet = self.workbook[sheet]
        row = worksheet.max_row + 1
        for header, value in values.items():
            worksheet.cell(row, self.column(sheet, header)).value = value
        return row

    def save(self, path: Path) -> Path:
        self.workbook.save(path)
        return path


def returned_copy(sent: Sent, path: Path, edit: Callable[[Copy], Any]) -> Path:
    partner = Copy(sent)
    edit(partner)
    return partner.save(path)


# ----- merging ----------------------------------------------------------------------------


def preview_of(plan_file: PlanFile, path: Path, from_name: str = "") -> MergePreview:
    with plan_file.Session() as session:
        header = plan_header(session, plan_file.plan_id)
        returned = read_returned(path, header.rag_definitions)
        return build_preview(session, plan_file.plan_id, returned, from_name)


def apply(
    plan_file: PlanFile, preview: MergePreview, who: str = "Head of ICT"
) -> tuple[CommandRunner, Applied]:
    runner = runner_for(plan_file, who=who)
    return runner, runner.execute(merge_command(preview), source=preview.source_label())


def snapshot(plan_file: PlanFile) -> Tables:
    """Every row of every table of plan content (not the journal): table -> id -> row."""
    with plan_file.Session() as session:
        return {
            model.__tablename__: {
                row.id: dict(row._mapping)
                for row in session.execute(
                    select(*[c for c in model.__table__.c if c.name != "row_version"])
                )
            }
            for model in CONTENT_MODELS
        }


def saved_snapshot(path: Path) -> Tables:
    with PlanFile.open(path, read_only=True) as plan_file:
        return snapshot(plan_file)


def action_id(plan_file: PlanFile, ref: str) -> int:
    with plan_file.Session() as session:
        found = session.scalar(
            select(Action.id).where(Action.plan_id == plan_file.plan_id, Action.ref == ref)
        )
    assert found is not None, ref
    return int(found)


def milestone_id(plan_file: PlanFile, uid: str) -> int:
    with plan_file.Session() as session:
        found = session.scalar(select(Milestone.id).where(Milestone.uid == uid))
    assert found is not None, uid
    return int(found)


def changes_by(preview: MergePreview) -> dict[tuple[str, str], FieldChange]:
    found: dict[tuple[str, str], FieldChange] = {}
    for change in preview.changes:
        assert (change.label, change.column) not in found, f"listed twice: {change}"
        found[(change.label, change.column)] = change
    return found


def summary(preview: MergePreview) -> set[tuple[str, str, Any, Any]]:
    return {(c.label, c.column, c.plan_value, c.returned_value) for c in preview.changes}


def without(tables: Tables, *names: str) -> Tables:
    return {name: rows for name, rows in tables.items() if name not in names}


def edit_plan(path: Path, change: Callable[[CommandRunner, PlanFile], None]) -> None:
    """Change the plan through the command layer, as the app does, and save it."""
    plan_file = PlanFile.open(path)
    try:
        change(runner_for(plan_file, who="Test Officer"), plan_file)
        plan_file.save()
    finally:
        plan_file.close(discard=True)


def journal_rows(path: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return db.execute("SELECT * FROM journal ORDER BY id").fetchall()
    finally:
        db.close()


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_refusal(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("planner: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# ----- 1. the round trip, as a property ---------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One cell a partner changed: what they typed, what an export shows afterwards and
    what the plan holds (None for Latest update, which becomes a progress update)."""

    sheet: str
    id: str
    header: str
    typed: Any
    shown: Any
    stored: Any


DATES = st.dates(date(2011, 4, 1), date(2016, 3, 31))
TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:'()&£/-\n")),
    max_size=40,
)
PADDING = st.sampled_from(["", " ", "  \n"])


def typed_date(data: st.DataObject, day: date) -> Any:
    form = data.draw(st.sampled_from(["date", "datetime", "dd/mm/yyyy", "d Mon yyyy"]))
    if form == "date":
        return day
    if form == "datetime":
        return datetime(day.year, day.month, day.day)
    if form == "dd/mm/yyyy":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def action_edits(data: st.DataObject, sent: Sent, uid: str) -> list[Edit]:
    columns = data.draw(
        st.lists(st.sampled_from(ACTION_EDITABLE), min_size=1, max_size=4, unique=True)
    )
    row = sent.tables["Actions"][uid]
    start = data.draw(DATES) if "Start" in columns else row["Start"]
    due = data.draw(DATES) if "Due" in columns else row["Due"]
    if start is not None and due is not None and start > due:  # keep start <= due
        if "Start" in columns and "Due" in columns:
            start, due = due, start
        elif "Start" in columns:
            start = due
        else:
            due = start
    edits: list[Edit] = []
    for header in ACTION_EDITABLE:
        if header not in columns:
            continue
        if header in ("Start", "Due"):
            day = start if header == "Start" else due
            edits.append(Edit("Actions", uid, header, typed_date(data, day), day, day))
        elif header == "Status":
            status = data.draw(st.sampled_from(list(Status)))
            typed = data.draw(
                st.sampled_from(
                    [status.label, status.label.upper(), status.label.lower(), status.value]
                )
            )
            edits.append(Edit("Actions", uid, header, typed, status.label, status.value))
        elif header == "RAG":
            code, name = data.draw(st.sampled_from(sent.rags))
            typed = data.draw(st.sampled_from([name, name.lower(), code]))
            edits.append(Edit("Actions", uid, header, typed, name, code))
        elif header == "% complete":
            number = data.draw(st.integers(0, 100))
            forms: list[Any] = [number, f"{number}%"]
            if 0 < number < 100:
                forms.append(number / 100)  # 50% typed in Excel is stored as 0.5
            typed = data.draw(st.sampled_from(forms))
            edits.append(Edit("Actions", uid, header, typed, number, number))
        else:
            text = ("Returned update " + data.draw(TEXT)).strip()
            typed = data.draw(PADDING) + text + data.draw(PADDING)
            edits.append(Edit("Actions", uid, header, typed, text, None))
    return edits


def milestone_edits(data: st.DataObject, uid: str) -> list[Edit]:
    columns = data.draw(
        st.lists(st.sampled_from(MILESTONE_EDITABLE), min_size=1, max_size=3, unique=True)
    )
    edits: list[Edit] = []
    for header in MILESTONE_EDITABLE:
        if header not in columns:
            continue
        if header == "Due":
            day = data.draw(DATES)
            edits.append(Edit("Milestones", uid, header, typed_date(data, day), day, day))
        elif header == "Completed":
            done = data.draw(st.none() | DATES)  # a date, or cleared
            typed = None if done is None else typed_date(data, done)
            edits.append(Edit("Milestones", uid, header, typed, done, done))
        else:
            note = data.draw(st.none() | TEXT.map(lambda t: ("Returned note " + t).strip()))
            edits.append(Edit("Milestones", uid, header, note, note, note or ""))
    return edits


@pytest.fixture(scope="module")
def sent_workbook(sent: Sent) -> Workbook:
    """The sent workbook opened once in normal mode; the property test edits it and puts
    every edited cell back afterwards (opening it takes ~0.5 s)."""
    return openpyxl.load_workbook(sent.path)


def expected_export(
    sent: Sent, before: Tables, edits: list[Edit], returned_on: date
) -> dict[str, dict[str, dict[str, Any]]]:
    """The first export with the edited cells changed, and the cells worked out from them
    (a milestone's Overdue, an action's next milestone and its latest update's date, which
    is the day the copy was returned)."""
    expected = copy.deepcopy(sent.tables)
    for edit in edits:
        expected[edit.sheet][edit.id][edit.header] = edit.shown
        if edit.header == "Latest update":
            expected["Actions"][edit.id]["Update as at"] = returned_on
    action_uid = {row["id"]: row["uid"] for row in before["action"].values()}
    open_milestones: dict[str, list[tuple[date, int, str]]] = {}
    for row in before["milestone"].values():
        shown = expected["Milestones"][row["uid"]]
        late = shown["Completed"] is None and shown["Due"] < STATUS_DATE
        shown["Overdue"] = "Overdue" if late else None
        if shown["Completed"] is None:
            entry = (shown["Due"], row["id"], shown["Milestone"])
            open_milestones.setdefault(action_uid[row["action_id"]], []).append(entry)
    for uid, shown in expected["Actions"].items():
        upcoming = min(open_milestones.get(uid, []), default=None)
        shown["Next milestone"] = upcoming[2] if upcoming else None
        shown["Next milestone due"] = upcoming[0] if upcoming else None
    return expected


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_returned_copy_round_trips_changing_exactly_the_edited_cells(
    pristine: Path, sent: Sent, sent_workbook: Workbook, data: st.DataObject
) -> None:
    actions = data.draw(
        st.lists(st.sampled_from(sorted(sent.tables["Actions"])), max_size=4, unique=True)
    )
    milestones = data.draw(
        st.lists(st.sampled_from(sorted(sent.tables["Milestones"])), max_size=4, unique=True)
    )
    assume(actions or milestones)
    edits = [e for uid in actions for e in action_edits(data, sent, uid)]
    edits += [e for uid in milestones for e in milestone_edits(data, uid)]
    from_name = data.draw(st.sampled_from(["", "Claire Dobson", "Northshire College"]))

    with tempfile.TemporaryDirectory(prefix="round-trip-") as name:
        folder = Path(name)
        plan = folder / "northshire.plan"
        shutil.copy2(pristine, plan)
        partner = Copy(sent, sent_workbook)
        originals = {(e.sheet, e.id, e.header): partner.get(e.sheet, e.id, e.header) for e in edits}
        try:
            for edit in edits:
                partner.set(edit.sheet, edit.id, edit.header, edit.typed)
            returned = partner.save(folder / RETURNED)
        finally:
            for (sheet, uid, header), value in originals.items():
                partner.set(sheet, uid, header, value)

        plan_file = PlanFile.open(plan, data_dir=folder / "user-data")
        try:
            # a plan that lets anyone it is sent to change what they are sent
            runner_for(plan_file, who="Head of ICT").execute(
                EditRecord("plan", plan_file.plan_id, {"return_rule": "anyone"})
            )
            before = snapshot(plan_file)
            preview = preview_of(plan_file, returned, from_name)
            assert preview.identity is not None
            returned_on = preview.identity.returned_at.date()
            assert not preview.problems, preview.problems
            assert not preview.conflicts and not preview.not_applied and not preview.proposed
            _, applied = apply(plan_file, preview, who=from_name or "Head of ICT")
            after = snapshot(plan_file)
            with plan_file.Session() as session:
                content = gather(session, plan_file.plan_id, ExportOptions())
                journal = session.scalars(select(JournalEntry)).all()
            second = export_workbook(content, folder / "second.xlsx")
        finally:
            plan_file.close(discard=True)
        headers, tables = read_tables(second)

    # The second export shows exactly the edits (and what follows from them).
    assert headers == sent.headers
    expected = expected_export(sent, before, edits, returned_on)
    for sheet in ("Actions", "Milestones"):
        assert tables[sheet].keys() == expected[sheet].keys()
        for uid, row in expected[sheet].items():
            for header, value in row.items():
                assert tables[sheet][uid][header] == value, (sheet, row.get("Ref"), header)

    # Nothing else in the plan changed: the edited fields, and one new progress update
    # per new commentary, authored by the person who returned it.
    want = copy.deepcopy(before)
    ids = {t: {row["uid"]: i for i, row in before[t].items()} for t in ("action", "milestone")}
    commentary: dict[int, str] = {}
    for edit in edits:
        if edit.sheet == "Actions" and edit.header == "Latest update":
            commentary[ids["action"][edit.id]] = edit.shown
        elif edit.sheet == "Actions":
            want["action"][ids["action"][edit.id]][ACTION_FIELDS[edit.header]] = edit.stored
        else:
            want["milestone"][ids["milestone"][edit.id]][MILESTONE_FIELDS[edit.header]] = (
                edit.stored
            )
    assert without(after, "progress_update", *LEDGER) == without(want, "progress_update", *LEDGER)
    updates = after["progress_update"]
    assert {i: updates[i] for i in before["progress_update"]} == before["progress_update"]
    author = next((p["id"] for p in before["person"].values() if p["name"] == from_name), None)
    keys = ("action_id", "as_at", "status", "rag", "percent", "commentary", "author_id")
    new_updates = sorted(
        tuple(u[key] for key in keys)
        for i, u in updates.items()
        if i not in before["progress_update"]
    )
    fields = ("status", "rag", "percent")
    assert new_updates == sorted(
        (i, returned_on, *(want["action"][i][f] for f in fields), text, author)
        for i, text in commentary.items()
    )
    assert {(entry.who, entry.source) for entry in journal} <= {
        ("Head of ICT", "edit"),
        (from_name or "Head of ICT", preview.source_label()),
    }
    assert bool(journal) == bool(applied.changes)


def test_an_untouched_copy_merges_nothing(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    returned = returned_copy(sent, tmp_path / RETURNED, lambda partner: None)
    before = snapshot(sample_plan)
    preview = preview_of(sample_plan, returned, "Claire Dobson")
    assert preview.changes == [] and preview.proposed == [] and preview.not_applied == []
    assert preview.problems == [] and preview.ignored == []
    assert preview.is_empty
    assert "No changes to merge: nothing new in this return." in preview_lines(preview)
    assert snapshot(sample_plan) == before


# ----- 2 and 3. the command line: preview, then apply -------------------------------------


def test_preview_without_apply_lists_each_change_and_leaves_the_plan_file_untouched(
    sample_path: Path, sent: Sent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.4", "% complete", 30)
        partner.set("Actions", "3.4", "Due", "30/06/2015")
        partner.set("Actions", "3.4", "Latest update", "Tender evaluation complete.")

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    before = sample_path.read_bytes()
    code, out, err = cli(capsys, "import", sample_path, returned, "--from", "Claire Dobson")
    assert (code, err) == (0, "")
    assert sample_path.read_bytes() == before
    lines = out.splitlines()
    assert lines[0] == f"Returned copy: {RETURNED} from Claire Dobson, Northshire County Council"
    assert "Action 3.4, % complete: plan 25% -> returned 30% [apply]" in lines
    assert "Action 3.4, Due: plan 31/03/2015 -> returned 30/06/2015 [apply]" in lines
    assert any(
        line.startswith("Action 3.4, Latest update: plan ")
        and line.endswith(" -> returned Tender evaluation complete. [apply]")
        for line in lines
    ), out
    assert "Nothing was changed (preview only). Add --apply to merge these changes." in lines


def test_apply_adds_the_latest_update_as_a_progress_update_by_the_returning_person(
    sample_path: Path, sent: Sent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.4", "Latest update", "Tender evaluation complete.")
        partner.set("Actions", "3.4", "RAG", "Amber")

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    before = saved_snapshot(sample_path)
    code, out, err = cli(
        capsys, "import", sample_path, returned, "--from", "Claire Dobson", "--apply"
    )
    assert (code, err) == (0, "")
    assert "Merged 2 changes into northshire.plan and saved it." in out
    after = saved_snapshot(sample_path)
    claire = next(p["id"] for p in after["person"].values() if p["name"] == "Claire Dobson")
    ref_34 = next(i for i, a in after["action"].items() if a["ref"] == "3.4")
    new = [u for i, u in after["progress_update"].items() if i not in before["progress_update"]]
    # dated as the return (saved today), credited to the officer who returned it
    assert [(u["action_id"], u["commentary"], u["as_at"], u["author_id"]) for u in new] == [
        (ref_34, "Tender evaluation complete.", date.today(), claire)
    ]
    assert (new[0]["rag"], after["action"][ref_34]["rag"]) == ("A", "A")
    journal = journal_rows(sample_path)
    assert journal
    sender = "Claire Dobson, Northshire County Council"
    assert {(row["who"], row["source"]) for row in journal} == {
        (current_user(), f"import of {RETURNED} from {sender}")
    }


def test_a_from_name_that_is_not_a_person_leaves_the_update_without_an_author(
    sample_path: Path, sent: Sent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = returned_copy(
        sent,
        tmp_path / RETURNED,
        lambda p: p.set("Actions", "6.1", "Latest update", "College Wi-Fi live."),
    )
    code, _, _ = cli(
        capsys, "import", sample_path, returned, "--from", "Northshire College", "--apply"
    )
    assert code == 0
    after = saved_snapshot(sample_path)
    update = next(
        u for u in after["progress_update"].values() if u["commentary"] == "College Wi-Fi live."
    )
    assert (update["author_id"], update["author_name"]) == (None, "Northshire College")
    assert {row["who"] for row in journal_rows(sample_path)} == {current_user()}


# ----- 4. conflicts -------------------------------------------------------------------------


def test_a_field_changed_in_the_plan_and_in_the_copy_is_a_conflict_the_plan_wins_by_default(
    sample_path: Path, sent: Sent, tmp_path: Path
) -> None:
    assert sent.action("3.2")["RAG"] == "Blue" and sent.action("3.3")["Status"] == "In progress"
    changed_from = datetime.now()

    def change(runner: CommandRunner, plan_file: PlanFile) -> None:
        runner.execute(EditRecord("action", action_id(plan_file, "3.2"), {"rag": "R"}))
        runner.execute(EditRecord("action", action_id(plan_file, "3.3"), {"status": "on_hold"}))

    edit_plan(sample_path, change)
    changed_to = datetime.now()

    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.2", "RAG", "Green")  # the plan changed it too
        partner.set("Actions", "3.4", "% complete", 30)  # only the partner changed it
        # 3.3's Status is left as sent: the plan's later change is not the partner's

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    plan_file = PlanFile.open(sample_path)
    try:
        preview = preview_of(plan_file, returned, "Claire Dobson")
        found = changes_by(preview)
        assert set(found) == {("Action 3.2", "RAG"), ("Action 3.4", "% complete")}
        conflict = found[("Action 3.2", "RAG")]
        assert preview.conflicts == [conflict]
        assert (conflict.plan_value, conflict.returned_value) == ("R", "G")
        assert conflict.plan_changed_by == "Test Officer"
        assert conflict.plan_changed_at is not None
        assert changed_from - timedelta(seconds=1) <= conflict.plan_changed_at <= changed_to
        assert not conflict.take_returned
        assert found[("Action 3.4", "% complete")].take_returned
        lines = preview_lines(preview)
        conflict_line = next(line for line in lines if line.startswith("CONFLICT Action 3.2"))
        assert conflict_line.startswith("CONFLICT Action 3.2, RAG: plan ")
        assert conflict_line.endswith("[keep plan]")
        at = f"{conflict.plan_changed_at:%d/%m/%Y}"
        saved = f"{preview.returned_saved_at:%d/%m/%Y}"
        assert (
            f"    Conflict: changed by Test Officer on {at} in the plan, after this copy was "
            f"sent; this copy was saved on {saved}" in lines
        )
        assert not any("3.3" in line for line in lines)
        apply(plan_file, preview)
        after = snapshot(plan_file)
    finally:
        plan_file.close(discard=True)
    by_ref = {row["ref"]: row for row in after["action"].values()}
    assert (by_ref["3.2"]["rag"], by_ref["3.3"]["status"], by_ref["3.4"]["percent"]) == (
        "R",
        "on_hold",
        30,
    )


@pytest.mark.parametrize(
    ("flag", "rag"), [((), "R"), (("--take-returned",), "G")], ids=["default", "take-returned"]
)
def test_the_command_line_keeps_the_plan_in_a_conflict_unless_told_to_take_theirs(
    sample_path: Path,
    sent: Sent,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flag: tuple[str, ...],
    rag: str,
) -> None:
    edit_plan(
        sample_path,
        lambda runner, plan_file: runner.execute(
            EditRecord("action", action_id(plan_file, "3.2"), {"rag": "R"})
        ),
    )

    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.2", "RAG", "Green")
        partner.set("Actions", "3.4", "% complete", 30)

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    code, out, err = cli(capsys, "import", sample_path, returned, "--apply", *flag)
    assert (code, err) == (0, "")
    conflict = next(line for line in out.splitlines() if line.startswith("CONFLICT "))
    assert conflict.endswith("[apply]" if flag else "[keep plan]")
    by_ref = {row["ref"]: row for row in saved_snapshot(sample_path)["action"].values()}
    assert (by_ref["3.2"]["rag"], by_ref["3.4"]["percent"]) == (rag, 30)


def test_commentary_returned_after_the_plan_recorded_a_newer_update_is_a_conflict(
    sample_plan: PlanFile, runner: CommandRunner, sent: Sent, tmp_path: Path
) -> None:
    ref_34 = action_id(sample_plan, "3.4")
    runner.execute(
        AddProgressUpdate(ref_34, {"as_at": STATUS_DATE, "commentary": "Board agreed delay."})
    )
    returned = returned_copy(
        sent,
        tmp_path / RETURNED,
        lambda p: p.set("Actions", "3.4", "Latest update", "Tender evaluation complete."),
    )
    before = snapshot(sample_plan)
    preview = preview_of(sample_plan, returned)
    [conflict] = preview.conflicts
    assert (conflict.label, conflict.column) == ("Action 3.4", "Latest update")
    assert (conflict.plan_value, conflict.returned_value) == (
        "Board agreed delay.",
        "Tender evaluation complete.",
    )
    assert not conflict.take_returned
    _, applied = apply(sample_plan, preview)
    assert without(snapshot(sample_plan), *LEDGER) == without(before, *LEDGER)
    runner.undo(applied)
    assert snapshot(sample_plan) == before
    preview.take_returned_everywhere()
    apply(sample_plan, preview)
    texts = [u["commentary"] for u in snapshot(sample_plan)["progress_update"].values()]
    assert "Tender evaluation complete." in texts


# ----- 5. columns partners may not change ----------------------------------------------------


def test_changes_to_columns_partners_may_not_edit_are_listed_and_not_applied(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    milestone = sent.milestones_of("3.4")[0]
    old = sent.tables["Milestones"][milestone]

    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.2", "Ref", "3.9")
        partner.set("Actions", "3.2", "Action", "Asset register (renamed)")
        partner.set("Actions", "3.2", "Lead officer", "Karen Holt")
        partner.set("Actions", "3.2", "Partners", "NCC only")
        partner.set("Milestones", milestone, "Milestone", "Renamed milestone")
        partner.set("Milestones", milestone, "Owner", "Karen Holt")

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    before = snapshot(sample_plan)
    preview = preview_of(sample_plan, returned)
    label = f"Milestone '{old['Milestone']}' (3.4)"
    assert {(n.label, n.column, n.plan_value, n.returned_value) for n in preview.not_applied} == {
        ("Action 3.2", "Ref", "3.2", "3.9"),
        ("Action 3.2", "Action", sent.action("3.2")["Action"], "Asset register (renamed)"),
        ("Action 3.2", "Lead officer", sent.action("3.2")["Lead officer"], "Karen Holt"),
        ("Action 3.2", "Partners", sent.action("3.2")["Partners"], "NCC only"),
        (label, "Milestone", old["Milestone"], "Renamed milestone"),
        (label, "Owner", old["Owner"], "Karen Holt"),
    }
    assert preview.changes == [] and preview.is_empty
    lines = preview_lines(preview)
    assert "Not applied: Action 3.2, Ref: '3.2' -> '3.9' (change this in the plan)" in lines
    assert (
        f"Not applied: {label}, Owner: '{old['Owner']}' -> 'Karen Holt' (change this in the plan)"
        in lines
    )
    assert snapshot(sample_plan) == before


# ----- 6. rows without an ID ------------------------------------------------------------------


def test_new_rows_are_proposed_and_added_and_incomplete_ones_are_listed_with_the_reason(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    rows: dict[str, int] = {}

    def edit(partner: Copy) -> None:
        rows["milestone"] = partner.add_row(
            "Milestones",
            {"Action ref": "3.4", "Milestone": "Contract signed", "Due": "30/04/2014"},
        )
        rows["action"] = partner.add_row(
            "Actions",
            {
                "Theme": "3. Strategic Commissioning & Shared Services",
                "Action": "Joint print and mail service",
                "Start": date(2014, 4, 1),
                "Due": "31 Mar 2015",
                "RAG": "green",
            },
        )
        rows["no due"] = partner.add_row(
            "Milestones", {"Action ref": "3.4", "Milestone": "Supplier day"}
        )
        rows["no action"] = partner.add_row(
            "Milestones", {"Action ref": "9.9", "Milestone": "Orphan", "Due": date(2014, 5, 1)}
        )
        rows["no title"] = partner.add_row("Actions", {"Theme": "3. Strategic Commissioning"})
        rows["no theme"] = partner.add_row(
            "Actions", {"Theme": "Shared services", "Action": "Shared HR system"}
        )
        rows["unknown action"] = partner.add_row(
            "Actions", {"ID": "0123456789abcdef0123456789abcdef", "RAG": "Red"}
        )
        rows["unknown milestone"] = partner.add_row(
            "Milestones", {"ID": "fedcba9876543210fedcba9876543210", "Note": "Gone?"}
        )

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    before = snapshot(sample_plan)
    used = {a["ref"] for a in before["action"].values()}
    assert {"3.1", "3.2", "3.3", "3.4", "3.5"} <= used and "3.6" not in used
    preview = preview_of(sample_plan, returned)
    lines = preview_lines(preview)
    review = "kept for review: File > Review proposals, or --accept-new"
    for line in (
        f"Milestones row {rows['milestone']}: New milestone 'Contract signed' for action 3.4 "
        f"({review})",
        f"Actions row {rows['action']}: New action 'Joint print and mail service' in theme 3 "
        f"({review})",
        f"Actions row {rows['no theme']}: New action 'Shared HR system' in no theme of the "
        "plan (choose one) (kept for review: choose its theme in File > Review proposals)",
        f"Milestones row {rows['no due']}: New milestone 'Supplier day' for action 3.4 "
        "(not kept: it has no due date)",
        f"Milestones row {rows['no action']}: New milestone 'Orphan' for action 9.9 "
        "(not kept: its Action ref '9.9' is not an action of the plan)",
        f"Actions row {rows['no title']}: New action '(no title)' in theme 3 "
        "(not kept: it has no action title)",
    ):
        assert line in lines, "\n".join(lines)
    assert any(
        n.startswith(f"Actions row {rows['unknown action']}: ID 0123456789abcdef")
        and "is not in the plan" in n
        for n in preview.ignored
    ), preview.ignored
    assert any(
        n.startswith(f"Milestones row {rows['unknown milestone']}: ID fedcba98")
        for n in preview.ignored
    ), preview.ignored
    assert preview.changes == []

    # Merged, the proposals wait for review: nothing enters the plan yet.
    runner, _ = apply(sample_plan, preview)
    kept = snapshot(sample_plan)
    assert without(kept, *LEDGER) == without(before, *LEDGER)
    proposals = {p["title"]: p for i, p in kept["proposal"].items() if i not in before["proposal"]}
    assert sorted(proposals) == [
        "Contract signed",
        "Joint print and mail service",
        "Shared HR system",
    ]
    assert {p["state"] for p in proposals.values()} == {"pending"}

    # Accepted, each is added as the row proposed it.
    for title in ("Joint print and mail service", "Contract signed"):
        runner.execute(AcceptProposal(proposals[title]["id"]))
    after = snapshot(sample_plan)
    new_actions = [a for i, a in after["action"].items() if i not in before["action"]]
    assert [(a["ref"], a["title"], a["start"], a["due"], a["rag"]) for a in new_actions] == [
        ("3.6", "Joint print and mail service", date(2014, 4, 1), date(2015, 3, 31), "G")
    ]
    theme_3 = next(t["id"] for t in after["theme"].values() if t["number"] == 3)
    assert new_actions[0]["theme_id"] == theme_3
    new_milestones = [m for i, m in after["milestone"].items() if i not in before["milestone"]]
    assert [(m["action_id"], m["title"], m["due"]) for m in new_milestones] == [
        (action_id(sample_plan, "3.4"), "Contract signed", date(2014, 4, 30))
    ]
    assert without(after, "action", "milestone", *LEDGER) == without(
        before, "action", "milestone", *LEDGER
    )


def test_two_new_actions_in_one_theme_each_get_a_free_ref(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    def edit(partner: Copy) -> None:
        for title in ("Joint print service", "Joint mail service"):
            partner.add_row("Actions", {"Theme": "3. Strategic Commissioning", "Action": title})

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    preview = preview_of(sample_plan, returned)
    assert [p.reason for p in preview.proposed] == ["", ""]
    preview.accept_proposals()
    apply(sample_plan, preview)
    refs = {a["title"]: a["ref"] for a in snapshot(sample_plan)["action"].values()}
    assert (refs["Joint print service"], refs["Joint mail service"]) == ("3.6", "3.7")


def test_a_new_row_copied_from_an_existing_action_is_not_promised_with_a_taken_ref(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    def edit(partner: Copy) -> None:
        worksheet = partner.workbook["Actions"]
        values = [cell.value for cell in worksheet[partner.row("Actions", "1.2")]]
        row = partner.add_row("Actions", {})
        for column, value in enumerate(values, start=1):
            worksheet.cell(row, column).value = value
        worksheet.cell(row, partner.column("Actions", "ID")).value = None
        worksheet.cell(row, partner.column("Actions", "Action")).value = "Second strategy"
        partner.set("Actions", "3.4", "% complete", 30)

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    preview = preview_of(sample_plan, returned)
    [proposed] = preview.proposed
    if not proposed.reason:  # promised: then it must be added, with a ref of its own
        preview.accept_proposals()
        apply(sample_plan, preview)
        refs = [a["ref"] for a in snapshot(sample_plan)["action"].values()]
        assert len(refs) == len(set(refs))
    else:
        assert "1.2" in proposed.reason


# ----- 7. forgiving about layout and typing, strict about meaning ------------------------


def rebuild(partner: Copy, sheet: str, renames: dict[str, str], extra: str) -> None:
    """Lay a sheet out afresh as a partner might: a title line above the table, the
    columns in reverse order, headings retyped, and a column of their own."""
    worksheet = partner.workbook[sheet]
    lines = [[cell.value for cell in line] for line in worksheet.iter_rows()]
    position = partner.workbook.sheetnames.index(sheet)
    partner.workbook.remove(worksheet)
    fresh = partner.workbook.create_sheet(sheet, position)
    fresh.append([f"{sheet} returned by Northshire College"])
    order = list(reversed(range(len(lines[0]))))
    for number, line in enumerate(lines):
        cells = [line[i] if i < len(line) else None for i in order]
        if number == 0:
            cells = [renames.get(str(value), value) for value in cells]
        cells.insert(3, extra if number == 0 else "our own note")
        fresh.append(cells)


def test_reading_forgives_layout_headings_and_how_values_are_typed(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    completed = sent.milestones_of("7.1")[-1]
    assert sent.tables["Milestones"][completed]["Completed"] is None

    def edit(partner: Copy) -> None:
        partner.set("Actions", "1.3", "Due", "01/04/2014")
        partner.set("Actions", "1.4", "Due", "1 Apr 2014")
        partner.set("Actions", "2.1", "Start", datetime(2012, 2, 1))
        partner.set("Actions", "2.1", "% complete", 50)
        partner.set("Actions", "2.2", "% complete", "50%")
        partner.set("Actions", "2.3", "% complete", 0.5)
        partner.set("Actions", "1.3", "RAG", "Amber")
        partner.set("Actions", "2.1", "RAG", "amber")
        partner.set("Actions", "4.4", "RAG", "A")
        partner.set("Actions", "4.4", "Status", "on hold")
        partner.set("Milestones", completed, "Completed", "15/01/2014")
        rebuild(
            partner,
            "Actions",
            {"Due": "  due  ", "RAG": "rag", "% complete": "% COMPLETE", "Status": "Status *"},
            "My notes",
        )
        rebuild(partner, "Milestones", {"Completed": "COMPLETED", "Due": " Due"}, "Chased?")
        notes = partner.workbook.create_sheet("Notes")
        notes.append(["Anything else", "Call Karen about 4.4"])

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    preview = preview_of(sample_plan, returned)
    assert preview.problems == []
    assert "Sheet 'Notes' is not part of the plan, so it was ignored." in preview.ignored
    assert "Actions column 'My notes' is not a plan column, so it was ignored." in preview.ignored
    assert "Milestones column 'Chased?' is not a plan column, so it was ignored." in preview.ignored
    title = sent.tables["Milestones"][completed]["Milestone"]
    assert summary(preview) == {
        ("Action 1.3", "Due", date(2014, 3, 31), date(2014, 4, 1)),
        ("Action 1.4", "Due", date(2014, 6, 30), date(2014, 4, 1)),
        ("Action 2.1", "Start", date(2012, 1, 9), date(2012, 2, 1)),
        ("Action 2.1", "% complete", 60, 50),
        ("Action 2.2", "% complete", 55, 50),
        ("Action 2.3", "% complete", 35, 50),
        ("Action 1.3", "RAG", "G", "A"),
        ("Action 2.1", "RAG", "G", "A"),
        ("Action 4.4", "RAG", "G", "A"),
        ("Action 4.4", "Status", "in_progress", "on_hold"),
        (f"Milestone '{title}' (7.1)", "Completed", None, date(2014, 1, 15)),
    }
    assert preview.not_applied == [] and preview.proposed == []
    apply(sample_plan, preview)
    after = snapshot(sample_plan)
    by_ref = {a["ref"]: a for a in after["action"].values()}
    assert by_ref["2.1"]["start"] == date(2012, 2, 1)
    assert [by_ref[ref]["percent"] for ref in ("2.1", "2.2", "2.3")] == [50, 50, 50]
    assert [by_ref[ref]["rag"] for ref in ("1.3", "2.1", "4.4")] == ["A", "A", "A"]
    done = after["milestone"][milestone_id(sample_plan, completed)]
    assert done["completed_on"] == date(2014, 1, 15)


def test_values_that_cannot_be_understood_are_reported_and_skipped_never_guessed(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    milestone = sent.milestones_of("7.1")[-1]
    rows: dict[str, int] = {}

    def edit(partner: Copy) -> None:
        rows["date"] = partner.set("Milestones", milestone, "Completed", "31/02/2014")
        partner.set("Milestones", milestone, "Note", "Signed off at the Board")
        rows["abc"] = partner.set("Actions", "3.4", "% complete", "abc")
        rows["purple"] = partner.set("Actions", "3.3", "RAG", "Purple")
        rows["formula"] = partner.set("Actions", "3.5", "% complete", "=1+1")
        rows["status"] = partner.set("Actions", "3.3", "Status", "Nearly there")

    returned = returned_copy(sent, tmp_path / RETURNED, edit)
    column = sent.headers["Actions"].index("% complete") + 1
    typed = openpyxl.load_workbook(returned)["Actions"].cell(rows["formula"], column)
    assert (typed.data_type, typed.value) == ("f", "=1+1")  # a real formula, no value
    before = snapshot(sample_plan)
    preview = preview_of(sample_plan, returned)
    assert [str(problem) for problem in preview.problems] == [
        f"Actions row {rows['status']}, Status: 'Nearly there' is not a status (use one of: "
        "Not started, In progress, Completed, On hold, Cancelled)",
        f"Actions row {rows['purple']}, RAG: 'Purple' is not a RAG rating "
        "(use Red, Amber, Green, Blue)",
        f"Actions row {rows['abc']}, % complete: 'abc' is not a percentage from 0 to 100",
        f"Actions row {rows['formula']}, % complete: '=1+1' is a formula, which is never "
        "worked out; type the value",
        f"Milestones row {rows['date']}, Completed: '31/02/2014' is not a date",
    ]
    lines = preview_lines(preview)
    assert f"Skipped: Milestones row {rows['date']}, Completed: '31/02/2014' is not a date" in lines
    title = sent.tables["Milestones"][milestone]["Milestone"]
    assert summary(preview) == {
        (f"Milestone '{title}' (7.1)", "Note", "", "Signed off at the Board")
    }
    apply(sample_plan, preview)
    after = snapshot(sample_plan)
    changed = after["milestone"][milestone_id(sample_plan, milestone)]
    assert (changed["completed_on"], changed["note"]) == (None, "Signed off at the Board")
    assert without(after, "milestone", *LEDGER) == without(before, "milestone", *LEDGER)
    assert after["action"][action_id(sample_plan, "3.5")]["percent"] == 0  # not 2


def test_100_percent_typed_in_excel_is_read_as_100(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    def edit(partner: Copy) -> None:
        cell = partner.workbook["Actions"].cell(
            partner.row("Actions", "3.4"), partner.column("Actions", "% complete")
        )
        cell.value, cell.number_format = 1, "0%"  # what Excel stores for "100%"

    preview = preview_of(sample_plan, returned_copy(sent, tmp_path / RETURNED, edit))
    assert summary(preview) == {("Action 3.4", "% complete", 25, 100)}


# ----- 8. hostile and foreign workbooks ---------------------------------------------------


def sheet_member(path: Path, name: str) -> str:
    """The zip member holding a sheet, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(
        sheet.get(f"{RELATIONSHIP_NS}id")
        for sheet in book.iter(f"{SPREAD_SHEET_NS}sheet")
        if sheet.get("name") == name
    )
    target = next(rel.get("Target") for rel in rels if rel.get("Id") == rel_id)
    assert target is not None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def rewrite_member(source: Path, out: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == member else data)
    return out


def not_a_workbook(sent: Sent, folder: Path) -> Path:
    path = folder / RETURNED
    path.write_text("Ref,Action,RAG\n3.2,Joint ICT asset register,Green\n", encoding="utf-8")
    return path


def truncated(sent: Sent, folder: Path) -> Path:
    data = sent.path.read_bytes()
    path = folder / RETURNED
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def password_protected(sent: Sent, folder: Path) -> Path:
    path = folder / RETURNED
    path.write_bytes(OLE_SIGNATURE + bytes(504) + b"EncryptedPackage" + bytes(2000))
    return path


def with_macros(sent: Sent, folder: Path) -> Path:
    path = shutil.copy2(sent.path, folder / RETURNED)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\r\n' * 20)
    return Path(path)


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE worksheet [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)


def entity_expansion(sent: Sent, folder: Path) -> Path:
    def payload(data: bytes) -> bytes:
        text = re.sub(r"^<\?xml[^>]*\?>", "", data.decode("utf-8"))
        text = re.sub(r"(<t(?: [^>]*)?>)", r"\1&lol9;", text, count=1)
        assert "&lol9;" in text
        return (LAUGHS + text).encode("utf-8")

    return rewrite_member(sent.path, folder / RETURNED, sheet_member(sent.path, "Actions"), payload)


def zip_bomb(sent: Sent, folder: Path) -> Path:
    path = Path(shutil.copy2(sent.path, folder / RETURNED))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/media/image1.bin", "w") as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(150):  # 150 MB of zeros, packed to a few hundred KB
            member.write(chunk)
    return path


def too_many_rows(sent: Sent, folder: Path) -> Path:
    """A workbook from this plan whose Actions sheet has 100,001 rows under its header:
    written with openpyxl's write-only mode, the rows then filled in as XML (fast)."""
    skeleton = Workbook(write_only=True)
    meta = skeleton.create_sheet("_planner")
    meta.append(["format", "strategy-planner-export"])
    meta.append(["plan_id", sent.plan_uid])
    meta.append(["exported_at", sent.exported_at.isoformat()])
    skeleton.create_sheet("Actions").append(["ID"])
    skeleton.save(folder / "skeleton.xlsx")
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 100_003))

    def fill(data: bytes) -> bytes:
        text = data.decode("utf-8").replace("</sheetData>", rows + "</sheetData>")
        return text.replace("<sheetViews>", '<dimension ref="A1:A100002"/><sheetViews>').encode()

    member = sheet_member(folder / "skeleton.xlsx", "Actions")
    return rewrite_member(folder / "skeleton.xlsx", folder / RETURNED, member, fill)


def another_plans_export(sent: Sent, folder: Path) -> Path:
    other = folder / "other.plan"
    plan_file = write_sample(other, data_dir=folder / "other-data")
    try:
        with plan_file.Session() as session:
            content = gather(session, plan_file.plan_id, ExportOptions())
    finally:
        plan_file.close()
    assert content.header.uid != sent.plan_uid
    return export_workbook(content, folder / RETURNED)


HOSTILE: dict[str, tuple[Callable[[Sent, Path], Path], str]] = {
    "text-file-named-xlsx": (not_a_workbook, "is not an Excel workbook (.xlsx);"),
    "damaged-zip": (truncated, "is damaged: it cannot be opened as a workbook;"),
    "password-protected": (password_protected, "is password-protected or an old-style .xls"),
    "macros": (with_macros, "contains macros, so it is not opened."),
    "billion-laughs": (entity_expansion, "is damaged or not a workbook this program can read;"),
    "zip-bomb": (zip_bomb, "far more than a returned plan needs, so it is not opened."),
    "too-many-rows": (too_many_rows, "has more than 100,000 rows, far more than a plan holds"),
    "another-plan": (another_plans_export, "was exported from a different plan"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_or_foreign_workbook_is_refused_in_one_sentence_and_changes_nothing(
    case: str,
    sample_path: Path,
    sent: Sent,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build, expected = HOSTILE[case]
    folder = tmp_path / "returned"
    folder.mkdir()
    returned = build(sent, folder)
    before = sample_path.read_bytes()

    started = time.perf_counter()
    plan_file = PlanFile.open(sample_path)
    try:
        with pytest.raises(PlannerError) as refused:
            preview_of(plan_file, returned, "Claire Dobson")
    finally:
        plan_file.close(discard=True)
    message = str(refused.value)
    if case != "another-plan":
        assert isinstance(refused.value, WorkbookError)
    assert expected in message
    assert message.startswith(f"'{RETURNED}'") or message.startswith("The 'Actions' sheet")
    assert "\n" not in message and message.endswith(".")
    assert time.perf_counter() - started < 20

    code, out, err = cli(capsys, "import", sample_path, returned, "--apply", "--take-returned")
    assert code == 2
    assert assert_one_line_refusal(err) == f"planner: {message}"
    assert "Merged" not in out
    assert sample_path.read_bytes() == before


def test_a_workbook_damaged_inside_a_compressed_part_is_refused(
    sent: Sent, tmp_path: Path, sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    member = sheet_member(sent.path, "Actions")
    data = bytearray(sent.path.read_bytes())
    with zipfile.ZipFile(sent.path) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 3
    data[middle : middle + 16] = b"\xaa" * 16  # a few bytes garbled in an e-mail relay
    returned = tmp_path / RETURNED
    returned.write_bytes(bytes(data))
    with pytest.raises(WorkbookError, match="is damaged"):
        read_returned(returned, ())
    code, _, err = cli(capsys, "import", sample_path, returned)
    assert code == 2
    assert_one_line_refusal(err)


def test_a_workbook_saved_by_excel_with_damaged_sheet_xml_is_refused(
    sent: Sent, tmp_path: Path, sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = returned_copy(sent, tmp_path / "saved.xlsx", lambda partner: None)
    member = sheet_member(saved, "Actions")

    def cut(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert "<dimension " in text
        return text[: text.index('<row r="5"') + 40].encode("utf-8")

    returned = rewrite_member(saved, tmp_path / RETURNED, member, cut)
    with pytest.raises(WorkbookError, match="damaged"):
        read_returned(returned, ())
    code, _, err = cli(capsys, "import", sample_path, returned)
    assert code == 2
    assert_one_line_refusal(err)


class CountingDecompressor:
    """Wraps zipfile's decompressor and counts the bytes it unpacks."""

    unpacked = 0

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out: bytes = self.inner.decompress(data, max_length)
        CountingDecompressor.unpacked += len(out)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_zip_bomb_is_refused_from_its_declared_size_before_being_unpacked(
    sent: Sent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    returned = zip_bomb(sent, tmp_path)
    real = zipfile._get_decompressor  # type: ignore[attr-defined]

    def counting(compress_type: int) -> Any:
        inner = real(compress_type)
        return None if inner is None else CountingDecompressor(inner)

    CountingDecompressor.unpacked = 0
    monkeypatch.setattr(zipfile, "_get_decompressor", counting)
    with pytest.raises(WorkbookError, match="unpacks to 158 MB"):
        read_returned(returned, ())
    assert CountingDecompressor.unpacked < 10 << 20, "the bomb was unpacked to be refused"


# ----- 9. several returned copies, one after another, and undo --------------------------


def test_copies_merge_one_after_another_and_each_merge_undoes_exactly(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    milestone = sent.milestones_of("1.3")[-1]

    def from_claire(partner: Copy) -> None:
        partner.set("Actions", "1.3", "RAG", "Amber")
        partner.set("Actions", "1.3", "Latest update", "Board paper drafted.")
        partner.set("Milestones", milestone, "Completed", "20/12/2013")

    def from_karen(partner: Copy) -> None:  # 1.3 left as sent
        partner.set("Actions", "2.1", "% complete", 62)
        partner.set("Actions", "1.4", "RAG", "Red")

    def from_ian(partner: Copy) -> None:  # 1.3's RAG changed differently from Claire
        partner.set("Actions", "1.3", "RAG", "Red")

    first = returned_copy(sent, tmp_path / "claire.xlsx", from_claire)
    second = returned_copy(sent, tmp_path / "karen.xlsx", from_karen)
    third = returned_copy(sent, tmp_path / "ian.xlsx", from_ian)

    runner_for(sample_plan, who="Head of ICT").execute(
        EditRecord("plan", sample_plan.plan_id, {"return_rule": "anyone"})
    )
    original = snapshot(sample_plan)
    preview = preview_of(sample_plan, first, "Claire Dobson")
    assert len(preview.changes) == 3
    runner, applied_first = apply(sample_plan, preview, who="Claire Dobson")
    after_first = snapshot(sample_plan)

    preview = preview_of(sample_plan, second, "Karen Holt")
    assert summary(preview) == {
        ("Action 2.1", "% complete", 60, 62),
        ("Action 1.4", "RAG", "A", "R"),
    }
    assert preview.conflicts == []
    _, applied_second = apply(sample_plan, preview, who="Karen Holt")
    after_second = snapshot(sample_plan)
    assert after_second != after_first

    # Ian's copy went out with Claire's: a different RAG from it is a conflict with her
    # return, not with the plan, and the plan goes back to its own value until one is picked.
    preview = preview_of(sample_plan, third, "Ian Marsden")
    [conflict] = preview.changes
    assert (conflict.label, conflict.column, conflict.conflict) == ("Action 1.3", "RAG", False)
    assert conflict.in_conflict and not conflict.take_returned
    assert (conflict.plan_value, conflict.returned_value) == ("A", "R")
    assert [(rival.sender, rival.value) for rival in conflict.rivals] == [("Claire Dobson", "A")]

    runner.execute(applied_second.inverse)
    assert snapshot(sample_plan) == after_first
    runner.execute(applied_first.inverse)
    assert snapshot(sample_plan) == original


# ----- smaller things an officer would notice --------------------------------------------


def test_a_from_name_with_wildcard_characters_names_no_author(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    returned = returned_copy(
        sent, tmp_path / RETURNED, lambda p: p.set("Actions", "6.1", "Latest update", "Done.")
    )
    assert preview_of(sample_plan, returned, "%").author_id is None


def test_the_preview_names_rag_ratings_as_the_workbook_does(
    sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    returned = returned_copy(
        sent, tmp_path / RETURNED, lambda p: p.set("Actions", "3.2", "RAG", "Green")
    )
    lines = preview_lines(preview_of(sample_plan, returned))
    assert "Action 3.2, RAG: plan Blue -> returned Green [apply]" in lines


@pytest.mark.parametrize("case", ["cleared-milestone-due", "start-after-due"])
def test_a_returned_value_the_plan_refuses_is_reported_not_fatal_to_the_merge(
    case: str, sample_plan: PlanFile, sent: Sent, tmp_path: Path
) -> None:
    def edit(partner: Copy) -> None:
        partner.set("Actions", "3.4", "% complete", 30)
        if case == "cleared-milestone-due":
            partner.set("Milestones", sent.milestones_of("5.3")[0], "Due", None)
        else:
            partner.set("Actions", "1.2", "Start", "01/01/2016")

    preview = preview_of(sample_plan, returned_copy(sent, tmp_path / RETURNED, edit))
    apply(sample_plan, preview)
    assert snapshot(sample_plan)["action"][action_id(sample_plan, "3.4")]["percent"] == 30


def test_workbooks_are_refused_when_safe_xml_parsing_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """defusedxml guards against entity-expansion attacks; without it nothing is read."""
    import openpyxl.xml

    from planner.domain import DEFAULT_RAG_DEFINITIONS
    from planner.io.excel.reading import WorkbookError, read_returned, safe_xml_in_use

    assert safe_xml_in_use(), "the installed openpyxl must be using defusedxml"
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    book = tmp_path / "any.xlsx"
    openpyxl.Workbook().save(book)
    with pytest.raises(WorkbookError, match="cannot be read safely"):
        read_returned(book, DEFAULT_RAG_DEFINITIONS)
