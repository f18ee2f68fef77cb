"""The People and Partner bodies views: rows, inline edits through the core, add, delete."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from sqlalchemy import event

from planner.commands import EditRecord, deletion_effects
from planner.queries import action_rows
from planner.queries.directory import (
    PartnerRow,
    PersonRow,
    partner_rows,
    person_rows,
)
from planner.queries.lookups import Choice
from planner.ui import directory_views
from planner.ui.directory_views import PartnersView, PeopleView
from planner.ui.models.directory import PartnersModel, PeopleModel
from planner.ui.models.roles import ID_ROLE

pytestmark = pytest.mark.gui


# ----- helpers ----------------------------------------------------------------------


@pytest.fixture
def document(sample_plan: Any) -> Iterator[Any]:
    from planner.ui.document import PlanDocument

    doc = PlanDocument(sample_plan)
    yield doc
    doc.undo_stack.clear()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the views would show; no modal dialog is ever left waiting."""
    shown: list[str] = []
    monkeypatch.setattr(
        directory_views, "show_error", lambda _parent, error, title="": shown.append(str(error))
    )
    return shown


class Answers:
    """Stands in for planner.ui.messages.confirm: records each question, gives an answer."""

    def __init__(self) -> None:
        self.answer = False
        self.asked: list[dict[str, Any]] = []

    def __call__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        details: list[str] | None = None,
        action: str = "Delete",
    ) -> bool:
        self.asked.append({"title": title, "text": text, "details": list(details or [])})
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    found = Answers()
    monkeypatch.setattr(directory_views, "confirm", found)
    return found


def people_view(qtbot: Any, document: Any) -> PeopleView:
    view = PeopleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.set_document(document)
    view.show()
    qtbot.waitExposed(view)
    return view


def partners_view(qtbot: Any, document: Any) -> PartnersView:
    view = PartnersView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.set_document(document)
    view.show()
    qtbot.waitExposed(view)
    return view


def person_named(document: Any, name: str) -> PersonRow:
    return next(row for row in document.read(person_rows) if row.name == name)


def partner_named(document: Any, name: str) -> PartnerRow:
    return next(row for row in document.read(partner_rows) if row.name == name)


def cell(view: PeopleView | PartnersView, record_id: int, key: str) -> Any:
    row = view.model.row_for(record_id)
    assert row is not None
    return view.proxy.mapFromSource(view.model.index(row, view.model.column_of(key)))


def open_editor(view: PeopleView | PartnersView, record_id: int, key: str) -> QWidget:
    index = cell(view, record_id, key)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editors = [
        child
        for child in view.table.viewport().findChildren(QWidget)
        if isinstance(child, QLineEdit | QComboBox) and child.isVisible()
    ]
    assert editors, "no cell editor opened"
    return editors[0]


def type_into_cell(
    qtbot: Any, view: PeopleView | PartnersView, record_id: int, key: str, text: str
) -> None:
    editor = open_editor(view, record_id, key)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    editor.setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def pick_in_cell(view: PeopleView | PartnersView, record_id: int, key: str, label: str) -> None:
    editor = open_editor(view, record_id, key)
    assert isinstance(editor, QComboBox)
    number = editor.findText(label)
    assert number >= 0, f"{label!r} is not offered"
    editor.setCurrentIndex(number)
    editor.activated.emit(number)


def displayed(view: PeopleView | PartnersView, record_id: int, key: str) -> str:
    return str(cell(view, record_id, key).data())


# ----- queries ----------------------------------------------------------------------


def test_person_rows_counts_roles_and_milestones(document: Any) -> None:
    rows = document.read(person_rows)
    assert len(rows) == 18
    assert [row.name for row in rows] == sorted((row.name for row in rows), key=str.casefold)
    david = person_named(document, "David Pennington")
    assert david.organisation == "Northshire County Council"
    assert david.job_title == "Head of ICT"
    # Cross-check against the action table's own idea of who leads what.
    leads = [row for row in document.read(action_rows) if row.lead_officer == david.name]
    assert david.lead_on == len(leads) > 0
    assert sum(row.lead_on for row in rows) == len(
        [row for row in document.read(action_rows) if row.lead_officer]
    )
    assert david.open_milestones >= david.overdue_milestones


