"""The pictures of the plan in the main window follow the filter bar and the selection,
rebuild after an edit, and run the commands they ask for on the undo stack."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from planner.commands import EditRecord
from planner.ui import create_main_window
from planner.ui.main_window import MainWindow
from planner.ui.views.base import PlanView

pytestmark = pytest.mark.gui


class RecordingView(PlanView):
    """Notes what it was asked to show."""

    def __init__(self) -> None:
        super().__init__()
        self.rebuilds: list[set[int] | None] = []
        self.marked: list[int | None] = []

    def rebuild(self) -> None:
        self.rebuilds.append(None if self.visible_ids is None else set(self.visible_ids))

    def show_current_action(self) -> None:
        self.marked.append(self.current_action_id)


def add_view(window: MainWindow) -> RecordingView:
    view = RecordingView()
    window.add_plan_view(view, "filter", "Recording")
    window.tabs.setCurrentWidget(view)
    view.rebuilds.clear()
    return view


def ref_of(window: MainWindow, action_id: int) -> str:
    action = window.actions_page.model.action(action_id)
    assert action is not None
    return action.ref


def percent(window: MainWindow, action_id: int) -> int:
    action = window.actions_page.model.action(action_id)
    assert action is not None
    return action.percent


def test_a_view_shows_only_the_actions_the_filter_lets_through(window: MainWindow) -> None:
    view = add_view(window)
    window.filter_bar.text.setText("PSN")
    shown = window.actions_page.visible_action_ids()
    assert 0 < len(shown) < window.actions_page.model.total_count()
    assert view.rebuilds[-1] == set(shown)
    assert view.visible_ids == set(shown)

    window.filter_bar.clear()
    assert view.rebuilds[-1] is None


def test_a_hidden_view_rebuilds_only_when_shown(window: MainWindow) -> None:
    view = add_view(window)
    window.tabs.setCurrentWidget(window.actions_page)
    window.filter_bar.text.setText("PSN")
    assert view.rebuilds == []
    window.tabs.setCurrentWidget(view)
    assert len(view.rebuilds) == 1


def test_picking_an_action_in_a_view_selects_it_everywhere(window: MainWindow) -> None:
    view = add_view(window)
    last = window.actions_page.visible_action_ids()[-1]
    view.action_activated.emit(last)
    assert window.actions_page.current_action_id() == last
    assert view.current_action_id == last
    assert view.marked[-1] == last
    assert window.details._action_id == last


def test_a_command_from_a_view_is_undoable_and_the_view_rebuilds(window: MainWindow) -> None:
    view = add_view(window)
    action_id = window.actions_page.visible_action_ids()[0]
    view.command_requested.emit(EditRecord("action", action_id, {"percent": 55}))
    assert view.rebuilds, "the view re-reads the plan after the change"
    assert percent(window, action_id) == 55
    assert window.actionUndo.toolTip() == f"Undo Change % complete of {ref_of(window, action_id)}"
    window.actionUndo.trigger()
    assert percent(window, action_id) != 55


def test_the_filter_bar_is_hidden_on_the_people_and_partner_lists(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.people_view)
    assert not window.filter_bar.isVisible()
    window.tabs.setCurrentWidget(window.actions_page)
    assert window.filter_bar.isVisible()


@pytest.fixture
def large_plan_path(tmp_path: Path, data_dir: Path) -> Path:
    """The sample with its first theme's actions copied until the plan has 1,200."""
    import copy

    from planner.io.sample import create_from_data, sample_data

    data = sample_data()
    first = data["themes"][0]
    template = first["actions"]
    first["actions"] = []
    for number in range(1, 1200 - sum(len(t["actions"]) for t in data["themes"][1:]) + 1):
        action = copy.deepcopy(template[number % len(template)])
        action["ref"] = f"1.{number}"
        first["actions"].append(action)
    path = tmp_path / "large.plan"
    create_from_data(path, data, data_dir=data_dir).close()
    return path


