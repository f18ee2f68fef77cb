"""Starting a plan from an existing spreadsheet: the most action-like table in the
workbook, in any column order, recognised by its headings.

Any workbook with a table of actions will do: a plan kept in Excel, a project tool's
export ("Task Name", "Start", "Finish", "Resource Names", "% Complete"), a RAID log
("Owner", "Target date"). A workbook exported by this program is recognised as such:
its hidden record IDs are not read, and its refs, people with their roles, partner
bodies with their roles and sectors, and milestones are kept.

A cell that cannot be read is left out on its own and reported; the rest of its row
is used. Skipped cells are reported grouped by reason, with counts and examples."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.commands.records import EMAIL
from planner.domain import DEFAULT_RAG_DEFINITIONS, PartnerRole, RaciRole, Sector, Status
from planner.io.excel.cells import CellReader, CellReading, cell_text
from planner.io.excel.contacts import ReadContact, read_contact_line
from planner.io.excel.container import WorkbookError, open_workbook, quoted_name
from planner.io.excel.headings import ACTION_VOCABULARY, MILESTONE_VOCABULARY, match_headings
from planner.io.excel.layout import ACTION_COLUMNS, EXPORT_FORMAT, MILESTONE_COLUMNS
from planner.io.excel.reading import read_meta
from planner.io.excel.tables import (
    best_heading_row,
    holds_value,
    rows_with_values,
    sheet_named,
    top_rows,
)

# The fields a column of actions can hold (keys as in layout.ACTION_COLUMNS).
FIELDS: tuple[str, ...] = (
    "theme",
    "ref",
    "title",
    "description",
    "lead",
    "others",
    "partners",
    "start",
    "due",
    "status",
    "rag",
    "percent",
    "latest_update",
)
# Columns of this program's export kept (baseline, date of the latest update) or worked
# out from the rest (next milestone; the year's budget, spend and funding, which come
# from the plan's money records), so never reported as unrecognised.
OWN_EXPORT_FIELDS = (
    "baseline_due",
    "latest_update_as_at",
    "next_milestone",
    "next_milestone_due",
    "budget",
    "spent",
    "funded",
)
KINDS = {column.key: column.kind for column in ACTION_COLUMNS}
MILESTONE_KINDS = {column.key: column.kind for column in MILESTONE_COLUMNS}
HEADINGS = {column.key: column.header for column in ACTION_COLUMNS}
UID = re.compile(r"[0-9a-f]{32}")
ROWS_COUNTED_FOR_CHOICE = 1_000
EXAMPLES = 10
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
PARTNER_KEY_LINE = re.compile(r"(?P<short>[^:]{1,40}): (?P<name>.+) \((?P<sector>[^()]+)\)")
PERSON_WITH_ROLE = re.compile(r"(?P<name>.+?)\s*\((?P<role>[^()]+)\)\s*")


def recognise(headings: Iterable[object], *, own_export: bool = False) -> dict[int, str]:
    """Column number -> field, for the headings this knows. An 'ID' column is read as
    the action's ref when there is no 'Ref' column, except in this program's own
    export, where it holds the hidden record IDs."""
    found = match_headings(list(headings), ACTION_VOCABULARY)
    if not own_export and "ref" not in found.values():
        found = {number: "ref" if key == "id" else key for number, key in found.items()}
    wanted = FIELDS + (OWN_EXPORT_FIELDS if own_export else ())
    return {number: key for number, key in found.items() if key in wanted}


def guess_sector(name: str) -> str:
    words = " ".join(re.sub(r"[^\w]+", " ", name).split()).casefold()
    for word, sector in SECTOR_WORDS:
        if re.search(rf"\b{word}\b", words):
            return sector.value
    return Sector.LOCAL_GOVERNMENT.value


# ----- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class CellNote:
    """A cell left out (or read with a doubt), and why."""

    column: str  # the heading, with the sheet when it is not the actions' sheet
    row: int
    typed: str
    reason: str  # "is not a date"


def _examples(notes: list[CellNote], *, with_values: bool) -> str:
    shown = [
        f"row {note.row}" + (f" ('{_short(note.typed)}')" if with_values else "")
        for note in notes[:EXAMPLES]
    ]
    text = ", ".join(shown)
    if len(notes) > EXAMPLES:
        return "e.g. " + text + ", …"
    return text


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def grouped_lines(
    notes: list[CellNote], unit: str = "cell", *, show_values: bool = False
) -> list[str]:
    """One line per column and reason: the count and the first ten rows, e.g.
    "Due: 'soon' is not a date — 14 cells, e.g. row 5, row 9, …"."""
    groups: dict[tuple[str, str], list[CellNote]] = {}
    for note in notes:
        groups.setdefault((note.column, note.reason), []).append(note)
    lines: list[str] = []
    for (column, reason), group in groups.items():
        count = f"{len(group):,} {unit}{'s' if len(group) > 1 else ''}"
        typed = {note.typed for note in group}
        if len(typed) == 1 and not show_values:
            said = f"'{_short(group[0].typed)}' {reason}" if group[0].typed else reason
            lines.append(f"{column}: {said} — {count}, {_examples(group, with_values=False)}")
        else:
            said = reason.removeprefix("is ")
            lines.append(f"{column}: {said} — {count}, {_examples(group, with_values=True)}")
    return lines


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


@dataclass
class NewPlanReport:
    themes: int = 0
    actions: int = 0
    people: int = 0
    partners: int = 0
    milestones: int = 0
    sheet: str = ""  # the sheet the actions were read from
    notes: list[str] = field(default_factory=list)  # how the workbook was read
    skipped_cells: list[CellNote] = field(default_factory=list)
    skipped_rows: list[CellNote] = field(default_factory=list)
    doubtful: list[CellNote] = field(default_factory=list)  # read, but worth checking
    unrecognised: list[str] = field(default_factory=list)
    guessed_sectors: int = 0  # partner bodies whose sector was guessed from the name

    @property
    def skipped(self) -> bool:
        return bool(self.skipped_cells or self.skipped_rows)

    def sentence(self) -> str:
        made = (
            f"Created {_count(self.themes, 'theme')}, {_count(self.actions, 'action')}, "
            f"{_count(self.people, 'person', 'people')}, "
            f"{_count(self.partners, 'partner body', 'partner bodies')} and "
            f"{_count(self.milestones, 'milestone')}"
        )
        return made + (f" from the sheet '{self.sheet}'." if self.sheet else ".")

    def skipped_lines(self) -> list[str]:
        """Cells and rows left out, one line per column and reason."""
        return grouped_lines(self.skipped_rows, "row") + grouped_lines(self.skipped_cells)

    def doubtful_lines(self) -> list[str]:
        return grouped_lines(self.doubtful, show_values=True)

    def skipped_summary(self) -> str:
        cells, rows = len(self.skipped_cells), len(self.skipped_rows)
        parts = [f"{cells:,} cell{'s' if cells != 1 else ''}"] if cells else []
        parts += [f"{rows:,} row{'s' if rows != 1 else ''}"] if rows else []
        return " and ".join(parts) + " could not be used:"


# ----- finding the table ----------------------------------------------------------------


@dataclass
class ActionTable:
    """The table of actions chosen in a workbook."""

    sheet: str
    header_row: int
    headings: list[object]
    recognised: dict[int, str]  # what the headings say: column number -> field
    own_export: bool  # exported by this program
    id_column: int | None  # the hidden record IDs of this program's export
    rows: int  # rows of data under the headings (counted up to ROWS_COUNTED_FOR_CHOICE)

    @property
    def has_title(self) -> bool:
        return "title" in self.recognised.values()

    def unrecognised(self, mapping: dict[int, str]) -> list[str]:
        return [
            str(heading).strip()
            for number, heading in enumerate(self.headings)
            if number not in mapping and number != self.id_column and holds_value(heading)
        ]


def _count_rows(sheet: Any, header_row: int, width: int) -> int:
    counted = 0
    for _ in rows_with_values(sheet, header_row + 1, width):
        counted += 1
        if counted >= ROWS_COUNTED_FOR_CHOICE:
            break
    return counted


def _holds_uids(sheet: Any, header_row: int, column: int) -> bool:
    lines = sheet.iter_rows(
        min_row=header_row + 1, max_row=header_row + 5, max_col=column + 1, values_only=True
    )
    values = [row[column] for row in lines if len(row) > column and holds_value(row[column])]
    return bool(values) and all(UID.fullmatch(str(value).strip()) for value in values)


def _is_own_export(workbook: Any) -> bool:
    return read_meta(workbook).get("format") == EXPORT_FORMAT


def _candidate(sheet: Any, own_export: bool) -> ActionTable | None:
    """The sheet's best heading row for a table of actions."""
    best: ActionTable | None = None
    for number, values in top_rows(sheet):
        found = match_headings(values, ACTION_VOCABULARY)
        id_column = next((n for n, key in found.items() if key == "id"), None)
        own = own_export or (id_column is not None and _holds_uids(sheet, number, id_column))
        recognised = recognise(values, own_export=own)
        if not recognised:
            continue
        table = ActionTable(
            sheet.title,
            number,
            list(values),
            recognised,
            own,
            id_column if own else None,
            0,
        )
        if best is None or _strength(table) > _strength(best):
            best = table
    if best is not None:
        best.rows = _count_rows(sheet, best.header_row, len(best.headings))
    return best


