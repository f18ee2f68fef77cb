"""`planner --self-test`: prove an installed copy works, without showing anything.

On a temporary copy of the sample plan it builds the main window offscreen, exports a
workbook, edits it as a partner would, and merges it back. Exits 0 only when every
check passed; prints one line per check.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEXT_ONLY = "offscreen"


class SelfTest:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plan = folder / "self-test.plan"
        self.workbook = folder / "self-test.xlsx"
        self.returned = folder / "self-test - returned.xlsx"
        self.changed_action: tuple[str, int] = ("", 0)  # ref, new % complete

    def safe_xml(self) -> str:
        from openpyxl.xml import DEFUSEDXML

        if DEFUSEDXML is not True:
            raise AssertionError("openpyxl is not using defusedxml")
        return "openpyxl reads workbooks through defusedxml"

    def resources(self) -> str:
        from planner.paths import resources_dir
        from planner.store.schema import MIGRATIONS_DIR
        from planner.ui.guide import guide_path

        needed = [
            resources_dir() / "sample" / "northshire.json",
            resources_dir() / "icons" / "app.svg",
            guide_path(),
            MIGRATIONS_DIR / "env.py",
        ]
        missing = [str(path) for path in needed if not path.is_file()]
        if missing:
            raise AssertionError("missing: " + ", ".join(missing))
        return f"resources in {resources_dir()}"

    def sample(self) -> str:
        from planner.io.sample import write_sample
        from planner.queries.checks import consistency_problems

        plan_file = write_sample(self.plan)
        try:
            with plan_file.Session() as session:
                problems = consistency_problems(session, plan_file.plan_id)
        finally:
            plan_file.close()
        if problems:
            raise AssertionError("; ".join(problems))
        return f"wrote and checked the sample plan ({self.plan.stat().st_size // 1024} KB)"

    def main_window(self) -> str:
        from planner.ui import create_main_window
        from planner.ui.app import application
        from planner.ui.guide import UserGuide
        from planner.ui.icons import icon

        app = application()
        window = create_main_window(self.plan)
        try:
            themes = window.themes_model.rowCount()
            actions = window.actions_page.table.model().rowCount()
            if themes <= 1 or actions == 0:
                raise AssertionError(f"{themes - 1} themes and {actions} actions shown")
            if icon("save").pixmap(24, 24).isNull() or icon("app").pixmap(64, 64).isNull():
                raise AssertionError("the SVG icons cannot be drawn (missing Qt plugin?)")
            if window.grab().isNull():
                raise AssertionError("the window could not be drawn")
            guide = UserGuide(window)
            if not guide.sections():
                raise AssertionError("the user guide has no sections")
            guide.close()
        finally:
            document = window.document
            window.set_document(None)
            if document is not None:
                document.close(discard=True)
            window.deleteLater()
            app.processEvents()
        return f"built the main window: {actions} actions in {themes - 1} themes"

    def export(self) -> str:
        from planner.io.excel import ExportOptions, export_workbook, gather
        from planner.store.planfile import PlanFile

        with PlanFile.open(self.plan, read_only=True) as plan_file, plan_file.Session() as s:
            content = gather(s, plan_file.plan_id, ExportOptions(exported_by="Self-test"))
        export_workbook(content, self.workbook)
        return f"exported {len(content.actions)} actions to a workbook"

    def reimport(self) -> str:
        import openpyxl

        from planner.commands import runner_for
        from planner.io.excel.merge import build_preview, merge_command
        from planner.io.excel.reading import read_returned
        from planner.queries.lookups import plan_header
        from planner.store.models import Action
        from planner.store.planfile import PlanFile

        workbook = openpyxl.load_workbook(self.workbook)
        sheet = workbook["Actions"]
        headers = [cell.value for cell in sheet[1]]
        ref_column, percent_column = headers.index("Ref") + 1, headers.index("% complete") + 1
        for row in range(2, sheet.max_row + 1):
            percent = sheet.cell(row, percent_column).value
            if isinstance(percent, int) and 0 < percent < 95:
                sheet.cell(row, percent_column).value = percent + 5
                self.changed_action = (str(sheet.cell(row, ref_column).value), percent + 5)
                break
        else:
            raise AssertionError("no action in progress to edit")
        workbook.save(self.returned)

        plan_file = PlanFile.open(self.plan)
        try:
            with plan_file.Session() as session:
                header = plan_header(session, plan_file.plan_id)
                returned = read_returned(self.returned, header.rag_definitions)
                preview = build_preview(session, plan_file.plan_id, returned, "Self-test")
            if len(preview.chosen) != 1:
                raise AssertionError(f"{len(preview.chosen)} changes found, 1 expected")
            runner = runner_for(plan_file, who="Self-test")
            runner.execute(merge_command(preview), source=preview.source_label())
            plan_file.save()
        finally:
            plan_file.close(discard=True)
        ref, wanted = self.changed_action
        with PlanFile.open(self.plan, read_only=True) as plan_file, plan_file.Session() as s:
            action: Any = s.query(Action).filter_by(plan_id=plan_file.plan_id, ref=ref).one()
            if action.percent != wanted:
                raise AssertionError(f"{ref} is {action.percent}% after the merge, not {wanted}%")
        return f"merged a returned copy: {ref} now {wanted}% complete"


def run_self_test(say: Callable[[str], object] = print) -> int:
    """Run every check; 0 when all passed, else 1."""
    os.environ.setdefault("QT_QPA_PLATFORM", TEXT_ONLY)
    from planner import APP_NAME, __version__

    previous = os.environ.get("PLANNER_DATA_DIR")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="planner-self-test-") as name:
        folder = Path(name)
        os.environ["PLANNER_DATA_DIR"] = str(folder / "user-data")
        try:
            test = SelfTest(folder)
            say(f"{APP_NAME} {__version__} self-test")
            for check in (
                test.safe_xml,
                test.resources,
                test.sample,
                test.main_window,
                test.export,
                test.reimport,
            ):
                try:
                    say(f"  ok    {check()}")
                except Exception as error:
                    failures += 1
                    say(f"  FAIL  {check.__name__}: {type(error).__name__}: {error}")
                    say(traceback.format_exc().rstrip())
        finally:
            if previous is None:
                os.environ.pop("PLANNER_DATA_DIR", None)
            else:
                os.environ["PLANNER_DATA_DIR"] = previous
    say("All checks passed." if not failures else f"{failures} check(s) failed.")
    return 0 if not failures else 1
