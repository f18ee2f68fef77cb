"""`planner history`: the audit trail of a plan, as the terminal shows it and as a CSV
for Excel. The changes are made through the normal command path by named officers, one
of them tagged with the merged return it came from, and dated as if made over a winter."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, update

from planner.cli import main
from planner.commands import Command, CreateRecord, DeleteRecord, EditRecord, runner_for
from planner.queries.history import HEADINGS, change_history, history_table
from planner.store.models import Action, JournalEntry, Milestone, Partner, Person
from planner.store.planfile import PlanFile

# PLANNER_USER names the officer running each test: "Test Officer"
pytestmark = pytest.mark.usefixtures("officer_name_for_tests")

SOFFICE = shutil.which("soffice")
RETURN_SOURCE = "import of College actions - returned.xlsx from Sarah Whitfield"
COLLEGE_RETURN = "Return from Northshire College (Sarah Whitfield), merged 21/01/2014"
HYPERLINK = '=HYPERLINK("http://example.org","Click me")'
NOTE = "Supplier slipped the date.\nNew date agreed at the board on 2 Dec."


class Plan:
    """The sample plan open, with changes made through its command runner."""

    def __init__(self, plan_file: PlanFile) -> None:
        self.plan_file = plan_file

    def one(self, model: Any, **where: Any) -> Any:
        with self.plan_file.Session() as session:
            query = select(model)
            for key, value in where.items():
                query = query.where(getattr(model, key) == value)
            return session.scalars(query).first()

    def change(
        self,
        who: str,
        at: datetime,
        command: Command,
        *,
        source: str = "edit",
        return_id: int | None = None,
    ) -> int:
        """Run `command` as `who` and date its journal entries `at`; the first row's id."""
        with self.plan_file.Session() as session:
            before = session.scalar(select(JournalEntry.id).order_by(JournalEntry.id.desc()))
        command.return_id = return_id
        applied = runner_for(self.plan_file, who=who).execute(command, source=source)
        with self.plan_file.Session.begin() as session:
            session.execute(
                update(JournalEntry).where(JournalEntry.id > (before or 0)).values(at=at)
            )
        return applied.changes[0].row_id


@pytest.fixture
def history_plan(sample_path: Path, data_dir: Path) -> Iterator[Path]:
    """The sample plan after a winter's changes (see the test module's docstring)."""
    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        plan = Plan(plan_file)
        action = plan.one(Action, ref="3.2")
        milestone = plan.one(Milestone, title="Returns received from all ten partners")
        college = plan.one(Partner, name="Northshire College")
        sarah = plan.one(Person, name="Sarah Whitfield")
        helen, ruth = "Helen Ashworth", "Ruth Calloway"

        plan.change(
            helen,
            datetime(2013, 12, 2, 9, 15),
            EditRecord("action", action.id, {"rag": "R", "due": date(2014, 6, 30)}),
        )
        plan.change(
            helen,
            datetime(2013, 12, 2, 9, 20),
            EditRecord("milestone", milestone.id, {"owner_id": sarah.id, "note": NOTE}),
        )
        plan.change(
            ruth,
            datetime(2013, 12, 3, 16, 40),
            EditRecord("action", plan.one(Action, ref="1.1").id, {"status": "on_hold"}),
        )
        merged = plan.change(
            helen,
            datetime(2014, 1, 21, 10, 0),
            CreateRecord(
                "merged_return",
                {
                    "fingerprint": "9" * 64,
                    "file_name": "College actions - returned.xlsx",
                    "recipient": "Northshire College",
                    "returned_by": "Sarah Whitfield",
                    "partner_id": college.id,
                    "exported_at": datetime(2014, 1, 6, 9, 30),
                    "returned_at": datetime(2014, 1, 20, 16, 5),
                    "merged_at": datetime(2014, 1, 21, 10, 0),
                    "merged_by": helen,
                },
            ),
            source=RETURN_SOURCE,
        )
        plan.change(
            helen,
            datetime(2014, 1, 21, 10, 0),
            CreateRecord(
                "returned_value",
                {
                    "return_id": merged,
                    "entity": "action",
                    "record_uid": action.uid,
                    "field": "percent",
                    "value": "60",
                    "outcome": "applied",
                },
            ),
            source=RETURN_SOURCE,
            return_id=merged,
        )
        plan.change(
            helen,
            datetime(2014, 1, 21, 10, 0),
            EditRecord("action", action.id, {"percent": 60, "status": "in_progress"}),
            source=RETURN_SOURCE,
            return_id=merged,
        )
        plan.change(
            helen,
            datetime(2014, 1, 21, 10, 0),
            CreateRecord(
                "progress_update",
                {
                    "action_id": action.id,
                    "as_at": date(2013, 12, 31),
                    "status": "in_progress",
                    "rag": "R",
                    "percent": 60,
                    "commentary": "Register 60% populated; two partners still to return.",
                    "author_id": sarah.id,
                    "partner_id": college.id,
                },
            ),
            source=RETURN_SOURCE,
            return_id=merged,
        )
        plan.change(
            ruth,
            datetime(2014, 1, 22, 11, 5),
            EditRecord("action", action.id, {"title": HYPERLINK}),
        )
        plan.change(ruth, datetime(2014, 1, 23, 8, 30), DeleteRecord("milestone", milestone.id))
        plan.change(
            helen,
            datetime(2014, 1, 24, 12, 0),
            EditRecord("partner", college.id, {"short_name": "NC"}),
        )
        plan_file.save()
    return sample_path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Siân as Siân
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