def _strength(table: ActionTable) -> tuple[bool, int, int]:
    return (table.has_title, len(table.recognised), table.rows)


def choose_table(workbook: Any, name: str) -> ActionTable:
    """The sheet holding the most action-like table: an action title column first, then
    the most recognised columns, then the most rows of data. Without any recognised
    heading, the first sheet's first row."""
    own_export = _is_own_export(workbook)
    candidates = [
        found for sheet in workbook.worksheets if (found := _candidate(sheet, own_export))
    ]
    if candidates:
        return max(candidates, key=_strength)
    for sheet in workbook.worksheets:
        rows = top_rows(sheet)
        if rows:
            number, values = rows[0]
            return ActionTable(sheet.title, number, list(values), {}, False, None, 0)
    if not workbook.worksheets:
        raise WorkbookError(f"{name} has no worksheets.")
    return ActionTable(workbook.worksheets[0].title, 1, [], {}, False, None, 0)


def find_action_table(path: Path) -> ActionTable:
    """The table of actions New plan from Excel would read in the workbook at `path`."""
    with open_workbook(path) as opened:
        return choose_table(opened.workbook, quoted_name(path))


def no_title_column(path: Path, table: ActionTable) -> WorkbookError:
    headings = [f"'{_short(str(h))}'" for h in table.headings if holds_value(h)]
    if not headings:
        found = f"the sheet '{table.sheet}' has no headings"
    else:
        shown = ", ".join(headings[:12]) + (", …" if len(headings) > 12 else "")
        found = f"the sheet '{table.sheet}' has the headings {shown}"
    return WorkbookError(
        f"{quoted_name(path)} has no column this program recognises as the action title: "
        f"{found}; head the column holding the actions 'Action' or 'Title' and try again."
    )


