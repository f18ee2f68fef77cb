"""The Benefits tab: built when first shown, the sample's register in pounds, narrowed by
partner body, theme, year and type with its totals and headline following, and kept up
to date when the plan changes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt

from planner.commands import EditRecord
from planner.domain.money import BenefitType
from planner.domain.periods import Period
from planner.queries.benefits import benefit_rows, benefit_summary
from planner.queries.lookups import partner_choices
from planner.ui.models.roles import ALIGNMENT

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from planner.ui.main_window import MainWindow
    from planner.ui.views.benefits import BenefitsView

COLUMNS = ("Action", "Benefit", "Type", "Received by", "Planned", "Realised", "Validated")


def titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> BenefitsView:
    window.resize(1400, 900)
    window.tabs.setCurrentIndex(titles(window).index("Bene&fits"))
    shown = window.purpose_tabs.benefits()
    qtbot.waitUntil(shown.isVisible)
    return shown


def cells(view: BenefitsView, column: str) -> list[str]:
    model, number = view.model, COLUMNS.index(column)
    return [model.index(row, number).data() for row in range(model.rowCount())]


def totals(view: BenefitsView, which: str) -> dict[str, tuple[str, str, str]]:
    model = view.by_partner if which == "partner" else view.by_year
    return {
        model.index(row, 0).data(): tuple(model.index(row, n).data() for n in (1, 2, 3))  # type: ignore[misc]
        for row in range(model.rowCount())
    }


def test_the_benefits_tab_is_built_when_first_shown(window: MainWindow) -> None:
    names = titles(window)
    assert names.index("Bene&fits") == names.index("&Outcomes") + 1
    assert not window.purpose_tabs.built[1]
    window.tabs.setCurrentIndex(names.index("Bene&fits"))
    assert window.purpose_tabs.built == (False, True)  # each tab is built on its own
    assert window.tabs.currentWidget() is window.purpose_tabs.benefits()
    assert titles(window) == names


def test_the_register_shows_every_benefit_in_pounds(window: MainWindow, view: BenefitsView) -> None:
    assert window.document is not None
    assert view.model.rowCount() == 9
    assert view.count_label.text() == "9 benefits"
    assert cells(view, "Action")[0] == "2.2"
    assert "£900,000" in cells(view, "Planned")
    assert all(text.startswith("£") or text in ("", "—") for text in cells(view, "Realised"))
    assert "Qualitative" in cells(view, "Type")
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert view.model.index(0, COLUMNS.index("Validated")).data(ALIGNMENT) == right

    summary = window.document.read(benefit_summary)
    assert view.headline_amount == summary.headline
    assert view.headline.text() == "Validated savings: £379,000"
    assert totals(view, "partner")["Total"] == ("£3,440,000", "£833,000", "£454,000")
    assert set(totals(view, "year")) == {"2012/13", "2013/14", "2014/15", "Total"}


def test_filters_narrow_the_register_its_totals_and_headline(
    window: MainWindow, view: BenefitsView
) -> None:
    assert window.document is not None
    partners = {c.label: c.id for c in window.document.read(partner_choices)}
    county = next(pid for label, pid in partners.items() if label.startswith("Northshire County"))

    assert view.set_filter("partner", county)

    assert set(cells(view, "Received by")) == {"NCC"}
    expected = window.document.read(lambda s, p: benefit_rows(s, p, partner_id=county))
    assert view.model.rowCount() == len(expected) < 9
    assert set(totals(view, "partner")) == {"NCC", "Total"}
    assert view.count_label.text() == f"{len(expected)} benefits (filtered)"
    assert view.clear_button.isEnabled()

    assert view.set_filter("year", Period(2012))
    assert set(totals(view, "year")) == {"2012/13", "Total"}
    in_2012 = window.document.read(
        lambda s, p: benefit_rows(s, p, partner_id=county, year=Period(2012))
    )
    assert [(row.id, row.realised) for row in view.model.rows()] == [
        (row.id, row.realised) for row in in_2012
    ]

    view.clear_filters()
    assert view.model.rowCount() == 9
    assert not view.clear_button.isEnabled()

    assert view.set_filter("kind", BenefitType.QUALITATIVE)
    assert cells(view, "Type") == ["Qualitative"]
    assert view.headline_amount == Decimal(0)  # no money in a qualitative benefit
    assert totals(view, "partner") == {}


def test_a_change_to_a_benefit_shows_at_once_and_undo_takes_it_back(
    window: MainWindow, view: BenefitsView
) -> None:
    assert window.document is not None
    first = window.document.read(benefit_rows)[0]  # with its yearly figures
    window.execute(EditRecord("benefit", first.id, {"title": "Fewer calls"}))
    assert cells(view, "Benefit")[0] == "Fewer calls"

    value = next(year for year in first.years if year.realised)
    window.execute(EditRecord("benefit_value", value.id, {"realised": "£1,000,000"}))
    assert totals(view, "partner")["Total"][1] != "£833,000"

    window.undo()
    window.undo()
    assert cells(view, "Benefit")[0] == first.title
    assert totals(view, "partner")["Total"][1] == "£833,000"


def test_a_refused_figure_changes_nothing(
    window: MainWindow, view: BenefitsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(
        main_window, "show_error", lambda _p, error, _t="": shown.append(str(error))
    )
    assert window.document is not None
    value = next(year for year in window.document.read(benefit_rows)[0].years if year.realised)
    assert window.execute(EditRecord("benefit_value", value.id, {"realised": "lots"})) is None
    assert shown and "not an amount of money" in shown[0]
    assert totals(view, "partner")["Total"] == ("£3,440,000", "£833,000", "£454,000")
