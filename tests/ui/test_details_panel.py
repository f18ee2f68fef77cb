"""The details panel, its query and its dialogs, on the Northshire sample plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from planner.commands import EditRecord
from planner.domain.travel import IMPROVED, SAME, WORSE, direction_of_travel
from planner.queries.detail import ActionDetail, action_detail, person_options
from planner.store.models import Action, BaselineChange, Milestone, Person
from planner.store.planfile import PlanFile
from planner.ui.details import DetailsPanel
from planner.ui.details import panel as panel_module
from planner.ui.details.panel import EMPTY_TEXT, TAB_MILESTONES
from planner.ui.dialogs.assign_partner import AssignPartnerDialog, PartnerLinkValues
from planner.ui.dialogs.assign_person import AssignPersonDialog, PersonLinkValues
from planner.ui.dialogs.milestone import MilestoneDialog, MilestoneValues
from planner.ui.dialogs.progress_update import ProgressUpdateDialog, ProgressUpdateValues
from planner.ui.dialogs.rebaseline import RebaselineDialog, RebaselineTarget, RebaselineValues
from planner.ui.document import PlanDocument
from planner.ui.models.details import MilestonesModel, PeopleModel

pytestmark = pytest.mark.gui

SCREENSHOT = Path("/tmp/details_panel.png")


# ----- helpers ----------------------------------------------------------------------


def action_id(document: PlanDocument, ref: str) -> int:
    found = document.read(lambda s, p: s.scalar(select(Action.id).where(Action.ref == ref)))
    assert found is not None
    return int(found)


def person_id(document: PlanDocument, name: str) -> int:
    found = document.read(lambda s, p: s.scalar(select(Person.id).where(Person.name == name)))
    assert found is not None
    return int(found)


def detail_of(document: PlanDocument, ref: str) -> ActionDetail:
    wanted = action_id(document, ref)
    found = document.read(lambda s, p: action_detail(s, p, wanted))
    assert found is not None
    return found


def directions(panel: DetailsPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel, "updateDirection")]


def update_dates(panel: DetailsPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel, "updateDate")]


def milestone_row(model: MilestonesModel, title: str) -> int:
    for row in range(model.rowCount()):
        if model.row_at(row).title == title:
            return row
    raise AssertionError(f"no milestone {title!r}")


def column(model: MilestonesModel, key: str) -> int:
    return MilestonesModel.KEYS.index(key)


def fake_ask(*answers: Any) -> tuple[Any, list[tuple[tuple[Any, ...], dict[str, Any]]]]:
    """A replacement for a dialog's `ask`: returns each answer in turn, then None."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    queue = list(answers)

    def ask(cls: type, parent: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return queue.pop(0) if queue else None

    return classmethod(ask), calls


@pytest.fixture
def document(sample_plan: PlanFile) -> Iterator[PlanDocument]:
    doc = PlanDocument(sample_plan)
    yield doc
    doc.undo_stack.clear()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    captured = Errors()
    monkeypatch.setattr(panel_module, "show_error", captured)
    return captured


@pytest.fixture
def panel(qtbot: Any, document: PlanDocument, errors: Errors) -> DetailsPanel:
    widget = DetailsPanel()
    qtbot.addWidget(widget)
    widget.set_document(document)
    widget.resize(380, 760)
    return widget


# ----- the query ----------------------------------------------------------------------


def test_detail_query_gathers_everything_about_an_action(document: PlanDocument) -> None:
    detail = detail_of(document, "3.4")
    assert detail.heading == "3.4 Implement the shared ICT service"
    assert detail.theme_label == "3. Strategic Commissioning & Shared Services"
    assert [link.role for link in detail.people] == ["A", "R", "R", "C"]
    assert detail.lead is not None and detail.lead.name == "David Pennington"
    assert detail.lead.job_title == "Head of ICT"
    assert [link.role for link in detail.partners] == ["lead", "delivery", "delivery"]
    overdue = [m.title for m in detail.milestones if m.overdue]
    assert overdue == ["Joint committee constituted and inter-authority agreement signed"]
    assert [m.due for m in detail.milestones] == sorted(m.due for m in detail.milestones if m.due)
    assert [u.as_at for u in detail.updates] == [
        date(2013, 12, 31),
        date(2013, 9, 30),
        date(2013, 6, 30),
    ]
    assert [u.direction for u in detail.updates] == [WORSE, SAME, None]
    assert detail.updates[0].author == "David Pennington"
    assert len(detail.baselines) == 1
    entry = detail.baselines[0]
    assert (entry.what, entry.old_due, entry.new_due) == (
        "Action 3.4",
        date(2014, 9, 30),
        date(2015, 3, 31),
    )
    assert entry.approved_by == "ICT Partnership Board"
    assert detail.history == ()  # the sample is written without a journal


def test_detail_query_of_a_missing_action_is_none(document: PlanDocument) -> None:
    assert document.read(lambda s, p: action_detail(s, p, 999_999)) is None


def test_direction_of_travel_follows_rag_order() -> None:
    assert direction_of_travel("R", "A") == IMPROVED
    assert direction_of_travel("G", "B") == IMPROVED
    assert direction_of_travel("G", "G") == SAME
    assert direction_of_travel("A", "R") == WORSE
    assert direction_of_travel(None, "G") is None
    assert direction_of_travel("G", None) is None
    assert direction_of_travel("X", "G") is None


def test_history_covers_the_action_and_what_hangs_off_it(document: PlanDocument) -> None:
    detail = detail_of(document, "4.2")
    milestone = detail.milestones[0]
    document.execute(EditRecord("action", detail.id, {"percent": 45}))
    document.execute(EditRecord("milestone", milestone.id, {"note": "Report received"}))
    other = detail_of(document, "4.1")
    document.execute(EditRecord("action", other.id, {"percent": 99}))
    history = detail_of(document, "4.2").history
    assert [(h.entity, h.field, h.new_value) for h in history] == [
        ("milestone", "note", "Report received"),
        ("action", "percent", "45"),
    ]
    assert history[0].subject == f"Milestone '{milestone.title}'"


def test_person_options_name_job_and_organisation(document: PlanDocument) -> None:
    options = document.read(person_options)
    ruth = next(option for option in options if option.name == "Ruth Calloway")
    assert ruth.label.startswith("Ruth Calloway (Assistant Chief Executive")
    assert ruth.label.endswith(", NCC)")


# ----- showing an action --------------------------------------------------------------


def test_panel_shows_an_action(
    panel: DetailsPanel, document: PlanDocument, qtmodeltester: Any
) -> None:
    panel.show_action(action_id(document, "4.2"))
    assert panel.objectName() == "detailsPanel"
    assert panel.accessibleName()
    assert panel.stack.currentIndex() == 1
    assert panel.heading.text() == "4.2 PSN Code of Connection compliance by 1 April 2014"
    assert panel.rag_chip.text() == "R Red"
    assert panel.rag_chip.toolTip().startswith("Red: Off track")
    assert "1 milestone overdue" in panel.overdue_label.text()

    people = panel.people_model
    assert people.index(0, 0).data().startswith("Ruth Calloway")
    assert people.index(0, PeopleModel.ROLE_COLUMN).data() == "Accountable (lead officer)"
    assert people.rowCount() == 4

    milestones = panel.milestones_model
    late = milestone_row(
        milestones, "Remediation action plan submitted to the Cabinet Office PSN team"
    )
    due = milestones.index(late, column(milestones, "due"))
    assert due.data() == "29/11/2013\n⚠ overdue"
    assert "Overdue" in due.data(Qt.ItemDataRole.ToolTipRole)
    on_time = milestone_row(milestones, "Code of Connection submission to the Cabinet Office")
    assert "overdue" not in milestones.index(on_time, column(milestones, "due")).data()

    assert update_dates(panel) == ["31/12/2013", "30/09/2013", "30/06/2013"]
    assert directions(panel) == ["▼ worse", "▼ worse"]

    assert panel.title_edit.text() == "PSN Code of Connection compliance by 1 April 2014"
    assert panel.due_edit.value() == date(2014, 4, 1)
    assert panel.due_edit.displayFormat() == "dd/MM/yyyy"
    assert panel.due_edit.calendarPopup()
    assert panel.rag_combo.currentText() == "R Red"
    assert panel.lead_combo.currentText() == "Ruth Calloway"

    for model in (
        panel.people_model,
        panel.partners_model,
        panel.milestones_model,
        panel.history_model,
    ):
        qtmodeltester.check(model)


def test_direction_words_for_same_and_improved(panel: DetailsPanel, document: PlanDocument) -> None:
    panel.show_action(action_id(document, "3.4"))
    assert directions(panel) == ["▼ worse", "► same"]
    panel.show_action(action_id(document, "1.3"))  # A, G, G, G
    assert directions(panel) == ["► same", "► same", "▲ improved"]


def test_empty_state(panel: DetailsPanel, document: PlanDocument) -> None:
    assert panel.stack.currentIndex() == 0
    assert panel.empty_label.text() == EMPTY_TEXT
    panel.show_action(action_id(document, "4.2"))
    assert panel.stack.currentIndex() == 1
    panel.show_action(0)
    assert panel.stack.currentIndex() == 0
    panel.show_action(None)
    assert panel.stack.currentIndex() == 0
    assert panel.detail is None


def test_panel_follows_changes_made_elsewhere(panel: DetailsPanel, document: PlanDocument) -> None:
    wanted = action_id(document, "4.2")
    panel.show_action(wanted)
    document.execute(EditRecord("action", wanted, {"title": "PSN compliance"}))
    assert panel.heading.text() == "4.2 PSN compliance"
    document.undo_stack.undo()
    assert panel.heading.text() == "4.2 PSN Code of Connection compliance by 1 April 2014"


# ----- editing the form ---------------------------------------------------------------


def test_editing_the_title_changes_the_plan_and_undoes(
    panel: DetailsPanel, document: PlanDocument, qtmodeltester: Any
) -> None:
    wanted = action_id(document, "4.2")
    panel.show_action(wanted)
    panel.title_edit.setText("  PSN compliance for the council and Eastvale ")
    panel.title_edit.editingFinished.emit()
    assert detail_of(document, "4.2").title == "PSN compliance for the council and Eastvale"
    assert panel.heading.text() == "4.2 PSN compliance for the council and Eastvale"
    rows = panel.history_model.rowCount()
    assert rows == 1
    qtmodeltester.check(panel.history_model)
    change = panel.history_model.index(0, 1).data()
    assert change.startswith("Action 4.2\nTitle: PSN Code of Connection")
    assert change.endswith("→ PSN compliance for the council and Eastvale")

    document.undo_stack.undo()
    assert detail_of(document, "4.2").title == "PSN Code of Connection compliance by 1 April 2014"
    assert panel.title_edit.text() == "PSN Code of Connection compliance by 1 April 2014"


def test_form_edits_status_rag_percent_and_theme(
    panel: DetailsPanel, document: PlanDocument
) -> None:
    wanted = action_id(document, "4.2")
    panel.show_action(wanted)
    panel.rag_combo.setCurrentIndex(panel.rag_combo.findData("A"))
    panel.rag_combo.activated.emit(panel.rag_combo.currentIndex())
    panel.percent_spin.setValue(55)
    panel.percent_spin.editingFinished.emit()
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("on_hold"))
    panel.status_combo.activated.emit(panel.status_combo.currentIndex())
    detail = detail_of(document, "4.2")
    assert (detail.rag, detail.percent, detail.status) == ("A", 55, "on_hold")
    assert panel.rag_chip.text() == "A Amber"

    theme = panel.theme_combo.findText("7. Professionalism & Capability")
    panel.theme_combo.setCurrentIndex(theme)
    panel.theme_combo.activated.emit(theme)
    assert detail_of(document, "4.2").theme_number == 7
    assert panel.theme_label.text() == "7. Professionalism & Capability"


