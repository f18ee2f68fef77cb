"""The 'Read me' sheet: what this workbook is, what it holds, and how to send it back."""

from __future__ import annotations

from openpyxl import Workbook

from planner.domain import ReturnRule
from planner.domain.dates import format_long, format_uk
from planner.io.excel.common import print_setup
from planner.io.excel.content import ExportContent
from planner.io.excel.layout import (
    ACTION_COLUMNS,
    BENEFIT_COLUMNS,
    MEASURE_COLUMNS,
    MILESTONE_COLUMNS,
    editable_headers,
)
from planner.io.excel.styles import Styles, row_height

RETURNED_BY_LABEL = "Returned by (your name)"
SHEETS = (
    (
        "Summary",
        "Actions by RAG rating for each theme and partner body, with a chart; "
        "milestones overdue and due in the next 90 days.",
    ),
    (
        "Actions",
        "One row per action: lead officer, partners, dates, status, RAG rating, "
        "% complete, the latest progress update, and this year's budget, spend and funding.",
    ),
    (
        "Milestones",
        "One row per milestone: owner, due date, baseline, completion and notes. "
        "Overdue milestones are marked.",
    ),
    (
        "Measures",
        "One row per measure and period due: its outcome, owner, target, and the actual, "
        "commentary and data quality for the owner to fill in.",
    ),
    (
        "Benefits",
        "One row per benefit and financial year: who receives it, the planned value, the "
        "realised value to fill in, and whether the plan office has validated it.",
    ),
    (
        "Partners",
        "Each action against each partner body, grouped by sector, with the partner's role.",
    ),
    (
        "People",
        "Each person with their organisation, the actions they lead or support, and "
        "the milestones they own that fall due in the next 90 days.",
    ),
    (
        "Timeline",
        "Each action as a bar from start to due, coloured by RAG rating, across the "
        "plan period by month, with milestones and the status date marked.",
    ),
)


def who_may_change(rule: str) -> str:
    """The plan's rule on who may change progress, as the Read me states it to partners."""
    if rule == ReturnRule.ANYONE.value:
        return (
            "Anyone this workbook is sent to may change an action's Status, RAG, % complete "
            "and dates; the plan office reviews every change before it is merged."
        )
    return (
        "An action's Status, RAG, % complete and dates are changed by its lead officer and "
        "lead partner body. Other bodies may still write them in: they reach the plan office "
        "as suggestions, and your commentary is always recorded as your organisation's "
        "progress note."
    )


def write_read_me(workbook: Workbook, content: ExportContent, styles: Styles) -> None:
    sheet = workbook.create_sheet("Read me")
    sheet.sheet_properties.tabColor = "7D5A00"
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 96
    sheet.sheet_view.showGridLines = False
    print_setup(sheet, content, title_rows=None, landscape=False)  # before the first row
    header = content.header

    rows_written = 0

    def line(
        label: str = "", value: object = "", label_style: str = "label", value_style: str = "plain"
    ) -> None:
        nonlocal rows_written
        rows_written += 1
        larger = 0.85 if value_style.startswith("callout") else 1.0  # 11-point text
        height = row_height([(label, 26.0 * larger), (value, 96.0 * larger)])
        if height is not None:
            sheet.row_dimensions[rows_written].height = height
        sheet.append(
            [styles.cell(sheet, label, label_style), styles.cell(sheet, value, value_style)]
        )

    def heading(text: str) -> None:
        line()
        line(text, "", "subtitle", "plain")

    rows_written += 1
    sheet.row_dimensions[rows_written].height = 24
    sheet.append([styles.cell(sheet, header.title, "title")])
    line(header.organisation, "", "subtitle")
    line()
    ask = content.options.round
    if ask is not None:
        # What this round asks, first: which round, back by when, to whom and how.
        sheet.row_dimensions[rows_written + 1].height = 20  # a 13-point line
        line(f"This round: {ask.title or 'update round'}", "", "callout-title", "callout-title")
        sheet.merged_cells.add(f"A{rows_written}:B{rows_written}")
        if ask.return_by is not None:
            line("Please return by", format_long(ask.return_by), "callout-label", "callout-key")
        line("Sent to", ask.addressee or "Not recorded", "callout-label", "callout")
        sender = ask.sender + (f" ({ask.sender_email})" if ask.sender_email else "")
        line("Sent by", sender or "Not recorded", "callout-label", "callout")
        line("How to return it", ask.how_to_return, "callout-label", "callout")
        line()
    line("Status as at", format_long(header.status_date))
    if header.period_start and header.period_end:
        line(
            "Plan period", f"{format_long(header.period_start)} to {format_long(header.period_end)}"
        )
    line("Protective marking", content.marking or "None")
    line("Exported", content.exported_at.strftime("%d/%m/%Y at %H:%M"))
    line("Exported by", content.options.exported_by or "Not recorded")
    if content.options.recipient and ask is None:
        line("Sent to", content.options.recipient)
    line(RETURNED_BY_LABEL, None, "label", "text+editable")
    line("This workbook holds", content.slice_description)
    if not content.options.include_descriptions:
        line("", "Action descriptions are left out of this copy.", "label", "muted")
    if not content.options.include_commentary:
        line("", "Progress commentary is left out of this copy.", "label", "muted")
    line("Plan ID", header.uid, "label", "muted")
    line("File format", f"{content.schema_version}", "label", "muted")

    heading("What each sheet shows")
    for name, text in SHEETS:
        line(name, text)

    heading("RAG ratings in this plan")
    for rag in header.rag_definitions:
        line(rag.name, rag.meaning, f"rag-{rag.code}", "plain")
    line(
        "",
        "A RAG rating is the lead officer's judgement. Overdue dates are shown "
        "separately, in red, measured against the status date "
        f"{format_uk(header.status_date)}.",
        "label",
        "muted",
    )

    heading("How to send updates back")
    steps = [
        "Change only the columns with a pale gold heading in a dashed outline: on Actions, "
        + ", ".join(editable_headers(ACTION_COLUMNS))
        + "; on Milestones, "
        + ", ".join(editable_headers(MILESTONE_COLUMNS))
        + "; on Measures, "
        + ", ".join(editable_headers(MEASURE_COLUMNS))
        + "; on Benefits, "
        + ", ".join(editable_headers(BENEFIT_COLUMNS))
        + ". Changes to other columns are not taken into the plan.",
        who_may_change(header.return_rule),
        "Leave the ID column exactly as it is and do not delete rows: the ID is how each "
        "row is matched to the plan.",
        "To propose a new action or milestone, add a row at the bottom and leave its ID "
        "empty; it will be reviewed before it is added.",
        "Type dates as dd/mm/yyyy (for example 31/03/2014). Choose Status and RAG from the "
        "drop-down lists. Type % complete as a whole number from 0 to 100, a measure's "
        "actual as a number (72.5 for 72.5%), and a realised benefit in whole pounds.",
        "Write your new progress commentary over the text in 'Latest update'; it becomes "
        "the action's newest progress update, in your name. A change of Status, RAG or "
        "% complete is taken together with the commentary on its row.",
        f"Type your name in '{RETURNED_BY_LABEL}' near the top of this sheet.",
        ask.how_to_return
        if ask is not None
        else "Save the workbook as .xlsx, keep its name, and email it back to "
        + (content.options.exported_by or "the plan's owner")
        + ".",
    ]
    for number, text in enumerate(steps, start=1):
        line(f"Step {number}", text)