# ----- reading rows -----------------------------------------------------------------------


@dataclass
class ActionRead:
    row: int
    values: dict[str, Any]
    uid: str = ""  # this program's record ID, in its own export


@dataclass
class MilestoneRead:
    sheet: str
    row: int
    values: dict[str, Any]


def _note_cell(report: NewPlanReport, column: str, row: int, reading: CellReading) -> Any:
    """The value a cell gives the new plan, noting in the report a cell left out or
    read with a doubt."""
    if reading.problem:
        report.skipped_cells.append(CellNote(column, row, reading.typed, reading.problem))
        return None
    if reading.choices:
        report.skipped_cells.append(
            CellNote(column, row, reading.typed, "names more than one rating; choose one")
        )
        return None
    if reading.doubt:
        why = re.sub(r" \('[^']*'\)", "", reading.doubt)
        report.doubtful.append(CellNote(column, row, reading.typed, why))
    return reading.value


def _read_cells(
    cells: tuple[Any, ...], mapping: dict[int, str], kinds: dict[str, str], reader: CellReader
) -> dict[int, CellReading]:
    readings: dict[int, CellReading] = {}
    for index, key in mapping.items():
        cell = cells[index] if index < len(cells) else None
        data_type = getattr(cell, "data_type", "")
        readings[index] = reader.read(
            kinds.get(key, "text"),
            getattr(cell, "value", None),
            formula=data_type == "f",
            error=data_type == "e",
            number_format=str(getattr(cell, "number_format", "") or ""),
        )
    return readings