# ----- the terminal --------------------------------------------------------------------------


def test_history_lists_each_changed_field_as_an_officer_reads_it(
    history_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "history", history_plan)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert cells(lines[0]) == list(HEADINGS)
    body = [cells(line) for line in lines[1:]]
    helen, ruth, edit = "Helen Ashworth", "Ruth Calloway", "Edit in the plan"
    on_3_2 = ("Milestone 'Returns received from all ten…' (3.2)",)  # cut to fit
    old_title = "Joint ICT asset and contract register"
    assert (
        body
        == [
            ["02/12/2013 09:15", helen, "Action 3.2", "RAG", "Blue", "Red", edit],
            ["02/12/2013 09:15", helen, "Action 3.2", "Due", "31/12/2012", "30/06/2014", edit],
            ["02/12/2013 09:20", helen, *on_3_2, "Owner", "Claire Dobson", "Sarah Whitfield", edit],
            [
                "02/12/2013 09:20",
                helen,
                *on_3_2,
                "Note",
                "Hospitals Trust and University returns…",  # long values are cut to fit the line
                "Supplier slipped the date. New date…",
                edit,
            ],
            ["03/12/2013 16:40", ruth, "Action 1.1", "Status", "Completed", "On hold", edit],
            ["21/01/2014 10:00", helen, "Action 3.2", "% complete", "100%", "60%", COLLEGE_RETURN],
            [
                "21/01/2014 10:00",
                helen,
                "Action 3.2",
                "Status",
                "Completed",
                "In progress",
                COLLEGE_RETURN,
            ],
            ["21/01/2014 10:00", helen, "Progress update on 3.2", "Added", COLLEGE_RETURN],
            [
                "22/01/2014 11:05",
                ruth,
                "Action 3.2",
                "Title",
                old_title,
                HYPERLINK[:38] + "…",
                edit,
            ],
            ["23/01/2014 08:30", ruth, *on_3_2, "Removed", edit],
            [
                "24/01/2014 12:00",
                helen,
                "Partner body 'Northshire College'",
                "Short name",
                "NColl",
                "NC",
                edit,
            ],
        ]
    )
    # aligned: every column starts where its heading does
    for heading in ("Who", "Record", "Field"):
        column = lines[0].index(heading)
        assert all(line[column - 2 : column] == "  " != line[column : column + 2] for line in lines)
    # the bookkeeping of the merge is not listed on lines of its own
    assert "merged return" not in out.lower() and "returned value" not in out.lower()