def test_a_large_plan_shows_its_first_screenful_then_the_rest(
    qtbot: Any, large_plan_path: Path
) -> None:
    window = create_main_window(large_plan_path)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.close(discard=True))
    model = window.actions_page.model
    assert 0 < model.total_count() < 1200, "only the first screenful is read before showing"
    assert window.count_label.text() == "Reading the rest of the plan…"
    assert window.actions_page.current_action_id() is not None
    details = window.details
    assert details.stack.currentIndex() == 0, "the details are read with the rest"
    assert details.empty_label.text() == "Reading the plan…"
    bar = window.filter_bar
    assert (bar.person.count(), bar.partner.count()) == (1, 1), "read with the rest"

    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: model.total_count() == 1200, timeout=5000)
    assert window.count_label.text() == "1200 of 1200 actions"
    current = window.actions_page.current_action_id()
    assert window.actions_page.visible_action_ids()[0] == current
    assert details.stack.currentIndex() == 1
    assert bar.person.count() > 1 and bar.partner.count() > 1
    shown = model.action(current)
    assert shown is not None
    assert details.title_edit.text() == shown.title


def test_the_app_builds_the_pictures_after_its_first_paint_in_tabs_already_shown(
    qtbot: Any, sample_path: Path
) -> None:
    from planner.store.planfile import PlanFile
    from planner.ui.document import PlanDocument

    window = MainWindow(plan_views=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.close(discard=True))
    window.set_document(PlanDocument(PlanFile.open(sample_path)))
    titles = [window.tabs.tabText(index) for index in range(window.tabs.count())]
    assert titles[1:5] == ["&Dashboard", "&Timeline", "Partner &map", "People &load"]
    assert window.plan_views == []
    window.filter_bar.text.setText("PSN")
    window.tabs.setCurrentIndex(2)

    window.build_plan_views()
    assert [window.tabs.tabText(index) for index in range(window.tabs.count())] == titles
    assert window.tabs.currentWidget() is window.timeline_view
    assert [window.tabs.indexOf(view) for view in window.plan_views] == [1, 2, 3, 4]
    shown = set(window.actions_page.visible_action_ids())
    assert all(view.visible_ids == shown for view in window.plan_views)


@pytest.mark.parametrize("tab", ["&Dashboard", "&Timeline"])
def test_print_view_puts_the_tab_on_screen_on_one_page_under_its_heading(
    window: MainWindow, tmp_path: Path, tab: str
) -> None:
    import shutil
    import subprocess

    from PySide6.QtGui import QColor, QImage

    from planner.ui.print_view import print_view

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian's poppler-utils) is not installed")
    titles = [window.tabs.tabText(index) for index in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index(tab))
    target = tmp_path / "view.pdf"
    print_view(window, target)
    size = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "842 x 595" in size or "841.89 x 595.28" in size, size  # A4 landscape, points
    shown = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert shown.count("\f") <= 1, "one page"
    heading = shown.strip().splitlines()[0]
    assert "Planting the Flag in Northshire" in heading
    assert tab.replace("&", "") in heading and "OFFICIAL" in heading
    assert "position at 31 Dec 2013" in heading
    assert window.actionPrintView.isEnabled()
    # Below the heading, the view itself: coloured RAG bars and chips, not a blank page.
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(target), str(tmp_path / "page")], check=True
    )
    page = QImage(str(next(tmp_path.glob("page*.png"))))
    coloured = sum(
        1
        for y in range(page.height() // 5, page.height(), 4)
        for x in range(0, page.width(), 4)
        if QColor(page.pixel(x, y)).saturation() > 80
    )
    assert coloured > 50, "the view is painted on the page"


def test_print_view_to_pdf_asks_where_and_adds_the_pdf_ending(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from planner.ui.print_view import print_current_view

    asked: list[str] = []

    def choose(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "board view"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    written = print_current_view(window)
    assert written == tmp_path / "board view.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert asked == [str(tmp_path / "northshire Actions.pdf")]


def test_theme_chips_wrap_to_a_new_line_rather_than_run_off_the_pane(qapp: Any) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from planner.ui.chips import chip_places

    metrics = QFontMetrics(QFont())
    chips = [
        ("R", 538, "#C0392B"),
        ("A", 706, "#E67E22"),
        ("G", 1214, "#27AE60"),
        ("B", 1626, "#2E86C1"),
        ("–", 916, "#BDC3C7"),
    ]
    wide = chip_places(metrics, chips, first_x=100, left=8, right=2000)
    assert {place.top() for place in wide} == {0}, "one line when there is room"
    narrow = chip_places(metrics, chips, first_x=100, left=8, right=240)
    assert narrow[0].left() == 100
    assert len({place.top() for place in narrow}) > 1, "wrapped"
    assert all(place.left() >= 8 and place.right() <= 240 for place in narrow)
    height = narrow[0].height()
    lines = sorted({place.top() for place in narrow})
    assert all(later >= earlier + height for earlier, later in itertools.pairwise(lines))