def _heading(headings: list[object], index: int, key: str) -> str:
    text = str(headings[index]).strip() if index < len(headings) else ""
    return text or HEADINGS.get(key, key)


def _read_actions(
    sheet: Any,
    table: ActionTable,
    mapping: dict[int, str],
    reader: CellReader,
    report: NewPlanReport,
) -> list[ActionRead]:
    width = max([len(table.headings), *(index + 1 for index in mapping)])
    title_column = next((i for i, key in mapping.items() if key == "title"), None)
    title_heading = _heading(table.headings, title_column or 0, "title")
    read: list[ActionRead] = []
    for number, cells in rows_with_values(sheet, table.header_row + 1, width):
        values: dict[str, Any] = {}
        for index, reading in _read_cells(cells, mapping, KINDS, reader).items():
            key = mapping[index]
            value = _note_cell(report, _heading(table.headings, index, key), number, reading)
            if value not in (None, ""):
                values[key] = value
        if not values:
            continue
        if not values.get("title"):
            report.skipped_rows.append(
                CellNote(title_heading, number, "", "empty, so the row was left out")
            )
            continue
        start, due = values.get("start"), values.get("due")
        if start is not None and due is not None and due < start:
            column = next(i for i, key in mapping.items() if key == "start")
            report.skipped_cells.append(
                CellNote(
                    _heading(table.headings, column, "start"),
                    number,
                    cell_text(start),
                    "is after the due date, so the start was left out",
                )
            )
            del values["start"]
        uid = ""
        if table.id_column is not None and table.id_column < len(cells):
            uid = cell_text(getattr(cells[table.id_column], "value", None)).strip()
        read.append(ActionRead(number, values, uid))
    return read


def _read_milestones(
    workbook: Any, skip: str, reader: CellReader, report: NewPlanReport
) -> list[MilestoneRead]:
    """Milestones from a sheet whose headings name a milestone and its action's ref."""
    best = None
    for sheet in workbook.worksheets:
        if sheet.title == skip:
            continue
        found = best_heading_row(sheet, MILESTONE_VOCABULARY, frozenset({"action_ref", "title"}))
        if found is not None and (best is None or len(found.columns) > len(best.columns)):
            best = found
    if best is None:
        return []
    read: list[MilestoneRead] = []
    mapping = {index: key for index, key in best.columns.items() if key != "id"}
    for number, cells in rows_with_values(best.sheet, best.header_row + 1, best.width):
        values: dict[str, Any] = {}
        for index, reading in _read_cells(cells, mapping, MILESTONE_KINDS, reader).items():
            column = f"{best.title}, {_heading(list(best.headings), index, mapping[index])}"
            value = _note_cell(report, column, number, reading)
            if value not in (None, ""):
                values[mapping[index]] = value
        if values:
            read.append(MilestoneRead(best.title, number, values))
    report.notes.append(f"Milestones were read from the sheet '{best.title}'.")
    return read


# ----- this program's own export: partner bodies and people -----------------------------


@dataclass
class ExportDetails:
    """What this program's export says beyond the Actions sheet."""

    meta: dict[str, str] = field(default_factory=dict)
    partner_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # short -> name, sector
    partner_roles: dict[str, dict[str, str]] = field(default_factory=dict)  # uid -> short -> role
    people: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> details
    contacts: dict[str, list[ReadContact]] = field(default_factory=dict)  # short -> contacts
    read_me: dict[str, str] = field(default_factory=dict)  # label -> value
    organisation: str = ""