def test_due_date_edit_commits(panel: DetailsPanel, document: PlanDocument) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.due_edit.setDate(QDate(2014, 6, 30))
    panel.due_edit.editingFinished.emit()
    detail = detail_of(document, "4.2")
    assert detail.due == date(2014, 6, 30)
    assert detail.baseline_due == date(2014, 4, 1)  # editing the due date keeps the baseline
    assert panel.baseline_label.text() == "01/04/2014 · due moved"


def test_description_commits_when_the_editor_loses_focus(
    panel: DetailsPanel, document: PlanDocument
) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.description_edit.setPlainText("Achieve PSN compliance by 1 April 2014.\n")
    QApplication.sendEvent(panel.description_edit, QFocusEvent(QEvent.Type.FocusOut))
    assert detail_of(document, "4.2").description == "Achieve PSN compliance by 1 April 2014."


def test_typing_is_kept_when_another_action_is_shown(
    panel: DetailsPanel, document: PlanDocument
) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.title_edit.setText("PSN compliance")  # no editingFinished yet
    panel.percent_spin.setValue(50)
    panel.show_action(action_id(document, "4.1"))
    detail = detail_of(document, "4.2")
    assert (detail.title, detail.percent) == ("PSN compliance", 50)
    assert panel.heading.text().startswith("4.1 ")
    assert detail_of(document, "4.1").title != "PSN compliance"


