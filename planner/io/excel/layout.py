"""The columns of the circulated sheets, shared by the export and the merge of returns."""

from __future__ import annotations

from dataclasses import dataclass

META_SHEET = "_planner"
EXPORT_FORMAT = "strategy-planner-export"
EXPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # the most a column grows to, in Excel's character widths
    kind: str = "text"  # text, wrap, date, percent, status, rag, id, flag
    editable: bool = False  # may partners change it in a returned copy
    field: str | None = None  # the core field an editable column changes


ACTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 9, "id"),
    Column("ref", "Ref", 7),
    Column("theme", "Theme", 22, "wrap"),
    Column("title", "Action", 36, "wrap"),
    Column("description", "Description", 50, "wrap"),
    Column("lead", "Lead officer", 20),
    Column("others", "Other people", 26, "wrap"),
    Column("partners", "Partners", 22, "wrap"),
    Column("start", "Start", 11, "date", True, "start"),
    Column("due", "Due", 11, "date", True, "due"),
    Column("baseline_due", "Baseline due", 11, "date"),
    Column("status", "Status", 13, "status", True, "status"),
    Column("rag", "RAG", 9, "rag", True, "rag"),
    Column("percent", "% complete", 10, "percent", True, "percent"),
    Column("next_milestone", "Next milestone", 30, "wrap"),
    Column("next_milestone_due", "Next milestone due", 11, "date"),
    Column("latest_update", "Latest update", 50, "wrap", True, "commentary"),
    Column("latest_update_as_at", "Update as at", 11, "date"),
    # the action's money in the financial year of the status date (the header names it)
    Column("budget", "Budget", 12, "money"),
    Column("spent", "Spent", 12, "money"),
    Column("funded", "Funded", 12, "money"),
)

MILESTONE_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 9, "id"),
    Column("action_ref", "Action ref", 9),
    Column("action", "Action", 32, "wrap"),
    Column("title", "Milestone", 40, "wrap"),
    Column("owner", "Owner", 20),
    Column("due", "Due", 12, "date", True, "due"),
    Column("baseline_due", "Baseline due", 12, "date"),
    Column("completed", "Completed", 12, "date", True, "completed_on"),
    Column("overdue", "Overdue", 10, "flag"),
    Column("note", "Note", 50, "wrap", True, "note"),
)


MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 9, "id"),
    Column("measure", "Measure", 36, "wrap"),
    Column("period", "Period", 11),
    Column("outcome", "Outcome", 30, "wrap"),
    Column("owner", "Owner", 18),
    Column("unit", "Unit", 9),
    Column("target", "Target", 11, "number"),
    Column("actual", "Actual", 11, "number", True, "actual"),
    Column("commentary", "Commentary", 44, "wrap", True, "commentary"),
    Column("data_quality", "Data quality", 26, "wrap", True, "data_quality"),
)

BENEFIT_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 9, "id"),
    Column("action_ref", "Action ref", 9),
    Column("benefit", "Benefit", 32, "wrap"),
    Column("type", "Type", 20),
    Column("received_by", "Received by", 13),
    Column("year", "Year", 9),
    Column("planned", "Planned", 12, "money"),
    Column("realised", "Realised", 12, "money", True, "realised"),
    Column("validated", "Validated", 24, "wrap"),
)

COMMENTARY_LIMIT = 2000  # characters a returned measure commentary may hold
DATA_QUALITY_LIMIT = 500


def editable_headers(columns: tuple[Column, ...]) -> list[str]:
    return [column.header for column in columns if column.editable]