def _export_details(workbook: Any) -> ExportDetails:
    details = ExportDetails(meta=read_meta(workbook))
    sectors = {sector.label.casefold(): sector.value for sector in Sector}
    partners = sheet_named(workbook, "Partners")
    if partners is not None:
        shorts: list[str] = []
        keyed = ""  # the partner body whose key line came last: contacts follow it
        for number, cells in rows_with_values(partners, 1, 64):
            values = [getattr(cell, "value", None) for cell in cells]
            texts = [str(value).strip() if holds_value(value) else "" for value in values]
            if texts[:2] == ["ID", "Ref"]:
                shorts = texts
                continue
            for text in texts:
                contact = read_contact_line(text)
                if contact is not None:
                    if keyed:
                        details.contacts.setdefault(keyed, []).append(contact)
                    continue
                line = PARTNER_KEY_LINE.fullmatch(text)
                if line and line["sector"].casefold() in sectors:
                    keyed = line["short"].strip()
                    details.partner_names[keyed] = (
                        line["name"].strip(),
                        sectors[line["sector"].casefold()],
                    )
            if shorts and texts and UID.fullmatch(texts[0]):
                details.partner_roles[texts[0]] = {
                    shorts[index]: text
                    for index, text in enumerate(texts)
                    if index >= 3 and text and index < len(shorts) and shorts[index]
                }
            if number > 2_000:
                break
    people = sheet_named(workbook, "People")
    if people is not None:
        header: list[str] = []
        for _number, cells in rows_with_values(people, 1, 8):
            texts = [cell_text(getattr(cell, "value", None)).strip() for cell in cells]
            if not header:
                header = [text.casefold() for text in texts]
                continue
            row = dict(zip(header, texts, strict=False))
            if row.get("name"):
                details.people[row["name"].casefold()] = row
    read_me = sheet_named(workbook, "Read me")
    if read_me is not None:
        lines = list(read_me.iter_rows(max_row=40, max_col=2, values_only=True))
        for row in lines:
            if len(row) > 1 and holds_value(row[0]):
                details.read_me[str(row[0]).strip()] = cell_text(row[1]).strip()
        details.organisation = _organisation(lines, details.meta.get("plan_title", ""))
    return details


def _organisation(lines: list[tuple[Any, ...]], plan_title: str) -> str:
    """The Read me's second line, under the plan's title, names the organisation."""
    if len(lines) < 2 or not lines[0] or cell_text(lines[0][0]).strip() != plan_title:
        return ""
    second = lines[1]
    if not second or not holds_value(second[0]) or (len(second) > 1 and holds_value(second[1])):
        return ""
    return cell_text(second[0]).strip()


# ----- building the plan data -----------------------------------------------------------


def plan_data_from_workbook(
    path: Path, mapping: dict[int, str] | None = None
) -> tuple[dict[str, Any], NewPlanReport]:
    """Plan data (the sample's format) from the workbook's most action-like table,
    read with `mapping` (column number -> field) or with the columns its headings name."""
    path = Path(path)
    with open_workbook(path) as opened:
        workbook = opened.workbook
        table = choose_table(workbook, quoted_name(path))
        columns = dict(table.recognised)
        if mapping is not None:
            columns = {
                **{i: key for i, key in columns.items() if key in OWN_EXPORT_FIELDS},
                **mapping,
            }
        if "title" not in columns.values():
            raise no_title_column(path, table)
        report = NewPlanReport(sheet=table.sheet, unrecognised=table.unrecognised(columns))
        reader = CellReader(DEFAULT_RAG_DEFINITIONS, getattr(workbook, "epoch", None))
        sheet = next(sheet for sheet in workbook.worksheets if sheet.title == table.sheet)
        actions = _read_actions(sheet, table, columns, reader, report)
        details = ExportDetails()
        if table.own_export:
            details = _export_details(workbook)
            report.notes.append(
                "This workbook was exported by Strategy Planner: its hidden ID column was not "
                "read, and its refs, people, partner bodies and milestones were kept."
            )
        milestones = _read_milestones(workbook, table.sheet, reader, report)
    return _build(path, actions, milestones, details, report), report


def _theme_number(text: str) -> tuple[int | None, str]:
    found = re.match(r"^\s*(?:theme\s+)?(\d+)[.):]?\s+(.*)$", text, re.IGNORECASE)
    return (int(found[1]), found[2].strip()) if found else (None, text.strip())


