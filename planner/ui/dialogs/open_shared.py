"""File > Open shared plan: where the database is, then which plan in it.

The dialog never connects by itself: it is given `list_plans(location, password)`, which
lists the plans or raises the core's PlannerError (PasswordNeeded when the server wants a
password the user's PostgreSQL password file does not give; the dialog then asks for it,
and keeps it only while it is open).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import format_uk
from planner.errors import PlannerError
from planner.store.shared import PasswordNeeded, PlanListing
from planner.store.shared_location import SharedLocation
from planner.ui.style import style_table

ListPlans = Callable[[SharedLocation, str | None], list[PlanListing]]


def location_from(host: str, port: int, database: str, user: str) -> SharedLocation:
    """A postgresql:// location from the dialog's fields (a host starting with '/' is a
    Unix socket folder)."""
    from urllib.parse import quote

    host, database, user = host.strip(), database.strip(), user.strip()
    who = f"{quote(user, safe='')}@" if user else ""
    if host.startswith("/"):
        query = f"?host={quote(host, safe='')}&port={port}"
        return SharedLocation(f"postgresql://{who}/{quote(database, safe='')}{query}")
    return SharedLocation(f"postgresql://{who}{host}:{port}/{quote(database, safe='')}")


class OpenSharedDialog(QDialog):
    def __init__(self, list_plans: ListPlans, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openSharedDialog")
        self.setWindowTitle("Open shared plan")
        self._list_plans = list_plans
        self.password: str | None = None
        self._listed: list[PlanListing] = []
        self._listed_from: SharedLocation | None = None

        intro = QLabel(
            "A shared plan is kept on a PostgreSQL database server, so several officers can "
            "work on it at once. Your organisation's database administrator gives you these "
            "details. Your password is asked for when needed and never kept.",
            self,
        )
        intro.setWordWrap(True)
        self.host = self._line("sharedHost", os.environ.get("PGHOST", ""), "e.g. plans.example.org")
        self.port = QSpinBox(self)
        self.port.setObjectName("sharedPort")
        self.port.setRange(1, 65535)
        self.port.setValue(int(os.environ.get("PGPORT", "5432") or 5432))
        self.port.setAccessibleName("Port")
        self.database = self._line(
            "sharedDatabase", os.environ.get("PGDATABASE", ""), "e.g. partnership_plans"
        )
        self.user = self._line("sharedUser", os.environ.get("PGUSER", ""), "your database account")
        self.list_button = QPushButton("&List plans", self)
        self.list_button.setObjectName("listPlansButton")
        self.list_button.clicked.connect(self.list_plans)
        self.status = QLabel("", self)
        self.status.setObjectName("sharedStatus")
        self.status.setWordWrap(True)
        self.plans = QTableWidget(0, 3, self)
        style_table(self.plans)
        self.plans.setObjectName("sharedPlans")
        self.plans.setAccessibleName("Plans in the database")
        self.plans.setHorizontalHeaderLabels(["Plan", "Actions", "Status date"])
        self.plans.verticalHeader().setVisible(False)
        self.plans.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.plans.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.plans.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.plans.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.plans.itemSelectionChanged.connect(self._update_buttons)
        self.plans.itemDoubleClicked.connect(lambda _item: self.accept())

        form = QFormLayout()
        form.addRow("Database &server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User name:", self.user)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.list_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addWidget(self.plans, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._update_buttons()

    def _line(self, name: str, value: str, placeholder: str) -> QLineEdit:
        line = QLineEdit(value, self)
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.textChanged.connect(self._update_buttons)
        return line

    def location(self) -> SharedLocation:
        return location_from(
            self.host.text(), self.port.value(), self.database.text(), self.user.text()
        )

    def chosen(self) -> tuple[SharedLocation, str | None] | None:
        """The chosen plan's location, and the password typed (if one was needed)."""
        row = self.plans.currentRow()
        if self._listed_from is None or not 0 <= row < len(self._listed):
            return None
        return self._listed_from.with_plan(self._listed[row].id), self.password

    def ask_password(self, message: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Database password", message, QLineEdit.EchoMode.Password
        )
        return text if ok else None

    def list_plans(self) -> None:
        location = self.location()
        try:
            try:
                plans = self._list_plans(location, self.password)
            except PasswordNeeded as error:
                password = self.ask_password(f"{error}\nPassword:")
                if password is None:
                    return
                self.password = password
                plans = self._list_plans(location, password)
        except PlannerError as error:
            self.status.setText(str(error))
            self._show([], None)
            return
        self._show(plans, location)
        self.status.setText(
            f"{len(plans)} plan(s) in {location.describe()}. Choose one to open."
            if plans
            else f"{location.describe()} holds no plans yet."
        )

    def _show(self, plans: list[PlanListing], location: SharedLocation | None) -> None:
        self._listed, self._listed_from = plans, location
        self.plans.setRowCount(len(plans))
        for row, plan in enumerate(plans):
            title = QTableWidgetItem(plan.title)
            title.setToolTip(f"{plan.title}\n{plan.organisation}")
            actions = QTableWidgetItem(str(plan.actions))
            actions.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.plans.setItem(row, 0, title)
            self.plans.setItem(row, 1, actions)
            self.plans.setItem(row, 2, QTableWidgetItem(format_uk(plan.status_date)))
        if plans:
            self.plans.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.database.text().strip())
        self.list_button.setEnabled(ready)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(
            self.chosen() is not None
        )
