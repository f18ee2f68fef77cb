"""File > Update rounds: the rounds sent to partner bodies or lead officers, who has
returned their workbook, and the two things to do about it — start a round (one
workbook per recipient, written into a folder) and import the returned workbooks
(each previewed, then merged as one undoable step that also marks it returned).

It also prepares the email drafts that carry the workbooks and the reminders to those
who have not sent theirs back. Every question is a module-level function
(ask_round_options, ask_folder, ask_returned_files, ask_email_wording, ask_csv_file) so
tests can answer it without a modal dialog."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.commands import Command, EditRecord
from planner.domain import ReturnRule
from planner.domain.dates import format_uk
from planner.errors import PlannerError
from planner.io.csv_file import write_csv
from planner.io.emails import PLACEHOLDERS, STANDARD_TEMPLATE, DraftsWritten, check_template
from planner.io.excel.merge import MergePreview, build_preview
from planner.io.excel.reading import read_returned
from planner.io.rounds import (
    STATUS_HEADINGS,
    RoundLine,
    email_wording,
    prepare_drafts,
    recipient_of,
    round_merge_command,
    round_status,
    start_round,
    status_cells,
)
from planner.officer import officer_name
from planner.queries.lookups import person_choices, plan_header
from planner.ui.dialogs.import_preview import ImportPreviewDialog
from planner.ui.import_flow import has_anything_to_merge, merged_count, read_preview
from planner.ui.messages import show_error
from planner.ui.models.roles import Index
from planner.ui.models.table import HeadedTableModel
from planner.ui.style import style_table

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.ui.document import PlanDocument


TITLE = "Update rounds"
OVERDUE_TEXT = QColor("#A4262C")
RETURNED_TEXT = QColor("#2E6B30")
DEFAULT_RETURN_DAYS = 21


# ----- the questions (replaced in tests) -------------------------------------------------------


@dataclass(frozen=True)
class RoundOptions:
    kind: str  # 'partner' or 'lead'
    return_by: date | None
    emails: bool = True  # also prepare an email draft beside each workbook


class RoundOptionsDialog(QDialog):
    """Who the round goes to and when the workbooks are due back."""

    def __init__(self, parent: QWidget | None, return_by: date) -> None:
        super().__init__(parent)
        self.setObjectName("roundOptionsDialog")
        self.setWindowTitle("Start an update round")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "One workbook is written for each recipient, holding only their actions. "
            "Send each one on, and import it here when it comes back.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        choice = QWidget(self)
        choice_layout = QVBoxLayout(choice)
        choice_layout.setContentsMargins(0, 0, 0, 0)
        self.partner_radio = QRadioButton("&Partner bodies (one workbook per partner)", choice)
        self.partner_radio.setObjectName("roundToPartners")
        self.lead_radio = QRadioButton("&Lead officers (one workbook per accountable officer)")
        self.lead_radio.setObjectName("roundToLeads")
        self.partner_radio.setChecked(True)
        choice_layout.addWidget(self.partner_radio)
        choice_layout.addWidget(self.lead_radio)
        form.addRow("Send to:", choice)
        self.return_by_edit = QDateEdit(self)
        self.return_by_edit.setObjectName("roundReturnBy")
        self.return_by_edit.setDisplayFormat("dd/MM/yyyy")
        self.return_by_edit.setCalendarPopup(True)
        self.return_by_edit.setDate(QDate(return_by.year, return_by.month, return_by.day))
        label = QLabel("&Return by:", self)
        label.setBuddy(self.return_by_edit)
        form.addRow(label, self.return_by_edit)
        self.emails_check = QCheckBox(
            "Prepare an &email draft for each, addressed to the round contact", self
        )
        self.emails_check.setObjectName("roundEmails")
        self.emails_check.setChecked(True)
        self.emails_check.setToolTip(
            "Writes an .eml file beside each workbook, with the workbook attached: open it "
            "in Outlook, check it and press Send."
        )
        form.addRow("", self.emails_check)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Choose folder…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def options(self) -> RoundOptions:
        chosen = self.return_by_edit.date()
        return RoundOptions(
            "lead" if self.lead_radio.isChecked() else "partner",
            date(chosen.year(), chosen.month(), chosen.day()),
            self.emails_check.isChecked(),
        )


def ask_round_options(parent: QWidget | None) -> RoundOptions | None:
    """Partner bodies or lead officers, and the return-by date; None when cancelled."""
    dialog = RoundOptionsDialog(parent, date.today() + timedelta(days=DEFAULT_RETURN_DAYS))
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.options() if accepted else None
    finally:
        dialog.deleteLater()


def ask_folder(parent: QWidget | None, start: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, "Folder for the round's workbooks", str(start)
    )
    return Path(chosen) if chosen else None


class EmailWordingDialog(QDialog):
    """The covering email of a round's workbooks, as the officer words it."""

    def __init__(self, parent: QWidget | None, wording: str) -> None:
        super().__init__(parent)
        self.setObjectName("emailWordingDialog")
        self.setWindowTitle("Round email wording")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The email sent with each workbook. Keep the first line as 'Subject: …'. Words "
            "in braces are filled in for each recipient: "
            + "; ".join(f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items())
            + ".",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("emailWording")
        self.editor.setPlainText(wording or STANDARD_TEMPLATE)
        self.editor.setAccessibleName("Email wording")
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        standard = buttons.addButton(
            "Use the &standard wording", QDialogButtonBox.ButtonRole.ResetRole
        )
        standard.clicked.connect(lambda: self.editor.setPlainText(STANDARD_TEMPLATE))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def wording(self) -> str:
        text = self.editor.toPlainText()
        return "" if text.strip() == STANDARD_TEMPLATE.strip() else text


