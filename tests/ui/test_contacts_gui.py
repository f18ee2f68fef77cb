"""The Contacts panel in the Partner bodies tab of the main window, on the Northshire
sample: what an officer sees, adding, editing, the round contact, undo, refusals, saving."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors, discard_plan

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from planner.commands import EditRecord
from planner.queries.directory import ContactRow, PartnerRow, contact_rows, partner_rows
from planner.ui import contacts_panel, create_main_window, directory_views, main_window
from planner.ui.contacts_panel import EMPTY_HINT, ContactsPanel
from planner.ui.directory_views import PartnersView
from planner.ui.main_window import MainWindow
from planner.ui.models.contacts import ROUND_MARK, ContactsModel

pytestmark = pytest.mark.gui

COUNCIL = "Northshire County Council"
FIRE = "Northshire Fire and Rescue Service"
BAD_EMAIL_MESSAGE = (
    "'claire at northshire' is not an email address (it should look like name@example.gov.uk)."
)


# ----- helpers ----------------------------------------------------------------------


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
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    """Every error the window would show; no modal dialog is ever left waiting."""
    found = Errors()
    for module in (contacts_panel, directory_views, main_window):
        monkeypatch.setattr(module, "show_error", found)
    return found


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    found = Answers()
    for module in (contacts_panel, directory_views, main_window):
        monkeypatch.setattr(module, "confirm", found)
    return found


@pytest.fixture
def show(qtbot: Any) -> Callable[[MainWindow], MainWindow]:
    def shown(window: MainWindow) -> MainWindow:
        qtbot.addWidget(window, before_close_func=discard_plan)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        return window

    return shown


@pytest.fixture
def window(
    sample_path: Path, show: Callable[[MainWindow], MainWindow], errors: Errors, answers: Answers
) -> MainWindow:
    opened = show(create_main_window(sample_path))
    opened.tabs.setCurrentWidget(opened.partners_view)
    return opened


def partners(window: MainWindow) -> PartnersView:
    return window.partners_view


def panel(window: MainWindow) -> ContactsPanel:
    return window.partners_view.contacts


def document(window: MainWindow) -> Any:
    assert window.document is not None
    return window.document


def partner(window: MainWindow, name: str) -> PartnerRow:
    return next(row for row in document(window).read(partner_rows) if row.name == name)


def contacts_of(window: MainWindow, name: str) -> list[ContactRow]:
    partner_id = partner(window, name).id
    return document(window).read(
        lambda session, plan_id: contact_rows(session, plan_id, partner_id)
    )


def select_partner(qtbot: Any, window: MainWindow, name: str) -> PartnerRow:
    row = partner(window, name)
    assert partners(window).select(row.id)
    qtbot.waitUntil(lambda: panel(window).partner_id() == row.id)
    return row


def seen(window: MainWindow) -> list[list[str]]:
    """The contacts table as the officer sees it: one list of cell texts a row."""
    model = panel(window).table.model()
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def headers(window: MainWindow) -> list[str]:
    model = panel(window).table.model()
    return [
        str(model.headerData(column, Qt.Orientation.Horizontal))
        for column in range(model.columnCount())
    ]


def partner_cell(window: MainWindow, name: str, key: str) -> str:
    view = partners(window)
    row = view.model.row_for(partner(window, name).id)
    assert row is not None
    return str(view.proxy.mapFromSource(view.model.index(row, view.model.column_of(key))).data())


def type_into_contact(
    qtbot: Any, window: MainWindow, contact_id: int, key: str, text: str, errors: Errors
) -> None:
    """Open the cell's editor, type, press Return, and wait for the change or refusal."""
    table = panel(window).table
    before = (document(window).undo_stack.index(), len(errors.messages))
    assert panel(window).select(contact_id, column=key)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "F2 should open the cell's editor"
    editor.selectAll()
    editor.setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (document(window).undo_stack.index(), len(errors.messages)) != before)


# ----- tests ------------------------------------------------------------------------


def test_contacts_model_passes_the_model_tester(qtmodeltester: Any, window: MainWindow) -> None:
    model = ContactsModel()
    model.set_rows(contacts_of(window, COUNCIL))
    qtmodeltester.check(model)


