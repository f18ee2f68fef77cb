"""Recognising a table's columns by their headings, as people and other programs name
them: this program's own headings first, then everyday synonyms, project-tool exports
("Task Name", "Finish", "Resource Names", "% Complete") and RAID logs ("Owner",
"Target date"). Headings are compared ignoring case, spacing, punctuation, a trailing
"*" and a hint in brackets ("Due (dd/mm/yyyy)")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from planner.io.excel.layout import (
    ACTION_COLUMNS,
    BENEFIT_COLUMNS,
    MEASURE_COLUMNS,
    MILESTONE_COLUMNS,
    Column,
)

# Column key -> the headings it is known by, best first. The first is always the
# heading this program writes.
ACTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "ref": ("reference", "ref no", "no", "number", "action no", "action number", "action ref"),
    "theme": ("workstream", "priority", "strand", "section", "theme title", "programme"),
    "title": ("action title", "task name", "task", "title", "what", "action name"),
    "description": ("detail", "details", "notes", "action description"),
    "lead": (
        "lead",
        "owner",
        "action owner",
        "accountable",
        "accountable officer",
        "responsible officer",
        "resource names",
        "lead person",
    ),
    "others": ("others", "other officers", "supporting officers"),
    "partners": ("partner bodies", "partner", "organisations", "agencies", "partner organisations"),
    "start": ("start date", "from", "planned start", "begin"),
    "due": (
        "due date",
        "deadline",
        "target date",
        "target",
        "end date",
        "end",
        "by when",
        "finish",
        "finish date",
    ),
    "baseline_due": ("baseline due date", "baseline finish", "original due date"),
    "status": ("progress status", "current status", "state"),
    "rag": ("rag status", "rag rating", "rating", "overall rag"),
    "percent": (
        "percent complete",
        "percentage complete",
        "complete",
        "progress %",
        "percent",
        "% done",
    ),
    "next_milestone": (),
    "next_milestone_due": (),
    "latest_update": (
        "progress update",
        "latest progress",
        "update",
        "progress",
        "commentary",
        "progress commentary",
        "comments",
        "comment",
        "progress notes",
        "latest position",
    ),
    "latest_update_as_at": ("as at", "update date"),
}
MILESTONE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "action_ref": ("ref", "action no", "action number", "action reference"),
    "action": ("action title",),
    "title": ("milestone title", "milestone name", "title"),
    "owner": ("milestone owner", "lead", "responsible"),
    "due": ("due date", "target date", "deadline", "finish", "finish date"),
    "baseline_due": ("baseline due date", "baseline finish", "original due date"),
    "completed": (
        "completed on",
        "date completed",
        "completion date",
        "done on",
        "actual finish",
        "achieved",
    ),
    "overdue": (),
    "note": ("notes", "comments", "comment", "commentary", "update", "progress"),
}


def heading_key(text: object) -> str:
    """A heading as compared: '% Complete *' -> 'percentcomplete', 'Due (dd/mm/yyyy)'
    -> 'due', 'Lead officer:' -> 'leadofficer'."""
    key = str(text if text is not None else "").casefold().replace("*", " ")
    key = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", key).replace("%", " percent ")
    return re.sub(r"[\W_]+", "", key)


def vocabulary(
    columns: Iterable[Column], synonyms: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, int]]:
    """Heading key -> (column key, rank: 0 for the program's own heading)."""
    known: dict[str, tuple[str, int]] = {}
    for column in columns:
        for rank, heading in enumerate((column.header, *synonyms.get(column.key, ()))):
            known.setdefault(heading_key(heading), (column.key, rank))
    return known


ACTION_VOCABULARY = vocabulary(ACTION_COLUMNS, ACTION_SYNONYMS)
MILESTONE_VOCABULARY = vocabulary(MILESTONE_COLUMNS, MILESTONE_SYNONYMS)
MEASURE_VOCABULARY = vocabulary(
    MEASURE_COLUMNS,
    {"actual": ("actual value", "result"), "commentary": ("comments", "comment", "notes")},
)
BENEFIT_VOCABULARY = vocabulary(
    BENEFIT_COLUMNS, {"realised": ("realized", "actual", "realised value")}
)


def match_headings(
    headings: Iterable[object], known: Mapping[str, tuple[str, int]]
) -> dict[int, str]:
    """Column number (from 0) -> column key, for the headings recognised. When two
    headings name one column key, the better name wins ('Ref' over 'No.'), then the
    leftmost."""
    best: dict[str, tuple[int, int]] = {}
    for number, heading in enumerate(headings):
        if heading is None:
            continue
        found = known.get(heading_key(heading))
        if found is None:
            continue
        key, rank = found
        if key not in best or rank < best[key][0]:
            best[key] = (rank, number)
    return {number: key for key, (_rank, number) in sorted(best.items(), key=lambda i: i[1][1])}