def ask_email_wording(parent: QWidget | None, wording: str) -> str | None:
    """The edited wording ("" for the standard one), or None when cancelled."""
    dialog = EmailWordingDialog(parent, wording)
    try:
        return dialog.wording() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_csv_file(parent: QWidget | None, start: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save the round status", str(start), "CSV spreadsheets (*.csv)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")


def ask_returned_files(parent: QWidget | None, start: Path) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, "Import returned workbooks", str(start), "Excel workbooks (*.xlsx)"
    )
    return [Path(name) for name in chosen]


# ----- the model ------------------------------------------------------------------------------


def state_text(line: RoundLine) -> str:
    """'Returned 12/01/2014 by X', 'Outstanding: 5 days left' or 'Late: 3 days late'."""
    return line.state


def is_overdue(line: RoundLine) -> bool:
    return line.kind == "late"


def addressed_text(line: RoundLine) -> str:
    """'Ian Marsden <ian.marsden@…>', or a plain warning when there is no email address."""
    if line.email:
        return f"{line.contact} <{line.email}>" if line.contact else line.email
    return "No email address: send by hand"


class RoundsModel(HeadedTableModel):
    """One row per recipient of every round, newest round first."""

    HEADERS = ("Round", "Recipient", "Addressed to", "Return by", "State", "Workbook")
    ROUND, RECIPIENT, ADDRESSED, RETURN_BY, STATE, WORKBOOK = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RoundLine] = []

    def set_rows(self, rows: Iterable[RoundLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def line_at(self, row: int) -> RoundLine:
        return self._rows[row]

    def lines(self) -> list[RoundLine]:
        return list(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _text(self, line: RoundLine, column: int) -> str:
        if column == self.ROUND:
            return line.round_title
        if column == self.RECIPIENT:
            return line.recipient
        if column == self.ADDRESSED:
            return addressed_text(line)
        if column == self.WORKBOOK:
            return line.file_name
        if column == self.RETURN_BY:
            return format_uk(line.return_by) if line.return_by else ""
        if column == self.STATE:
            return state_text(line)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            text = self._text(line, column)
            if role == Qt.ItemDataRole.ToolTipRole and not text:
                return None
            return text
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ADDRESSED:
            return None if line.email else OVERDUE_TEXT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE:
            if is_overdue(line):
                return OVERDUE_TEXT
            if line.returned_on:
                return RETURNED_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None


# ----- the dialog -----------------------------------------------------------------------------


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _workbooks(paths: Iterable[Path]) -> list[Path]:
    return [Path(path) for path in paths if str(path).lower().endswith(".xlsx")]


class RoundsDialog(QDialog):
    """The plan's update rounds; start one, or import the workbooks that came back
    (by button or by dropping .xlsx files on the dialog)."""

    def __init__(self, parent: QWidget | None, document: PlanDocument) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("roundsDialog")
        self.setWindowTitle(TITLE)
        self.setAcceptDrops(True)
        self.resize(1150, 520)
        layout = QVBoxLayout(self)

        hint = QLabel(
            "Each row is one workbook sent in a round. Import the workbooks as they come "
            "back, or drop them here.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.model = RoundsModel(self)
        self.view = QTableView(self)
        style_table(self.view)
        self.view.setObjectName("roundsView")
        self.view.setModel(self.model)
        self.view.setAcceptDrops(False)  # drops go to the dialog
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.setAccessibleName("Update rounds")
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel("No update rounds have been started for this plan.", self)
        self.empty_label.setObjectName("roundsEmpty")
        layout.addWidget(self.empty_label)

        rule_row = QHBoxLayout()
        rule_label = QLabel("&Who may change progress and dates in returned copies:", self)
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("returnRuleCombo")
        for rule in ReturnRule:
            self.rule_combo.addItem(rule.label, rule.value)
        self.rule_combo.setToolTip(
            "Returns from other bodies still send commentary (kept as their progress notes) "
            "and suggested values, which you can take in the import preview. Each workbook's "
            "Read me says which rule applies."
        )
        rule_label.setBuddy(self.rule_combo)
        rule_row.addWidget(rule_label)
        rule_row.addWidget(self.rule_combo)
        rule_row.addStretch(1)
        layout.addLayout(rule_row)

        self.message = QLabel(self)
        self.message.setObjectName("roundsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.start_button = QPushButton("&Start a round…", self)
        self.start_button.setObjectName("startRoundButton")
        self.start_button.clicked.connect(self.start_round)
        self.import_button = QPushButton("&Import returned workbooks…", self)
        self.import_button.setObjectName("importReturnedButton")
        self.import_button.clicked.connect(self.import_returned)
        self.emails_button = QPushButton("Prepare &emails", self)
        self.emails_button.setObjectName("prepareEmailsButton")
        self.emails_button.setToolTip(
            "Write an email draft (.eml) beside each workbook of the selected round (the "
            "newest if none is selected), addressed to the round contact, workbook attached."
        )
        self.emails_button.clicked.connect(lambda: self.prepare_emails(reminders=False))
        self.reminders_button = QPushButton("Prepare &reminders", self)
        self.reminders_button.setObjectName("prepareRemindersButton")
        self.reminders_button.setToolTip(
            "Write a reminder draft to each recipient of the round who has not returned "
            "their workbook yet, late or not."
        )
        self.reminders_button.clicked.connect(lambda: self.prepare_emails(reminders=True))
        self.wording_button = QPushButton("Email &wording…", self)
        self.wording_button.setObjectName("emailWordingButton")
        self.wording_button.setToolTip("Change the covering email sent with the workbooks.")
        self.wording_button.clicked.connect(self.edit_wording)
        self.csv_button = QPushButton("Save status as &CSV…", self)
        self.csv_button.setObjectName("roundStatusCsvButton")
        self.csv_button.clicked.connect(self.save_status_csv)
        close = QPushButton("Close", self)
        close.setObjectName("closeRoundsButton")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.emails_button)
        buttons.addWidget(self.reminders_button)
        buttons.addStretch(1)
        buttons.addWidget(self.wording_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        writable = not document.read_only
        self.rule_combo.setEnabled(writable)
        self.start_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.wording_button.setEnabled(writable)
        if not writable:
            for button in (self.start_button, self.import_button, self.wording_button):
                button.setToolTip("The plan is open read-only.")
        document.changed.connect(self._document_changed)
        self.refresh()
        self.rule_combo.currentIndexChanged.connect(self._rule_chosen)

    # ----- showing ------------------------------------------------------------------------

    def _document_changed(self, _applied: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.document.read(round_status))
        has_rows = self.model.rowCount() > 0
        self.empty_label.setVisible(not has_rows)
        self.emails_button.setEnabled(has_rows)
        self.reminders_button.setEnabled(has_rows)
        self.csv_button.setEnabled(has_rows)
        if has_rows:
            self.view.resizeColumnsToContents()
        rule = self.document.read(plan_header).return_rule
        with QSignalBlocker(self.rule_combo):
            self.rule_combo.setCurrentIndex(max(self.rule_combo.findData(rule), 0))

    def _rule_chosen(self, _index: int) -> None:
        rule = self.rule_combo.currentData()
        if rule == self.document.read(plan_header).return_rule:
            return
        command = EditRecord("plan", self.document.plan_id, {"return_rule": rule})

        def refused(error: PlannerError) -> None:
            show_error(self, error, "The rule was not changed")
            self.refresh()

        if self.document.try_execute(command, refused) is None:
            return
        self.say(
            f"From now on, workbooks say in their Read me that {ReturnRule(rule).label.lower()} "
            "may change progress and dates."
        )

    def _folder(self) -> Path:
        return Path(self.document.plan_file.path).parent

    def say(self, text: str) -> None:
        self.message.setText(text)

    # ----- starting a round ---------------------------------------------------------------

    def start_round(self) -> list[Path]:
        """Ask, write the workbooks and record the round; returns the files written."""
        if self.document.read_only:
            return []
        options = ask_round_options(self)
        if options is None:
            return []
        folder = ask_folder(self, self._folder())
        if folder is None:
            return []

        def query(session: Session, plan_id: int) -> Any:
            return start_round(
                session,
                plan_id,
                folder,
                options.kind,
                return_by=options.return_by,
                exported_by=officer_name(),
            )

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            started = self.document.read(query)
        except PlannerError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, error, "The round was not started")
            return []
        except OSError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, f"The workbooks could not be written: {error}", TITLE)
            return []
        QApplication.restoreOverrideCursor()
        try:
            self.document.execute(started.command, source="update round")
        except PlannerError as error:
            for written in started.files:
                written.unlink(missing_ok=True)
            show_error(self, error, "The round was not started")
            return []
        self.refresh()
        said = (
            f"{started.command.description}: {_plural(len(started.files), 'workbook')} "
            f"written to {folder}."
        )
        if options.emails:
            said += " " + self._drafts(reminders=False, round_id=None, folder=folder)
        self.say(said)
        return list(started.files)

    # ----- emails -------------------------------------------------------------------------

    def _selected_round(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.line_at(rows[0].row()).round_id if rows else None

    def _drafts(self, *, reminders: bool, round_id: int | None, folder: Path | None) -> str:
        """Write the drafts; returns what to tell the officer (errors are shown)."""

        def query(session: Session, plan_id: int) -> DraftsWritten:
            return prepare_drafts(
                session,
                plan_id,
                sender=officer_name(),
                round_id=round_id,
                folder=folder,
                reminders=reminders,
            )

        kind = "reminder" if reminders else "email"
        try:
            drafts = self.document.read(query)
        except PlannerError as error:
            show_error(self, error, f"The {kind} drafts were not written")
            return ""
        if not drafts.files and not drafts.no_email:
            return ""
        said = (
            f"{_plural(len(drafts.files), kind + ' draft')} written beside the workbooks: "
            "open each in Outlook and press Send."
        )
        if drafts.no_email:
            said += (
                " No email address for "
                + "; ".join(drafts.no_email)
                + ": send their workbooks yourself, or add a round contact in Partners."
            )
        return said

    def prepare_emails(self, *, reminders: bool) -> str:
        """Email (or reminder) drafts for the selected round, else the newest."""
        said = self._drafts(reminders=reminders, round_id=self._selected_round(), folder=None)
        if said:
            self.say(said)
        return said

    def edit_wording(self) -> bool:
        if self.document.read_only:
            return False
        header_wording = self.document.read(email_wording)
        wording = ask_email_wording(self, header_wording)
        if wording is None or wording == header_wording:
            return False
        try:
            check_template(wording)
        except PlannerError as error:
            show_error(self, error, "The wording was not changed")
            return False
        changed = self.document.try_execute(
            EditRecord("plan", self.document.plan_id, {"round_email": wording}),
            lambda error: show_error(self, error, "The wording was not changed"),
        )
        if changed is None:
            return False
        self.say("The round emails will use the new wording.")
        return True

    def save_status_csv(self) -> Path | None:
        target = ask_csv_file(self, self._folder() / "Round status.csv")
        if target is None:
            return None
        try:
            write_csv(STATUS_HEADINGS, map(status_cells, self.model.lines()), target)
        except PlannerError as error:
            show_error(self, error, "The status was not saved")
            return None
        self.say(f"Saved the round status to {target}.")
        return target

    # ----- importing returned workbooks ---------------------------------------------------

    def import_returned(self) -> int:
        if self.document.read_only:
            return 0
        paths = ask_returned_files(self, self._folder())
        return self.import_files(paths) if paths else 0

    def _read(self, path: Path) -> tuple[MergePreview, int | None]:
        def query(session: Session, plan_id: int) -> tuple[MergePreview, int | None]:
            header = plan_header(session, plan_id)
            returned = read_returned(path, header.rag_definitions)
            preview = build_preview(session, plan_id, returned)
            return preview, recipient_of(session, plan_id, returned)

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self.document.read(query)
        finally:
            QApplication.restoreOverrideCursor()

    def import_files(self, paths: Sequence[Path | str]) -> int:
        """Preview and merge each workbook in turn, one undo step each; a file that
        cannot be merged is reported and the rest go on. Returns how many were merged."""
        if self.document.read_only:
            return 0
        merged: list[str] = []
        skipped: list[str] = []
        for path in [Path(p) for p in paths]:
            try:
                preview, recipient_id = self._read(path)
            except PlannerError as error:
                show_error(self, error, f"{path.name} was not merged")
                skipped.append(path.name)
                continue
            except Exception as error:  # a damaged file must not stop the others
                _log.exception("Reading %s as a returned plan failed", path)
                show_error(
                    self,
                    f"'{path.name}' could not be read as a returned plan: {error}",
                    f"{path.name} was not merged",
                )
                skipped.append(path.name)
                continue
            if preview.already_merged:
                skipped.append(f"{path.name} (merged before)")
                continue
            if not has_anything_to_merge(preview):
                marking = round_merge_command(preview, recipient_id)
                if marking is not None and self._run(marking, preview):
                    merged.append(f"{path.name} (nothing new; marked returned)")
                else:
                    skipped.append(f"{path.name} (nothing new)")
                continue
            header = self.document.read(plan_header)
            chosen = ImportPreviewDialog.ask(
                self,
                preview,
                people=self.document.read(person_choices),
                rags=header.rag_definitions,
                rebuild=partial(read_preview, self.document, path),
            )
            command = None if chosen is None else round_merge_command(chosen, recipient_id)
            if chosen is None or command is None:
                skipped.append(f"{path.name} (cancelled)")
                continue
            done = self.document.try_execute(
                command,
                partial(self._refused, failure=f"{path.name} was not merged"),
                source=chosen.source_label(),
            )
            if done is None:
                skipped.append(path.name)
                continue
            merged.append(f"{path.name} ({_plural(merged_count(chosen), 'change')})")
        self.refresh()
        parts = []
        if merged:
            parts.append(f"Merged {_plural(len(merged), 'workbook')}: " + "; ".join(merged) + ".")
        if skipped:
            parts.append("Not merged: " + "; ".join(skipped) + ".")
        self.say(" ".join(parts))
        return len(merged)

    def _refused(self, error: PlannerError, *, failure: str) -> None:
        show_error(self, error, failure)

    def _run(self, command: Command, preview: MergePreview) -> bool:
        failure = f"{preview.source.name} was not marked returned"
        done = self.document.try_execute(
            command, lambda error: show_error(self, error, failure), source=preview.source_label()
        )
        return done is not None

    # ----- drag and drop ------------------------------------------------------------------

    @staticmethod
    def dropped_workbooks(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return _workbooks(Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.document.read_only and self.dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.document.read_only and self.dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.dropped_workbooks(event)
        if self.document.read_only or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Finish the drag before asking anything: a modal dialog inside a drop is refused
        # by some platforms' drag loops.
        QTimer.singleShot(0, self, lambda: self.import_files(paths))


def show_rounds(window: Any) -> None:
    """File > Update rounds…: the rounds dialog for the window's plan (nothing if none)."""
    document = getattr(window, "document", None)
    if document is None:
        return
    dialog = RoundsDialog(window, document)
    try:
        dialog.exec()
    finally:
        dialog.document.changed.disconnect(dialog._document_changed)
        dialog.deleteLater()