def test_refused_edit_shows_the_error_and_the_old_value(
    panel: DetailsPanel, document: PlanDocument, errors: Errors
) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.due_edit.setDate(QDate(2013, 1, 31))  # before the start, 01/04/2013
    panel.due_edit.editingFinished.emit()
    assert len(errors.messages) == 1
    assert "before the start date" in errors.messages[0]
    assert detail_of(document, "4.2").due == date(2014, 4, 1)
    assert panel.due_edit.value() == date(2014, 4, 1)
    assert not document.undo_stack.canUndo()

    panel.ref_edit.setText("4.1")  # already used
    panel.ref_edit.editingFinished.emit()
    assert "already an action 4.1" in errors.messages[1]
    assert panel.ref_edit.text() == "4.2"


def test_changing_the_lead_keeps_the_old_lead_as_responsible(
    panel: DetailsPanel, document: PlanDocument
) -> None:
    panel.show_action(action_id(document, "4.2"))
    model = panel.people_model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "David Pennington")
    index = model.index(row, PeopleModel.ROLE_COLUMN)
    assert model.setData(index, "A") is False  # the model waits for the core
    detail = detail_of(document, "4.2")
    roles = {link.name: link.role for link in detail.people}
    assert roles["David Pennington"] == "A"
    assert roles["Ruth Calloway"] == "R"
    assert panel.lead_combo.currentText() == "David Pennington"
    document.undo_stack.undo()
    roles = {link.name: link.role for link in detail_of(document, "4.2").people}
    assert (roles["David Pennington"], roles["Ruth Calloway"]) == ("R", "A")

    # the lead picker in the form does the same
    index = panel.lead_combo.findText("Gareth Lloyd")
    panel.lead_combo.setCurrentIndex(index)
    panel.lead_combo.activated.emit(index)
    detail = detail_of(document, "4.2")
    assert detail.lead is not None and detail.lead.name == "Gareth Lloyd"
    assert {link.name: link.role for link in detail.people}["Ruth Calloway"] == "R"