def test_partner_rows_are_grouped_by_sector_then_name(document: Any) -> None:
    rows = document.read(partner_rows)
    assert len(rows) == 10
    assert rows[0].sector == "local_government"
    sectors = [row.sector for row in rows]
    assert (
        sectors.index("civil_society")
        > sectors.index("health")
        > sectors.index("emergency_services")
    )
    for first, second in itertools.pairwise(rows):
        if first.sector == second.sector:
            assert first.name.casefold() <= second.name.casefold()
    council = partner_named(document, "Northshire County Council")
    assert council.people == sum(
        1 for row in document.read(person_rows) if row.organisation_id == council.id
    )
    assert council.lead_on > 0


def test_queries_run_a_few_statements_whatever_the_size(document: Any) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = document.plan_file.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        document.read(person_rows)
        people = len(statements)
        document.read(partner_rows)
        partners = len(statements) - people
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert people <= 4
    assert partners <= 4  # bodies, people, roles, round contacts


# ----- models -----------------------------------------------------------------------


def test_people_model_passes_the_model_tester(qtmodeltester: Any, document: Any) -> None:
    model = PeopleModel()
    model.set_organisations([Choice(1, "Northshire County Council")])
    model.set_rows(document.read(person_rows))
    qtmodeltester.check(model)


def test_partners_model_passes_the_model_tester(qtmodeltester: Any, document: Any) -> None:
    model = PartnersModel()
    model.set_rows(document.read(partner_rows))
    qtmodeltester.check(model)


def test_model_edits_leave_as_requests_and_keep_the_stored_value(document: Any) -> None:
    model = PeopleModel()
    rows = document.read(person_rows)
    model.set_rows(rows)
    requests: list[tuple[int, str, object]] = []
    model.edit_requested.connect(lambda *args: requests.append(args))
    email = model.index(0, model.column_of("email"))
    assert model.flags(email) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, model.column_of("lead_on"))) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(email, "  someone@northshire.gov.uk ") is False
    assert requests == [(rows[0].id, "email", "someone@northshire.gov.uk")]
    assert email.data() == rows[0].email
    assert email.data(ID_ROLE) == rows[0].id
    model.setData(email, rows[0].email)  # unchanged: nothing asked of the core
    assert len(requests) == 1
    model.set_editable(False)
    assert not model.flags(email) & Qt.ItemFlag.ItemIsEditable


# ----- the views --------------------------------------------------------------------


def test_views_show_everyone_in_the_sample(qtbot: Any, document: Any) -> None:
    people = people_view(qtbot, document)
    partners = partners_view(qtbot, document)
    assert people.objectName() == "peopleView"
    assert people.table.objectName() == "peopleTable"
    assert partners.objectName() == "partnersView"
    assert partners.table.objectName() == "partnersTable"
    assert people.table.model().rowCount() == 18
    assert partners.table.model().rowCount() == 10
    assert people.count_label.text() == "18 people"
    assert partners.count_label.text() == "10 partner bodies"
    names = [people.proxy.index(row, 0).data() for row in range(18)]
    assert names == sorted(names, key=str.casefold)
    first_sector = partners.proxy.index(0, partners.model.column_of("sector")).data()
    assert first_sector == "Local government"
    for view in (people, partners):
        assert view.add_button.accessibleName()
        assert view.delete_button.accessibleName()
        assert view.table.isSortingEnabled()
        assert view.table.alternatingRowColors()


def test_inline_email_edit_goes_through_the_core_and_undoes(
    qtbot: Any, document: Any, errors: list[str]
) -> None:
    view = people_view(qtbot, document)
    helen = person_named(document, "Helen Ashworth")
    type_into_cell(qtbot, view, helen.id, "email", "h.ashworth@northshire.gov.uk")
    qtbot.waitUntil(
        lambda: person_named(document, "Helen Ashworth").email == "h.ashworth@northshire.gov.uk"
    )
    assert displayed(view, helen.id, "email") == "h.ashworth@northshire.gov.uk"
    assert document.undo_stack.count() == 1
    assert errors == []
    document.undo_stack.undo()
    assert person_named(document, "Helen Ashworth").email == helen.email
    assert displayed(view, helen.id, "email") == helen.email