def test_history_of_one_action_since_a_date(
    history_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "history", history_plan, "--action", "3.2", "--since", "21/01/2014")
    assert code == 0
    records = [cells(line)[2] for line in out.splitlines()[1:]]
    assert records == [
        "Action 3.2",
        "Action 3.2",
        "Progress update on 3.2",
        "Action 3.2",
        "Milestone 'Returns received from all ten…' (3.2)",
    ]
    code, out, _ = run(capsys, "history", history_plan, "--action", "1.1")
    assert [cells(line)[2:6] for line in out.splitlines()[1:]] == [
        ["Action 1.1", "Status", "Completed", "On hold"]
    ]
    code, out, _ = run(capsys, "history", history_plan, "--since", "01/02/2014")
    assert code == 0 and out == "No changes are recorded since 01/02/2014.\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--action", "9.9"], "planner: There is no action '9.9' in this plan;"),
        (["--since", "31/02/2014"], "planner: '31/02/2014' is not a date;"),
        (["--since", "last week"], "planner: 'last week' is not a date;"),
    ],
)
def test_bad_input_is_refused_in_one_sentence(
    history_plan: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = run(capsys, "history", history_plan, *args)
    assert code == 2 and out == ""
    assert err.startswith(says) and err.count("\n") == 1 and "Traceback" not in err


def test_a_return_since_deleted_is_named_by_the_journal(
    history_plan: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with PlanFile.open(history_plan, data_dir=data_dir) as plan_file:
        plan = Plan(plan_file)
        merged = plan.one(JournalEntry, entity="merged_return").entity_id
        gone = DeleteRecord("merged_return", merged)
        plan.change("Helen Ashworth", datetime(2014, 2, 1, 9, 0), gone)
        plan_file.save()
    code, out, _ = run(capsys, "history", history_plan, "--action", "3.2", "--since", "21/01/2014")
    assert code == 0
    sources = {cells(line)[-1] for line in out.splitlines()[1:4]}
    assert sources == {"Import of College actions - returned.xlsx from Sarah Whitfield"}


def test_a_person_and_a_partner_body_are_named_on_an_action(
    sample_path: Path, data_dir: Path
) -> None:
    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        plan = Plan(plan_file)
        action = plan.one(Action, ref="6.3")
        with plan_file.Session() as session:
            linked = session.get(Action, action.id)
            assert linked is not None
            people = {link.person_id for link in linked.people}
            partners = {link.partner_id for link in linked.partners}
            karen = session.scalars(
                select(Person).where(Person.id.not_in(people)).order_by(Person.name)
            ).first()
            cvs = session.scalars(
                select(Partner).where(Partner.id.not_in(partners)).order_by(Partner.name)
            ).first()
            assert karen is not None and cvs is not None
        at = datetime(2014, 1, 6, 9, 0)
        helen = "Helen Ashworth"
        person = {"action_id": action.id, "person_id": karen.id, "role": "I"}
        partner = {"action_id": action.id, "partner_id": cvs.id, "role": "funder"}
        plan.change(helen, at, CreateRecord("action_person", person))
        link = plan.change(helen, at, CreateRecord("action_partner", partner))
        plan.change(helen, at, EditRecord("action_partner", link, {"role": "delivery"}))
        with plan_file.Session() as session:
            lines = change_history(session, plan_file.plan_id, action_ref="6.3")
    cvs_on = f"Partner body '{cvs.name}' on 6.3"
    assert [(line.record, line.field, line.old_value, line.new_value) for line in lines] == [
        (f"Person '{karen.name}' on 6.3", "Added", "", ""),
        (cvs_on, "Added", "", ""),
        (cvs_on, "Role", "Funder", "Delivery partner"),
    ]


def test_history_table_cuts_long_values_to_keep_one_line_each(history_plan: Path) -> None:
    with PlanFile.open(history_plan, read_only=True) as plan_file, plan_file.Session() as s:
        lines = change_history(s, plan_file.plan_id)
    table = history_table(lines)
    assert len(table) == len(lines) + 1
    assert all("\n" not in line for line in table)
    assert any("…" in line for line in table)  # the milestone's long title


# ----- the CSV ---------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_changed_field_under_clear_headings(
    history_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "audit.csv"
    code, out, err = run(capsys, "history", history_plan, "--csv", out_csv)
    assert code == 0 and err == ""
    assert out == f"Wrote 11 change(s) to {out_csv}\n"
    rows = read_csv(out_csv)
    assert list(rows[0]) == list(HEADINGS)
    assert len(rows) == 11
    merged = [row for row in rows if row["Source"] == COLLEGE_RETURN]
    assert [
        (row["Record"], row["Field"], row["Old value"], row["New value"]) for row in merged
    ] == [
        ("Action 3.2", "% complete", "100%", "60%"),
        ("Action 3.2", "Status", "Completed", "In progress"),
        ("Progress update on 3.2", "Added", "", ""),
    ]
    assert {row["When"] for row in merged} == {"21/01/2014 10:00"}
    assert {row["Who"] for row in merged} == {"Helen Ashworth"}
    note = next(row for row in rows if row["Field"] == "Note")
    assert note["New value"] == NOTE  # the line break kept, in one cell
    assert note["Record"] == "Milestone 'Returns received from all ten partners' (3.2)"
    title = next(row for row in rows if row["Field"] == "Title")
    assert title["New value"] == "'" + HYPERLINK  # stored as text, never run as a formula
    assert title["Old value"] == "Joint ICT asset and contract register"


def test_the_csv_of_one_action(
    history_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "3.2.csv"
    assert run(capsys, "history", history_plan, "--action", "1.1", "--csv", out_csv)[0] == 0
    rows = read_csv(out_csv)
    assert [row["Record"] for row in rows] == ["Action 1.1"]
    assert rows[0]["Who"] == "Ruth Calloway"


def test_a_csv_that_cannot_be_written_is_refused_in_one_sentence(
    history_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "history", history_plan, "--csv", tmp_path / "nowhere" / "a.csv")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("planner: 'a.csv' could not be written: the folder")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui",
)
def test_the_csv_opens_in_a_spreadsheet_as_text_in_the_right_cells(
    history_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "audit.csv"
    assert run(capsys, "history", history_plan, "--csv", out_csv)[0] == 0
    started = time.monotonic()
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=CSV:44,34,76,1,,2057",  # comma, quote, UTF-8, line 1; English (UK)
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(out_csv),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started < 120
    sheet = openpyxl.load_workbook(tmp_path / "audit.xlsx").active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(HEADINGS)  # the BOM is not read into "When"
    assert len(values) == 12
    assert values[1][:3] == [datetime(2013, 12, 2, 9, 15), "Helen Ashworth", "Action 3.2"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    note = next(row for row in values if row[3] == "Note")
    assert note[5] == NOTE


def test_an_action_since_deleted_still_has_its_history_and_undo_says_so(
    sample_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with PlanFile.open(sample_path, data_dir=data_dir) as plan_file:
        plan = Plan(plan_file)
        action = plan.one(Action, ref="7.3")
        runner = runner_for(plan_file, who="Ruth Calloway")
        applied = runner.execute(EditRecord("action", action.id, {"percent": 15}))
        runner.undo(applied)
        runner.execute(DeleteRecord("action", action.id))
        plan_file.save()
    code, out, err = run(capsys, "history", sample_path, "--action", "7.3")
    assert code == 0, err
    body = [cells(line)[2:] for line in out.splitlines()[1:]]
    assert body[0] == ["Action 7.3", "% complete", "0%", "15%", "Edit in the plan"]
    assert body[1] == ["Action 7.3", "% complete", "15%", "0%", "Undo: Change % complete of 7.3"]
    assert ["Action 7.3", "Removed", "Edit in the plan"] in body