def test_partner_role_edit(panel: DetailsPanel, document: PlanDocument) -> None:
    panel.show_action(action_id(document, "4.2"))
    model = panel.partners_model
    model.setData(model.index(1, 1), "funder")
    assert [link.role for link in detail_of(document, "4.2").partners] == ["lead", "funder"]


def test_milestone_inline_edits(panel: DetailsPanel, document: PlanDocument) -> None:
    panel.show_action(action_id(document, "4.2"))
    model = panel.milestones_model
    title = "Remediation action plan submitted to the Cabinet Office PSN team"
    row = milestone_row(model, title)
    model.setData(model.index(row, column(model, "completed_on")), date(2013, 12, 20))
    row = milestone_row(model, title)
    assert model.index(row, column(model, "completed_on")).data() == "✓ 20/12/2013"
    assert "overdue" not in model.index(row, column(model, "due")).data()
    assert panel.overdue_label.isHidden()

    owner = person_id(document, "Gareth Lloyd")
    model.setData(model.index(row, column(model, "owner_id")), owner)
    assert model.index(milestone_row(model, title), column(model, "owner_id")).data() == (
        "Gareth Lloyd"
    )
    model.setData(model.index(milestone_row(model, title), column(model, "title")), "  ")
    assert model.row_at(milestone_row(model, title)).title == title  # refused: empty title


# ----- the Edit menu's slots ----------------------------------------------------------