def test_malformed_email_is_refused_with_the_cores_message(
    qtbot: Any, document: Any, errors: list[str]
) -> None:
    view = people_view(qtbot, document)
    helen = person_named(document, "Helen Ashworth")
    type_into_cell(qtbot, view, helen.id, "email", "helen at northshire")
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [
        "'helen at northshire' is not an email address (it should look like name@example.gov.uk)."
    ]
    assert displayed(view, helen.id, "email") == helen.email
    assert person_named(document, "Helen Ashworth").email == helen.email
    assert document.undo_stack.count() == 0


def test_organisation_and_sector_are_picked_from_lists(
    qtbot: Any, document: Any, errors: list[str]
) -> None:
    people = people_view(qtbot, document)
    helen = person_named(document, "Helen Ashworth")
    pick_in_cell(people, helen.id, "organisation", "Eastvale District Council")
    qtbot.waitUntil(
        lambda: person_named(document, "Helen Ashworth").organisation == "Eastvale District Council"
    )
    pick_in_cell(people, helen.id, "organisation", "(no organisation)")
    qtbot.waitUntil(lambda: person_named(document, "Helen Ashworth").organisation_id is None)

    partners = partners_view(qtbot, document)
    cvs = partner_named(document, "Northshire CVS")
    pick_in_cell(partners, cvs.id, "sector", "Education")
    qtbot.waitUntil(lambda: partner_named(document, "Northshire CVS").sector == "education")
    assert displayed(partners, cvs.id, "sector") == "Education"
    assert errors == []


def test_refresh_keeps_the_selection(qtbot: Any, document: Any) -> None:
    view = people_view(qtbot, document)
    david = person_named(document, "David Pennington")
    helen = person_named(document, "Helen Ashworth")
    assert view.select(david.id)
    document.execute(EditRecord("person", helen.id, {"job_title": "Chief Executive (interim)"}))
    assert view.current_id() == david.id
    # Renaming moves the row in the sorted table; the selection follows it.
    document.execute(EditRecord("person", david.id, {"name": "Zac Pennington"}))
    assert view.current_id() == david.id
    assert view.table.currentIndex().row() == 17


def test_add_person_then_type_the_name(qtbot: Any, document: Any, errors: list[str]) -> None:
    view = people_view(qtbot, document)
    new_id = view.add()
    assert new_id is not None
    assert view.current_id() == new_id
    assert view.model.rowCount() == 19
    assert person_named(document, "New person").id == new_id
    assert view.table.state() == view.table.State.EditingState
    editor = view.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "New person"
    editor.setText("Aisha Khan")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(row.name == "Aisha Khan" for row in document.read(person_rows)))
    assert view.current_id() == new_id
    assert view.count_label.text() == "19 people"
    assert errors == []


def test_add_partner_body_uses_a_free_placeholder(
    qtbot: Any, document: Any, errors: list[str]
) -> None:
    view = partners_view(qtbot, document)
    first = view.add()
    view.table.closePersistentEditor(view.table.currentIndex())
    second = view.add()
    assert first is not None and second is not None and first != second
    names = {row.id: (row.name, row.sector) for row in document.read(partner_rows)}
    assert names[first] == ("New partner body", "local_government")
    assert names[second] == ("New partner body 2", "local_government")
    assert errors == []


def test_delete_person_in_use_asks_first_and_undo_restores(
    qtbot: Any, document: Any, answers: Answers
) -> None:
    view = people_view(qtbot, document)
    david = person_named(document, "David Pennington")
    leads_before = [row.lead_officer for row in document.read(action_rows)]
    effects = document.read(lambda session, _plan: deletion_effects(session, "person", david.id))
    assert effects
    assert view.select(david.id)

    answers.answer = False
    assert view.delete_selected() is False
    assert len(answers.asked) == 1
    asked = answers.asked[0]
    assert "David Pennington" in asked["text"]
    assert "what will happen" in asked["text"].lower()
    assert all(line in asked["details"] for line in effects)
    assert f"{david.lead_on} action(s) will be left without a lead officer" in asked["details"]
    assert person_named(document, "David Pennington") == david
    assert document.undo_stack.count() == 0

    answers.answer = True
    assert view.delete_selected() is True
    assert all(row.name != "David Pennington" for row in document.read(person_rows))
    assert view.model.row_for(david.id) is None
    assert view.model.rowCount() == 17
    assert view.current_id() is not None  # the next person is selected
    assert "David Pennington" not in [row.lead_officer for row in document.read(action_rows)]

    document.undo_stack.undo()
    assert person_named(document, "David Pennington") == david
    assert [row.lead_officer for row in document.read(action_rows)] == leads_before
    assert view.model.rowCount() == 18