def test_selecting_a_body_shows_its_contacts_and_round_contact(
    qtbot: Any, window: MainWindow
) -> None:
    select_partner(qtbot, window, COUNCIL)
    assert panel(window).heading.text() == f"Contacts at {COUNCIL}"
    assert headers(window) == ["Name", "Role", "Email", "Phone", "Round contact"]
    rows = seen(window)
    assert [row[0] for row in rows] == ["Claire Dobson", "David Pennington"]
    assert rows[0][2] == "claire.dobson@northshire.gov.uk"
    assert rows[0][4] == ROUND_MARK == "★ Round contact"
    assert rows[1][4] == ""
    assert panel(window).count_label.text() == "2 contacts"
    assert panel(window).table.isVisible() and not panel(window).hint.isVisible()
    # The partners table shows each body's round contact, read-only.
    assert partner_cell(window, COUNCIL, "round_contact") == "Claire Dobson"
    assert partner_cell(window, COUNCIL, "round_email") == "claire.dobson@northshire.gov.uk"
    view = partners(window)
    index = view.model.index(0, view.model.column_of("round_contact"))
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable

    select_partner(qtbot, window, FIRE)
    assert [row[0] for row in seen(window)] == ["Karen Holt"]
    assert panel(window).heading.text() == f"Contacts at {FIRE}"
    for button in (panel(window).add_button, panel(window).remove_button):
        assert button.isEnabled() and button.toolTip()
    assert not panel(window).round_button.isEnabled()  # Karen already is the round contact


def test_add_edit_make_round_contact_undo_and_save(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    sample_path: Path,
) -> None:
    select_partner(qtbot, window, COUNCIL)
    stack = document(window).undo_stack

    # Add: a placeholder row whose name is being typed.
    new_id = panel(window).add()
    assert new_id is not None and stack.count() == 1
    table = panel(window).table
    assert table.state() == table.State.EditingState
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "New contact"
    editor.setText("Priya Shah")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(row.name == "Priya Shah" for row in contacts_of(window, COUNCIL)))
    assert stack.count() == 2
    assert "Priya Shah" in [row[0] for row in seen(window)]
    assert partner_cell(window, COUNCIL, "round_contact") == "Claire Dobson"  # not the first

    # Edit the email in place (F2, type, Return).
    type_into_contact(qtbot, window, new_id, "email", "priya.shah@northshire.gov.uk", errors)
    assert errors.messages == []
    assert stack.count() == 3
    priya = next(row for row in contacts_of(window, COUNCIL) if row.id == new_id)
    assert priya.email == "priya.shah@northshire.gov.uk"

    # Make her the round contact: Claire loses the mark, the partners table follows.
    assert panel(window).select(new_id)
    assert panel(window).round_button.isEnabled()
    panel(window).round_button.click()
    assert stack.count() == 4
    rows = seen(window)
    marked = [row[0] for row in rows if row[4] == ROUND_MARK]
    assert marked == ["Priya Shah"]
    assert rows[0][0] == "Priya Shah"  # the round contact comes first
    assert partner_cell(window, COUNCIL, "round_contact") == "Priya Shah"
    assert partner_cell(window, COUNCIL, "round_email") == "priya.shah@northshire.gov.uk"
    assert panel(window).current_id() == new_id
    assert not panel(window).round_button.isEnabled()

    # Undo (as Edit > Undo does) puts Claire back, in the panel and the partners table.
    window.actionUndo.trigger()
    assert [row[0] for row in seen(window) if row[4] == ROUND_MARK] == ["Claire Dobson"]
    assert partner_cell(window, COUNCIL, "round_contact") == "Claire Dobson"
    assert partner_cell(window, COUNCIL, "round_email") == "claire.dobson@northshire.gov.uk"
    window.actionRedo.trigger()
    assert partner_cell(window, COUNCIL, "round_contact") == "Priya Shah"
    assert errors.messages == []

    # Saved in the plan file.
    window.actionSave.trigger()
    assert not window.isWindowModified()
    from planner.store.planfile import PlanFile

    assert window.file_flows is not None and window.file_flows.close_plan()
    plan_file = PlanFile.open(sample_path, read_only=True)
    try:
        with plan_file.Session() as session:
            plan_id = plan_file.plan_id
            saved = {row.name: row for row in contact_rows(session, plan_id)}
    finally:
        plan_file.close(discard=True)
    assert saved["Priya Shah"].email == "priya.shah@northshire.gov.uk"
    assert saved["Priya Shah"].round_contact
    assert not saved["Claire Dobson"].round_contact


