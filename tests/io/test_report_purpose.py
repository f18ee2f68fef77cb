"""The board report's account of what the plan is for, read back with `pdftotext -layout`:
the Outcomes pages (each outcome, each measure's latest value, target, status in words
and travel), the Benefits page (the validated-savings headline and the sentence saying
only validated savings count, planned against realised by partner body and year), the
Budget page (by year, and the actions off their spend profile with the amount), the
cover's validated savings to date; and a plan with none of these has no such pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from planner.domain.money import SpendFlag
from planner.io.report import ReportOptions, gather_report, render_report
from planner.io.report.money import pounds
from planner.io.sample import write_sample
from planner.queries.benefits import benefit_summary, money_by_action
from planner.queries.purpose import outcome_rows
from planner.store.models import (
    Benefit,
    BenefitValue,
    BudgetLine,
    Funding,
    Measure,
    MeasureValue,
    Outcome,
    OutcomeLink,
)
from planner.store.planfile import PlanFile
from tests.io.test_report import pdf_pages, section_pages, words

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils",
)

ONLINE = "Share of the top ten transactions"
PSN = "Partners connected to the Public Services"
SECTIONS = ("Outcomes", "Benefits", "Budget")


@pytest.fixture(scope="module", autouse=True)
def application(qapp: Any) -> Any:
    return qapp


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-purpose")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


def _open(path: Path, read_only: bool = True) -> PlanFile:
    return PlanFile.open(path, read_only=read_only, data_dir=path.parent / "user-data")


def _write(path: Path, out: Path) -> list[str]:
    with _open(path) as plan, plan.Session() as session:
        content = gather_report(session, plan.plan_id, ReportOptions())
    render_report(content, out)
    return pdf_pages(out)


@pytest.fixture(scope="module")
def facts(sample: Path) -> Iterator[dict[str, Any]]:
    with _open(sample) as plan, plan.Session() as session:
        yield {
            "outcomes": outcome_rows(session, plan.plan_id),
            "benefits": benefit_summary(session, plan.plan_id),
            "money": money_by_action(session, plan.plan_id),
        }


@pytest.fixture(scope="module")
def pages(sample: Path) -> list[str]:
    return _write(sample, sample.parent / "report.pdf")


def line_with(pages: list[str], text: str) -> str:
    """The first line of these pages holding `text`."""
    found = [line for page in pages for line in page.splitlines() if text in line]
    assert found, f"no line holds {text!r}"
    return found[0]


def test_the_cover_gives_validated_savings_to_date(pages: list[str]) -> None:
    cover = pages[0]
    assert "Validated savings to date: £379,000" in cover
    for section in SECTIONS:
        assert section in cover  # in the contents


def test_the_outcomes_pages_show_every_outcome_and_measure(
    pages: list[str], facts: dict[str, Any]
) -> None:
    outcomes = section_pages(pages, "Outcomes")
    assert 1 <= len(outcomes) <= 2
    text = words(" ".join(outcomes))
    for outcome in facts["outcomes"]:
        assert outcome.title in text, outcome.title
        for measure in outcome.measures:
            assert words(measure.name.split()[0]) in text
    online = line_with(outcomes, ONLINE)
    for shown in ("Q3 2013/14", "38.5%", "40%", "Within tolerance", "Improved"):
        assert shown in online, (shown, online)
    network = line_with(outcomes, PSN)
    for shown in ("Q3 2013/14", "4", "6", "Off target"):
        assert shown in network, (shown, network)
    assert "Trend: actual against target" in text


def test_strategy_on_a_page_shows_what_the_plan_is_for_above_the_themes(
    pages: list[str], facts: dict[str, Any]
) -> None:
    (page,) = section_pages(pages, "Strategy on a page")  # still one page
    text = words(page)
    assert "What the plan is for" in text
    band = text.index("What the plan is for")
    for outcome in facts["outcomes"]:  # titles wrap beside each other: their first words
        assert " ".join(outcome.title.split()[:3]) in text, outcome.title
    assert band < text.index("1. Leadership & Governance")
    assert "Themes 4, 5" in text  # the themes serving an outcome


def test_the_benefits_page_counts_validated_savings_only(
    pages: list[str], facts: dict[str, Any]
) -> None:
    (page,) = section_pages(pages, "Benefits")
    summary = facts["benefits"]
    assert summary.headline == Decimal(379_000)
    assert "£379,000" in page
    assert "2013/14 so far: £0 validated" in page
    text = words(page)
    assert "Only savings validated by a partner's section 151 officer" in text
    assert "counted in the headline" in text
    for label, total in summary.by_partner.items():
        row = line_with([page], f" {label} ")
        for amount in (total.planned, total.realised, total.validated):
            assert pounds(amount) in row, (label, row)
    this_year = line_with([page], "2013/14 (this year)")
    year_total = summary.by_year[summary.status_year]
    for amount in (year_total.planned, year_total.realised, year_total.validated):
        assert pounds(amount) in this_year
    totals = line_with([page], "All partner bodies")
    for amount in (summary.total.planned, summary.total.realised, summary.total.validated):
        assert pounds(amount) in totals


def test_the_budget_page_shows_each_year_and_the_actions_off_profile(
    pages: list[str], facts: dict[str, Any]
) -> None:
    (page,) = section_pages(pages, "Budget")
    money = facts["money"].values()
    budget = sum(y.budget for m in money for y in m.years if y.year.label == "2013/14")
    spent = sum(y.spent for m in money for y in m.years if y.year.label == "2013/14")
    this_year = line_with([page], "2013/14 (this year)")
    assert pounds(budget) in this_year and pounds(spent) in this_year
    shared = line_with([page], "3.4 ")
    for shown in ("£1,200,000", "£610,000", "£294,110 under", "Underspend"):
        assert shown in shared, (shown, shared)
    flagged = {m.action_ref for m in money if m.flag not in (None, SpendFlag.ON_PROFILE)}
    assert flagged == {"3.4", "4.1"}
    assert "Overspend" in line_with([page], "4.1 ")
    assert "Actions off their spend profile in 2013/14 (2)" in page
    assert "3 other actions with a 2013/14 budget are on profile." in page


def test_the_new_sections_come_after_the_strategy_and_before_the_exceptions(
    pages: list[str],
) -> None:
    def first(section: str) -> int:
        return pages.index(section_pages(pages, section)[0])

    order = ["Strategy on a page", *SECTIONS, "Exceptions"]
    assert [first(s) for s in order] == sorted(first(s) for s in order)


def test_a_plan_without_outcomes_benefits_or_budgets_has_no_such_pages(tmp_path: Path) -> None:
    bare = tmp_path / "bare.plan"
    write_sample(bare, data_dir=tmp_path / "user-data").close()
    with _open(bare, read_only=False) as plan, plan.Session() as session:
        for model in (
            MeasureValue,
            Measure,
            OutcomeLink,
            Outcome,
            BenefitValue,
            Benefit,
            Funding,
            BudgetLine,
        ):
            session.execute(delete(model))
        session.commit()
        plan.save()
    pages = _write(bare, tmp_path / "bare.pdf")
    for section in SECTIONS:
        assert not section_pages(pages, section), section
        assert section not in pages[0]
    assert "Validated savings" not in pages[0]
    assert section_pages(pages, "Exceptions")
