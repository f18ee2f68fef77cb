"""Starting a plan from an existing spreadsheet: a simple table of actions, in any
column order, recognised by its headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from planner.domain import DEFAULT_RAG_DEFINITIONS, RaciRole, Sector
from planner.io.excel.cells import CellReader
from planner.io.excel.container import WorkbookError, check_container

# Each field of an action and the headings it is known by (compared without case,
# spacing or punctuation).
HEADINGS: dict[str, tuple[str, ...]] = {
    "theme": ("theme", "workstream", "priority", "strand", "section"),
    "ref": ("ref", "reference", "no", "number", "action no", "action ref", "id"),
    "title": ("action", "title", "action title", "task", "what"),
    "description": ("description", "detail", "details", "notes"),
    "lead": ("lead officer", "lead", "owner", "accountable", "responsible officer"),
    "partners": ("partners", "partner bodies", "partner", "organisations", "agencies"),
    "start": ("start", "start date", "from"),
    "due": ("due", "due date", "deadline", "target date", "end date", "by when"),
    "status": ("status", "progress status"),
    "rag": ("rag", "rag status", "rating"),
    "percent": ("% complete", "percent complete", "complete", "progress %", "percent"),
    "commentary": ("latest update", "update", "progress", "commentary", "comments"),
}
KINDS = {
    "start": "date",
    "due": "date",
    "status": "status",
    "rag": "rag",
    "percent": "percent",
    "commentary": "wrap",
    "description": "wrap",
}
SECTOR_WORDS: tuple[tuple[str, Sector], ...] = (
    ("police", Sector.EMERGENCY_SERVICES),
    ("fire", Sector.EMERGENCY_SERVICES),
    ("ambulance", Sector.EMERGENCY_SERVICES),
    ("nhs", Sector.HEALTH),
    ("ccg", Sector.HEALTH),
    ("hospital", Sector.HEALTH),
    ("health", Sector.HEALTH),
    ("college", Sector.EDUCATION),
    ("university", Sector.EDUCATION),
    ("school", Sector.EDUCATION),
    ("cvs", Sector.CIVIL_SOCIETY),
    ("voluntary", Sector.CIVIL_SOCIETY),
    ("charity", Sector.CIVIL_SOCIETY),
    ("council", Sector.LOCAL_GOVERNMENT),
    ("government", Sector.CENTRAL_GOVERNMENT),
    ("department", Sector.CENTRAL_GOVERNMENT),
)


def _key(text: object) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", str(text or "")).split()).casefold()


def recognise(headings: list[object]) -> dict[int, str]:
    """Column number -> field, for the headings this knows."""
    found: dict[int, str] = {}
    for number, heading in enumerate(headings):
        key = _key(heading)
        for field_name, names in HEADINGS.items():
            if key in names and field_name not in found.values():
                found[number] = field_name
                break
    return found


def guess_sector(name: str) -> str:
    words = _key(name)
    for word, sector in SECTOR_WORDS:
        if re.search(rf"\b{word}\b", words):
            return sector.value
    return Sector.LOCAL_GOVERNMENT.value


@dataclass
class NewPlanReport:
    themes: int = 0
    actions: int = 0
    people: int = 0
    partners: int = 0
    skipped: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        text = (
            f"Created {self.themes} themes, {self.actions} actions, {self.people} people, "
            f"{self.partners} partner bodies"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} rows skipped: " + "; ".join(self.skipped)
        return text + "."


def plan_data_from_workbook(
    path: Path, mapping: dict[int, str] | None = None
) -> tuple[dict[str, Any], NewPlanReport]:
    """Plan data (the sample's format) from the first sheet holding an action table."""
    from openpyxl import load_workbook

    check_container(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise WorkbookError(
            f"'{path.name}' is damaged or not a workbook this program can read."
        ) from None
    try:
        sheet, header_row, headings = _find_table(workbook, mapping)
        columns = mapping or recognise(headings)
        if "title" not in columns.values():
            raise WorkbookError(
                f"'{path.name}' has no column this program recognises as the action title "
                "(a heading such as 'Action' or 'Title')."
            )
        report = NewPlanReport(
            unrecognised=[
                str(heading)
                for number, heading in enumerate(headings)
                if number not in columns and heading not in (None, "")
            ]
        )
        reader = CellReader(DEFAULT_RAG_DEFINITIONS)
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, cells in enumerate(
            sheet.iter_rows(min_row=header_row + 1), start=header_row + 1
        ):
            values = {}
            problems = []
            for index, field_name in columns.items():
                cell = cells[index] if index < len(cells) else None
                raw = getattr(cell, "value", None)
                reading = reader.read(
                    KINDS.get(field_name, "text"),
                    raw,
                    formula=getattr(cell, "data_type", "") == "f",
                )
                if reading.problem:
                    problems.append(f"{field_name} {reading.message}")
                elif reading.value not in (None, ""):
                    values[field_name] = reading.value
            if not values:
                continue
            if not values.get("title"):
                report.skipped.append(f"row {number} has no action title")
                continue
            if problems:
                report.skipped.append(f"row {number}: " + "; ".join(problems))
                continue
            rows.append((number, values))
    finally:
        workbook.close()
    return _build(path, rows, report), report


def _find_table(workbook: Any, mapping: dict[int, str] | None) -> tuple[Any, int, list[object]]:
    for sheet in workbook.worksheets:
        for number, cells in enumerate(sheet.iter_rows(max_row=10, values_only=True), start=1):
            headings = list(cells)
            # The heading row is found by its headings even when the user has mapped
            # the columns differently, so both read the same table.
            if "title" in recognise(headings).values():
                return sheet, number, headings
    first = workbook.worksheets[0]
    headings = list(next(first.iter_rows(max_row=1, values_only=True), ()))
    return first, 1, headings


def _build(
    path: Path, rows: list[tuple[int, dict[str, Any]]], report: NewPlanReport
) -> dict[str, Any]:
    themes: dict[str, dict[str, Any]] = {}
    people: dict[str, str] = {}
    partners: dict[str, str] = {}
    used_refs: set[str] = set()
    for number, values in rows:
        theme_text = str(values.get("theme") or "General").strip()
        match = re.match(r"^\s*(\d+)[.)]?\s+(.*)$", theme_text)
        theme_title = match[2] if match else theme_text
        theme = themes.setdefault(
            theme_title.casefold(),
            {"number": len(themes) + 1, "title": theme_title, "actions": []},
        )
        ref = str(values.get("ref") or "").strip()
        if not ref or ref in used_refs:
            ref = f"{theme['number']}.{len(theme['actions']) + 1}"
            while ref in used_refs:
                ref += "a"
        used_refs.add(ref)
        action: dict[str, Any] = {
            "ref": ref,
            "title": values["title"],
            "description": values.get("description") or "",
            "start": _iso(values.get("start")),
            "due": _iso(values.get("due")),
            "status": values.get("status") or "not_started",
            "rag": values.get("rag"),
            "percent": values.get("percent") or 0,
            "people": [],
            "partners": [],
        }
        if action["start"] and action["due"] and action["due"] < action["start"]:
            report.skipped.append(f"row {number}: the due date is before the start date")
            continue
        lead = str(values.get("lead") or "").strip()
        if lead:
            key = people.setdefault(lead.casefold(), f"p{len(people) + 1}")
            action["people"].append({"person": key, "role": RaciRole.ACCOUNTABLE.value})
        for name in re.split(r"[,;\n]+", str(values.get("partners") or "")):
            name = name.strip()
            if name:
                key = partners.setdefault(name.casefold(), f"o{len(partners) + 1}")
                if all(link["partner"] != key for link in action["partners"]):
                    action["partners"].append({"partner": key, "role": "delivery"})
        if values.get("commentary"):
            action["updates"] = [
                {
                    "as_at": date.today().isoformat(),
                    "status": action["status"],
                    "rag": action["rag"],
                    "percent": action["percent"],
                    "commentary": values["commentary"],
                    "author": action["people"][0]["person"] if action["people"] else None,
                }
            ]
        theme["actions"].append(action)
    names_of_people = {key: name for name, key in people.items()}
    names_of_partners = {key: name for name, key in partners.items()}
    originals = {
        name.casefold(): name
        for _, values in rows
        for name in [str(values.get("lead") or "").strip()]
        if name
    }
    partner_originals = {
        part.strip().casefold(): part.strip()
        for _, values in rows
        for part in re.split(r"[,;\n]+", str(values.get("partners") or ""))
        if part.strip()
    }
    report.themes = len(themes)
    report.actions = sum(len(theme["actions"]) for theme in themes.values())
    report.people = len(people)
    report.partners = len(partners)
    return {
        "plan": {"title": path.stem, "organisation": "", "protective_marking": "OFFICIAL"},
        "partners": [
            {
                "key": key,
                "name": partner_originals[name],
                "short_name": "",
                "sector": guess_sector(partner_originals[name]),
            }
            for key, name in ((k, n) for k, n in names_of_partners.items())
        ],
        "people": [
            {
                "key": key,
                "name": originals[name],
                "job_title": "",
                "organisation": None,
                "email": "",
            }
            for key, name in names_of_people.items()
        ],
        "themes": list(themes.values()),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