def test_add_milestone(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    owner = person_id(document, "Gareth Lloyd")
    values = MilestoneValues("Windows XP devices withdrawn", date(2014, 2, 28), owner, "Ask CMT")
    ask, calls = fake_ask(values)
    monkeypatch.setattr(MilestoneDialog, "ask", ask)
    panel.add_milestone()
    assert len(calls) == 1
    milestone = next(m for m in detail_of(document, "4.2").milestones if m.title == values.title)
    assert (milestone.due, milestone.baseline_due, milestone.owner, milestone.note) == (
        date(2014, 2, 28),
        date(2014, 2, 28),
        "Gareth Lloyd",
        "Ask CMT",
    )
    assert panel.tabs.currentIndex() == TAB_MILESTONES
    assert panel.milestones_model.rowCount() == 5
    selected = panel.milestones_view.selectionModel().selectedRows()
    assert [index.data() for index in selected] == ["Windows XP devices withdrawn"]
    document.undo_stack.undo()
    assert panel.milestones_model.rowCount() == 4


def test_add_milestone_refused_reopens_the_dialog_with_the_values(
    panel: DetailsPanel, document: PlanDocument, errors: Errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    bad = MilestoneValues("Handover", date(2014, 3, 1), owner_id=999_999)
    ask, calls = fake_ask(bad)
    monkeypatch.setattr(MilestoneDialog, "ask", ask)
    panel.add_milestone()
    assert len(errors.messages) == 1 and "does not exist" in errors.messages[0]
    assert len(calls) == 2
    assert calls[1][1]["initial"] == bad
    assert len(detail_of(document, "4.2").milestones) == 4


def test_add_progress_update(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    author = person_id(document, "Ruth Calloway")
    values = ProgressUpdateValues(
        date(2014, 1, 31),
        "in_progress",
        "A",
        55,
        "Remediation plan accepted by the PSN team.",
        author,
    )
    ask, calls = fake_ask(values)
    monkeypatch.setattr(ProgressUpdateDialog, "ask", ask)
    panel.add_progress_update()
    args, kwargs = calls[0]
    assert args[4:7] == ("in_progress", "R", 40)  # defaults: the action's current state
    assert args[3] == date(2013, 12, 31)  # as at: the plan's status date
    assert kwargs["author_id"] == author  # the lead officer
    detail = detail_of(document, "4.2")
    assert (detail.rag, detail.percent) == ("A", 55)
    assert update_dates(panel)[0] == "31/01/2014"
    assert directions(panel) == ["▲ improved", "▼ worse", "▼ worse"]


def test_rebaseline_keeps_history(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = action_id(document, "3.4")
    panel.show_action(wanted)
    count = document.read(lambda s, p: len(s.scalars(select(BaselineChange)).all()))
    values = RebaselineValues(
        "action",
        wanted,
        date(2015, 9, 30),
        "TUPE consultation delayed by the inter-authority agreement.",
        "Cabinet",
        "Cabinet minute 45/12",
        date(2014, 1, 15),
    )
    ask, calls = fake_ask(values)
    monkeypatch.setattr(RebaselineDialog, "ask", ask)
    panel.rebaseline()
    targets = calls[0][0][0]
    assert targets[0] == RebaselineTarget(
        "action", wanted, "Action 3.4", date(2015, 3, 31), date(2015, 3, 31)
    )
    assert [t.kind for t in targets[1:]] == ["milestone"] * 4
    detail = detail_of(document, "3.4")
    assert (detail.due, detail.baseline_due) == (date(2015, 9, 30), date(2015, 9, 30))
    assert [(b.old_due, b.new_due) for b in detail.baselines] == [
        (date(2015, 3, 31), date(2015, 9, 30)),
        (date(2014, 9, 30), date(2015, 3, 31)),
    ]
    assert detail.baselines[0].decision_ref == "Cabinet minute 45/12"
    cards = [label.text() for label in panel.findChildren(QLabel, "baselineChange")]
    assert cards == ["Action 3.4: 31/03/2015 → 30/09/2015", "Action 3.4: 30/09/2014 → 31/03/2015"]
    assert "Re-baselined 2 times" in panel.baseline_label.toolTip()
    document.undo_stack.undo()
    assert len(detail_of(document, "3.4").baselines) == 1
    assert document.read(lambda s, p: len(s.scalars(select(BaselineChange)).all())) == count


def test_rebaseline_offers_the_selected_milestone(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.tabs.setCurrentIndex(TAB_MILESTONES)
    model = panel.milestones_model
    row = milestone_row(model, "Code of Connection submission to the Cabinet Office")
    panel.milestones_view.selectRow(row)
    milestone = model.row_at(row)
    values = RebaselineValues(
        "milestone", milestone.id, date(2014, 3, 21), "Health check late", "SIRO"
    )
    ask, calls = fake_ask(values)
    monkeypatch.setattr(RebaselineDialog, "ask", ask)
    panel.rebaseline()
    targets, selected = calls[0][0][0], calls[0][0][1]
    assert targets[selected].record_id == milestone.id
    detail = detail_of(document, "4.2")
    assert detail.baselines[0].what == "Code of Connection submission to the Cabinet Office"
    assert document.read(
        lambda s, p: s.get(Milestone, milestone.id).baseline_due  # type: ignore[union-attr]
    ) == date(2014, 3, 21)


def test_assign_person_and_partner(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    priya = person_id(document, "Priya Sharma")
    ask, calls = fake_ask(PersonLinkValues(priya, "C"))
    monkeypatch.setattr(AssignPersonDialog, "ask", ask)
    panel.assign_person()
    offered = [value for value, _label in calls[0][0][1]]
    assert person_id(document, "Ruth Calloway") not in offered  # already on the action
    assert priya in offered
    assert calls[0][1]["current_lead"] == "Ruth Calloway"
    assert {link.name: link.role for link in detail_of(document, "4.2").people}[
        "Priya Sharma"
    ] == "C"
    assert panel.has_selected_link()

    partners = panel._partners
    police = next(c.id for c in partners if c.label.startswith("Northshire Police"))
    ask, calls = fake_ask(PartnerLinkValues(police, "consulted"))
    monkeypatch.setattr(AssignPartnerDialog, "ask", ask)
    panel.assign_partner()
    assert [link.role for link in detail_of(document, "4.2").partners][-1] == "consulted"


def test_assign_person_as_accountable_goes_through_the_lead_change(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    priya = person_id(document, "Priya Sharma")
    ask, _calls = fake_ask(PersonLinkValues(priya, "A"))
    monkeypatch.setattr(AssignPersonDialog, "ask", ask)
    panel.assign_person()
    roles = {link.name: link.role for link in detail_of(document, "4.2").people}
    assert (roles["Priya Sharma"], roles["Ruth Calloway"]) == ("A", "R")


def test_remove_link_asks_first(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    asked: list[str] = []
    answer = [False]

    def confirm(
        parent: Any, title: str, text: str, details: Any = None, action: str = "Delete"
    ) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(panel_module, "confirm", confirm)
    panel.partners_view.selectRow(1)
    assert panel.has_selected_link()
    panel.remove_selected_link()
    assert asked == ["Remove Eastvale District Council from action 4.2?"]
    assert len(detail_of(document, "4.2").partners) == 2
    answer[0] = True
    panel.remove_selected_link()
    assert [p.name for p in detail_of(document, "4.2").partners] == ["Northshire County Council"]

    panel.people_view.selectRow(0)
    panel.remove_selected_link()
    assert asked[-1] == "Remove Ruth Calloway from action 4.2?"
    assert detail_of(document, "4.2").lead is None
    document.undo_stack.undo()
    assert detail_of(document, "4.2").lead is not None


def test_delete_key_removes_the_selected_link(
    panel: DetailsPanel, document: PlanDocument, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    monkeypatch.setattr(panel_module, "confirm", lambda *a, **k: True)
    panel.partners_view.selectRow(1)
    qtbot.keyClick(panel.partners_view, Qt.Key.Key_Delete)
    assert [p.name for p in detail_of(document, "4.2").partners] == ["Northshire County Council"]
    panel.milestones_view.selectRow(0)
    qtbot.keyClick(panel.milestones_view, Qt.Key.Key_Delete)
    assert len(detail_of(document, "4.2").milestones) == 3


def test_remove_link_without_a_selection_does_nothing(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    monkeypatch.setattr(panel_module, "confirm", lambda *a, **k: pytest.fail("asked"))
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    panel.remove_selected_link()
    assert messages == ["Select a person or partner body to remove first."]


def test_delete_milestone_asks_first(
    panel: DetailsPanel, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.show_action(action_id(document, "4.2"))
    monkeypatch.setattr(panel_module, "confirm", lambda *a, **k: True)
    panel.milestones_view.selectRow(0)
    panel.remove_selected_milestone()
    assert len(detail_of(document, "4.2").milestones) == 3
    document.undo_stack.undo()
    assert len(detail_of(document, "4.2").milestones) == 4


def test_read_only_plan_cannot_be_changed(
    qtbot: Any, sample_path: Path, data_dir: Path, errors: Errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_file = PlanFile.open(sample_path, data_dir=data_dir, read_only=True)
    try:
        document = PlanDocument(plan_file)
        widget = DetailsPanel()
        qtbot.addWidget(widget)
        widget.set_document(document)
        widget.show_action(action_id(document, "4.2"))
        assert widget.heading.text().startswith("4.2 ")
        assert not widget.add_milestone_button.isEnabled()
        assert widget.title_edit.isReadOnly()
        assert not widget.milestones_model.flags(widget.milestones_model.index(0, 0)) & (
            Qt.ItemFlag.ItemIsEditable
        )
        monkeypatch.setattr(MilestoneDialog, "ask", classmethod(lambda *a, **k: pytest.fail()))
        widget.add_milestone()
        assert errors.messages == ["This plan is open read-only, so it cannot be changed."]
    finally:
        plan_file.close(discard=True)


# ----- the dialogs (values only; none is left open) -----------------------------------


def test_milestone_dialog_needs_a_title(qtbot: Any) -> None:
    dialog = MilestoneDialog(None, "4.2", [(7, "Gareth Lloyd")], date(2014, 3, 1), owner_id=7)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.title_edit.setText(" Supplier appointed ")
    assert dialog.ok_button.isEnabled()
    assert dialog.values() == MilestoneValues("Supplier appointed", date(2014, 3, 1), 7, "")
    assert dialog.due_edit.displayFormat() == "dd/MM/yyyy"


def test_progress_update_dialog_defaults(qtbot: Any, document: PlanDocument) -> None:
    from planner.queries.lookups import plan_header

    header = document.read(plan_header)
    dialog = ProgressUpdateDialog(
        None,
        "4.2",
        [(3, "Ruth Calloway")],
        header.rag_definitions,
        date(2013, 12, 31),
        "in_progress",
        "R",
        40,
        author_id=3,
    )
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # no commentary yet
    dialog.commentary.setPlainText("On track again.")
    values = dialog.values()
    assert values == ProgressUpdateValues(
        date(2013, 12, 31), "in_progress", "R", 40, "On track again.", 3
    )


def test_rebaseline_dialog_requires_reason_and_approval(qtbot: Any) -> None:
    targets = [
        RebaselineTarget("action", 1, "Action 4.2", date(2014, 4, 1), date(2014, 4, 1)),
        RebaselineTarget("milestone", 9, "Milestone: Submission", date(2014, 3, 7), None),
    ]
    dialog = RebaselineDialog(None, targets, 1, status_date=date(2013, 12, 31))
    qtbot.addWidget(dialog)
    assert dialog.target.currentIndex() == 1
    assert not dialog.ok_button.isEnabled()
    dialog.new_due.setDate(QDate(2014, 3, 21))
    dialog.reason.setPlainText("Health check report late")
    assert not dialog.ok_button.isEnabled()
    dialog.approved_by.setText("ICT Partnership Board")
    dialog.decision_ref.setText("Cabinet minute 45/12")
    assert dialog.ok_button.isEnabled()
    values = dialog.values()
    assert values == RebaselineValues(
        "milestone",
        9,
        date(2014, 3, 21),
        "Health check report late",
        "ICT Partnership Board",
        "Cabinet minute 45/12",
        None,
        True,
    )
    dialog.decided_on.set_value(date(2014, 1, 15))
    assert dialog.values().decided_on == date(2014, 1, 15)


def test_assign_dialogs_return_choices(qtbot: Any) -> None:
    dialog = AssignPersonDialog(None, "4.2", [(5, "Claire Dobson")], current_lead="Ruth Calloway")
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("A"))
    assert "Ruth Calloway is the lead officer now" in dialog.hint.text()
    assert dialog.values() == PersonLinkValues(5, "A")
    empty = AssignPartnerDialog(None, "4.2", [])
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled()


# ----- how it looks -------------------------------------------------------------------


def test_screenshot(
    app_style: None, panel: DetailsPanel, document: PlanDocument, qtbot: Any
) -> None:
    panel.show_action(action_id(document, "4.2"))
    panel.resize(380, 760)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(50)
    image = panel.grab()
    assert image.width() == 380 and image.height() == 760
    assert image.save(str(SCREENSHOT))
    for number in range(1, panel.tabs.count()):
        panel.tabs.setCurrentIndex(number)
        qtbot.wait(20)
        name = panel.tabs.tabText(number).lower()
        panel.grab().save(str(SCREENSHOT.with_name(f"details_panel_{name}.png")))
    panel.tabs.setCurrentIndex(0)
    # Nothing in the panel may demand more than the 380 px pane it lives in, and every
    # tab's name is visible without scrolling the tab bar.
    assert panel.minimumSizeHint().width() <= 380
    assert panel.tabs.tabBar().sizeHint().width() <= panel.tabs.width()