def test_delete_person_not_in_use_still_asks(qtbot: Any, document: Any, answers: Answers) -> None:
    view = people_view(qtbot, document)
    new_id = view.add()
    view.table.closePersistentEditor(view.table.currentIndex())
    assert new_id is not None and view.current_id() == new_id
    answers.answer = True
    assert view.delete_selected() is True
    assert answers.asked[0]["details"] == []
    assert "Nothing else in the plan refers to them" in answers.asked[0]["text"]
    assert view.model.row_for(new_id) is None


def test_delete_partner_lists_what_will_happen(qtbot: Any, document: Any, answers: Answers) -> None:
    view = partners_view(qtbot, document)
    college = partner_named(document, "Northshire College")
    assert view.select(college.id)
    answers.answer = True
    assert view.delete_selected() is True
    details = answers.asked[0]["details"]
    assert "1 person(s) will have no organisation" in details
    assert any("link(s) between partner bodies and actions" in line for line in details)
    assert person_named(document, "Ian Marsden").organisation_id is None
    document.undo_stack.undo()
    assert person_named(document, "Ian Marsden").organisation_id == college.id


def test_nothing_selected_means_nothing_deleted(
    qtbot: Any, document: Any, answers: Answers
) -> None:
    view = people_view(qtbot, document)
    view.table.clearSelection()
    view.table.setCurrentIndex(view.proxy.index(-1, -1))
    assert view.current_id() is None
    assert not view.delete_button.isEnabled()
    assert view.delete_selected() is False
    assert answers.asked == []


def test_screenshots(qtbot: Any, document: Any, app_style: None) -> None:
    """Grabs the people at 900x600 and the partner bodies (with their round contacts and
    the contacts panel) at 1200x700; set PLANNER_SCREENSHOTS=DIR to keep the pictures."""
    folder = os.environ.get("PLANNER_SCREENSHOTS")
    people = people_view(qtbot, document)
    people.select(person_named(document, "David Pennington").id)
    partners = partners_view(qtbot, document)
    partners.resize(1200, 700)
    partners.select(partner_named(document, "Northshire Fire and Rescue Service").id)
    qtbot.waitUntil(lambda: partners.table.viewport().width() > 1100)
    partners.fit_columns()
    shots = ((people, (900, 600), "people_view.png"), (partners, (1200, 700), "partners_view.png"))
    for view, size, name in shots:
        bar = view.table.horizontalScrollBar()
        assert not bar.isVisible(), f"the columns should fit {size[0]} pixels"
        picture = view.grab()
        assert (picture.width(), picture.height()) == size
        if folder:
            assert picture.save(str(Path(folder) / name))


def test_read_only_plan_offers_no_changes(qtbot: Any, sample_path: Path, data_dir: Path) -> None:
    from planner.store.planfile import PlanFile
    from planner.ui.document import PlanDocument

    plan_file = PlanFile.open(sample_path, data_dir=data_dir, read_only=True)
    try:
        view = people_view(qtbot, PlanDocument(plan_file))
        assert view.model.rowCount() == 18
        assert not view.add_button.isEnabled()
        view.select(view.model.record_at(0).id)
        assert not view.delete_button.isEnabled()
        assert not view.model.flags(view.proxy.mapToSource(view.table.currentIndex())) & (
            Qt.ItemFlag.ItemIsEditable
        )
        view.set_document(None)
        assert view.model.rowCount() == 0
    finally:
        plan_file.close(discard=True)


def test_a_column_resized_by_hand_keeps_its_width_and_a_row_does_not_matter(
    qtbot: Any, document: Any
) -> None:
    people = people_view(qtbot, document)
    qtbot.waitUntil(lambda: people.table.viewport().width() > 800)
    people.fit_columns()
    assert people.columns.auto_fit
    people.table.verticalHeader().resizeSection(0, 60)  # a taller row
    assert people.columns.auto_fit  # still fitted to the width of the view

    people.table.horizontalHeader().resizeSection(0, 333)  # as a drag of the header
    assert not people.columns.auto_fit
    people.resize(1100, 600)
    qtbot.waitUntil(lambda: people.table.viewport().width() > 1000)
    assert people.table.columnWidth(0) == 333  # the officer's width stands
