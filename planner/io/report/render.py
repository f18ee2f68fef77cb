"""Write the board report: lay every section out as pages, then paint them into a PDF
beside the target and move it into place only when whole."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import PlannerError
from planner.io.report.application import ensure_gui_application
from planner.io.report.content import ReportCancelled, ReportContent, ReportOptions, gather_report
from planner.io.report.cover import lay_out_cover
from planner.io.report.document import DPI, Furniture, Layout
from planner.io.report.exceptions import lay_out_exceptions
from planner.io.report.metadata import add_subject_and_bookmarks, document_info, xmp_packet
from planner.io.report.milestones import lay_out_milestones
from planner.io.report.money import lay_out_benefits, lay_out_budget
from planner.io.report.outcomes import lay_out_outcomes
from planner.io.report.strategy import lay_out_strategy
from planner.io.report.timeline import lay_out_timeline
from planner.store.models import Plan
from planner.store.planfile import PlanFile
from planner.store.sqlite_file import describe_os_error

Progress = Callable[[int, int, str], bool]  # (done, total, stage) -> keep going?


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int
    actions: int


def write_report(
    source: PlanFile | Session,
    path: str | os.PathLike[str],
    options: ReportOptions | None = None,
    progress: Progress | None = None,
) -> ReportResult:
    """Read the plan (an open PlanFile, or a session on one) and write its report."""
    options = options or ReportOptions()
    if isinstance(source, PlanFile):
        with source.Session() as session:
            content = gather_report(session, source.plan_id, options)
    else:
        plan_id = source.scalar(select(Plan.id).order_by(Plan.id))
        if plan_id is None:
            raise PlannerError("This file holds no plan to report on.")
        content = gather_report(source, plan_id, options)
    return render_report(content, path, progress)


def lay_out(layout: Layout, content: ReportContent) -> None:
    lay_out_cover(layout, content)
    lay_out_strategy(layout, content)
    lay_out_outcomes(layout, content)
    lay_out_benefits(layout, content)
    lay_out_budget(layout, content)
    lay_out_exceptions(layout, content)
    lay_out_milestones(layout, content)
    lay_out_timeline(layout, content)


def render_report(
    content: ReportContent, path: str | os.PathLike[str], progress: Progress | None = None
) -> ReportResult:
    """Paint the report for `content` into `path`; a cancelled or failed report leaves
    nothing behind and any existing file at `path` untouched."""
    target = Path(path).absolute()
    if target.suffix.lower() != ".pdf":
        raise PlannerError(f"'{target.name}' should end in .pdf, the report's format.")
    if not target.parent.is_dir():
        raise PlannerError(
            f"'{target.name}' could not be written: the folder {target.parent} does not exist."
        )
    temporary = target.with_name(f".{target.stem}.{os.getpid()}.partial.pdf")
    try:
        temporary.touch()  # find out now, before any work, whether the folder is writable
    except OSError as error:
        raise PlannerError(
            f"'{target.name}' could not be written: {describe_os_error(error)}."
        ) from None
    painter: QPainter | None = None
    writer: QPdfWriter | None = None
    try:
        if progress is not None and not progress(0, 1, "Laying out the pages"):
            raise ReportCancelled()
        ensure_gui_application()
        writer = QPdfWriter(str(temporary))
        writer.setResolution(DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(0, 0, 0, 0),
            )
        )
        info = document_info(content)
        writer.setTitle(info.title)
        writer.setAuthor(info.author)
        writer.setCreator(info.creator)
        writer.setDocumentXmpMetadata(QByteArray(xmp_packet(info)))
        layout = Layout(
            writer, Furniture(content.header.title, content.marking, content.produced_on)
        )
        lay_out(layout, content)
        total = len(layout.pages)
        painter = QPainter()
        if not painter.begin(writer):
            raise PlannerError(f"'{target.name}' could not be written.")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for number, page in enumerate(layout.pages, start=1):
            if number > 1:
                writer.newPage()
            for draw in page.draws:
                draw(painter)
            layout.paint_furniture(painter, number, total, page)
            if progress is not None and not progress(number, total, f"page {number} of {total}"):
                raise ReportCancelled()
        painter.end()
        painter = writer = None  # the file is closed and complete
        add_subject_and_bookmarks(temporary, info, layout.contents)
        os.replace(temporary, target)
    except OSError as error:
        _discard(painter, temporary)
        writer = None
        raise PlannerError(
            f"'{target.name}' could not be written: {describe_os_error(error)}."
        ) from None
    except BaseException:
        _discard(painter, temporary)
        writer = None
        raise
    return ReportResult(target, total, len(content.actions))


def _discard(painter: QPainter | None, temporary: Path) -> None:
    if painter is not None and painter.isActive():
        painter.end()
    temporary.unlink(missing_ok=True)