class _Directory:
    """The people and partner bodies of the new plan, one record per distinct name."""

    def __init__(self, details: ExportDetails) -> None:
        self.details = details
        self.people: dict[str, dict[str, Any]] = {}
        self.partners: dict[str, dict[str, Any]] = {}
        self.guessed_sectors = 0

    def person(self, name: str) -> str:
        name = " ".join(name.split())
        known = self.people.get(name.casefold())
        if known is None:
            more = self.details.people.get(name.casefold(), {})
            known = {
                "key": f"p{len(self.people) + 1}",
                "name": name,
                "job_title": more.get("job title", ""),
                "organisation": self.partner(more["organisation"])
                if more.get("organisation")
                else None,
                "email": more.get("email", ""),
            }
            self.people[name.casefold()] = known
        return str(known["key"])

    def partner(self, typed: str) -> str:
        typed = " ".join(typed.split())
        name, short, sector = typed, "", ""
        if typed in self.details.partner_names:
            short = typed
            name, sector = self.details.partner_names[typed]
        else:
            short = next(
                (s for s, (full, _) in self.details.partner_names.items() if full == typed), ""
            )
            if short:
                sector = self.details.partner_names[short][1]
        known = self.partners.get(name.casefold())
        if known is None:
            known = {
                "key": f"o{len(self.partners) + 1}",
                "name": name,
                "short_name": short,
                "sector": sector or guess_sector(name),
                "contacts": [
                    {
                        "name": contact.name,
                        "role": contact.role,
                        "email": contact.email if EMAIL.match(contact.email) else "",
                        "phone": contact.phone[:40],
                        "round_contact": contact.round_contact,
                    }
                    for contact in _one_round_contact(self.details.contacts.get(short, []))
                ],
            }
            self.guessed_sectors += 0 if sector else 1
            self.partners[name.casefold()] = known
        return str(known["key"])

    def short_name_of(self, key: str) -> str:
        return next((str(p["short_name"]) for p in self.partners.values() if p["key"] == key), "")


def _one_round_contact(contacts: list[ReadContact]) -> list[ReadContact]:
    """The contacts as read, with at most one round contact (the first marked)."""
    marked = False
    kept: list[ReadContact] = []
    for contact in contacts:
        if contact.round_contact and marked:
            contact = replace(contact, round_contact=False)
        marked = marked or contact.round_contact
        kept.append(contact)
    return kept


def _people_links(values: dict[str, Any], directory: _Directory) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    lead = str(values.get("lead") or "").strip()
    if lead:
        key = directory.person(lead)
        links.append({"person": key, "role": RaciRole.ACCOUNTABLE.value})
        seen.add(key)
    for part in re.split(r"[;\n]+", str(values.get("others") or "")):
        part = part.strip()
        if not part:
            continue
        found = PERSON_WITH_ROLE.fullmatch(part)
        role = RaciRole.from_text(found["role"]) if found else None
        name = found["name"] if found and role is not None else part
        key = directory.person(name)
        if key in seen:
            continue
        seen.add(key)
        chosen = role if role is not None and role != RaciRole.ACCOUNTABLE else RaciRole.RESPONSIBLE
        links.append({"person": key, "role": chosen.value})
    return links


def _partner_links(values: dict[str, Any], uid: str, directory: _Directory) -> list[dict[str, str]]:
    roles = directory.details.partner_roles.get(uid, {})
    links: list[dict[str, str]] = []
    has_lead = False
    for name in re.split(r"[,;\n]+", str(values.get("partners") or "")):
        if not name.strip():
            continue
        key = directory.partner(name)
        if any(link["partner"] == key for link in links):
            continue
        role = PartnerRole.from_text(roles.get(directory.short_name_of(key), ""))
        if role is None or (role == PartnerRole.LEAD and has_lead):
            role = PartnerRole.DELIVERY
        has_lead = has_lead or role == PartnerRole.LEAD
        links.append({"partner": key, "role": role.value})
    return links


