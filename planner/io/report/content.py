"""What goes into the board report, read from the plan once: plain data, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import RagDefinition
from planner.domain.dates import financial_year, quarter
from planner.domain.timescale import month_number, month_start, quarter_start
from planner.errors import PlannerError
from planner.io.excel.content import ExportOptions, ExportSlice, gather
from planner.io.report.purpose_content import PurposeContent, gather_purpose
from planner.officer import officer_name
from planner.queries import ActionRow, MilestoneRow
from planner.queries.baselines import OriginalDues, original_dues
from planner.queries.lookups import PlanHeader
from planner.queries.timeline import Timeline, timeline
from planner.queries.travel import LatestUpdate, latest_updates
from planner.store.models import Partner, Person, Theme

# The codes of the ratings the exceptions section lists, worst first.
EXCEPTION_CODES = ("R", "A")
EXCEPTION_NAMES = ("red", "amber")


class ReportCancelled(PlannerError):
    """The user stopped the report; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; no PDF was written.")


@dataclass(frozen=True)
class ReportOptions:
    slice: ExportSlice = field(default_factory=ExportSlice)
    protective_marking: str | None = None  # None: the plan's own marking
    produced_on: date | None = None  # None: today
    author: str | None = None  # the officer the PDF names as its author; None: officer_name()


@dataclass(frozen=True)
class Exception_:
    """One red or amber action, as the exceptions table shows it."""

    action: ActionRow
    update: LatestUpdate | None


@dataclass(frozen=True)
class QuarterWindow:
    """The next financial quarter after the status date, and the days the report's
    'due next quarter' table covers: from the status date itself to that quarter's end."""

    first: date  # the quarter's first day
    last: date  # the quarter's last day
    due_from: date  # the status date: anything earlier and still open is overdue

    @property
    def label(self) -> str:
        return f"Q{quarter(self.first)} {financial_year(self.first)}"


def next_quarter(status_date: date) -> QuarterWindow:
    """The UK financial quarter (Q1 = Apr-Jun) after the one holding `status_date`:
    for 31 Mar 2013 that is Q1 2013/14, 1 Apr to 30 Jun 2013; for 15 Feb 2013 it is also
    Q1 2013/14, and the table then covers 15 Feb to 30 Jun 2013 so nothing falls between
    the overdue and the due-next-quarter tables."""
    first = month_start(month_number(quarter_start(status_date)) + 3)
    last = month_start(month_number(first) + 3) - timedelta(days=1)
    return QuarterWindow(first, last, status_date)


def exception_definitions(definitions: tuple[RagDefinition, ...]) -> list[RagDefinition]:
    """The plan's ratings that count as exceptions, worst first: those coded R and A
    (or named Red and Amber); when a plan has neither, its first two ratings by
    position (plans list their ratings from worst to best)."""
    chosen = [
        d
        for d in definitions
        if d.code.upper() in EXCEPTION_CODES or d.name.strip().casefold() in EXCEPTION_NAMES
    ]
    if not chosen:
        chosen = list(definitions[:2])

    def severity(definition: RagDefinition) -> int:
        return definitions.index(definition)

    return sorted(chosen, key=severity)


@dataclass
class ReportContent:
    header: PlanHeader
    marking: str
    produced_on: date
    slice_label: str  # "" for the whole plan, else "Partner: Northshire Police"
    slice_description: str
    timeline: Timeline
    exception_codes: list[str]
    exceptions: list[Exception_]
    overdue: list[MilestoneRow]
    window: QuarterWindow
    due_next_quarter: list[MilestoneRow]
    action_refs: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> ref, title
    original: OriginalDues = field(default_factory=OriginalDues)
    author: str = ""  # the officer writing the report, for the PDF's document properties
    purpose: PurposeContent = field(default_factory=PurposeContent)  # outcomes, benefits, money

    def original_due(self, action: ActionRow) -> date | None:
        """The action's first agreed due date when it has moved since, else None."""
        first = self.original.actions.get(action.id) or action.baseline_due
        return first if first and first != action.due else None

    def milestone_original_due(self, milestone: MilestoneRow) -> date | None:
        first = self.original.milestones.get(milestone.id) or milestone.baseline_due
        return first if first and first != milestone.due else None

    @property
    def actions(self) -> list[ActionRow]:
        return self.timeline.actions

    def rag(self, code: str | None) -> RagDefinition | None:
        return self.header.rag(code)


def _slice_label(session: Session, wanted: ExportSlice) -> str:
    parts: list[str] = []

    def named(kind: str, names: list[str]) -> None:
        if names:
            parts.append(f"{kind}{'s' if len(names) > 1 else ''}: " + "; ".join(names))

    if wanted.partner_ids:
        named(
            "Partner",
            list(
                session.scalars(
                    select(Partner.name)
                    .where(Partner.id.in_(wanted.partner_ids))
                    .order_by(Partner.name)
                )
            ),
        )
    if wanted.person_ids:
        named(
            "Person",
            list(
                session.scalars(
                    select(Person.name)
                    .where(Person.id.in_(wanted.person_ids))
                    .order_by(Person.name)
                )
            ),
        )
    if wanted.theme_ids:
        named(
            "Theme",
            [
                f"{number}. {title}"
                for number, title in session.execute(
                    select(Theme.number, Theme.title)
                    .where(Theme.id.in_(wanted.theme_ids))
                    .order_by(Theme.number)
                )
            ],
        )
    return " · ".join(parts)


def gather_report(
    session: Session, plan_id: int, options: ReportOptions, *, now: datetime | None = None
) -> ReportContent:
    """Read everything the report needs for this slice of the plan."""
    exported = gather(
        session,
        plan_id,
        ExportOptions(slice=options.slice, protective_marking=options.protective_marking),
        now=now,
    )
    header = exported.header
    ids = [action.id for action in exported.actions]
    laid_out = timeline(session, plan_id, ids if not options.slice.is_whole_plan else None)
    codes = [d.code for d in exception_definitions(header.rag_definitions)]
    updates = latest_updates(session, [a.id for a in exported.actions if a.rag in codes])
    exceptions = sorted(
        (Exception_(action, updates.get(action.id)) for action in exported.actions),
        key=lambda e: codes.index(e.action.rag) if e.action.rag in codes else len(codes),
    )
    exceptions = [e for e in exceptions if e.action.rag in codes]
    window = next_quarter(header.status_date)
    open_milestones = [m for m in exported.milestones if m.completed_on is None and m.due]
    overdue = sorted((m for m in open_milestones if m.overdue), key=lambda m: (m.due, m.action_ref))
    due_next = sorted(
        (m for m in open_milestones if m.due and window.due_from <= m.due <= window.last),
        key=lambda m: (m.due, m.action_ref),
    )
    return ReportContent(
        header=header,
        marking=exported.marking,
        produced_on=options.produced_on or exported.exported_at.date(),
        slice_label=_slice_label(session, options.slice),
        slice_description=exported.slice_description,
        timeline=laid_out,
        exception_codes=codes,
        exceptions=exceptions,
        overdue=overdue,
        window=window,
        due_next_quarter=due_next,
        action_refs={a.id: (a.ref, a.title) for a in exported.actions},
        original=original_dues(session, ids),
        author=officer_name(options.author),
        purpose=gather_purpose(
            session, plan_id, exported.actions, sliced=not options.slice.is_whole_plan
        ),
    )