def test_a_bad_email_shows_the_cores_message_and_changes_nothing(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    select_partner(qtbot, window, COUNCIL)
    claire = contacts_of(window, COUNCIL)[0]
    before = contacts_of(window, COUNCIL)
    type_into_contact(qtbot, window, claire.id, "email", "claire at northshire", errors)
    assert errors.messages == [BAD_EMAIL_MESSAGE]
    assert contacts_of(window, COUNCIL) == before
    assert document(window).undo_stack.count() == 0
    assert seen(window)[0][2] == "claire.dobson@northshire.gov.uk"  # the stored value again
    assert partner_cell(window, COUNCIL, "round_email") == "claire.dobson@northshire.gov.uk"


def test_a_bad_email_for_a_person_is_refused_too(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    from planner.queries.directory import person_rows

    window.tabs.setCurrentWidget(window.people_view)
    view = window.people_view
    helen = next(row for row in document(window).read(person_rows) if row.name == "Helen Ashworth")
    row = view.model.row_for(helen.id)
    assert row is not None
    view.model.setData(view.model.index(row, view.model.column_of("email")), "helen at home")
    qtbot.waitUntil(lambda: bool(errors.messages))
    assert errors.messages == [
        "'helen at home' is not an email address (it should look like name@example.gov.uk)."
    ]
    assert document(window).undo_stack.count() == 0


def test_remove_contact_asks_first_and_undo_restores(
    qtbot: Any, window: MainWindow, answers: Answers
) -> None:
    select_partner(qtbot, window, COUNCIL)
    before = contacts_of(window, COUNCIL)
    claire = before[0]
    assert panel(window).select(claire.id)

    answers.answer = False
    assert panel(window).remove_selected() is False
    assert answers.asked[0]["text"] == f"Remove Claire Dobson from the contacts at {COUNCIL}?"
    assert answers.asked[0]["details"] == [
        "David Pennington will be the round contact, as the only contact"
    ]
    assert contacts_of(window, COUNCIL) == before

    answers.answer = True
    assert panel(window).remove_selected() is True
    assert [row[0] for row in seen(window)] == ["David Pennington"]
    assert seen(window)[0][4] == ROUND_MARK  # the only contact is the round contact
    assert partner_cell(window, COUNCIL, "round_contact") == "David Pennington"
    assert panel(window).current_id() == seen_id(window, 0)

    window.actionUndo.trigger()
    assert contacts_of(window, COUNCIL) == before
    assert partner_cell(window, COUNCIL, "round_contact") == "Claire Dobson"


def seen_id(window: MainWindow, row: int) -> int:
    return panel(window).model.record_at(row).id


def test_a_body_without_contacts_shows_a_hint_and_its_first_contact_is_the_round_contact(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    view = partners(window)
    body_id = view.add()
    assert body_id is not None
    view.table.closePersistentEditor(view.table.currentIndex())
    qtbot.waitUntil(lambda: panel(window).partner_id() == body_id)
    assert panel(window).hint.isVisible() and not panel(window).table.isVisible()
    assert panel(window).hint.text() == EMPTY_HINT
    assert partner_cell(window, "New partner body", "round_contact") == "None yet"

    new_id = panel(window).add()
    assert new_id is not None
    assert panel(window).table.isVisible() and not panel(window).hint.isVisible()
    assert seen(window)[0][4] == ROUND_MARK
    assert partner_cell(window, "New partner body", "round_contact") == "New contact"
    assert contacts_of(window, "New partner body")[0].round_contact
    assert errors.messages == []


def test_changes_made_elsewhere_show_in_the_panel(qtbot: Any, window: MainWindow) -> None:
    select_partner(qtbot, window, FIRE)
    karen = contacts_of(window, FIRE)[0]
    # As an import would: a command run on the document, not through the panel.
    document(window).execute(EditRecord("partner_contact", karen.id, {"role": "Head of ICT"}))
    assert seen(window)[0][1] == "Head of ICT"
    document(window).execute(
        EditRecord("partner_contact", karen.id, {"email": "k.holt@northshirefire.gov.uk"})
    )
    assert partner_cell(window, FIRE, "round_email") == "k.holt@northshirefire.gov.uk"


def test_keyboard_tab_reaches_the_contacts_and_f2_edits(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    select_partner(qtbot, window, COUNCIL)
    window.activateWindow()
    partners(window).table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is partners(window).table)
    reached = []
    for _ in range(8):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is panel(window).table:
            break
    assert panel(window).table in reached, [w.objectName() for w in reached if w]
    # Buttons have mnemonics, as the window's other controls do.
    for button in (panel(window).add_button, panel(window).remove_button):
        assert "&" in button.text()
    assert "&" in panel(window).round_button.text()

    david = contacts_of(window, COUNCIL)[1]
    type_into_contact(qtbot, window, david.id, "phone", "01632 555 0101", errors)
    assert contacts_of(window, COUNCIL)[1].phone == "01632 555 0101"


def test_screenshot_of_the_partners_tab(qtbot: Any, window: MainWindow, app_style: None) -> None:
    """The Partner bodies tab with the contacts panel, saved to /tmp/partners.png."""
    select_partner(qtbot, window, COUNCIL)
    qtbot.wait(50)
    picture = window.grab()
    assert picture.width() == 1400
    assert picture.save("/tmp/partners.png")
    # The contacts panel shows its buttons whole and its table has room for rows.
    for button in (
        panel(window).add_button,
        panel(window).remove_button,
        panel(window).round_button,
    ):
        assert button.width() >= button.sizeHint().width()
    assert panel(window).table.height() > 4 * panel(window).table.verticalHeader().sectionSize(0)