def _build(
    path: Path,
    rows: list[ActionRead],
    milestones: list[MilestoneRead],
    details: ExportDetails,
    report: NewPlanReport,
) -> dict[str, Any]:
    themes: dict[str, dict[str, Any]] = {}
    numbers_taken: set[int] = set()
    directory = _Directory(details)
    used_refs: set[str] = set()
    by_typed_ref: dict[str, dict[str, Any]] = {}
    for read in rows:
        values = read.values
        number, title = _theme_number(str(values.get("theme") or "General"))
        theme = themes.get(title.casefold())
        if theme is None:
            if number is None or number in numbers_taken:
                number = max(numbers_taken, default=0) + 1
            numbers_taken.add(number)
            theme = {"number": number, "title": title, "actions": []}
            themes[title.casefold()] = theme
        typed_ref = str(values.get("ref") or "").strip()
        ref = typed_ref[:20]
        if not ref or ref in used_refs:
            ref = f"{theme['number']}.{len(theme['actions']) + 1}"
            while ref in used_refs:
                ref += "a"
        used_refs.add(ref)
        status = values.get("status") or Status.NOT_STARTED.value
        action: dict[str, Any] = {
            "ref": ref,
            "title": values["title"],
            "description": values.get("description") or "",
            "start": _iso(values.get("start")),
            "due": _iso(values.get("due")),
            "baseline_due": _iso(values.get("baseline_due")),
            "status": status,
            "rag": values.get("rag"),
            "percent": values.get("percent") or 0,
            "people": _people_links(values, directory),
            "partners": _partner_links(values, read.uid, directory),
            "milestones": [],
        }
        if values.get("latest_update"):
            as_at = values.get("latest_update_as_at") or date.today()
            action["updates"] = [
                {
                    "as_at": as_at.isoformat(),
                    "status": status,
                    "rag": action["rag"],
                    "percent": action["percent"],
                    "commentary": values["latest_update"],
                    "author": action["people"][0]["person"] if action["people"] else None,
                }
            ]
        theme["actions"].append(action)
        if typed_ref:
            by_typed_ref.setdefault(typed_ref, action)
    _attach_milestones(milestones, by_typed_ref, directory, report)
    report.themes = len(themes)
    report.actions = sum(len(theme["actions"]) for theme in themes.values())
    report.people = len(directory.people)
    report.partners = len(directory.partners)
    report.guessed_sectors = directory.guessed_sectors
    report.milestones = sum(
        len(action["milestones"]) for theme in themes.values() for action in theme["actions"]
    )
    return {
        "plan": _plan_header(path, details),
        "partners": list(directory.partners.values()),
        "people": list(directory.people.values()),
        "themes": sorted(themes.values(), key=lambda theme: int(theme["number"])),
    }


def _attach_milestones(
    milestones: list[MilestoneRead],
    actions: dict[str, dict[str, Any]],
    directory: _Directory,
    report: NewPlanReport,
) -> None:
    for read in milestones:
        values = read.values
        ref = str(values.get("action_ref") or "").strip()
        action = actions.get(ref)
        if not values.get("title"):
            report.skipped_rows.append(
                CellNote(f"{read.sheet}, Milestone", read.row, "", "empty, so the row was left out")
            )
            continue
        if action is None:
            reason = "is not the ref of an action read, so the milestone was left out"
            report.skipped_rows.append(CellNote(f"{read.sheet}, Action ref", read.row, ref, reason))
            continue
        if values.get("due") is None:
            reason = "empty, so the milestone was left out"
            report.skipped_rows.append(CellNote(f"{read.sheet}, Due", read.row, "", reason))
            continue
        owner = str(values.get("owner") or "").strip()
        action["milestones"].append(
            {
                "title": values["title"],
                "due": _iso(values["due"]),
                "baseline_due": _iso(values.get("baseline_due")),
                "completed": _iso(values.get("completed")),
                "owner": directory.person(owner) if owner else None,
                "note": values.get("note") or "",
            }
        )


def _plan_header(path: Path, details: ExportDetails) -> dict[str, Any]:
    from planner.domain.dates import read_typed_date

    header: dict[str, Any] = {
        "title": details.meta.get("plan_title") or path.stem,
        "organisation": details.organisation,
        "protective_marking": details.read_me.get("Protective marking") or "OFFICIAL",
    }
    status_date = details.meta.get("status_date", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", status_date):
        header["status_date"] = status_date
    period = details.read_me.get("Plan period", "").split(" to ")
    if len(period) == 2:
        start, end = (read_typed_date(part) for part in period)
        if start and end and start.value <= end.value:
            header["period_start"] = start.value.isoformat()
            header["period_end"] = end.value.isoformat()
    return header


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None
